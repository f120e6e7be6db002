"""``build()``: a statement source in, its editions written to a folder.

For each language and format asked for, writes ``<out>/<slug>.<lang>.<ext>``.
Every output of a statement is rendered in memory first and only then
written, each to a temporary file in the output folder renamed into place, so
a failure (bad input, a renderer crash, Ctrl-C) leaves the previous outputs
intact and nothing half-written.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .catalogs import available_catalogs
from .edition import Edition, Fallback, make_edition
from .errors import Diagnostic, StatementpubError, StrictBuildError
from .i18n import interface
from .loader import load_statement, normalize_lang
from .model import Statement
from .render.epub import html_to_epub
from .render.html import Alternate, render_edition_html
from .render.labels import labels
from .render.pdf import html_to_pdf, page_label_css

__all__ = ["FORMATS", "BuildReport", "EditionReport", "build", "default_languages",
           "render_edition", "write_atomically"]

#: Output formats, in the order they are written.
FORMATS: tuple[str, ...] = ("html", "pdf", "epub")


@dataclass(frozen=True)
class EditionReport:
    """What was made for one language."""

    lang: str
    files: tuple[Path, ...]
    fallbacks: tuple[Fallback, ...]
    catalog: Path | None


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
    def fallback_count(self) -> int:
        return sum(len(edition.fallbacks) for edition in self.editions)


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


def render_edition(edition: Edition, fmt: str, alternates: Sequence[Alternate]) -> bytes:
    """One format of one edition, as bytes."""
    if fmt == "html":
        return render_edition_html(edition, alternates=alternates).encode("utf-8")
    if fmt == "pdf":
        page = labels(edition).page_template
        html = render_edition_html(edition, flavour="print",
                                   extra_css=page_label_css(page.value))
        roots = [edition.statement.base_dir] if edition.statement.base_dir else []
        return html_to_pdf(html, resource_roots=roots)
    if fmt == "epub":
        html = render_edition_html(edition, flavour="pandoc")
        return html_to_epub(html, edition, has_images=_has_images(edition.statement))
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


def build(
    source: str | Path | Statement,
    *,
    langs: Iterable[str] | None = None,
    formats: Iterable[str] | None = None,
    out_dir: str | Path = "dist",
    strict: bool = False,
) -> BuildReport:
    """Build the editions of one statement and write them to ``out_dir``.

    :param source: the statement file, or a loaded :class:`Statement`.
    :param langs: BCP 47 tags; default the source language plus every
        language with a catalog beside the source.
    :param formats: among ``"html"``, ``"pdf"``, ``"epub"``; default all three.
    :param strict: refuse (raise :class:`StrictBuildError`, write nothing) when
        an edition needs a fallback or the source has warnings.
    :returns: a :class:`BuildReport`.
    :raises StatementError: the source breaks the format.
    :raises CatalogError, InterfaceLanguageError: a language cannot be made.
    :raises StrictBuildError: ``strict`` and a fallback or warning was found.
    :raises RenderError: an engine failed.
    """
    statement = source if isinstance(source, Statement) else load_statement(source)
    chosen_formats = list(dict.fromkeys(formats or FORMATS))
    for fmt in chosen_formats:
        if fmt not in FORMATS:
            raise StatementpubError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    requested = list(langs) if langs else default_languages(statement)
    tags: list[str] = []
    for lang in requested:
        tag = normalize_lang(lang)
        if tag is None:
            raise StatementpubError(f"unknown language tag {lang!r}")
        if not any(t.lower() == tag.lower() for t in tags):
            tags.append(tag)
    editions = [make_edition(statement, tag) for tag in tags]
    if strict:
        problems: list[Diagnostic] = list(statement.warnings)
        for edition in editions:
            for fb in edition.fallbacks:
                problems.append(Diagnostic(
                    f"[{edition.lang}] {fb.role} not translated: {fb.reason}",
                    statement.display_path if statement.path else None, fb.line))
        if problems:
            error = StrictBuildError(
                f"strict build refused: {len(problems)} fallback(s) or warning(s)",
                diagnostics=[Diagnostic(d.message, d.path, d.line, d.column, "error", d.field)
                             for d in problems])
            raise error
    out = Path(out_dir)
    alternates_all = [Alternate(e.lang, interface(e.lang).language_name(e.lang).value,
                                f"{statement.slug}.{e.lang}.html") for e in editions]
    outputs: list[tuple[Path, bytes]] = []
    reports: list[EditionReport] = []
    for edition in editions:
        alternates = [a for a in alternates_all if a.lang != edition.lang]
        files = []
        for fmt in chosen_formats:
            path = out / f"{statement.slug}.{edition.lang}.{fmt}"
            outputs.append((path, render_edition(edition, fmt, alternates)))
            files.append(path)
        reports.append(EditionReport(edition.lang, tuple(files), edition.fallbacks,
                                     edition.catalog_path))
    for path, data in outputs:
        write_atomically(path, data)
    return BuildReport(statement.path or Path("<statement>"), statement.slug, tuple(reports),
                       statement.warnings)

