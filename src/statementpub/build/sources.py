"""Discovery: the statement files a build is given, and the languages of a statement."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BuildError, Diagnostic
from ..langtags import normalize_lang

if TYPE_CHECKING:
    from ..model import Statement

__all__ = ["default_languages", "find_sources"]


def find_sources(paths: Iterable[str | Path]) -> list[Path]:
    """Statement files from command-line arguments: a file is itself; a folder gives
    its own ``statement.md``, then every ``*/statement.md`` in it, sorted; each file once.

    :raises BuildError: a path does not exist, or a folder holds no statement.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = [p for p in [path / "statement.md", *sorted(path.glob("*/statement.md"))]
                      if p.is_file()]
            if not inside:
                raise _missing(path, "no statement.md in this folder or the folders in it")
            found.extend(inside)
        elif path.exists():
            found.append(path)
        else:
            raise _missing(path, "no such file or folder")
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path, None)
    return list(unique)


def _missing(path: Path, message: str) -> BuildError:
    """``path: error: message``, the form of every error about an input file."""
    return BuildError(message, diagnostics=[Diagnostic(message, str(path))])


def default_languages(statement: Statement) -> list[str]:
    """The source language plus every language with a catalog beside the source."""
    from ..catalogs import available_catalogs

    langs = [statement.lang]
    for tag in available_catalogs(statement):
        normalized = normalize_lang(tag)
        if normalized and not any(normalized.lower() == known.lower() for known in langs):
            langs.append(normalized)
    return langs
