"""Planning: for each statement of a build, its editions and the outputs to make
(``<out>/<slug>.<lang>.<ext>``), each marked stale or up to date by the manifest,
and what ``strict`` refuses."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..edition import Edition, make_edition
from ..errors import BuildError, Diagnostic, StatementpubError, StrictBuildError
from ..i18n import interface
from ..loader import load_statement
from ..model import Statement
from ..options import language_tags
from ..render.html import Alternate
from .manifest import output_key, statement_inputs, up_to_date
from .reports import BatchResult, InProgress
from .sources import default_languages

__all__ = ["MAX_FILE_NAME_BYTES", "Job", "Output", "alternates", "plan"]

#: The longest output file name (bytes): the limit of common file systems (ext4, XFS,
#: tmpfs, APFS, NTFS in characters).
MAX_FILE_NAME_BYTES = 255


@dataclass
class Output:
    """One file to make: where, of which edition and format, its manifest key, whether
    it must be rendered (``stale``), and its bytes once rendered."""

    path: Path
    edition: Edition
    fmt: str
    key: str
    stale: bool
    data: bytes | None = None


@dataclass
class Job:
    """One statement of a build."""

    source: Path
    statement: Statement | None = None
    editions: list[Edition] = field(default_factory=list)
    alternates: list[Alternate] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    error: StatementpubError | None = None
    #: ``strict``: the editions refused for their fallbacks (the others are written)
    refused: StrictBuildError | None = None
    #: catalogs found beside the source below the publishing threshold (not built)
    in_progress: list[InProgress] = field(default_factory=list)
    #: the threshold the build applied, in percent of the words
    min_coverage: float = 0.0
    #: the languages named by the caller (built whatever their coverage)
    requested: bool = False
    interface_catalogs: Path | None = None
    #: ``strict``: the refused editions themselves, reported with no files
    refused_editions: list[Edition] = field(default_factory=list)
    #: the request hash when this statement's build may be recorded for unchanged
    #: rebuilds (statementpub.build.uptodate), the files it read with their hashes, the
    #: catalogs found beside it and the interface catalogs' hash, taken before reading
    request: str | None = None
    inputs: dict[str, str] = field(default_factory=dict)
    scan: list[str] = field(default_factory=list)
    interface: str | None = None
    pending: int = 0
    finished: bool = False
    result: BatchResult | None = None


def alternates(job: Job) -> list[Alternate]:
    """The language editions an HTML edition links to (made when first needed: a build
    with nothing to render needs no language names)."""
    if not job.alternates and job.statement is not None:
        slug = job.statement.slug
        job.alternates = []
        for e in job.editions:
            name = interface(e.lang, catalogs=job.interface_catalogs).language_name(e.lang)
            job.alternates.append(Alternate(e.lang, name.value, f"{slug}.{e.lang}.html",
                                            name.lang))
    return job.alternates


def plan(job: Job, source: str | Path | Statement, langs: Sequence[str] | None,
         formats: Sequence[str], out: Path, strict: bool, force: bool,
         manifest: dict[str, dict[str, str]], memo: dict[Path, str],
         stage: Callable[[str], None] | None = None, *,
         min_coverage: float = 0.0, interface_catalogs: Path | None = None) -> None:
    """Load ``source`` into ``job``, make its editions and list its outputs (``stage`` is
    told ``loaded`` and ``editions``, see :func:`~statementpub.build.build_many`).

    A catalog found beside the source (``langs`` empty) whose coverage is below
    ``min_coverage`` percent of the words is a translation in progress: it goes
    to ``job.in_progress`` instead of ``job.editions`` (nothing is written for
    it and no edition links to it). A language in ``langs`` is always built.

    :raises StatementError: the source breaks the format.
    :raises LanguageTagError: one of ``langs`` is not a BCP 47 tag.
    :raises CatalogError, InterfaceLanguageError: an edition cannot be made.
    :raises StrictBuildError: ``strict`` and the source has warnings.
    :raises BuildError: an output's file name would be too long for the file system.
    """
    statement = source if isinstance(source, Statement) else load_statement(source)
    job.statement = statement
    if stage is not None:
        stage("loaded")
    requested = list(langs) if langs else default_languages(statement)
    tags = language_tags(requested, path=statement.path)
    job.requested = bool(langs)
    job.min_coverage = min_coverage
    job.interface_catalogs = interface_catalogs
    editions = [make_edition(statement, tag, interface_catalogs=interface_catalogs)
                for tag in tags]
    job.editions = []
    for edition in editions:
        if not job.requested and edition.coverage is not None and \
                edition.coverage.below(min_coverage):
            job.in_progress.append(InProgress(edition.lang, edition.catalog_path,
                                              edition.coverage))
        else:
            job.editions.append(edition)
    if stage is not None:
        stage("editions")
    if strict:
        # A warning is about the source: no edition is built. A fallback is about one
        # language: that edition is refused (nothing written for it), the others are built.
        where = str(statement.path) if statement.path else None
        if statement.warnings:
            raise StrictBuildError(
                f"strict build refused: {len(statement.warnings)} warning(s)",
                diagnostics=[Diagnostic(d.message, d.path, d.line, d.column, "error", d.field)
                             for d in statement.warnings])
        problems = [Diagnostic(f"[{edition.lang}] {fb.role}: {fb.reason}; "
                               f"the {edition.lang} edition is not built", where, fb.line)
                    for edition in job.editions for fb in edition.fallbacks]
        problems += [Diagnostic(f"[{edition.lang}] {item.what} shown in {item.lang} "
                                f"({item.reason}): the {edition.lang} edition is not built",
                                where, 0)
                     for edition in job.editions
                     for item in dict.fromkeys(edition.interface_fallbacks)]
        if problems:
            refused = sorted({fb_edition.lang for fb_edition in job.editions
                              if fb_edition.fallbacks or fb_edition.interface_fallbacks})
            passages = sum(len(edition.fallbacks) for edition in job.editions)
            counts = [f"{passages} passage(s) in the source language"] if passages else []
            if len(problems) > passages:
                counts.append(f"{len(problems) - passages} interface string(s) "
                              "in a fallback language")
            job.refused = StrictBuildError(
                f"strict build refused the {', '.join(refused)} edition(s): "
                f"{', '.join(counts)}", diagnostics=problems)
            job.refused_editions = [e for e in job.editions
                                    if e.fallbacks or e.interface_fallbacks]
            job.editions = [e for e in job.editions
                            if not e.fallbacks and not e.interface_fallbacks]
    inputs = statement_inputs(statement, memo)
    if job.request is not None:
        _read_files(job, statement, editions, memo)
    langs_built = [e.lang for e in job.editions]
    for edition in job.editions:
        for fmt in formats:
            path = out / f"{statement.slug}.{edition.lang}.{fmt}"
            if len(os.fsencode(path.name)) > MAX_FILE_NAME_BYTES:
                raise BuildError(
                    f"{statement.path or '<statement>'}: the file name {path.name!r} is "
                    f"longer than {MAX_FILE_NAME_BYTES} bytes: set a shorter 'slug'")
            key = output_key(inputs, edition, fmt, langs_built, memo)
            stale = force or not up_to_date(path, key, manifest.get(path.name))
            job.outputs.append(Output(path, edition, fmt, key, stale))


def _read_files(job: Job, statement: Statement, editions: Sequence[Edition],
                memo: dict[Path, str]) -> None:
    """Fill ``job.inputs`` with every file the build read and the hash of the bytes read;
    a statement whose inputs cannot all be named so is not recorded (``job.request``
    cleared)."""
    if statement.path is None or statement.source_sha256 is None \
            or statement.signatories_source is not None:
        job.request = None
        return
    read = {str(statement.path.resolve()): statement.source_sha256}
    for edition in editions:
        if edition.catalog_path is not None:
            if edition.catalog_sha256 is None:
                job.request = None
                return
            read[str(edition.catalog_path.resolve())] = edition.catalog_sha256
    files = list(statement.body.images.values())
    if statement.publisher and statement.publisher.logo:
        files.append(statement.publisher.logo.path)
    for path in files:
        digest = memo.get(path)
        if digest is None or digest == "missing":
            job.request = None
            return
        read[str(Path(path).resolve())] = digest
    job.inputs = read
