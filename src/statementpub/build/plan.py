"""Planning: for each statement of a build, its editions and the outputs to make
(``<out>/<slug>.<lang>.<ext>``), each marked stale or up to date by the manifest,
and what ``strict`` refuses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..edition import Edition, make_edition
from ..errors import Diagnostic, StatementpubError, StrictBuildError
from ..i18n import interface
from ..loader import load_statement
from ..model import Statement
from ..options import language_tags
from ..render.html import Alternate
from .manifest import output_key, statement_inputs, up_to_date
from .reports import BatchResult
from .sources import default_languages

__all__ = ["Job", "Output", "alternates", "plan"]


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
    refused_editions: list[Edition] = field(default_factory=list)
    pending: int = 0
    finished: bool = False
    result: BatchResult | None = None


def alternates(job: Job) -> list[Alternate]:
    """The language editions an HTML edition links to (made when first needed: a build
    with nothing to render needs no language names)."""
    if not job.alternates and job.statement is not None:
        slug = job.statement.slug
        job.alternates = [Alternate(e.lang, interface(e.lang).language_name(e.lang).value,
                                    f"{slug}.{e.lang}.html") for e in job.editions]
    return job.alternates


def plan(job: Job, source: str | Path | Statement, langs: Sequence[str] | None,
         formats: Sequence[str], out: Path, strict: bool, force: bool,
         manifest: dict[str, dict[str, str]], memo: dict[Path, str]) -> None:
    """Load ``source`` into ``job``, make its editions and list its outputs.

    :raises StatementError: the source breaks the format.
    :raises LanguageTagError: one of ``langs`` is not a BCP 47 tag.
    :raises CatalogError, InterfaceLanguageError: an edition cannot be made.
    :raises StrictBuildError: ``strict`` and the source has warnings.
    """
    statement = source if isinstance(source, Statement) else load_statement(source)
    job.statement = statement
    requested = list(langs) if langs else default_languages(statement)
    tags = language_tags(requested, path=statement.path)
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
        problems = [Diagnostic(f"[{edition.lang}] {fb.role}: {fb.reason}; "
                               f"the {edition.lang} edition is not built", where, fb.line)
                    for edition in job.editions for fb in edition.fallbacks]
        if problems:
            refused = sorted({fb_edition.lang for fb_edition in job.editions
                              if fb_edition.fallbacks})
            job.refused = StrictBuildError(
                f"strict build refused the {', '.join(refused)} edition(s): "
                f"{len(problems)} passage(s) in the source language", diagnostics=problems)
            job.refused_editions = [e for e in job.editions if e.fallbacks]
            job.editions = [e for e in job.editions if not e.fallbacks]
    inputs = statement_inputs(statement, memo)
    langs_built = [e.lang for e in job.editions]
    for edition in job.editions:
        for fmt in formats:
            path = out / f"{statement.slug}.{edition.lang}.{fmt}"
            key = output_key(inputs, edition, fmt, langs_built, memo)
            stale = force or not up_to_date(path, key, manifest.get(path.name))
            job.outputs.append(Output(path, edition, fmt, key, stale))
