"""The rendering API: a statement (or an edition) in, one output format out.

These functions write nothing, and what they keep between calls (editions,
parsed catalogs: :mod:`statementpub.memo`) is keyed on the identity and bytes
of every file it came from, so it never changes a result; a web service may
call them from several threads. They do not depend on the build
orchestrator (:mod:`statementpub.build`), which depends on them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TypeAlias

import polib

from .edition import Edition, make_edition
from .edition.glyphs import check_glyphs
from .errors import OptionsError
from .fonts import font_set
from .model import Statement
from .options import check_interface_catalogs, language_tag
from .render.deadline import pdf_within
from .render.formats import font_roots, print_html, render_format, resource_roots
from .render.html import Alternate

__all__ = ["Alternate", "CatalogLike", "edition_of", "render_epub", "render_html",
           "render_pdf"]

#: A statement catalog: a parsed ``polib.POFile``, the path of a ``.po`` file, or
#: ``None`` (looked up beside the source).
CatalogLike: TypeAlias = polib.POFile | str | Path | None


def edition_of(source: Statement | Edition, lang: str | None = None,
               catalog: CatalogLike = None, *,
               interface_catalogs: str | Path | None = None) -> Edition:
    """The edition to render: ``source`` itself if it is one, else made from the
    statement in ``lang`` (default: the statement's language).

    :param interface_catalogs: a folder of interface catalogs looked in before
        statementpub's own (``<tag>.po`` or ``<tag>/LC_MESSAGES/statementpub.po``).
    :raises LanguageTagError: ``lang`` is not a valid BCP 47 tag.
    :raises CatalogError: the catalog is missing or malformed.
    :raises OptionsError: ``interface_catalogs`` is not a folder.
    """
    if isinstance(source, Edition):
        return source
    tag = source.lang if lang is None else language_tag(lang, path=source.path)
    return make_edition(source, tag, catalog,
                        interface_catalogs=check_interface_catalogs(interface_catalogs))


def render_html(
    statement: Statement | Edition,
    lang: str | None = None,
    *,
    catalog: CatalogLike = None,
    alternates: Sequence[Alternate] = (),
    interface_catalogs: str | Path | None = None,
    fonts: Sequence[str | Path] = (),
) -> str:
    """The HTML edition of ``statement`` in ``lang`` (default: the source language).

    :param catalog: the statement catalog (``polib.POFile`` or path) for a
        language other than the source's; looked up beside the source if ``None``.
    :param alternates: other language editions to link to (``hreflang``).
    :param interface_catalogs: a folder of interface catalogs looked in before
        statementpub's own. Interface texts that neither has for ``lang`` are
        shown in the source language (or English) and marked with it
        (:attr:`Edition.interface_fallbacks` lists them).
    :param fonts: font files (TrueType, OpenType, WOFF, WOFF2) for characters no
        shipped font has (CJK, other scripts); they come last in every font stack.
    :returns: one self-contained HTML5 document (CSS, fonts and images inlined),
        meeting WCAG 2.2 AA as checked by axe-core.
    :raises LanguageTagError: ``lang`` is not a valid BCP 47 tag.
    :raises CatalogError: the catalog is missing or malformed.
    :raises OptionsError: ``interface_catalogs`` is not a folder; a font file is
        missing or is not a font.
    :raises FontCoverageError: a character is in no shipped font and none of
        ``fonts`` (one diagnostic per character, with its line).
    :raises HtmlRenderError: a template failed.
    """
    edition = edition_of(statement, lang, catalog, interface_catalogs=interface_catalogs)
    return render_format(edition, "html", alternates, font_set(fonts)).decode("utf-8")


def _check_timeout(timeout: float | None) -> float | None:
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise OptionsError(f"timeout must be a number of seconds above 0, not {timeout!r}")
    return float(timeout)


def render_pdf(
    statement: Statement | Edition,
    lang: str | None = None,
    *,
    catalog: CatalogLike = None,
    timeout: float | None = None,
    interface_catalogs: str | Path | None = None,
    fonts: Sequence[str | Path] = (),
) -> bytes:
    """The PDF edition (PDF/UA-1, ISO 14289-1) of ``statement`` in ``lang``.

    Page size A4 with margins in points set by ``styles/print.css``; page
    numbers are artifacts; no glyph is ever drawn as ``.notdef`` nor taken from a
    system font.

    :param timeout: a time limit in seconds. With one, WeasyPrint runs in a
        process of its own (about a second more), which is stopped when the
        time is up; without one, in the calling thread.
    :param fonts: as for :func:`render_html`.
    :raises: what :func:`render_html` raises; :class:`PdfRenderError` when
        WeasyPrint fails or is not the version the PDF tagger supports;
        :class:`RenderTimeoutError` when ``timeout`` passed;
        :class:`OptionsError` for a ``timeout`` that is not above 0.
    """
    limit = _check_timeout(timeout)
    edition = edition_of(statement, lang, catalog, interface_catalogs=interface_catalogs)
    chosen = font_set(fonts)
    if limit is None:
        return render_format(edition, "pdf", fonts=chosen)
    check_glyphs(edition, chosen)
    return pdf_within(print_html(edition, chosen),
                      resource_roots(edition.statement) + font_roots(chosen), limit)


def render_epub(
    statement: Statement | Edition,
    lang: str | None = None,
    *,
    catalog: CatalogLike = None,
    timeout: float | None = None,
    interface_catalogs: str | Path | None = None,
    fonts: Sequence[str | Path] = (),
) -> bytes:
    """The EPUB 3 edition of ``statement`` in ``lang``, with EPUB Accessibility 1.1
    metadata.

    :param timeout: a time limit in seconds for pandoc (default 120 s), which
        is killed when the time is up.
    :param fonts: as for :func:`render_html` (embedded in the EPUB).
    :raises: what :func:`render_html` raises; :class:`EpubRenderError` when
        pandoc fails; :class:`RenderTimeoutError` when ``timeout`` passed;
        :class:`OptionsError` for a ``timeout`` that is not above 0.
    """
    limit = _check_timeout(timeout)
    edition = edition_of(statement, lang, catalog, interface_catalogs=interface_catalogs)
    return render_format(edition, "epub", fonts=font_set(fonts), timeout=limit)
