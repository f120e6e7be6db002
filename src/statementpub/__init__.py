"""statementpub: one structured statement in, accessible HTML, tagged PDF (PDF/UA-1)
and EPUB 3 out, in every language its gettext catalogs cover.

>>> from statementpub import load_statement, render_html
>>> statement = load_statement("statement.md")          # doctest: +SKIP
>>> html = render_html(statement, lang="es")            # doctest: +SKIP

The names below are the public API (docs/api.md); the modules behind them
may change.
"""

from .api import Alternate, render_epub, render_html, render_pdf
from .build import BatchResult, BuildReport, EditionReport, Progress, build, build_many
from .edition import Edition, Fallback, make_edition
from .errors import (
    BuildError,
    CatalogError,
    Diagnostic,
    EpubRenderError,
    HtmlRenderError,
    InterfaceLanguageError,
    LanguageTagError,
    OptionsError,
    PdfRenderError,
    RenderError,
    RenderTimeoutError,
    StatementError,
    StatementpubError,
    StrictBuildError,
    ValidatorFailed,
    ValidatorUnavailable,
)
from .loader import load_statement
from .model import Signatory, Statement
from .options import DEFAULT_OPTIONS, FORMATS, Options
from .translate import LanguageStatus, catalog_status, extract_catalog, update_catalog

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_OPTIONS",
    "FORMATS",
    "Alternate",
    "BatchResult",
    "BuildError",
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
    "LanguageTagError",
    "Options",
    "OptionsError",
    "PdfRenderError",
    "Progress",
    "RenderError",
    "RenderTimeoutError",
    "Signatory",
    "Statement",
    "StatementError",
    "StatementpubError",
    "StrictBuildError",
    "ValidatorFailed",
    "ValidatorUnavailable",
    "__version__",
    "build",
    "build_many",
    "catalog_status",
    "extract_catalog",
    "load_statement",
    "make_edition",
    "render_epub",
    "render_html",
    "render_pdf",
    "update_catalog",
]
