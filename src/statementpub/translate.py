"""The translator's workflow for statement catalogs: extract, update, status.

Follows STATEMENT_FORMAT.md ("Translation units", "Editions and catalogs")
and the GNU gettext manual, so that the files are those a gettext tool would
write and read:

- :func:`extract_catalog` makes a statement's template (``.pot``): one message
  per distinct msgid, in document order, with every ``#:`` reference, one
  ``#.`` comment per role and a hint for the translator (gettext manual,
  "The Format of PO Files").
- :func:`update_catalog` merges that template into a language's catalog the
  way ``msgmerge --previous`` does (gettext manual, "Invoking the msgmerge
  Program"): exact matches keep their translation (obsolete ones are
  revived); a new message close to an old one gets the old translation,
  marked fuzzy, with the old msgid as ``#|``; unused messages become
  obsolete (``#~``). A translation is never lost.
- :func:`catalog_status` counts, per language, the translated, fuzzy,
  untranslated and obsolete messages, and lists every unit an edition would
  show in the source language, with the reason
  (:func:`statementpub.catalogs.judge`).
- :func:`catalog_bytes` writes a catalog exactly as GNU gettext's
  ``write-po.c`` does: strings wrapped at 79 columns at the line-break
  opportunities of Unicode's line-breaking algorithm (UAX #14, as gnulib's
  ``unilbrk`` implements it), ``#:`` lines filled to 79 columns, obsolete
  messages last. So a catalog that went through Poedit, Weblate or
  ``msgmerge`` and then through ``statementpub update`` changes only where
  its messages change.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import polib

from .catalogs import (
    CatalogIndex,
    available_catalogs,
    find_catalog,
    judge,
    parse_catalog,
    same_language,
)
from .errors import CatalogError
from .model import Statement
from .units import Unit, iter_units, translator_hint

__all__ = [
    "LanguageStatus",
    "Problem",
    "catalog_bytes",
    "catalog_path",
    "catalog_status",
    "extract_catalog",
    "new_catalog",
    "plural_forms",
    "read_catalog_for_update",
    "update_catalog",
]

#: Page width of gettext's PO writer (``msgmerge``, ``msgcat``, ``xgettext``).
PAGE_WIDTH = 79

#: The header fields a catalog's header lists first, in this order; every
#: other field follows in the order the catalog had it. This is the order in
#: which ``msgmerge`` rewrites a header (``message_merge`` in msgmerge.c).
KNOWN_HEADER_FIELDS: tuple[str, ...] = (
    "Project-Id-Version",
    "Report-Msgid-Bugs-To",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
)

#: msgmerge's FUZZY_THRESHOLD (gettext-tools/src/message.h): a message is
#: proposed as a fuzzy translation of a new one when their similarity is at
#: least this.
FUZZY_THRESHOLD = 0.6


# ===========================================================================
# Extract


def extract_catalog(statement: Statement) -> polib.POFile:
    """The translation template of ``statement``.

    One entry per distinct msgid, in document order (STATEMENT_FORMAT.md,
    "Translation units"): its ``#:`` references name every unit with that
    msgid (``statement.md:LINE``, the line where the unit starts), its ``#.``
    comments name each distinct role in document order, followed by a hint
    where one helps (keep link targets, footnote references, image sources).
    The header carries ``Project-Id-Version`` (the slug), ``POT-Creation-Date``
    (the statement's date at midnight UTC, so the same source gives the same
    bytes), and UTF-8 content type; the translator's fields are present and
    empty, for ``msginit`` or a PO editor to fill (``msgfmt --check`` accepts
    the file, noting only that a template has no ``Language``).

    :param statement: a loaded statement.
    :returns: a new :class:`polib.POFile`; write it with :func:`catalog_bytes`.
    """
    labels = tuple(note.label for note in statement.body.footnotes)
    grouped: dict[str, list[Unit]] = {}
    for unit in iter_units(statement):
        grouped.setdefault(unit.msgid, []).append(unit)
    po = polib.POFile(wrapwidth=PAGE_WIDTH)
    po.header = (f'Translation template of the statement "{statement.slug}".\n'
                 f"Made by statementpub from {statement.display_path}: edit the statement, "
                 "not this file.")
    po.metadata = _template_metadata(statement)
    for msgid, units in grouped.items():
        roles = list(dict.fromkeys(unit.role for unit in units))
        hints = list(dict.fromkeys(hint for unit in units
                                   if (hint := translator_hint(unit, labels)) is not None))
        po.append(polib.POEntry(
            msgid=msgid,
            msgstr="",
            comment="\n".join(roles + hints),
            occurrences=list(dict.fromkeys((statement.display_path, str(unit.line))
                                           for unit in units)),
        ))
    return po


def _template_metadata(statement: Statement) -> dict[str, str]:
    return {
        "Project-Id-Version": statement.slug,
        "POT-Creation-Date": f"{statement.date.isoformat()} 00:00+0000",
        "PO-Revision-Date": "",
        "Last-Translator": "",
        "Language-Team": "",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }


# ===========================================================================
# Update (msgmerge --previous)


def catalog_path(statement: Statement, lang: str) -> Path:
    """Where ``update`` writes the catalog of ``lang``.

    The path named in ``translations`` when there is one; else an existing
    ``<stem>.<lang>.po`` beside the source (tags compare case-insensitively);
    else ``<stem>.<lang>.po``, to be created.

    :raises CatalogError: the statement has no folder (it was not read from a file).
    """
    for tag, path in statement.translations.items():
        if tag.lower() == lang.lower():
            return path
    if statement.base_dir is None:
        raise CatalogError("the statement was not read from a file: give the catalog's path")
    wanted = f"{statement.stem}.{lang}.po"
    for existing in sorted(statement.base_dir.glob(f"{statement.stem}.*.po")):
        if existing.name.lower() == wanted.lower():
            return existing
    return statement.base_dir / wanted


def read_catalog_for_update(path: str | Path) -> polib.POFile:
    """Read a catalog strictly (:func:`statementpub.catalogs.read_catalog`),
    keeping the previous msgid (``#~|``) of obsolete messages, which polib drops.

    :raises CatalogError: missing, not UTF-8, or not well-formed (``path:line``).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read the catalog: {exc.strerror}", path=str(path)) from None
    po = parse_catalog(data, display=str(path))
    _restore_obsolete_previous(po, data.decode("utf-8-sig"))
    return po


_OBSOLETE_PREV = re.compile(r'^#~\|\s*(msgctxt|msgid)\s+(".*")\s*$')
_OBSOLETE_PREV_CONT = re.compile(r'^#~\|\s*(".*")\s*$')
_OBSOLETE_KEY = re.compile(r'^#~\s*(msgctxt|msgid)\s+(".*")\s*$')
_OBSOLETE_CONT = re.compile(r'^#~\s*(".*")\s*$')


def _restore_obsolete_previous(po: polib.POFile, text: str) -> None:
    """Attach ``#~| msgid``/``#~| msgctxt`` lines to the obsolete entries polib read."""
    found: dict[tuple[str | None, str], dict[str, str]] = {}
    prev: dict[str, str] = {}
    current: dict[str, str] = {}
    key: str | None = None
    target: dict[str, str] | None = None

    def finish() -> None:
        nonlocal prev, current
        if "msgid" in current and prev:
            found[(current.get("msgctxt"), current["msgid"])] = prev
        prev, current = {}, {}

    for line in text.splitlines():
        line = line.strip()
        if m := _OBSOLETE_PREV.match(line):
            if current:
                finish()
            key, target = m.group(1), prev
            prev[key] = _unquote(m.group(2))
        elif (m := _OBSOLETE_PREV_CONT.match(line)) and target is prev and key:
            prev[key] += _unquote(m.group(1))
        elif m := _OBSOLETE_KEY.match(line):
            if "msgid" in current:
                finish()
            key, target = m.group(1), current
            current[key] = _unquote(m.group(2))
        elif (m := _OBSOLETE_CONT.match(line)) and target is current and key:
            current[key] += _unquote(m.group(1))
        elif line.startswith("#~") and "msgstr" in line:
            target, key = None, None
        elif not line.startswith("#"):
            if current:
                finish()
            prev, target, key = {}, None, None
    if current:
        finish()
    for entry in po:
        if entry.obsolete and entry.previous_msgid is None:
            info = found.get((entry.msgctxt, entry.msgid))
            if info:
                entry.previous_msgid = info.get("msgid")
                entry.previous_msgctxt = info.get("msgctxt")


def _unquote(quoted: str) -> str:
    return str(polib.unescape(quoted[1:-1]))


def update_catalog(
    statement_or_template: Statement | polib.POFile,
    catalog_path_or_pofile: str | Path | polib.POFile | None,
    *,
    lang: str,
    fuzzy_matching: bool = True,
) -> polib.POFile:
    """Merge the statement's template into a language's catalog, like
    ``msgmerge --previous CATALOG TEMPLATE`` (gettext manual, "Invoking the
    msgmerge Program"; the rules are those of ``match_domain`` and
    ``message_merge`` in gettext-tools/src/msgmerge.c).

    For each template message, in template order:

    - a catalog message with the same msgid (and msgctxt), active or
      obsolete, gives its msgstr, translator comments (``#``), fuzzy flag and
      previous msgid; an obsolete one is thereby revived;
    - else the most similar translated catalog message (similarity as
      gnulib's ``fstrcmp``: twice the longest common subsequence of the UTF-8
      bytes over their total length, at least 0.6; candidates as in
      ``msgl-fsearch.c``) gives its msgstr, marked fuzzy, with its msgid as
      the previous msgid (``#|``);
    - else the message is untranslated.

    References (``#:``), extracted comments (``#.``) and format flags come
    from the template. Catalog messages that no template message used become
    obsolete (``#~``), without references or extracted comments; obsolete
    messages without a translation are dropped, as msgmerge drops them.
    The header keeps the catalog's fields (``Last-Translator``,
    ``X-Generator``...) with the known fields first in gettext's order;
    ``POT-Creation-Date`` and ``Report-Msgid-Bugs-To`` come from the template.

    We differ from ``msgmerge --lang`` on purpose in one point: ``Language``
    is filled in only when the catalog has none (the translator's value wins).

    :param statement_or_template: a statement (its template is extracted) or a
        template :class:`polib.POFile`.
    :param catalog_path_or_pofile: the catalog, as a path (read strictly; a
        path that does not exist means a new catalog) or a :class:`polib.POFile`;
        ``None`` for a new catalog.
    :param lang: the catalog's language (BCP 47), for a new catalog's
        ``Language`` and ``Plural-Forms`` header fields.
    :param fuzzy_matching: ``False`` is ``msgmerge --no-fuzzy-matching``.
    :returns: the merged catalog, a new :class:`polib.POFile` (the input is
        not modified); write it with :func:`catalog_bytes`.
    :raises CatalogError: the catalog file is not UTF-8 or not well-formed
        PO; the message names its line.
    """
    template = (extract_catalog(statement_or_template)
                if isinstance(statement_or_template, Statement) else statement_or_template)
    old: polib.POFile | None
    if isinstance(catalog_path_or_pofile, polib.POFile):
        old = catalog_path_or_pofile
    elif catalog_path_or_pofile is None or not Path(catalog_path_or_pofile).exists():
        old = None
    else:
        old = read_catalog_for_update(catalog_path_or_pofile)
    if old is None:
        old = new_catalog(template, lang=lang)
    return _merge(old, template, lang=lang, fuzzy_matching=fuzzy_matching)


def new_catalog(template: polib.POFile, *, lang: str) -> polib.POFile:
    """An empty catalog for ``lang`` with the template's header, as ``msginit``
    makes one: ``Language`` (gettext's ``ll_CC`` form) and ``Plural-Forms``
    (:func:`plural_forms`) added; no creation-time fields, so it is stable."""
    po = polib.POFile(wrapwidth=PAGE_WIDTH)
    gettext_lang = _gettext_language(lang)
    name = _english_language_name(lang)
    project = template.metadata.get("Project-Id-Version", "")
    po.header = f'{name or lang} translation of the statement "{project}".' if project else ""
    metadata = dict(template.metadata)
    metadata["Language"] = gettext_lang
    metadata["Plural-Forms"] = plural_forms(lang)
    po.metadata = metadata
    return po


def _english_language_name(lang: str) -> str:
    try:
        from babel import Locale

        return str(Locale.parse(lang, sep="-").get_display_name("en") or "")
    except (ValueError, TypeError, LookupError):
        return ""


def _gettext_language(lang: str) -> str:
    """BCP 47 ``pt-BR`` as gettext's ``pt_BR``."""
    parts = lang.replace("_", "-").split("-")
    head = parts[0].lower()
    rest = [p.upper() if len(p) == 2 else (p.title() if len(p) == 4 else p) for p in parts[1:]]
    if len(rest) == 1 and len(rest[0]) == 2:
        return f"{head}_{rest[0]}"
    return "-".join([head, *rest])


#: GNU gettext's plural forms (gettext-tools/src/plural-table.c, the manual's
#: "Plural forms" node), which ``msginit`` writes. Where CLDR (and so Babel)
#: differs, gettext's wins: for Spanish, Italian, French and Portuguese CLDR
#: adds a "many" form for millions (``nplurals=3``) and gives Portuguese the
#: Brazilian rule; gettext keeps ``nplurals=2``, which every PO editor expects.
_GETTEXT_PLURALS: Mapping[str, str] = {
    **{lang: "nplurals=1; plural=0;" for lang in ("ja", "vi", "ko")},
    **{lang: "nplurals=2; plural=(n != 1);" for lang in (
        "en", "de", "nl", "sv", "da", "no", "nb", "nn", "fo", "es", "pt", "it", "bg", "el",
        "fi", "et", "he", "eo", "hu", "tr", "ca")},
    "pt_BR": "nplurals=2; plural=(n > 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "lv": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
    "ga": "nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;",
    "ro": "nplurals=3; plural=n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2;",
    "lt": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || "
          "n%100>=20) ? 1 : 2);",
    **{lang: "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
             "(n%100<10 || n%100>=20) ? 1 : 2);" for lang in ("ru", "uk", "be", "sr", "hr")},
    **{lang: "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;" for lang in ("cs", "sk")},
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) "
          "? 1 : 2);",
    "sl": "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
}


def plural_forms(lang: str) -> str:
    """The ``Plural-Forms`` header value for ``lang`` (BCP 47 or ``ll_CC``).

    GNU gettext's table first (what ``msginit`` writes: ``es`` gives
    ``nplurals=2; plural=(n != 1);``, ``fr`` and ``pt-BR`` ``(n > 1)``), then
    Babel's CLDR rules for the languages gettext's table lacks (``ar``), then
    ``nplurals=2; plural=(n != 1);``.
    """
    gettext_lang = _gettext_language(lang)
    for key in (gettext_lang, gettext_lang.split("_")[0].split("-")[0]):
        if key in _GETTEXT_PLURALS:
            return _GETTEXT_PLURALS[key]
    try:
        from babel.messages.plurals import get_plural

        return str(get_plural(gettext_lang.replace("-", "_")).plural_forms)
    except (ValueError, TypeError, LookupError):
        return "nplurals=2; plural=(n != 1);"


def _merge(old: polib.POFile, template: polib.POFile, *, lang: str,
           fuzzy_matching: bool) -> polib.POFile:
    result = polib.POFile(wrapwidth=PAGE_WIDTH)
    result.header = old.header
    result.metadata_is_fuzzy = old.metadata_is_fuzzy
    result.metadata = _merge_header(old.metadata, template.metadata, lang)

    definitions = [entry for entry in old if entry.msgid or entry.msgctxt is not None]
    exact: dict[tuple[str | None, str], polib.POEntry] = {}
    for entry in definitions:  # an active message wins over an obsolete one
        key = (entry.msgctxt, entry.msgid)
        if key not in exact or (exact[key].obsolete and not entry.obsolete):
            exact[key] = entry
    index = _FuzzyIndex(definitions) if fuzzy_matching else None
    used: set[int] = set()
    for ref in template:
        if ref.obsolete or (not ref.msgid and ref.msgctxt is None):
            continue
        found = exact.get((ref.msgctxt, ref.msgid))
        if found is not None:
            result.append(_merge_entry(found, ref, force_fuzzy=False))
            used.add(id(found))
            continue
        found = index.search(ref.msgctxt, ref.msgid) if index is not None else None
        if found is not None:
            result.append(_merge_entry(found, ref, force_fuzzy=True))
            used.add(id(found))
            continue
        result.append(_untranslated(ref, _nplurals(result.metadata)))
    for entry in definitions:
        if id(entry) in used or not _translated(entry):
            continue
        result.append(_obsolete_copy(entry))
    return result


def _merge_header(old: Mapping[str, str], template: Mapping[str, str],
                  lang: str) -> dict[str, str]:
    known = {name.lower(): name for name in KNOWN_HEADER_FIELDS}
    fields: dict[str, str] = {}
    unknown: dict[str, str] = {}
    for key, value in old.items():
        canonical = known.get(key.lower())
        if canonical is not None:
            fields[canonical] = value
        else:
            unknown[key] = value
    for name in ("Report-Msgid-Bugs-To", "POT-Creation-Date"):
        for key, value in template.items():
            if key.lower() == name.lower():
                fields[name] = value
    if not fields.get("Language", "").strip():
        fields["Language"] = _gettext_language(lang)
    merged = {name: fields[name] for name in KNOWN_HEADER_FIELDS if name in fields}
    merged.update(unknown)
    return merged


def _nplurals(metadata: Mapping[str, str]) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else 2


def _translated(entry: polib.POEntry) -> bool:
    """msgmerge's test ``msgstr[0] != '\\0'``: the (first) translation is not empty."""
    if entry.msgid_plural:
        return bool(entry.msgstr_plural and entry.msgstr_plural.get(0, ""))
    return bool(entry.msgstr)


_FORMAT_FLAG = re.compile(r"^(no-)?[a-z0-9+#-]*-format$|^no-wrap$|^wrap$|^range: ")


def _merge_entry(old: polib.POEntry, ref: polib.POEntry, *, force_fuzzy: bool) -> polib.POEntry:
    """``message_merge`` of msgmerge.c: msgid and references from the template,
    msgstr and translator comments from the catalog."""
    fuzzy = "fuzzy" in old.flags or force_fuzzy
    entry = polib.POEntry(
        msgid=ref.msgid,
        msgctxt=ref.msgctxt,
        msgid_plural=ref.msgid_plural,
        tcomment=old.tcomment,
        comment=ref.comment,
        occurrences=list(ref.occurrences),
    )
    if ref.msgid_plural:
        if old.msgid_plural:
            entry.msgstr_plural = dict(old.msgstr_plural)
        else:
            entry.msgstr_plural = {0: old.msgstr}
            fuzzy = True
        if old.msgid_plural != ref.msgid_plural:
            fuzzy = True
    else:
        if old.msgid_plural:
            entry.msgstr = (old.msgstr_plural or {}).get(0, "")
            fuzzy = True
        else:
            entry.msgstr = old.msgstr
    flags = [flag for flag in ref.flags if flag != "fuzzy" and _FORMAT_FLAG.match(flag)]
    entry.flags = (["fuzzy"] if fuzzy else []) + flags
    if "fuzzy" in old.flags:
        prev = (old.previous_msgctxt, old.previous_msgid, old.previous_msgid_plural or None)
    else:
        prev = (old.msgctxt, old.msgid, old.msgid_plural or None)
    if fuzzy and _translated(entry):
        entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural = prev
    return entry


def _untranslated(ref: polib.POEntry, nplurals: int) -> polib.POEntry:
    entry = polib.POEntry(
        msgid=ref.msgid,
        msgctxt=ref.msgctxt,
        msgid_plural=ref.msgid_plural,
        comment=ref.comment,
        occurrences=list(ref.occurrences),
        flags=[flag for flag in ref.flags if flag != "fuzzy"],
    )
    if ref.msgid_plural:
        entry.msgstr_plural = {i: "" for i in range(nplurals)}
    else:
        entry.msgstr = ""
    return entry


def _obsolete_copy(old: polib.POEntry) -> polib.POEntry:
    entry = polib.POEntry(
        msgid=old.msgid,
        msgctxt=old.msgctxt,
        msgid_plural=old.msgid_plural,
        tcomment=old.tcomment,
        flags=list(old.flags),
        obsolete=True,
        previous_msgid=old.previous_msgid,
        previous_msgctxt=old.previous_msgctxt,
        previous_msgid_plural=old.previous_msgid_plural or None,
    )
    if old.msgid_plural:
        entry.msgstr_plural = dict(old.msgstr_plural)
    else:
        entry.msgstr = old.msgstr
    return entry


class _FuzzyIndex:
    """msgmerge's fuzzy search (gettext-tools/src/msgl-fsearch.c).

    Candidates are the catalog's translated messages (obsolete ones too).
    A msgid of four characters or more is compared with the messages sharing
    at least one 4-gram with it, most shared 4-grams first (then catalog
    order); a shorter one with the short messages of a compatible length.
    The first message with the highest similarity wins; it must reach
    :data:`FUZZY_THRESHOLD`. A message with the same msgctxt (or none) gets
    msgmerge's tiny bonus over one from another context.
    """

    def __init__(self, entries: Sequence[polib.POEntry]) -> None:
        self.entries = [entry for entry in entries if _translated(entry)]
        self.grams: dict[str, list[int]] = {}
        self.short: dict[int, list[int]] = {}
        for index, entry in enumerate(self.entries):
            msgid = entry.msgid
            for gram in dict.fromkeys(msgid[i:i + 4] for i in range(len(msgid) - 3)):
                self.grams.setdefault(gram, []).append(index)
            size = len(msgid.encode("utf-8"))
            if size <= _SHORT_MSG_MAX:
                self.short.setdefault(size, []).append(index)

    def search(self, msgctxt: str | None, msgid: str) -> polib.POEntry | None:
        if len(msgid) >= 4:
            counts: dict[int, int] = {}
            for i in range(len(msgid) - 3):
                for index in self.grams.get(msgid[i:i + 4], ()):
                    counts[index] = counts.get(index, 0) + 1
            order = sorted(counts, key=lambda index: (-counts[index], index))
        else:
            size = len(msgid.encode("utf-8"))
            low = math.ceil(size / (2 / FUZZY_THRESHOLD - 1))
            high = int(size * (2 / FUZZY_THRESHOLD - 1))
            order = [index for length in range(low, high + 1)
                     for index in self.short.get(length, ())]
        best: polib.POEntry | None = None
        best_weight = FUZZY_THRESHOLD
        target = msgid.encode("utf-8")
        for index in order:
            entry = self.entries[index]
            bonus = 0.0
            if entry.msgctxt is None or entry.msgctxt == msgctxt:
                bonus = 0.00001
            weight = _fstrcmp(target, entry.msgid.encode("utf-8"),
                              best_weight - bonus * 1.01) + bonus
            if weight > best_weight:
                best_weight, best = weight, entry
        return best


_SHORT_MSG_MAX = int(3 * 4 * (2 / FUZZY_THRESHOLD - 1))


def _fstrcmp(a: bytes, b: bytes, lower_bound: float = 0.0) -> float:
    """gnulib's ``fstrcmp_bounded``: ``2 * LCS(a, b) / (len(a) + len(b))``.

    Returns a value below ``lower_bound`` (0.0) when the result cannot reach
    it. The longest common subsequence is computed with the bit-parallel
    algorithm of Allison and Dix (Hyyrö's formulation).
    """
    total = len(a) + len(b)
    if not a or not b:
        return 1.0 if total == 0 else 0.0
    if lower_bound > 0:
        if 2 * min(len(a), len(b)) / total < lower_bound:
            return 0.0
        if total >= 20:
            diff = 0
            for byte in set(a) | set(b):
                diff += abs(a.count(byte) - b.count(byte))
            if (total - diff) / total < lower_bound:
                return 0.0
    masks: dict[int, int] = {}
    for i, byte in enumerate(a):
        masks[byte] = masks.get(byte, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full
    for byte in b:
        u = v & masks.get(byte, 0)
        v = ((v + u) | (v - u)) & full
    lcs = len(a) - bin(v).count("1")
    return (2 * lcs) / total


# ===========================================================================
# Status


@dataclass(frozen=True)
class Problem:
    """A unit that an edition shows in the source language, and why
    (the reasons of :func:`statementpub.catalogs.judge`)."""

    line: int
    role: str
    msgid: str
    reason: str
    #: the line where the unit's entry starts in the catalog (0: no entry), for the
    #: translator who edits the .po file in a text editor
    catalog_line: int = 0


@dataclass(frozen=True)
class LanguageStatus:
    """How far one language's catalog covers a statement.

    Counts are of distinct messages (units with the same msgid count once,
    as in the catalog): ``translated`` have a usable translation;
    ``fuzzy`` are marked fuzzy; ``untranslated`` have no entry, an empty
    msgstr, or only an obsolete entry; ``unusable`` have a translation that
    breaks the format's rules (drops a link target, a footnote...).
    ``obsolete`` counts the catalog's ``#~`` entries, ``stale`` its active
    entries that no unit uses any more (run ``update``). ``coverage`` is
    ``translated / total`` in percent, one decimal. ``problems`` lists every
    unit without a usable translation, by line.
    """

    lang: str
    catalog: str
    total: int
    translated: int
    fuzzy: int
    untranslated: int
    unusable: int
    obsolete: int
    stale: int
    coverage: float
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (``problems`` as a list of dicts)."""
        data = asdict(self)
        data["problems"] = [asdict(problem) for problem in self.problems]
        return data


def catalog_status(
    statement: Statement,
    langs: Iterable[str] | None = None,
    *,
    catalogs: Mapping[str, str | Path | polib.POFile] | None = None,
) -> list[LanguageStatus]:
    """The translation status of ``statement`` in each language.

    :param langs: BCP 47 tags; default every language with a catalog beside
        the source (or in ``translations``), the source language excepted.
    :param catalogs: catalogs to use instead of looking them up, by tag.
    :returns: one :class:`LanguageStatus` per language, in the order asked
        (sorted by tag by default).
    :raises CatalogError: a language's catalog is missing or malformed, or a
        language is the source language.
    """
    if langs is None:
        chosen = [tag for tag in available_catalogs(statement)
                  if not same_language(tag, statement.lang)]
    else:
        chosen = list(dict.fromkeys(langs))
    labels = tuple(note.label for note in statement.body.footnotes)
    units = list(iter_units(statement))
    statuses = []
    for lang in chosen:
        if same_language(lang, statement.lang):
            raise CatalogError(f"{lang!r} is the statement's source language: it has no catalog",
                               path=statement.display_path)
        given = (catalogs or {}).get(lang)
        if isinstance(given, polib.POFile):
            po, shown = given, "<catalog>"
        else:
            path = Path(given) if given is not None else find_catalog(statement, lang)
            po, shown = read_catalog_for_update(path), _relative(path, statement.base_dir)
        statuses.append(_status(lang, shown, po, units, labels, statement.body.references))
    return statuses


def _relative(path: Path, base: Path | None) -> str:
    """``path`` relative to the statement's folder when inside it (stable in reports)."""
    if base is not None:
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def _status(lang: str, shown: str, po: polib.POFile, units: Sequence[Unit],
            labels: tuple[str, ...],
            references: Mapping[str, Mapping[str, str]] | None = None) -> LanguageStatus:
    index = CatalogIndex.of(po)
    verdicts: dict[str, str | None] = {}
    problems = []
    for unit in units:
        if unit.msgid not in verdicts:
            verdicts[unit.msgid] = judge(unit.msgid, unit.markup, index, labels,
                                         references)[1]
        reason = verdicts[unit.msgid]
        if reason is not None:
            entry = index.active.get(unit.msgid) or index.obsolete.get(unit.msgid)
            linenum = getattr(entry, "linenum", 0) if entry is not None else 0
            problems.append(Problem(unit.line, unit.role, unit.msgid, reason,
                                    linenum if isinstance(linenum, int) else 0))
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0, "unusable": 0}
    for reason in verdicts.values():
        if reason is None:
            counts["translated"] += 1
        elif reason == "fuzzy":
            counts["fuzzy"] += 1
        elif reason.startswith("untranslated") or reason == "obsolete":
            counts["untranslated"] += 1
        else:
            counts["unusable"] += 1
    total = len(verdicts)
    obsolete = sum(1 for entry in po if entry.obsolete)
    stale = sum(1 for msgid in index.active if msgid not in verdicts)
    coverage = round(100.0 * counts["translated"] / total, 1) if total else 100.0
    return LanguageStatus(lang, shown, total, counts["translated"], counts["fuzzy"],
                          counts["untranslated"], counts["unusable"], obsolete, stale,
                          coverage, tuple(problems))


# ===========================================================================
# Writing PO files as GNU gettext does (gettext-tools/src/write-po.c)


def catalog_bytes(po: polib.POFile, *, width: int = PAGE_WIDTH) -> bytes:
    """``po`` as a PO file, byte for byte as GNU gettext's tools write it.

    The header entry first, then the messages in order, then the obsolete
    ones (``#~``); obsolete messages without a translation are left out, and
    a fuzzy flag on an untranslated message is not written (write-po.c does
    both). Strings are wrapped at ``width`` columns at UAX #14 line-break
    opportunities, a string with embedded newlines is cut after each.
    """
    chunks: list[list[str]] = []
    header = _header_entry(po)
    if header is not None:
        chunks.append(_message_lines(header))
    for entry in po:
        if not entry.obsolete and (entry.msgid or entry.msgctxt is not None):
            chunks.append(_message_lines(entry, width=width))
    for entry in po:
        if entry.obsolete and _translated(entry):
            chunks.append(_message_lines(entry, width=width))
    return ("\n".join("".join(chunk) for chunk in chunks)).encode("utf-8")


def _header_entry(po: polib.POFile) -> polib.POEntry | None:
    if not po.metadata and not po.header:
        return None
    msgstr = "".join(f"{key}: {value}\n" for key, value in po.metadata.items())
    entry = polib.POEntry(msgid="", msgstr=msgstr, tcomment=po.header or "")
    if po.metadata_is_fuzzy:
        entry.flags = ["fuzzy"]
    return entry


def _message_lines(entry: polib.POEntry, *, width: int = PAGE_WIDTH) -> list[str]:
    out: list[str] = []
    obsolete = bool(entry.obsolete)
    if entry.tcomment:
        for line in entry.tcomment.split("\n"):
            out.append(f"# {line}\n" if line else "#\n")
    if entry.comment:
        for line in entry.comment.split("\n"):
            out.append(f"#. {line}\n" if line else "#.\n")
    if entry.occurrences:
        out.append(_references(entry.occurrences, width))
    translated = _translated(entry) if entry.msgid or entry.msgctxt is not None \
        else bool(entry.msgstr)
    flags = [flag for flag in entry.flags if flag != "fuzzy"]
    fuzzy = "fuzzy" in entry.flags and translated
    if obsolete:
        if "fuzzy" in entry.flags:
            out.append("#, fuzzy\n")
    elif fuzzy or flags:
        out.append("#, " + ", ".join((["fuzzy"] if fuzzy else []) + flags) + "\n")
    wrap = width if "no-wrap" not in entry.flags else 1 << 30
    prev_prefix = "#~| " if obsolete else "#| "
    if entry.previous_msgctxt is not None:
        out += _wrap(prev_prefix, "msgctxt", entry.previous_msgctxt, wrap)
    if entry.previous_msgid is not None:
        out += _wrap(prev_prefix, "msgid", entry.previous_msgid, wrap)
    if entry.previous_msgid_plural:
        out += _wrap(prev_prefix, "msgid_plural", entry.previous_msgid_plural, wrap)
    prefix = "#~ " if obsolete else ""
    if entry.msgctxt is not None:
        out += _wrap(prefix, "msgctxt", entry.msgctxt, wrap)
    out += _wrap(prefix, "msgid", entry.msgid, wrap)
    if entry.msgid_plural:
        out += _wrap(prefix, "msgid_plural", entry.msgid_plural, wrap)
        forms = entry.msgstr_plural or {0: ""}
        for index in sorted(forms):
            out += _wrap(prefix, f"msgstr[{index}]", forms[index], wrap)
    else:
        out += _wrap(prefix, "msgstr", entry.msgstr, wrap)
    return out


def _references(occurrences: Sequence[tuple[str, str]], width: int) -> str:
    """``#:`` lines as ``message_print_comment_filepos`` fills them."""
    out = "#:"
    column = 2
    for path, line in dict.fromkeys((str(p), str(l) if l is not None else "")
                                    for p, l in occurrences):
        while path.startswith("./"):
            path = path[2:]
        text = f"{path}:{line}" if line not in (None, "", "-1") else path
        size = len(text) + 1
        if column > 2 and column + size > width:
            out += "\n#:"
            column = 2
        out += " " + text
        column += size
    return out + "\n"


_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v",
            "\\": "\\", '"': '"'}


def _wrap(prefix: str, name: str, value: str, width: int) -> list[str]:
    """The ``wrap`` function of write-po.c (non-indented style)."""
    lines: list[str] = []
    portions = re.findall(r"[^\n]*\n|[^\n]+", value) or [""]
    first_line = True
    after_break = len(prefix) + 1
    line_width = width - 1 - after_break
    for number, portion in enumerate(portions):
        text: list[str] = []
        overrides: list[bool] = []  # True: no break before this character
        for ch in portion:
            if ch in _ESCAPES:
                text += ["\\", _ESCAPES[ch]]
                overrides += [False, True]
            else:
                text.append(ch)
                overrides.append(False)
        if portion.endswith("\n"):
            overrides[-2] = True
        more = number + 1 < len(portions)
        while True:
            start = (len(prefix) + len(name) + 1 if first_line else len(prefix)) + 1 - after_break
            breaks = _width_linebreaks(text, line_width, start, overrides)
            if first_line and text and (more or start > line_width or any(breaks)):
                lines.append(f'{prefix}{name} ""\n')
                first_line = False
                continue
            break
        head = f"{prefix}{name} " if first_line else prefix
        first_line = False
        current = [head, '"']
        for ch, brk in zip(text, breaks):
            if brk:
                current.append('"\n')
                lines.append("".join(current))
                current = [prefix, '"']
            current.append(ch)
        current.append('"\n')
        lines.append("".join(current))
    return lines


# --- UAX #14 line breaking, as gnulib's unilbrk (u8-possible-linebreaks.c) ---

# Line-break classes; the first 33 index gnulib's pair table (lbrktables.c).
(WJ, GL, B2, BA, BB, HY, CL, CP1, CP2, EX, IN, NS, OP1, OP2, QU, IS, NU, PO, PR, SY, AL,
 H2, H3, ID1, ID2, JL, JV, JT, HL, RI, ZWJ, EB, EM) = range(33)
BK, CR, LF, CM, ZW, SP, CB, AI, SA, XX = range(33, 43)
HL_BA = 100

# gnulib's unilbrk_table (Unicode 14): D direct break, I indirect (only after
# spaces), P prohibited. Rows: the class before; columns: the class after.
_PAIRS = [row.replace(" ", "") for row in (
    "PIIIII PPPP IIIII PIIIP IIIIIIIIIIIII",  # WJ
    "PIIIII PPPP IIIII PIIIP IIIIIIIIIIIII",  # GL
    "PIPIDI PPPP IIDDI PDDDP DDDDDDDDDDDDD",  # B2
    "PDDIDI PPPP IIDDI PDDDP DDDDDDDDDDDDD",  # BA
    "PIIIII PPPP IIIII PIIIP IIIIIIIIIIIII",  # BB
    "PDDIDI PPPP IIDDI PIDDP DDDDDDDDDDDDD",  # HY
    "PIDIDI PPPP IPDDI PDIIP DDDDDDDDDDDDD",  # CL
    "PIDIDI PPPP IIDDI PIIIP IDDDDDDDIDIDD",  # CP1
    "PIDIDI PPPP IIDDI PDIIP DDDDDDDDDDDDD",  # CP2
    "PIDIDI PPPP IIDDI PDDDP DDDDDDDDDDDDD",  # EX
    "PIDIDI PPPP IIDDI PDDDP DDDDDDDDDDDDD",  # IN
    "PIDIDI PPPP IIDDI PDDDP DDDDDDDDDDDDD",  # NS
    "PPPPPP PPPP PPPPP PPPPP PPPPPPPPPPPPP",  # OP1
    "PPPPPP PPPP PPPPP PPPPP PPPPPPPPPPPPP",  # OP2
    "PIIIII PPPP IIPPI PIIIP IIIIIIIIIIIII",  # QU
    "PIDIDI PPPP IIDDI PIDDP DDDDDDDDDDDDD",  # IS
    "PIDIDI PPPP IIIDI PIIIP IDDDDDDDIDIDD",  # NU
    "PIDIDI PPPP IIIII PIDDP IDDDDDDDIDIDD",  # PO
    "PIDIDI PPPP IIIII PIDDP IIIIIIIIIDIII",  # PR
    "PIDIDI PPPP IIDDI PIDDP DDDDDDDDIDDDD",  # SY
    "PIDIDI PPPP IIIDI PIIIP IDDDDDDDIDIDD",  # AL
    "PIDIDI PPPP IIDDI PDIDP DDDDDDIIDDDDD",  # H2
    "PIDIDI PPPP IIDDI PDIDP DDDDDDDIDDDDD",  # H3
    "PIDIDI PPPP IIDDI PDIDP DDDDDDDDDDDDD",  # ID1
    "PIDIDI PPPP IIDDI PDIDP DDDDDDDDDDDDI",  # ID2
    "PIDIDI PPPP IIDDI PDIDP DIIDDIIDDDDDD",  # JL
    "PIDIDI PPPP IIDDI PDIDP DDDDDDIIDDDDD",  # JV
    "PIDIDI PPPP IIDDI PDIDP DDDDDDDIDDDDD",  # JT
    "PIDIDI PPPP IIIDI PIIIP IDDDDDDDIDIDD",  # HL
    "PIDIDI PPPP IIDDI PDDDP DDDDDDDDDDDDD",  # RI
    "PIDIDI PPPP IIIDI PIIIP IDDIIDDDIDIII",  # ZWJ
    "PIDIDI PPPP IIDDI PDIDP DDDDDDDDDDDDI",  # EB
    "PIDIDI PPPP IIDDI PDIDP DDDDDDDDDDDDD",  # EM
)]

# Classes of the characters a statement is likely to hold (LineBreak.txt);
# the rest is derived from the general category and East Asian width.
_CLASSES: dict[str, int] = {
    "\t": BA, "\n": LF, "\r": CR, "\x0b": BK, "\x0c": BK, " ": SP, "!": EX, '"': QU,
    "$": PR, "%": PO, "'": QU, "(": OP1, ")": CP1, "+": PR, ",": IS, "-": HY, ".": IS,
    "/": SY, ":": IS, ";": IS, "?": EX, "[": OP1, "\\": PR, "]": CP1, "{": OP1, "|": BA,
    "}": CL, "\x85": BK, "\xa0": GL, "\xa1": OP1, "\xa2": PO, "\xa3": PR, "\xa4": PR,
    "\xa5": PR, "\xa7": AI, "\xa8": AI, "\xaa": AI, "\xab": QU, "\xad": BA, "\xb0": PO,
    "\xb1": PR, "\xb2": AI, "\xb3": AI, "\xb4": BB, "\xb6": AI, "\xb7": AI, "\xb8": AI,
    "\xb9": AI, "\xba": AI, "\xbb": QU, "\xbc": AI, "\xbd": AI, "\xbe": AI, "\xbf": OP1,
    "\xd7": AI, "\xf7": AI,
    "\u058a": BA, "\u05be": BA, "\u060c": IS, "\u060d": IS, "\u061b": EX, "\u061f": EX,
    "\u066a": PO, "\u066b": NU, "\u066c": NU, "\u06d4": EX, "\u0964": BA, "\u0965": BA,
    "\u2007": GL, "\u200b": ZW, "\u200c": CM, "\u200d": ZWJ, "\u2010": BA, "\u2011": GL,
    "\u2012": BA, "\u2013": BA, "\u2014": B2, "\u2015": AI, "\u2016": AI, "\u2017": AL,
    "\u2018": QU, "\u2019": QU, "\u201a": OP1, "\u201b": QU, "\u201c": QU, "\u201d": QU,
    "\u201e": OP1, "\u201f": QU, "\u2020": AI, "\u2021": AI, "\u2022": AL, "\u2024": IN,
    "\u2025": IN, "\u2026": IN, "\u2027": BA, "\u2028": BK, "\u2029": BK, "\u202f": GL,
    "\u2030": PO, "\u2031": PO, "\u2032": PO, "\u2033": PO, "\u2034": PO, "\u2035": PO,
    "\u2036": PO, "\u2037": PO, "\u2039": QU, "\u203a": QU, "\u203b": AI, "\u203c": NS,
    "\u203d": NS, "\u2044": IS, "\u2045": OP1, "\u2046": CL, "\u2047": NS, "\u2048": NS,
    "\u2049": NS, "\u2056": BA, "\u2058": BA, "\u2059": BA, "\u205a": BA, "\u205b": BA,
    "\u205d": BA, "\u205e": BA, "\u205f": BA, "\u2060": WJ, "\u20a7": PO, "\u20b6": PO,
    "\u20bb": PO, "\u20be": PO, "\u2103": PO, "\u2109": PO, "\u2116": PR, "\u2212": PR,
    "\u2213": PR, "\u2e3a": B2, "\u2e3b": B2, "\u3000": BA, "\u3001": CL, "\u3002": CL,
    "\u3005": NS, "\u301c": NS, "\u30fb": NS, "\u30fc": NS, "\ufeff": WJ, "\uff01": EX,
    "\uff08": OP2, "\uff09": CP2, "\uff0c": CL, "\uff0e": CL, "\uff1a": NS, "\uff1b": NS,
    "\uff1f": EX,
}


@lru_cache(maxsize=4096)
def _lb_class(ch: str) -> int:
    found = _CLASSES.get(ch)
    if found is not None:
        return found
    code = ord(ch)
    if 0x30 <= code <= 0x39:
        return NU
    if code < 0x80:
        return CM if code < 0x20 or code == 0x7F else AL
    category = unicodedata.category(ch)
    wide = unicodedata.east_asian_width(ch) in ("W", "F")
    if 0x1F1E6 <= code <= 0x1F1FF:
        return RI
    if 0x1F3FB <= code <= 0x1F3FF:
        return EM
    if 0x05D0 <= code <= 0x05F2 or 0xFB1D <= code <= 0xFB4F:
        return HL
    if 0x0E00 <= code <= 0x0EFF or 0x1000 <= code <= 0x109F or 0x1780 <= code <= 0x17FF:
        return SA
    if category in ("Mn", "Mc", "Me", "Cc", "Cf"):
        return CM
    if category == "Nd":
        return ID1 if wide else NU
    if category == "Zs":
        return BA
    if category in ("Zl", "Zp"):
        return BK
    if category == "Ps":
        return OP2 if wide else OP1
    if category == "Pe":
        return CL
    if category in ("Pi", "Pf"):
        return QU
    if category == "Pd":
        return BA
    if category == "Sc":
        return PR
    if wide:
        return ID1
    return AL


def _char_width(ch: str) -> int:
    """gnulib's ``uc_width`` in a UTF-8 locale: -1 control, 0 non-spacing, 2 wide."""
    code = ord(ch)
    if code < 0x20 or 0x7F <= code < 0xA0:
        return -1
    if code == 0xAD:
        return 1
    if unicodedata.category(ch) in ("Mn", "Me", "Cf") or 0x1160 <= code <= 0x11FF:
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


_PROHIBITED, _POSSIBLE, _MANDATORY = 0, 1, 2


def _possible_linebreaks(text: Sequence[str]) -> list[int]:
    """Break opportunities before each character (gnulib's
    ``u8_possible_linebreaks``: UAX #14 with its pair table)."""
    result = [_PROHIBITED] * len(text)
    prev_prop = last_prop = BK
    seen_space = False
    ri_count = 0
    for i, ch in enumerate(text):
        prop = _lb_class(ch)
        if prop in (BK, LF, CR):
            result[i] = _MANDATORY
            prev_prop, last_prop, seen_space = prop, BK, False
        else:
            if prop == AI or prop in (SA, XX):
                prop = AL
            elif prop == CB:
                prop = ID1
            if prop == SP:
                seen_space = True
            elif prop == ZW:
                last_prop, seen_space = ZW, False
            elif prop in (CM, ZWJ):
                if last_prop == BK:
                    last_prop, seen_space = AL, False
                elif last_prop == ZW or seen_space:
                    result[i] = _POSSIBLE
                    last_prop, seen_space = AL, False
            else:
                if last_prop == BK:
                    pass
                elif last_prop == ZW:
                    result[i] = _POSSIBLE
                elif prev_prop == ZWJ:
                    pass
                elif last_prop == RI and prop == RI:
                    if seen_space or ri_count % 2 == 0:
                        result[i] = _POSSIBLE
                elif prev_prop == HL_BA:
                    pass
                else:
                    kind = _PAIRS[last_prop][prop]
                    if kind == "D" or (kind == "I" and seen_space):
                        result[i] = _POSSIBLE
                last_prop, seen_space = prop, False
            prev_prop = HL_BA if prev_prop == HL and prop in (HY, BA) else prop
        ri_count = ri_count + 1 if prop == RI else 0
    return result


def _width_linebreaks(text: Sequence[str], width: int, start_column: int,
                      prohibit: Sequence[bool]) -> list[bool]:
    """Where to break ``text`` to fit ``width`` columns (gnulib's
    ``u8_width_linebreaks``: greedy, a piece longer than the line stays whole)."""
    possible = _possible_linebreaks(text)
    breaks = [False] * len(text)
    last: int | None = None
    last_column = start_column
    piece_width = 0
    for i, ch in enumerate(text):
        kind = _PROHIBITED if prohibit[i] else possible[i]
        if kind != _PROHIBITED and last is not None and last_column + piece_width > width:
            breaks[last] = True
            last_column = 0
        if kind == _MANDATORY:
            last, last_column, piece_width = None, 0, 0
        else:
            if kind == _POSSIBLE:
                last = i
                last_column += piece_width
                piece_width = 0
            w = _char_width(ch)
            if w >= 0:
                piece_width += w
    if last is not None and last_column + piece_width > width:
        breaks[last] = True
    return breaks
