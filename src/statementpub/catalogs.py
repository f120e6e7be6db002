"""Statement catalogs: finding, reading strictly, and judging translations.

Implements STATEMENT_FORMAT.md "Editions and catalogs": where a language's
catalog is looked for, and when a unit's translation is *usable* (an entry
exists, its msgstr is non-empty, it is neither fuzzy nor obsolete, it has no
raw HTML and only allowed URLs, and it has exactly the same link targets,
image sources and footnote references as its msgid, counted with repetition).

polib is the catalog model; because polib silently accepts some malformed
files (an unterminated string), every file is first read with Babel's strict
reader, whose error names the line.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polib
from babel.messages.pofile import PoFileError, read_po

from .errors import CatalogError
from .markdown import inspect_inline
from .model import Statement

__all__ = ["CatalogIndex", "find_catalog", "judge", "primary_language", "read_catalog",
           "same_language"]


def primary_language(tag: str) -> str:
    """The primary language subtag, lowercased (``es-MX`` -> ``es``)."""
    return tag.split("-")[0].lower()


def same_language(a: str, b: str) -> bool:
    """Whether two tags name the same language (regional variants count as the same)."""
    return primary_language(a) == primary_language(b)


def find_catalog(statement: Statement, lang: str) -> Path:
    """The catalog file for ``lang`` per the format's lookup rules.

    ``translations`` in the front matter wins; else ``<stem>.<tag>.po`` beside
    the source, then ``<stem>.<language>.po`` for a tag with a region.
    Tags compare case-insensitively.

    :raises CatalogError: no catalog exists; the message names the path(s) looked for.
    """
    wanted = lang.lower()
    for tag, path in statement.translations.items():
        if tag.lower() == wanted:
            if not path.is_file():
                raise CatalogError(f"the catalog for {lang!r} named in 'translations' does "
                                   f"not exist: {path}", path=statement.display_path,
                                   line=statement.line_of("translations"))
            return path
    if statement.base_dir is None:
        raise CatalogError(f"no catalog for {lang!r}: the statement has no folder; pass "
                           "the catalog explicitly")
    tried: list[Path] = []
    tags = [lang] + ([lang.split("-")[0]] if "-" in lang else [])
    for tag in tags:
        for tag_path in statement.translations.items():
            if tag_path[0].lower() == tag.lower():
                return tag_path[1]
        candidate = statement.base_dir / f"{statement.stem}.{tag}.po"
        tried.append(candidate)
        if candidate.is_file():
            return candidate
        # case-insensitive match on the file system
        for existing in sorted(statement.base_dir.glob(f"{statement.stem}.*.po")):
            if existing.name.lower() == candidate.name.lower():
                return existing
    raise CatalogError(f"no catalog for language {lang!r}: looked for "
                       + " and ".join(str(p) for p in tried))


def available_catalogs(statement: Statement) -> list[str]:
    """Languages with a catalog beside the source (or named in ``translations``)."""
    langs = {tag for tag in statement.translations}
    if statement.base_dir is not None:
        prefix = f"{statement.stem}."
        for path in statement.base_dir.glob(f"{statement.stem}.*.po"):
            tag = path.name[len(prefix):-len(".po")]
            if tag and "." not in tag:
                langs.add(tag)
    return sorted(langs, key=str.lower)


def read_catalog(path: str | Path, *, display: str | None = None) -> polib.POFile:
    """Read a PO file strictly.

    :raises CatalogError: the file is missing, not UTF-8, or not well-formed
        PO (``path:line: error: ...``, line counted from 1).
    """
    path = Path(path)
    shown = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read the catalog: {exc.strerror}", path=shown) from None
    return parse_catalog(data, display=shown)


def parse_catalog(data: bytes, *, display: str = "<catalog>") -> polib.POFile:
    """Parse PO ``data`` strictly (see :func:`read_catalog`)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogError("the catalog is not valid UTF-8", path=display, line=line) from None
    _check_strings(text, display)
    # Babel's reader does not know "#~|" (the previous msgid of an obsolete
    # message, which msgmerge --previous writes): show it a plain comment.
    checked = re.sub(rb"(?m)^([ \t]*)#~\|", rb"\1# ~|", data)
    try:
        read_po(io.BytesIO(checked), abort_invalid=True)
    except PoFileError as exc:
        lineno = getattr(exc, "lineno", None)
        message = str(exc).split(" on ")[0].split(": ", 1)[-1] if str(exc) else "malformed"
        raise CatalogError(f"malformed PO file: {message}", path=display,
                           line=(lineno + 1) if isinstance(lineno, int) else 0) from None
    except (ValueError, IndexError) as exc:
        raise CatalogError(f"malformed PO file: {exc}", path=display) from None
    try:
        return polib.pofile(text, wrapwidth=79)
    except (OSError, ValueError) as exc:
        raise CatalogError(f"malformed PO file: {exc}", path=display) from None


_STRING_LINE = re.compile(
    r'(?:#~\|?|#\|)?\s*(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?(".*)')
_STRINGS = re.compile(r'(?:"(?:[^"\\]|\\.)*"\s*)+')


def _check_strings(text: str, display: str) -> None:
    """Refuse a string that is not closed on its line (Babel and polib read
    ``msgstr "abc`` as ``"ab"`` without a word; msgfmt calls it a fatal error)."""
    for number, line in enumerate(text.split("\n"), 1):
        match = _STRING_LINE.fullmatch(line.strip())
        if match and not _STRINGS.fullmatch(match.group(1)):
            raise CatalogError("malformed PO file: a string is not closed on its line",
                               path=display, line=number)


@dataclass(frozen=True)
class CatalogIndex:
    """Entries of a catalog by msgid (entries with a msgctxt are not statement units)."""

    active: Mapping[str, polib.POEntry]
    obsolete: Mapping[str, polib.POEntry]

    @classmethod
    def of(cls, catalog: polib.POFile) -> CatalogIndex:
        active: dict[str, polib.POEntry] = {}
        obsolete: dict[str, polib.POEntry] = {}
        for entry in catalog:
            if entry.msgctxt is not None or not entry.msgid:
                continue
            (obsolete if entry.obsolete else active).setdefault(entry.msgid, entry)
        return cls(active, obsolete)


def judge(
    msgid: str,
    markup: bool,
    index: CatalogIndex,
    footnote_labels: Sequence[str] = (),
) -> tuple[str | None, str | None]:
    """Decide whether a unit's translation is usable.

    :returns: ``(msgstr, None)`` when usable, ``(None, reason)`` otherwise.
    """
    entry = index.active.get(msgid)
    if entry is None:
        if msgid in index.obsolete:
            return None, "obsolete"
        return None, "untranslated"
    if "fuzzy" in entry.flags:
        return None, "fuzzy"
    msgstr = entry.msgstr
    if not msgstr.strip():
        return None, "untranslated (empty msgstr)"
    if not markup:
        return msgstr, None
    source = inspect_inline(msgid, footnote_labels)
    target = inspect_inline(msgstr, footnote_labels)
    if target.raw_html:
        return None, f"contains raw HTML {target.raw_html[0]!r}"
    if target.bad_urls:
        return None, f"link target {target.bad_urls[0]!r} is not allowed"
    for what, src, dst in (("link target", source.link_targets, target.link_targets),
                           ("image", source.image_sources, target.image_sources),
                           ("footnote", source.footnote_refs, target.footnote_refs)):
        if src != dst:
            return None, _difference(what, src, dst)
    return msgstr, None


def _difference(what: str, src: Counter[str], dst: Counter[str]) -> str:
    def show(item: str) -> str:
        return f"[^{item}]" if what == "footnote" else item
    missing = src - dst
    if missing:
        item = sorted(missing)[0]
        return f"drops {what} {show(item)}"
    extra = sorted(dst - src)[0]
    return f"adds {what} {show(extra)}"
