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
from .errors import EpubRenderError, HtmlRenderError, OptionsError
from .model import Statement
from .options import check_interface_catalogs, language_tag
from .render.deadline import pdf_within
from .render.formats import (
    epub_html,
    has_images,
    print_html,
    render_format,
    resource_roots,
    wrap_failure,
)
from .render.html import Alternate, render_edition_html

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
) -> str:
    """The HTML edition of ``statement`` in ``lang`` (default: the source language).

    :param catalog: the statement catalog (``polib.POFile`` or path) for a
        language other than the source's; looked up beside the source if ``None``.
    :param alternates: other language editions to link to (``hreflang``).
    :param interface_catalogs: a folder of interface catalogs looked in before
        statementpub's own. Interface texts that neither has for ``lang`` are
        shown in the source language (or English) and marked with it
        (:attr:`Edition.interface_fallbacks` lists them).
    :returns: one self-contained HTML5 document (CSS, fonts and images inlined),
        meeting WCAG 2.2 AA as checked by axe-core.
    :raises LanguageTagError: ``lang`` is not a valid BCP 47 tag.
    :raises CatalogError: the catalog is missing or malformed.
    :raises OptionsError: ``interface_catalogs`` is not a folder.
    :raises HtmlRenderError: a template failed.
    """
    edition = edition_of(statement, lang, catalog, interface_catalogs=interface_catalogs)
    return wrap_failure(HtmlRenderError, "rendering failed", lambda: render_edition_html(
        edition, alternates=alternates, flavour="html"))


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
) -> bytes:
    """The PDF edition (PDF/UA-1, ISO 14289-1) of ``statement`` in ``lang``.

    Page size A4 with margins in points set by ``styles/print.css``; page
    numbers are artifacts.

    :param timeout: a time limit in seconds. With one, WeasyPrint runs in a
        process of its own (about a second more), which is stopped when the
        time is up; without one, in the calling thread.
    :raises: what :func:`render_html` raises; :class:`PdfRenderError` when
        WeasyPrint fails or is not the version the PDF tagger supports;
        :class:`RenderTimeoutError` when ``timeout`` passed;
        :class:`OptionsError` for a ``timeout`` that is not above 0.
    """
    limit = _check_timeout(timeout)
    edition = edition_of(statement, lang, catalog, interface_catalogs=interface_catalogs)
    if limit is None:
        return render_format(edition, "pdf")
    return pdf_within(print_html(edition), resource_roots(edition.statement), limit)


def render_epub(
    statement: Statement | Edition,
    lang: str | None = None,
    *,
    catalog: CatalogLike = None,
    timeout: float | None = None,
    interface_catalogs: str | Path | None = None,
) -> bytes:
    """The EPUB 3 edition of ``statement`` in ``lang``, with EPUB Accessibility 1.1
    metadata.

    :param timeout: a time limit in seconds for pandoc (default 120 s), which
        is killed when the time is up.
    :raises: what :func:`render_html` raises; :class:`EpubRenderError` when
        pandoc fails; :class:`RenderTimeoutError` when ``timeout`` passed;
        :class:`OptionsError` for a ``timeout`` that is not above 0.
    """
    limit = _check_timeout(timeout)
    edition = edition_of(statement, lang, catalog, interface_catalogs=interface_catalogs)
    if limit is None:
        return render_format(edition, "epub")
    from .render.epub import html_to_epub

    html = epub_html(edition)
    return wrap_failure(EpubRenderError, "rendering failed", lambda: html_to_epub(
        html, edition, has_images=has_images(edition.statement), timeout=limit))
