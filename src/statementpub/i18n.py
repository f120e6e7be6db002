"""The library's own interface strings, from ``locales/<lang>/LC_MESSAGES/statementpub.po``.

Interface strings ("Signatories", kind labels, page labels, the EPUB
accessibility summary) are marked in the code with :func:`N_`-style calls to
``gettext``/``ngettext``/``pgettext`` on an :class:`Interface`, extracted by
Babel into ``locales/statementpub.pot`` (``python -m
statementpub.extract_ui``). Each lookup returns a :class:`~statementpub.edition.Text`
that knows its language: a string without a usable translation falls back to
the English msgid and says so (``lang="en"``), so renderers mark it.

Catalogs are read with Babel's strict PO reader and compiled in memory to a
:class:`gettext.GNUTranslations` (so plural forms follow the catalog's
``Plural-Forms`` header, as in the gettext manual). Dates use Babel's CLDR
data.
"""

from __future__ import annotations

import datetime as _dt
import gettext as _gettext
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from .errors import CatalogError, InterfaceLanguageError
from .resources import locales_dir

__all__ = ["DOMAIN", "Interface", "UiText", "available_languages", "interface"]

DOMAIN = "statementpub"
#: The language the interface strings are written in (the msgids).
SOURCE_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class UiText:
    """An interface string and the language it is actually in."""

    value: str
    lang: str


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


def available_languages() -> list[str]:
    """Languages with an interface catalog, sorted (``['en', 'es', ...]``)."""
    root = locales_dir()
    return sorted(p.parent.parent.name.replace("_", "-") for p in
                  root.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def _catalog_path(lang: str) -> Path | None:
    root = locales_dir()
    candidates = [lang, lang.replace("-", "_"), lang.split("-")[0]]
    for name in candidates:
        for directory in root.iterdir():
            if directory.name.lower() == name.lower():
                path = directory / "LC_MESSAGES" / f"{DOMAIN}.po"
                if path.is_file():
                    return path
    return None


@lru_cache(maxsize=32)
def _translations(path: Path, mtime_ns: int) -> _gettext.GNUTranslations:
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
    except (PoFileError, OSError, ValueError) as exc:
        line = getattr(exc, "lineno", -1)
        raise CatalogError(f"interface catalog is malformed: {exc}", path=path,
                           line=line + 1 if isinstance(line, int) and line >= 0 else 0) from exc
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    translations = _gettext.GNUTranslations(buffer)
    translations.add_fallback(_Missing())
    return translations


class Interface:
    """The interface strings of one language. Immutable and thread-safe."""

    def __init__(self, lang: str, translations: _gettext.GNUTranslations | None) -> None:
        self.lang = lang
        self._t = translations
        self.locale = Locale.parse(lang, sep="-")

    def _lookup(self, func: str, *args: Any) -> UiText:
        if self._t is None:
            return UiText(self._source(func, *args), SOURCE_LANGUAGE)
        try:
            value = getattr(self._t, func)(*args)
        except _NotTranslated:
            return UiText(self._source(func, *args), SOURCE_LANGUAGE)
        if not value:
            return UiText(self._source(func, *args), SOURCE_LANGUAGE)
        return UiText(value, self.lang)

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
        return UiText(text.value % params if params else text.value, text.lang)

    def pgettext(self, context: str, message: str, **params: Any) -> UiText:
        """Translate ``message`` in ``context`` (msgctxt)."""
        text = self._lookup("pgettext", context, message)
        return UiText(text.value % params if params else text.value, text.lang)

    def ngettext(self, singular: str, plural: str, n: int, **params: Any) -> UiText:
        """Translate with the catalog's plural rule; ``n`` is available as ``%(n)d``."""
        text = self._lookup("ngettext", singular, plural, n)
        return UiText(text.value % {"n": n, **params}, text.lang)

    def date(self, value: _dt.date) -> UiText:
        """``value`` in CLDR's long format for this language ("20 de septiembre de 2018")."""
        return UiText(format_date(value, format="long", locale=self.locale), self.lang)

    @property
    def direction(self) -> str:
        """``"ltr"`` or ``"rtl"``, from CLDR."""
        return "rtl" if self.locale.text_direction == "rtl" else "ltr"

    def territory_name(self, code: str) -> UiText:
        """The name of an ISO 3166-1 alpha-2 territory in this language (CLDR): "México"."""
        return UiText(self.locale.territories.get(code.upper(), code), self.lang)

    def language_name(self, lang: str) -> UiText:
        """The name of ``lang`` in that language itself (an autonym: "Español")."""
        locale = Locale.parse(lang, sep="-")
        name = locale.get_display_name(locale) or lang
        return UiText(name[:1].upper() + name[1:], lang)


def interface(lang: str) -> Interface:
    """The interface strings for ``lang`` (a BCP 47 tag; ``es-MX`` falls back to ``es``).

    :raises InterfaceLanguageError: no interface catalog for that language;
        the message lists the available ones.
    :raises CatalogError: the interface catalog is malformed.
    """
    path = _catalog_path(lang)
    if path is None:
        if lang.split("-")[0].lower() == SOURCE_LANGUAGE:
            return Interface(lang, None)
        raise InterfaceLanguageError(
            f"statementpub has no interface catalog for language {lang!r}; available: "
            + ", ".join(available_languages()))
    return Interface(lang, _translations(path, path.stat().st_mtime_ns))


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
