"""Whether the fonts can draw an edition: every character shown, in any format, must be
in a shipped font or in a font the user added (:mod:`statementpub.fonts`).

WeasyPrint would draw a character no font has as ``.notdef`` (an empty box,
with exit status 0) and a browser with whatever font the machine has: the
build refuses it instead, naming the file and line where the character is
written (the statement, or the catalog whose translation holds it) and how to
add a font.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, FontCoverageError
from ..fonts import FontSet
from ..memo import IdentityCache
from .edition import Edition

__all__ = ["check_glyphs", "drawn_langs", "drawn_text"]

#: Fields that hold no text a reader sees drawn (ids, languages, paths, the
#: source's own record of fallbacks; alternative texts are read, not drawn).
_NOT_DRAWN = frozenset({"id", "note_id", "ref_id", "lang", "dir", "src", "path", "align",
                        "info", "plain", "alt", "statement", "fallbacks", "catalog_path",
                        "title_text", "bare", "url", "description"})


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _strings(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            if item.name not in _NOT_DRAWN:
                yield from _strings(getattr(value, item.name))


#: What an edition draws, by the edition's identity (an :class:`Edition` is frozen).
_DRAWN: IdentityCache[Edition, tuple[str, frozenset[str]]] = IdentityCache(maxsize=16)
#: The characters of an edition that no font of a font set draws.
_MISSING: IdentityCache[Edition, tuple[str, ...]] = IdentityCache(maxsize=16)


def _drawn(edition: Edition) -> tuple[str, frozenset[str]]:
    return _DRAWN.get_or_make(edition, lambda: (_drawn_text(edition),
                                                frozenset(_drawn_langs(edition))))


def drawn_text(edition: Edition) -> str:
    """Every text the edition's formats draw (interface labels, dates and link
    addresses included), joined by line feeds."""
    return _drawn(edition)[0]


def _drawn_text(edition: Edition) -> str:
    parts = list(_strings(edition))
    parts += [link.url for link in edition.links]
    if edition.statement.license:
        parts.append(edition.statement.license)
    return "\n".join(parts)


def _langs(value: Any) -> Iterator[str]:
    if isinstance(value, (tuple, list)):
        for item in value:
            yield from _langs(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            field_value = getattr(value, item.name)
            if item.name == "lang" and isinstance(field_value, str):
                yield field_value
            elif item.name not in _NOT_DRAWN:
                yield from _langs(getattr(value, item.name))


def drawn_langs(edition: Edition) -> set[str]:
    """The languages of the edition's texts (its own included)."""
    return set(_drawn(edition)[1])


def _drawn_langs(edition: Edition) -> set[str]:
    return {edition.lang, *_langs(edition)}


def _first_line(path: Path | None, character: str) -> int:
    if path is None:
        return 0
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                if character in line:
                    return number
    except OSError:
        return 0
    return 0


def _name(character: str) -> str:
    return f"U+{ord(character):04X} {unicodedata.name(character, 'unnamed character')}"


def check_glyphs(edition: Edition, fonts: FontSet) -> None:
    """Refuse an edition holding a character that no font of ``fonts`` can draw.

    :raises FontCoverageError: one diagnostic per character, at the first line of
        the statement (or else of the edition's catalog) that holds it, saying
        how to add a font (``--font FILE``, ``Options.fonts``).
    """
    missing = _MISSING.get_or_make(edition, lambda: tuple(fonts.missing(drawn_text(edition))),
                                   fonts)
    if not missing:
        return
    statement = edition.statement
    diagnostics = []
    for character in missing:
        where: Path | None = statement.path
        line = _first_line(statement.path, character)
        if not line and edition.catalog_path is not None:
            found = _first_line(edition.catalog_path, character)
            if found:
                where, line = edition.catalog_path, found
        diagnostics.append(Diagnostic(
            f"[{edition.lang}] {character!r} ({_name(character)}) is in no shipped font; "
            "add a font that has it with --font FILE (the API: fonts=[FILE]), "
            "such as a Noto font of its script (OFL)",
            str(where) if where is not None else None, line))
    count = len(missing)
    raise FontCoverageError(
        f"{count} character(s) of the {edition.lang} edition are in no font statementpub "
        "has: " + " ".join(missing), diagnostics=diagnostics)
