"""A render request: checked, turned into an edition, rendered to bytes.

The body (``POST /v1/render``, :func:`statementpub.schema.request_schema`)::

    {"statement": {front matter}, "body": "Markdown", "lang": "es",
     "format": "html" | "pdf" | "epub", "catalog": "PO text", "assets": {"logo.png": "base64"}}

The statement is :meth:`Statement.from_mapping` of ``statement`` and ``body``;
its images are the ``assets``, written into a temporary folder that belongs to
the request and is removed after it, the statement's only folder: no file
outside the request is read (a ``translations`` path can name nothing but an
asset, a catalog is taken from ``catalog`` only). The bytes are those of
:func:`statementpub.render_html` (UTF-8), :func:`~statementpub.render_pdf` and
:func:`~statementpub.render_epub` on the same statement, catalog and language.
"""

from __future__ import annotations

import base64
import binascii
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..catalogs import parse_catalog
from ..edition import Edition, Fallback, InterfaceFallback, make_edition
from ..errors import (
    CatalogError,
    Diagnostic,
    OptionsError,
    RenderError,
    StatementError,
)
from ..langtags import same_language
from ..model import Statement
from ..options import FORMATS, language_tag
from ..render.formats import print_html, render_format, resource_roots
from .pdf_workers import RenderTimeout
from .problems import Problem, diagnostic_entry, error_entries

__all__ = ["MEDIA_TYPES", "RenderRequest", "Rendered", "parse_request", "render_request"]

#: The ``Content-Type`` of each format's answer.
MEDIA_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
               "epub": "application/epub+zip"}

_KEYS = ("statement", "body", "lang", "format", "catalog", "assets")
_ASSET_NAME = re.compile(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")


@dataclass(frozen=True)
class RenderRequest:
    """A request body whose shape is right (types of its members); its content is
    judged by the loader when it is rendered."""

    front_matter: dict[str, Any]
    body: str
    lang: str | None
    format: str
    catalog: str | None
    assets: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class Rendered:
    """What a render gives: the bytes, the edition's language, what fell back."""

    data: bytes
    format: str
    lang: str
    filename: str
    fallbacks: tuple[Fallback, ...]
    warnings: tuple[Diagnostic, ...]
    interface_fallbacks: tuple[InterfaceFallback, ...] = ()

    def report(self) -> dict[str, Any]:
        """The JSON report (``Accept: application/json``), the file as base64."""
        return {"format": self.format, "media_type": MEDIA_TYPES[self.format],
                "lang": self.lang, "filename": self.filename,
                "fallbacks": [{"line": f.line, "role": f.role, "msgid": f.msgid,
                               "reason": f.reason} for f in self.fallbacks],
                "interface_fallbacks": [{"what": f.what, "lang": f.lang, "reason": f.reason}
                                        for f in self.interface_fallbacks],
                "warnings": [diagnostic_entry(w) for w in self.warnings],
                "data": base64.b64encode(self.data).decode("ascii")}


def _request_error(path: str, message: str) -> Problem:
    return Problem(422, "invalid-request", "The request is not a render request",
                   f"{path}: {message}",
                   [diagnostic_entry(Diagnostic(message), path=path)])


def parse_request(document: Any) -> RenderRequest:
    """The request of a parsed JSON body.

    :raises Problem: 422 when a member is missing, unknown or of the wrong type.
    """
    if not isinstance(document, dict):
        raise _request_error("request", "the body must be a JSON object")
    for key in document:
        if key not in _KEYS:
            raise _request_error(key, f"unknown member {key!r}; allowed: {', '.join(_KEYS)}")
    front = document.get("statement")
    if not isinstance(front, dict):
        raise _request_error("statement", "the front matter must be a JSON object")
    body = document.get("body")
    if not isinstance(body, str):
        raise _request_error("body", "the Markdown body must be a string")
    lang = document.get("lang")
    if lang is not None and not isinstance(lang, str):
        raise _request_error("lang", "the language must be a string (a BCP 47 tag)")
    fmt = document.get("format", "html")
    if fmt not in FORMATS:
        raise _request_error("format", f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    catalog = document.get("catalog")
    if catalog is not None and not isinstance(catalog, str):
        raise _request_error("catalog", "the catalog must be the PO file's text")
    assets: dict[str, bytes] = {}
    given = document.get("assets") or {}
    if not isinstance(given, dict):
        raise _request_error("assets", "assets must map file names to base64")
    for name, encoded in given.items():
        where = f"assets.{name}"
        if not _ASSET_NAME.fullmatch(name) or any(part in (".", "..")
                                                  for part in name.split("/")):
            raise _request_error(where, "an asset name is a relative path of letters, "
                                        "digits, '.', '_' and '-' (no '..')")
        if not isinstance(encoded, str):
            raise _request_error(where, "an asset is a base64 string")
        try:
            assets[name] = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise _request_error(where, "not valid base64") from None
    return RenderRequest(front, body, lang, fmt, catalog, assets)


def _statement_problem(exc: StatementError) -> Problem:
    entries = error_entries(exc)
    return Problem(422, "statement-error", "The statement breaks the source format",
                   entries[0]["text"] + (f" (and {len(entries) - 1} more)"
                                         if len(entries) > 1 else ""), entries)


def _edition(request: RenderRequest, folder: Path | None) -> Edition:
    if folder is not None:
        for name, data in request.assets.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    try:
        statement = Statement.from_mapping(request.front_matter, request.body,
                                           base_dir=folder)
    except StatementError as exc:
        raise _statement_problem(exc) from None
    try:
        lang = statement.lang if request.lang is None else language_tag(request.lang)
        catalog = None
        if request.catalog is not None:
            catalog = parse_catalog(request.catalog.encode("utf-8"), display="catalog")
        elif not same_language(lang, statement.lang):
            raise CatalogError(f"no catalog for language {lang!r}: give the PO file's text "
                               "as 'catalog'")
        return make_edition(statement, lang, catalog)
    except OptionsError as exc:
        raise Problem(422, "invalid-request", "The language is not a BCP 47 tag",
                      exc.message, error_entries(exc, path="lang")) from None
    except CatalogError as exc:
        entries = error_entries(exc)
        raise Problem(422, "catalog-error", "The catalog cannot be used",
                      entries[0]["text"], entries) from None
    except StatementError as exc:
        raise _statement_problem(exc) from None


def render_request(request: RenderRequest,
                   pdf: Callable[[str, list[Path]], bytes] | None = None) -> Rendered:
    """Render ``request`` (blocking; the service calls it in a thread).

    :param pdf: makes a PDF of print HTML and its resource folders (the service's
        worker processes); ``None``: in this thread, as :func:`render_pdf` does.
    :raises Problem: 422 for a statement, catalog or language error, or a render
        the engines refused.
    """
    with tempfile.TemporaryDirectory(prefix="statementpub-request-") as temp:
        folder = Path(temp) if request.assets else None
        edition = _edition(request, folder)
        try:
            if request.format == "pdf" and pdf is not None:
                data = pdf(print_html(edition), resource_roots(edition.statement))
            else:
                data = render_format(edition, request.format)
        except RenderTimeout as exc:
            raise Problem(422, "render-timeout", "The edition took too long to render",
                          exc.message) from None
        except RenderError as exc:
            raise Problem(422, "render-error", "The edition could not be rendered",
                          exc.message, error_entries(exc, path="statement")) from None
    ext = request.format
    return Rendered(data, request.format, edition.lang,
                    f"{edition.statement.slug}.{edition.lang}.{ext}", edition.fallbacks,
                    tuple(edition.statement.warnings), edition.interface_fallbacks)
