"""Making an edition: the statement's tree, translated and resolved in one language.

Sphinx's ``Locale`` transform is the model: each translatable unit's msgid is
the key into the catalog; a usable msgstr is parsed back into inline nodes and
replaces the source's; everything after (the renderers) sees one finished
document. The source-language edition, and every unit without a usable
translation, renders the source as written (hard line breaks and no-break
spaces included), marked with the source language.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import polib
from markdown_it.token import Token

from .. import model as src
from ..catalogs import CatalogIndex, catalog_index_of_file, find_catalog, judge, read_catalog_file
from ..coverage import Coverage, measure
from ..i18n import CatalogFolders, Interface, interface
from ..langtags import direction, same_language
from ..markdown import inline_tokens, inspect_inline, msgstr_markdown
from ..memo import IdentityCache
from ..model import Statement
from ..options import language_tag
from ..text import fold
from ..units import iter_units
from .edition import (
    ContactPart,
    Edition,
    Fallback,
    LinkPart,
    LogoPart,
    PublisherPart,
    SignatoryPart,
)
from .labels import InterfaceFallback, make_labels
from .nodes import (
    BackRef,
    Block,
    BlockQuote,
    Cell,
    Code,
    CodeBlock,
    Emph,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Note,
    NoteRef,
    Para,
    Str,
    Strong,
    Table,
    Text,
    ThematicBreak,
    plain_text,
)

__all__ = ["make_edition"]


def make_edition(
    statement: Statement,
    lang: str,
    catalog: polib.POFile | str | Path | None = None,
    *,
    interface_catalogs: CatalogFolders = None,
) -> Edition:
    """Make the edition of ``statement`` in ``lang``: a finished document tree.

    :param statement: a validated :class:`~statementpub.model.Statement`.
    :param lang: a BCP 47 tag. The source language, or a regional variant of
        it, needs no catalog.
    :param catalog: a :class:`polib.POFile` or the path of a ``.po`` file; when
        ``None`` it is looked up beside the source (STATEMENT_FORMAT.md,
        "Editions and catalogs").
    :param interface_catalogs: folders of interface catalogs looked in before
        statementpub's own (``DIR/<tag>.po`` or ``DIR/<tag>/LC_MESSAGES/statementpub.po``).
    :returns: an :class:`Edition` whose every node carries its final text and
        language; units without a usable translation are listed in
        :attr:`Edition.fallbacks` with their line and reason; interface texts
        shown in another language (no interface catalog or no CLDR data for
        ``lang``: they fall back to the source language when statementpub has
        it, else English) in :attr:`Edition.interface_fallbacks`.
    :raises LanguageTagError: ``lang`` is not a valid BCP 47 tag.
    :raises CatalogError: the catalog (or an interface catalog) is missing or malformed.
    """
    tag = language_tag(lang, path=statement.path)
    ui = interface(tag, fallback=statement.lang, catalogs=interface_catalogs)
    if same_language(tag, statement.lang):
        return _EDITIONS.get_or_make(statement, lambda: _make(statement, tag, ui, None),
                                     (tag, ui.key, None))
    if catalog is None:
        catalog = find_catalog(statement, tag)
    if not isinstance(catalog, (str, Path)):
        return _make(statement, tag, ui, _Catalog(CatalogIndex.of(catalog)))
    # read once: the digest is that of the bytes translated, whatever the file
    # holds by the time the build records it
    catalog_path = Path(catalog)
    data, key = read_catalog_file(catalog_path)

    def make() -> Edition:
        index = catalog_index_of_file(data, key, display=str(catalog_path))
        return _make(statement, tag, ui, _Catalog(index, catalog_path, key.sha256))

    return _EDITIONS.get_or_make(statement, make, (tag, ui.key, key))


#: Editions made, by the statement's identity (a :class:`Statement` is frozen), the
#: language, the interface (its catalogs' identities and bytes) and the statement
#: catalog's identity and bytes: the same call again returns the same edition, and
#: a catalog saved between two calls gives a new one. Editions made from a
#: :class:`polib.POFile`, which can change, are not kept.
_EDITIONS: IdentityCache[Statement, Edition] = IdentityCache(maxsize=16)


@dataclasses.dataclass(frozen=True, slots=True)
class _Catalog:
    """A statement catalog, indexed, and where it was read from."""

    index: CatalogIndex
    path: Path | None = None
    sha256: str | None = None


def _make(statement: Statement, tag: str, ui: Interface, catalog: _Catalog | None) -> Edition:
    translations: dict[tuple[str, bool], str] = {}
    fallbacks: list[Fallback] = []
    coverage: Coverage | None = None
    if catalog is not None:
        labels = tuple(note.label for note in statement.body.footnotes)
        units = list(iter_units(statement))
        for unit in units:
            key = (unit.msgid, unit.markup)
            msgstr, reason = judge(unit.msgid, unit.markup, catalog.index, labels,
                                   statement.body.references)
            if msgstr is not None:
                translations[key] = msgstr
            else:
                fallbacks.append(Fallback(unit.line, unit.role, unit.msgid,
                                          reason or "unusable"))
        coverage = measure(units, (msgid for msgid, _ in translations), labels,
                           statement.body.references)
    edition = _Builder(statement, tag, ui, translations, tuple(fallbacks),
                       catalog.path if catalog is not None else None).edition()
    if coverage is not None:
        edition = dataclasses.replace(edition, coverage=coverage)
    if catalog is not None and catalog.sha256 is not None:
        edition = dataclasses.replace(edition, catalog_sha256=catalog.sha256)
    return edition


class _Builder:
    """Builds one edition's tree in document order (citations are counted as they come)."""

    def __init__(self, statement: Statement, lang: str, ui: Interface,
                 translations: Mapping[tuple[str, bool], str],
                 fallbacks: tuple[Fallback, ...], catalog_path: Path | None) -> None:
        self.statement = statement
        self.lang = lang
        self.ui = ui
        self.translations = translations
        self.fallbacks = fallbacks
        self.catalog_path = catalog_path
        self.source_edition = same_language(lang, statement.lang)
        self.labels = make_labels(ui, kind=statement.kind, date=statement.date,
                                  signatories=len(statement.signatories))
        self.numbers = {note.label: note.number for note in statement.body.footnotes}
        self.footnote_labels = tuple(self.numbers)
        self.citations: dict[int, list[str]] = defaultdict(list)
        self.interface_fallbacks: list[InterfaceFallback] = list(self.labels.fallbacks)

    # -- texts -------------------------------------------------------------

    def plain(self, value: str) -> Text:
        """A plain-text unit (title, link label, publisher name, logo alt)."""
        key = fold(value)
        if self.source_edition:
            return Text(key, self.statement.lang)
        found = self.translations.get((key, False))
        if found is not None:
            return Text(found, self.lang)
        if not any(ch.isalpha() for ch in key):
            return Text(key, self.lang)  # not a unit: no letter to translate
        return Text(key, self.statement.lang)

    def markdown(self, source: src.Inline, *, cell: bool = False) -> tuple[str, str]:
        """The Markdown to render for a unit, and its language."""
        if not self.source_edition:
            found = self.translations.get((source.text, True))
            if found is not None:
                text = msgstr_markdown(found)
                return (text.replace("\\|", "|") if cell else text), self.lang
        text = source.markdown
        if cell:
            text = text.replace("\\|", "|")
        lang = self.statement.lang
        if not self.source_edition and (source.text, True) not in self.translations \
                and not _is_unit(source.text, self.footnote_labels):
            lang = self.lang
        return text, lang

    def inlines(self, source: src.Inline, *, cell: bool = False) -> tuple[tuple[Inline, ...],
                                                                            str]:
        text, lang = self.markdown(source, cell=cell)
        tokens = inline_tokens(text, self.footnote_labels, self.statement.body.references)
        return _Inlines(self, tokens).convert(), lang

    # -- blocks ------------------------------------------------------------

    def blocks(self, blocks: Sequence[Any]) -> tuple[Block, ...]:
        out: list[Block] = []
        for block in blocks:
            node = self.block(block)
            if node is not None:
                out.append(node)
        return tuple(out)

    def block(self, block: Any) -> Block | None:
        if isinstance(block, src.Heading):
            content, lang = self.inlines(block.content)
            return Heading(block.level, block.id, content, lang, plain_text(content),
                           block.classes)
        if isinstance(block, src.Paragraph):
            content, lang = self.inlines(block.content)
            return Para(content, lang)
        if isinstance(block, src.Figure):
            if block.alt is None:
                return Figure(Image(block.src, block.path, "", True, block.title),
                              self.lang, block.id)
            alt = self.plain_markdown(block.alt)
            return Figure(Image(block.src, block.path, alt.value, False, block.title),
                          alt.lang, block.id)
        if isinstance(block, src.ListBlock):
            items = []
            for item in block.items:
                inner = self.blocks(item.blocks)
                first = inner[0] if inner else None
                lang = first.lang if isinstance(first, Para) else self.lang
                items.append(ListItem(inner, lang))
            return ListBlock(block.ordered, tuple(items), block.start, block.tight)
        if isinstance(block, src.BlockQuote):
            return BlockQuote(self.blocks(block.blocks))
        if isinstance(block, src.Table):
            def row(cells: Sequence[src.Inline], header: bool) -> tuple[Cell, ...]:
                out = []
                for i, cell in enumerate(cells):
                    content, lang = self.inlines(cell, cell=True)
                    align = block.aligns[i] if i < len(block.aligns) else ""
                    out.append(Cell(content, lang, header, align))
                return tuple(out)
            return Table(tuple(row(r, True) for r in block.head),
                         tuple(row(r, False) for r in block.body))
        if isinstance(block, src.CodeBlock):
            return CodeBlock(block.text, block.info)
        if isinstance(block, src.ThematicBreak):
            return ThematicBreak()
        return None

    def plain_markdown(self, source: src.Inline) -> Text:
        """An image's alternative text: inline Markdown shown as plain text."""
        content, lang = self.inlines(source)
        return Text(plain_text(content), lang)

    # -- the edition -------------------------------------------------------

    def edition(self) -> Edition:
        s = self.statement
        title = self.plain(s.title)
        subtitle = Para(*self.inlines(s.subtitle)) if s.subtitle is not None else None
        summary = tuple(Para(*self.inlines(p)) for p in s.summary)
        links = tuple(LinkPart(self.plain(link.label), link.url) for link in s.links)
        publisher = None
        if s.publisher is not None:
            logo = None
            if s.publisher.logo is not None:
                logo = LogoPart(s.publisher.logo.path, self.plain(s.publisher.logo.alt))
            publisher = PublisherPart(self.plain(s.publisher.name), s.publisher.url, logo)
        body = self.blocks(s.body.blocks)
        # Notes: their content after the body (citations inside notes count too).
        note_blocks = [(note, self.blocks(note.blocks)) for note in s.body.footnotes]
        signatories = []
        for sig in s.signatories:
            sig_note = Para(*self.inlines(sig.note)) if sig.note is not None else None
            country = None
            if sig.country:
                shown = self.ui.territory_name(sig.country)
                country = Text(shown.value, shown.lang)
                if shown.reason is not None:
                    self.interface_fallbacks.append(InterfaceFallback(
                        f"the name of {sig.country.upper()}", shown.lang, shown.reason))
            signatories.append(SignatoryPart(Text(sig.name, sig.lang), sig.url, country, sig_note,
                                             sig.line))
        notes = []
        back = self.labels.back_to_reference
        for note, blocks in sorted(note_blocks, key=lambda pair: pair[0].number):
            refs = self.citations.get(note.number) or [f"fnref-{note.number}"]
            backrefs = tuple(BackRef(ref, Text(back.value % {"number": note.number}, back.lang))
                             for ref in refs)
            notes.append(Note(f"fn-{note.number}", note.number, blocks, backrefs))
        contact = None
        if s.contact is not None:
            contact = ContactPart(
                Text(s.contact.name, s.lang) if s.contact.name else None,
                s.contact.email, s.contact.phone)
        description = Text(plain_text(summary[0].content), summary[0].lang) if summary \
            else Text("", self.lang)
        return Edition(
            statement=s, lang=self.lang, dir=direction(self.lang), labels=self.labels,
            fallbacks=self.fallbacks, catalog_path=self.catalog_path,
            interface_fallbacks=tuple(dict.fromkeys(self.interface_fallbacks)),
            title=title, subtitle=subtitle, summary=summary, links=links,
            publisher=publisher, body=body, notes=tuple(notes),
            signatories=tuple(signatories), contact=contact, description=description,
        )

    def cite(self, label: str) -> NoteRef | None:
        number = self.numbers.get(label)
        if number is None:
            return None
        refs = self.citations[number]
        ident = f"fnref-{number}" if not refs else f"fnref-{number}-{len(refs) + 1}"
        refs.append(ident)
        return NoteRef(number, f"fn-{number}", ident)


def _is_unit(msgid: str, labels: tuple[str, ...]) -> bool:
    return inspect_inline(msgid, labels).has_letter


class _Inlines:
    """markdown-it's inline token stream -> inline nodes."""

    def __init__(self, builder: _Builder, tokens: list[Token]) -> None:
        self.builder = builder
        self.tokens = tokens
        self.pos = 0

    def convert(self, until: str | None = None) -> tuple[Inline, ...]:
        out: list[Inline] = []
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            self.pos += 1
            kind = token.type
            if until is not None and kind == until:
                break
            if kind == "text" or kind == "html_inline":
                _append_text(out, token.content)
            elif kind == "softbreak":
                _append_text(out, " ")
            elif kind == "hardbreak":
                out.append(LineBreak())
            elif kind == "code_inline":
                out.append(Code(token.content))
            elif kind == "em_open":
                out.append(Emph(self.convert("em_close")))
            elif kind == "strong_open":
                out.append(Strong(self.convert("strong_close")))
            elif kind == "link_open":
                href = str(token.attrs.get("href", ""))
                title = str(token.attrs.get("title", "") or "")
                children = self.convert("link_close")
                text = plain_text(children)
                bare = text == href or (href.lower().startswith("mailto:")
                                        and text == href[len("mailto:"):])
                out.append(Link(href, children, title, bare))
            elif kind == "image":
                src = str(token.attrs.get("src", ""))
                classes = str(token.attrs.get("class", "")).split()
                decorative = "decorative" in classes
                alt = "" if decorative else fold(plain_text(
                    _Inlines(self.builder, list(token.children or [])).convert()))
                path = self.builder.statement.body.images.get(src, Path(src))
                out.append(Image(src, path, alt, decorative or not alt,
                                 str(token.attrs.get("title", "") or "")))
            elif kind == "footnote_ref":
                ref = self.builder.cite(str(token.meta.get("label", "")))
                if ref is not None:
                    out.append(ref)
            # footnote_anchor and anything else: nothing to show
        return tuple(out)


def _append_text(out: list[Inline], text: str) -> None:
    if out and isinstance(out[-1], Str):
        out[-1] = Str(out[-1].text + text)
    else:
        out.append(Str(text))

