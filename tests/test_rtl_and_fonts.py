"""Right-to-left editions and fonts for every script (issue 12, part B).

The fixture tests/fixtures/rtl/ is an English statement of statementpub's own
with a complete Arabic catalog and a signatory in each script the shipped
fonts cover. The tests do not depend on the Arabic interface wording: while
the library ships no Arabic interface catalog, a partial stand-in
(tests/fixtures/rtl/interface-ar.po) is used and the rest falls back to
English, marked as such.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from statementpub import i18n
from statementpub.errors import FontCoverageError, InterfaceLanguageError, OptionsError

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "rtl"
SOURCE = FIXTURE / "statement.md"


@pytest.fixture(scope="module", autouse=True)
def arabic_interface() -> Iterator[None]:
    """The library's Arabic interface catalog, or the stand-in when it has none."""
    with pytest.MonkeyPatch.context() as patch:
        try:
            i18n.interface("ar")
        except InterfaceLanguageError:
            original = i18n._catalog_path
            stand_in = FIXTURE / "interface-ar.po"
            patch.setattr(i18n, "_catalog_path", lambda lang: stand_in
                          if lang.split("-")[0].lower() == "ar" else original(lang))
        yield


@pytest.fixture(scope="module")
def rtl_dist(tmp_path_factory: pytest.TempPathFactory, arabic_interface: None) -> Path:
    from statementpub import build

    out = tmp_path_factory.mktemp("rtl-dist")
    build(SOURCE, langs=["en", "ar"], out_dir=out, jobs=1)
    return out


def test_direction_comes_from_cldr_in_one_place() -> None:
    from statementpub.langtags import direction

    assert [direction(t) for t in ("ar", "he", "fa", "ur", "ar-EG", "en", "es", "hi")] == \
        ["rtl", "rtl", "rtl", "rtl", "rtl", "ltr", "ltr", "ltr"]


def test_html_root_is_rtl_and_names_are_isolated(rtl_dist: Path) -> None:
    html = (rtl_dist / "valley-wells.ar.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="ar" dir="rtl">', html)
    names = dict(re.findall(r'<span class="signatory-name"([^>]*)>(?:<a [^>]*>)?([^<]+)', html))
    by_name = {name: attrs.strip() for attrs, name in names.items()}
    assert by_name["Valley Wells Network"] == 'lang="en" dir="ltr"'
    assert by_name["Red de Pozos del Valle"] == 'lang="es" dir="ltr"'
    assert by_name["רשת בארות העמק"] == 'lang="he" dir="rtl"'
    # a name in the edition's language is isolated too, its direction its own
    assert by_name["شبكة آبار الوادي"] == 'dir="auto"'
    # every element marked with another language is isolated by its direction
    for attrs in re.findall(r"<(?!html)[a-z0-9]+\b([^>]*\slang=\"[^\"]+\"[^>]*)>", html):
        assert " dir=" in attrs, attrs
    # the English edition: the same rule, nothing set to rtl but Arabic and Hebrew
    english = (rtl_dist / "valley-wells.en.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in english
    assert set(re.findall(r'lang="([a-z]+)" dir="rtl"', english)) == {"ar", "he"}


def test_html_embeds_only_the_fonts_it_uses(rtl_dist: Path) -> None:
    from statementpub import load_statement, render_html

    arabic = (rtl_dist / "valley-wells.ar.html").read_text(encoding="utf-8")
    assert arabic.count('font-family: "Noto Sans Arabic"') >= 2
    # a statement in Latin script only does not carry the other scripts' fonts
    statement = load_statement(SOURCE)
    plain = type(statement).from_mapping({"title": "Plain", "date": "2026-01-02",
                                          "signatories": ["One", "Two"]}, "Text.\n",
                                         base_dir=FIXTURE)
    html = render_html(plain)
    assert '"Noto Sans Arabic"' not in html.split("<style>")[1].split("@font-face")[-1] \
        or "fonts/NotoSansArabic" not in html
    # the four Atkinson Hyperlegible Next faces and the symbols of Noto Sans Math
    assert html.count("@font-face") == 5
    assert len(html) < 200_000


def test_epub_is_rtl_in_the_spine_and_every_content_document(rtl_dist: Path) -> None:
    with zipfile.ZipFile(rtl_dist / "valley-wells.ar.epub") as epub:
        names = epub.namelist()
        opf = epub.read("EPUB/content.opf").decode("utf-8")
        assert '<spine toc="ncx" page-progression-direction="rtl">' in opf
        documents = [n for n in names if n.endswith(".xhtml")]
        assert len(documents) >= 3
        for name in documents:
            root = re.search(r"<html\b[^>]*>", epub.read(name).decode("utf-8"))
            assert root and 'dir="rtl"' in root.group(0) and 'xml:lang="ar"' in root.group(0)
        chapter = epub.read("EPUB/text/ch001.xhtml").decode("utf-8")
        assert '<span class="signatory-name" lang="es" xml:lang="es" dir="ltr">' in chapter
        fonts = {n for n in names if n.startswith("EPUB/fonts/")}
        assert "EPUB/fonts/NotoSansArabic-Regular.woff" in fonts
        for font in fonts:
            assert f'href="{font.removeprefix("EPUB/")}"' in opf
    with zipfile.ZipFile(rtl_dist / "valley-wells.en.epub") as epub:
        assert "page-progression-direction" not in epub.read("EPUB/content.opf").decode()


def test_pdf_lang_reading_order_and_no_notdef(rtl_dist: Path) -> None:
    import pikepdf

    from statementpub.pdfinspect import PDF_CHECKS, check_structure

    pdf = (rtl_dist / "valley-wells.ar.pdf").read_bytes()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert str(doc.Root.Lang) == "ar"
        assert str(doc.Root.ViewerPreferences.Direction) == "/R2L"
        document = doc.Root.StructTreeRoot.K[0]
        assert str(document.S) == "/Document"
        assert str(document.A.WritingMode) == "/RlTb"
    assert check_structure(pdf, checks=PDF_CHECKS) == []
    with pikepdf.open(rtl_dist / "valley-wells.en.pdf") as doc:
        assert "/Direction" not in doc.Root.ViewerPreferences
        assert "/A" not in doc.Root.StructTreeRoot.K[0]
    # the text layer, in logical order: the title first, then the lede
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode("utf-8")
    assert "الوادي" in text
    assert text.index("الوادي لكل") < text.index("اثنتا عشرة")


def test_a_name_in_each_shipped_script_has_its_glyphs(tmp_path: Path) -> None:
    import pikepdf

    from statementpub import Statement, render_pdf
    from statementpub.pdfinspect import PDF_CHECKS, check_structure

    names = [("Nguyễn Thị Hương", "vi"), ("Ελληνική Ένωση", "el"), ("Союз Водников", "ru"),
             ("اتحاد المياه", "ar"), ("איגוד המים", "he"), ("जल संघ", "hi"),
             ("اتحادیه آب", "fa"), ("پانی یونین", "ur")]
    statement = Statement.from_mapping(
        {"title": "Names in every script", "date": "2026-02-03",
         "signatories": [{"name": name, "lang": lang} for name, lang in names]},
        "One paragraph.\n", base_dir=tmp_path)
    pdf = render_pdf(statement)
    assert check_structure(pdf, checks=PDF_CHECKS) == []
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode("utf-8")
    for name, lang in names:
        if lang in ("vi", "el", "ru", "hi"):
            assert name in text, name
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        fonts = {str(f.BaseFont).split("+", 1)[-1] for page in doc.pages
                 for f in page.Resources.Font.values()}
    assert {"Noto-Sans-Arabic-Bold", "Noto-Sans-Hebrew-Bold", "Noto-Sans-Devanagari-Bold",
            "Noto-Sans-Bold"} <= fonts


def test_a_character_no_font_has_is_an_error_at_its_line(tmp_path: Path) -> None:
    from statementpub import build

    source = tmp_path / "statement.md"
    source.write_text("---\ntitle: Wells\ndate: 2026-01-02\nsignatories:\n  - Valley Wells\n"
                      "  - name: 山谷水井协会\n    lang: zh\n---\n\nText.\n", encoding="utf-8")
    with pytest.raises(FontCoverageError) as caught:
        build(source, out_dir=tmp_path / "dist")
    lines = caught.value.lines()
    assert len(lines) == 6  # one per distinct character
    assert lines[0].startswith(f"{source}:6: error: [en] '山' (U+5C71 CJK UNIFIED IDEOGRAPH-5C71)")
    assert "--font FILE" in lines[0]
    assert not (tmp_path / "dist").exists() or not any((tmp_path / "dist").iterdir())


def test_a_translation_holding_it_is_named_in_the_catalog(tmp_path: Path) -> None:
    from statementpub import Statement, make_edition
    from statementpub.edition.glyphs import check_glyphs
    from statementpub.fonts import font_set

    source = tmp_path / "statement.md"
    source.write_text("---\ntitle: Wells\ndate: 2026-01-02\n---\n\nText.\n", encoding="utf-8")
    (tmp_path / "statement.es.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Wells"\nmsgstr "Pozos ✓"\n', encoding="utf-8")
    from statementpub import load_statement

    statement: Statement = load_statement(source)
    edition = make_edition(statement, "es")
    with pytest.raises(FontCoverageError) as caught:
        check_glyphs(edition, font_set())
    assert caught.value.lines()[0].startswith(f"{tmp_path / 'statement.es.po'}:6: error: [es]")


def test_a_user_font_draws_what_no_shipped_font_has(tmp_path: Path) -> None:
    from fontTools.fontBuilder import FontBuilder  # type: ignore[import-untyped]
    from fontTools.pens.ttGlyphPen import TTGlyphPen  # type: ignore[import-untyped]

    from statementpub import Statement, render_epub, render_html, render_pdf
    from statementpub.pdfinspect import check_structure

    # a font of our own with one glyph, a filled square, for U+5C71
    pen = TTGlyphPen(None)
    for x, y in ((100, 0), (100, 700), (800, 700), (800, 0)):
        (pen.moveTo if x == 100 and y == 0 else pen.lineTo)((x, y))
    pen.closePath()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "square", "space"])
    builder.setupCharacterMap({0x5C71: "square", 0x20: "space"})
    empty = TTGlyphPen(None).glyph()
    builder.setupGlyf({".notdef": empty, "square": pen.glyph(), "space": empty})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "square": (1000, 100),
                                    "space": (300, 0)})
    builder.setupHorizontalHeader(ascent=900, descent=-100)
    builder.setupNameTable({"familyName": "Test Square", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    font = tmp_path / "square.ttf"
    builder.save(str(font))

    statement = Statement.from_mapping({"title": "Mountain 山", "date": "2026-01-02"},
                                       "Text.\n", base_dir=tmp_path)
    with pytest.raises(FontCoverageError):
        render_pdf(statement)
    pdf = render_pdf(statement, fonts=[font])
    assert check_structure(pdf, checks=("notdef",)) == []
    assert "data:font/ttf;base64," in render_html(statement, fonts=[font])
    with zipfile.ZipFile(io.BytesIO(render_epub(statement, fonts=[font]))) as epub:
        assert "EPUB/fonts/user-1.ttf" in epub.namelist()
    with pytest.raises(OptionsError):
        render_pdf(statement, fonts=[tmp_path / "missing.ttf"])


def test_cli_font_option(tmp_path: Path) -> None:
    from statementpub.cli import main

    source = tmp_path / "statement.md"
    source.write_text("---\ntitle: Wells\ndate: 2026-01-02\nsignatories:\n"
                      "  - name: 山\n    lang: zh\n---\n\nText.\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["build", str(source), "--out", str(tmp_path / "d"), "--format", "html"],
                stdout=out, stderr=err) == 1
    assert f"{source}:5: error: [en] '山'" in err.getvalue()
    assert "Traceback" not in err.getvalue()


def test_stylesheets_use_logical_properties_for_what_mirrors() -> None:
    """Margins, paddings, borders and alignment that must mirror in RTL editions are
    logical (start/end), not left/right, in every stylesheet."""
    styles = Path(__file__).resolve().parent.parent / "styles"
    for name in ("base.css", "print.css", "epub.css"):
        css = re.sub(r"/\*.*?\*/", "", (styles / name).read_text(encoding="utf-8"), flags=re.S)
        physical = re.findall(r"(?:margin|padding|border)-(?:left|right)\s*:\s*[^;]+;"
                              r"|text-align:\s*(?:left|right)|float:\s*(?:left|right)", css)
        assert physical == [], (name, physical)


@pytest.mark.validators
@pytest.mark.parametrize("kind", ["epubcheck", "ace", "axe", "pdfua"])
def test_validators_find_nothing_in_the_rtl_editions(rtl_dist: Path, kind: str) -> None:
    """EPUBCheck, DAISY Ace, axe-core (1280 and 320 px, light and dark) and pdfua on
    the Arabic and English editions of the fixture (as tests/test_conformance.py)."""
    import os

    from statementpub import validate

    if not validate.available().get(kind):
        if os.environ.get("CI") == "true":
            pytest.fail(f"validator {kind} is not installed (run .ci/install-validators)")
        pytest.skip(f"validator {kind} is not installed")
    if kind == "axe":
        findings = validate.run_axe(sorted(rtl_dist.glob("*.html")), widths=(1280, 320),
                                    color_schemes=("light", "dark"))
    else:
        run = {"epubcheck": validate.run_epubcheck, "ace": validate.run_ace,
               "pdfua": validate.run_pdfua}[kind]
        suffix = ".pdf" if kind == "pdfua" else ".epub"
        findings = [f for path in sorted(rtl_dist.glob(f"*{suffix}")) for f in run(path)]
    assert findings == [], "\n".join(f"{f.rule} {f.location}: {f.message}" for f in findings)


def _lang_fonts(css: str) -> dict[str, str]:
    """``:lang(x)`` -> the first family of its rule, for every such rule of ``css``."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    chosen: dict[str, str] = {}
    for selectors, body in re.findall(r"((?::lang\([\w-]+\),?\s*)+)\{([^}]*)\}", css):
        family = re.search(r'font-family:\s*"([^"]+)"', body)
        assert family, selectors
        for tag in re.findall(r":lang\(([\w-]+)\)", selectors):
            chosen[tag] = family.group(1)
    return chosen


def test_epub_stylesheet_chooses_the_fonts_fonts_css_chooses() -> None:
    """epub.css spells out the font stacks (no custom properties in EPUB readers):
    its language rules must stay those of fonts.css, which fonts.py reads."""
    styles = Path(__file__).resolve().parent.parent / "styles"
    screen = _lang_fonts((styles / "fonts.css").read_text(encoding="utf-8"))
    epub = _lang_fonts((styles / "epub.css").read_text(encoding="utf-8"))
    assert len(screen) >= 25
    assert epub == screen


def test_recorded_character_maps_are_those_of_the_shipped_fonts() -> None:
    """styles/fonts/coverage.json holds each shipped font's character map, so that a build
    need not read the fonts (0.1 s). Refresh it after changing a font with
    ``python -c "from statementpub.fonts import write_coverage_table; write_coverage_table()"``.
    """
    import json

    from statementpub import fonts
    from statementpub.resources import styles_dir

    recorded = json.loads((styles_dir() / "fonts" / fonts.COVERAGE_FILE).read_text("utf-8"))
    assert recorded == json.loads(json.dumps(fonts.coverage_table()))
    assert {face.path.name for face in fonts.shipped_faces()} <= set(recorded["fonts"])


def test_a_font_unlike_its_record_is_read_itself(tmp_path: Path) -> None:
    """An entry whose size or hash is not the file's is ignored: the font's own cmap."""
    import json
    import shutil

    from statementpub import fonts
    from statementpub.resources import styles_dir

    source = styles_dir() / "fonts" / "NotoSansHebrew-Regular.woff"
    shutil.copy(source, tmp_path / source.name)
    table = fonts.coverage_table(tmp_path)
    entry = table["fonts"][source.name]  # type: ignore[index]
    real = frozenset(c for a, b in entry["ranges"] for c in range(a, b + 1))
    assert fonts._shipped_cmap(tmp_path / source.name) == real  # no table: read
    entry["ranges"] = [[65, 65]]
    (tmp_path / fonts.COVERAGE_FILE).write_text(json.dumps(table), encoding="utf-8")
    fonts._recorded.cache_clear()  # the file may keep its mtime within a clock tick
    assert fonts._shipped_cmap(tmp_path / source.name) == frozenset({65})  # trusted
    entry["sha256"] = "0" * 64
    (tmp_path / fonts.COVERAGE_FILE).write_text(json.dumps(table), encoding="utf-8")
    fonts._recorded.cache_clear()  # the file may keep its mtime within a clock tick
    assert fonts._shipped_cmap(tmp_path / source.name) == real  # not this file: read
