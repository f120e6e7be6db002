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
        for i, (operands, op) in enumerate(ops):
            if str(op) == "TJ":
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
            data = data.replace(b"endbfchar", b"<0fff> <0041004200430044004500460047>\nendbfchar", 1)
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
