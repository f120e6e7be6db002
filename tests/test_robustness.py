"""Robustness and security (issue 6): escaping everywhere, no access beyond the
statement's folder, limits, and property-based tests of the loader and the HTML.

* Escaping: every front-matter field full of markup builds in all three formats,
  shows the markup as text, and no output holds a script or an event handler.
* No access beyond the folder: WeasyPrint's requests are recorded and all are
  ``data:`` URIs or files under ``styles/`` or the statement's folder; nothing
  opens a network connection while all three formats are built; pandoc runs
  with ``--sandbox``; a catalog's msgstr cannot add a URL, raw HTML or an image.
* Limits: a statement of 5,000 signatories and 200 paragraphs builds; a source
  over 5 MiB, Markdown nested deeper than the renderers can take and a YAML
  alias bomb are refused with an error naming the place.
* Hypothesis: whatever the front matter and the body, the loader returns a
  ``Statement`` or raises ``StatementError``; whatever the text of a plain
  field, the HTML has the same elements and attributes as with plain words.
"""

from __future__ import annotations

import io
import re
import shutil
import socket
import subprocess
import time
import zipfile
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import polib
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statementpub import (
    Statement,
    build,
    load_statement,
    make_edition,
    render_epub,
    render_html,
    render_pdf,
)
from statementpub.catalogs import CatalogIndex, judge
from statementpub.cli import main
from statementpub.errors import EpubRenderError, StatementError
from statementpub.frontmatter import MAX_DEPTH, MAX_NODES
from statementpub.loader import MAX_SOURCE_BYTES
from statementpub.markdown import MAX_INLINE_NESTING, MAX_NESTING
from statementpub.pdfinspect import structure_tree
from statementpub.render.html import render_edition_html
from statementpub.render.pdf import html_to_pdf, make_fetcher, page_label_css
from statementpub.resources import styles_dir
from statementpub.text import fold

PIXEL = Path(__file__).parent / "fixtures" / "validate" / "pixel.png"

#: Markup a stranger might type into a sign-on form.
HOSTILE = ('<script>alert(1)</script> <img src=x onerror=alert(1)> &amp; "double" \'single\' '
           '"><svg onload=alert(2)> <a href="javascript:alert(3)">x</a>')


def md_escape(text: str) -> str:
    """``text`` as inline Markdown that shows exactly ``text`` (every ASCII punctuation
    character backslash-escaped)."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


# --------------------------------------------------------------------------
# Helpers: what an HTML or XHTML document holds


class _Collector(HTMLParser):
    """Elements, attributes and text content of a document (html.parser)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, tuple[tuple[str, str | None], ...]]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, tuple(attrs)))
        if tag in ("style", "script"):
            self._skip += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, tuple(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def collect(markup: str) -> _Collector:
    parser = _Collector()
    parser.feed(markup)
    parser.close()
    return parser


def text_content(markup: str) -> str:
    return fold(" ".join(collect(markup).text))


_SCRIPT = re.compile(r"(?i)<\s*script")
_HANDLER = re.compile(r"(?i)[\s\"'/]on[a-z]+\s*=")


def assert_no_active_content(markup: str, where: str) -> None:
    """No script element, no event-handler attribute, no script URL: neither for a
    parser nor for a search of the file's text."""
    assert not _SCRIPT.search(markup), where
    assert not _HANDLER.search(markup), (where, _HANDLER.search(markup))
    for tag, attrs in collect(markup).elements:
        assert tag not in ("script", "iframe", "object", "embed", "svg"), (where, tag)
        for name, value in attrs:
            assert not name.startswith("on"), (where, tag, name)
            if name in ("href", "src") and value:
                assert not re.match(r"(?i)\s*(javascript|vbscript|file):", value), (where, value)


def epub_documents(epub: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(epub)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()
                if name.endswith((".xhtml", ".opf", ".ncx"))}


def pdf_text(pdf: bytes) -> str:
    """The text of every element of the PDF's structure tree, and the annotations'."""
    parts: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        if node.get("text"):
            parts.append(node["text"])
        for annotation in node.get("annotations", ()):
            parts.append(annotation.get("contents", ""))
        for child in node.get("children", ()):
            walk(child)

    tree = structure_tree(pdf)
    for node in tree["structure"]:
        walk(node)
    return fold(" ".join(parts))


def assert_pdf_inert(pdf: bytes) -> None:
    """No script, JavaScript action or launch in the PDF; links only to allowed schemes."""
    import pikepdf

    assert b"<script" not in pdf.lower()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert "/OpenAction" not in document.Root and "/AA" not in document.Root
        names = document.Root.get("/Names")
        assert names is None or "/JavaScript" not in names
        for obj in document.objects:
            if not isinstance(obj, pikepdf.Dictionary):
                continue
            kind = obj.get("/S")
            assert kind not in (pikepdf.Name.JavaScript, pikepdf.Name.Launch,
                                pikepdf.Name.SubmitForm, pikepdf.Name.ImportData), obj
            assert "/JS" not in obj
            if kind == pikepdf.Name.URI:
                assert re.match(r"(?i)(https?:|mailto:)", str(obj.URI)), obj.URI


# --------------------------------------------------------------------------
# 1. Escaping everywhere


@pytest.fixture(scope="module")
def hostile_statement(tmp_path_factory: pytest.TempPathFactory) -> Statement:
    """Every field that takes text holds :data:`HOSTILE`; inline-Markdown fields
    (subtitle, summary, notes, the body) hold it escaped, so they show it as text."""
    folder = tmp_path_factory.mktemp("hostile")
    shutil.copyfile(PIXEL, folder / "logo.png")
    shutil.copyfile(PIXEL, folder / "map.png")
    escaped = md_escape(HOSTILE)
    body = (f"{escaped}\n\n## {escaped}\n\n- {escaped}\n\n> {escaped}\n\n"
            f"| {escaped.replace('|', '&#124;')} |\n|---|\n| cell |\n\n"
            f"![{escaped}](map.png)\n\n[{escaped}](https://example.org/body)\n")
    return Statement.from_mapping({
        "title": HOSTILE,
        "date": "2018-09-20",
        "subtitle": escaped,
        "summary": escaped,
        "publisher": {"name": HOSTILE, "url": "https://example.org/",
                      "logo": {"src": "logo.png", "alt": HOSTILE}},
        "links": [{"label": HOSTILE, "url": "https://example.org/letter"}],
        "signatories": [HOSTILE, {"name": HOSTILE + " 2", "url": "https://example.org/sig",
                                  "note": escaped}],
        "contact": {"name": HOSTILE, "email": "press@example.org", "phone": HOSTILE},
        "keywords": [HOSTILE],
        "license": "CC-BY-4.0",
    }, body, base_dir=folder)


def test_markup_in_every_field_is_text_in_html(hostile_statement: Statement) -> None:
    html = render_html(hostile_statement)
    assert_no_active_content(html, "html")
    text = text_content(html)
    # title, subtitle, summary, publisher, logo alt is an attribute, link label, two
    # signatories, a note, contact name and phone, and seven places in the body
    # (the image's alternative text is an attribute)
    assert text.count(fold(HOSTILE)) >= 17, text
    parsed = collect(html)
    h1 = [tag for tag, _ in parsed.elements if tag == "h1"]
    assert len(h1) == 1
    alts = [dict(attrs).get("alt") for tag, attrs in parsed.elements if tag == "img"]
    assert alts.count(fold(HOSTILE)) == 2  # the logo and the figure
    sources = [dict(attrs).get("src") or "" for tag, attrs in parsed.elements if tag == "img"]
    assert all(src.startswith("data:image/png;base64,") for src in sources), sources


def test_markup_in_every_field_is_text_in_epub(hostile_statement: Statement) -> None:
    documents = epub_documents(render_epub(hostile_statement))
    assert documents
    for name, markup in documents.items():
        assert_no_active_content(markup, name)
    chapter = next(markup for name, markup in documents.items() if name.endswith("ch001.xhtml"))
    assert text_content(chapter).count(fold(HOSTILE)) >= 15
    opf = next(markup for name, markup in documents.items() if name.endswith(".opf"))
    assert fold(HOSTILE) in text_content(opf)  # the title, as text of dc:title


def test_markup_in_every_field_is_text_in_pdf(hostile_statement: Statement) -> None:
    pdf = render_pdf(hostile_statement)
    assert_pdf_inert(pdf)
    tree = structure_tree(pdf)
    assert tree["title"] == HOSTILE
    assert pdf_text(pdf).count(fold(HOSTILE)) >= 15


# --------------------------------------------------------------------------
# 2. No access beyond the statement's folder, no network


@pytest.fixture
def statement_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "river"
    folder.mkdir()
    shutil.copyfile(PIXEL, folder / "map.png")
    shutil.copyfile(PIXEL, folder / "logo.png")
    (folder / "statement.md").write_text(
        "---\ntitle: A river for everyone\ndate: 2018-09-20\n"
        "publisher:\n  name: Aliso Riverkeepers\n  url: https://example.org/\n"
        "  logo:\n    src: logo.png\n    alt: Aliso Riverkeepers\n"
        "signatories:\n  - name: Friends of the River\n    url: https://example.org/friends\n"
        "---\n\nThe river belongs to everyone.\n\n![The river at dawn](map.png)\n\n"
        "Read [the full letter](https://example.org/letter).\n", encoding="utf-8")
    return folder


class NetworkAttempt(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every attempt to open a network connection (or resolve a name) is recorded and fails."""
    attempts: list[str] = []

    def refuse(what: str) -> Any:
        def refused(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{what}{args[1:] if what.startswith('socket.') else args}")
            raise NetworkAttempt(f"network access: {what}")
        return refused

    def network_only(name: str) -> Any:
        # a Unix socket is this machine's IPC (a fork server's listener), not the network
        original, refused = getattr(socket.socket, name), refuse(f"socket.{name}")

        def connect(self: socket.socket, *args: Any) -> Any:
            if self.family == socket.AF_UNIX:
                return original(self, *args)
            return refused(self, *args)
        return connect

    monkeypatch.setattr(socket.socket, "connect", network_only("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", network_only("connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    return attempts


def test_the_no_network_fixture_refuses_the_network_and_lets_unix_sockets_be(
        no_network: list[str], tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as client, \
            pytest.raises(NetworkAttempt):
        client.connect(("127.0.0.1", 9))
    assert no_network == ["socket.connect(('127.0.0.1', 9),)"]
    with socket.socket(socket.AF_UNIX) as client, pytest.raises(FileNotFoundError):
        client.connect(str(tmp_path / "no-such-listener"))
    assert len(no_network) == 1


def test_pdf_requests_only_data_styles_and_the_statement_folder(statement_folder: Path) -> None:
    statement = load_statement(statement_folder / "statement.md")
    edition = make_edition(statement, "en")
    html = render_edition_html(edition, flavour="print",
                               extra_css=page_label_css(edition.labels.page_template.value))
    record: list[str] = []
    pdf = html_to_pdf(html, resource_roots=[statement_folder], record=record)
    assert pdf.startswith(b"%PDF")
    assert record, "the fetcher saw no request: the test would prove nothing"
    allowed = (styles_dir().resolve(), statement_folder.resolve())
    for url in record:
        if url.startswith("data:"):
            continue
        assert url.startswith("file:"), url
        from urllib.parse import unquote, urlsplit

        path = Path(unquote(urlsplit(url).path)).resolve()
        assert any(path.is_relative_to(root) for root in allowed), url


def test_the_fetcher_refuses_everything_else(tmp_path: Path, no_network: list[str]) -> None:
    folder = tmp_path / "river"
    folder.mkdir()
    shutil.copyfile(PIXEL, folder / "map.png")
    secret = tmp_path / "secret.png"
    shutil.copyfile(PIXEL, secret)
    (folder / "escape.png").symlink_to(secret)
    record: list[str] = []
    fetcher = make_fetcher([folder], record)
    fetcher.fetch((folder / "map.png").as_uri())  # inside: served
    for url in (secret.as_uri(), (folder / "escape.png").as_uri(),
                (folder / ".." / "secret.png").as_uri(), "file:///etc/passwd",
                "https://example.org/river.png", "http://127.0.0.1:9/x.css",
                "ftp://example.org/x.png", "//example.org/x.png"):
        with pytest.raises(ValueError, match="does not fetch"):
            fetcher.fetch(url)
    assert len(record) == 9
    assert no_network == []


def test_html_naming_outside_resources_gets_none_of_them(tmp_path: Path,
                                                         no_network: list[str]) -> None:
    """Even HTML that asks for outside files and remote resources (the editions never
    do) gets nothing from WeasyPrint's fetcher: every request is refused."""
    folder = tmp_path / "river"
    folder.mkdir()
    secret = tmp_path / "secret.png"
    shutil.copyfile(PIXEL, secret)
    html = (f'<html lang="en"><head><title>x</title>'
            f'<link rel="stylesheet" href="https://example.org/evil.css">'
            f'<style>@import url("http://example.org/more.css");</style></head>'
            f'<body><p>x</p><img src="{secret.as_uri()}" alt="a">'
            f'<img src="https://example.org/remote.png" alt="b">'
            f'<img src="../secret.png" alt="c"></body></html>')
    record: list[str] = []
    import logging

    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # each refused request is logged as an error
    try:
        pdf = html_to_pdf(html, resource_roots=[folder], record=record)
    finally:
        logger.setLevel(level)
    assert pdf.startswith(b"%PDF")
    asked = [url for url in record if not url.startswith("data:")
             and not url.startswith(styles_dir().resolve().as_uri())]
    assert secret.as_uri() in asked and "https://example.org/remote.png" in asked
    assert no_network == []


def test_builds_open_no_network_connection(statement_folder: Path, tmp_path: Path,
                                           no_network: list[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    pandoc_commands: list[list[str]] = []
    real_run = subprocess.run

    def recording_run(command: Any, *args: Any, **kwargs: Any) -> Any:
        pandoc_commands.append([str(part) for part in command])
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", recording_run)
    statement = load_statement(statement_folder / "statement.md")
    assert render_html(statement)
    assert render_pdf(statement).startswith(b"%PDF")
    epub = render_epub(statement)
    pandoc = [c for c in pandoc_commands if "pandoc" in Path(c[0]).name]
    assert pandoc and all("--sandbox" in command for command in pandoc), pandoc
    out = tmp_path / "out"
    report = build(statement_folder / "statement.md", out_dir=out, jobs=1)
    assert len(report.files) == 3
    assert no_network == []
    # the EPUBs hold what the statement holds, nothing fetched from elsewhere
    for data in (epub, (out / "river.en.epub").read_bytes()):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            media = [n for n in archive.namelist() if n.startswith("EPUB/media/")]
            assert media  # the logo and the map (one file: pandoc keeps one copy)
            for name in media:
                assert archive.read(name) == PIXEL.read_bytes()
        for name, markup in epub_documents(data).items():
            for tag, attrs in collect(markup).elements:
                for attr, value in attrs:
                    if attr in ("src", "xlink:href") or (attr == "href" and tag == "link"):
                        assert value and not re.match(r"(?i)[a-z][a-z0-9+.-]*:|/", value), \
                            (name, tag, value)


def test_pandoc_gets_no_outside_file(tmp_path: Path) -> None:
    """HTML naming an outside file, given to both EPUB paths, never yields an EPUB
    holding it: pandoc --sandbox (one edition) and the batch's check (several)."""
    from statementpub.errors import EpubRenderError
    from statementpub.render.epub import EpubBatch, html_to_epub

    secret = tmp_path / "secret.png"
    secret.write_bytes(PIXEL.read_bytes() + b"SECRET-0f9c")
    statement = Statement.from_mapping({"title": "A river", "date": "2018-09-20"}, "Water.")
    edition = make_edition(statement, "en")
    html = (f'<!DOCTYPE html><html lang="en"><head><title>A river</title></head><body>'
            f'<h1 id="statement">A river</h1><p><img src="{secret}" alt="x"></p>'
            f'<p><img src="{secret.as_uri()}" alt="y"></p></body></html>')
    epub = html_to_epub(html, edition, has_images=True)  # --sandbox: the images are left out
    with zipfile.ZipFile(io.BytesIO(epub)) as archive:
        assert not [n for n in archive.namelist() if n.startswith("EPUB/media/")]
        assert not any(b"SECRET-0f9c" in archive.read(n) for n in archive.namelist())
    batch = EpubBatch([(html, edition, True)])
    (result,) = batch.results()
    assert isinstance(result, EpubRenderError)


CATALOG_SOURCE = """\
---
title: A river for everyone
date: 2018-09-20
signatories:
  - name: Aliso Riverkeepers
    note: member since *1990*
---

## What we ask

Read [the full letter](https://example.org/letter).

Water for all.

Write to us.

Rivers do not stop at borders.

The basin councils must publish every permit.

Meet us at the old bridge.
"""

CATALOG = r"""msgid ""
msgstr ""
"Language: es\n"
"Content-Type: text/plain; charset=UTF-8\n"

msgid "A river for everyone"
msgstr "<script>alert(1)</script> Un río para todos"

msgid "What we ask"
msgstr "Lo que pedimos ![un mapa](map.png)"

msgid "Read [the full letter](https://example.org/letter)."
msgstr "Lea [la carta](https://example.org/letter) y [esto](https://evil.example/)."

msgid "Water for all."
msgstr "Agua <img src=x onerror=alert(1)> para todos."

msgid "Write to us."
msgstr "Escríbanos a <https://evil.example/contact>."

msgid "Rivers do not stop at borders."
msgstr "Los ríos [no se detienen](https://example.org/letter) en las fronteras."

msgid "The basin councils must publish every permit."
msgstr "Los consejos de cuenca deben publicar __________________________________________________________________________cada__________________________________________________________________________ permiso."

msgid "Meet us at the old bridge."
msgstr "Nos vemos en el puente viejo."

msgid "member since *1990*"
msgstr "miembro desde [1990](JavaScript:alert(1))"
"""


def test_catalog_msgstrs_cannot_add_urls_html_or_images(tmp_path: Path) -> None:
    folder = tmp_path / "river"
    folder.mkdir()
    shutil.copyfile(PIXEL, folder / "map.png")
    (folder / "statement.md").write_text(CATALOG_SOURCE, encoding="utf-8")
    (folder / "statement.es.po").write_text(CATALOG, encoding="utf-8")
    statement = load_statement(folder / "statement.md")
    edition = make_edition(statement, "es")
    reasons = {fb.msgid: fb.reason for fb in edition.fallbacks}
    assert reasons == {
        "What we ask": "adds image map.png",
        "Read [the full letter](https://example.org/letter).":
            "adds link target https://evil.example/",
        "Water for all.": "contains raw HTML '<img src=x onerror=alert(1)>'",
        "Write to us.": "adds link target https://evil.example/contact",
        "Rivers do not stop at borders.": "adds link target https://example.org/letter",
        "The basin councils must publish every permit.":
            f"emphasis and links nested more than {MAX_INLINE_NESTING} levels deep",
        "member since *1990*": "link target 'JavaScript:alert(1)' is not allowed",
    }
    # a plain-text unit is shown as text: its translation is used, markup and all
    assert edition.title.value.startswith("<script>")
    html = render_html(edition)
    assert_no_active_content(html, "html")
    assert "evil.example" not in html and "javascript" not in html.lower()
    assert "<script>alert(1)</script> Un río para todos" in text_content(html)
    assert "Nos vemos en el puente viejo." in text_content(html)
    for name, markup in epub_documents(render_epub(edition)).items():
        assert_no_active_content(markup, name)
        assert "evil.example" not in markup


@pytest.mark.parametrize("msgstr, reason", [
    ("Agua\x07 para todos.", "contains the control character U+0007"),
    ("Agua\x00", "contains the control character U+0000"),
    ("Agua \ufffe", "contains the character U+FFFE"),
    ("Agua [para](data:text/html,x) todos", "link target 'data:text/html,x' is not allowed"),
    ("Agua [para](java&#115;cript:alert(1)) todos",
     "link target 'javascript:alert(1)' is not allowed"),
    ("Agua [para](<java\tscript:alert(1)>) todos",  # the tab is percent-encoded
     "link target 'java%09script:alert(1)' is not allowed"),
    ("Agua ![x](https://example.org/x.png) todos", "adds image https://example.org/x.png"),
    ("Agua <b>para</b> todos", "contains raw HTML '<b>'"),
])
def test_judge_refuses(msgstr: str, reason: str) -> None:
    catalog = polib.POFile()
    catalog.append(polib.POEntry(msgid="Water for all.", msgstr=msgstr))
    assert judge("Water for all.", True, CatalogIndex.of(catalog)) == (None, reason)


def test_judge_refuses_control_characters_in_plain_text_too() -> None:
    catalog = polib.POFile()
    catalog.append(polib.POEntry(msgid="A river", msgstr="Un\x0b río"))
    catalog.append(polib.POEntry(msgid="A lake", msgstr="Un <b>lago</b>"))
    index = CatalogIndex.of(catalog)
    assert judge("A river", False, index) == (None, "contains the control character U+000B")
    assert judge("A lake", False, index) == ("Un <b>lago</b>", None)


# --------------------------------------------------------------------------
# 3. Limits


def big_statement(folder: Path, signatories: int = 5000, paragraphs: int = 200) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["---", "title: A river for everyone", "date: 2018-09-20", "signatories:"]
    for number in range(signatories):
        if number % 10 == 0:
            lines += [f"  - name: Organisation number {number}", "    country: MX",
                      f"    note: member since *{1990 + number % 30}*"]
        else:
            lines.append(f"  - Signatory number {number}")
    lines += ["---", ""]
    for number in range(paragraphs):
        if number % 20 == 0:
            lines += [f"## Section {number // 20 + 1}", ""]
        lines += [(f"Paragraph {number}: the river belongs to everyone, and *everyone* belongs "
                   f"to the river; read [the letter](https://example.org/letter/{number})."), ""]
    source = folder / "statement.md"
    source.write_text("\n".join(lines), encoding="utf-8")
    return source


def test_5000_signatories_and_200_paragraphs_build_in_all_formats(
        tmp_path: Path, report_timing: Callable[[str], None]) -> None:
    source = big_statement(tmp_path / "big")
    out = tmp_path / "out"
    started = time.perf_counter()
    report = build(source, out_dir=out)
    elapsed = time.perf_counter() - started
    report_timing(f"5,000 signatories, 200 paragraphs: all three formats in {elapsed:.1f} s")
    assert sorted(p.name for p in report.files) == ["big.en.epub", "big.en.html", "big.en.pdf"]
    html = (out / "big.en.html").read_text(encoding="utf-8")
    assert html.count('<li><span class="signatory-name" dir="auto">') == 5000
    assert "Signatory number 4999" in html and "Paragraph 199:" in html
    chapter = "".join(markup for name, markup in
                      epub_documents((out / "big.en.epub").read_bytes()).items()
                      if "/text/" in name)
    assert "Signatory number 4999" in chapter and "Paragraph 199:" in chapter
    text = pdf_text((out / "big.en.pdf").read_bytes())
    assert "Signatory number 4999" in text and "Paragraph 199:" in text


def test_a_source_over_5_mib_is_refused_naming_the_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "huge"
    folder.mkdir()
    source = folder / "statement.md"
    head = "---\ntitle: A river for everyone\ndate: 2018-09-20\n---\n\n"
    source.write_text(head + "Water for all. " * (MAX_SOURCE_BYTES // 15), encoding="utf-8")
    assert source.stat().st_size > MAX_SOURCE_BYTES
    out = tmp_path / "out"
    status = main(["build", str(source), "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 1
    assert err.splitlines()[0] == (f"{source}:1: error: the file is {source.stat().st_size} "
                                   f"bytes; statements are limited to {MAX_SOURCE_BYTES} bytes "
                                   "(5 MiB)")
    assert not out.exists()


def _write_body(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "statement.md"
    source.write_text("---\ntitle: A river for everyone\ndate: 2018-09-20\n---\n\n"
                      "The river belongs to everyone.\n\n" + body + "\n\nThe last word.\n",
                      encoding="utf-8")
    return source


@pytest.mark.parametrize("name, body, line", [
    # markdown-it gives up at its maxNesting and silently drops the rest of the
    # document: these must be refused, never truncated
    ("blockquotes", "> " * 200 + "deep", 8),
    ("bullet lists", "".join("  " * depth + "- item\n" for depth in range(100)), 8 + MAX_NESTING),
    ("ordered lists", "".join("   " * depth + "1. item\n" for depth in range(40)),
     8 + MAX_NESTING),
    ("lists in blockquotes", "> - " * 40 + "deep", 8),
    ("one line of list markers", "- " * 500 + "deep", 8),
    ("emphasis", "*" * 400 + "deep" + "*" * 400, 8),
    ("a link in emphasis", "*a _b " * 17 + "[deep](https://example.org)" + " b_ a*" * 17, 8),
])
def test_markdown_nested_too_deep_is_refused_naming_the_line(
        tmp_path: Path, name: str, body: str, line: int) -> None:
    source = _write_body(tmp_path / "deep", body)
    with pytest.raises(StatementError) as info:
        load_statement(source)
    assert (info.value.path, info.value.line) == (str(source), line)
    assert "nested more than" in info.value.message


def test_the_deepest_markdown_accepted_renders_in_every_format(tmp_path: Path) -> None:
    """What the limits let through must render: MAX_NESTING levels of lists and block
    quotes with MAX_INLINE_NESTING levels of emphasis at the bottom."""
    half = MAX_NESTING // 2
    body = "".join("> " for _ in range(half)) + "".join("- " for _ in range(half)) \
        + "*" * (2 * MAX_INLINE_NESTING) + "deep" + "*" * (2 * MAX_INLINE_NESTING)
    statement = load_statement(_write_body(tmp_path / "deepest", body))
    assert "deep" in text_content(render_html(statement))
    assert "deep" in pdf_text(render_pdf(statement))
    assert any("deep" in markup for markup in epub_documents(render_epub(statement)).values())


def test_a_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    anchors = ["&a0 [" + ", ".join(["lol"] * 10) + "]"]
    for level in range(1, 12):
        anchors.append(f"&a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    front = "title: A river\ndate: 2018-09-20\nkeywords:\n" + "".join(
        f"  - {anchor}\n" for anchor in anchors)
    folder = tmp_path / "bomb"
    folder.mkdir()
    source = folder / "statement.md"
    source.write_text(f"---\n{front}---\n\nWater.\n", encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(StatementError) as info:
        load_statement(source)
    assert time.perf_counter() - started < 10
    assert f"more than {MAX_NODES} values" in info.value.message
    assert 4 <= info.value.line <= 16


def test_front_matter_nested_too_deep_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "nested"
    folder.mkdir()
    source = folder / "statement.md"
    source.write_text("---\ntitle: A river\ndate: 2018-09-20\nkeywords: "
                      + "[" * 5000 + "]" * 5000 + "\n---\n\nWater.\n", encoding="utf-8")
    with pytest.raises(StatementError) as info:
        load_statement(source)
    assert info.value.line == 4
    assert f"nested deeper than {MAX_DEPTH}" in info.value.message


def test_control_characters_are_refused_naming_the_line(tmp_path: Path) -> None:
    """Raw control characters, which no XHTML can hold: in the body the loader names
    the line; in the front matter YAML refuses them, and the loader names the line."""
    folder = tmp_path / "control"
    folder.mkdir()
    source = folder / "statement.md"
    source.write_bytes(b"---\ntitle: A river\ndate: 2018-09-20\n---\n\nWater\x00 for all.\n\n"
                       b"Rivers \x1b[31mred\x1b[0m.\n")
    with pytest.raises(StatementError) as info:
        load_statement(source)
    assert [str(d) for d in info.value.diagnostics] == [
        (f"{source}:6: error: the text holds the control character U+0000, which no edition "
         "can hold: remove it"),
        (f"{source}:8: error: the text holds the control character U+001B, which no edition "
         "can hold: remove it")]
    source.write_bytes(b"---\ntitle: A river\ndate: 2018-09-20\nsubtitle: a\x08b\n---\n\nW.\n")
    with pytest.raises(StatementError) as info:
        load_statement(source)
    assert str(info.value) == (f"{source}:4: error: the front matter holds the control "
                               "character U+0008, which no edition can hold: remove it")



def test_delete_and_the_c1_controls_are_refused_too(tmp_path: Path) -> None:
    """STATEMENT_FORMAT.md, "The file": U+007F to U+009F are errors anywhere, raw (YAML
    would read a raw U+0085 as a line break) or written as a YAML escape. (pandoc read
    them as Windows-1252: a name's U+0085 became an ellipsis in the EPUB only.)"""
    source = tmp_path / "statement.md"
    source.write_bytes("---\ntitle: A river\ndate: 2018-09-20\nsignatories:\n"
                       "  - \"A\u0085B\"\n---\n\nW.\n".encode())
    with pytest.raises(StatementError) as info:
        load_statement(source)
    assert str(info.value) == (f"{source}:5: error: the front matter holds the control "
                               "character U+0085, which no edition can hold: remove it")
    source.write_text('---\ntitle: A river\ndate: 2018-09-20\nsignatories:\n'
                      '  - "A\\x85B"\n  - "C\\x7fD"\n---\n\nNel\u009f.\n', encoding="utf-8")
    with pytest.raises(StatementError) as info:
        load_statement(source)
    assert [str(d) for d in info.value.diagnostics] == [
        (f"{source}:5: error: 'signatories[0].name' holds the control character U+0085, which "
        "no edition can hold: remove it"),
        (f"{source}:6: error: 'signatories[1].name' holds the control character U+007F, which "
        "no edition can hold: remove it"),
        (f"{source}:9: error: the text holds the control character U+009F, which no edition "
        "can hold: remove it")]


# --------------------------------------------------------------------------
# 4. Properties (Hypothesis)

PROPERTY = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: Text rich in what YAML, Markdown and HTML treat specially.
_SPECIAL = list("#*_[]()!<>`\\-+=|:^{}.~&;'\"/@%$?,\n\t ") + [
    "<script>", "</p>", "onerror=", "javascript:", "&amp;", "&#x3C;", "](", "[^1]", "---",
    "\r\n", "\u00a0", "\u2028", "\ufeff", "é", "ب", "\u202e", "🌊", "\x00", "\x07", "\x1b",
    "https://example.org", "mailto:a@b.org", "*a*", "`x`", "> ", "- ", "1. ", "## ", "|",
    "![a](b.png)", "[x](https://e.org)", "<https://e.org>", "{#id .c}", "&", "<", ">",
]
special_text = st.lists(st.one_of(st.sampled_from(_SPECIAL), st.text(max_size=6)),
                        max_size=12).map("".join)
#: The same without control characters: text that can be published.
_PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc"))
clean_text = st.lists(st.one_of(st.sampled_from([t for t in _SPECIAL if t.isprintable()
                                                 or t in ("\n", "\t", "\r\n")]),
                                st.text(_PRINTABLE, max_size=6)),
                      min_size=1, max_size=12).map("".join)

_KEYS = ["title", "date", "lang", "kind", "subtitle", "summary", "publisher", "links",
         "signatories", "contact", "keywords", "license", "slug", "translations", "name",
         "url", "logo", "src", "alt", "label", "note", "country", "email", "phone", "titel"]
_SCALARS = st.one_of(special_text, st.sampled_from([
    "2018-09-20", "2018-9-20", "en", "es-MX", "no", "NO", "Yes", "0123", "null", "~", "",
    "statement", "open-letter", "https://example.org/", "javascript:alert(1)", "map.png",
    "../x.png", "/etc/passwd", "CC-BY-4.0", "a@b.org", "river-commons", "1e3", "True"]))
def _containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    # A named function: Hypothesis reads its source to see that it recurses
    # (a multi-line lambda's source cannot be found, and that is deprecated).
    return st.one_of(st.lists(children, max_size=4),
                     st.dictionaries(st.sampled_from(_KEYS), children, max_size=4))


yaml_values = st.recursive(_SCALARS, _containers, max_leaves=12)
_URLS = st.one_of(st.sampled_from(["https://example.org/", "http://example.org/a?b=1&c=2",
                                   "mailto:a@b.org", "JavaScript:alert(1)", "data:text/html,x",
                                   "//example.org", "#top", "https://", "java\tscript:x"]),
                  special_text)
_LANGS = st.one_of(st.sampled_from(["en", "es", "es-MX", "ES", "no", "fr", "pt-BR", "xx"]),
                   special_text)
_TEXT = st.one_of(clean_text, clean_text, clean_text, _SCALARS, special_text)
_SIGNATORY = st.one_of(_TEXT, st.fixed_dictionaries(
    {"name": _TEXT},
    optional={"lang": _LANGS, "url": _URLS, "note": _TEXT,
              "country": st.one_of(st.sampled_from(["MX", "NO", "mx", "XX", "UK"]), _TEXT)}))
#: Front matter of the right shape (the keys and types of the format) with
#: arbitrary text in it, so that most examples get past the shape checks.
shaped_front_matters = st.fixed_dictionaries(
    {"title": _TEXT, "date": st.just("2018-09-20")},
    optional={
        "lang": _LANGS,
        "kind": st.sampled_from(["statement", "press-release", "joint-statement",
                                 "open-letter", "memo"]),
        "subtitle": _TEXT,
        "summary": _TEXT,
        "publisher": st.fixed_dictionaries(
            {"name": _TEXT},
            optional={"url": _URLS, "logo": st.fixed_dictionaries(
                {"src": st.sampled_from(["b.png", "map.png", "../b.png", "/etc/passwd",
                                         "https://example.org/b.png", "missing.png"]),
                 "alt": _TEXT})}),
        "links": st.lists(st.fixed_dictionaries({"label": _TEXT, "url": _URLS}), max_size=3),
        "signatories": st.lists(_SIGNATORY, max_size=5),
        "contact": st.fixed_dictionaries({}, optional={
            "name": _TEXT, "email": st.one_of(st.just("a@b.org"), _TEXT), "phone": _TEXT}),
        "keywords": st.lists(_TEXT, max_size=3),
        "license": st.sampled_from(["CC-BY-4.0", "MIT", "<b>", "CC BY"]),
        "slug": st.sampled_from(["river", "River", "a b", "river-2"]),
        "translations": st.dictionaries(_LANGS, st.sampled_from(
            ["statement.es.po", "../x.po", "/etc/passwd", "missing.po"]), max_size=2),
    })
front_matters = st.one_of(
    shaped_front_matters,
    st.dictionaries(st.sampled_from(_KEYS), yaml_values, max_size=8),
    yaml_values)
bodies = st.one_of(
    st.lists(st.one_of(st.sampled_from(_SPECIAL), st.text(max_size=8)), max_size=40),
    st.lists(st.one_of(st.sampled_from([t for t in _SPECIAL if t.isprintable()
                                        or t in ("\n", "\t", "\r\n")]),
                       st.text(_PRINTABLE, max_size=8)), min_size=1, max_size=40),
).map("".join)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("property") / "statement"
    folder.mkdir()
    shutil.copyfile(PIXEL, folder / "b.png")
    shutil.copyfile(PIXEL, folder / "map.png")
    yield folder


@PROPERTY
@given(front=front_matters, body=bodies)
def test_loader_returns_a_statement_or_raises_statement_error(
        scratch: Path, front: Any, body: str) -> None:
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body
    source = scratch / "statement.md"
    source.write_text(text, encoding="utf-8", errors="surrogatepass", newline="")
    try:
        statement = load_statement(source)
    except StatementError as exc:
        assert exc.diagnostics and all(d.path == str(source) for d in exc.diagnostics)
        assert all(d.line >= 1 for d in exc.diagnostics), exc.lines()
    else:
        assert isinstance(statement, Statement)


@PROPERTY
@given(data=st.binary(max_size=300) | bodies.map(lambda b: b.encode("utf-8", "surrogatepass")))
def test_loader_survives_arbitrary_bytes(scratch: Path, data: bytes) -> None:
    source = scratch / "statement.md"
    source.write_bytes(b"---\ntitle: A river\ndate: 2018-09-20\n---\n" + data)
    try:
        assert isinstance(load_statement(source), Statement)
    except StatementError as exc:
        assert exc.line >= 1


_GOOD_URLS = st.sampled_from(["https://example.org/", "http://example.org/a?b=1&c=2",
                              "mailto:a@b.org", "HTTPS://EXAMPLE.ORG/X"])
#: Front matter every key of which is well-formed, with arbitrary printable text
#: in its text fields (inline Markdown in subtitle, summary and notes).
good_front_matters = st.fixed_dictionaries(
    {"title": clean_text, "date": st.just("2018-09-20")},
    optional={
        "lang": st.sampled_from(["en", "es", "es-MX", "fr", "pt"]),
        "kind": st.sampled_from(["statement", "press-release", "joint-statement",
                                 "open-letter"]),
        "subtitle": clean_text,
        "summary": clean_text,
        "publisher": st.fixed_dictionaries(
            {"name": clean_text},
            optional={"url": _GOOD_URLS, "logo": st.fixed_dictionaries(
                {"src": st.just("b.png"), "alt": clean_text})}),
        "links": st.lists(st.fixed_dictionaries({"label": clean_text, "url": _GOOD_URLS}),
                          max_size=3),
        "signatories": st.lists(st.one_of(clean_text, st.fixed_dictionaries(
            {"name": clean_text},
            optional={"lang": st.sampled_from(["en", "es", "ar"]), "url": _GOOD_URLS,
                      "note": clean_text, "country": st.sampled_from(["MX", "NO", "ES"])})),
            max_size=5),
        "contact": st.fixed_dictionaries({}, optional={
            "name": clean_text, "email": st.just("press@example.org"), "phone": clean_text}),
        "keywords": st.lists(clean_text, max_size=3),
        "license": st.just("CC-BY-4.0"),
    })


@PROPERTY
@given(front=good_front_matters, body=bodies)
def test_what_loads_renders_without_active_content(
        scratch: Path, front: Any, body: str) -> None:
    """Well-formed front matter with arbitrary text, arbitrary Markdown: the loader
    returns a Statement or raises StatementError, and what loads renders as HTML
    (the renderer is never surprised) with no script and no event handler."""
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body
    source = scratch / "statement.md"
    source.write_text(text, encoding="utf-8", errors="surrogatepass", newline="")
    try:
        statement = load_statement(source)
    except StatementError as exc:
        assert all(d.line >= 1 for d in exc.diagnostics), exc.lines()
        return
    html = _markup(statement)
    assert_no_active_content(html, "html")


def _markup(statement: Statement) -> str:
    """The HTML edition's markup without the font-coverage check (arbitrary text holds
    characters of scripts no shipped font draws, which the build refuses at their
    line: tests/test_rtl_and_fonts.py); what is checked here is the markup."""
    from statementpub.render.html import render_edition_html

    return render_edition_html(make_edition(statement, statement.lang), flavour="html")


def _plain_statement(values: dict[str, str]) -> Statement:
    return Statement.from_mapping({
        "title": values["title"],
        "date": "2018-09-20",
        "publisher": {"name": values["publisher"], "url": "https://example.org/"},
        "links": [{"label": values["label"], "url": "https://example.org/letter"}],
        "signatories": [values["name"], {"name": values["name2"], "country": "MX"}],
        "contact": {"name": values["contact"], "email": "press@example.org",
                    "phone": values["phone"]},
        "keywords": [values["keyword"]],
    }, "The river belongs to everyone.")


_PLAIN_FIELDS = ("title", "publisher", "label", "name", "name2", "contact", "phone", "keyword")


def _shape(html: str) -> set[tuple[str, tuple[str, ...]]]:
    return {(tag, tuple(sorted(name for name, _ in attrs)))
            for tag, attrs in collect(html).elements}


_BASELINE_SHAPE: set[tuple[str, tuple[str, ...]]] = set()


@PROPERTY
@given(values=st.fixed_dictionaries({field: special_text | st.text()
                                     for field in _PLAIN_FIELDS}))
def test_text_in_plain_fields_never_yields_markup(values: dict[str, str]) -> None:
    if not _BASELINE_SHAPE:
        _BASELINE_SHAPE.update(_shape(render_html(_plain_statement(
            {field: f"Plain words {n}" for n, field in enumerate(_PLAIN_FIELDS)}))))
    try:
        statement = _plain_statement(values)
    except StatementError as exc:
        # only empty names, characters no edition can hold and bidirectional controls
        # (embeddings, overrides, unbalanced isolates) are refused
        assert all("empty" in d.message or "required" in d.message or "character" in d.message
                   or "duplicate" in d.message for d in exc.diagnostics), exc.lines()
        return
    html = _markup(statement)
    assert _shape(html) == _BASELINE_SHAPE
    assert_no_active_content(html, "html")
    parsed = collect(html)
    assert fold(values["title"]) in " ".join(parsed.text)


def test_epub_batch_refuses_outside_resources_inside_pandoc(monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:
    """`pandoc lua` cannot run --sandbox: its driver refuses, in pandoc's own document,
    any image that is not a data: URI (even if the HTML pre-check were bypassed)."""
    import re as _re

    from statementpub import Statement, make_edition
    from statementpub.render import epub
    from statementpub.render.html import render_edition_html

    monkeypatch.setattr(epub, "_FETCHABLE", _re.compile(r"(?!x)x"))
    statement = Statement.from_mapping({"title": "T", "date": "2026-01-01"}, "Hello.\n",
                                       base_dir=tmp_path)
    edition = make_edition(statement, "en")
    html = render_edition_html(edition, flavour="pandoc")
    bad = html.replace("Hello.", '<img src="/etc/hostname" alt="x"> Hello.')
    good, refused = epub.EpubBatch([(html, edition, False), (bad, edition, False)]).results()
    assert isinstance(good, bytes)
    assert isinstance(refused, EpubRenderError)
    assert "outside resource (image): /etc/hostname" in str(refused)
