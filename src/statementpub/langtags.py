"""Language tags (BCP 47): canonical form, comparison, direction.

The one place where statementpub reads or compares a language tag, so that a
tag is judged the same way on every path (the loader, catalogs, editions,
renderers, the build). Tags are compared case-insensitively and by their
primary language subtag (STATEMENT_FORMAT.md, "Editions and catalogs").
A leaf module: it imports nothing of the package.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError

__all__ = ["direction", "normalize_lang", "primary_language", "same_language", "same_tag"]

_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")


@lru_cache(maxsize=256)
def normalize_lang(tag: str) -> str | None:
    """The BCP 47 tag in canonical case (``es-mx`` -> ``es-MX``, ``en_US`` ->
    ``en-US``), or ``None`` when it is malformed or CLDR does not know its
    language."""
    tag = tag.strip().replace("_", "-")
    if not _TAG.fullmatch(tag):
        return None
    try:
        locale = Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return None
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) in (2, 3) and (part.isalpha() or part.isdigit()):
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out) if locale.language else None


def primary_language(tag: str) -> str:
    """The primary language subtag, lowercased (``es-MX`` -> ``es``)."""
    return tag.split("-")[0].lower()


def same_language(a: str | None, b: str | None) -> bool:
    """Whether two tags name the same language (regional variants count as the
    same; ``None`` and ``""`` are the same as each other only)."""
    return primary_language(a or "") == primary_language(b or "")


@lru_cache(maxsize=256)
def direction(tag: str) -> str:
    """``"rtl"`` or ``"ltr"``: the direction of the tag's (likely) script, from CLDR."""
    try:
        locale = Locale.parse(tag.replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError):
        return "ltr"
    return "rtl" if locale.text_direction == "rtl" else "ltr"


def same_tag(a: str | None, b: str | None) -> bool:
    """Whether two tags are the same tag, compared case-insensitively (``es-MX``
    and ``es-mx``, but not ``es`` and ``es-MX``)."""
    return (a or "").lower() == (b or "").lower()
