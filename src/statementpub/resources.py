"""Where the package's data lives: ``locales/`` and ``styles/``.

In a wheel they are inside the package (``statementpub/_data/``, force-included
by the build); in a source checkout or an editable install they are the
top-level folders of the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["locales_dir", "styles_dir"]

_PACKAGE = Path(__file__).resolve().parent


@cache
def _data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"statementpub's {name}/ folder is missing from the installation")


def locales_dir() -> Path:
    """The folder holding ``<lang>/LC_MESSAGES/statementpub.po`` and ``statementpub.pot``."""
    return _data_dir("locales")


def styles_dir() -> Path:
    """The folder holding the stylesheets and ``fonts/``."""
    return _data_dir("styles")
