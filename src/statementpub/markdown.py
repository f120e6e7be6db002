"""The Markdown dialect of statement bodies (STATEMENT_FORMAT.md, "Body rules").

CommonMark with pipe tables, footnotes and attributes, parsed by
markdown-it-py with mdit-py-plugins. This module turns a body into a
:class:`~statementpub.model.Document` while checking the format's body rules,
inspects inline Markdown (link targets, image sources, footnote references,
raw HTML), and renders inline Markdown to HTML for the renderers.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.attrs.parse import ParseError as AttrsParseError
from mdit_py_plugins.attrs.parse import parse as parse_attrs
from mdit_py_plugins.footnote import footnote_plugin

from .errors import Diagnostic
from .images import MAX_IMAGE_BYTES, image_problem
from .model import (
    Block,
    BlockQuote,
    CodeBlock,
    Document,
    Figure,
    Footnote,
    Heading,
    Inline,
    ListBlock,
    ListItem,
    Paragraph,
    Table,
    ThematicBreak,
    reserved_id,
)
from .text import (
    bidi_problem,
    check_url,
    fold,
    forbidden_character,
    shown,
    slugify,
)

__all__ = [
    "MAX_BLOCK_CHARS",
    "MAX_BODY_CHARS",
    "MAX_FOOTNOTES",
    "MAX_IMAGE_BYTES",
    "MAX_INLINE_NESTING",
    "MAX_NESTING",
    "MAX_TABLE_ROWS",
    "InlineInfo",
    "check_image_file",
    "inline_tokens",
    "inspect_inline",
    "msgid_of",
    "msgstr_markdown",
    "parse_body",
]

#: Link texts that do not say where the link goes (WCAG 2.2 SC 2.4.4), en and es.
VAGUE_LINK_TEXTS = frozenset({
    "here", "click here", "read more", "link", "more", "this link",
    "aquí", "aqui", "haga clic aquí", "haz clic aquí", "pulse aquí", "clic aquí",
    "leer más", "lea más", "más", "enlace", "este enlace",
})

#: Lists and block quotes nested deeper than this are refused (markdown-it would
#: silently drop what lies beyond its own nesting limit).
MAX_NESTING = 16
#: Inline elements (emphasis, strong, links) nested deeper than this are refused:
#: WeasyPrint runs out of recursion a few hundred levels down.
MAX_INLINE_NESTING = 32
#: A body longer than this (characters) is refused: 1,000,000, about 500 pages.
MAX_BODY_CHARS = 1_000_000
#: One paragraph, heading, list item's paragraph or table cell longer than this
#: (characters) is refused: 100,000, about 30 pages. It is one translation unit
#: (one msgid), and one block that no renderer can split but by its lines.
MAX_BLOCK_CHARS = 100_000
#: Tables with more rows than this are refused (WeasyPrint's memory grows fast
#: with a table: 2,000 rows took 958 MiB).
MAX_TABLE_ROWS = 1_000
#: Bodies with more footnotes than this are refused (5,000 took 939 MiB).
MAX_FOOTNOTES = 1_000
#: markdown-it's recursion limit (token levels): above anything MAX_NESTING lets
#: through (a list level is two token levels; tables and footnotes add a few).
_PARSER_NESTING = 64

_HEADING_ATTRS = re.compile(r"\s*(\{[^{}]*\})\s*$")
_NOTE_MARK = re.compile(r"\[\^[^\]\s]+\]")
_HARD_BREAK = re.compile(r"(?: {2,}|(?<!\\)(?:\\\\)*\\)$")


def _hard_breaks(text: str) -> int:
    tokens = _PARSER.parseInline(text, {})
    return sum(1 for child in (tokens[0].children or [] if tokens else [])
               if child.type == "hardbreak")


def msgid_of(markdown: str) -> str:
    """The msgid of a block's inline Markdown as written (STATEMENT_FORMAT.md,
    "Translation units"): every run of white space folded to one space, except
    that each CommonMark hard line break (two or more spaces, or a backslash,
    before a line end) is one line feed with no space around it.

    A line end that only looks like a hard break (inside a code span) is
    folded: each candidate is confirmed by markdown-it itself.
    """
    lines = markdown.split("\n")
    candidates = [i for i, line in enumerate(lines[:-1]) if _HARD_BREAK.search(line)]
    breaks: set[int] = set()
    if candidates:
        total = _hard_breaks(markdown)
        if total == len(candidates):
            breaks = set(candidates)
        elif total:
            for i in candidates:
                trial = lines[:i] + [_HARD_BREAK.sub("", lines[i])] + lines[i + 1:]
                if _hard_breaks("\n".join(trial)) < total:
                    breaks.add(i)
    if not breaks:
        return fold(markdown)
    segments: list[str] = []
    current: list[str] = []
    for i, line in enumerate(lines):
        if i in breaks:
            current.append(_HARD_BREAK.sub("", line))
            segments.append(fold(" ".join(current)))
            current = []
        else:
            current.append(line)
    segments.append(fold(" ".join(current)))
    return "\n".join(segments)


def msgstr_markdown(msgstr: str) -> str:
    """A translation as Markdown to parse: each line feed is a hard line break
    (written as a backslash before the line end), per the format."""
    return "\\\n".join(part.rstrip(" \t") for part in msgstr.split("\n"))


def _source(written: str, msgid: str) -> str:
    """``written`` when rendering it differs from rendering ``msgid``, else ``""``."""
    return "" if written == msgid else written


def _make_parser(*, html: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": html, "linkify": False, "typographer": False,
                                   "maxNesting": _PARSER_NESTING, "store_labels": True})
    md.enable("table")
    # Footnotes are ``[^label]`` references to ``[^label]:`` definitions only; the
    # plugin's inline notes (``^[text]``) are not part of the format: text.
    md.use(footnote_plugin, inline=False)
    md.use(attrs_plugin, after=("image",))
    # Every URL is judged by check_url (which names the line); markdown-it's own
    # validator would silently turn a bad link into text.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


# Parsing keeps raw HTML as tokens so that it can be reported; rendering never
# passes raw HTML through (a second instance with html=False).
_PARSER = _make_parser(html=True)


@dataclass
class _BodyContext:
    path: str | None
    offset: int  # line number of the body's first line, minus one
    base_dir: Path | None
    lines: Sequence[str]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    images: dict[str, Path] = field(default_factory=dict)
    used_ids: set[str] = field(default_factory=set)
    last_heading: int = 1
    field_name: str | None = None
    #: line of each link reference definition, by normalized label
    reference_lines: dict[str, int] = field(default_factory=dict)

    def error(self, line: int, message: str, *, severity: str = "error") -> None:
        diagnostic = Diagnostic(message, self.path, line, 0, severity, field=self.field_name)
        if diagnostic not in self.diagnostics:  # one bad definition used twice: one error
            self.diagnostics.append(diagnostic)

    def line_of(self, token: Token) -> int:
        return self.offset + (token.map[0] if token.map else 0) + 1

    def find_line(self, start: int, end: int, needle: str) -> int:
        """The first line in [start, end] (1-based, file lines) containing ``needle``."""
        for number in range(start, max(start, end) + 1):
            index = number - self.offset - 1
            if 0 <= index < len(self.lines) and needle in self.lines[index]:
                return number
        return start


def parse_body(
    text: str,
    *,
    path: str | None,
    first_line: int,
    base_dir: Path | None,
    field_name: str | None = None,
) -> tuple[Document, list[Diagnostic]]:
    """Parse a statement body into a :class:`Document`, checking the body rules.

    ``first_line`` is the 1-based file line of the body's first line, so that
    every diagnostic names a line of the file. Returns the document and the
    diagnostics (errors and warnings), never raises for bad input.
    """
    ctx = _BodyContext(path, first_line - 1, base_dir, text.split("\n"), field_name=field_name)
    for number, line in enumerate(ctx.lines, first_line):
        bad = forbidden_character(line)
        if bad:
            ctx.error(number, f"the text holds {bad}, which no edition can hold: remove it")
        embedding = _EMBEDDING.search(line)
        if embedding is not None:
            problem = bidi_problem(embedding.group(0))
            assert problem is not None
            ctx.error(number, f"the text holds {problem[1]}: remove it (statementpub "
                      "isolates names and passages in another direction itself)")
    if len(text) > MAX_BODY_CHARS:
        ctx.error(first_line, f"the body is {len(text):,} characters long; a statement's "
                  f"body is limited to {MAX_BODY_CHARS:,} (about 500 pages)")
        return Document((), (), MappingProxyType({})), ctx.diagnostics
    env: EnvType = {}
    tokens = _PARSER.parse(text, env)
    if _over_limits(tokens, ctx):
        return Document((), (), MappingProxyType({})), ctx.diagnostics
    _check_isolates(tokens, ctx, first_line)
    too_deep = _too_deep(tokens)
    if too_deep is not None:
        ctx.error(ctx.line_of(too_deep), f"lists and block quotes are nested more than "
                  f"{MAX_NESTING} levels deep here: flatten the structure")
        return Document((), (), MappingProxyType({})), ctx.diagnostics
    references = MappingProxyType({
        label: MappingProxyType({"href": str(ref.get("href", "")),
                                 "title": str(ref.get("title", ""))})
        for label, ref in sorted(env.get("references", {}).items())})
    ctx.reference_lines = {label: first_line + int(ref["map"][0])
                           for label, ref in env.get("references", {}).items() if ref.get("map")}
    blocks, footnotes = _Converter(ctx, tokens, references).document()
    return Document(tuple(blocks), tuple(footnotes), MappingProxyType(dict(ctx.images)),
                    references), ctx.diagnostics


def _over_limits(tokens: Sequence[Token], ctx: _BodyContext) -> bool:
    """Report every block, table and footnote beyond the limits of
    :data:`MAX_BLOCK_CHARS`, :data:`MAX_TABLE_ROWS` and :data:`MAX_FOOTNOTES`,
    each at its line; whether there was any."""
    found = report_note = False
    rows = notes = 0
    table: Token | None = None
    for token in tokens:
        if report_note and token.map:  # the first line of the note one too many
            ctx.error(ctx.line_of(token), f"the body has more than {MAX_FOOTNOTES:,} "
                      "footnotes (this is one too many)")
            report_note, found = False, True
        if token.type == "inline" and len(token.content) > MAX_BLOCK_CHARS:
            ctx.error(ctx.line_of(token), f"this block is {len(token.content):,} characters "
                      f"long; a paragraph, heading or table cell is limited to "
                      f"{MAX_BLOCK_CHARS:,}: split it")
            found = True
        elif token.type == "table_open":
            table, rows = token, 0
        elif token.type == "tr_open" and table is not None:
            rows += 1
            if rows == MAX_TABLE_ROWS + 1:
                ctx.error(ctx.line_of(table), f"this table has more than {MAX_TABLE_ROWS:,} "
                          "rows: split it, or publish the data as a separate file")
                found = True
        elif token.type == "table_close":
            table = None
        elif token.type == "footnote_open":
            notes += 1
            report_note = report_note or notes == MAX_FOOTNOTES + 1
    if report_note:
        ctx.error(ctx.offset + 1, f"the body has more than {MAX_FOOTNOTES:,} footnotes")
        found = True
    return found


_EMBEDDING = re.compile("[\u202a-\u202e]")


def _check_isolates(tokens: Sequence[Token], ctx: _BodyContext, first_line: int) -> None:
    """Bidirectional isolates must be balanced within each block (a paragraph, a
    heading, a table cell, a code block): report the first that is not, at its line.
    Embeddings and overrides are reported line by line already."""
    line = first_line
    for token in tokens:
        if token.map:
            line = first_line + token.map[0]
        if token.type not in ("inline", "fence", "code_block", "html_block"):
            continue
        problem = bidi_problem(token.content)
        if problem is None or _EMBEDDING.match(token.content, problem[0]):
            continue
        ctx.error(line + token.content.count("\n", 0, problem[0]),
                  f"the text holds {problem[1]}: balance or remove it")


_CONTAINERS = ("bullet_list_open", "ordered_list_open", "blockquote_open")
_CONTAINER_ENDS = ("bullet_list_close", "ordered_list_close", "blockquote_close")


def _too_deep(tokens: Sequence[Token]) -> Token | None:
    """The first token nested deeper than the renderers accept, or ``None``.

    markdown-it stops parsing at its nesting limit and drops the rest of the
    document without a word; refusing anything near that limit means nothing is
    ever lost silently.
    """
    depth = 0
    for token in tokens:
        if token.type in _CONTAINERS:
            depth += 1
            if depth > MAX_NESTING:
                return token
        elif token.type in _CONTAINER_ENDS:
            depth -= 1
        if token.level >= _PARSER_NESTING - 2:
            return token
    return None


class _Converter:
    """Turns markdown-it's flat token stream into the block tree, checking as it goes."""

    def __init__(self, ctx: _BodyContext, tokens: list[Token],
                 references: Mapping[str, Mapping[str, str]]) -> None:
        self.ctx = ctx
        self.tokens = tokens
        self.references = references
        self.pos = 0

    def document(self) -> tuple[list[Block], list[Footnote]]:
        blocks = self.blocks(until=None)
        footnotes: list[Footnote] = []
        if self.pos < len(self.tokens) and self.tokens[self.pos].type == "footnote_block_open":
            self.pos += 1
            while self.tokens[self.pos].type == "footnote_open":
                meta = self.tokens[self.pos].meta
                self.pos += 1
                note_blocks = self.blocks(until="footnote_close")
                self.pos += 1
                footnotes.append(Footnote(str(meta["label"]), int(meta["id"]) + 1,
                                          tuple(note_blocks)))
            self.pos += 1
        return blocks, footnotes

    def blocks(self, until: str | None) -> list[Block]:
        out: list[Block] = []
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            if until is not None and token.type == until:
                return out
            if until is None and token.type == "footnote_block_open":
                return out
            block = self.block(token)
            if block is not None:
                out.append(block)
        return out

    def block(self, token: Token) -> Block | None:
        ctx = self.ctx
        kind = token.type
        if kind == "heading_open":
            return self.heading(token)
        if kind == "paragraph_open":
            inline = self.tokens[self.pos + 1]
            self.pos += 3
            return self.paragraph(token, inline)
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self.list_block(token)
        if kind == "blockquote_open":
            self.pos += 1
            inner = self.blocks(until="blockquote_close")
            self.pos += 1
            return BlockQuote(tuple(inner))
        if kind == "table_open":
            return self.table(token)
        if kind in ("code_block", "fence"):
            self.pos += 1
            return CodeBlock(token.content, token.info.strip())
        if kind == "hr":
            self.pos += 1
            return ThematicBreak()
        if kind == "html_block":
            self.pos += 1
            ctx.error(ctx.line_of(token), "raw HTML is not allowed " + (
                "in the body" if ctx.field_name is None else f"in '{ctx.field_name}'")
                + " (write Markdown instead)")
            return None
        # Anything else (unexpected close tokens) is skipped.
        self.pos += 1
        return None

    def heading(self, token: Token) -> Heading | None:
        ctx = self.ctx
        inline = self.tokens[self.pos + 1]
        self.pos += 3
        line = ctx.line_of(token)
        level = int(token.tag[1])
        text = inline.content
        attrs: dict[str, Any] = {}
        match = _HEADING_ATTRS.search(text)
        if match:
            try:
                _, attrs = parse_attrs(match.group(1))
                text = text[: match.start()]
            except AttrsParseError:
                attrs = {}
        self.check_inline(inline, line, line)
        if token.level > 0:
            ctx.error(line, "a heading cannot be inside a list, blockquote or footnote")
            return None
        if level == 1:
            ctx.error(line, "level-1 heading in the body: the title is the only level-1 "
                      "heading; start body headings at '##'")
            return None
        if level > ctx.last_heading + 1:
            expected = "#" * (ctx.last_heading + 1)
            ctx.error(line, f"heading level {level} skips a level: expected at most "
                      f"'{expected}' here")
        ctx.last_heading = level
        msgid = msgid_of(text)
        # A note mark is no part of the heading's name: "Commitments[^a]" -> "commitments".
        named = _NOTE_MARK.sub("", msgid)
        ident = self.element_id(str(attrs.get("id") or ""), _visible_text(named), line)
        classes = tuple(str(attrs.get("class", "")).split())
        return Heading(level, Inline(msgid, line, _source(text, msgid)), ident, classes)

    def element_id(self, written: str, text: str, line: int) -> str:
        """A document-unique id: ``written`` (``{#id}``) if it is free, else an
        error; otherwise one made from ``text``, with a numeric suffix if taken."""
        ctx = self.ctx
        if written:
            if written in ctx.used_ids:
                ctx.error(line, f"the id {written!r} is used twice: ids must be unique")
            elif reserved_id(written):
                ctx.error(line, f"the id {written!r} is one of the edition's own parts: "
                          "choose another")
            ctx.used_ids.add(written)
            return written
        base = ident = slugify(text)
        n = 2
        while ident in ctx.used_ids or reserved_id(ident):
            ident = f"{base}-{n}"
            n += 1
        ctx.used_ids.add(ident)
        return ident

    def paragraph(self, token: Token, inline: Token) -> Block:
        ctx = self.ctx
        line = ctx.line_of(token)
        end = ctx.offset + (token.map[1] if token.map else 1)
        children = [c for c in (inline.children or []) if not (
            c.type in ("softbreak", "footnote_anchor")
            or (c.type == "text" and not c.content.strip()))]
        self.check_inline(inline, line, end)
        if len(children) == 1 and children[0].type == "image":
            image = children[0]
            src = str(image.attrs.get("src", ""))
            classes = tuple(str(image.attrs.get("class", "")).split())
            alt = fold(image.content)
            path = ctx.images.get(src, Path(src))
            written = str(image.attrs.get("id", ""))
            ident = self.element_id(written, "", line) if written else ""
            return Figure(src, path, None if "decorative" in classes else Inline(alt, line),
                          line, ident, classes, str(image.attrs.get("title", "")))
        msgid = msgid_of(inline.content)
        return Paragraph(Inline(msgid, line, _source(inline.content, msgid)))

    def list_block(self, token: Token) -> ListBlock:
        ordered = token.type == "ordered_list_open"
        close = "ordered_list_close" if ordered else "bullet_list_close"
        start = int(token.attrs.get("start", 1)) if ordered else 1
        self.pos += 1
        items: list[ListItem] = []
        tight = True
        while self.tokens[self.pos].type != close:
            self.pos += 1  # list_item_open
            first = self.pos
            inner = self.blocks(until="list_item_close")
            tight = tight and not any(
                t.type == "paragraph_open" and not t.hidden
                for t in self.tokens[first:self.pos])
            self.pos += 1
            items.append(ListItem(tuple(inner)))
        self.pos += 1
        return ListBlock(ordered, tuple(items), start, tight)

    def table(self, token: Token) -> Table:
        ctx = self.ctx
        head: list[tuple[Inline, ...]] = []
        body: list[tuple[Inline, ...]] = []
        aligns: list[str] = []
        section = head
        row: list[Inline] = []
        row_line = ctx.line_of(token)
        self.pos += 1
        while self.tokens[self.pos].type != "table_close":
            t = self.tokens[self.pos]
            if t.type == "tbody_open":
                section = body
            elif t.type == "tr_open":
                row, row_line = [], ctx.line_of(t)
            elif t.type == "tr_close":
                section.append(tuple(row))
            elif t.type in ("th_open", "td_open") and section is head:
                style = str(t.attrs.get("style", ""))
                aligns.append(style.removeprefix("text-align:"))
            elif t.type == "inline":
                self.check_inline(t, row_line, row_line)
                # markdown-it hands over a cell with its escaped pipes unescaped;
                # every "|" in a cell was written "\|" (an unescaped one ends
                # the cell), so this restores the text as written: the msgid.
                written = t.content.replace("|", "\\|")
                msgid = msgid_of(written)
                row.append(Inline(msgid, row_line, _source(written, msgid)))
            self.pos += 1
        self.pos += 1
        return Table(tuple(head), tuple(body), tuple(aligns), ctx.line_of(token))

    def check_inline(self, inline: Token, start: int, end: int) -> None:
        """Raw HTML, URLs, images and vague link texts inside one block."""
        ctx = self.ctx
        children = inline.children or []
        places = _Places(ctx, start, end, self.references)
        depth = deepest = 0
        for child in children:
            depth += child.nesting
            deepest = max(deepest, depth)
        if deepest > MAX_INLINE_NESTING:
            ctx.error(start, f"emphasis and links are nested more than {MAX_INLINE_NESTING} "
                      "levels deep here: simplify the formatting")
        for index, child in enumerate(children):
            if child.type == "html_inline":
                ctx.error(places.line("html", child.content),
                          f"raw HTML {child.content!r} is not allowed (write Markdown instead)")
            elif child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                line = places.line("link", href)
                problem = check_url(href, allow_fragment=True)
                if problem:
                    # a reference-style link's target is written on its definition's line
                    label = str(child.meta.get("label") or "")
                    ctx.error(ctx.reference_lines.get(label, line) if label else line, problem)
                label = _link_label(children, index)
                if fold(label).lower().strip(".:!") in VAGUE_LINK_TEXTS:
                    ctx.error(line, f"link text {label!r} does not say where the link goes "
                              "(WCAG 2.2 SC 2.4.4)", severity="warning")
            elif child.type == "image":
                src = str(child.attrs.get("src", ""))
                line = places.line("image", src)
                self.check_image(child, line)

    def check_image(self, image: Token, line: int) -> None:
        ctx = self.ctx
        src = str(image.attrs.get("src", ""))
        classes = str(image.attrs.get("class", "")).split()
        if not fold(image.content) and "decorative" not in classes:
            ctx.error(line, f"image {shown(src)} has no alternative text: describe it, "
                      "or mark it {.decorative} if it carries no information")
        resolved = resolve_resource(src, ctx.base_dir)
        if isinstance(resolved, str):
            ctx.error(line, resolved)
        else:
            ctx.images[src] = resolved


class _Places:
    """Which source line of a block each link, image and raw HTML tag is written on.

    Each line of the block is parsed on its own; the n-th occurrence of a link
    target in the block is placed on the line of its n-th occurrence there. An
    element split over lines (rare) falls back to the block's first line.
    """

    def __init__(self, ctx: _BodyContext, start: int, end: int,
                 references: Mapping[str, Mapping[str, str]]) -> None:
        self.start = start
        self.found: dict[tuple[str, str], list[int]] = {}
        if end <= start:
            return  # one line: everything is on it
        for number in range(start, end + 1):
            index = number - ctx.offset - 1
            if not 0 <= index < len(ctx.lines):
                continue
            env: EnvType = {"references": {k: dict(v) for k, v in references.items()}}
            tokens = _PARSER.parseInline(ctx.lines[index], env)
            for child in (tokens[0].children or []) if tokens else []:
                if child.type == "link_open":
                    key = ("link", str(child.attrs.get("href", "")))
                elif child.type == "image":
                    key = ("image", str(child.attrs.get("src", "")))
                elif child.type == "html_inline":
                    key = ("html", child.content)
                else:
                    continue
                self.found.setdefault(key, []).append(number)
        self.used: dict[tuple[str, str], int] = {}

    def line(self, kind: str, value: str) -> int:
        key = (kind, value)
        lines = self.found.get(key)
        if not lines:
            return self.start
        count = self.used.get(key, 0)
        self.used[key] = count + 1
        return lines[min(count, len(lines) - 1)]


def resolve_resource(src: str, base_dir: Path | None) -> Path | str:
    """Resolve an image path inside the statement folder, or say why it cannot be.

    ``src`` is the path as markdown-it gives it (percent-encoded: ``r%C3%ADo.png``
    is ``río.png``). Absolute paths, URLs (remote or ``data:``), escapes with
    ``..`` or through symbolic links, missing files, and files that are not a
    safe image (:func:`check_image_file`) are refused.
    """
    if not src:
        return "image has no source"
    try:
        parts = urlsplit(src)
    except ValueError:
        return f"image {shown(src)} is not a file inside the statement folder"
    if parts.scheme or src.startswith("//"):
        return f"image {shown(src)} is not a file inside the statement folder (remote and " \
               "data: images are not allowed)"
    if parts.query or parts.fragment:
        return f"image {shown(src)} is not a file name (it has a '?' or '#' part)"
    try:
        path = unquote(parts.path, errors="strict") if "%" in parts.path else parts.path
    except UnicodeDecodeError:
        return f"image path {shown(src)} is not a UTF-8 file name"
    if path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", path):
        return f"image path {shown(src)} is absolute: give a path relative to the statement folder"
    if "\0" in path or any(ord(ch) < 0x20 for ch in path):
        return f"image path {shown(src)} contains control characters"
    if base_dir is None:
        return f"image {shown(src)} cannot be resolved: the statement has no folder (base_dir)"
    try:
        base = base_dir.resolve()
        target = (base / path).resolve()
        if not target.is_relative_to(base):
            return f"image {shown(src)} is outside the statement folder"
        if not target.is_file():
            return f"image {shown(src)} does not exist"
    except (OSError, RuntimeError, ValueError) as exc:  # too long, a symlink loop
        return f"image {shown(src)} cannot be read: {getattr(exc, 'strerror', None) or exc}"
    problem = check_image_file(target)
    if problem:
        return f"image {shown(src)} {problem}"
    return target


def check_image_file(path: Path) -> str | None:
    """Why the file at ``path`` cannot be published as an image, or ``None``
    (:func:`statementpub.images.image_problem`: decoded with Pillow, or an SVG
    held to an allow-list; hard links refused)."""
    return image_problem(path)


def _link_label(children: list[Token], index: int) -> str:
    depth, parts = 0, []
    for child in children[index + 1:]:
        if child.type == "link_close" and depth == 0:
            break
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth -= 1
        parts.append(child.content)
    return "".join(parts)


def _visible_text(text: str) -> str:
    tokens = _PARSER.parseInline(text, {})
    return "".join(_texts(tokens[0].children or [] if tokens else []))


def _texts(children: Sequence[Token]) -> list[str]:
    out: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type == "image":
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif child.type == "html_inline":
            out.append(child.content)
    return out


@dataclass(frozen=True)
class InlineInfo:
    """What a run of inline Markdown holds, for the format's usability rules."""

    visible: str
    link_targets: Counter[str]
    image_sources: Counter[str]
    footnote_refs: Counter[str]
    raw_html: tuple[str, ...]
    bad_urls: tuple[str, ...]
    #: how deeply inline elements (emphasis, links) nest
    depth: int = 0

    @property
    def has_letter(self) -> bool:
        """Whether the visible text holds a letter (units without one are not extracted)."""
        return any(unicodedata.category(ch).startswith("L") for ch in self.visible)


def inspect_inline(text: str, footnote_labels: Sequence[str] = (),
                   references: Mapping[str, Mapping[str, str]] | None = None) -> InlineInfo:
    """Parse ``text`` as inline Markdown and list what the format's rules look at.

    ``footnote_labels`` are the document's footnote labels, so that ``[^2]`` is
    recognised as a reference; ``references`` its link reference definitions,
    so that ``[text][label]`` is the link it stands for.
    """
    env: EnvType = _footnote_env(footnote_labels)
    if references:
        env["references"] = {label: dict(ref) for label, ref in references.items()}
    tokens = _PARSER.parseInline(text, env)
    children = tokens[0].children or [] if tokens else []
    links: Counter[str] = Counter()
    images: Counter[str] = Counter()
    notes: Counter[str] = Counter()
    raw: list[str] = []
    bad: list[str] = []
    depth = deepest = 0
    for child in children:
        depth += child.nesting
        deepest = max(deepest, depth)
        if child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            links[href] += 1
            if check_url(href, allow_fragment=True):
                bad.append(href)
        elif child.type == "image":
            images[str(child.attrs.get("src", ""))] += 1
        elif child.type == "footnote_ref":
            notes[str(child.meta.get("label", ""))] += 1
        elif child.type == "html_inline":
            raw.append(child.content)
    return InlineInfo("".join(_texts(children)), links, images, notes, tuple(raw), tuple(bad),
                      deepest)


def inline_tokens(text: str, footnote_labels: Sequence[str] = (),
                  references: Mapping[str, Mapping[str, str]] | None = None) -> list[Token]:
    """markdown-it's inline tokens of ``text`` (the children of its one ``inline``
    token), with the document's footnote labels and link reference definitions,
    for building an edition's inline nodes."""
    env: EnvType = _footnote_env(footnote_labels)
    if references:
        env["references"] = {label: dict(ref) for label, ref in references.items()}
    tokens = _PARSER.parseInline(text, env)
    return list(tokens[0].children or []) if tokens else []


def _footnote_env(labels: Sequence[str]) -> EnvType:
    if not labels:
        return {}
    return {"footnotes": {"refs": {f":{label}": -1 for label in labels}}}


# ----------------------------------------------------------------------------
# Rendering


ImageResolver = Callable[[str], str]


def _make_renderer() -> MarkdownIt:
    md = _make_parser(html=False)
    # Units are rendered one at a time; the footnote list is rendered by the
    # renderer from the document, so the plugin must not append one to each unit.
    md.disable("footnote_tail")

    def validate(url: str) -> bool:
        return check_url(url, allow_fragment=True) is None

    md.validateLink = validate  # type: ignore[method-assign]
    rules = md.add_render_rule

    def footnote_ref(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict,
                     env: EnvType) -> str:
        label = str(tokens[idx].meta["label"])
        numbers: Mapping[str, int] = env.get("footnote_numbers", {})
        number = numbers.get(label, 0)
        seen: Counter[str] = env.setdefault("footnote_seen", Counter())
        seen[label] += 1
        prefix = env.get("id_prefix", "")
        ref_id = f"{prefix}fnref-{slugify(label)}"
        if seen[label] > 1:
            ref_id += f"-{seen[label]}"
        return (f'<sup class="footnote-ref"><a href="#{prefix}fn-{slugify(label)}" '
                f'id="{ref_id}" role="doc-noteref">{number}</a></sup>')

    def image(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict,
              env: EnvType) -> str:
        token = tokens[idx]
        src = str(token.attrs.get("src", ""))
        resolver: ImageResolver | None = env.get("image_resolver")
        resolved = resolver(src) if resolver else src
        classes = str(token.attrs.get("class", "")).split()
        alt = "" if "decorative" in classes else fold(
            self.renderInlineAsText(token.children or [], options, env))
        return (f'<img src="{_escape(resolved)}" alt="{_escape(alt)}"'
                + (' role="presentation"' if not alt else "") + ">")

    rules("footnote_ref", footnote_ref)
    rules("image", image)
    return md


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


_RENDERER = _make_renderer()


def render_inline(
    text: str,
    *,
    footnote_numbers: Mapping[str, int] | None = None,
    image_resolver: ImageResolver | None = None,
    env: EnvType | None = None,
    references: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """Render inline Markdown to an HTML fragment (no raw HTML ever passes through).

    ``references`` are the document's link reference definitions.

    ``footnote_numbers`` maps footnote labels to their numbers;
    ``image_resolver`` maps an image source as written to the URL to emit
    (a ``data:`` URI for a self-contained edition). ``env`` may be shared
    between calls of one document so repeated footnote references get
    distinct ids.
    """
    env = env if env is not None else {}
    numbers = footnote_numbers or {}
    env.setdefault("footnote_numbers", numbers)
    env["footnotes"] = {"refs": {f":{label}": -1 for label in numbers}}
    if references:
        env["references"] = {label: dict(ref) for label, ref in references.items()}
    if image_resolver is not None:
        env["image_resolver"] = image_resolver
    html: str = _RENDERER.renderInline(text, env)
    return html
