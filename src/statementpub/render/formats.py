"""An edition in one output format, as bytes: the step the API and the build share.

The one place that knows which renderer makes which format and which flavour
of HTML it starts from (the screen HTML, the print HTML WeasyPrint lays out,
the pandoc HTML the EPUB is made from), and where the failures of each are
wrapped, ``from`` the original exception:

* HTML: :class:`~statementpub.errors.HtmlRenderError`;
* PDF: :class:`~statementpub.errors.PdfRenderError` (also when the installed
  WeasyPrint is not the one the PDF tagger patches);
* EPUB: :class:`~statementpub.errors.EpubRenderError`.

An unknown format is an :class:`~statementpub.errors.OptionsError`. Nothing
here writes a file or keeps state between calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..edition import Edition
from ..edition.glyphs import check_glyphs
from ..errors import (
    EpubRenderError,
    HtmlRenderError,
    PdfRenderError,
    wrap_failure,
)
from ..fonts import FontSet, font_set
from ..model import Statement
from ..options import check_formats
from .html import Alternate, render_edition_html

__all__ = ["epub_html", "font_roots", "has_images", "html_bytes", "pdf_bytes", "print_html",
           "render_format", "resource_roots", "wrap_failure"]

def has_images(statement: Statement) -> bool:
    """Whether the statement's editions carry images (its own, or the publisher's logo)."""
    return bool(statement.body.images) or (
        statement.publisher is not None and statement.publisher.logo is not None)


def resource_roots(statement: Statement) -> list[Path]:
    """The folders a renderer may read files from for ``statement``: the source's."""
    return [statement.base_dir] if statement.base_dir else []


def font_roots(fonts: FontSet | None) -> list[Path]:
    """The folders of the user's font files (WeasyPrint may read them)."""
    return sorted({face.path.parent for face in fonts.user}) if fonts is not None else []


def html_bytes(edition: Edition, alternates: Sequence[Alternate] = (),
               fonts: FontSet | None = None) -> bytes:
    """The screen HTML edition, UTF-8. :raises HtmlRenderError:"""
    return wrap_failure(HtmlRenderError, "rendering failed", lambda: render_edition_html(
        edition, alternates=alternates, flavour="html", fonts=fonts).encode("utf-8"))


def print_html(edition: Edition, fonts: FontSet | None = None) -> str:
    """The print-flavour HTML WeasyPrint lays out, with the page-number label of the
    edition's language. :raises HtmlRenderError:"""
    from .pdf import page_label_css

    def make() -> str:
        page = edition.labels.page_template
        return render_edition_html(edition, flavour="print", fonts=fonts,
                                   extra_css=page_label_css(page.value,
                                                            edition.title.value))

    return wrap_failure(HtmlRenderError, "rendering failed", make)


def epub_html(edition: Edition) -> str:
    """The pandoc-flavour HTML the EPUB is made from. :raises HtmlRenderError:"""
    return wrap_failure(HtmlRenderError, "rendering failed",
                        lambda: render_edition_html(edition, flavour="pandoc"))


def pdf_bytes(html: str, roots: Iterable[Path], *, cache: dict[str, Any] | None = None) -> bytes:
    """PDF/UA-1 bytes of print HTML. :raises PdfRenderError:"""
    from .pdf import html_to_pdf

    return wrap_failure(PdfRenderError, "WeasyPrint could not render the PDF",
                        lambda: html_to_pdf(html, resource_roots=list(roots), cache=cache))


def render_format(edition: Edition, fmt: str, alternates: Sequence[Alternate] = (),
                  fonts: FontSet | None = None, *, timeout: float | None = None) -> bytes:
    """One format of one edition, as bytes (no files, no parallelism).

    :param fmt: ``"html"``, ``"pdf"`` or ``"epub"``.
    :param alternates: for HTML, the other language editions to link to.
    :param fonts: the shipped fonts and the user's (default: shipped only).
    :param timeout: for the EPUB, a time limit in seconds, then pandoc is killed
        (a PDF under a time limit: :func:`statementpub.render.deadline.pdf_within`).
    :raises OptionsError: an unknown format.
    :raises RenderTimeoutError: ``timeout`` passed.
    :raises FontCoverageError: a character of the edition is in no font.
    :raises HtmlRenderError, PdfRenderError, EpubRenderError: a renderer failed.
    """
    check_formats([fmt])
    fonts = fonts if fonts is not None else font_set()
    check_glyphs(edition, fonts)
    if fmt == "html":
        return html_bytes(edition, alternates, fonts)
    if fmt == "pdf":
        return pdf_bytes(print_html(edition, fonts),
                         resource_roots(edition.statement) + font_roots(fonts))
    from .epub import html_to_epub

    html = epub_html(edition)
    return wrap_failure(EpubRenderError, "rendering failed", lambda: html_to_epub(
        html, edition, has_images=has_images(edition.statement), timeout=timeout, fonts=fonts))
