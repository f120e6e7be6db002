"""Language tags (BCP 47): canonical form, comparison, direction.

The one place where statementpub reads or compares a language tag, so that a
tag is judged the same way on every path (the loader, catalogs, editions,
renderers, the build). Tags are compared case-insensitively and by their
primary language subtag (STATEMENT_FORMAT.md, "Editions and catalogs").

A tag is *valid* when its subtags are registered in the IANA Language Subtag
Registry (BCP 47 section 2.2.9, checked with langcodes' copy of the registry)
or when CLDR knows it: any language can have an edition, whether or not CLDR
or statementpub has data for it (``mam``, Mam, is in the registry and not in
CLDR). A leaf module: it imports nothing of the package.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["direction", "normalize_lang", "primary_language", "registry_name", "same_language",
           "same_tag"]

_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")


@lru_cache(maxsize=256)
def normalize_lang(tag: str) -> str | None:
    """The BCP 47 tag in canonical case (``es-mx`` -> ``es-MX``, ``en_US`` ->
    ``en-US``), or ``None`` when it is malformed or not valid (neither in the
    IANA registry nor known to CLDR: ``sp``, ``xx``)."""
    tag = tag.strip().replace("_", "-")
    if not _TAG.fullmatch(tag):
        return None
    if not _cldr_knows(tag) and not _registered(tag):
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
    return "-".join(out)


def _cldr_knows(tag: str) -> bool:
    from babel import Locale, UnknownLocaleError

    try:
        return bool(Locale.parse(tag, sep="-").language)
    except (UnknownLocaleError, ValueError):
        return False


def _registered(tag: str) -> bool:
    """Whether every subtag is in the IANA registry (langcodes, imported only for
    the tags CLDR does not know: it takes about 0.1 s to import)."""
    import langcodes

    return bool(langcodes.tag_is_valid(tag))


@lru_cache(maxsize=1)
def _registry_descriptions() -> dict[str, str]:
    from langcodes.registry_parser import parse_registry

    return {str(item["Subtag"]).lower(): str(item["Description"][0])
            for item in parse_registry()  # type: ignore[no-untyped-call]
            if item.get("Type") == "language" and item.get("Description")}


def registry_name(tag: str) -> str | None:
    """The English name of the tag's language in the IANA Language Subtag
    Registry (``mam`` -> ``Mam``), or ``None``: for a language CLDR has no
    name of."""
    return _registry_descriptions().get(primary_language(tag))


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
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(tag.replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError):
        return "ltr"
    return "rtl" if locale.text_direction == "rtl" else "ltr"


def same_tag(a: str | None, b: str | None) -> bool:
    """Whether two tags are the same tag, compared case-insensitively (``es-MX``
    and ``es-mx``, but not ``es`` and ``es-MX``)."""
    return (a or "").lower() == (b or "").lower()
