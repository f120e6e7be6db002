"""Updating a language's catalog from a statement, as ``msgmerge --previous`` does.

The rules are those of the gettext manual ("Invoking the msgmerge Program")
and of ``match_domain`` and ``message_merge`` in gettext-tools/src/msgmerge.c:
exact matches keep their translation (obsolete ones are revived); a new
message close to an old one gets the old translation, marked fuzzy, with the
old msgid as ``#|`` (the similarity is gnulib's ``fstrcmp``, the candidates
those of ``msgl-fsearch.c``); unused messages become obsolete (``#~``). A
translation is never lost. A new catalog is made as ``msginit`` makes one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import polib

from ..errors import CatalogError
from ..langtags import registry_name, same_language
from ..model import Statement
from .extract import extract_catalog
from .plurals import gettext_language, plural_forms
from .pofile import PAGE_WIDTH, is_translated, read_catalog_for_update

__all__ = ["FUZZY_THRESHOLD", "KNOWN_HEADER_FIELDS", "catalog_path", "fstrcmp", "new_catalog",
           "translator_fields", "update_catalog"]

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
    A field that gettext expects and the catalog lacks is added with the value of
    :func:`new_catalog` (``Project-Id-Version``, ``PO-Revision-Date``,
    ``Last-Translator``, ``Language-Team``, ``MIME-Version``,
    ``Content-Transfer-Encoding``, ``Plural-Forms``), so that ``msgfmt --check``
    is silent.

    We differ from ``msgmerge --lang`` on purpose in one point: ``Language``
    is set only when the catalog has none, or one of another language (a copy
    of the template names the source language); a regional variant the
    translator wrote (``es_MX`` in ``statement.es.po``) is kept.

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
    """An empty catalog for ``lang`` with the template's header, as
    ``msginit --no-translator`` makes one: ``Language`` (gettext's ``ll_CC`` form),
    ``Plural-Forms`` (:func:`plural_forms`) and the translator's fields of
    :func:`translator_fields` (deterministic: no clock time, so the same statement
    gives the same bytes)."""
    po = polib.POFile(wrapwidth=PAGE_WIDTH)
    gettext_lang = gettext_language(lang)
    name = _english_language_name(lang)
    project = template.metadata.get("Project-Id-Version", "")
    po.header = f'{name or lang} translation of the statement "{project}".' if project else ""
    metadata = dict(template.metadata)
    metadata.update(translator_fields(template.metadata))
    metadata["Language"] = gettext_lang
    metadata["Plural-Forms"] = plural_forms(lang)
    po.metadata = metadata
    return po


def translator_fields(template: Mapping[str, str]) -> dict[str, str]:
    """The header fields a translator's PO editor fills in, with the values
    ``msginit --no-translator`` gives a catalog nobody has translated yet, so that
    ``msgfmt --check`` finds every field gettext expects:

    - ``PO-Revision-Date``: the template's ``POT-Creation-Date`` (msginit writes the
      clock time; a fixed value keeps ``update`` reproducible, byte for byte);
    - ``Last-Translator``: ``Automatically generated``;
    - ``Language-Team``: ``none``.

    Poedit and Weblate replace all three when a translator saves the file.
    """
    return {"PO-Revision-Date": template.get("POT-Creation-Date", ""),
            "Last-Translator": "Automatically generated",
            "Language-Team": "none"}


def _english_language_name(lang: str) -> str:
    """CLDR's English name of ``lang``, else the IANA registry's ("Mam"), else ""."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(lang, sep="-").get_display_name("en") or "")
    except (ValueError, TypeError, LookupError, UnknownLocaleError):
        return registry_name(lang) or ""



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
        if id(entry) in used or not is_translated(entry):
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
    # the fields gettext expects (msgfmt --check warns when one is missing): the
    # template's, and those msginit gives a catalog without a named translator
    expected = {name: template[name] for name in ("Project-Id-Version", "MIME-Version",
                                                  "Content-Type", "Content-Transfer-Encoding")
                if name in template}
    for name, value in {**expected, **translator_fields(template)}.items():
        fields.setdefault(name, value)
    language = fields.get("Language", "").strip()
    if not language or not same_language(language.replace("_", "-"), lang):
        # none, or another language's (a copy of the template names the source language)
        fields["Language"] = gettext_language(lang)
    # statementpub writes UTF-8 (catalog_bytes), whatever charset the catalog was in
    content_type = fields.get("Content-Type", "text/plain; charset=UTF-8")
    if "charset=" in content_type:
        fields["Content-Type"] = re.sub(r"charset=[^;\s]*", "charset=UTF-8", content_type)
    else:
        fields["Content-Type"] = content_type.rstrip("; ") + "; charset=UTF-8"
    merged = {name: fields[name] for name in KNOWN_HEADER_FIELDS if name in fields}
    merged.update(unknown)
    if not any(key.lower() == "plural-forms" for key in merged):
        merged["Plural-Forms"] = plural_forms(lang)
    return merged


def _nplurals(metadata: Mapping[str, str]) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else 2



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
    if fuzzy and is_translated(entry):
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
        entry.msgstr_plural = dict.fromkeys(range(nplurals), "")
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
        self.entries = [entry for entry in entries if is_translated(entry)]
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
            weight = fstrcmp(target, entry.msgid.encode("utf-8"),
                              best_weight - bonus * 1.01) + bonus
            if weight > best_weight:
                best_weight, best = weight, entry
        return best


_SHORT_MSG_MAX = int(3 * 4 * (2 / FUZZY_THRESHOLD - 1))


def fstrcmp(a: bytes, b: bytes, lower_bound: float = 0.0) -> float:
    """The similarity of two msgids as msgmerge measures it (gnulib's
    ``fstrcmp_bounded``): ``2 * LCS(a, b) / (len(a) + len(b))``, from 0.0 to
    1.0, over the UTF-8 bytes (two empty strings: 1.0).

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
