"""The library's own interface strings, from ``locales/<lang>/LC_MESSAGES/statementpub.po``.

Interface strings ("Signatories", kind labels, page labels, the EPUB
accessibility summary) are marked in the code with :func:`N_`-style calls to
``gettext``/``ngettext``/``pgettext`` on an :class:`Interface`, extracted by
Babel into ``locales/statementpub.pot`` (``python -m
statementpub.extract_ui``). Each lookup returns a :class:`UiText` that knows
its language.

Any language can have an edition (STATEMENT_FORMAT.md, "Editions and
catalogs"). Where statementpub has no interface catalog for the edition's
language (or its catalog lacks a string), the string falls back to the
statement's source language when statementpub has a catalog for it, else to
English (the msgids); where CLDR has no data for the language (dates,
country names), the same fallback language's CLDR data is used. Such a text
carries the language it is really in and the reason (:attr:`UiText.reason`),
so that the edition marks it and the build reports it.

Interface catalogs are looked for first in the folders the caller gives
(``--interface-catalogs DIR``: ``DIR/<tag>.po`` or
``DIR/<tag>/LC_MESSAGES/statementpub.po``), then in the package's
``locales/``. They are read with Babel's strict PO reader and compiled in
memory to a :class:`gettext.GNUTranslations` (so plural forms follow the
catalog's ``Plural-Forms`` header, as in the gettext manual). Dates use
Babel's CLDR data.
"""

from __future__ import annotations

import datetime as _dt
import gettext as _gettext
import io
import os
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.localedata import load as _load_locale_data
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from .errors import CatalogError
from .langtags import primary_language, registry_name, same_language
from .memo import LRU, FileKey, NotRegularFile, read_file
from .resources import locales_dir
from .text import bidi_problem, forbidden_character

__all__ = ["DOMAIN", "Interface", "UiText", "available_languages", "catalog_folders",
           "interface"]

DOMAIN = "statementpub"
#: The language the interface strings are written in (the msgids).
SOURCE_LANGUAGE = "en"

#: Folders of interface catalogs, as callers give them: one folder, several, or none.
CatalogFolders = str | Path | Sequence[str | Path] | None


@dataclass(frozen=True, slots=True)
class UiText:
    """An interface string, the language it is actually in, and, when that is not
    the language asked for, why (``reason``: "statementpub has no interface
    catalog for 'mam'", "CLDR has no dates for 'ht'")."""

    value: str
    lang: str
    reason: str | None = None


class _Missing(_gettext.NullTranslations):
    """Fallback that tells a missing translation from one equal to its msgid."""

    def gettext(self, message: str) -> str:
        raise _NotTranslated

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        raise _NotTranslated

    def pgettext(self, context: str, message: str) -> str:
        raise _NotTranslated


class _NotTranslated(Exception):
    pass


def catalog_folders(folders: CatalogFolders) -> tuple[Path, ...]:
    """``folders`` as a tuple of paths (``None``: none)."""
    if folders is None:
        return ()
    if isinstance(folders, (str, Path)):
        return (Path(folders),)
    return tuple(Path(folder) for folder in folders)


def _roots(folders: CatalogFolders) -> tuple[Path, ...]:
    return (*catalog_folders(folders), locales_dir())


def _tag_of(path: Path) -> str:
    """The lowercased tag of an interface catalog file (``pt_BR/LC_MESSAGES/...`` ->
    ``pt-br``)."""
    name = path.parent.parent.name if path.name == f"{DOMAIN}.po" and \
        path.parent.name == "LC_MESSAGES" else path.stem
    return name.replace("_", "-").lower()


def _catalogs_in(root: Path) -> dict[str, Path]:
    """The interface catalogs in one folder, by lowercased tag (``es``, ``pt-br``)."""
    found: dict[str, Path] = {}
    if not root.is_dir():
        return found
    for path in sorted(root.glob(f"*/LC_MESSAGES/{DOMAIN}.po")) + sorted(root.glob("*.po")):
        if path.is_file():
            found.setdefault(_tag_of(path), path)
    return found


def _catalog_in(root: Path, tag: str) -> Path | None:
    """``_catalogs_in(root).get(tag)``, from one listing of ``root`` and without
    looking at the other languages' files."""
    try:
        entries = sorted(os.listdir(root))  # as pathlib's glob lists it: hidden names too
    except OSError:
        return None
    for entry in entries:
        if entry.replace("_", "-").lower() == tag:
            path = root / entry / "LC_MESSAGES" / f"{DOMAIN}.po"
            if path.is_file():
                return path
    for entry in entries:
        if entry.endswith(".po"):
            path = root / entry
            if _tag_of(path) == tag and path.is_file():
                return path
    return None


def available_languages(folders: CatalogFolders = None) -> list[str]:
    """Languages with an interface catalog (in ``folders`` or the package), sorted
    (``['ar', 'de', 'en', 'es', ...]``)."""
    langs: set[str] = set()
    for root in _roots(folders):
        langs.update(_catalogs_in(root))
    return sorted(langs)


def _catalog_path(lang: str, folders: CatalogFolders = None) -> Path | None:
    """The interface catalog of ``lang``: the tag itself, then its language
    (``es-MX`` -> ``es``), in the caller's folders first, then the package's."""
    roots = _roots(folders)
    for name in dict.fromkeys([lang.lower(), primary_language(lang)]):
        for root in roots:
            path = _catalog_in(root, name)
            if path is not None:
                return path
    return None


#: Compiled interface catalogs, by the file's identity and bytes.
_TRANSLATIONS: LRU[FileKey, _gettext.GNUTranslations] = LRU(maxsize=32)


def _translations(data: bytes, path: Path) -> _gettext.GNUTranslations:
    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    except (PoFileError, ValueError) as exc:
        line = getattr(exc, "lineno", -1)
        raise CatalogError(f"interface catalog is malformed: {exc}", path=path,
                           line=line + 1 if isinstance(line, int) and line >= 0 else 0) from exc
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    translations = _gettext.GNUTranslations(buffer)
    translations.add_fallback(_Missing())
    return translations


def _read(path: Path) -> tuple[bytes, FileKey]:
    try:
        return read_file(path)
    except (OSError, NotRegularFile) as exc:
        raise CatalogError(f"interface catalog cannot be read: {exc}", path=path) from exc


def _load(data: bytes, key: FileKey) -> _gettext.GNUTranslations:
    """The compiled catalog of ``data``, read from the file ``key`` names."""
    return _TRANSLATIONS.get_or_make(key, lambda: _translations(data, key.path))


@lru_cache(maxsize=256)
def _locale(lang: str) -> Locale | None:
    """CLDR's locale for ``lang``, or ``None`` when CLDR does not have the language."""
    try:
        return Locale.parse(lang, sep="-")
    except (UnknownLocaleError, ValueError):
        return None


def _root_months() -> Any:
    return _load_locale_data("root")["months"]["format"]["wide"]


def _has_dates(locale: Locale | None) -> bool:
    """Whether CLDR has month names of its own for ``locale``: what root gives every
    locale ("M09" for September, ``ht``) is not the language's."""
    if locale is None:
        return False
    try:
        wide = locale.months["format"]["wide"]
    except (KeyError, TypeError):
        return False
    return bool(wide) and dict(wide) != dict(_root_months())


def _names_territory(locale: Locale | None, code: str) -> bool:
    """Whether CLDR names the territory ``code`` in ``locale`` (root names none)."""
    return locale is not None and code in locale.territories


class Interface:
    """The interface strings of one language. Immutable and thread-safe.

    Made by :func:`interface`: ``chain`` is the languages tried in order, each
    with its compiled catalog (``None``: English, the msgids themselves).
    """

    def __init__(self, lang: str, chain: Sequence[tuple[str, _gettext.NullTranslations | None]],
                 *, has_catalog: bool = True, key: Hashable = None) -> None:
        self.lang = lang
        #: what the interface was made from (its language, fallback, and the identity
        #: and bytes of each catalog file): equal keys, equal interfaces
        self.key = key
        self._chain = tuple(chain)
        self.has_catalog = has_catalog
        #: CLDR's locale of the language, ``None`` when CLDR does not have it (``mam``)
        self.locale = _locale(lang)
        self._cldr_fallbacks = tuple(dict.fromkeys(
            [code for code, _ in self._chain[1:]] + [SOURCE_LANGUAGE]))

    def _reason(self) -> str:
        if not self.has_catalog:
            return f"statementpub has no interface catalog for {self.lang!r}"
        return f"the interface catalog for {self.lang!r} does not translate it"

    def _lookup(self, func: str, *args: Any) -> UiText:
        for code, translations in self._chain:
            reason = None if same_language(code, self.lang) else self._reason()
            if translations is None:
                return UiText(self._source(func, *args), code, reason)
            try:
                value = getattr(translations, func)(*args)
            except _NotTranslated:
                continue
            if value and (forbidden_character(value) or bidi_problem(value)):
                # held to the rules of a statement's msgstr: not shown, falls back
                continue
            if value:
                return UiText(value, code, reason)
        return UiText(self._source(func, *args), SOURCE_LANGUAGE,  # pragma: no cover
                      self._reason())

    @staticmethod
    def _source(func: str, *args: Any) -> str:
        if func == "gettext":
            return str(args[0])
        if func == "pgettext":
            return str(args[1])
        return str(args[0] if args[2] == 1 else args[1])

    def gettext(self, message: str, **params: Any) -> UiText:
        """Translate ``message``; ``params`` fill its ``%(name)s`` placeholders."""
        text = self._lookup("gettext", message)
        return UiText(text.value % params if params else text.value, text.lang, text.reason)

    def pgettext(self, context: str, message: str, **params: Any) -> UiText:
        """Translate ``message`` in ``context`` (msgctxt)."""
        text = self._lookup("pgettext", context, message)
        return UiText(text.value % params if params else text.value, text.lang, text.reason)

    def ngettext(self, singular: str, plural: str, n: int, **params: Any) -> UiText:
        """Translate with the catalog's plural rule; ``n`` is available as ``%(n)d``.

        A string that falls back to another language takes that language's
        plural rule (its catalog's ``Plural-Forms``), as it is shown in it."""
        text = self._lookup("ngettext", singular, plural, n)
        return UiText(text.value % {"n": n, **params}, text.lang, text.reason)

    def date(self, value: _dt.date) -> UiText:
        """``value`` in CLDR's long format for this language ("20 de septiembre de 2018"),
        or in the fallback language's when CLDR has no month names for this one."""
        if _has_dates(self.locale):
            assert self.locale is not None
            return UiText(format_date(value, format="long", locale=self.locale), self.lang)
        for code in self._cldr_fallbacks:
            locale = _locale(code)
            if _has_dates(locale):
                assert locale is not None
                return UiText(format_date(value, format="long", locale=locale), code,
                              f"CLDR has no dates for {self.lang!r}")
        return UiText(value.isoformat(), self.lang)  # pragma: no cover - English has dates

    @property
    def direction(self) -> str:
        """``"ltr"`` or ``"rtl"``, from CLDR."""
        return "rtl" if self.locale is not None and self.locale.text_direction == "rtl" \
            else "ltr"

    def territory_name(self, code: str) -> UiText:
        """The name of an ISO 3166-1 alpha-2 territory in this language (CLDR): "México";
        in the fallback language when CLDR does not name it in this one."""
        code = code.upper()
        if _names_territory(self.locale, code):
            assert self.locale is not None
            return UiText(self.locale.territories[code], self.lang)
        for fallback in self._cldr_fallbacks:
            locale = _locale(fallback)
            if _names_territory(locale, code):
                assert locale is not None
                return UiText(locale.territories[code], fallback,
                              f"CLDR has no name of {code} in {self.lang!r}")
        return UiText(code, self.lang)

    def language_name(self, lang: str) -> UiText:
        """The name of ``lang`` in that language itself (an autonym: "Español"); where
        CLDR has none, its English name (CLDR's, else the IANA registry's: "Mam"),
        marked ``en``."""
        locale = _locale(lang)
        name = locale.get_display_name(locale) if locale is not None else None
        if name and locale is not None and primary_language(lang) in locale.languages:
            return UiText(name[:1].upper() + name[1:], lang)
        english = _locale(SOURCE_LANGUAGE)
        assert english is not None
        shown = english.languages.get(primary_language(lang)) or registry_name(lang) or lang
        return UiText(shown[:1].upper() + shown[1:], SOURCE_LANGUAGE,
                      f"CLDR has no name of {lang!r} in that language")


def interface(lang: str, *, fallback: str | None = None,
              catalogs: CatalogFolders = None) -> Interface:
    """The interface strings for ``lang`` (a BCP 47 tag; ``es-MX`` falls back to ``es``).

    :param fallback: the statement's source language: where there is no
        catalog (or no translation) for ``lang``, its strings are used when
        statementpub has a catalog for it, else English.
    :param catalogs: folders of interface catalogs to look in before the
        package's own (``DIR/<tag>.po`` or ``DIR/<tag>/LC_MESSAGES/statementpub.po``).
    :raises CatalogError: an interface catalog is malformed.
    """
    path = _catalog_path(lang, catalogs)
    english = primary_language(lang) == SOURCE_LANGUAGE  # the msgids are English
    source_path = None
    if fallback is not None and not english and not same_language(fallback, lang):
        source_path = _catalog_path(fallback, catalogs)
    # the files as they are now: a catalog saved since the last call is read again
    files = {found: _read(found) for found in (path, source_path) if found is not None}
    # each file in its place (the language's, the fallback's): None where there is none
    key = (lang, fallback, *(files[found][1] if found is not None else None
                             for found in (path, source_path)))
    return _INTERFACES.get_or_make(key, lambda: _interface(lang, fallback, path, source_path,
                                                           files, key))


#: Interfaces by language, fallback and the identities and bytes of their catalogs.
_INTERFACES: LRU[Hashable, Interface] = LRU(maxsize=32)


def _interface(lang: str, fallback: str | None, path: Path | None, source_path: Path | None,
               files: dict[Path, tuple[bytes, FileKey]], key: Hashable) -> Interface:
    chain: list[tuple[str, _gettext.NullTranslations | None]] = []
    has_catalog = path is not None or primary_language(lang) == SOURCE_LANGUAGE
    if path is not None:
        chain.append((lang, _load(*files[path])))
    elif primary_language(lang) == SOURCE_LANGUAGE:
        chain.append((lang, None))
    english = primary_language(lang) == SOURCE_LANGUAGE
    if fallback is not None and not english and not same_language(fallback, lang):
        if source_path is not None:
            chain.append((fallback, _load(*files[source_path])))
        elif primary_language(fallback) == SOURCE_LANGUAGE:
            chain.append((fallback, None))
    chain.append((SOURCE_LANGUAGE, None))  # the msgids
    if path is None and primary_language(lang) != SOURCE_LANGUAGE:
        # no catalog: the first language of the chain is a fallback
        chain.insert(0, (lang, _Missing()))
    return Interface(lang, chain, has_catalog=has_catalog, key=key)


# ---------------------------------------------------------------------------
# Maintenance: regenerate locales/statementpub.pot from the code and templates.

def extract_ui(output: Path | None = None) -> bytes:
    """Extract the interface strings with Babel into ``locales/statementpub.pot``.

    Scans ``src/statementpub/**/*.py`` and ``templates/*.j2`` (Jinja2's Babel
    extractor) with the keywords ``gettext``, ``ngettext``, ``pgettext`` and
    ``N_``; ``# Translators:`` comments become ``#.`` comments. References name
    the file without a line number, and the header has no date and no tool
    version, so the same code gives the same bytes whatever Babel release
    extracts it. The file is written as GNU gettext writes PO files
    (:func:`statementpub.translate.pofile.catalog_bytes`: 79 columns).

    :param output: where to write the template; ``None`` writes nothing.
    :returns: the template's bytes.
    """
    import polib
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    from .translate.pofile import catalog_bytes

    package = Path(__file__).resolve().parent
    keywords = {"gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}
    method_map = [("**.py", "python"), ("templates/**.j2", "jinja2")]
    options = {"templates/**.j2": {"extensions": "jinja2.ext.i18n"}}
    catalog = Catalog(project="statementpub", charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            str(package), method_map=method_map, options_map=options, keywords=keywords,
            comment_tags=("Translators:",), strip_comment_tags=True):
        catalog.add(message, None, [(f"statementpub/{filename}", lineno)],
                    auto_comments=comments, context=context)
    po = polib.POFile(wrapwidth=79)
    po.header = ("Interface strings of statementpub: kind labels, \"Signatories\", page "
                 "labels...\nRegenerate with: python -m statementpub.extract_ui")
    po.metadata = {
        "Project-Id-Version": "statementpub",
        "PO-Revision-Date": "",
        "Last-Translator": "",
        "Language-Team": "",
        # the msgids' language: msgfmt --check warns on an empty one; msginit, Poedit
        # and Weblate set the translation's own when they make a catalog from this
        "Language": "en",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    for item in catalog:
        if not item.id:
            continue
        msgid, plural = item.id if isinstance(item.id, tuple) else (item.id, "")
        entry = polib.POEntry(
            msgid=msgid, msgid_plural=plural, msgctxt=item.context,
            comment="\n".join(dict.fromkeys(item.auto_comments)),
            occurrences=[(path, "") for path in dict.fromkeys(loc[0]
                                                             for loc in item.locations)],
            flags=sorted(flag for flag in item.flags if flag != "fuzzy"))
        if plural:
            entry.msgstr_plural = {0: "", 1: ""}
        po.append(entry)
    data = catalog_bytes(po)
    if output is not None:
        output.write_bytes(data)
    return data
