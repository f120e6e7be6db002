"""statementpub: one structured statement in, accessible HTML, tagged PDF (PDF/UA-1)
and EPUB 3 out, in every language its gettext catalogs cover.

>>> from statementpub import load_statement, render_html
>>> statement = load_statement("statement.md")          # doctest: +SKIP
>>> html = render_html(statement, lang="es")            # doctest: +SKIP

The names below are the public API (docs/api.md). The error classes are all in
:mod:`statementpub.errors`; the few types a caller rarely names are in the module
that makes them (``statementpub.build.EditionReport``, ``statementpub.api.Alternate``,
``statementpub.translate.LanguageStatus``, ``statementpub.options.FORMATS``).
"""

from .api import render_epub, render_html, render_pdf
from .build import BatchResult, BuildReport, build, build_many
from .edition import Edition, Fallback, make_edition
from .errors import CatalogError, StatementError, StatementpubError
from .loader import load_statement
from .model import Signatory, Statement
from .options import DEFAULT_OPTIONS, Options
from .translate import catalog_status, extract_catalog, update_catalog

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_OPTIONS",
    "BatchResult",
    "BuildReport",
    "CatalogError",
    "Edition",
    "Fallback",
    "Options",
    "Signatory",
    "Statement",
    "StatementError",
    "StatementpubError",
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
