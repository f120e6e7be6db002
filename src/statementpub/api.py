"""The rendering API: a statement (or an edition) in, one output format out.

These functions write nothing and keep no state between calls, so a web
service may call them from several threads. They do not depend on the build
orchestrator (:mod:`statementpub.build`), which depends on them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TypeAlias

import polib

from .edition import Edition, make_edition
from .fonts import font_set
from .model import Statement
from .options import language_tag
from .render.formats import render_format
from .render.html import Alternate

__all__ = ["Alternate", "CatalogLike", "edition_of", "render_epub", "render_html",
           "render_pdf"]

#: A statement catalog: a parsed ``polib.POFile``, the path of a ``.po`` file, or
#: ``None`` (looked up beside the source).
CatalogLike: TypeAlias = polib.POFile | str | Path | None


def edition_of(source: Statement | Edition, lang: str | None = None,
               catalog: CatalogLike = None) -> Edition:
    """The edition to render: ``source`` itself if it is one, else made from the
    statement in ``lang`` (default: the statement's language).

    :raises LanguageTagError: ``lang`` is not a BCP 47 tag.
    :raises CatalogError: the catalog is missing or malformed.
    :raises InterfaceLanguageError: no interface catalog for ``lang``.
    """
    if isinstance(source, Edition):
        return source
    tag = source.lang if lang is None else language_tag(lang, path=source.path)
    return make_edition(source, tag, catalog)


def render_html(
    statement: Statement | Edition,
    lang: str | None = None,
    *,
    catalog: CatalogLike = None,
    alternates: Sequence[Alternate] = (),
    fonts: Sequence[str | Path] = (),
) -> str:
    """The HTML edition of ``statement`` in ``lang`` (default: the source language).

    :param catalog: the statement catalog (``polib.POFile`` or path) for a
        language other than the source's; looked up beside the source if ``None``.
    :param alternates: other language editions to link to (``hreflang``).
    :param fonts: font files (TrueType, OpenType, WOFF, WOFF2) for characters no
        shipped font has (CJK, other scripts); they come last in every font stack.
    :returns: one self-contained HTML5 document (CSS, fonts and images inlined),
        meeting WCAG 2.2 AA as checked by axe-core.
    :raises LanguageTagError: ``lang`` is not a BCP 47 tag.
    :raises CatalogError: the catalog is missing or malformed.
    :raises InterfaceLanguageError: no interface catalog for ``lang``.
    :raises OptionsError: a font file is missing or is not a font.
    :raises FontCoverageError: a character is in no shipped font and none of
        ``fonts`` (one diagnostic per character, with its line).
    :raises HtmlRenderError: a template failed.
    """
    edition = edition_of(statement, lang, catalog)
    return render_format(edition, "html", alternates, font_set(fonts)).decode("utf-8")


def render_pdf(
    statement: Statement | Edition,
    lang: str | None = None,
    *,
    catalog: CatalogLike = None,
    fonts: Sequence[str | Path] = (),
) -> bytes:
    """The PDF edition (PDF/UA-1, ISO 14289-1) of ``statement`` in ``lang``.

    Page size A4 with margins in points set by ``styles/print.css``; page
    numbers are artifacts. Raises what :func:`render_html` raises, and
    :class:`PdfRenderError` when WeasyPrint fails or is not the version the
    PDF tagger supports. ``fonts`` as for :func:`render_html`; no glyph is ever
    drawn as ``.notdef`` nor taken from a system font.
    """
    return render_format(edition_of(statement, lang, catalog), "pdf", fonts=font_set(fonts))


def render_epub(
    statement: Statement | Edition,
    lang: str | None = None,
    *,
    catalog: CatalogLike = None,
    fonts: Sequence[str | Path] = (),
) -> bytes:
    """The EPUB 3 edition of ``statement`` in ``lang``, with EPUB Accessibility 1.1
    metadata. Raises what :func:`render_html` raises, and :class:`EpubRenderError`
    when pandoc fails. ``fonts`` as for :func:`render_html` (embedded in the EPUB)."""
    return render_format(edition_of(statement, lang, catalog), "epub", fonts=font_set(fonts))
