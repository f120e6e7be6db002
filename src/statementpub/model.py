"""The validated, immutable model of a statement (STATEMENT_FORMAT.md, version 1).

A :class:`Statement` is what the loader makes of a source file (or of a
mapping handed over by another tool). Its body is a :class:`Document`: a tree
of blocks whose translatable texts are :class:`Inline` values holding the
inline Markdown exactly as written (white space folded, per the format's
msgid rule), with the line where each starts.

Nothing here knows about output formats or catalogs, and nothing here
imports the loader: :meth:`Statement.from_mapping` calls the reader that
:mod:`statementpub.loader` provides (:func:`provide_mapping_reader`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, Protocol

from .kinds import KINDS

__all__ = [
    "KINDS",
    "RESERVED_IDS",
    "RESERVED_ID_PREFIXES",
    "Block",
    "BlockQuote",
    "CodeBlock",
    "Contact",
    "Document",
    "Figure",
    "Footnote",
    "Heading",
    "Inline",
    "Link",
    "ListBlock",
    "ListItem",
    "Logo",
    "Paragraph",
    "Publisher",
    "Signatory",
    "Statement",
    "Table",
    "ThematicBreak",
    "reserved_id",
]

#: Ids of the edition's own parts (in HTML, EPUB and PDF). A ``{#id}`` written
#: in the body may not be one of them; a generated heading id that would be one
#: gets a numeric suffix (STATEMENT_FORMAT.md, "Notes and ids"). Ids starting
#: with :data:`RESERVED_ID_PREFIXES` are the notes' and citations' own.
RESERVED_IDS: frozenset[str] = frozenset({
    "main", "statement", "signatories", "signatories-heading", "notes", "notes-heading",
    "footnotes", "toc", "toc-title", "landmarks", "landmarks-title", "title-page", "cover",
    "nav", "colophon", "contents",
})
RESERVED_ID_PREFIXES: tuple[str, ...] = ("fn-", "fnref-")


def reserved_id(ident: str) -> bool:
    """Whether ``ident`` is, or looks like, an id of the edition's own parts."""
    return ident in RESERVED_IDS or ident.startswith(RESERVED_ID_PREFIXES)


@dataclass(frozen=True, slots=True)
class Inline:
    """A run of inline Markdown from the source: a paragraph, a heading, a cell.

    ``text`` is the unit's msgid: the source text with white space folded and
    each CommonMark hard line break written as one line feed
    (STATEMENT_FORMAT.md, "Translation units"). ``source`` is the Markdown
    exactly as written (line breaks, trailing spaces and backslashes kept),
    which the source-language edition renders; empty when it equals ``text``.
    ``line`` is the 1-based line where it starts in the source file.
    """

    text: str
    line: int
    source: str = ""

    @property
    def markdown(self) -> str:
        """The Markdown to render for the source language (``source`` or ``text``)."""
        return self.source or self.text


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    content: Inline
    id: str
    classes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Paragraph:
    content: Inline


@dataclass(frozen=True, slots=True)
class Figure:
    """A paragraph that holds nothing but one image.

    ``alt`` is ``None`` for a decorative image (class ``decorative``).
    ``path`` is the resolved file inside the statement folder.
    """

    src: str
    path: Path
    alt: Inline | None
    line: int
    id: str = ""
    classes: tuple[str, ...] = ()
    title: str = ""


@dataclass(frozen=True, slots=True)
class ListItem:
    blocks: tuple[Block, ...]


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
class Table:
    """A pipe table. ``aligns`` holds ``""``, ``"left"``, ``"center"`` or ``"right"`` per column."""

    head: tuple[tuple[Inline, ...], ...]
    body: tuple[tuple[Inline, ...], ...]
    aligns: tuple[str, ...]
    line: int


@dataclass(frozen=True, slots=True)
class CodeBlock:
    text: str
    info: str = ""


@dataclass(frozen=True, slots=True)
class ThematicBreak:
    pass


Block = Heading | Paragraph | Figure | ListBlock | BlockQuote | Table | CodeBlock | ThematicBreak


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote definition ``[^label]: ...``; ``number`` is its 1-based order of
    first reference."""

    label: str
    number: int
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Document:
    """The body of a statement."""

    blocks: tuple[Block, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    #: image sources as written in the body -> resolved files in the statement folder
    images: Mapping[str, Path] = field(default_factory=lambda: MappingProxyType({}))
    #: link reference definitions (``[label]: https://...``), by normalized label, as
    #: markdown-it keeps them: ``{"href": ..., "title": ...}``
    references: Mapping[str, Mapping[str, str]] = field(
        default_factory=lambda: MappingProxyType({}))

    def walk(self) -> Iterator[Block]:
        """Every block in document order, depth first, footnotes last."""
        def visit(blocks: tuple[Block, ...]) -> Iterator[Block]:
            for block in blocks:
                yield block
                if isinstance(block, ListBlock):
                    for item in block.items:
                        yield from visit(item.blocks)
                elif isinstance(block, BlockQuote):
                    yield from visit(block.blocks)
        yield from visit(self.blocks)
        for note in self.footnotes:
            yield from visit(note.blocks)


@dataclass(frozen=True, slots=True)
class Logo:
    src: str
    path: Path
    alt: str


@dataclass(frozen=True, slots=True)
class Publisher:
    name: str
    url: str | None = None
    logo: Logo | None = None


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Signatory:
    """One signing organisation or person. ``note`` is inline Markdown."""

    name: str
    lang: str
    url: str | None = None
    country: str | None = None
    note: Inline | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Contact:
    name: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class Statement:
    """A validated statement. Build one with :func:`statementpub.load_statement`
    or :meth:`Statement.from_mapping`; never mutate it.

    ``lines`` maps a front-matter field path (``"title"``, ``"links[0].label"``,
    ``"signatories[3].note"``) to the 1-based line of its key in the source
    (absent for data that came from a mapping). ``summary`` holds the lede's
    paragraphs, each an :class:`Inline`. ``source_sha256`` is the SHA-256 (hex)
    of exactly the bytes the statement was read from (``None`` for a mapping):
    incremental builds key on it, never on the file as it may be by then.
    ``signatories_source`` is the CSV file the signatories come from, when the
    front matter names one.
    """

    title: str
    date: _dt.date
    lang: str = "en"
    kind: Literal["statement", "press-release", "joint-statement", "open-letter"] = "statement"
    subtitle: Inline | None = None
    summary: tuple[Inline, ...] = ()
    publisher: Publisher | None = None
    links: tuple[Link, ...] = ()
    signatories: tuple[Signatory, ...] = ()
    contact: Contact | None = None
    keywords: tuple[str, ...] = ()
    license: str | None = None
    slug: str = "statement"
    translations: Mapping[str, Path] = field(default_factory=lambda: MappingProxyType({}))
    body: Document = field(default_factory=Document)
    path: Path | None = None
    base_dir: Path | None = None
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    warnings: tuple[Any, ...] = ()
    source_sha256: str | None = None
    #: the CSV file the signatories were read from (``signatories: signatories.csv``)
    signatories_source: Path | None = None

    @property
    def stem(self) -> str:
        """The source file's stem (``statement`` for ``statement.md``), used to find catalogs."""
        return self.path.stem if self.path is not None else self.slug

    @property
    def display_path(self) -> str:
        """The source path as shown in messages and ``#:`` references."""
        return self.path.name if self.path is not None else "<statement>"

    def line_of(self, field_path: str) -> int:
        """The line of a front-matter key, or 0 when unknown."""
        return self.lines.get(field_path, 0)

    @classmethod
    def from_mapping(
        cls,
        front_matter: Mapping[str, Any],
        body: str = "",
        *,
        base_dir: str | Path | None = None,
    ) -> Statement:
        """Build a statement from data held by another tool (a sign-on form, a row).

        ``front_matter`` has the keys of the format's front matter, with the
        same types (``date`` may be a :class:`datetime.date` or ``YYYY-MM-DD``);
        ``body`` is the Markdown body; images resolve inside ``base_dir``.
        The statement has no source file: ``path`` is ``None`` and ``lines``
        is empty; body lines count from the body's first line.

        Validating data is the loader's job, and this module does not import
        the loader (data flows one way: the loader makes statements, the
        model knows nothing of it). So this method calls the *mapping
        reader* that :mod:`statementpub.loader` provides when it is imported
        (:func:`provide_mapping_reader`, with
        :func:`statementpub.loader.statement_from_mapping`); importing any
        part of statementpub imports the package, which imports the loader.

        :raises StatementError: whose diagnostics name the field
            (``signatories[3].url``) of every violation.
        """
        reader = _mapping_reader
        if reader is None:  # only if statementpub/__init__.py stopped importing the loader
            from .errors import StatementpubError

            raise StatementpubError("Statement.from_mapping needs statementpub.loader: "
                                    "import statementpub")
        return reader(front_matter, body, base_dir=base_dir)


# ---------------------------------------------------------------------------
# The mapping reader behind Statement.from_mapping


class MappingReader(Protocol):
    """What validates front-matter data and a body into a :class:`Statement`:
    the signature of :meth:`Statement.from_mapping`, without ``cls``."""

    def __call__(self, front_matter: Mapping[str, Any], body: str = "", *,
                 base_dir: str | Path | None = None) -> Statement: ...


#: The reader :meth:`Statement.from_mapping` calls; set once, when
#: :mod:`statementpub.loader` is imported, and only read afterwards.
_mapping_reader: MappingReader | None = None


def provide_mapping_reader(reader: MappingReader) -> None:
    """Make ``reader`` the function behind :meth:`Statement.from_mapping`.

    Called once, by :mod:`statementpub.loader` when it is imported (with
    :func:`~statementpub.loader.statement_from_mapping`); nothing else calls
    it. It runs under the import lock, before any thread can use the
    statement API, so the reader never changes while statements are built.
    """
    global _mapping_reader
    _mapping_reader = reader
