"""An :class:`Edition`: a statement in one language, every text carrying its language.

Made from a :class:`~statementpub.model.Statement`, a language tag and (for a
language other than the source's) a statement catalog. Each unit is judged
once (:func:`statementpub.catalogs.judge`); a unit without a usable
translation keeps its source text and the source language, and is listed in
:attr:`Edition.fallbacks` with its line and reason. Renderers read only
editions: they never see a catalog.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import polib

from .catalogs import CatalogIndex, find_catalog, judge, read_catalog
from .errors import CatalogError, Diagnostic, InterfaceLanguageError
from .i18n import Interface, UiText, interface
from .langtags import normalize_lang, same_language
from .text import fold
from .model import Inline, Statement
from .units import iter_units

__all__ = ["Edition", "Fallback", "Text", "make_edition"]


@dataclass(frozen=True, slots=True)
class Text:
    """A text of an edition and the language it is in.

    ``markup`` is True when ``value`` is inline Markdown, False for plain text.
    """

    value: str
    lang: str
    markup: bool = False


@dataclass(frozen=True, slots=True)
class Fallback:
    """A unit shown in the source language, and why."""

    line: int
    role: str
    msgid: str
    reason: str


@dataclass(frozen=True)
class Edition:
    """The statement in one language. Build with :func:`make_edition`."""

    statement: Statement
    lang: str
    ui: Interface
    fallbacks: tuple[Fallback, ...] = ()
    catalog_path: Path | None = None
    _texts: Mapping[tuple[str, bool], Text] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def source_lang(self) -> str:
        return self.statement.lang

    @property
    def dir(self) -> str:
        """Text direction of the edition's language: ``"ltr"`` or ``"rtl"``."""
        return self.ui.direction

    def text(self, source: Inline | str, *, markup: bool | None = None) -> Text:
        """The edition's text for a translatable source text.

        An :class:`Inline` is inline Markdown; a ``str`` is plain text unless
        ``markup`` says otherwise. Texts that are not units (no letter) come
        back unchanged, in the edition's language.
        """
        if isinstance(source, Inline):
            key, is_markup = source.text, True if markup is None else markup
        else:
            key, is_markup = fold(source), bool(markup)
        found = self._texts.get((key, is_markup))
        if found is not None:
            return found
        value = source.text if isinstance(source, Inline) else source
        return Text(value, self.lang, is_markup)

    def untranslated(self, value: str) -> Text:
        """A text that is never translated (a name), in the source language."""
        return Text(value, self.source_lang)

    def ui_text(self, text: UiText) -> Text:
        return Text(text.value, text.lang)


def make_edition(
    statement: Statement,
    lang: str,
    catalog: polib.POFile | str | Path | None = None,
) -> Edition:
    """Make the edition of ``statement`` in ``lang``.

    :param lang: a BCP 47 tag. The source language, or a regional variant of
        it, needs no catalog.
    :param catalog: a :class:`polib.POFile` or the path of a ``.po`` file; when
        ``None`` it is looked up beside the source (STATEMENT_FORMAT.md).
    :raises CatalogError: the catalog is missing or malformed.
    :raises InterfaceLanguageError: the library has no interface catalog for ``lang``.
    """
    tag = normalize_lang(lang)
    if tag is None:
        raise CatalogError(f"unknown language tag {lang!r} (a BCP 47 tag such as 'en', 'es' "
                           "or 'es-MX')", path=str(statement.path) if statement.path
                           is not None else None)
    try:
        ui = interface(tag)
    except InterfaceLanguageError as exc:
        # Name the statement, and the line of 'lang' when the source language is the one.
        if exc.diagnostics or statement.path is None:
            raise
        line = statement.line_of("lang") if same_language(tag, statement.lang) else 0
        raise InterfaceLanguageError(exc.message, diagnostics=[
            Diagnostic(exc.message, str(statement.path), line or 1)]) from None
    labels = tuple(note.label for note in statement.body.footnotes)
    texts: dict[tuple[str, bool], Text] = {}
    fallbacks: list[Fallback] = []
    catalog_path: Path | None = None
    if same_language(tag, statement.lang):
        for unit in iter_units(statement):
            texts[(unit.msgid, unit.markup)] = Text(unit.msgid, statement.lang, unit.markup)
        return Edition(statement, tag, ui, (), None, MappingProxyType(texts))
    if catalog is None:
        catalog = find_catalog(statement, tag)
    if isinstance(catalog, (str, Path)):
        catalog_path = Path(catalog)
        po = read_catalog(catalog_path)
    else:
        po = catalog
    index = CatalogIndex.of(po)
    for unit in iter_units(statement):
        key = (unit.msgid, unit.markup)
        msgstr, reason = judge(unit.msgid, unit.markup, index, labels,
                               statement.body.references)
        if msgstr is not None:
            texts[key] = Text(msgstr, tag, unit.markup)
        else:
            texts.setdefault(key, Text(unit.msgid, statement.lang, unit.markup))
            fallbacks.append(Fallback(unit.line, unit.role, unit.msgid, reason or "unusable"))
    return Edition(statement, tag, ui, tuple(fallbacks), catalog_path, MappingProxyType(texts))
