"""statementpub's own PDF checks (pdfinspect.PDF_CHECKS, issue 10): each fails on a
broken fixture and passes on a clean one. Fixtures are small WeasyPrint renders of
HTML written here, some modified with pikepdf."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest

from statementpub import pdfinspect
from statementpub.resources import styles_dir

FONTS = (styles_dir() / "fonts.css").read_text(encoding="utf-8")
PAGE = "@page { size: A4; margin: 22mm 20mm 24mm }"


def render(body: str, css: str = "") -> bytes:
    weasyprint = pytest.importorskip("weasyprint")
    html = (f'<!DOCTYPE html><html lang="en"><head><title>T</title><style>{FONTS}'
            f'{PAGE} body {{ font-family: "Atkinson Hyperlegible Next" }} {css}</style>'
            f"</head><body>{body}</body></html>")
    result: bytes = weasyprint.HTML(string=html, base_url=str(styles_dir()) + "/").write_pdf(
        pdf_variant="pdf/ua-1")
    return result


def run(pdf: bytes, code: str) -> list[str]:
    return pdfinspect.check_structure(pdf, checks=[code])


CLEAN = render("<h1>Title</h1><p>Some text.</p><h2>Part</h2>"
               "<ol><li>one</li><li>two</li><li>three</li></ol>")


def edit(pdf: bytes, change: object) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        change(doc)  # type: ignore[operator]
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def elements(doc: pikepdf.Pdf, role: str) -> list[pikepdf.Dictionary]:
    found = []
    stack = list(pdfinspect._as_list(doc.Root.StructTreeRoot.get("/K")))
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            if str(node.S) == "/" + role:
                found.append(node)
            stack.extend(pdfinspect._as_list(node.get("/K")))
    return found


@pytest.mark.parametrize("code", sorted(pdfinspect.PDF_CHECKS))
def test_clean_pdf_passes_every_check(code: str) -> None:
    assert run(CLEAN, code) == []


def test_note_without_id_and_duplicate_id() -> None:
    def make_notes(doc: pikepdf.Pdf) -> None:
        paragraphs = elements(doc, "P")
        paragraphs[0].S = pikepdf.Name.Note
    broken = edit(CLEAN, make_notes)
    (finding,) = run(broken, "note-id")
    assert "Matterhorn 19-003" in finding and "note-id: 1 Note" in finding

    def duplicate(doc: pikepdf.Pdf) -> None:
        note = elements(doc, "P")[0]
        note.S = pikepdf.Name.Note
        note.ID = pikepdf.String("n1")
        elements(doc, "H2")[0].ID = pikepdf.String("n1")
    (finding,) = run(edit(CLEAN, duplicate), "note-id")
    assert "19-004" in finding and "'n1'" in finding


def test_nested_list_outside_lbody() -> None:
    nested = render("<h1>T</h1><ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>")
    findings = run(nested, "nested-list")
    # WeasyPrint 70 puts the inner L directly in the outer L
    assert len(findings) == 1 and "nested-list: 1 L element" in findings[0]


def test_lbl_numbers_must_run_on() -> None:
    def renumber(doc: pikepdf.Pdf) -> None:
        label = elements(doc, "Lbl")[1]
        label.ActualText = pikepdf.String("7.")
    findings = run(edit(CLEAN, renumber), "lbl-number")
    assert len(findings) == 1 and "is read as '7.'" in findings[0]


def test_outline_title_must_be_the_heading() -> None:
    def retitle(doc: pikepdf.Pdf) -> None:
        with doc.open_outline() as outline:
            outline.root[0].children[0].title = "Something else"
    (finding,) = run(edit(CLEAN, retitle), "outline-title")
    assert "bookmark 2 'Something else' is not heading 2 'Part'" in finding


def test_link_element_without_annotation() -> None:
    linked = render('<h1>Title</h1><p>See <a href="https://example.org/">the site</a>.</p>')
    assert run(linked, "link-annotation") == []

    def drop_objr(doc: pikepdf.Pdf) -> None:
        for link in elements(doc, "Link"):
            link.K = pikepdf.Array([kid for kid in pdfinspect._as_list(link.K)
                                    if not (isinstance(kid, pikepdf.Dictionary)
                                            and str(kid.get("/Type")) == "/OBJR")])

    findings = [f for f in run(edit(linked, drop_objr), "link-annotation")
                if "link-annotation:" in f]
    assert findings == [("[ISO 32000-1 14.8.4.4.2] link-annotation: Link 'the site' on page 1 "
                         "has no link annotation")]


def test_text_outside_the_text_area() -> None:
    wide = render("<h1>T</h1><p style='margin-right: -30mm; text-align: right'>"
                  "overflowing words</p>")
    findings = run(wide, "text-area")
    assert len(findings) == 2, findings
    assert "page 1: 1 word(s) outside the page (first: 'wo'" in findings[0]
    assert "outside the text area 56.7-538.6 pt" in findings[1]
    assert "'overflowing'" in findings[1]
    # margins (0, 0): only the page's edge counts
    only_page = pdfinspect.check_structure(wide, checks=["text-area"], margins=(0, 0))
    assert only_page == findings[:1]


def test_notdef_glyph() -> None:
    def zero_glyph(doc: pikepdf.Pdf) -> None:
        page = doc.pages[0]
        ops = pikepdf.parse_content_stream(page)
        for i, instruction in enumerate(ops):
            if str(instruction.operator) == "TJ":
                ops[i] = pikepdf.ContentStreamInstruction(
                    [pikepdf.Array([pikepdf.String(b"\x00\x00")])], pikepdf.Operator("TJ"))
                break
        page.Contents = doc.make_stream(pikepdf.unparse_content_stream(ops))
    (finding,) = run(edit(CLEAN, zero_glyph), "notdef")
    assert "Matterhorn 31-030" in finding and "page 1: 1 .notdef" in finding


def test_font_not_shipped() -> None:
    arrow = render("<h1>T</h1><p>back \u21a9</p>")
    (finding,) = run(arrow, "font-shipped")
    assert "is not one statementpub ships" in finding and "\u21a9" in finding


def test_tounicode_long_bfchar() -> None:
    def long_entry(doc: pikepdf.Pdf) -> None:
        for font in doc.pages[0].Resources.Font.values():
            data = font.ToUnicode.read_bytes()
            data = data.replace(
                b"endbfchar", b"<0fff> <0041004200430044004500460047>\nendbfchar", 1)
            font.ToUnicode.write(data)
    findings = run(edit(CLEAN, long_entry), "tounicode")
    assert findings and "one glyph maps to 7 UTF-16 units ('ABCDEFG')" in findings[0]


def test_unknown_check_code_is_an_error() -> None:
    from statementpub.errors import StatementpubError

    with pytest.raises(StatementpubError, match="unknown PDF check"):
        pdfinspect.check_structure(CLEAN, checks=["no-such-check"])


def test_shipped_fonts_and_print_margins() -> None:
    assert "atkinsonhyperlegiblenext" in pdfinspect.shipped_font_names()
    left, right = pdfinspect.print_margins()
    assert round(left / 72 * 25.4, 3) == 20 and round(right / 72 * 25.4, 3) == 20


# -- HTML and EPUB (statementpub.htmlcheck) ----------------------------------------

GOOD_HTML = b"""<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>
<a href="#main">Skip</a><main id="main"><p>Text<a href="#fn-1" id="fnref-1"
role="doc-noteref">1</a></p><section aria-labelledby="notes-h"><h2 id="notes-h">Notes</h2>
<ol><li id="fn-1">Note. <a href="#fnref-1" role="doc-backlink">back</a></li></ol></section>
</main></body></html>"""


def test_clean_html_passes() -> None:
    from statementpub.htmlcheck import check_html

    assert check_html(GOOD_HTML) == []


def test_broken_html_fails_each_check() -> None:
    from statementpub.htmlcheck import check_html

    broken = (GOOD_HTML.replace(b'id="notes-h"', b'id="main"')
              .replace(b'href="#fnref-1"', b'href="#fn-1"')
              .replace(b'href="#main"', b'href="#top"'))
    codes = sorted(f.split("] ")[1].split(":")[0] for f in check_html(broken, "x.html"))
    assert codes == ["aria-ref", "backlink", "duplicate-id", "fragment"]


def _epub(tmp_path: Path, nav_href: str, notes: str) -> Path:
    import zipfile

    source = Path(__file__).parent / "fixtures" / "validate" / "epub"
    out = tmp_path / "book.epub"
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        for path in sorted(source.rglob("*")):
            if path.is_file() and path.name != "mimetype":
                z.writestr(path.relative_to(source).as_posix(), path.read_bytes())
        z.writestr("EPUB/notes.xhtml",
                   '<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
                   f'<head><title>N</title></head><body><section id="notes">{notes}</section>'
                   "</body></html>")
        z.writestr("EPUB/toc2.xhtml",
                   '<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"'
                   ' xmlns:epub="http://www.idpf.org/2007/ops"><head><title>C</title></head><body>'
                   f'<nav epub:type="toc"><ol><li><a href="{nav_href}">Notes</a></li></ol></nav>'
                   "</body></html>")
    return out


def test_epub_nav_targets(tmp_path: Path) -> None:
    from statementpub.htmlcheck import check_epub

    assert check_epub(_epub(tmp_path, "notes.xhtml#notes", "<h2>Notes</h2><p>One.</p>")) == []
    (empty,) = check_epub(_epub(tmp_path, "notes.xhtml#notes", "<h2>Notes</h2>"))
    assert "leads to an empty notes section" in empty
    (missing,) = check_epub(_epub(tmp_path, "notes.xhtml#nope", "<h2>Notes</h2><p>x</p>"))
    assert "'notes.xhtml#nope' leads to no element" in missing
