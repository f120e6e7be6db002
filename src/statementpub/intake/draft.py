"""A Word (``.docx``) or OpenDocument (``.odt``) draft becomes ``statement.md``:
``statementpub import DRAFT --out FOLDER``.

The draft is read by pandoc's own reader (pypandoc, ``--track-changes=accept``,
``--extract-media``) into pandoc's JSON AST; this module walks that tree, turns
it into what the statement format can say, and has pandoc's CommonMark writer
(with footnotes and pipe tables) write the body. What it does to the tree:

- the title is the document's (Word's Title style or metadata; OpenDocument's
  Title paragraph or ``dc:title``, :mod:`.odf`), else its first heading; the
  subtitle likewise; Word's Abstract paragraphs become the ``summary``;
- headings are shifted so that the first is ``##`` and none skips a level;
- emphasis, strong, code, links, lists (with their start numbers), tables,
  block quotes, footnotes, line breaks and rules are kept; comments and
  tracked changes (accepted), page breaks and styling (underline, small caps,
  custom styles) are dropped;
- what the format cannot say is changed to the nearest thing it can and
  reported with where it was: raw HTML or other raw code (dropped), merged
  table cells (split), block content in table cells (joined), a table without
  a header row (its first row becomes the header), headings inside lists or
  quotes (bold paragraphs), strikeout, superscript, subscript, math, text
  boxes, definition lists, captions that differ from the image's description;
- images are copied beside the statement with the draft's own alternative
  text (Word's "alt text" description, OpenDocument's ``svg:desc``); an image
  without one is written with empty alternative text, which the build refuses
  at its line until someone describes it;
- a trailing list under a heading that says "Signatories" in any language of
  the library's interface catalogs ("Firmantes", "Signataires", ...), or
  "Signed", becomes ``signatories`` (a linked name keeps its URL).

Nothing is written until everything is ready: the statement and its images are
made in a staging folder, loaded by :func:`statementpub.load_statement` (its
errors are what is left to fill in), then moved into place.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pypandoc
import yaml
from lxml import etree  # type: ignore[import-untyped]

from ..errors import Diagnostic, DraftImportError, OptionsError, StatementError
from ..i18n import available_languages, interface
from ..langtags import normalize_lang
from ..loader import load_statement
from ..model import KINDS
from ..text import fold
from .odf import OdfFacts, read_odf_facts

__all__ = ["MAX_DRAFT_BYTES", "DraftImport", "DraftImportError", "import_draft",
           "signatory_headings"]

#: The Markdown pandoc writes the body in: CommonMark with the format's extensions.
_WRITER = "commonmark+footnotes+pipe_tables"
_READERS = {".docx": "docx+styles", ".odt": "odt"}
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
#: Drafts larger than this are refused (bytes): 50 MiB, pictures included.
MAX_DRAFT_BYTES = 50 * 1024 * 1024
Json = Any


@dataclass(frozen=True)
class DraftImport:
    """The result of :func:`import_draft`.

    ``statement``: the ``statement.md`` written; ``images``: the image files
    written beside it; ``notes``: what the import changed or dropped, each naming
    where it was in the draft; ``to_fill_in``: what the build will refuse until
    someone fills it in (an image's description, the date), each
    ``statement.md:LINE``; ``signatories``: how many names were found.
    """

    statement: Path
    images: tuple[Path, ...]
    notes: tuple[Diagnostic, ...]
    to_fill_in: tuple[Diagnostic, ...]
    signatories: int

    @property
    def builds(self) -> bool:
        """Whether ``statementpub build`` accepts the statement as written."""
        return not self.to_fill_in


def signatory_headings() -> frozenset[str]:
    """The heading texts (case-folded) under which a trailing list is the signatories:
    "Signatories" in every language of the interface catalogs, and "Signed",
    "Signed by"."""
    words = {"signatories", "signed", "signed by"}
    for lang in available_languages():
        words.add(interface(lang).gettext("Signatories").value.casefold())
    return frozenset(words)


# ---------------------------------------------------------------------------
# Pandoc AST helpers


def _stringify(inlines: list[Json]) -> str:
    parts: list[str] = []

    def visit(items: list[Json]) -> None:
        for item in items:
            kind, content = item["t"], item.get("c")
            if kind == "Str":
                parts.append(content)
            elif kind in ("Space", "SoftBreak", "LineBreak"):
                parts.append(" ")
            elif kind in ("Code", "Math", "RawInline"):
                parts.append(content[1])
            elif kind == "Quoted":
                quotes = "“”" if content[0]["t"] == "DoubleQuote" else "‘’"
                parts.append(quotes[0])
                visit(content[1])
                parts.append(quotes[1])
            elif kind in ("Link", "Image", "Span"):
                visit(content[1] if kind == "Span" else content[1])
            elif kind == "Cite":
                visit(content[1])
            elif kind == "Note":
                continue
            elif isinstance(content, list):
                visit(content)
    visit(inlines)
    return fold("".join(parts))


def _block_inlines(blocks: list[Json]) -> list[Json]:
    """The inlines of simple blocks (Plain, Para), joined with spaces."""
    out: list[Json] = []
    for block in blocks:
        if block["t"] in ("Plain", "Para"):
            if out:
                out.append({"t": "Space"})
            out.extend(block["c"])
        elif block["t"] == "Div":
            if out:
                out.append({"t": "Space"})
            out.extend(_block_inlines(block["c"][1]))
        elif block["t"] in ("BulletList", "OrderedList"):
            items = block["c"] if block["t"] == "BulletList" else block["c"][1]
            for item in items:
                if out:
                    out.append({"t": "Space"})
                out.extend(_block_inlines(item))
        elif block["t"] == "Header":
            if out:
                out.append({"t": "Space"})
            out.extend(block["c"][2])
    return out


def _custom_style(attr: Json) -> str:
    return next((value for key, value in attr[2] if key == "custom-style"), "")


class _Walker:
    """Turns the draft's blocks into the format's, collecting notes."""

    def __init__(self, draft: str, media: dict[str, str | None], odf: OdfFacts | None,
                 media_root: str) -> None:
        self.draft = draft
        self.media = media  # extracted path -> file name beside the statement, once used
        self.used: list[tuple[str, str]] = []
        self.odf = odf
        self.media_root = media_root
        self.notes: list[Diagnostic] = []
        self.where = "before the first heading"
        self.block_number = 0
        self.reported: set[tuple[str, str]] = set()

    def note(self, message: str) -> None:
        key = (self.where, message)
        if key in self.reported:
            return
        self.reported.add(key)
        self.notes.append(Diagnostic(f"block {self.block_number} ({self.where}): {message}",
                                     self.draft, 0, severity="warning"))

    # -- inlines

    def inlines(self, items: list[Json]) -> list[Json]:
        out: list[Json] = []
        for item in items:
            out.extend(self.inline(item))
        return out

    def inline(self, item: Json) -> list[Json]:
        kind, content = item["t"], item.get("c")
        if kind in ("Str", "Space", "SoftBreak", "LineBreak"):
            return [item]
        if kind in ("Emph", "Strong"):
            inner = self.inlines(content)
            return [{"t": kind, "c": inner}] if inner else []
        if kind in ("Underline", "SmallCaps"):
            return self.inlines(content)  # styling
        if kind == "Span":
            return self.inlines(content[1])
        if kind in ("Strikeout", "Superscript", "Subscript"):
            label = {"Strikeout": "struck-out", "Superscript": "superscript",
                     "Subscript": "subscript"}[kind]
            self.note(f"{label} text {_stringify(content)!r} is written as plain text "
                      "(the format has no such markup): check its meaning")
            return self.inlines(content)
        if kind == "Quoted":
            quotes = "“”" if content[0]["t"] == "DoubleQuote" else "‘’"
            return [{"t": "Str", "c": quotes[0]}, *self.inlines(content[1]),
                    {"t": "Str", "c": quotes[1]}]
        if kind == "Cite":
            return self.inlines(content[1])
        if kind == "Code":
            return [{"t": "Code", "c": [["", [], []], content[1]]}]
        if kind == "Math":
            self.note(f"the formula {content[1]!r} is written as its TeX text (the format "
                      "has no mathematics)")
            return [{"t": "Str", "c": content[1]}]
        if kind == "RawInline":
            self.note(f"raw {content[0]} code {content[1][:60]!r} was dropped (the format "
                      "allows no raw markup)")
            return []
        if kind == "Link":
            inner = self.inlines(content[1])
            target = content[2][0]
            if target.startswith("#"):
                self.note(f"the link to {target!r} inside the draft was kept as plain text "
                          "(its target's id is not kept)")
                return inner
            return [{"t": "Link", "c": [["", [], []], inner, [target, ""]]}]
        if kind == "Image":
            return [self.image(content)]
        if kind == "Note":
            where, number = self.where, self.block_number
            blocks = self.blocks(content, nested=True)
            self.where, self.block_number = where, number
            return [{"t": "Note", "c": blocks}]
        self.note(f"a {kind} element was dropped")
        return []

    def image(self, content: Json) -> Json:
        src = content[2][0]
        alt = self.inlines(content[1])
        if self.odf is not None and not alt:
            inside = src[len(self.media_root):].lstrip("/") if src.startswith(
                self.media_root) else src
            described = self.odf.alt.get(inside, "")
            alt = [{"t": "Str", "c": described}] if described else []
        if src not in self.media:
            self.note(f"the image {Path(src).name!r} is not inside the draft (a linked "
                      "file?): it was dropped")
            return {"t": "Str", "c": ""}
        name = self.media[src]
        if name is None:
            name = f"image-{len(self.used) + 1}{Path(src).suffix.lower() or '.bin'}"
            self.media[src] = name
            self.used.append((src, name))
        if not _stringify(alt):
            self.note(f"the image {name!r} has no description (alt text): describe it in "
                      "statement.md, or mark it {.decorative}")
            alt = []
        return {"t": "Image", "c": [["", [], []], alt, [name, ""]]}

    # -- blocks

    def blocks(self, items: list[Json], *, nested: bool = False) -> list[Json]:
        out: list[Json] = []
        for item in items:
            if not nested:
                self.block_number += 1
            for block in self.block(item, nested=nested):
                if out and not self.merge_lists(out[-1], block):
                    out.append(block)
                elif not out:
                    out.append(block)
        return out

    def merge_lists(self, previous: Json, block: Json) -> bool:
        """Append ``block`` to ``previous`` when both are lists of one kind: Markdown
        cannot write two such lists one after the other (Word often splits one)."""
        if previous["t"] != block["t"] or block["t"] not in ("BulletList", "OrderedList"):
            return False
        if block["t"] == "BulletList":
            previous["c"].extend(block["c"])
            return True
        expected = previous["c"][0][0] + len(previous["c"][1])
        if block["c"][0][0] != expected:
            self.note(f"a numbered list that starts again at {block['c'][0][0]} continues "
                      f"the list before it (from {expected}): Markdown cannot write two "
                      "numbered lists one after the other")
        previous["c"][1].extend(block["c"][1])
        return True

    def block(self, item: Json, *, nested: bool) -> list[Json]:
        kind, content = item["t"], item.get("c")
        if kind in ("Para", "Plain"):
            inner = self.inlines(content)
            if not _stringify(inner) and not any(i["t"] in ("Image", "Note") for i in inner):
                return []  # an empty paragraph, such as a page break leaves
            return [{"t": kind, "c": inner}]
        if kind == "Header":
            level, _, inner = content
            text = self.inlines(inner)
            if nested:
                self.note(f"the heading {_stringify(inner)!r} inside a list, quote or note "
                          "is a bold paragraph now (the format allows headings only at the "
                          "top level)")
                return [{"t": "Para", "c": [{"t": "Strong", "c": text}]}]
            self.where = f"under {_stringify(inner)!r}"
            return [{"t": "Header", "c": [level, ["", [], []], text]}]
        if kind == "BlockQuote":
            return [{"t": "BlockQuote", "c": self.blocks(content, nested=True)}]
        if kind == "BulletList":
            return [{"t": "BulletList", "c": [self.item(i) for i in content]}]
        if kind == "OrderedList":
            (start, _, _), items = content
            return [{"t": "OrderedList",
                     "c": [[start, {"t": "Decimal"}, {"t": "Period"}],
                           [self.item(i) for i in items]]}]
        if kind == "Div":
            style = _custom_style(content[0])
            if "textbox" in style.replace(" ", "").lower():
                self.note("the text of a text box was placed here: check where it belongs")
            return self.blocks(content[1], nested=nested) if nested else \
                [b for child in content[1] for b in self.block(child, nested=nested)]
        if kind == "Figure":
            return self.figure(content, nested=nested)
        if kind == "Table":
            return self.table(content)
        if kind == "CodeBlock":
            return [{"t": "CodeBlock", "c": [["", [], []], content[1]]}]
        if kind == "HorizontalRule":
            return [item]
        if kind == "LineBlock":
            lines: list[Json] = []
            for line in content:
                if lines:
                    lines.append({"t": "LineBreak"})
                lines.extend(self.inlines(line))
            return [{"t": "Para", "c": lines}]
        if kind == "RawBlock":
            self.note(f"raw {content[0]} code {content[1][:60]!r} was dropped (the format "
                      "allows no raw markup)")
            return []
        if kind == "DefinitionList":
            self.note("a definition list became paragraphs (term in bold, then its "
                      "definitions)")
            out: list[Json] = []
            for term, definitions in content:
                out.append({"t": "Para", "c": [{"t": "Strong", "c": self.inlines(term)}]})
                for definition in definitions:
                    out.extend(self.blocks(definition, nested=True))
            return out
        self.note(f"a {kind} block was dropped")
        return []

    def item(self, blocks: list[Json]) -> list[Json]:
        """A list item; one paragraph alone is a tight item (Word writes every item
        as a paragraph of its own)."""
        out = self.blocks(blocks, nested=True)
        if len(out) == 1 and out[0]["t"] == "Para":
            return [{"t": "Plain", "c": out[0]["c"]}]
        return out

    def figure(self, content: Json, *, nested: bool) -> list[Json]:
        _, caption, body = content
        out = self.blocks(body, nested=True)
        images = [i for block in out if block["t"] in ("Para", "Plain")
                  for i in block["c"] if i["t"] == "Image"]
        caption_inlines = _block_inlines(caption[1])
        caption_text = _stringify(caption_inlines)
        if caption_text:
            alts = {_stringify(image["c"][1]) for image in images}
            if caption_text not in alts:
                if images and not any(alts):
                    # a caption and no description: the caption is the best description
                    self.note(f"the image's caption {caption_text!r} is its description "
                              "now (it had none): check that it describes the image")
                    for image in images:
                        image["c"][1] = self.inlines(caption_inlines)
                else:
                    self.note(f"the caption {caption_text!r} is a paragraph after the image "
                              "(the format has no captions)")
                    out.append({"t": "Para", "c": self.inlines(caption_inlines)})
        return [{"t": "Para", "c": b["c"]} if b["t"] == "Plain" else b for b in out]

    def table(self, content: Json) -> list[Json]:
        _, caption, colspecs, head, bodies, foot = content
        rows: list[list[list[Json]]] = []
        merged = False
        complex_cells = False
        pending: dict[int, int] = {}  # column -> rows still covered by a row span
        all_rows = [*head[1]] + [row for body in bodies for row in (*body[2], *body[3])] \
            + [*foot[1]]
        width = len(colspecs)
        for row in all_rows:
            cells: list[list[Json]] = []
            column = 0
            queue = list(row[1])
            while column < width:
                if pending.get(column, 0) > 0:
                    pending[column] -= 1
                    cells.append([])
                    column += 1
                    continue
                if not queue:
                    cells.append([])
                    column += 1
                    continue
                _, _, rowspan, colspan, blocks = queue.pop(0)
                simple = all(b["t"] in ("Plain", "Para") for b in blocks) and len(blocks) <= 1
                if not simple:
                    complex_cells = True
                cells.append(self.inlines(_block_inlines(blocks)))
                if rowspan > 1 or colspan > 1:
                    merged = True
                for extra in range(colspan):
                    if rowspan > 1:
                        pending[column + extra] = rowspan - 1
                    if extra:
                        cells.append([])
                column += colspan
            rows.append(cells[:width])
        if merged:
            self.note("a table's merged cells were split: the text stands in the first "
                      "cell, the others are empty; check the table")
        if complex_cells:
            self.note("a table cell held several paragraphs or a list: they are joined in "
                      "one line (a table cell holds one line)")
        out: list[Json] = []
        caption_inlines = _block_inlines(caption[1])
        if _stringify(caption_inlines):
            self.note(f"the table's caption {_stringify(caption_inlines)!r} is a paragraph "
                      "before it")
            out.append({"t": "Para", "c": self.inlines(caption_inlines)})
        if not head[1]:
            self.note("a table had no header row: its first row is the header now")
        if not rows:
            return out

        def cell(inlines: list[Json]) -> Json:
            return [["", [], []], {"t": "AlignDefault"}, 1, 1,
                    [{"t": "Plain", "c": inlines}] if inlines else []]

        def table_row(cells: list[list[Json]]) -> Json:
            return [["", [], []], [cell(c) for c in cells]]

        specs = [[spec[0], {"t": "ColWidthDefault"}] for spec in colspecs]
        out.append({"t": "Table", "c": [
            ["", [], []], [None, []], specs,
            [["", [], []], [table_row(rows[0])]],
            [[["", [], []], 0, [], [table_row(r) for r in rows[1:]]]],
            [["", [], []], []]]})
        return out


def _shift_headings(blocks: list[Json]) -> None:
    """First heading ``##``, none skipping a level (in place)."""
    headers = [b for b in blocks if b["t"] == "Header"]
    if not headers:
        return
    offset = headers[0]["c"][0] - 2
    previous = 1
    for header in headers:
        level = max(2, min(header["c"][0] - offset, previous + 1, 6))
        header["c"][0] = level
        previous = level


def _signatories(blocks: list[Json], walker: _Walker) -> list[Json]:
    """Remove a trailing signatory list (under a "Signatories" heading) from
    ``blocks`` and return it as front-matter items."""
    words = signatory_headings()
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        if block["t"] != "Header":
            continue
        heading = _stringify(block["c"][2]).rstrip(":： ").casefold()
        if heading not in words:
            continue
        rest = [b for b in blocks[index + 1:]
                if not (b["t"] in ("Para", "Plain") and not _stringify(b["c"]))]
        if len(rest) != 1 or rest[0]["t"] not in ("BulletList", "OrderedList"):
            walker.where = f"under {_stringify(block['c'][2])!r}"
            walker.note("the signatory heading is followed by more than one list, so it "
                        "stays in the body: put the names in one list at the end")
            return []
        items = rest[0]["c"] if rest[0]["t"] == "BulletList" else rest[0]["c"][1]
        found: list[Json] = []
        for item in items:
            inlines = _block_inlines(item)
            links = [i for i in inlines if i["t"] == "Link"]
            name = _stringify(inlines)
            if not name:
                continue
            if len(links) == 1 and _stringify(links[0]["c"][1]) == name:
                found.append({"name": name, "url": links[0]["c"][2][0]})
            else:
                found.append(name)
        del blocks[index:]
        return found
    return []


def _read_ast(draft: Path, media_dir: Path) -> Json:
    reader = _READERS[draft.suffix.lower()]
    try:
        text = pypandoc.convert_file(
            str(draft), "json", format=reader,
            extra_args=["--track-changes=accept", f"--extract-media={media_dir}"])
    except (RuntimeError, OSError) as exc:
        reason = re.sub(r"^Pandoc died with exitcode \"?\d+\"? during conversion:\s*", "",
                        str(exc).strip())[:300]
        message = f"pandoc cannot read the draft: {reason}"
        raise DraftImportError(message, diagnostics=[Diagnostic(message, str(draft))]) from exc
    return json.loads(text)


def _markdown(blocks: list[Json], api_version: Json) -> str:
    document = {"pandoc-api-version": api_version, "meta": {}, "blocks": blocks}
    text = pypandoc.convert_text(json.dumps(document), _WRITER, format="json",
                                 extra_args=["--wrap=none"])
    return str(text).replace("\r\n", "\n").strip("\n")


def _text_boxes_in_docx(draft: Path) -> list[str]:
    """The text of each text box of a Word document (``w:txbxContent``)."""
    try:
        with zipfile.ZipFile(draft) as archive:
            if archive.getinfo("word/document.xml").file_size > 64 * 1024 * 1024:
                return []
            data = archive.read("word/document.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return []
    tag = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}txbxContent"
    # A text box may be written twice (DrawingML and its VML fallback): keep one of each.
    texts = [" ".join("".join(box.itertext()).split()) for box in root.iter(tag)
             if not any(a.tag == tag for a in box.iterancestors())]
    return list(dict.fromkeys(texts))


def _report_text_boxes(texts: list[str], blocks: list[Json], note: Any) -> None:
    """Say, for each text box, whether pandoc kept its text (and where it went) or
    not (then the note carries the text, so nothing is lost)."""
    everything = " ".join(_stringify(_block_inlines([b])) for b in blocks)
    for text in texts:
        if not text:
            continue
        shown = text if len(text) <= 200 else text[:200] + "…"
        if text in everything:
            note(f"the text box {shown!r} is a paragraph where it was anchored now: check "
                 "where it belongs")
        else:
            note(f"the text box {shown!r} was not read by pandoc: copy its text into "
                 "statement.md where it belongs")


class _Literal(str):
    """A string YAML writes as a literal block (``|``)."""


def _literal_representer(dumper: yaml.SafeDumper, value: _Literal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Literal, _literal_representer)


def _front_matter(values: dict[str, Any]) -> str:
    return yaml.dump(values, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     width=1_000_000, default_flow_style=False)


def _meta_text(meta: Json, key: str) -> list[Json]:
    value = meta.get(key)
    if not value:
        return []
    if value["t"] == "MetaInlines":
        return list(value["c"])
    if value["t"] == "MetaString":
        return [{"t": "Str", "c": value["c"]}]
    if value["t"] == "MetaBlocks":
        return _block_inlines(value["c"])
    return []


def _parse_date(text: str) -> _dt.date | None:
    match = _DATE.match(text.strip())
    if not match:
        return None
    try:
        return _dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _iter_paragraph_text(blocks: list[Json]) -> Iterator[tuple[int, str]]:
    for index, block in enumerate(blocks):
        if block["t"] in ("Para", "Plain"):
            yield index, _stringify(block["c"])


def import_draft(
    draft: str | Path,
    out_dir: str | Path,
    *,
    date: str | _dt.date | None = None,
    lang: str | None = None,
    kind: str | None = None,
    force: bool = False,
) -> DraftImport:
    """Import a Word (``.docx``) or OpenDocument (``.odt``) draft as a statement.

    :param draft: the draft file.
    :param out_dir: the statement's folder; ``statement.md`` and the images are
        written into it (made if needed).
    :param date: the publication date (``YYYY-MM-DD`` or a date) when the draft
        gives none; given, it is used whatever the draft says.
    :param lang: the BCP 47 tag of the draft's language, when the draft gives none
        (an OpenDocument's ``dc:language``); given, it is used.
    :param kind: one of the format's kinds (``joint-statement``, ...); default: not
        written (``statement``).
    :param force: replace an existing ``statement.md`` in ``out_dir``.
    :returns: what was written, what was changed (notes, naming where in the draft)
        and what is left to fill in (the loader's errors, ``statement.md:LINE``).
    :raises DraftImportError: not a ``.docx`` or ``.odt``, pandoc cannot read it,
        ``out_dir/statement.md`` exists and ``force`` is false.
    :raises OptionsError: a bad ``date``, ``lang`` or ``kind``.
    Nothing is written when an error is raised.
    """
    source = Path(draft)
    folder = Path(out_dir)
    suffix = source.suffix.lower()
    if suffix not in _READERS:
        raise DraftImportError(f"{source}: a draft is a .docx or .odt file (save it as "
                               "Word or OpenDocument text)")
    if not source.is_file():
        raise DraftImportError(f"{source}: the draft does not exist")
    if source.stat().st_size > MAX_DRAFT_BYTES:
        raise DraftImportError(f"{source}: the draft is larger than {MAX_DRAFT_BYTES} bytes "
                               "(50 MiB): make its pictures smaller")
    if kind is not None and kind not in KINDS:
        raise OptionsError(f"unknown kind {kind!r}; one of: {', '.join(KINDS)}")
    lang_tag = None
    if lang is not None:
        lang_tag = normalize_lang(lang)
        if lang_tag is None:
            raise OptionsError(f"unknown language tag {lang!r} (a BCP 47 tag such as 'en')")
    date_value: _dt.date | None = None
    if date is not None:
        date_value = date if isinstance(date, _dt.date) else _parse_date(str(date))
        if date_value is None or (isinstance(date, str) and not _DATE.fullmatch(date)):
            raise OptionsError(f"date {date!r} must be written YYYY-MM-DD")
    target = folder / "statement.md"
    if target.exists() and not force:
        raise DraftImportError(f"{target} exists: give --force to replace it, or another "
                               "--out")

    staging = Path(tempfile.mkdtemp(prefix="statementpub-import-"))
    try:
        return _import(source, folder, staging, date_value, lang_tag, kind)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _import(source: Path, folder: Path, staging: Path, date_value: _dt.date | None,
            lang_tag: str | None, kind: str | None) -> DraftImport:
    media_dir = staging / "media"
    ast = _read_ast(source, media_dir)
    meta, blocks = ast.get("meta", {}), ast.get("blocks", [])
    odf = read_odf_facts(source) if source.suffix.lower() == ".odt" else None
    notes: list[Diagnostic] = []

    def note(message: str) -> None:
        notes.append(Diagnostic(message, str(source), 0, severity="warning"))

    # Word's abstract (custom style "Abstract"), and its "Abstract Title" label.
    summary_blocks: list[Json] = []
    kept: list[Json] = []
    for block in blocks:
        style = _custom_style(block["c"][0]) if block["t"] == "Div" else ""
        if style == "Abstract Title":
            continue
        if style == "Abstract":
            summary_blocks.extend(block["c"][1])
            continue
        kept.append(block)
    blocks = kept

    title_inlines = _meta_text(meta, "title")
    subtitle_inlines = _meta_text(meta, "subtitle")
    if odf is not None:
        for attribute, text in (("title", odf.title_paragraph),
                                ("subtitle", odf.subtitle_paragraph),
                                ("date", odf.date_paragraph)):
            found = next((i for i, t in _iter_paragraph_text(blocks) if t == text), None) \
                if text else None
            if found is None or (attribute == "date" and _parse_date(text) is None):
                continue
            inlines = blocks.pop(found)["c"]
            if attribute == "title":
                title_inlines = inlines
            elif attribute == "subtitle":
                subtitle_inlines = inlines
            else:
                meta = {**meta, "date": {"t": "MetaInlines", "c": inlines}}
        if not title_inlines and odf.title:
            title_inlines = [{"t": "Str", "c": odf.title}]
    boxes = odf.text_boxes if odf is not None else _text_boxes_in_docx(source)
    _report_text_boxes(boxes, blocks, note)
    if not title_inlines:
        first = next((i for i, b in enumerate(blocks) if b["t"] == "Header"), None)
        if first is not None:
            title_inlines = blocks.pop(first)["c"][2]
            note(f"the title is the draft's first heading, {_stringify(title_inlines)!r} "
                 "(the draft has no Title)")
    title = _stringify(title_inlines)

    # Media: each extracted file that the body shows gets a short name beside the statement.
    media: dict[str, str | None] = {str(path): None for path in sorted(media_dir.rglob("*"))
                                    if path.is_file()} if media_dir.is_dir() else {}
    media_root = str(media_dir)

    walker = _Walker(str(source), media, odf, media_root)
    signatories = _signatories(blocks, walker)
    body = walker.blocks(blocks)
    _shift_headings(body)
    walker.where, walker.block_number = "in the abstract", 0
    summary = [b for b in walker.blocks(summary_blocks, nested=True)
               if b["t"] in ("Para", "Plain")]
    subtitle = walker.inlines(subtitle_inlines)
    for part in (*summary, {"c": subtitle}):
        if any(i["t"] in ("Note", "Image") for i in part["c"]):
            walker.note("a footnote or image in the subtitle or abstract was dropped")
            part["c"][:] = [i for i in part["c"] if i["t"] not in ("Note", "Image")]
    notes.extend(walker.notes)

    api_version = ast.get("pandoc-api-version", [1, 23, 1])
    front: dict[str, Any] = {"title": title or ""}
    draft_date = _parse_date(_stringify(_meta_text(meta, "date")))
    if date_value is None and draft_date is None and _stringify(_meta_text(meta, "date")):
        note(f"the draft's date {_stringify(_meta_text(meta, 'date'))!r} is not YYYY-MM-DD: "
             "give --date")
    chosen_date = date_value or draft_date
    front["date"] = chosen_date  # YAML writes a date plainly: 2026-04-22
    chosen_lang = lang_tag or (normalize_lang(odf.lang) if odf is not None and odf.lang
                               else None)
    if chosen_lang:
        front["lang"] = chosen_lang
    else:
        note("the draft does not say its language: 'lang' is not written, so the format's "
             "default 'en' applies; give --lang")
    if kind:
        front["kind"] = kind
    texts = [{"t": "Para", "c": subtitle}] + summary if subtitle else summary
    if texts:
        written = _markdown(texts, api_version).split("\n\n")
        if subtitle:
            front["subtitle"] = written.pop(0)
        if written:
            front["summary"] = _Literal("\n\n".join(written) + "\n") if len(written) > 1 \
                else written[0]
    if signatories:
        front["signatories"] = signatories
    body_text = _markdown(body, api_version) if body else ""
    front_text = _front_matter(front).replace("date: null\n", "date:\n")
    statement_text = f"---\n{front_text}---\n\n{body_text}\n"

    staged = staging / "statement"
    staged.mkdir()
    (staged / "statement.md").write_text(statement_text, encoding="utf-8")
    for extracted, name in walker.used:
        shutil.copyfile(extracted, staged / name)
    to_fill_in: list[Diagnostic] = []
    try:
        load_statement(staged / "statement.md")
    except StatementError as exc:
        shown = str(folder / "statement.md")
        to_fill_in = [replace(d, path=shown) if d.path else d for d in exc.diagnostics]

    folder.mkdir(parents=True, exist_ok=True)
    written_images = []
    for _, name in walker.used:
        shutil.copyfile(staged / name, folder / name)
        written_images.append(folder / name)
    from ..build import write_atomically

    write_atomically(folder / "statement.md", statement_text.encode("utf-8"))
    return DraftImport(folder / "statement.md", tuple(written_images), tuple(notes),
                       tuple(to_fill_in), len(signatories))
