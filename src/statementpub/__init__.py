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

from typing import TYPE_CHECKING, Any

# ``build`` is also the name of the subpackage: bound here, after the subpackage is
# imported, so that the name is the function whatever is imported later.
from .build.run import build, build_many

if TYPE_CHECKING:
    from .api import render_epub, render_html, render_pdf
    from .build import BatchResult, BuildReport
    from .edition import Edition, Fallback, make_edition
    from .errors import CatalogError, StatementError, StatementpubError
    from .loader import load_statement
    from .model import Signatory, Statement
    from .options import DEFAULT_OPTIONS, Options
    from .translate import catalog_status, extract_catalog, update_catalog

#: Where each public name is defined: imported when first used (PEP 562), so that a
#: command that needs little (an unchanged rebuild) imports little.
_WHERE = {
    "render_epub": "api", "render_html": "api", "render_pdf": "api",
    "BatchResult": "build", "BuildReport": "build",
    "Edition": "edition", "Fallback": "edition", "make_edition": "edition",
    "CatalogError": "errors", "StatementError": "errors", "StatementpubError": "errors",
    "load_statement": "loader", "Signatory": "model", "Statement": "model",
    "DEFAULT_OPTIONS": "options", "Options": "options",
    "catalog_status": "translate", "extract_catalog": "translate",
    "update_catalog": "translate",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'statementpub' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


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
