"""``statementpub import``: Word and OpenDocument drafts become statements.

Drafts are made here, with python-docx (Word's Title style, alt text, a comment,
a tracked change, a page break, merged cells) and with pandoc (footnotes, a
list starting at 3, a block quote, a table, OpenDocument), never copied from
the corpus.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pypandoc
import pytest
import yaml

from statementpub import build, load_statement
from statementpub.cli import main
from statementpub.intake import DraftImportError, import_draft
from statementpub.model import ListBlock
from statementpub.units import iter_units

docx = pytest.importorskip("docx")

PNG_COLOURS = {"road.png": (120, 110, 90), "school.png": (30, 90, 160)}


def _images(folder: Path) -> None:
    from PIL import Image

    for name, colour in PNG_COLOURS.items():
        Image.new("RGB", (60, 30), colour).save(folder / name)


def _word_draft(folder: Path) -> Path:
    """A draft as a coalition writes it in Word."""
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Inches

    _images(folder)
    document = docx.Document()
    document.add_paragraph("Clean Air for the Valley", style="Title")
    document.add_heading("Why we write", level=1)
    paragraph = document.add_paragraph("The quarry ")
    run = paragraph.add_run("covers")
    run.italic = True
    paragraph.add_run(" the valley in dust, ")
    underlined = paragraph.add_run("every day")
    underlined.underline = True
    paragraph.add_run(".")
    document.add_comment([run], text="Is this too strong?", author="Ana")
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    # a tracked change: an insertion (kept) and a deletion (dropped)
    tracked = document.add_paragraph("Dust reaches the school")
    for tag, text in (("w:ins", " and the clinic"), ("w:del", " and the church")):
        change = OxmlElement(tag)
        change.set(qn("w:id"), "7" if tag == "w:ins" else "8")
        change.set(qn("w:author"), "Ben")
        change.set(qn("w:date"), "2026-03-01T10:00:00Z")
        change_run = OxmlElement("w:r")
        text_element = OxmlElement("w:delText" if tag == "w:del" else "w:t")
        text_element.set(qn("xml:space"), "preserve")
        text_element.text = text
        change_run.append(text_element)
        change.append(change_run)
        tracked._p.append(change)
    tracked.add_run(".")
    document.add_picture(str(folder / "road.png"), width=Inches(1))
    doc_pr = document.paragraphs[-1]._p.xpath(".//wp:docPr")[0]
    doc_pr.set("descr", "A truck on the valley road, raising a cloud of dust")
    document.add_picture(str(folder / "school.png"), width=Inches(1))
    document.add_heading("What we ask", level=3)
    table = document.add_table(rows=3, cols=3)
    for row, values in enumerate((("Year", "Dust days", "Trucks"), ("2024", "41", "120"),
                                  ("2025", "58", "240"))):
        for column, value in enumerate(values):
            table.cell(row, column).text = value
    merged = document.add_table(rows=2, cols=2)
    merged.cell(0, 0).text = "Both years"
    merged.cell(0, 0).merge(merged.cell(0, 1))
    merged.cell(1, 0).text = "99"
    merged.cell(1, 1).text = "100"
    document.add_heading("Signatories", level=1)
    for name in ("Valley Friends", "Colectivo del Valle", "Hill Walkers"):
        document.add_paragraph(name, style="List Bullet")
    path = folder / "draft.docx"
    document.save(str(path))
    return path


WORD_STATEMENT = """\
---
title: Clean Air for the Valley
date: 2026-05-01
lang: en
kind: open-letter
signatories:
- Valley Friends
- Colectivo del Valle
- Hill Walkers
---

## Why we write

The quarry *covers* the valley in dust, every day.

Dust reaches the school and the clinic.

![A truck on the valley road, raising a cloud of dust](image-1.png)

![](image-2.png)

### What we ask

| Year | Dust days | Trucks |
|------|-----------|--------|
| 2024 | 41        | 120    |
| 2025 | 58        | 240    |

| Both years |     |
|------------|-----|
| 99         | 100 |
"""


def test_a_word_draft_becomes_a_statement(tmp_path: Path) -> None:
    draft = _word_draft(tmp_path)
    folder = tmp_path / "clean-air"
    result = import_draft(draft, folder, date="2026-05-01", lang="en", kind="open-letter")
    statement = folder / "statement.md"
    assert statement.read_text(encoding="utf-8") == WORD_STATEMENT
    assert result.images == (folder / "image-1.png", folder / "image-2.png")
    assert (folder / "image-1.png").read_bytes() == (tmp_path / "road.png").read_bytes()
    assert result.signatories == 3
    assert [str(n) for n in result.notes] == [
        (f"{draft}: warning: block 5 (under 'Why we write'): the image 'image-2.png' has no "
        "description (alt text): describe it in statement.md, or mark it {.decorative}"),
        (f"{draft}: warning: block 8 (under 'What we ask'): a table's merged cells were "
        "split: the text stands in the first cell, the others are empty; check the table"),
    ]
    # the image without a description is refused at its line until someone describes it
    assert not result.builds
    assert [str(d) for d in result.to_fill_in] == [
        (f"{statement}:20: error: image 'image-2.png' has no alternative text: describe it, "
        "or mark it {.decorative} if it carries no information")]
    statement.write_text(WORD_STATEMENT.replace("![](image-2.png)",
                                                "![The valley school seen from the road]"
                                                "(image-2.png)"), encoding="utf-8")
    build(statement, out_dir=tmp_path / "dist", formats=("html",))
    html = (tmp_path / "dist" / "clean-air.en.html").read_text(encoding="utf-8")
    assert "<h1>Clean Air for the Valley</h1>" in html
    assert 'alt="A truck on the valley road, raising a cloud of dust"' in html
    assert "Is this too strong" not in html and "church" not in html


def test_the_cli_reports_what_to_fill_in(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    draft = _word_draft(tmp_path)
    folder = tmp_path / "clean-air"
    status = main(["import", str(draft), "--out", str(folder)])
    err = capsys.readouterr().err.splitlines()
    assert status == 0
    assert f"wrote {folder / 'statement.md'}, 2 images and 3 signatories" in err
    assert err[err.index("To fill in before it builds:") + 1:] == [
        f"  {folder / 'statement.md'}:3: error: 'date' is empty",
        (f"  {folder / 'statement.md'}:18: error: image 'image-2.png' has no alternative text: "
        "describe it, or mark it {.decorative} if it carries no information"),
    ]
    assert (f"{draft}: warning: the draft does not say its language: 'lang' is not written, "
            "so the format's default 'en' applies; give --lang") in err
    assert "date:\n" in (folder / "statement.md").read_text(encoding="utf-8")
    # a second import does not overwrite the statement (someone may have edited it)
    before = (folder / "statement.md").read_bytes()
    status = main(["import", str(draft), "--out", str(folder)])
    assert status == 1
    assert capsys.readouterr().err == (f"error: {folder / 'statement.md'} exists: give --force "
                                       "to replace it, or another --out\n")
    assert (folder / "statement.md").read_bytes() == before


PANDOC_DRAFT = """\
---
title: Keep the valley green
subtitle: A *joint* statement of the valley's neighbours
date: 2026-04-22
abstract: |
  We ask the council to **stop** the quarry.

  Two schools are in its dust.
---

# What we ask

We, the undersigned, ask the [council](https://example.org/council) to act.[^1]

![A map of the valley with the quarry marked in red](road.png)

![](school.png)

3. Stop new permits.
4. Measure the dust.

| Year | Dust days |
|------|-----------|
| 2024 | 41 |
| 2025 | *58* |

> We cannot open the windows in summer.

#### Details

Water is H~2~O.

# Firmantes

- Valley Friends
- [River Watch](https://example.org/river-watch)

[^1]: The council meets on Tuesdays.
"""

PANDOC_STATEMENT = """\
---
title: Keep the valley green
date: 2026-04-22
lang: es
subtitle: A *joint* statement of the valley’s neighbours
summary: |
  We ask the council to **stop** the quarry.

  Two schools are in its dust.
signatories:
- Valley Friends
- name: River Watch
  url: https://example.org/river-watch
---

## What we ask

We, the undersigned, ask the [council](https://example.org/council) to act.[^1]

![A map of the valley with the quarry marked in red](image-1.png)

![](image-2.png)

3.  Stop new permits.
4.  Measure the dust.

| Year | Dust days |
|------|-----------|
| 2024 | 41        |
| 2025 | *58*      |

> We cannot open the windows in summer.

### Details

Water is H2O.

[^1]: {space}The council meets on Tuesdays.
"""


def _pandoc_draft(folder: Path, to: str) -> Path:
    _images(folder)
    path = folder / f"draft.{to}"
    pypandoc.convert_text(PANDOC_DRAFT, to, format="markdown", outputfile=str(path),
                          extra_args=[f"--resource-path={folder}"])
    return path


def test_a_pandoc_docx_draft(tmp_path: Path) -> None:
    draft = _pandoc_draft(tmp_path, "docx")
    folder = tmp_path / "valley"
    result = import_draft(draft, folder, lang="es")
    assert (folder / "statement.md").read_text(encoding="utf-8") == \
        PANDOC_STATEMENT.format(space=" ")
    assert [n.message for n in result.notes] == [
        ("block 4 (under 'What we ask'): the image 'image-2.png' has no description (alt "
        "text): describe it in statement.md, or mark it {.decorative}"),
        ("block 9 (under 'Details'): subscript text '2' is written as plain text (the format "
        "has no such markup): check its meaning"),
    ]
    assert [(d.line, d.message) for d in result.to_fill_in] == [
        (22, ("image 'image-2.png' has no alternative text: describe it, or mark it "
             "{.decorative} if it carries no information"))]
    source = folder / "statement.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "![](image-2.png)", "![The valley school](image-2.png)"), encoding="utf-8")
    statement = load_statement(source)
    assert [(b.ordered, b.start, len(b.items)) for b in statement.body.blocks
            if isinstance(b, ListBlock)] == [(True, 3, 2)]
    assert [n.label for n in statement.body.footnotes] == ["1"]
    build(source, out_dir=tmp_path / "dist", formats=("html", "epub"))
    html = (tmp_path / "dist" / "valley.es.html").read_text(encoding="utf-8")
    assert '<ol start="3">' in html and "<blockquote>" in html and "<table>" in html


def _describe_odt_images(path: Path, descriptions: dict[str, str]) -> None:
    """Add LibreOffice's ``svg:desc`` to frames (pandoc's writer writes none)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
        infos = archive.infolist()
    content = parts["content.xml"].decode("utf-8")
    for href, text in descriptions.items():
        anchor = f'<draw:image xlink:href="{href}"'
        content = content.replace(anchor, f"<svg:desc>{text}</svg:desc>{anchor}")
    parts["content.xml"] = content.encode("utf-8")
    with zipfile.ZipFile(path, "w") as archive:
        for info in infos:
            archive.writestr(info, parts[info.filename])


def test_an_odt_draft(tmp_path: Path) -> None:
    draft = _pandoc_draft(tmp_path, "odt")
    _describe_odt_images(draft, {"Pictures/0.png": "A map of the valley with the quarry "
                                                   "marked in red"})
    folder = tmp_path / "valley"
    result = import_draft(draft, folder)
    written = (folder / "statement.md").read_text(encoding="utf-8")
    expected = PANDOC_STATEMENT.format(space="").replace(
        "![](image-2.png)", "A map of the valley with the quarry marked in red\n\n"
        "![](image-2.png)").replace("lang: es\n", "")
    # OpenDocument has no abstract: pandoc's Abstract paragraphs are body text there
    assert "summary:" not in written
    assert written.replace("We ask the council to **stop** the quarry.\n\n"
                           "Two schools are in its dust.\n\n", "") == \
        expected.replace("summary: |\n  We ask the council to **stop** the quarry.\n\n"
                         "  Two schools are in its dust.\n", "")
    assert any("does not say its language" in n.message for n in result.notes)
    assert [d.message for d in result.to_fill_in] == [
        ("image 'image-2.png' has no alternative text: describe it, or mark it {.decorative} "
        "if it carries no information")]


ROUND_TRIP = """\
---
title: "Keep the Valley Green: Neighbours Ask the Council to Stop the Quarry"
date: 2026-04-22
lang: en
subtitle: "Forty groups ask for a *moratorium* before the next [permit hearing](https://example.org/hearing)"
summary: |
  Residents, farmers and walkers call on the council to **pause** every new
  quarry permit in the valley.

  The dust reaches two schools and a clinic.
signatories:
  - Valley Friends
  - name: River Watch
    url: https://example.org/river-watch
  - Colectivo del Valle
---

## What is happening

Since 2024 the quarry has doubled its output.[^1] Trucks pass the school
every *four* minutes, and the road is **not** built for them.

![A truck on the valley road, raising a cloud of dust](road.png)

## What we ask

3. Stop new permits until the air study is published.
4. Measure dust at the two schools, with results online.
5. Hear the neighbours at a public meeting.

| Year | Dust days | Trucks a day |
|---|---|---|
| 2024 | 41 | 120 |
| 2025 | 58 | 240 |

> “We cannot open the windows in summer.” — a parent at the valley school

### Who we are

- farmers of the lower valley;
- walkers, cyclists and [the riding club](https://example.org/riding);
- the parents' association.

[^1]: Figures from the council's own [2025 report](https://example.org/report).
"""


def _statement_to_docx(source: Path, target: Path) -> None:
    """The statement as pandoc writes it in Word: front matter as metadata (the
    summary as the abstract), signatories as a last section."""
    statement = load_statement(source)
    _, front, body = source.read_text(encoding="utf-8").split("---\n", 2)
    values = yaml.safe_load(front)
    meta = {"title": values["title"], "subtitle": values["subtitle"],
            "date": str(values["date"]), "abstract": values["summary"]}
    names = [f"- [{s.name}]({s.url})" if s.url else f"- {s.name}"
             for s in statement.signatories]
    markdown = (f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n{body}\n"
                "## Signatories\n\n" + "\n".join(names) + "\n")
    pypandoc.convert_text(markdown, "docx", format="commonmark_x-smart",
                          outputfile=str(target), extra_args=[f"--resource-path={source.parent}"])


def test_round_trip_through_word_keeps_the_units(tmp_path: Path) -> None:
    """A statement built into a .docx by pandoc and imported back gives the same
    msgids, so a catalog made before still applies."""
    folder = tmp_path / "valley"
    folder.mkdir()
    _images(folder)
    source = folder / "statement.md"
    source.write_text(ROUND_TRIP, encoding="utf-8")
    _statement_to_docx(source, tmp_path / "valley.docx")
    result = import_draft(tmp_path / "valley.docx", tmp_path / "back", lang="en")
    assert result.builds, result.to_fill_in
    original, imported = load_statement(source), load_statement(result.statement)
    assert [(u.msgid, u.role) for u in iter_units(imported)] == \
        [(u.msgid, u.role) for u in iter_units(original)]
    assert [(s.name, s.url) for s in imported.signatories] == \
        [(s.name, s.url) for s in original.signatories]
    assert (imported.title, imported.date) == (original.title, original.date)


def test_the_signatory_heading_in_any_interface_language(tmp_path: Path) -> None:
    for heading in ("Signataires :", "SIGNATÁRIOS", "Signed by"):
        draft = tmp_path / "draft.docx"
        pypandoc.convert_text(f"# Le texte\n\nNous demandons.\n\n# {heading}\n\n"
                              "1. Amis de la vallée\n2. Les Marcheurs\n", "docx",
                              format="markdown", outputfile=str(draft))
        result = import_draft(draft, tmp_path / "out", date="2026-01-02", lang="fr",
                              force=True)
        statement = load_statement(result.statement)
        assert statement.title == "Le texte"
        assert [s.name for s in statement.signatories] == ["Amis de la vallée",
                                                           "Les Marcheurs"]
        assert "Marcheurs" not in result.statement.read_text(encoding="utf-8").split("---")[2]


def test_what_the_format_cannot_say_is_reported(tmp_path: Path) -> None:
    draft = tmp_path / "draft.docx"
    pypandoc.convert_text("---\ntitle: T\n---\n\n## A\n\n- item\n\n<!-- -->\n\n- two\n\n"
                          "1. a\n\n<!-- -->\n\n1. b\n\nTerm\n:   its definition\n\n"
                          "H~2~O and ~~gone~~ and $x^2$.\n",
                          "docx", format="markdown", outputfile=str(draft))
    result = import_draft(draft, tmp_path / "out", date="2026-01-02", lang="en")
    assert [n.message for n in result.notes] == [
        ("block 5 (under 'A'): a numbered list that starts again at 1 continues the list "
        "before it (from 2): Markdown cannot write two numbered lists one after the other"),
        ("block 6 (under 'A'): a definition list became paragraphs (term in bold, then its "
        "definitions)"),
        ("block 7 (under 'A'): subscript text '2' is written as plain text (the format has no "
        "such markup): check its meaning"),
        ("block 7 (under 'A'): struck-out text 'gone' is written as plain text (the format "
        "has no such markup): check its meaning"),
        ("block 7 (under 'A'): the formula 'x^{2}' is written as its TeX text (the format has "
        "no mathematics)"),
    ]
    assert result.statement.read_text(encoding="utf-8").endswith(
        "## A\n\n- item\n- two\n\n1.  a\n2.  b\n\n**Term**\n\nits definition\n\n"
        "H2O and gone and x^{2}.\n")
    assert result.builds


@pytest.mark.parametrize("name", ["draft.md", "missing.docx", "broken.docx"])
def test_a_draft_that_cannot_be_read_is_an_error_and_nothing_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    draft = tmp_path / name
    if name != "missing.docx":
        draft.write_bytes(b"PK\x03\x04 not really a zip")
    folder = tmp_path / "out"
    status = main(["import", str(draft), "--out", str(folder), "--date", "2026-01-02"])
    err = capsys.readouterr().err
    assert status == 1
    assert "Traceback" not in err and err.startswith(("error: ", f"{draft}: error: ")), err
    assert not folder.exists()
    assert [p.name for p in tmp_path.iterdir()] == ([name] if name != "missing.docx" else [])


def test_bad_options_are_errors(tmp_path: Path) -> None:
    draft = tmp_path / "d.docx"
    shutil.copyfile(_pandoc_draft(tmp_path, "docx"), draft)
    from statementpub.errors import OptionsError

    with pytest.raises(OptionsError, match="YYYY-MM-DD"):
        import_draft(draft, tmp_path / "o", date="22/04/2026")
    with pytest.raises(OptionsError, match="unknown kind"):
        import_draft(draft, tmp_path / "o", kind="letter")
    with pytest.raises(DraftImportError, match="a .docx or .odt"):
        import_draft(tmp_path / "road.png", tmp_path / "o")
    assert not (tmp_path / "o").exists()


def _str(text: str) -> list[dict]:
    words = text.split(" ")
    out: list[dict] = []
    for word in words:
        if out:
            out.append({"t": "Space"})
        out.append({"t": "Str", "c": word})
    return out


def _cell(text: str, rowspan: int = 1, colspan: int = 1) -> list:
    return [["", [], []], {"t": "AlignDefault"}, rowspan, colspan,
            [{"t": "Plain", "c": _str(text)}]]


def test_raw_code_merged_rows_nested_headings_and_captions_are_reported() -> None:
    """The walk over pandoc's AST, on blocks a reader may give (raw code from a
    reader that keeps it, a row span, a heading in a quote, a caption)."""
    from statementpub.intake.draft import _Walker

    empty = ["", [], []]
    blocks = [
        {"t": "Header", "c": [1, empty, _str("Facts")]},
        {"t": "RawBlock", "c": ["html", "<div class='box'>"]},
        {"t": "Para", "c": [*_str("See"), {"t": "Space"},
                            {"t": "RawInline", "c": ["html", "<b>"]}, *_str("this"),
                            {"t": "Space"},
                            {"t": "Link", "c": [empty, _str("below"), ["#facts", ""]]}]},
        {"t": "BlockQuote", "c": [{"t": "Header", "c": [2, empty, _str("Quoted")]}]},
        {"t": "Table", "c": [empty, [None, []],
                             [[{"t": "AlignDefault"}, {"t": "ColWidthDefault"}]] * 2,
                             [empty, [[empty, [_cell("Place"), _cell("Days")]]]],
                             [[empty, 0, [], [[empty, [_cell("North", rowspan=2),
                                                       _cell("4")]],
                                              [empty, [_cell("5")]]]]],
                             [empty, []]]},
        {"t": "Figure", "c": [empty, [None, [{"t": "Plain", "c": _str("Figure 1")}]],
                              [{"t": "Plain", "c": [{"t": "Image", "c": [
                                  empty, _str("A map"), ["/m/x.png", ""]]}]}]]},
    ]
    walker = _Walker("d.docx", {"/m/x.png": None}, None, "/m")
    out = walker.blocks(blocks)
    assert [n.message for n in walker.notes] == [
        ("block 2 (under 'Facts'): raw html code \"<div class='box'>\" was dropped (the format "
        "allows no raw markup)"),
        ("block 3 (under 'Facts'): raw html code '<b>' was dropped (the format allows no raw "
        "markup)"),
        ("block 3 (under 'Facts'): the link to '#facts' inside the draft was kept as plain "
        "text (its target's id is not kept)"),
        ("block 4 (under 'Facts'): the heading 'Quoted' inside a list, quote or note is a "
        "bold paragraph now (the format allows headings only at the top level)"),
        ("block 5 (under 'Facts'): a table's merged cells were split: the text stands in the "
        "first cell, the others are empty; check the table"),
        ("block 6 (under 'Facts'): the caption 'Figure 1' is a paragraph after the image (the "
        "format has no captions)"),
    ]
    table = out[3]["c"]
    rows = [[c[4][0]["c"][0]["c"] if c[4] else "" for c in row[1]]
            for row in table[4][0][3]]
    assert rows == [["North", "4"], ["", "5"]]
    assert walker.used == [("/m/x.png", "image-1.png")]


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "valley-intake"


def test_the_example_draft_and_export_make_a_statement_that_builds(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """examples/valley-intake: the coordinator's guide's walk-through."""
    folder = tmp_path / "valley"
    assert main(["import", str(EXAMPLE / "draft.docx"), "--out", str(folder), "--date",
                 "2026-04-22", "--lang", "en", "--kind", "joint-statement"]) == 0
    assert capsys.readouterr().err.splitlines()[-1] == \
        f"It builds: statementpub build {folder / 'statement.md'}"
    text = (folder / "statement.md").read_text(encoding="utf-8")
    # a tight list, as in Word
    assert "\n1.  No new permit until the county publishes its air study.\n2.  Dust" in text
    assert main(["signatories", "import", str(EXAMPLE / "form-export.csv"), "--map",
                 "Organisation=name,Country=country,Website=url",
                 "--out", str(folder / "signatories.csv")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == (f"wrote {folder / 'signatories.csv'}: 6 signatories from 8 rows (name, "
                       "url, country); left out 1 duplicate and 1 row without a usable name")
    # the coordinator points the statement at the spreadsheet's list
    front, body = text.split("signatories:\n", 1)
    body = body[body.index("---\n"):]
    (folder / "statement.md").write_text(f"{front}signatories: signatories.csv\n{body}",
                                         encoding="utf-8")
    statement = load_statement(folder / "statement.md")
    assert [s.country for s in statement.signatories] == ["US", "US", "US", "US", "MX", "CA"]
    build(folder / "statement.md", out_dir=tmp_path / "dist", formats=("html",))
    html = (tmp_path / "dist" / "valley.en.html").read_text(encoding="utf-8")
    assert "Colectivo Aire Limpio" in html and "<h1>Keep the Valley Breathing</h1>" in html


def test_a_text_box_pandoc_does_not_read_is_reported_with_its_text(tmp_path: Path) -> None:
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("Clean Air for the Valley", style="Title")
    paragraph = document.add_paragraph("Before the box.")
    paragraph._p.append(parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="width:200pt;'
        'height:50pt"><v:textbox><w:txbxContent><w:p><w:r><w:t>Call 555 0100 to join.</w:t>'
        "</w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"))
    document.save(str(tmp_path / "box.docx"))
    result = import_draft(tmp_path / "box.docx", tmp_path / "out", date="2026-01-02",
                          lang="en")
    assert [str(n) for n in result.notes] == [
        (f"{tmp_path / 'box.docx'}: warning: the text box 'Call 555 0100 to join.' was not "
        "read by pandoc: copy its text into statement.md where it belongs")]
