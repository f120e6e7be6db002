"""The nodes of an edition: a finished document in one language.

An :class:`~statementpub.edition.Edition` is a tree of blocks and inlines,
modelled on pandoc's AST (``Text.Pandoc.Definition``): every node holds its
final text, and every node that can be in another language than its parent
holds its language (``lang``, a BCP 47 tag). A node without a ``lang`` field
is in its parent's language. Renderers only walk this tree; they translate,
look up and resolve nothing.

Ids (headings, figures, notes ``fn-N``, citations ``fnref-N`` and
``fnref-N-K``) are unique within the edition (STATEMENT_FORMAT.md, "Notes and
ids").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "BackRef",
    "Block",
    "BlockQuote",
    "Cell",
    "Code",
    "CodeBlock",
    "Emph",
    "Figure",
    "Heading",
    "Image",
    "Inline",
    "LineBreak",
    "Link",
    "ListBlock",
    "ListItem",
    "Note",
    "NoteRef",
    "Para",
    "Span",
    "Str",
    "Strong",
    "Table",
    "Text",
    "ThematicBreak",
    "plain_text",
    "walk_blocks",
]


@dataclass(frozen=True, slots=True)
class Text:
    """A plain text of an edition and the language it is in (a title, a label, a name)."""

    value: str
    lang: str


# --------------------------------------------------------------------------
# Inlines


@dataclass(frozen=True, slots=True)
class Str:
    """A run of text (no-break spaces and other characters exactly as written)."""

    text: str


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A hard line break (CommonMark: two spaces or a backslash before a line end)."""


@dataclass(frozen=True, slots=True)
class Emph:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Code:
    text: str


@dataclass(frozen=True, slots=True)
class Link:
    """A link. ``bare`` is True when its text is its own address (shown once)."""

    href: str
    children: tuple[Inline, ...]
    title: str = ""
    bare: bool = False


@dataclass(frozen=True, slots=True)
class Image:
    """An image: ``path`` is the file inside the statement folder; ``alt`` is
    ``""`` for a decorative image."""

    src: str
    path: Path
    alt: str
    decorative: bool = False
    title: str = ""


@dataclass(frozen=True, slots=True)
class NoteRef:
    """A citation of a note: shows ``number``, links to ``note_id``; ``id`` is its own."""

    number: int
    note_id: str
    id: str


@dataclass(frozen=True, slots=True)
class Span:
    """Inline content in another language than its surroundings."""

    children: tuple[Inline, ...]
    lang: str


Inline = Str | LineBreak | Emph | Strong | Code | Link | Image | NoteRef | Span


# --------------------------------------------------------------------------
# Blocks


@dataclass(frozen=True, slots=True)
class Heading:
    """A body heading (level 2 to 6). ``plain`` is its text without note marks
    (for the outline, the table of contents and bookmarks)."""

    level: int
    id: str
    content: tuple[Inline, ...]
    lang: str
    plain: str
    classes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Para:
    content: tuple[Inline, ...]
    lang: str


@dataclass(frozen=True, slots=True)
class Figure:
    """A paragraph that holds nothing but one image; ``lang`` is its alternative text's."""

    image: Image
    lang: str
    id: str = ""


@dataclass(frozen=True, slots=True)
class ListItem:
    """A list item; ``lang`` is the language of its own text (its first paragraph)."""

    blocks: tuple[Block, ...]
    lang: str


@dataclass(frozen=True, slots=True)
class ListBlock:
    ordered: bool
    items: tuple[ListItem, ...]
    start: int = 1
    tight: bool = True


@dataclass(frozen=True, slots=True)
class BlockQuote:
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: ``header`` for a column header; ``align`` is ``""``, ``left``,
    ``center`` or ``right``."""

    content: tuple[Inline, ...]
    lang: str
    header: bool
    align: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    head: tuple[tuple[Cell, ...], ...]
    body: tuple[tuple[Cell, ...], ...]

    @property
    def caption(self) -> str:
        """The column headers' text, for naming the table (``"Year, Flow"``)."""
        return ", ".join(plain_text(cell.content) for cell in self.head[0]) if self.head else ""


@dataclass(frozen=True, slots=True)
class CodeBlock:
    text: str
    info: str = ""


@dataclass(frozen=True, slots=True)
class ThematicBreak:
    pass


@dataclass(frozen=True, slots=True)
class BackRef:
    """A way back from a note to one of its citations (``ref_id``); ``label`` is
    the accessible name ("Back to reference 1") in its own language."""

    ref_id: str
    label: Text


@dataclass(frozen=True, slots=True)
class Note:
    """One footnote definition: one number, and a way back to each citation."""

    id: str
    number: int
    blocks: tuple[Block, ...]
    backrefs: tuple[BackRef, ...]


Block = Heading | Para | Figure | ListBlock | BlockQuote | Table | CodeBlock | ThematicBreak


def plain_text(inlines: Iterable[Inline], *, notes: bool = False) -> str:
    """The visible text of inline content: images give their alternative text,
    line breaks a space; note marks are left out unless ``notes``."""
    parts: list[str] = []

    def visit(items: Iterable[Inline]) -> None:
        for node in items:
            if isinstance(node, Str):
                parts.append(node.text)
            elif isinstance(node, Code):
                parts.append(node.text)
            elif isinstance(node, LineBreak):
                parts.append(" ")
            elif isinstance(node, Image):
                parts.append(node.alt)
            elif isinstance(node, NoteRef):
                if notes:
                    parts.append(str(node.number))
            else:
                visit(node.children)

    visit(inlines)
    return "".join(parts)


def walk_blocks(blocks: Iterable[Block]) -> Iterator[Block]:
    """Every block, depth first, in document order."""
    for block in blocks:
        yield block
        if isinstance(block, ListBlock):
            for item in block.items:
                yield from walk_blocks(item.blocks)
        elif isinstance(block, BlockQuote):
            yield from walk_blocks(block.blocks)
