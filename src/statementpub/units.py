"""Translation units of a statement (STATEMENT_FORMAT.md, "Translation units").

A unit is one translatable text: its msgid is the source text with white
space folded; it knows the line where it starts (for ``#:`` references), its
role (for ``#.`` comments) and whether it is plain text or inline Markdown.
Units come in the format's document order:

1. title, subtitle; 2. summary paragraphs; 3. link labels; 4. publisher name,
logo alternative text; 5. body blocks in the order written (footnotes after
the blocks); 6. signatory notes.

Units whose visible text holds no letter are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .markdown import inspect_inline
from .model import (
    Block,
    BlockQuote,
    Figure,
    Heading,
    Inline,
    ListBlock,
    Paragraph,
    Statement,
    Table,
)
from .text import fold

__all__ = ["Unit", "iter_units", "translator_hint"]


@dataclass(frozen=True, slots=True)
class Unit:
    """One translatable text of a statement.

    ``markup`` is True for inline Markdown, False for plain text (title,
    link labels, publisher name, logo alternative text).
    """

    msgid: str
    line: int
    role: str
    markup: bool


def _has_letter(text: str, markup: bool, labels: tuple[str, ...]) -> bool:
    if not markup:
        return any(ch.isalpha() for ch in text)
    return inspect_inline(text, labels).has_letter


def iter_units(statement: Statement) -> Iterator[Unit]:
    """Every extractable unit of ``statement`` in document order (duplicates kept)."""
    labels = tuple(note.label for note in statement.body.footnotes)
    for unit in _all_units(statement):
        if unit.msgid and _has_letter(unit.msgid, unit.markup, labels):
            yield unit


def _all_units(s: Statement) -> Iterator[Unit]:
    yield Unit(fold(s.title), s.line_of("title"), "Title", False)
    if s.subtitle is not None:
        yield Unit(s.subtitle.text, s.subtitle.line, "Subtitle", True)
    for para in s.summary:
        yield Unit(para.text, para.line, "Summary paragraph", True)
    for index, link in enumerate(s.links):
        yield Unit(fold(link.label), s.line_of(f"links[{index}].label"), "Link label", False)
    if s.publisher is not None:
        yield Unit(fold(s.publisher.name), s.line_of("publisher.name"), "Publisher name", False)
        if s.publisher.logo is not None:
            yield Unit(fold(s.publisher.logo.alt), s.line_of("publisher.logo.alt"),
                       "Logo alternative text", False)
    # Body blocks and footnote definitions "in the order written": a footnote's
    # paragraphs stand where its definition is written, so merge by line (stable:
    # the cells of one table row keep their order).
    body = list(_blocks(s.body.blocks, "Paragraph"))
    for note in s.body.footnotes:
        body.extend(_blocks(note.blocks, "Footnote paragraph"))
    yield from sorted(body, key=lambda unit: unit.line)
    for sig in s.signatories:
        if sig.note is not None:
            yield Unit(sig.note.text, sig.note.line, "Signatory note", True)


def _inline(content: Inline, role: str) -> Unit:
    return Unit(content.text, content.line, role, True)


def _blocks(blocks: tuple[Block, ...], paragraph_role: str) -> Iterator[Unit]:
    for block in blocks:
        if isinstance(block, Heading):
            yield _inline(block.content, f"Heading, level {block.level}")
        elif isinstance(block, Paragraph):
            yield _inline(block.content, paragraph_role)
        elif isinstance(block, Figure):
            if block.alt is not None:
                yield _inline(block.alt, "Image alternative text")
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _blocks(item.blocks, "List item")
        elif isinstance(block, BlockQuote):
            yield from _blocks(block.blocks, "Blockquote paragraph")
        elif isinstance(block, Table):
            for row in block.head:
                for cell in row:
                    yield _inline(cell, "Table header cell")
            for row in block.body:
                for cell in row:
                    yield _inline(cell, "Table cell")


def translator_hint(unit: Unit, footnote_labels: tuple[str, ...] = ()) -> str | None:
    """A second ``#.`` line that helps the translator, or ``None``."""
    if not unit.markup:
        return None
    info = inspect_inline(unit.msgid, footnote_labels)
    hints = []
    if info.link_targets:
        hints.append("Keep the link target in parentheses unchanged"
                     if sum(info.link_targets.values()) == 1 else
                     "Keep the link targets in parentheses unchanged")
    if info.footnote_refs:
        hints.append("Keep the footnote reference" + ("s " if len(info.footnote_refs) > 1
                                                       else " ")
                     + ", ".join(f"[^{label}]" for label in info.footnote_refs))
    if info.image_sources:
        hints.append("Keep the image source unchanged")
    return "; ".join(hints) + "." if hints else None
