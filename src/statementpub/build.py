"""``build()``: statement sources in, their editions written to a folder.

For each language and format asked for, writes ``<out>/<slug>.<lang>.<ext>``.
Every output of a statement is rendered in memory first and only then
written, each to a temporary file in the output folder renamed into place, so
a failure (bad input, a renderer crash, Ctrl-C) leaves the previous outputs
intact and nothing half-written.

How the work is done once, and spread over the cores:

* each source is parsed once, each edition made once, per build;
* the EPUBs of all the statements of a build come from one pandoc process
  (:class:`~statementpub.render.epub.EpubBatch`), started first and running
  in the background while the rest is rendered;
* WeasyPrint is imported and the print stylesheets parsed (fonts loaded) once
  per process; with ``jobs`` > 1 and several PDFs to make, worker processes
  forked from the build inherit both and render the PDFs in parallel, each
  with one image cache for all its documents;
* the output is the same, byte for byte, whatever ``jobs`` is.

Incremental builds: ``<out>/.statementpub-manifest.json`` records, for each
output file, a key (a hash of the source, the language's catalog, the
images, the library version and its styles, templates and interface
catalogs, the format and the options) and the hash of the bytes written. An
output whose key is unchanged and whose file still has those bytes is up to
date and is not rendered again; ``force=True`` renders everything.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO

from .catalogs import available_catalogs
from .edition import Edition, Fallback, make_edition
from .errors import Diagnostic, RenderError, StatementpubError, StrictBuildError
from .i18n import interface
from .langtags import normalize_lang
from .loader import load_statement
from .model import Statement
from .render.html import Alternate, render_edition_html
from .render.pdf import _DEFAULT_EPOCH as DEFAULT_EPOCH
from .render.pdf import page_label_css

__all__ = ["FORMATS", "MANIFEST_NAME", "BatchResult", "BuildReport", "EditionReport",
           "Progress", "ProgressDisplay", "build", "build_many", "default_languages", "find_sources",
           "render_edition", "summary_table", "write_atomically"]

#: Output formats, in the order they are written.
FORMATS: tuple[str, ...] = ("html", "pdf", "epub")
#: The bookkeeping of incremental builds, in the output folder.
MANIFEST_NAME = ".statementpub-manifest.json"
_MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class EditionReport:
    """What was made for one language: its files, those rendered by this build
    (``rebuilt``) and those found up to date (``up_to_date``)."""

    lang: str
    files: tuple[Path, ...]
    fallbacks: tuple[Fallback, ...]
    catalog: Path | None
    rebuilt: tuple[Path, ...] = ()
    up_to_date: tuple[Path, ...] = ()


@dataclass(frozen=True)
class BuildReport:
    """The result of :func:`build`: files written, fallbacks per language, warnings."""

    source: Path
    slug: str
    editions: tuple[EditionReport, ...]
    warnings: tuple[Diagnostic, ...] = ()

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(path for edition in self.editions for path in edition.files)

    @property
    def rebuilt(self) -> tuple[Path, ...]:
        """The files this build rendered and wrote."""
        return tuple(path for edition in self.editions for path in edition.rebuilt)

    @property
    def up_to_date(self) -> tuple[Path, ...]:
        """The files that were already up to date, left as they were."""
        return tuple(path for edition in self.editions for path in edition.up_to_date)

    @property
    def fallback_count(self) -> int:
        return sum(len(edition.fallbacks) for edition in self.editions)


@dataclass(frozen=True)
class BatchResult:
    """One statement of :func:`build_many`: its report, or the error that stopped it."""

    source: Path
    report: BuildReport | None = None
    error: StatementpubError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def default_languages(statement: Statement) -> list[str]:
    """The source language plus every language with a catalog beside the source."""
    langs = [statement.lang]
    for tag in available_catalogs(statement):
        normalized = normalize_lang(tag)
        if normalized and not any(normalized.lower() == l.lower() for l in langs):
            langs.append(normalized)
    return langs


def _has_images(statement: Statement) -> bool:
    return bool(statement.body.images) or (
        statement.publisher is not None and statement.publisher.logo is not None)


def _print_html(edition: Edition) -> str:
    page = edition.labels.page_template
    return render_edition_html(edition, flavour="print", extra_css=page_label_css(page.value))


def _roots(statement: Statement) -> list[Path]:
    return [statement.base_dir] if statement.base_dir else []


def render_edition(edition: Edition, fmt: str, alternates: Sequence[Alternate]) -> bytes:
    """One format of one edition, as bytes (no bookkeeping, no parallelism)."""
    if fmt == "html":
        return render_edition_html(edition, alternates=alternates).encode("utf-8")
    if fmt == "pdf":
        from .render.pdf import html_to_pdf

        return html_to_pdf(_print_html(edition), resource_roots=_roots(edition.statement))
    if fmt == "epub":
        from .render.epub import html_to_epub

        html = render_edition_html(edition, flavour="pandoc")
        return html_to_epub(html, edition, has_images=_has_images(edition.statement))
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


def find_sources(paths: Iterable[str | Path]) -> list[Path]:
    """Statement files from command-line arguments: a file is itself; a folder gives
    its own ``statement.md``, then every ``*/statement.md`` in it, sorted.

    :raises StatementpubError: a path does not exist, or a folder holds no statement.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = [p for p in [path / "statement.md", *sorted(path.glob("*/statement.md"))]
                      if p.is_file()]
            if not inside:
                raise StatementpubError(f"{path}: no statement.md in this folder or the "
                                        "folders in it")
            found.extend(inside)
        elif path.exists():
            found.append(path)
        else:
            raise StatementpubError(f"{path}: no such file or folder")
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path, None)
    return list(unique)


# ---- incremental bookkeeping ------------------------------------------------------------

def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hash_tree(digest: Any, root: Path, label: str) -> None:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(f"{label}/{path.relative_to(root).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())


@lru_cache(maxsize=1)
def _library_fingerprint() -> str:
    """The library as it renders: its version, its engines' versions, and the bytes of
    its code, templates, stylesheets, fonts and interface catalogs."""
    from importlib.metadata import PackageNotFoundError, version

    from .resources import locales_dir, styles_dir

    digest = hashlib.sha256()
    for name in ("statementpub", "weasyprint", "pypandoc-binary", "pydyf", "fonttools"):
        try:
            digest.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=?\0".encode())
    _hash_tree(digest, Path(__file__).resolve().parent, "package")
    for label, folder in (("styles", styles_dir), ("locales", locales_dir)):
        try:
            _hash_tree(digest, folder(), label)
        except FileNotFoundError:
            pass
    return digest.hexdigest()


def _file_hash(path: Path | None, memo: dict[Path, str]) -> str | None:
    if path is None:
        return None
    if path not in memo:
        try:
            memo[path] = _sha256(path.read_bytes())
        except OSError:
            memo[path] = "missing"
    return memo[path]


def _statement_inputs(statement: Statement, memo: dict[Path, str]) -> dict[str, Any]:
    """What every edition of ``statement`` is made from, besides its catalog."""
    if statement.path is not None and statement.path.is_file():
        source = _file_hash(statement.path, memo)
    else:  # a Statement made in memory: its value is its input
        source = _sha256(repr(statement).encode("utf-8"))
    images = sorted((src, _file_hash(path, memo))
                    for src, path in statement.body.images.items())
    logo = statement.publisher.logo.path if statement.publisher and statement.publisher.logo \
        else None
    return {"source": source, "images": images, "logo": _file_hash(logo, memo)}


def _output_key(inputs: dict[str, Any], edition: Edition, fmt: str,
                langs: Sequence[str], memo: dict[Path, str]) -> str:
    parts = {
        "library": _library_fingerprint(),
        "inputs": inputs,
        "lang": edition.lang,
        "catalog": _file_hash(edition.catalog_path, memo),
        "format": fmt,
        # the HTML edition links to the others; the PDF's fonts carry this date
        "languages": list(langs) if fmt == "html" else None,
        "epoch": os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH) if fmt == "pdf" else None,
    }
    return _sha256(json.dumps(parts, sort_keys=True).encode("utf-8"))


def _read_manifest(out: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != _MANIFEST_FORMAT:
        return {}
    outputs = data.get("outputs")
    if not isinstance(outputs, dict):
        return {}
    return {name: entry for name, entry in outputs.items()
            if isinstance(entry, dict) and isinstance(entry.get("key"), str)
            and isinstance(entry.get("sha256"), str)}


def _write_manifest(out: Path, updates: dict[str, dict[str, str]]) -> None:
    """Merge ``updates`` into the manifest (as it is on disk now) and write it atomically."""
    if not updates:
        return
    outputs = _read_manifest(out)
    outputs.update(updates)
    data = {"format": _MANIFEST_FORMAT, "outputs": dict(sorted(outputs.items()))}
    write_atomically(out / MANIFEST_NAME,
                     (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def _up_to_date(path: Path, key: str, entry: dict[str, str] | None) -> bool:
    if entry is None or entry["key"] != key:
        return False
    try:
        return _sha256(path.read_bytes()) == entry["sha256"]
    except OSError:
        return False


# ---- the plan of a build ----------------------------------------------------------------

@dataclass
class _Output:
    path: Path
    edition: Edition
    fmt: str
    key: str
    stale: bool
    data: bytes | None = None


@dataclass
class _Job:
    """One statement of a build."""

    source: Path
    statement: Statement | None = None
    editions: list[Edition] = field(default_factory=list)
    alternates: list[Alternate] = field(default_factory=list)
    outputs: list[_Output] = field(default_factory=list)
    error: StatementpubError | None = None
    #: ``strict``: the editions refused for their fallbacks (the others are written)
    refused: StrictBuildError | None = None
    pending: int = 0
    finished: bool = False
    result: BatchResult | None = None


def _alternates(job: _Job) -> list[Alternate]:
    """The language editions an HTML edition links to (made when first needed: a build
    with nothing to render needs no language names)."""
    if not job.alternates and job.statement is not None:
        slug = job.statement.slug
        job.alternates = [Alternate(e.lang, interface(e.lang).language_name(e.lang).value,
                                    f"{slug}.{e.lang}.html") for e in job.editions]
    return job.alternates


def _check_formats(formats: Iterable[str] | None) -> list[str]:
    chosen = list(dict.fromkeys(formats or FORMATS))
    for fmt in chosen:
        if fmt not in FORMATS:
            raise StatementpubError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    return chosen


def _plan(job: _Job, source: str | Path | Statement, langs: Iterable[str] | None,
          formats: list[str], out: Path, strict: bool, force: bool,
          manifest: dict[str, dict[str, str]], memo: dict[Path, str]) -> None:
    statement = source if isinstance(source, Statement) else load_statement(source)
    job.statement = statement
    requested = list(langs) if langs else default_languages(statement)
    tags: list[str] = []
    for lang in requested:
        tag = normalize_lang(lang)
        if tag is None:
            message = f"unknown language tag {lang!r} (a BCP 47 tag such as 'es' or 'es-MX')"
            raise StatementpubError(message, diagnostics=[
                Diagnostic(message, str(statement.path) if statement.path else None)])
        if not any(t.lower() == tag.lower() for t in tags):
            tags.append(tag)
    job.editions = [make_edition(statement, tag) for tag in tags]
    if strict:
        # A warning is about the source: no edition is built. A fallback is about one
        # language: that edition is refused (nothing written for it), the others are built.
        where = str(statement.path) if statement.path else None
        if statement.warnings:
            raise StrictBuildError(
                f"strict build refused: {len(statement.warnings)} warning(s)",
                diagnostics=[Diagnostic(d.message, d.path, d.line, d.column, "error", d.field)
                             for d in statement.warnings])
        problems = [Diagnostic(f"[{edition.lang}] {fb.role} not translated ({fb.reason}): "
                               f"the {edition.lang} edition is not built", where, fb.line)
                    for edition in job.editions for fb in edition.fallbacks]
        if problems:
            refused = sorted({fb_edition.lang for fb_edition in job.editions
                              if fb_edition.fallbacks})
            job.refused = StrictBuildError(
                f"strict build refused the {', '.join(refused)} edition(s): "
                f"{len(problems)} fallback(s)", diagnostics=problems)
            job.editions = [e for e in job.editions if not e.fallbacks]
    inputs = _statement_inputs(statement, memo)
    langs_built = [e.lang for e in job.editions]
    for edition in job.editions:
        for fmt in formats:
            path = out / f"{statement.slug}.{edition.lang}.{fmt}"
            key = _output_key(inputs, edition, fmt, langs_built, memo)
            stale = force or not _up_to_date(path, key, manifest.get(path.name))
            job.outputs.append(_Output(path, edition, fmt, key, stale))


# ---- progress -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Progress:
    """Where a build stands: outputs rendered of those to render, statements finished."""

    done: int
    total: int
    statements_done: int
    statements: int
    current: str


class ProgressDisplay:
    """One self-rewriting status line on a terminal (``stream``, usually stderr)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._width = 0
        self._start = time.monotonic()

    def __call__(self, progress: Progress) -> None:
        elapsed = time.monotonic() - self._start
        line = (f"[{progress.statements_done}/{progress.statements} statements, "
                f"{progress.done}/{progress.total} files, {elapsed:.1f} s] {progress.current}")
        line = line[:max(20, _terminal_width(self.stream) - 1)]
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()
        self._width = len(line)

    def clear(self) -> None:
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0


def _terminal_width(stream: TextIO) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return 80


def summary_table(results: Sequence[BatchResult]) -> str:
    """A plain-text table: statement, languages, files, fallbacks, status."""
    rows = [("statement", "languages", "files", "fallbacks", "status")]
    for result in results:
        report = result.report
        if report is None:
            # the errors themselves are printed above the table, each with its line
            count = len(result.error.lines()) if result.error else 0
            rows.append((str(result.source), "-", "-", "-",
                         f"FAILED ({count} error{'s' if count != 1 else ''})"))
            continue
        rebuilt, fresh = len(report.rebuilt), len(report.up_to_date)
        status = "built" if not fresh else "up to date" if not rebuilt else \
            f"built {rebuilt}, {fresh} up to date"
        rows.append((str(report.source), ", ".join(e.lang for e in report.editions),
                     str(len(report.files)), str(report.fallback_count), status))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths)) + "  " + row[4]
             for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths) + "  " + "-" * 6)
    failed = sum(1 for r in results if not r.ok)
    lines.append(f"{len(results) - failed} succeeded, {failed} failed")
    return "\n".join(lines)


# ---- parallel PDF rendering ---------------------------------------------------------------

_worker_cache: dict[str, Any] | None = None


def _init_worker() -> None:
    """A PDF worker: parse the stylesheets (its parent imported WeasyPrint), and remove
    the fonts folder that this makes when the worker exits."""
    global _worker_cache
    import shutil
    import signal
    from multiprocessing.util import Finalize

    from .render.pdf import font_folder, prepare

    # Ctrl-C is the parent's to handle: it stops the workers (SIGTERM), and a worker
    # stopped so still runs its finalizers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_on_signal)

    inherited = font_folder()
    prepare()
    _worker_cache = {}
    folder = font_folder()
    if folder is not None and folder != inherited:
        Finalize(None, shutil.rmtree, args=(folder, True), exitpriority=10)


def _exit_on_signal(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def _stop_workers(executor: Any) -> None:
    """Stop the workers of ``executor`` now, in the middle of their work."""
    for process in list(getattr(executor, "_processes", {}).values()):
        if process.is_alive():
            process.terminate()


def _pdf_task(html: str, roots: list[Path]) -> bytes:
    from .render.pdf import html_to_pdf

    return html_to_pdf(html, resource_roots=roots, cache=_worker_cache)


def _pool(workers: int) -> Any:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    # fork is safe in a single-threaded process (WeasyPrint starts no thread), and the
    # workers then inherit the imported WeasyPrint, the parsed stylesheets and fonts.
    context: Any
    if "fork" in methods and threading.active_count() == 1:
        context = multiprocessing.get_context("fork")
    else:
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods
                                              else "spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_init_worker)


def _cores() -> int:
    """The cores this process may run on (the default of ``jobs``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _as_render_error(exc: BaseException) -> StatementpubError:
    if isinstance(exc, StatementpubError):
        return exc
    return RenderError(f"rendering failed: {type(exc).__name__}: {exc}")


# ---- the build ------------------------------------------------------------------------------

def _run(sources: Sequence[str | Path | Statement], *, langs: Iterable[str] | None,
         formats: Iterable[str] | None, out_dir: str | Path, strict: bool,
         jobs: int | None, force: bool,
         progress: Callable[[Progress], None] | None) -> list[BatchResult]:
    chosen = _check_formats(formats)
    workers = jobs if jobs is not None else _cores()
    if workers < 1:
        raise StatementpubError(f"jobs must be at least 1, not {jobs}")
    langs = list(langs) if langs else None
    out = Path(out_dir)
    manifest = {} if force else _read_manifest(out)
    memo: dict[Path, str] = {}
    jobs_: list[_Job] = []
    for source in sources:
        path = source.path if isinstance(source, Statement) else Path(source)
        job = _Job(path or Path("<statement>"))
        jobs_.append(job)
        try:
            _plan(job, source, langs, chosen, out, strict, force, manifest, memo)
        except StatementpubError as exc:
            job.error = exc
    slugs: dict[str, Path] = {}
    for job in jobs_:
        if job.error is None and job.statement is not None:
            first = slugs.setdefault(job.statement.slug, job.source)
            if first != job.source:
                job.error = StatementpubError(
                    f"{job.source}: slug {job.statement.slug!r} is also that of {first}; "
                    "both would write the same files (set 'slug' in one of them)")
    total = sum(1 for job in jobs_ if job.error is None for o in job.outputs if o.stale)
    done = 0
    finished = 0

    def tell(current: str) -> None:
        if progress is not None:
            progress(Progress(done, total, finished, len(jobs_), current))

    def fail(job: _Job, exc: BaseException) -> None:
        if job.error is None:
            job.error = _as_render_error(exc)

    def finish(job: _Job) -> None:
        """Write a statement's files once all are rendered (or report its failure)."""
        nonlocal finished
        if job.finished:
            return
        job.finished = True
        finished += 1
        if job.error is None:
            try:
                job.result = BatchResult(job.source, report=_write(job, out))
            except OSError as exc:
                job.error = StatementpubError(f"{out}: cannot write: {exc}")
            if job.error is None and job.refused is not None:
                job.error = job.refused
        if job.error is not None:
            job.result = BatchResult(job.source, error=job.error)
        for output in job.outputs:
            output.data = None
        tell(f"{job.source}: {'failed' if job.error else 'written'}")

    def completed(job: _Job, output: _Output, data: bytes | BaseException) -> None:
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
    epub_items: list[tuple[_Job, _Output]] = []
    pdf_items: list[tuple[_Job, _Output]] = []
    html_items: list[tuple[_Job, _Output]] = []
    for job in jobs_:
        stale = [o for o in job.outputs if o.stale] if job.error is None else []
        job.pending = len(stale)
        for output in stale:
            {"epub": epub_items, "pdf": pdf_items, "html": html_items}[output.fmt].append(
                (job, output))
    for job in jobs_:
        if job.pending == 0:
            finish(job)

    batch = None
    executor = None
    try:
        # 1. pandoc first: it works on its own core while everything else is done here.
        if epub_items:
            from .render.epub import EpubBatch

            inputs = []
            for job, output in epub_items:
                try:
                    assert job.statement is not None
                    inputs.append((render_edition_html(output.edition, flavour="pandoc"),
                                   output.edition, _has_images(job.statement)))
                except Exception as exc:  # noqa: BLE001 - a renderer bug fails its statement
                    fail(job, exc)
                    inputs.append(("", output.edition, False))
            batch = EpubBatch(inputs)
        # 2. WeasyPrint, imported once; the PDF workers forked from here start parsing
        #    the stylesheets while this process renders the HTML.
        if pdf_items:
            from .render.pdf import prepare

            pooled = workers > 1 and len(pdf_items) > 1
            prepare(stylesheets=not pooled)
            if pooled:
                executor = _pool(min(workers, len(pdf_items)))
                executor.submit(int)  # forks the workers now, not at the first PDF
        # 3. the HTML editions, at once.
        for job, output in html_items:
            try:
                alternates = [a for a in _alternates(job) if a.lang != output.edition.lang]
                data: bytes | BaseException = render_edition_html(
                    output.edition, alternates=alternates).encode("utf-8")
            except Exception as exc:  # noqa: BLE001
                data = exc
            completed(job, output, data)
        # 4. the PDFs: in the worker processes when there are several and jobs allow.
        prints: list[tuple[_Job, _Output, str]] = []
        for job, output in pdf_items:
            try:
                prints.append((job, output, _print_html(output.edition)))
            except Exception as exc:  # noqa: BLE001
                completed(job, output, exc)

        def collect_epubs(wait: bool) -> None:
            nonlocal batch
            if batch is None or not (wait or batch.done()):
                return
            results = batch.results()
            batch = None
            for (job, output), data in zip(epub_items, results):
                completed(job, output, data)

        if prints:
            from .render.pdf import html_to_pdf

            if executor is not None:
                from concurrent.futures import FIRST_COMPLETED, wait

                # the longest first, so that no worker is left with a long one at the end
                order = sorted(prints, key=lambda item: -len(item[2]))
                futures = {executor.submit(_pdf_task, html, _roots(job.statement)):
                           (job, output) for job, output, html in order
                           if job.statement is not None}
                remaining = set(futures)
                while remaining:
                    ready, remaining = wait(remaining, timeout=0.05,
                                            return_when=FIRST_COMPLETED)
                    for future in ready:
                        job, output = futures[future]
                        error = future.exception()
                        completed(job, output, error if error is not None else future.result())
                    collect_epubs(wait=False)
            else:
                cache: dict[str, Any] = {}
                for job, output, html in sorted(prints, key=lambda item: -len(item[2])):
                    assert job.statement is not None
                    try:
                        data = html_to_pdf(html, resource_roots=_roots(job.statement),
                                           cache=cache)
                    except Exception as exc:  # noqa: BLE001
                        data = exc
                    completed(job, output, data)
                    collect_epubs(wait=False)
        collect_epubs(wait=True)
    except BaseException:
        if executor is not None:
            _stop_workers(executor)
        raise
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        if batch is not None:
            batch.close()
    results = []
    for job in jobs_:
        if not job.finished:  # pragma: no cover - every output completes above
            finish(job)
        assert job.result is not None
        results.append(job.result)
    return results


def _write(job: _Job, out: Path) -> BuildReport:
    """Write a statement's rendered files, update the manifest, and report."""
    statement = job.statement
    assert statement is not None
    entries = {}
    for output in job.outputs:
        if output.stale:
            assert output.data is not None
            write_atomically(output.path, output.data)
            entries[output.path.name] = {"key": output.key, "sha256": _sha256(output.data)}
    _write_manifest(out, entries)
    editions = []
    for edition in job.editions:
        mine = [o for o in job.outputs if o.edition is edition]
        editions.append(EditionReport(
            edition.lang, tuple(o.path for o in mine), edition.fallbacks, edition.catalog_path,
            rebuilt=tuple(o.path for o in mine if o.stale),
            up_to_date=tuple(o.path for o in mine if not o.stale)))
    return BuildReport(statement.path or Path("<statement>"), statement.slug, tuple(editions),
                       statement.warnings)


def build(
    source: str | Path | Statement,
    *,
    langs: Iterable[str] | None = None,
    formats: Iterable[str] | None = None,
    out_dir: str | Path = "dist",
    strict: bool = False,
    jobs: int | None = None,
    force: bool = False,
) -> BuildReport:
    """Build the editions of one statement and write them to ``out_dir``.

    :param source: the statement file, or a loaded :class:`Statement`.
    :param langs: BCP 47 tags; default the source language plus every
        language with a catalog beside the source.
    :param formats: among ``"html"``, ``"pdf"``, ``"epub"``; default all three.
    :param strict: refuse every edition when the source has warnings, and each
        edition that needs a fallback (nothing is written for it; the other
        editions are written), then raise :class:`StrictBuildError` naming them.
    :param jobs: worker processes for the PDFs (default: the number of cores);
        the output is the same whatever it is.
    :param force: render every output, even those the manifest finds up to date.
    :returns: a :class:`BuildReport`; ``rebuilt`` and ``up_to_date`` say which
        files were rendered.
    :raises StatementError: the source breaks the format.
    :raises CatalogError, InterfaceLanguageError: a language cannot be made.
    :raises StrictBuildError: ``strict`` and a fallback or warning was found.
    :raises RenderError: an engine failed.
    """
    (result,) = _run([source], langs=langs, formats=formats, out_dir=out_dir, strict=strict,
                     jobs=jobs, force=force, progress=None)
    if result.error is not None:
        raise result.error
    assert result.report is not None
    return result.report


def build_many(
    sources: Sequence[str | Path | Statement],
    *,
    langs: Iterable[str] | None = None,
    formats: Iterable[str] | None = None,
    out_dir: str | Path = "dist",
    strict: bool = False,
    jobs: int | None = None,
    force: bool = False,
    progress: Callable[[Progress], None] | None = None,
) -> list[BatchResult]:
    """Build several statements into one folder, as :func:`build` does each; a statement
    that fails does not stop the others. The PDFs of all the statements share the
    worker processes, the EPUBs one pandoc process.

    :param progress: called with a :class:`Progress` as outputs and statements finish.
    :returns: one :class:`BatchResult` per source, in the order given.
    """
    return _run(list(sources), langs=langs, formats=formats, out_dir=out_dir, strict=strict,
                jobs=jobs, force=force, progress=progress)


def describe(report: BuildReport) -> list[str]:
    """What the command line says about one statement's build."""
    lines = [str(warning) for warning in report.warnings]
    for edition in report.editions:
        for fb in edition.fallbacks:
            lines.append(f"{report.source.name}:{fb.line}: note: [{edition.lang}] {fb.role} "
                         f"shown in the source language: {fb.reason}")
    for edition in report.editions:
        count = len(edition.fallbacks)
        state = f"{count} unit{'s' if count != 1 else ''} fell back to the source language" \
            if count else "fully translated"
        parts = []
        if edition.rebuilt:
            parts.append("wrote " + ", ".join(str(p) for p in edition.rebuilt))
        if edition.up_to_date:
            parts.append("up to date: " + ", ".join(str(p) for p in edition.up_to_date))
        lines.append(f"{edition.lang}: {state}; {'; '.join(parts)}")
    return lines


def run_command(sources: Sequence[Path], *, langs: Iterable[str] | None,
                formats: Iterable[str] | None, out_dir: Path, strict: bool,
                jobs: int | None, force: bool, quiet: bool, stream: TextIO) -> int:
    """``statementpub build``: build every statement, show progress on a terminal, print
    errors, notes and a summary table; 1 if any statement failed."""
    try:
        paths = find_sources(sources)
    except StatementpubError as exc:
        for line in exc.lines():
            print(line, file=stream)
        return 1
    display = ProgressDisplay(stream) if not quiet and _isatty(stream) else None
    try:
        results = build_many(paths, langs=langs, formats=formats, out_dir=out_dir,
                             strict=strict, jobs=jobs, force=force, progress=display)
    except StatementpubError as exc:
        if display:
            display.clear()
        for line in exc.lines():
            print(line, file=stream)
        return 1
    except KeyboardInterrupt:
        if display:
            display.clear()
        print("interrupted: previous outputs are intact", file=stream)
        return 130
    if display:
        display.clear()
    for result in results:
        if result.error is not None:
            for line in result.error.lines():
                print(line, file=stream)
        elif not quiet and result.report is not None:
            for line in describe(result.report):
                print(line, file=stream)
    if not quiet and len(results) > 1:
        print(summary_table(results), file=stream)
    return 0 if all(r.ok for r in results) else 1


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False

