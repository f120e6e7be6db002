"""The PDF edition: PDF/UA-1 (ISO 14289-1) through WeasyPrint, from the edition's HTML.

WeasyPrint renders the ``print`` flavour of the HTML (paged-media stylesheet,
fonts from ``styles/fonts``) with ``pdf_variant="pdf/ua-1"``: a structure
tree, ``/MarkInfo``, ``/Lang``, ``DisplayDocTitle``, XMP ``pdfuaid:part 1``.
:mod:`statementpub.render.pdf_tags` repairs what WeasyPrint 70.0 gets wrong
(``/Lang`` on structure elements, ``TH /Scope``, one structure element per
HTML element across page breaks, page-margin boxes such as the page numbers
as pagination artifacts, decorative images as artifacts).

Resources are fetched by :class:`SandboxFetcher`: ``data:`` URIs and files
inside the allowed folders only; never the network.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import PdfRenderError
from ..resources import styles_dir

__all__ = ["html_to_pdf", "make_fetcher", "page_label_css"]

_LOCK = threading.Lock()
#: Fixed timestamp for the embedded font subsets' ``head.modified`` (fontTools
#: reads SOURCE_DATE_EPOCH), so the same input gives the same bytes.
_DEFAULT_EPOCH = "946684800"  # 2000-01-01T00:00:00Z


def _weasyprint() -> Any:
    import weasyprint

    from . import pdf_tags

    pdf_tags.install()
    return weasyprint


def _fetcher_base() -> type:
    from weasyprint.urls import URLFetcher

    return URLFetcher


def make_fetcher(roots: Iterable[Path], record: list[str] | None = None) -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` URIs and files under ``roots`` only.

    Every requested URL is appended to ``record`` when given. Anything else
    (network, files elsewhere, symbolic links pointing outside) is refused.
    """
    base = _fetcher_base()
    allowed = tuple(Path(root).resolve() for root in roots)

    class SandboxFetcher(base):  # type: ignore[misc, valid-type]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if record is not None:
                record.append(url)
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                from urllib.parse import unquote, urlsplit

                path = Path(unquote(urlsplit(url).path)).resolve()
                if any(path.is_relative_to(root) for root in allowed) and path.is_file():
                    return super().fetch(path.as_uri(), headers)
            raise ValueError(f"statementpub does not fetch {url!r}")

    return SandboxFetcher(timeout=1, allowed_protocols=("data", "file"),
                          allow_redirects=False)


def page_label_css(template: str) -> str:
    """A ``@page`` rule that shows ``template`` (with ``%(page)s``/``%(pages)s``) at the
    bottom of every page, as CSS ``content`` with counters."""
    import re

    parts = re.split(r"(%\(page\)s|%\(pages\)s)", template)
    tokens = []
    for part in parts:
        if part == "%(page)s":
            tokens.append("counter(page)")
        elif part == "%(pages)s":
            tokens.append("counter(pages)")
        elif part:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
            tokens.append(f'"{escaped}"')
    return "@page { @bottom-center { content: %s; } }\n" % " ".join(tokens or ['""'])


@lru_cache(maxsize=1)
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def html_to_pdf(
    html: str,
    *,
    resource_roots: Iterable[Path] = (),
    title: str | None = None,
    record: list[str] | None = None,
    cache: dict[str, Any] | None = None,
) -> bytes:
    """Render print-flavour HTML to PDF/UA-1 bytes.

    :param resource_roots: folders whose files may be loaded (``styles/`` always).
    :raises PdfRenderError: WeasyPrint failed.
    """
    os.environ.setdefault("SOURCE_DATE_EPOCH", _DEFAULT_EPOCH)
    weasyprint = _weasyprint()
    roots = [styles_dir(), *resource_roots]
    fetcher = make_fetcher(roots, record)
    base_url = styles_dir().as_uri() + "/"
    try:
        document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        with _LOCK:
            # One font configuration per process: fonts are loaded once. WeasyPrint's
            # font configuration is not documented as thread-safe, hence the lock.
            pdf = document.write_pdf(pdf_variant="pdf/ua-1", font_config=_font_config(),
                                     cache=cache if cache is not None else {},
                                     uncompressed_pdf=False)
    except Exception as exc:  # WeasyPrint raises many kinds; wrap them all
        raise PdfRenderError(f"WeasyPrint could not render the PDF: {exc}") from exc
    assert isinstance(pdf, bytes)
    return pdf
