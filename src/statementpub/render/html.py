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
import hashlib
import mimetypes
import re
import unicodedata
from collections.abc import Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import jinja2
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape
from jinja2.nodes import EvalContext
from markupsafe import Markup

from ..edition import Edition, Text
from ..edition.glyphs import drawn_langs, drawn_text
from ..edition.nodes import (
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
    Note,
    NoteRef,
    Para,
    Span,
    Str,
    Strong,
    Table,
    ThematicBreak,
)
from ..errors import HtmlRenderError
from ..fonts import FontSet, filter_font_faces, first_families, font_set
from ..images import ImageRefused, read_image
from ..langtags import direction, same_language
from ..memo import IdentityCache
from ..resources import styles_dir
from .stylesheets import stylesheet

__all__ = ["Alternate", "harden_html", "headline_class", "render_edition_html", "stylesheet"]

Flavour = Literal["html", "print", "pandoc"]


@dataclass(frozen=True, slots=True)
class Alternate:
    """Another language edition to link to: its tag, its name (in its own language), its
    URL, and the language of the name when it is not the edition's own (a language CLDR
    has no name for is named in English: "Mam")."""

    lang: str
    name: str
    href: str
    name_lang: str | None = None


_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
#: A compiled template's first line: what it was compiled from (see :class:`_Loader`).
_COMPILED_HEADER = "# statementpub compiled template: "


class _Loader(FileSystemLoader):
    """Jinja's file loader, which takes a template's Python code from
    ``templates/<name>.compiled`` when that file was generated from the template
    as it is now, by this Jinja and with these settings (its first line records
    them: :func:`_compiled_key`), and otherwise compiles the template as Jinja
    does. Compiling is the first render's largest cost in a new process (about
    20 ms for the two templates); the Python code Jinja would make is the same.
    ``tests/test_warm_caches.py`` keeps the files equal to what Jinja makes
    (:func:`write_compiled_templates` writes them)."""

    def load(self, environment: Environment, name: str,
             globals: MutableMapping[str, Any] | None = None) -> Template:
        source, filename, uptodate = self.get_source(environment, name)
        compiled = _TEMPLATES / f"{name}.compiled"
        try:
            header, _, code = compiled.read_text(encoding="utf-8").partition("\n")
        except OSError:
            header = code = ""
        if header != _COMPILED_HEADER + _compiled_key(environment, name, source):
            return super().load(environment, name, globals)
        return environment.template_class.from_code(
            environment, compile(code, filename or "<template>", "exec"),
            globals if globals is not None else {}, uptodate)


def _compiled_key(environment: Environment, name: str, source: str) -> str:
    """What a template's compiled code depends on: the Jinja version, the settings
    that change the code it makes, and the template's text (its SHA-256)."""
    settings = (jinja2.__version__, environment.block_start_string,
                environment.block_end_string, environment.variable_start_string,
                environment.variable_end_string, environment.comment_start_string,
                environment.comment_end_string, environment.line_statement_prefix,
                environment.line_comment_prefix, environment.trim_blocks,
                environment.lstrip_blocks, environment.newline_sequence,
                environment.keep_trailing_newline, environment.optimized,
                environment.is_async, sorted(environment.extensions),
                EvalContext(environment, name).autoescape)
    digest = hashlib.sha256(repr(settings).encode("utf-8") + b"\0" + source.encode("utf-8"))
    return digest.hexdigest()


def compiled_template(name: str) -> str:
    """The text of ``templates/<name>.compiled`` for the template as it is now."""
    environment = _environment()
    source, filename, _ = environment.loader.get_source(environment, name)  # type: ignore[union-attr]
    code = environment.compile(source, name, filename, raw=True)
    return f"{_COMPILED_HEADER}{_compiled_key(environment, name, source)}\n{code}"


def write_compiled_templates() -> list[Path]:
    """Write ``templates/<name>.compiled`` for every template (after changing one,
    or upgrading Jinja); returns the files written."""
    written = []
    for name in TEMPLATE_NAMES:
        path = _TEMPLATES / f"{name}.compiled"
        path.write_text(compiled_template(name), encoding="utf-8")
        written.append(path)
    return written


#: The templates, by flavour: the screen and print editions share one.
TEMPLATE_NAMES = ("edition.html.j2", "edition.pandoc.html.j2")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=_Loader(str(_TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["direction"] = direction
    return env


_FONT_URL = re.compile(r"""url\(["']?(fonts/[^"')]+)["']?\)""")


#: Characters the renderers and stylesheets draw themselves: the notes' way back,
#: the markers of nested lists (as WeasyPrint draws them), the contact line's dot.
RENDERER_TEXT = "\u21a9\u25e6\u25aa\u2022\u00b7"


#: The font families an edition's characters are drawn with (:meth:`FontSet.families_drawing`),
#: by the edition's identity and the font set (its faces): the families fonts.css names
#: for the edition's languages are looked up on every call, as that file may change.
_FAMILIES: IdentityCache[Edition, frozenset[str]] = IdentityCache(maxsize=16)


def edition_fonts_css(edition: Edition, fonts: FontSet, css: str,
                      url_of: dict[Path, str] | None = None) -> str:
    """``css`` (holding fonts.css) with only the ``@font-face`` rules of the families
    the edition can use (:meth:`FontSet.families_for`), followed by the rules of the
    user's fonts (``url_of``: the URL to write for each file)."""
    # = fonts.families_for(drawn_text(edition) + RENDERER_TEXT, drawn_langs(edition))
    families = first_families(drawn_langs(edition)) | _FAMILIES.get_or_make(
        edition, lambda: frozenset(fonts.families_drawing(drawn_text(edition) + RENDERER_TEXT)),
        fonts)
    families.update(face.family for face in fonts.user)
    return filter_font_faces(css, families) + fonts.user_css(url_of)


def _font_data_uri(path: Path) -> str:
    mime = {".woff2": "font/woff2", ".woff": "font/woff", ".otf": "font/otf"}.get(
        path.suffix.lower(), "font/ttf")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


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


@lru_cache(maxsize=256)
def lang_attr(lang: str, inherited: str) -> Markup:
    """`` lang="xx" dir="ltr|rtl"`` when ``lang`` differs from the inherited language,
    else nothing.

    The ``dir`` (the direction of the language's script, :func:`langtags.direction`)
    isolates the passage (HTML ``dir`` attribute: ``unicode-bidi: isolate``), so
    that text in one direction never reorders the text around it
    (STATEMENT_FORMAT.md, "Editions and catalogs"; WCAG 2.2 SC 1.3.2).
    """
    if not lang or same_language(lang, inherited):
        return Markup("")
    return Markup(' lang="{}" dir="{}"').format(lang, direction(lang))


def name_attrs(lang: str, inherited: str) -> Markup:
    """The attributes of a signatory name: :func:`lang_attr` when its language differs,
    else ``dir="auto"``. Every name is isolated, so a name in either direction
    never reorders the list around it; an undeclared one takes the direction of
    its first strong letter (HTML ``dir=auto``, as ``<bdi>`` does)."""
    return lang_attr(lang, inherited) or Markup(' dir="auto"')


def _escape(text: str) -> Markup:
    """Text escaped as markdown-it escapes it (``&``, ``<``, ``>``, ``"``), so that
    editions keep the bytes they had when inline Markdown was rendered by it."""
    return Markup(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                  .replace('"', "&quot;"))


@lru_cache(maxsize=64)
def _data_uri_cached(path: Path, mtime_ns: int, size: int) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    try:
        # read once and checked again: what an edition holds is what was checked,
        # even if the file changed since the statement was loaded
        data = read_image(path)
    except ImageRefused as exc:
        raise HtmlRenderError(f"image {path.name!r} {exc}") from None
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _data_uri(path: Path) -> str:
    """The image at ``path`` as a ``data:`` URI.

    :raises HtmlRenderError: the file is gone or is no longer a publishable
        image (:func:`statementpub.images.read_image`).
    """
    try:
        info = path.stat()
    except OSError as exc:
        raise HtmlRenderError(f"image {path.name!r} cannot be read: "
                              f"{exc.strerror or exc}") from None
    return _data_uri_cached(path, info.st_mtime_ns, info.st_size)


@dataclass
class _Ctx:
    flavour: Flavour


#: A run of this many characters without a space may be part of a word longer
#: than the line.
_LONG_WORD = re.compile(r"\S{24,}")
#: A run longer than this (longer than any line of the page) gets a break
#: opportunity, a zero-width space, every :data:`CHUNK` characters in the print
#: HTML. WeasyPrint 70 lays out a word it cannot break at a line-break
#: opportunity by shaping all the rest of it again for every line
#: (``text/line_break.py``, ``split_first_line``: the short-text shortcut needs
#: a break opportunity), so time grows with the square of the word: 10 KB
#: took 24 s, 40 KB 99 s. With a break opportunity every few characters the
#: shortcut holds and the time is linear. The zero-width space draws nothing
#: and is not in the PDF's text (``pdftotext`` shows the word whole).
VERY_LONG = 120
#: Characters between two inserted break opportunities in a very long run.
CHUNK = 16
_ZWSP = "\u200b"


def _chunked(run: str) -> str:
    """``run`` with a zero-width space every :data:`CHUNK` characters, never
    inside a grapheme cluster (not before a combining mark or after a joiner)."""
    if len(run) <= VERY_LONG:
        return run
    out: list[str] = []
    start = 0
    while start < len(run):
        end = min(start + CHUNK, len(run))
        while end < len(run) and (unicodedata.category(run[end]).startswith("M")
                                  or run[end] in "\u200d\ufe0e\ufe0f"
                                  or run[end - 1] == "\u200d"):
            end += 1
        out.append(run[start:end])
        start = end
    return _ZWSP.join(out)


def _long_words(text: str) -> Markup:
    """``text`` escaped, each long run of non-space characters in a
    ``span.long-word`` (print flavour). WeasyPrint 70 cannot break a word that
    emphasis splits into two boxes (``**pneumono**ultra...``) even under
    ``overflow-wrap: anywhere``, so the line would run past the page; print.css
    lets such a run break between any two characters (``word-break: break-all``).
    A run longer than :data:`VERY_LONG` also gets break opportunities
    (:func:`_chunked`), which keep WeasyPrint's time linear in its length."""
    out: list[Markup] = []
    position = 0
    for match in _LONG_WORD.finditer(text):
        out.append(_escape(text[position:match.start()]))
        out.append(Markup('<span class="long-word">{}</span>').format(
            _escape(_chunked(match.group(0)))))
        position = match.end()
    out.append(_escape(text[position:]))
    return Markup("").join(out)


def _inlines(nodes: Sequence[Inline], ctx: _Ctx, inherited: str) -> Markup:
    out: list[Markup] = []
    for node in nodes:
        if isinstance(node, Str):
            out.append(_long_words(node.text) if ctx.flavour == "print" else _escape(node.text))
        elif isinstance(node, LineBreak):
            out.append(Markup("<br>\n"))
        elif isinstance(node, Code):
            out.append(Markup("<code>") + _escape(node.text) + Markup("</code>"))
        elif isinstance(node, Emph):
            out.append(Markup("<em>") + _inlines(node.children, ctx, inherited)
                       + Markup("</em>"))
        elif isinstance(node, Strong):
            out.append(Markup("<strong>") + _inlines(node.children, ctx, inherited)
                       + Markup("</strong>"))
        elif isinstance(node, Link):
            title = Markup(' title="{}"').format(_escape(node.title)) if node.title \
                else Markup("")
            bare = Markup(' class="bare-url"') if node.bare and ctx.flavour == "print" \
                else Markup("")
            out.append(Markup('<a href="{}"{}{}>').format(_escape(node.href), title, bare)
                       + _inlines(node.children, ctx, inherited) + Markup("</a>"))
        elif isinstance(node, Image):
            out.append(_image(node))
        elif isinstance(node, NoteRef):
            # pandoc's HTML reader would turn a doc-noteref into a note of its own
            # (one per citation, after the colophon): the EPUB gets plain links,
            # marked as citations after pandoc (render/epub.py).
            template = ('<sup><a href="#{}" id="{}">{}</a></sup>' if ctx.flavour == "pandoc"
                        else '<sup class="footnote-ref"><a href="#{}" id="{}" '
                             'role="doc-noteref">{}</a></sup>')
            out.append(Markup(template).format(node.note_id, node.id, node.number))
        elif isinstance(node, Span):
            out.append(Markup("<span{}>").format(lang_attr(node.lang, inherited))
                       + _inlines(node.children, ctx, node.lang) + Markup("</span>"))
    return Markup("").join(out)


def _image(node: Image) -> Markup:
    alt = "" if node.decorative else node.alt
    return Markup('<img src="{}" alt="{}"{}>').format(
        _data_uri(node.path), _escape(alt), Markup(' role="presentation"') if not alt
        else Markup(""))


def _blocks(blocks: Sequence[Block], ctx: _Ctx, inherited: str, *,
            tight: bool = False) -> Iterator[Markup]:
    for block in blocks:
        if isinstance(block, Heading):
            classes = Markup(' class="{}"').format(" ".join(block.classes)) \
                if block.classes else Markup("")
            bookmark = Markup(' data-bookmark="{}"').format(block.plain) \
                if ctx.flavour == "print" and any(isinstance(n, NoteRef) for n in block.content) \
                else Markup("")
            yield Markup('<h{0} id="{1}"{2}{3}{4}>{5}</h{0}>\n').format(
                block.level, block.id, classes, lang_attr(block.lang, inherited), bookmark,
                _inlines(block.content, ctx, block.lang))
        elif isinstance(block, Para):
            yield _paragraph(ctx, block, inherited, hidden=tight)
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


def _paragraph(ctx: _Ctx, para: Para, inherited: str, *, hidden: bool,
               after: Markup = Markup("")) -> Markup:  # noqa: B008 (immutable)
    body = _inlines(para.content, ctx, para.lang) + after
    mark = lang_attr(para.lang, inherited)
    if hidden:
        if mark:
            return Markup("<span{}>{}</span>\n").format(mark, body)
        return Markup("{}\n").format(body)
    if mark and ctx.flavour == "pandoc":
        return Markup("<div{}><p>{}</p></div>\n").format(mark, body)
    return Markup("<p{}>{}</p>\n").format(mark, body)


def _figure(ctx: _Ctx, block: Figure, inherited: str) -> Markup:
    image = block.image
    src = _data_uri(image.path)
    ident = Markup(' id="{}"').format(block.id) if block.id else Markup("")
    if image.decorative:
        return Markup('<p class="figure decorative"{}><img src="{}" alt=""'
                      ' role="presentation"></p>\n').format(ident, src)
    mark = lang_attr(block.lang, inherited)
    if mark and ctx.flavour == "pandoc":
        return Markup('<div{}><p class="figure"{}><img src="{}" alt="{}"></p></div>\n').format(
            mark, ident, src, image.alt)
    return Markup('<p class="figure"{}><img src="{}" alt="{}"{}></p>\n').format(
        ident, src, image.alt, mark)


def _list(ctx: _Ctx, block: ListBlock, inherited: str) -> Markup:
    tag = "ol" if block.ordered else "ul"
    start = Markup(' start="{}"').format(block.start) if block.ordered and block.start != 1 \
        else Markup("")
    if start and ctx.flavour == "print":
        # WeasyPrint reads start only as a presentational hint, which statementpub
        # leaves off; the counter says the same (CSS Lists 3, UA stylesheet).
        start += Markup(' style="counter-reset: list-item {}"').format(block.start - 1)
    items = []
    for item in block.items:
        lang = item.lang if ctx.flavour != "pandoc" and item.blocks \
            and isinstance(item.blocks[0], Para) else inherited
        inner = Markup("").join(_blocks(item.blocks, ctx, lang, tight=block.tight))
        items.append(Markup("<li{}>{}</li>\n").format(lang_attr(lang, inherited), inner))
    return Markup("<{0}{1}>\n{2}</{0}>\n").format(tag, start, Markup("").join(items))


def _table(ctx: _Ctx, block: Table, inherited: str) -> Markup:
    def cell(node: Cell) -> Markup:
        tag = "th" if node.header else "td"
        style = Markup(' style="text-align: {}"').format(node.align) if node.align \
            else Markup("")
        scope_attr = Markup(' scope="col"') if node.header else Markup("")
        return Markup("<{0}{1}{2}{3}>{4}</{0}>").format(
            tag, scope_attr, style, lang_attr(node.lang, inherited),
            _inlines(node.content, ctx, node.lang))

    def rows(source: Sequence[Sequence[Cell]]) -> Markup:
        return Markup("").join(Markup("<tr>{}</tr>\n").format(Markup("").join(
            cell(c) for c in row)) for row in source)

    # A table too wide for a narrow screen scrolls inside a focusable region
    # (WCAG 2.2 SC 1.4.10 and 2.1.1), named by its column headers.
    if ctx.flavour == "html":
        opening = Markup('<div class="table-wrap" role="region" tabindex="0" '
                         'aria-label="{}">').format(block.caption)
    else:
        opening = Markup('<div class="table-wrap">')
    return Markup("{}<table>\n<thead>\n{}</thead>\n<tbody>\n{}</tbody>\n</table></div>\n").format(
        opening, rows(block.head), rows(block.body))


def _back_links(note: Note, inherited: str, ctx: _Ctx) -> Markup:
    """A way back to each citation of ``note``; the second and later are named
    with their ordinal ("Back to reference 1 (2)")."""
    role = Markup("") if ctx.flavour == "pandoc" else Markup(' role="doc-backlink"')
    links = []
    for index, back in enumerate(note.backrefs):
        label = back.label.value if index == 0 else f"{back.label.value} ({index + 1})"
        mark = lang_attr(back.label.lang, inherited)
        if mark and ctx.flavour == "pandoc":  # pandoc keeps lang on spans only
            links.append(Markup('<span{}><a href="#{}" class="footnote-back" aria-label="{}">'
                                '↩</a></span>').format(mark, back.ref_id, label))
        else:
            links.append(Markup('<a href="#{}" class="footnote-back"{} aria-label="{}"{}>↩</a>')
                         .format(back.ref_id, role, label, mark))
    return Markup(" ") + Markup(" ").join(links)


def _notes(edition: Edition, ctx: _Ctx, inherited: str) -> Markup:
    if not edition.notes:
        return Markup("")
    label = edition.labels.notes
    items = []
    for note in edition.notes:
        blocks = list(note.blocks)
        last = blocks[-1] if blocks else None
        if isinstance(last, Para):
            # The ways back end the note's last paragraph, in the note's language.
            head = Markup("").join(_blocks(blocks[:-1], ctx, inherited))
            tail = _paragraph(ctx, last, inherited, hidden=False,
                              after=_back_links(note, last.lang, ctx))
            inner = head + tail
        else:
            inner = Markup("").join(_blocks(blocks, ctx, inherited)) + _back_links(
                note, inherited, ctx)
        items.append(Markup('<li id="{}"{}>{}</li>\n').format(
            note.id, Markup("") if ctx.flavour == "pandoc" else Markup(' class="footnote-item"'),
            inner))
    if ctx.flavour == "pandoc":
        # A plain section: pandoc gives the heading's id to the section it opens
        # (marked as the endnotes after pandoc, render/epub.py).
        return Markup('<h2 id="notes"{}>{}</h2>\n<ol>\n{}</ol>\n').format(
            lang_attr(label.lang, inherited), label.value, Markup("").join(items))
    return Markup('<section class="footnotes" role="doc-endnotes" aria-labelledby="notes-heading">'
                  '\n<h2 id="notes-heading"{}>{}</h2>\n<ol class="footnotes-list">\n{}</ol>\n'
                  '</section>\n').format(
        lang_attr(label.lang, inherited), label.value, Markup("").join(items))


#: Headline lengths (characters) above which the title is set smaller: the class
#: of the ``h1`` chooses among the stylesheets' sizes (``styles/base.css``, which
#: also scales each with the window's width, and ``styles/print.css``).
HEADLINE_LENGTHS: tuple[tuple[int, str], ...] = ((160, "headline-longer"), (90, "headline-long"))


def headline_class(title: str) -> str:
    """The ``class`` of a title of this length: ``""`` up to 90 characters,
    ``headline-long`` up to 160, ``headline-longer`` beyond."""
    length = len(title)
    return next((name for limit, name in HEADLINE_LENGTHS if length > limit), "")


def render_edition_html(
    edition: Edition,
    *,
    alternates: Sequence[Alternate] = (),
    flavour: Flavour = "html",
    extra_css: str = "",
    fonts: FontSet | None = None,
) -> str:
    """Render ``edition`` to a complete HTML5 document (a ``str``).

    ``flavour`` ``"html"`` is the published edition (CSS and images inlined;
    of the shipped fonts, only those the edition can use); ``"print"`` is
    WeasyPrint's input (paged-media stylesheet); ``"pandoc"`` is pandoc's input
    for the EPUB. ``fonts``: the shipped fonts and the user's (default: shipped).
    """
    fonts = fonts if fonts is not None else font_set()
    ctx = _Ctx(flavour)
    lab = edition.labels
    lang = edition.lang
    body = Markup("").join(_blocks(edition.body, ctx, lang))
    footnotes = _notes(edition, ctx, lang)
    if flavour == "html":
        css = _inline_fonts(edition_fonts_css(edition, fonts, stylesheet("fonts.css", "base.css"),
                                              {f.path: _font_data_uri(f.path)
                                               for f in fonts.user}))
    elif flavour == "print":
        # all shipped fonts (the PDF embeds only the glyphs it uses); a user's
        # font by its file: URI (render/pdf.py lets WeasyPrint read its folder)
        css = stylesheet("fonts.css", "base.css", "print.css")
        extra_css = fonts.user_css() + extra_css
    else:
        css = ""
    def shown(value: str) -> str | Markup:
        # print: long words break, in time linear in their length (_long_words)
        return _long_words(value) if flavour == "print" else value

    signatories = []
    for sig in edition.signatories:
        name = sig.name
        signatories.append({
            "name": shown(name.value),
            "lang": name_attrs(name.lang, lang),
            "url": sig.url,
            "note": _inlines(sig.note.content, ctx, sig.note.lang) if sig.note else None,
            "note_lang": lang_attr(sig.note.lang, lang) if sig.note else Markup(""),
            "country": sig.country.value if sig.country else None,
            "country_lang": lang_attr(sig.country.lang, lang) if sig.country else Markup(""),
        })
    publisher = None
    if edition.publisher is not None:
        pub = edition.publisher
        logo = None
        if pub.logo is not None:
            logo = {"src": _data_uri(pub.logo.path), "alt": pub.logo.alt.value,
                    "lang": lang_attr(pub.logo.alt.lang, lang)}
        publisher = {"name": shown(pub.name.value), "lang": lang_attr(pub.name.lang, lang),
                     "url": pub.url, "logo": logo}
    contact = None
    if edition.contact is not None:
        c = edition.contact
        contact = {"name": shown(c.name.value) if c.name else None,
                   "name_lang": lang_attr(c.name.lang, lang) if c.name else Markup(""),
                   "email": c.email, "phone": shown(c.phone) if c.phone else None}

    def para(value: Para) -> dict[str, Any]:
        return {"value": _inlines(value.content, ctx, value.lang),
                "lang": lang_attr(value.lang, lang)}

    def label(value: Text) -> dict[str, Any]:
        return {"value": value.value, "lang": lang_attr(value.lang, lang)}

    statement = edition.statement
    links_lang = lang if flavour == "pandoc" else lab.links.lang
    context = {
        "flavour": flavour,
        "lang": lang,
        "dir": edition.dir,
        # extra_css holds interface strings in CSS strings: "<" as a CSS escape
        # keeps "</style>" in one from closing the style element.
        "css": Markup(css + extra_css.replace("<", "\\3c ")),
        "title": label(edition.title),
        "title_text": edition.title.value,
        "title_shown": shown(edition.title.value),
        "title_class": headline_class(edition.title.value),
        "subtitle": para(edition.subtitle) if edition.subtitle else None,
        "summary": [para(p) for p in edition.summary],
        # the list carries the language of its label (its aria-label, not in the EPUB);
        # each link's text is marked against the list's language
        "links": [{"label": {"value": shown(link.label.value),
                             "lang": lang_attr(link.label.lang, links_lang)},
                   "url": link.url} for link in edition.links],
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
        "contact": contact,
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
        "description": edition.description.value,
    }
    template = "edition.pandoc.html.j2" if flavour == "pandoc" else "edition.html.j2"
    return harden_html(_environment().get_template(template).render(context))


# ----------------------------------------------------------------------------
# Hardening: text that only looks like an event handler

#: A style sheet or script, up to the first end tag of its element: the loop
#: unrolled (``[^<]*`` then each ``<`` that opens no end tag), which matches what
#: ``<(style|script)\b[^>]*>.*?</\1\s*>`` matches, in one pass instead of one try
#: of the end tag per character (a style sheet with inlined fonts is 140 KB).
_RAW_TEXT = re.compile(r"<(style|script)\b[^>]*>[^<]*(?:<(?!/\1\s*>)[^<]*)*</\1\s*>", re.I)
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
        markup = tag.group(0)
        # a tag without "on...=" anywhere has none in an attribute value either
        out.append(_ATTRIBUTE.sub(_harden_attribute, markup) if _HANDLER_LIKE.search(markup)
                   else markup)
        position = tag.end()
    out.append(_defuse(part[position:]))
    return "".join(out)
