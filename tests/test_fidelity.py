"""Fidelity: every edition says exactly what its source says, in HTML, EPUB and PDF.

One fixture statement of our own (tests/fixtures/fidelity/) holds each kind of
source detail that an engine underneath has been known to lose: white space
that carries meaning, notes cited more than once and labelled in other
scripts, headings with note marks or with the names of the edition's own
parts, lists that start at 3 and nest, links whose text is their address,
interface text inside fallback text, words longer than the line, glyphs the
shipped fonts must have, an image inside a paragraph and a title too long for
the running head. Its Spanish catalog translates everything but one note, so
the Spanish edition also has a passage in English.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from statementpub import build, load_statement
from statementpub.htmlcheck import check_file
from statementpub.pdfinspect import PDF_CHECKS, check_structure, structure_tree
from statementpub.translate import extract_catalog

FIXTURE = Path(__file__).parent / "fixtures" / "fidelity" / "statement.md"
NBSP, NNBSP, FIGURE = "\u00a0", "\u202f", "\u2007"
LANGS = ("en", "es")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """(lang, format) -> file, the six editions of the fixture, built once."""
    out = tmp_path_factory.mktemp("fidelity")
    report = build(FIXTURE, langs=list(LANGS), out_dir=out)
    files = {(edition.lang, path.suffix[1:]): path
             for edition in report.editions for path in edition.files}
    assert len(files) == 6
    return files


def html(dist: dict[tuple[str, str], Path], lang: str) -> str:
    return dist[(lang, "html")].read_text(encoding="utf-8")


def chapter(dist: dict[tuple[str, str], Path], lang: str, name: str = "ch001.xhtml") -> str:
    with zipfile.ZipFile(dist[(lang, "epub")]) as z:
        return z.read(f"EPUB/text/{name}").decode("utf-8")


def epub_file(dist: dict[tuple[str, str], Path], lang: str, member: str) -> str:
    with zipfile.ZipFile(dist[(lang, "epub")]) as z:
        return z.read(member).decode("utf-8")


def pdf(dist: dict[tuple[str, str], Path], lang: str) -> bytes:
    return dist[(lang, "pdf")].read_bytes()


def pdf_text(dist: dict[tuple[str, str], Path], lang: str) -> str:
    """The page text as poppler extracts it (it shows no-break spaces as spaces)."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(dist[(lang, "pdf")]), "-"],
                          check=True, capture_output=True, text=True).stdout


def walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("children", []):
        yield from walk(child)


def elements(data: bytes) -> list[dict[str, Any]]:
    tree = structure_tree(data)
    return [node for root in tree["structure"] for node in walk(root) if "role" in node]


def text_of(node: dict[str, Any]) -> str:
    return "".join(item.get("text", "") for item in walk(node))


def shape(node: dict[str, Any]) -> Any:
    kids = [shape(child) for child in node.get("children", []) if "role" in child]
    return [node["role"], kids] if kids else node["role"]


def outline(data: bytes) -> list[str]:
    import io

    import pikepdf

    titles: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as document, document.open_outline() as tree:
        def visit(items: Any) -> None:
            for item in items:
                titles.append(str(item.title))
                visit(item.children)
        visit(tree.root)
    return titles


# -- 1. White space that carries meaning --------------------------------------------

def test_the_fixture_has_the_three_no_break_spaces() -> None:
    source = FIXTURE.read_text(encoding="utf-8")
    assert all(space in source for space in (NBSP, NNBSP, FIGURE))


def test_msgids_keep_no_break_spaces_and_write_a_hard_break_as_a_line_feed() -> None:
    msgids = [entry.msgid for entry in extract_catalog(load_statement(FIXTURE))]
    assert f"The price is 10{NBSP}000{NNBSP}€ per well and «{NBSP}agua{NBSP}» is the word." \
        in msgids
    paragraph = next(m for m in msgids if m.startswith("We ask"))
    # two trailing spaces and a backslash before the line end: one line feed each,
    # no space around it, no backslash left
    assert paragraph.endswith(f"again.[^a]\nA second line\nand a third. Figures align: "
                              f"1{FIGURE}234.")
    assert "\\" not in paragraph
    assert f"Water{NBSP}for{NBSP}all: a long headline" in msgids[0]


@pytest.mark.parametrize("lang", LANGS)
def test_no_break_spaces_and_hard_breaks_in_html_and_epub(dist: dict[tuple[str, str], Path],
                                                         lang: str) -> None:
    page, xhtml = html(dist, lang), chapter(dist, lang)
    price = {"en": f"10{NBSP}000{NNBSP}€ per well and «{NBSP}agua{NBSP}»",
             "es": f"10{NBSP}000{NNBSP}€ por pozo y «{NBSP}agua{NBSP}»"}[lang]
    line = {"en": ("again.", "A second line", "and a third. Figures align: 1"),
            "es": ("otra vez.", "Una segunda línea", "y una tercera. Cifras alineadas: 1")}[lang]
    for document, br in ((page, "<br>"), (xhtml, "<br />")):
        assert price in document
        assert f"{line[1]}{br}\n{line[2]}{FIGURE}234." in document
        # the first break follows the last note mark of the line
        assert re.search(re.escape(line[0]) + r"<sup[^>]*>.*?</sup>" + re.escape(br), document)
        assert "\\\n" not in document
    title = {"en": f"Water{NBSP}for{NBSP}all:", "es": f"Agua{NBSP}para{NBSP}todos:"}[lang]
    assert f"<title>{title}" in page
    assert re.search(r'<h1(?: class="headline-[a-z]+")?>' + re.escape(title), page)


@pytest.mark.parametrize("lang", LANGS)
def test_no_break_spaces_and_hard_breaks_in_pdf(dist: dict[tuple[str, str], Path],
                                                lang: str) -> None:
    spans = [node.get("text", "") for node in elements(pdf(dist, lang))]
    price = {"en": f"The price is 10{NBSP}000{NNBSP}€ per well and «{NBSP}agua{NBSP}»",
             "es": f"El precio es 10{NBSP}000{NNBSP}€ por pozo y «{NBSP}agua{NBSP}»"}[lang]
    assert any(text.startswith(price) for text in spans)
    # each hard break starts a line of its own on the page
    lines = [line.strip() for line in pdf_text(dist, lang).splitlines()]
    second, third = {"en": ("A second line", "and a third. Figures align: 1 234."),
                     "es": ("Una segunda línea", "y una tercera. Cifras alineadas: 1 234.")}[lang]
    assert lines[lines.index(second) + 1] == third
    assert structure_tree(pdf(dist, lang))["title"].startswith(
        {"en": f"Water{NBSP}for{NBSP}all", "es": f"Agua{NBSP}para{NBSP}todos"}[lang])


# -- 2. Notes -----------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_html_notes_one_number_per_definition_one_back_link_per_citation(
        dist: dict[tuple[str, str], Path], lang: str) -> None:
    page = html(dist, lang)
    citations = re.findall(r'<a href="#(fn-[^"]+)" id="([^"]+)" role="doc-noteref">(\d+)</a>',
                           page)
    assert [(target, number) for target, _id, number in citations] == [
        ("fn-1", "1"), ("fn-1", "1"), ("fn-2", "2"), ("fn-1", "1"), ("fn-3", "3")]
    ids = [ident for _target, ident, _number in citations]
    assert len(set(ids)) == 5
    notes = re.findall(r'<li id="(fn-\d+)" class="footnote-item">(.*?)</li>', page, re.S)
    assert [note_id for note_id, _ in notes] == ["fn-1", "fn-2", "fn-3"]
    back = {note_id: re.findall(r'href="#([^"]+)" class="footnote-back" role="doc-backlink"',
                                body) for note_id, body in notes}
    assert back == {"fn-1": ["fnref-1", "fnref-1-2", "fnref-1-3"], "fn-2": ["fnref-2"],
                    "fn-3": ["fnref-3"]}
    assert sorted(i for links in back.values() for i in links) == sorted(ids)


@pytest.mark.parametrize("lang", LANGS)
def test_epub_notes_are_in_the_section_the_navigation_names(
        dist: dict[tuple[str, str], Path], lang: str) -> None:
    xhtml = chapter(dist, lang)
    heading = {"en": "Notes", "es": "Notas"}[lang]
    section = re.search(r'<section id="notes"[^>]*epub:type="endnotes"[^>]*>\s*<h2>'
                        + heading + r"</h2>(.*?)</section>", xhtml, re.S)
    assert section is not None
    assert re.findall(r'<div id="(fn-\d+)" epub:type="endnote">', section.group(1)) == [
        "fn-1", "fn-2", "fn-3"]
    # a note cited three times is one note with three ways back
    assert len(re.findall(r'role="doc-backlink"', section.group(1))) == 5
    refs = re.findall(r'<a href="ch001.xhtml#(fn-\d+)" id="[^"]+" epub:type="noteref" '
                      r'role="doc-noteref">(\d+)</a>', xhtml)
    assert refs == [("fn-1", "1"), ("fn-1", "1"), ("fn-2", "2"), ("fn-1", "1"), ("fn-3", "3")]
    # the notes come before the signatories and the colophon
    assert xhtml.index('id="notes"') < xhtml.index('id="signatories"') < xhtml.index("colophon")
    nav = epub_file(dist, lang, "EPUB/nav.xhtml")
    assert f'<a href="text/ch001.xhtml#notes">{heading}</a>' in nav


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_notes_are_note_elements_with_unique_ids(dist: dict[tuple[str, str], Path],
                                                     lang: str) -> None:
    data = pdf(dist, lang)
    notes = [node for node in elements(data) if node["role"] == "Note"]
    assert [node.get("id") for node in notes] == ["fn-1", "fn-2", "fn-3"]
    assert not any(node["role"] in ("L", "LI") and any(
        child.get("role") == "Note" for child in node.get("children", []))
        for node in elements(data))
    links = [annotation["dest"] for node in elements(data) if node["role"] == "Link"
             for annotation in node.get("annotations", []) if "dest" in annotation]
    # five citations, five back links
    assert [d for d in links if d.startswith("fn-")] == ["fn-1", "fn-1", "fn-2", "fn-1", "fn-3"]
    assert sorted(d for d in links if d.startswith("fnref-")) == [
        "fnref-1", "fnref-1-2", "fnref-1-3", "fnref-2", "fnref-3"]
    assert check_structure(data, checks=["note-id", "note-tagging"]) == []


# -- 3. Outline and headings --------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_bookmarks_leave_out_note_marks(dist: dict[tuple[str, str], Path], lang: str) -> None:
    titles = outline(pdf(dist, lang))
    expected = {"en": ["Commitments", "Statement", "Signatories", "Footnotes", "Main", "Notes",
                       "Signatories"],
                "es": ["Compromisos", "Declaración", "Firmantes", "Notas al pie", "Principal",
                       "Notas", "Firmantes"]}[lang]
    assert titles[1:] == expected
    assert titles[0].startswith({"en": "Water", "es": "Agua"}[lang])


@pytest.mark.parametrize("lang", LANGS)
def test_headings_named_like_the_editions_parts_get_ids_of_their_own(
        dist: dict[tuple[str, str], Path], lang: str) -> None:
    page = html(dist, lang)
    for ident in ("statement-2", "signatories-2", "footnotes-2", "main-2"):
        assert page.count(f'id="{ident}"') == 1
    assert page.count('id="main"') == 1
    assert '<a class="skip-link" href="#main"' in page or 'href="#main"' in page
    assert re.search(r'<main id="main"', page)
    # labels without ASCII letters get ids of their own
    assert 'id="fn-section"' not in page
    assert [check_file(dist[(lang, kind)]) for kind in ("html", "epub")] == [[], []]


def test_epub_ids_are_unique_per_document(dist: dict[tuple[str, str], Path]) -> None:
    for lang in LANGS:
        for name in ("ch001.xhtml", "title_page.xhtml"):
            ids = re.findall(r'\sid="([^"]+)"', chapter(dist, lang, name))
            assert len(ids) == len(set(ids)), (lang, name)


# -- 4. Lists -----------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_a_list_that_starts_at_3_is_numbered_3_everywhere(dist: dict[tuple[str, str], Path],
                                                          lang: str) -> None:
    assert '<ol start="3">' in html(dist, lang)
    assert '<ol start="3">' in chapter(dist, lang)
    lines = [line.strip() for line in pdf_text(dist, lang).splitlines()]
    first, second = {"en": ("three", "four"), "es": ("tres", "cuatro")}[lang]
    assert f"3. {first}" in lines and f"4. {second}" in lines
    data = pdf(dist, lang)
    labels = [text_of(node).strip() for node in elements(data) if node["role"] == "Lbl"]
    assert labels[:2] == ["3.", "4."]
    assert check_structure(data, checks=["lbl-number"]) == []


def test_a_nested_list_is_inside_its_items_lbody(dist: dict[tuple[str, str], Path]) -> None:
    data = pdf(dist, "en")
    lists = [node for node in elements(data) if node["role"] == "L"
             and text_of(node).startswith("3. three")]
    assert len(lists) == 1
    item = ["LI", [["Lbl", ["Span"]], ["LBody", ["Span"]]]]
    assert shape(lists[0]) == ["L", [
        item,
        ["LI", [["Lbl", ["Span"]], ["LBody", ["Span", ["L", [item, item]]]]]]]]
    assert check_structure(data, checks=["nested-list"]) == []


# -- 5. Links -----------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_a_link_whose_text_is_its_address_is_printed_once(dist: dict[tuple[str, str], Path],
                                                          lang: str) -> None:
    text = pdf_text(dist, lang)
    assert text.count("https://example.org/bare") == 1
    assert text.count("https://example.org/y") == 1
    assert "(https://" not in text


@pytest.mark.parametrize("lang", LANGS)
def test_every_pdf_link_can_be_followed(dist: dict[tuple[str, str], Path], lang: str) -> None:
    data = pdf(dist, lang)
    publisher = [node for node in elements(data) if node["role"] == "Link"
                 and text_of(node) == "Wells Coalition"]
    assert len(publisher) == 1
    assert publisher[0]["annotations"][0]["uri"] == "https://example.org/wells"
    assert check_structure(data, checks=["link-annotation"]) == []


# -- 6. Language of interface text inside fallback text ------------------------------

def test_interface_text_inside_a_fallback_note_carries_its_language(
        dist: dict[tuple[str, str], Path]) -> None:
    page = html(dist, "es")
    note = re.search(r'<li id="fn-3" class="footnote-item">(.*?)</li>', page, re.S)
    assert note is not None
    assert note.group(1).startswith('<p lang="en" dir="ltr">The third note')
    assert ('aria-label="Volver a la referencia 3" lang="es" dir="ltr">' in note.group(1))
    xhtml = chapter(dist, "es")
    assert re.search(r'<div lang="en" xml:lang="en" dir="ltr">\s*<p>The third note, labelled in '
                     r'Russian\. <span lang="es" xml:lang="es" dir="ltr">'
                     r'<a href="ch001.xhtml#fnref-3"',
                     xhtml)
    links = [node for node in elements(pdf(dist, "es")) if node["role"] == "Link"
             and any(a.get("dest") == "fnref-3" for a in node.get("annotations", []))]
    assert [(node.get("lang"), node["annotations"][0]["contents"]) for node in links] == [
        ("es", "Volver a la referencia 3")]


def test_the_contact_name_is_marked_where_it_is_not_in_the_editions_language(
        dist: dict[tuple[str, str], Path]) -> None:
    page = html(dist, "es")
    assert re.search(r'Contacto de prensa</span> <span lang="en" dir="ltr">Press desk</span>', page)
    assert re.search(r'<span lang="en" xml:lang="en" dir="ltr">Press desk</span>',
                     chapter(dist, "es"))
    names = [node for node in elements(pdf(dist, "es")) if text_of(node) == "Press desk"
             and node.get("lang")]
    assert [node.get("lang") for node in names] == ["en"]
    assert 'lang="en" dir="ltr">Press desk' not in html(dist, "en")


# -- 7. Text that leaves the page ----------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_long_words_wrap_inside_the_text_area(dist: dict[tuple[str, str], Path],
                                              lang: str) -> None:
    data = pdf(dist, lang)
    assert check_structure(data, checks=["text-area"]) == []
    # the emphasised word and the table word are each broken over two lines
    lines = pdf_text(dist, lang).splitlines()
    assert sum(1 for line in lines if "coniosis" in line) == 4


# -- 8. Glyphs from the system -------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_every_glyph_comes_from_a_shipped_font(dist: dict[tuple[str, str], Path],
                                               lang: str) -> None:
    fonts = subprocess.run(["pdffonts", str(dist[(lang, "pdf")])], check=True,
                           capture_output=True, text=True).stdout
    assert "DejaVu" not in fonts and "Liberation" not in fonts
    assert check_structure(pdf(dist, lang), checks=["notdef", "font-shipped"]) == []


# -- 9. Images inside a paragraph ----------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_an_image_inside_a_paragraph_renders_where_it_is_written(
        dist: dict[tuple[str, str], Path], lang: str) -> None:
    alt = {"en": "a map of the wells", "es": "un mapa de los pozos"}[lang]
    before, after = {"en": ("Look ", " here"), "es": ("Mire ", " aquí")}[lang]
    page = html(dist, lang)
    assert re.search(re.escape(before) + r'<img src="data:image/png;base64,[^"]+" alt="'
                     + re.escape(alt) + '">' + re.escape(after), page)
    assert "![" not in page and "![" not in chapter(dist, lang)
    assert re.search(re.escape(before) + r'<img src="../media/[^"]+\.png" alt="'
                     + re.escape(alt) + '" />' + re.escape(after), chapter(dist, lang))
    figures = [node for node in elements(pdf(dist, lang)) if node["role"] == "Figure"]
    assert [node.get("alt") for node in figures] == [alt]
    assert "![" not in pdf_text(dist, lang)


# -- 10. Running heads ---------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_running_head_is_cut_at_a_word_with_a_valid_tounicode_map(
        dist: dict[tuple[str, str], Path], lang: str) -> None:
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(dist[(lang, "pdf")]), "-"],
                            check=True, capture_output=True, text=True)
    assert "Illegal entry" not in result.stderr
    pages = result.stdout.split("\f")
    head = pages[1].strip().splitlines()[0]
    expected = {"en": "Water for all: a long headline that the running head of every later "
                      "page has to shorten at a word…",
                "es": "Agua para todos: un titular largo que la cabecera de cada página "
                      "posterior tiene que acortar en un…"}[lang]
    assert head == expected
    # not on the first page, where the title is
    assert not pages[0].strip().startswith(expected[:20])
    assert check_structure(pdf(dist, lang), checks=["tounicode"]) == []


def test_running_head_cuts_after_a_whole_word() -> None:
    from statementpub.render.pdf import running_head

    assert running_head("Short title") == "Short title"
    cut = running_head("word " * 40)
    assert cut.endswith("word…")
    assert running_head("水" * 100) == "水" * 55 + "…"


# -- All checks, every edition -------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_every_check_passes_on_every_edition(dist: dict[tuple[str, str], Path],
                                             lang: str) -> None:
    assert check_structure(pdf(dist, lang), checks=PDF_CHECKS) == []
    assert check_file(dist[(lang, "html")]) == []
    assert check_file(dist[(lang, "epub")]) == []
