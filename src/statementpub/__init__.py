"""statementpub: one structured statement in, accessible HTML, tagged PDF (PDF/UA-1)
and EPUB 3 out, in every language its gettext catalogs cover.

>>> from statementpub import load_statement, render_html
>>> statement = load_statement("statement.md")          # doctest: +SKIP
>>> html = render_html(statement, lang="es")            # doctest: +SKIP
"""

from .api import render_epub, render_html, render_pdf
from .build import BuildReport, EditionReport, build
from .edition import Edition, Fallback, Text, make_edition
from .errors import (
    CatalogError,
    Diagnostic,
    EpubRenderError,
    HtmlRenderError,
    InterfaceLanguageError,
    PdfRenderError,
    RenderError,
    StatementError,
    StatementpubError,
    StrictBuildError,
    ValidatorUnavailable,
)
from .loader import load_statement
from .model import Signatory, Statement
from .translate import LanguageStatus, catalog_status, extract_catalog, update_catalog

__version__ = "0.1.0"

__all__ = [
    "BuildReport",
    "CatalogError",
    "Diagnostic",
    "Edition",
    "EditionReport",
    "EpubRenderError",
    "Fallback",
    "HtmlRenderError",
    "InterfaceLanguageError",
    "LanguageStatus",
    "PdfRenderError",
    "RenderError",
    "Signatory",
    "Statement",
    "StatementError",
    "StatementpubError",
    "StrictBuildError",
    "Text",
    "ValidatorUnavailable",
    "__version__",
    "build",
    "catalog_status",
    "extract_catalog",
    "load_statement",
    "make_edition",
    "render_epub",
    "render_html",
    "render_pdf",
    "update_catalog",
]
