"""The orchestrator: :func:`build` and :func:`build_many`.

Plans every statement (:mod:`.plan`), renders what is stale, spreading the
work over the cores, and writes each statement's files once all of them are
rendered (:mod:`.write`):

* each source is parsed once, each edition made once, per build;
* the EPUBs of all the statements of a build come from one pandoc process
  (:class:`~statementpub.render.epub.EpubBatch`), started first and running
  in the background while the rest is rendered;
* with ``jobs`` > 1 and several PDFs to make, worker processes
  (:mod:`.workers`) render the PDFs in parallel;
* the output is the same, byte for byte, whatever ``jobs`` is.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..errors import BuildError, OptionsError, RenderError, StatementpubError
from ..fonts import font_set
from ..options import (
    DEFAULT_MIN_COVERAGE,
    DEFAULT_OPTIONS,
    FORMATS,
    Options,
    check_formats,
    check_interface_catalogs,
    check_jobs,
    check_min_coverage,
    cores,
)
from .manifest import read_manifest_data
from .reports import BatchResult, BuildReport, Progress

if TYPE_CHECKING:
    from ..model import Statement
    from .plan import Job, Output

# The planner and the renderers are imported by the functions that use them: a build
# with nothing to render (an unchanged rebuild) imports neither (statementpub.build.uptodate).

__all__ = ["STAGES", "build", "build_many"]

_Items = list[tuple["Job", "Output"]]


def _is_statement(source: object) -> bool:
    """Whether ``source`` is a loaded statement rather than a path (without importing the
    model, which a path-only build may not need)."""
    return not isinstance(source, (str, os.PathLike))


def _source_path(source: str | Path | Statement) -> Path | None:
    """The file of a source: the path given, or a loaded statement's own."""
    if _is_statement(source):
        return cast("Statement", source).path
    return Path(cast("str | Path", source))


def _as_render_error(exc: BaseException) -> StatementpubError:
    if isinstance(exc, StatementpubError):
        return exc
    return RenderError(f"rendering failed: {type(exc).__name__}: {exc}")


def _options(options: Options | None, **keywords: Any) -> Options:
    """``options``, or the keywords as an :class:`Options` (not both)."""
    if options is None:
        return Options(**keywords)
    changed = sorted(name for name, value in keywords.items() if value != DEFAULT_OPTIONS[name])
    if changed:
        raise OptionsError(f"options= and the keyword(s) {', '.join(changed)} given together; "
                           "give one or the other")
    return options


#: The stages of a build, in order, as :func:`build_many` tells ``stage``.
STAGES = ("loaded", "editions", "planned", "rendering", "rendered", "writing", "written")


def _run(sources: Sequence[str | Path | Statement], options: Options,
         progress: Callable[[Progress], None] | None,
         stage: Callable[[str], None] | None = None,
         given: Executor | None = None) -> list[BatchResult]:
    chosen = check_formats(options.formats)
    check_jobs(options.jobs)
    min_coverage = check_min_coverage(options.min_coverage)
    ui_catalogs = check_interface_catalogs(options.interface_catalogs)
    workers_ = options.jobs if options.jobs is not None else cores()
    langs = list(options.langs) if options.langs else None
    strict, force = options.strict, options.force
    # the manifest knows the shipped fonts, not a user's font files: render all
    force = force or bool(options.fonts)
    out = Path(options.out_dir)
    manifest, records = ({}, {}) if force else read_manifest_data(out)
    # Unchanged statements first: decided from the manifest's records and hashes alone,
    # without reading them (statementpub.build.uptodate).
    done: dict[int, BatchResult] = {}
    recording: dict[int, tuple[str, list[str], str | None]] = {}
    if not force:
        from .uptodate import catalog_scan, check, folder_hash, request_hash

        interface = folder_hash(ui_catalogs) if ui_catalogs is not None else None
        for index, source in enumerate(sources):
            if _is_statement(source):
                continue
            path = Path(cast("str | Path", source))
            request = request_hash(str(path), chosen, langs, strict, min_coverage, ui_catalogs)
            report = check(records.get(str(path.resolve())), path, out, request, ui_catalogs,
                           manifest)
            if report is not None:
                done[index] = BatchResult(path, report=report)
            else:
                recording[index] = (request, catalog_scan(path), interface)
    if len(done) == len(sources):
        return [done[index] for index in range(len(sources))]
    rest = [source for index, source in enumerate(sources) if index not in done]
    results = iter(_run_sources(rest, options, progress, stage, given, manifest,
                                [recording.get(index) for index in range(len(sources))
                                 if index not in done],
                                langs=langs, chosen=chosen, min_coverage=min_coverage,
                                ui_catalogs=ui_catalogs, force=force, out=out,
                                strict=strict, workers_=workers_))
    return [done[index] if index in done else next(results) for index in range(len(sources))]


def _run_sources(sources: Sequence[str | Path | Statement], options: Options,
                 progress: Callable[[Progress], None] | None,
                 stage: Callable[[str], None] | None, given: Executor | None,
                 manifest: dict[str, dict[str, str]],
                 recording: list[tuple[str, list[str], str | None] | None], *,
                 langs: list[str] | None, chosen: Sequence[str], min_coverage: float,
                 ui_catalogs: Path | None, force: bool, out: Path,
                 strict: bool, workers_: int) -> list[BatchResult]:
    """The full way: plan ``sources``, render what is stale, write, record."""
    fonts = font_set(options.fonts)
    memo: dict[Path, str] = {}
    jobs_: list[Job] = []
    # The PDF workers start now, before the statements are read: each imports WeasyPrint
    # and parses the print stylesheets (0.35 s) while this process plans the build.
    from . import workers

    early = _early_pdf_workers(sources, langs, chosen, workers_) if given is None else None
    try:
        return _run_planned(sources, options, progress, stage, given, early, jobs_, memo,
                            recording, langs=langs, chosen=chosen, min_coverage=min_coverage,
                            ui_catalogs=ui_catalogs, fonts=fonts, force=force, out=out,
                            manifest=manifest, strict=strict)
    except BaseException:
        if early is not None:
            workers.stop_workers(early)
        raise
    finally:
        if early is not None:
            early.shutdown(wait=True, cancel_futures=True)


def _pdf_estimate(sources: Sequence[str | Path | Statement], langs: list[str] | None) -> int:
    """At most how many PDFs a build of ``sources`` makes, without reading them: per
    statement the languages asked for, or its own and one per catalog beside it."""
    total = 0
    for source in sources:
        if langs:
            total += len(langs)
            continue
        path = _source_path(source)
        count = 1 + (len(cast("Statement", source).translations) if _is_statement(source)
                     else 0)
        if path is not None:
            from .uptodate import catalog_scan

            count += len(catalog_scan(path))
        total += count
    return total


def _early_pdf_workers(sources: Sequence[str | Path | Statement], langs: list[str] | None,
                       formats: Sequence[str], cores: int) -> Any:
    """The PDF worker pool, started before planning when PDFs may be made and ``cores``
    allows more than one process (``None`` otherwise: the PDFs are made in this process).

    One worker per two PDFs, up to ``cores``: a worker costs the WeasyPrint import and
    the stylesheets (about 0.35 s, more than a short statement's PDF), so two PDFs go
    to one worker, which has both done before a second would have started."""
    from . import workers

    if "pdf" not in formats or cores < 2:
        return None
    estimate = _pdf_estimate(sources, langs)
    if estimate == 0:
        return None
    executor = workers.pool(min(cores, max(1, estimate // 2)), cores)
    executor.submit(int)  # forks the workers now: they import WeasyPrint meanwhile
    return executor


def _run_planned(sources: Sequence[str | Path | Statement], options: Options,
                 progress: Callable[[Progress], None] | None,
                 stage: Callable[[str], None] | None, given: Executor | None,
                 early: Any, jobs_: list[Job], memo: dict[Path, str],
                 recording: list[tuple[str, list[str], str | None] | None], *,
                 langs: list[str] | None, chosen: Sequence[str], min_coverage: float,
                 ui_catalogs: Path | None, fonts: Any, force: bool, out: Path,
                 manifest: dict[str, dict[str, str]], strict: bool) -> list[BatchResult]:
    from ..edition.glyphs import check_glyphs
    from ..render.formats import (
        epub_html,
        font_roots,
        has_images,
        html_bytes,
        pdf_bytes,
        print_html,
        resource_roots,
    )
    from . import workers
    from .plan import Job, alternates, plan
    from .write import write_outputs

    def at(name: str) -> None:
        if stage is not None:
            stage(name)

    for source in sources:
        path = _source_path(source)
        job = Job(path or Path("<statement>"))
        chosen_record = recording[len(jobs_)]
        if chosen_record is not None and not fonts.user:
            job.request, job.scan, job.interface = chosen_record
        jobs_.append(job)
        try:
            plan(job, source, langs, chosen, out, strict, force, manifest, memo, at,
                 min_coverage=min_coverage, interface_catalogs=ui_catalogs)
            for edition in job.editions:
                check_glyphs(edition, fonts)
        except StatementpubError as exc:
            job.error = exc
    slugs: dict[str, Path] = {}
    for job in jobs_:
        if job.error is None and job.statement is not None:
            first = slugs.setdefault(job.statement.slug, job.source)
            if first != job.source:
                job.error = BuildError(
                    f"{job.source}: slug {job.statement.slug!r} is also that of {first}; "
                    "both would write the same files (set 'slug' in one of them)")
    total = sum(1 for job in jobs_ if job.error is None for o in job.outputs if o.stale)
    done = 0
    finished = 0

    def tell(current: str) -> None:
        if progress is not None:
            progress(Progress(done, total, finished, len(jobs_), current))

    def fail(job: Job, exc: BaseException) -> None:
        if job.error is None:
            job.error = _as_render_error(exc)

    def finish(job: Job) -> None:
        """Write a statement's files once all are rendered (or report its failure)."""
        nonlocal finished
        if job.finished:
            return
        job.finished = True
        finished += 1
        if job.error is None:
            at("rendered")
            try:
                job.result = BatchResult(job.source, report=write_outputs(
                    job, out, force=force, stage=at))
            except OSError as exc:
                job.error = BuildError(f"{out}: cannot write: {exc.strerror or exc}"
                                       + (f": {exc.filename}" if exc.filename else ""))
            except StatementpubError as exc:
                job.error = exc
            if job.error is None and job.refused is not None:
                job.error = job.refused
        if job.error is not None:
            # a strict refusal keeps the report of what was written
            written = job.result.report if job.result is not None else None
            job.result = BatchResult(job.source, report=written, error=job.error)
        for output in job.outputs:
            output.data = None
        tell(f"{job.source}: {'failed' if job.error else 'written'}")

    def completed(job: Job, output: Output, data: bytes | BaseException) -> None:
        nonlocal done
        done += 1
        if isinstance(data, BaseException):
            fail(job, data)
        else:
            output.data = data
        job.pending -= 1
        tell(f"{output.path.name}")
        if job.pending == 0:
            finish(job)

    # What to render, statement by statement; a statement with nothing stale is done.
    epub_items: _Items = []
    pdf_items: _Items = []
    html_items: _Items = []
    for job in jobs_:
        stale = [o for o in job.outputs if o.stale] if job.error is None else []
        job.pending = len(stale)
        for output in stale:
            {"epub": epub_items, "pdf": pdf_items, "html": html_items}[output.fmt].append(
                (job, output))
    at("planned")
    for job in jobs_:
        if job.pending == 0:
            finish(job)

    def print_htmls() -> list[tuple[Job, Output, str]]:
        """The print HTML of each PDF to make, the longest first (so that no worker, and
        no later EPUB collection, is left waiting on a long one at the end); a failure
        completes its output."""
        made: list[tuple[Job, Output, str]] = []
        for job, output in pdf_items:
            try:
                made.append((job, output, print_html(output.edition, fonts)))
            except Exception as exc:  # noqa: BLE001
                completed(job, output, exc)
        return sorted(made, key=lambda item: -len(item[2]))

    batch = None
    executor: Any = None
    # the futures of the PDFs, each with the outputs it makes; a batch's has a list of PDFs
    futures: dict[Any, list[tuple[Job, Output]]] = {}
    batches: set[Any] = set()
    if early is not None and not pdf_items:
        workers.stop_workers(early)  # nothing for them after all
    try:
        if pdf_items and (given is not None or early is not None):
            # 1. the PDFs first, to the workers.
            executor = given if given is not None else early
            outputs: list[tuple[Job, Output]] = []
            tasks: list[tuple[str, list[Path]]] = []
            for job, output, html in print_htmls():
                if job.statement is not None:
                    outputs.append((job, output))
                    tasks.append((html, resource_roots(job.statement) + font_roots(fonts)))
            if given is None and early.size == 1 and early.processes > 1 and len(tasks) > 1:
                # One worker (a second would cost its own WeasyPrint import): once it has
                # WeasyPrint and the stylesheets ready, it forks for the other cores.
                together = executor.submit(workers.pdf_batch, tasks,
                                           min(early.processes, len(tasks)))
                futures = {together: outputs}
                batches.add(together)
            else:
                futures = {executor.submit(workers.pdf_task, *task): [made]
                           for made, task in zip(outputs, tasks, strict=True)}
        # 2. pandoc: it works on its own core while everything else is done here.
        if epub_items:
            from ..render.epub import EpubBatch

            inputs = []
            for job, output in epub_items:
                try:
                    assert job.statement is not None
                    inputs.append((epub_html(output.edition), output.edition,
                                   has_images(job.statement)))
                except Exception as exc:  # noqa: BLE001 - a renderer bug fails its statement
                    fail(job, exc)
                    inputs.append(("", output.edition, False))
            batch = EpubBatch(inputs, fonts)
        # 3. the HTML editions, at once.
        for job, output in html_items:
            try:
                links = [a for a in alternates(job) if a.lang != output.edition.lang]
                data: bytes | BaseException = html_bytes(output.edition, links, fonts)
            except Exception as exc:  # noqa: BLE001
                data = exc
            completed(job, output, data)
        def collect_epubs(wait: bool) -> None:
            nonlocal batch
            if batch is None or not (wait or batch.done()):
                return
            results = batch.results()
            batch = None
            for (job, output), data in zip(epub_items, results, strict=True):
                completed(job, output, data)

        # 4. the PDFs: from the workers, or made here one after another.
        at("rendering")
        if futures:
            from concurrent.futures import FIRST_COMPLETED, wait

            remaining = set(futures)
            while remaining:
                ready, remaining = wait(remaining, timeout=0.05, return_when=FIRST_COMPLETED)
                for future in ready:
                    error = future.exception()
                    pdfs = ([error] * len(futures[future]) if error is not None
                            else future.result() if future in batches
                            else [future.result()])
                    for (job, output), data in zip(futures[future], pdfs, strict=True):
                        completed(job, output, data)
                collect_epubs(wait=False)
        elif pdf_items and executor is None:
            from ..render.pdf import prepare

            try:
                prepare()
            except Exception:  # noqa: BLE001 - each PDF then fails with its PdfRenderError
                pass
            cache: dict[str, Any] = {}
            for job, output, html in print_htmls():
                assert job.statement is not None
                try:
                    data = pdf_bytes(html, resource_roots(job.statement) + font_roots(fonts),
                                     cache=cache)
                except Exception as exc:  # noqa: BLE001
                    data = exc
                completed(job, output, data)
                collect_epubs(wait=False)
        collect_epubs(wait=True)
    finally:
        if batch is not None:
            batch.close()
    results = []
    for job in jobs_:
        if not job.finished:  # pragma: no cover - every output completes above
            finish(job)
        assert job.result is not None
        results.append(job.result)
    return results


def build(
    source: str | Path | Statement,
    *,
    langs: Iterable[str] | None = None,
    formats: Iterable[str] | None = FORMATS,
    out_dir: str | Path = Path("dist"),
    strict: bool = False,
    jobs: int | None = None,
    force: bool = False,
    min_coverage: float = DEFAULT_MIN_COVERAGE,
    interface_catalogs: str | Path | None = None,
    fonts: Iterable[str | Path] = (),
    options: Options | None = None,
    executor: Executor | None = None,
) -> BuildReport:
    """Build the editions of one statement and write them to ``out_dir``.

    :param source: the statement file, or a loaded :class:`Statement`.
    :param langs: BCP 47 tags; default the source language plus every
        language with a catalog beside the source.
    :param formats: among ``"html"``, ``"pdf"``, ``"epub"``; all three by default (or
        when ``None`` or empty).
    :param strict: refuse every edition when the source has warnings, and each
        edition that needs a fallback (nothing is written for it; the other
        editions are written), then raise :class:`StrictBuildError` naming them.
    :param jobs: worker processes for the PDFs (default: the number of cores);
        the output is the same whatever it is.
    :param force: render every output, even those the manifest finds up to date.
    :param min_coverage: the publishing threshold, in percent (0 to 100) of the
        words of the statement's units (default 80, as po4a's ``--keep``): a
        catalog found beside the source that translates less is a translation
        in progress: nothing is written for it, no edition links to it, and it
        is listed in :attr:`BuildReport.in_progress`. A language named in
        ``langs`` is built whatever its coverage. 0 publishes every catalog.
    :param interface_catalogs: a folder of interface catalogs (``<tag>.po`` or
        ``<tag>/LC_MESSAGES/statementpub.po``) looked in before statementpub's
        own. A language with none anywhere is built with its interface texts in
        the source language (or English), marked and reported in
        :attr:`EditionReport.interface_fallbacks`.
    :param fonts: font files (TrueType, OpenType, WOFF, WOFF2) for characters that no
        shipped font has (CJK and other scripts), last in every font stack.
    :param options: all of the above as one :class:`~statementpub.Options`
        (then leave the other keywords at their defaults).
    :param executor: a :class:`concurrent.futures.Executor` to render the PDFs in
        instead of the build's own worker processes (``jobs`` is then unused), such
        as a Dask cluster's ``Client.get_executor()``; it is neither started nor
        shut down here. The bytes are the same.
    :returns: a :class:`BuildReport`; ``rebuilt`` and ``up_to_date`` say which
        files were rendered.
    :raises OptionsError: an unknown format, ``jobs`` < 1, ``min_coverage`` outside
        0 to 100, an ``interface_catalogs`` that is not a folder, options and keywords
        mixed.
    :raises LanguageTagError: one of ``langs`` is not a valid BCP 47 tag.
    :raises StatementError: the source breaks the format.
    :raises CatalogError: a catalog is missing or malformed.
    :raises StrictBuildError: ``strict`` and a fallback (of a unit or an interface
        text) or a warning was found.
    :raises FontCoverageError: a character is in no shipped font and none of ``fonts``.
    :raises RenderError: an engine failed.
    :raises BuildError: an output cannot be written.
    """
    chosen = _options(options, langs=_tuple(langs), formats=_tuple(formats) or FORMATS,
                      out_dir=Path(out_dir), strict=strict, jobs=jobs, force=force,
                      min_coverage=min_coverage,
                      interface_catalogs=Path(interface_catalogs) if interface_catalogs
                      is not None else None,
                      fonts=tuple(Path(f) for f in fonts))
    (result,) = _run([source], chosen, progress=None, given=executor)
    if result.error is not None:
        raise result.error
    assert result.report is not None
    return result.report


def build_many(
    sources: Sequence[str | Path | Statement],
    *,
    langs: Iterable[str] | None = None,
    formats: Iterable[str] | None = FORMATS,
    out_dir: str | Path = Path("dist"),
    strict: bool = False,
    jobs: int | None = None,
    force: bool = False,
    min_coverage: float = DEFAULT_MIN_COVERAGE,
    interface_catalogs: str | Path | None = None,
    fonts: Iterable[str | Path] = (),
    options: Options | None = None,
    progress: Callable[[Progress], None] | None = None,
    stage: Callable[[str], None] | None = None,
    executor: Executor | None = None,
) -> list[BatchResult]:
    """Build several statements into one folder, as :func:`build` does each; a statement
    that fails does not stop the others (its error is in its result). The PDFs of all
    the statements share the worker processes, the EPUBs one pandoc process.

    :param progress: called with a :class:`Progress` as outputs and statements finish.
    :param stage: called, in the build's own process and thread, with the name of each
        stage of :data:`STAGES` the build reaches: ``loaded`` (a source read and
        parsed), ``editions`` (its catalogs read, its editions made), ``planned``
        (every statement), ``rendering`` (the renderers at work, PDF workers
        included), ``rendered`` (a statement's outputs in memory), ``writing`` (its
        files written, the manifest not yet updated), ``written``. A stage may be
        reached several times (once per statement). The command line's test hook
        (``STATEMENTPUB_PAUSE_AT``, docs/coordinators.md) uses it.
    :param executor: as for :func:`build`: where the PDFs of every statement are made.
    :returns: one :class:`BatchResult` per source, in the order given.
    :raises OptionsError: an unknown format, ``jobs`` < 1, options and keywords mixed.
    """
    chosen = _options(options, langs=_tuple(langs), formats=_tuple(formats) or FORMATS,
                      out_dir=Path(out_dir), strict=strict, jobs=jobs, force=force,
                      min_coverage=min_coverage,
                      interface_catalogs=Path(interface_catalogs) if interface_catalogs
                      is not None else None,
                      fonts=tuple(Path(f) for f in fonts))
    return _run(list(sources), chosen, progress=progress, stage=stage, given=executor)


def _tuple(values: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(values)
