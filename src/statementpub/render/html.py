"""The HTML edition: one self-contained, accessible HTML5 file.

The page skeleton is the Jinja2 template ``templates/edition.html.j2``
(autoescaped); body blocks are rendered here. Every element whose language
differs from the language it inherits gets a ``lang`` attribute (WCAG 2.2
SC 3.1.1 and 3.1.2): fallback units, signatory names in their own language,
interface strings without a translation.

The same renderer produces the input pandoc reads for the EPUB edition
(``flavour="pandoc"``): pandoc's HTML reader keeps ``lang`` only on
headings, table cells, ``div`` and ``span``, so there paragraphs, list items
and block quotes in another language are wrapped in a ``div`` or ``span``.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from ..langtags import same_language
from ..edition import Edition, Text
from ..markdown import render_inline
from ..text import slugify
from ..model import (
    Block,
    BlockQuote,
    CodeBlock,
    Figure,
    Heading,
    ListBlock,
    Paragraph,
    Table,
    ThematicBreak,
)
from ..resources import styles_dir
from .labels import Labels, labels

__all__ = ["Alternate", "harden_html", "render_edition_html", "stylesheet"]

Flavour = Literal["html", "print", "pandoc"]


@dataclass(frozen=True, slots=True)
class Alternate:
    """Another language edition to link to: its tag, its name (in its own language), its URL."""

    lang: str
    name: str
    href: str


@lru_cache(maxsize=1)
def _environment() -> Environment:
    templates = Path(__file__).resolve().parent.parent / "templates"
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


_CSS_STRING_OR_COMMENT = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|(/\*.*?\*/)""",
                                    re.S)


def _strip_comments(css: str) -> str:
    """``css`` without its comments (strings are left as they are).

    The editions carry the style sheets without the authors' notes, so that
    nothing in a file but its content, such as a comment's ``only =``, looks
    like an event handler to a search of the file.
    """
    return _CSS_STRING_OR_COMMENT.sub(lambda m: "" if m.group(1) else m.group(0), css)


@lru_cache(maxsize=16)
def _read_style(name: str, mtime_ns: int) -> str:
    return _strip_comments((styles_dir() / name).read_text(encoding="utf-8"))


def stylesheet(*names: str) -> str:
    """The concatenated text of stylesheets in ``styles/``, without comments (cached
    per process)."""
    parts = []
    for name in names:
        path = styles_dir() / name
        if path.is_file():
            parts.append(_read_style(name, path.stat().st_mtime_ns))
    return "\n".join(parts)


_FONT_URL = re.compile(r"""url\(["']?(fonts/[^"')]+)["']?\)""")


@lru_cache(maxsize=4)
def _inline_fonts(css: str) -> str:
    """Replace ``url(fonts/...)`` by ``data:`` URIs, for a self-contained HTML file."""
    def data(match: re.Match[str]) -> str:
        path = styles_dir() / match.group(1)
        if not path.resolve().is_relative_to(styles_dir().resolve()) or not path.is_file():
            return match.group(0)
        mime = "font/woff2" if path.suffix == ".woff2" else "font/woff" \
            if path.suffix == ".woff" else "font/ttf"
        encoded = base64.b64encode(path.read_bytes()).decode("ascii")
        return f'url("data:{mime};base64,{encoded}")'
    return _FONT_URL.sub(data, css)


def lang_attr(lang: str, inherited: str) -> Markup:
    """`` lang="xx"`` when ``lang`` differs from the inherited language, else nothing."""
    if not lang or same_language(lang, inherited):
        return Markup("")
    return Markup(' lang="{}"').format(lang)


@dataclass
class _Ctx:
    edition: Edition
    flavour: Flavour
    footnote_numbers: dict[str, int]
    env: dict[str, Any] = field(default_factory=dict)

    def resolve_image(self, src: str) -> str:
        path = self.edition.statement.body.images.get(src)
        if path is None:
            return ""
        return _data_uri(path)

    def inline(self, text: Text) -> Markup:
        if not text.markup:
            return escape(text.value)
        return Markup(render_inline(text.value, footnote_numbers=self.footnote_numbers,
                                    references=self.edition.statement.body.references,
                                    image_resolver=self.resolve_image, env=self.env))


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _blocks(blocks: Sequence[Block], ctx: _Ctx, inherited: str, *,
            in_list: bool = False, tight: bool = False) -> Iterator[Markup]:
    edition = ctx.edition
    for block in blocks:
        if isinstance(block, Heading):
            text = edition.text(block.content)
            classes = Markup(' class="{}"').format(" ".join(block.classes)) \
                if block.classes else Markup("")
            yield Markup('<h{0} id="{1}"{2}{3}>{4}</h{0}>\n').format(
                block.level, block.id, classes, lang_attr(text.lang, inherited),
                ctx.inline(text))
        elif isinstance(block, Paragraph):
            text = edition.text(block.content)
            yield _paragraph(ctx, text, inherited, hidden=in_list and tight)
        elif isinstance(block, Figure):
            yield _figure(ctx, block, inherited)
        elif isinstance(block, ListBlock):
            yield _list(ctx, block, inherited)
        elif isinstance(block, BlockQuote):
            inner = Markup("").join(_blocks(block.blocks, ctx, inherited))
            yield Markup("<blockquote>\n{}</blockquote>\n").format(inner)
        elif isinstance(block, Table):
            yield _table(ctx, block, inherited)
        elif isinstance(block, CodeBlock):
            yield Markup("<pre><code>{}</code></pre>\n").format(block.text)
        elif isinstance(block, ThematicBreak):
            yield Markup("<hr>\n")


def _paragraph(ctx: _Ctx, text: Text, inherited: str, *, hidden: bool) -> Markup:
    body = ctx.inline(text)
    mark = lang_attr(text.lang, inherited)
    if hidden:
        if mark:
            return Markup("<span{}>{}</span>\n").format(mark, body)
        return Markup("{}\n").format(body)
    if mark and ctx.flavour == "pandoc":
        return Markup("<div{}><p>{}</p></div>\n").format(mark, body)
    return Markup("<p{}>{}</p>\n").format(mark, body)


def _figure(ctx: _Ctx, block: Figure, inherited: str) -> Markup:
    src = _data_uri(block.path)
    ident = Markup(' id="{}"').format(block.id) if block.id else Markup("")
    if block.alt is None:
        return Markup('<p class="figure decorative"{}><img src="{}" alt=""'
                      ' role="presentation"></p>\n').format(ident, src)
    text = ctx.edition.text(block.alt)
    alt = text.value if not text.markup else _plain(text.value)
    mark = lang_attr(text.lang, inherited)
    if mark and ctx.flavour == "pandoc":
        return Markup('<div{}><p class="figure"{}><img src="{}" alt="{}"></p></div>\n').format(
            mark, ident, src, alt)
    return Markup('<p class="figure"{}><img src="{}" alt="{}"{}></p>\n').format(
        ident, src, alt, mark)


def _plain(markdown: str) -> str:
    from ..markdown import inspect_inline

    return inspect_inline(markdown).visible


def _item_lang(ctx: _Ctx, blocks: Sequence[Block]) -> str | None:
    """The language of a list item whose own text is one paragraph, for ``<li lang>``."""
    first = blocks[0] if blocks else None
    if isinstance(first, Paragraph):
        return ctx.edition.text(first.content).lang
    return None


def _list(ctx: _Ctx, block: ListBlock, inherited: str) -> Markup:
    tag = "ol" if block.ordered else "ul"
    start = Markup(' start="{}"').format(block.start) if block.ordered and block.start != 1 \
        else Markup("")
    items = []
    for item in block.items:
        item_lang = _item_lang(ctx, item.blocks) if ctx.flavour != "pandoc" else None
        if item_lang and not same_language(item_lang, inherited):
            inner = Markup("").join(_blocks(item.blocks, ctx, item_lang, in_list=True,
                                            tight=block.tight))
            items.append(Markup("<li{}>{}</li>\n").format(lang_attr(item_lang, inherited),
                                                            inner))
        else:
            inner = Markup("").join(_blocks(item.blocks, ctx, inherited, in_list=True,
                                            tight=block.tight))
            items.append(Markup("<li>{}</li>\n").format(inner))
    return Markup("<{0}{1}>\n{2}</{0}>\n").format(tag, start, Markup("").join(items))


def _table(ctx: _Ctx, block: Table, inherited: str) -> Markup:
    def cell(tag: str, text: Text, align: str, scope: str) -> Markup:
        style = Markup(' style="text-align: {}"').format(align) if align else Markup("")
        scope_attr = Markup(' scope="{}"').format(scope) if scope else Markup("")
        # In a table cell "\|" is a pipe, even inside a code span (GFM): the cell's
        # text (its msgid) keeps the escape as written; the rendering does not.
        shown = Text(text.value.replace("\\|", "|"), text.lang, text.markup)
        return Markup("<{0}{1}{2}{3}>{4}</{0}>").format(
            tag, scope_attr, style, lang_attr(text.lang, inherited), ctx.inline(shown))

    def rows(source: Sequence[Sequence[Any]], tag: str, scope: str) -> Markup:
        out = []
        for row in source:
            cells = [cell(tag, ctx.edition.text(c), block.aligns[i] if i < len(block.aligns)
                          else "", scope) for i, c in enumerate(row)]
            out.append(Markup("<tr>{}</tr>\n").format(Markup("").join(cells)))
        return Markup("").join(out)

    head = rows(block.head, "th", "col")
    body = rows(block.body, "td", "")
    # A table too wide for a narrow screen scrolls inside a focusable region
    # (WCAG 2.2 SC 1.4.10 and 2.1.1), named by its column headers.
    wrapper = '<div class="table-wrap" role="region" tabindex="0" aria-label="{}">' \
        if ctx.flavour == "html" else "<div class=\"table-wrap\">"
    caption = ", ".join(_plain(ctx.edition.text(c).value) for c in block.head[0]) \
        if block.head else ""
    opening = Markup(wrapper).format(caption) if ctx.flavour == "html" else Markup(wrapper)
    return Markup("{}<table>\n<thead>\n{}</thead>\n<tbody>\n{}</tbody>\n</table></div>\n").format(
        opening, head, body)


def _footnotes(ctx: _Ctx, inherited: str, lab: Labels) -> Markup:
    notes = ctx.edition.statement.body.footnotes
    if not notes:
        return Markup("")
    items = []
    for note in notes:
        anchor = slugify(note.label)
        back = lab.back_to_reference.value % {"number": note.number}
        inner = Markup("").join(_blocks(note.blocks, ctx, inherited))
        backlink = Markup(' <a href="#fnref-{}" class="footnote-back" role="doc-backlink"'
                          ' aria-label="{}"{}>↩</a>').format(
            anchor, back, lang_attr(lab.back_to_reference.lang, inherited))
        if inner.endswith("</p>\n"):
            inner = Markup(inner[: -len("</p>\n")]) + backlink + Markup("</p>\n")
        else:
            inner = inner + backlink
        items.append(Markup('<li id="fn-{}">{}</li>\n').format(anchor, inner))
    return Markup('<section class="footnotes" role="doc-endnotes" aria-labelledby="notes-heading">'
                  '\n<h2 id="notes-heading"{}>{}</h2>\n<ol>\n{}</ol>\n</section>\n').format(
        lang_attr(lab.notes.lang, inherited), lab.notes.value, Markup("").join(items))


def render_edition_html(
    edition: Edition,
    *,
    alternates: Sequence[Alternate] = (),
    flavour: Flavour = "html",
    extra_css: str = "",
) -> str:
    """Render ``edition`` to a complete HTML5 document (a ``str``).

    ``flavour`` ``"html"`` is the published edition (CSS and images inlined);
    ``"print"`` is WeasyPrint's input (paged-media stylesheet);
    ``"pandoc"`` is pandoc's input for the EPUB.
    """
    statement = edition.statement
    numbers = {note.label: note.number for note in statement.body.footnotes}
    ctx = _Ctx(edition, flavour, numbers)
    lab = labels(edition)
    lang = edition.lang
    body = Markup("").join(_blocks(statement.body.blocks, ctx, lang))
    footnotes = _footnotes(ctx, lang, lab)
    if flavour == "html":
        css = _inline_fonts(stylesheet("fonts.css", "base.css"))
    elif flavour == "print":
        css = stylesheet("fonts.css", "base.css", "print.css")
    else:
        css = ""
    signatories = []
    for sig in statement.signatories:
        note = edition.text(sig.note) if sig.note is not None else None
        signatories.append({
            "name": sig.name,
            "lang": lang_attr(sig.lang, lang),
            "url": sig.url,
            "note": ctx.inline(note) if note else None,
            "note_lang": lang_attr(note.lang, lang) if note else Markup(""),
            "country": edition.ui.territory_name(sig.country).value if sig.country else None,
        })
    publisher = None
    if statement.publisher is not None:
        pub = statement.publisher
        name = edition.text(pub.name)
        logo = None
        if pub.logo is not None:
            alt = edition.text(pub.logo.alt)
            logo = {"src": _data_uri(pub.logo.path),
                    "alt": alt.value, "lang": lang_attr(alt.lang, lang)}
        publisher = {"name": name.value, "lang": lang_attr(name.lang, lang), "url": pub.url,
                     "logo": logo}

    def text(value: Text) -> dict[str, Any]:
        return {"value": ctx.inline(value), "lang": lang_attr(value.lang, lang)}

    def label(value: Text) -> dict[str, Any]:
        return {"value": value.value, "lang": lang_attr(value.lang, lang)}

    title = edition.text(statement.title)
    context = {
        "flavour": flavour,
        "lang": lang,
        "dir": edition.dir,
        # extra_css holds interface strings in CSS strings: "<" as a CSS escape
        # keeps "</style>" in one from closing the style element.
        "css": Markup(css + extra_css.replace("<", "\\3c ")),
        "title": label(title),
        "title_text": title.value,
        "subtitle": text(edition.text(statement.subtitle)) if statement.subtitle else None,
        "summary": [text(edition.text(p)) for p in statement.summary],
        "links": [{"label": label(edition.text(link.label)), "url": link.url}
                  for link in statement.links],
        "kind": label(lab.kind),
        "date_iso": statement.date.isoformat(),
        "date": label(lab.date),
        "published": label(lab.published),
        "body": body,
        "footnotes": footnotes,
        "signatories": signatories,
        "signatories_label": label(lab.signatories),
        "signatory_count": label(lab.signatory_count),
        "publisher": publisher,
        "publisher_label": label(lab.publisher),
        "contact": statement.contact,
        "contact_label": label(lab.contact),
        "email_label": label(lab.email),
        "phone_label": label(lab.phone),
        "license": statement.license,
        "license_label": label(lab.license),
        "skip_link": label(lab.skip_link),
        "links_label": label(lab.links),
        "editions_label": label(lab.editions),
        "alternates": alternates,
        "keywords": statement.keywords,
        "description": _plain(edition.text(statement.summary[0]).value)
        if statement.summary else "",
    }
    template = "edition.pandoc.html.j2" if flavour == "pandoc" else "edition.html.j2"
    return harden_html(_environment().get_template(template).render(context))


# ----------------------------------------------------------------------------
# Hardening: text that only looks like an event handler

_RAW_TEXT = re.compile(r"<(style|script)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")
_ATTRIBUTE = re.compile(r'(\s[^\s"\'=<>/]+)(\s*=\s*)"([^"]*)"')
_HANDLER_LIKE = re.compile(r"(?i)(on\w+\s*)=")
#: Attributes whose value is a URL: left as they are (their URLs were checked).
_URL_ATTRIBUTES = frozenset({"href", "src", "xlink:href", "cite", "action", "formaction",
                             "poster", "data"})


def harden_html(markup: str) -> str:
    """``markup`` with every ``=`` that follows ``on<letters>`` in text and in
    non-URL attribute values written as the character reference ``&#61;``.

    Text and attribute values are escaped already, so ``<img onerror=x>`` in a
    title is shown, not run. The reference changes nothing a reader or a parser
    sees, but no search of the file for ``on...=`` (a naive audit for event
    handler attributes) finds text either. Style sheets are left as they are.
    Used on the HTML of every flavour and on the EPUB's XHTML.
    """
    if not _HANDLER_LIKE.search(markup):
        return markup
    out: list[str] = []
    position = 0
    for raw in _RAW_TEXT.finditer(markup):
        out.append(_harden_part(markup[position:raw.start()]))
        out.append(raw.group(0))
        position = raw.end()
    out.append(_harden_part(markup[position:]))
    return "".join(out)


def _defuse(text: str) -> str:
    return _HANDLER_LIKE.sub(r"\1&#61;", text)


def _harden_attribute(match: re.Match[str]) -> str:
    name = match.group(1).strip().lower()
    if name in _URL_ATTRIBUTES:
        return match.group(0)
    return f'{match.group(1)}{match.group(2)}"{_defuse(match.group(3))}"'


def _harden_part(part: str) -> str:
    out: list[str] = []
    position = 0
    for tag in _TAG.finditer(part):
        out.append(_defuse(part[position:tag.start()]))
        out.append(_ATTRIBUTE.sub(_harden_attribute, tag.group(0)))
        position = tag.end()
    out.append(_defuse(part[position:]))
    return "".join(out)
