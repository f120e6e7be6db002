"""Every language a coalition writes in (issue 12, part A): any valid BCP 47 tag
builds, with interface and CLDR fallbacks marked and reported; the publishing
threshold; interface catalogs for German and Arabic and from a folder given by
the user; bidirectional controls; catalog charsets (STATEMENT_FORMAT.md, "The
file" and "Editions and catalogs", and its "Changes" of 2026-12).

``mam`` (Mam) is in the IANA registry and not in CLDR; ``quc`` (K'iche') is in
CLDR, with month names but no names of most countries; ``ht`` has no month
names of its own in CLDR. statementpub has no interface catalog for any of them.
"""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import polib
import pytest

import statementpub
from statementpub import load_statement, make_edition, render_html
from statementpub.catalogs import read_catalog
from statementpub.cli import main
from statementpub.coverage import Coverage, measure, word_count
from statementpub.errors import CatalogError, OptionsError, StatementError, StrictBuildError
from statementpub.i18n import interface
from statementpub.langtags import normalize_lang, registry_name
from statementpub.pdfinspect import structure_tree
from statementpub.translate import catalog_status
from statementpub.units import iter_units

STATEMENT = """\
---
title: Keep the river flowing
date: 2024-03-22
kind: joint-statement
summary: |
  We ask the council to protect the river.
links:
  - label: Read the full letter
    url: https://example.org/letter
signatories:
  - name: Acme Water Group
    country: MX
  - name: Río Vivo
    lang: es
    country: GT
---

## What we ask

Stop the dam and publish [every permit](https://example.org/permits).
"""

#: the units of STATEMENT and their words: 4 + 8 + 4 + 3 + 7 = 26
UNIT_WORDS = {
    "Keep the river flowing": 4,
    "We ask the council to protect the river.": 8,
    "Read the full letter": 4,
    "What we ask": 3,
    "Stop the dam and publish [every permit](https://example.org/permits).": 7,
}


def _po(lang: str, translations: dict[str, str], *, charset: str = "UTF-8") -> polib.POFile:
    po = polib.POFile(wrapwidth=79)
    po.metadata = {"Language": lang, "MIME-Version": "1.0",
                   "Content-Type": f"text/plain; charset={charset}",
                   "Content-Transfer-Encoding": "8bit"}
    for msgid in UNIT_WORDS:
        po.append(polib.POEntry(msgid=msgid, msgstr=translations.get(msgid, "")))
    return po


def _marked(msgid: str) -> str:
    """A stand-in translation: ``MAM`` before the msgid (link targets unchanged)."""
    return f"MAM {msgid}"


@pytest.fixture()
def river(tmp_path: Path) -> Path:
    folder = tmp_path / "river"
    folder.mkdir()
    source = folder / "statement.md"
    source.write_text(STATEMENT, encoding="utf-8")
    return source


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# -- language tags ------------------------------------------------------------------------


def test_any_registered_tag_is_valid_and_unregistered_ones_are_not() -> None:
    assert normalize_lang("mam") == "mam"  # in the IANA registry, not in CLDR
    assert normalize_lang("QUC") == "quc"
    assert normalize_lang("mam-gt") == "mam-GT"
    assert normalize_lang("es_mx") == "es-MX"
    assert normalize_lang("xx") is None
    assert normalize_lang("sp") is None
    assert registry_name("mam") == "Mam"


# -- interface strings and CLDR data ----------------------------------------------------------


def test_interface_strings_fall_back_to_the_source_language_then_english() -> None:
    spanish = interface("mam", fallback="es").gettext("Signatories")
    assert (spanish.value, spanish.lang) == ("Firmantes", "es")
    assert spanish.reason == "statementpub has no interface catalog for 'mam'"
    english = interface("mam", fallback="en").gettext("Signatories")
    assert (english.value, english.lang) == ("Signatories", "en")
    # a source language statementpub has no catalog for: English
    assert interface("mam", fallback="quc").gettext("Signatories").lang == "en"
    # the plural rule is the fallback language's, as the text is in it
    assert interface("mam", fallback="es").ngettext(
        "%(n)d signatory", "%(n)d signatories", 1).value == "1 firmante"
    # a language with a catalog has no reason
    assert interface("fr", fallback="es").gettext("Signatories").reason is None


def test_cldr_data_falls_back_where_cldr_has_none() -> None:
    import datetime as dt

    day = dt.date(2024, 3, 22)
    mam = interface("mam", fallback="es")
    assert (mam.date(day).value, mam.date(day).lang) == ("22 de marzo de 2024", "es")
    assert mam.date(day).reason == "CLDR has no dates for 'mam'"
    assert (mam.territory_name("MX").value, mam.territory_name("MX").lang) == ("México", "es")
    # K'iche' has month names of its own in CLDR, and names Guatemala but not Mexico
    quc = interface("quc", fallback="en")
    assert quc.date(day).lang == "quc" and quc.date(day).reason is None
    assert quc.territory_name("GT").lang == "quc"
    assert quc.territory_name("MX").lang == "en"
    # Haitian Creole: CLDR's month names are root's ("M03"), not the language's
    ht = interface("ht", fallback="en").date(day)
    assert (ht.value, ht.lang) == ("March 22, 2024", "en")
    # names of editions: the autonym, else the English name, marked en
    assert interface("quc").language_name("quc").lang == "quc"
    name = interface("mam").language_name("mam")
    assert (name.value, name.lang) == ("Mam", "en")


@pytest.mark.parametrize("lang,signatories,count,kind", [
    ("de", "Unterzeichnende", "2 Unterschriften", "Gemeinsame Erklärung"),
    ("ar", "الموقّعون", "موقّعان", "بيان مشترك"),
])
def test_german_and_arabic_interfaces(river: Path, lang: str, signatories: str, count: str,
                                      kind: str) -> None:
    river.with_name(f"statement.{lang}.po").write_bytes(
        _po(lang, {m: _marked(m) for m in UNIT_WORDS}).__unicode__().encode("utf-8"))
    edition = make_edition(load_statement(river), lang)
    assert (edition.labels.signatories.value, edition.labels.signatories.lang) == (
        signatories, lang)
    assert edition.labels.signatory_count.value == count
    assert edition.labels.kind.value == kind
    assert edition.interface_fallbacks == ()


def test_arabic_has_six_plural_forms() -> None:
    catalog = read_catalog(Path(statementpub.__file__).resolve().parents[2] / "locales" / "ar"
                           / "LC_MESSAGES" / "statementpub.po")
    assert catalog.metadata["Plural-Forms"] == (
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
        ": n%100>=11 ? 4 : 5);")
    ui = interface("ar")
    shown = {n: ui.ngettext("%(n)d signatory", "%(n)d signatories", n).value
             for n in (0, 1, 2, 3, 11, 100, 103)}
    assert shown == {0: "0 موقّع", 1: "موقّع واحد", 2: "موقّعان", 3: "3 موقّعين",
                     11: "11 موقّعًا", 100: "100 موقّع", 103: "103 موقّعين"}


# -- any language builds ------------------------------------------------------------------------


def _strip_nav(html: str) -> str:
    return "\n".join(line for line in html.splitlines()
                     if "hreflang" not in line and "class=\"editions\"" not in line)


def test_a_language_without_interface_catalog_does_not_affect_the_others(
        river: Path, tmp_path: Path) -> None:
    es = _po("es", {m: f"ES {m}" for m in UNIT_WORDS})
    river.with_name("statement.es.po").write_text(es.__unicode__(), encoding="utf-8")
    code, _, err = _cli("build", str(river), "--out", str(tmp_path / "before"),
                        "--format", "html")
    assert code == 0, err
    river.with_name("statement.mam.po").write_text(
        _po("mam", {m: _marked(m) for m in UNIT_WORDS}).__unicode__(), encoding="utf-8")
    code, _, err = _cli("build", str(river), "--out", str(tmp_path / "after"),
                        "--format", "html")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "after").glob("*.html")) == [
        "river.en.html", "river.es.html", "river.mam.html"]
    for lang in ("en", "es"):
        before = (tmp_path / "before" / f"river.{lang}.html").read_text(encoding="utf-8")
        after = (tmp_path / "after" / f"river.{lang}.html").read_text(encoding="utf-8")
        assert _strip_nav(before) == _strip_nav(after)  # only the link to Mam is new
        assert 'hreflang="mam" lang="en" dir="ltr">Mam</a>' in after
    assert "statement.md: note: [mam] 18 interface texts shown in en and marked so: " \
           "statementpub has no interface catalog for 'mam'" in err
    assert "[mam] the date shown in en and marked so: CLDR has no dates for 'mam'" in err


class _Texts(HTMLParser):
    """Every text of an HTML or XHTML document with the language it is in (the
    nearest ``lang``), the document's head left out; alt and aria-label too."""

    VOID = {"img", "meta", "link", "br", "hr", "input", "source", "col", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []
        self.texts: list[tuple[str, str]] = []
        self.head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang") or values.get("xml:lang") or \
            (self.stack[-1][1] if self.stack else "")
        if tag == "head":
            self.head = True
        for name in ("alt", "aria-label"):
            if values.get(name) and not self.head:
                self.texts.append((str(values[name]), str(lang)))
        if tag not in self.VOID:
            self.stack.append((tag, str(lang)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.head = False
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.head and self.stack and re.search(r"[^\W\d_]", data):
            self.texts.append((data.strip(), self.stack[-1][1]))


def _unmarked(texts: list[tuple[str, str]], lang: str) -> list[str]:
    """The texts that claim to be in ``lang`` but are not (part of) a translation
    ("MAM ...", or a link's text inside one)."""
    translations = [_marked(msgid) for msgid in UNIT_WORDS]
    return [text for text, in_lang in texts
            if in_lang == lang and not any(text in t for t in translations)]


def test_named_language_builds_with_every_interface_text_marked(
        river: Path, tmp_path: Path) -> None:
    river.with_name("statement.mam.po").write_text(
        _po("mam", {m: _marked(m) for m in UNIT_WORDS}).__unicode__(), encoding="utf-8")
    out = tmp_path / "dist"
    code, _, err = _cli("build", str(river), "--lang", "mam", "--min-coverage", "0",
                        "--out", str(out))
    assert code == 0, err
    html = (out / "river.mam.html").read_text(encoding="utf-8")
    assert '<html lang="mam"' in html
    parser = _Texts()
    parser.feed(html)
    assert ("Joint statement", "en") in parser.texts
    assert ("Signatories", "en") in parser.texts
    assert ("Mexico", "en") in [(t.strip("()"), lang) for t, lang in parser.texts]
    assert _unmarked(parser.texts, "mam") == []
    # EPUB: every content document and the navigation document
    with zipfile.ZipFile(out / "river.mam.epub") as epub:
        for name in epub.namelist():
            if name.endswith(".xhtml"):
                doc = _Texts()
                doc.feed(epub.read(name).decode("utf-8"))
                assert _unmarked(doc.texts, "mam") == [], name
        opf = epub.read("EPUB/content.opf").decode("utf-8")
        assert '<meta property="schema:accessibilitySummary" xml:lang="en">' in opf
    # PDF: /Lang on the structure elements
    tree = structure_tree((out / "river.mam.pdf").read_bytes())
    assert tree["lang"] == "mam"
    found: list[tuple[str, str]] = []

    def walk(node: dict[str, Any], lang: str) -> None:
        lang = node.get("lang", lang)
        # print shows a link's URL after its text: " (https://...)"
        text = re.sub(r" \(https?://[^)]*\)", "", node.get("text", ""))
        if re.search(r"[^\W\d_]", text):
            found.append((text, lang))
        for child in node.get("children", []):
            walk(child, lang)

    for node in tree["structure"]:
        walk(node, tree["lang"])
    assert ("Signatories", "en") in found
    assert _unmarked(found, "mam") == []


def test_a_language_named_below_the_threshold_is_built_with_a_note(
        river: Path, tmp_path: Path) -> None:
    river.with_name("statement.mam.po").write_text(
        _po("mam", {"What we ask": "MAM What we ask"}).__unicode__(), encoding="utf-8")
    code, _, err = _cli("build", str(river), "--lang", "mam", "--out", str(tmp_path),
                        "--format", "html")
    assert code == 0, err
    assert (tmp_path / "river.mam.html").is_file()
    assert "statement.md: note: [mam] built as asked although only 11.5% of words (3/26), " \
           "1/5 units are translated (below 80.0%)" in err


def test_strict_refuses_an_edition_with_interface_fallbacks(river: Path, tmp_path: Path) -> None:
    river.with_name("statement.mam.po").write_text(
        _po("mam", {m: _marked(m) for m in UNIT_WORDS}).__unicode__(), encoding="utf-8")
    code, _, err = _cli("build", str(river), "--lang", "en", "--lang", "mam", "--strict",
                        "--out", str(tmp_path), "--format", "html")
    assert code == 1
    assert not (tmp_path / "river.mam.html").exists()
    assert (tmp_path / "river.en.html").is_file()
    assert "[mam] the label 'Signatories' shown in en (statementpub has no interface " \
           "catalog for 'mam'): the mam edition is not built" in err
    with pytest.raises(StrictBuildError):
        statementpub.build(river, langs=["mam"], strict=True, out_dir=tmp_path / "api",
                           formats=["html"])


def test_interface_catalogs_from_a_folder(river: Path, tmp_path: Path) -> None:
    river.with_name("statement.mam.po").write_text(
        _po("mam", {m: _marked(m) for m in UNIT_WORDS}).__unicode__(), encoding="utf-8")
    folder = tmp_path / "ui"
    folder.mkdir()
    ui = polib.POFile()
    ui.metadata = {"Language": "mam", "Content-Type": "text/plain; charset=UTF-8"}
    ui.append(polib.POEntry(msgid="Signatories", msgstr="Aj tzʼibʼil"))
    (folder / "mam.po").write_text(ui.__unicode__(), encoding="utf-8")
    html = render_html(load_statement(river), "mam", interface_catalogs=folder)
    assert '<h2 id="signatories-heading">Aj tzʼibʼil</h2>' in html
    assert '<p class="kind" lang="en" dir="ltr">Joint statement</p>' in html  # not in the folder
    out = tmp_path / "dist"
    code, _, err = _cli("build", str(river), "--lang", "mam", "--interface-catalogs",
                        str(folder), "--out", str(out), "--format", "html")
    assert code == 0, err
    assert "Aj tzʼibʼil" in (out / "river.mam.html").read_text(encoding="utf-8")
    assert "the label 'Signatories'" not in err
    with pytest.raises(OptionsError):
        render_html(load_statement(river), "mam", interface_catalogs=tmp_path / "missing")
    code, _, err = _cli("build", str(river), "--interface-catalogs", str(tmp_path / "nope"),
                        "--out", str(out))
    assert code == 1 and "does not exist" in err


# -- the publishing threshold --------------------------------------------------------------------


def test_words_are_counted_in_the_visible_text(river: Path) -> None:
    assert word_count("Stop the dam, now!") == 4
    assert word_count("farmers’ unions and co-operatives") == 4
    assert word_count("水は権利") == 4
    statement = load_statement(river)
    units = list(iter_units(statement))
    assert [u.msgid for u in units] == list(UNIT_WORDS)
    coverage = measure(units, ["What we ask", "Keep the river flowing"])
    assert coverage == Coverage(7, 26, 2, 5)
    assert coverage.shown() == "26.9% of words (7/26), 2/5 units"


def test_the_threshold_has_po4a_keep_semantics() -> None:
    assert not Coverage(8, 10, 1, 2).below(80)  # exactly the threshold is published
    assert Coverage(7999, 10000, 1, 2).below(80)
    assert not Coverage(0, 10, 0, 2).below(0)  # 0 publishes every catalog
    assert Coverage(7999, 10000, 1, 2).shown().startswith("79.9%")  # never rounds up to 80


def test_a_fresh_catalog_is_not_published(river: Path, tmp_path: Path) -> None:
    code, _, err = _cli("update", str(river), "--lang", "mam")
    assert code == 0, err
    out = tmp_path / "dist"
    code, _, err = _cli("build", str(river), "--out", str(out))
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "river.en.epub", "river.en.html", "river.en.pdf"]
    assert 'hreflang="mam"' not in (out / "river.en.html").read_text(encoding="utf-8")
    lines = [line for line in err.splitlines() if "mam" in line]
    assert lines == [(f"{river}: note: [mam] translation in progress, not published: "
                      "0.0% of words (0/26), 0/5 units translated, below 80.0% "
                      "(--min-coverage)")]
    report = statementpub.build(river, out_dir=tmp_path / "api", formats=["html"])
    assert [(p.lang, p.coverage.words) for p in report.in_progress] == [("mam", 0)]
    assert [e.lang for e in report.editions] == ["en"]


def test_the_threshold_can_be_set(river: Path, tmp_path: Path) -> None:
    # 12 of 26 words: 46.15%
    river.with_name("statement.mam.po").write_text(_po("mam", {
        "Keep the river flowing": "MAM Keep the river flowing",
        "We ask the council to protect the river.": "MAM We ask the council."}
    ).__unicode__(), encoding="utf-8")
    kept = statementpub.build(river, out_dir=tmp_path / "a", formats=["html"],
                              min_coverage=46)
    assert [e.lang for e in kept.editions] == ["en", "mam"]
    assert kept.editions[1].coverage == Coverage(12, 26, 2, 5)
    dropped = statementpub.build(river, out_dir=tmp_path / "b", formats=["html"],
                                 min_coverage=46.2)
    assert [e.lang for e in dropped.editions] == ["en"]
    with pytest.raises(OptionsError):
        statementpub.build(river, out_dir=tmp_path / "c", min_coverage=101)
    code, _, err = _cli("build", str(river), "--min-coverage", "0", "--out",
                        str(tmp_path / "d"), "--format", "html")
    assert code == 0 and (tmp_path / "d" / "river.mam.html").is_file()


def test_status_shows_words_units_and_publication(river: Path) -> None:
    river.with_name("statement.mam.po").write_text(
        _po("mam", {"What we ask": "MAM What we ask"}).__unicode__(), encoding="utf-8")
    code, out, _ = _cli("status", str(river))
    assert code == 0
    assert out.splitlines()[1].split() == ["mam", "1", "0", "4", "0", "0", "1/5", "3/26",
                                           "11.5%", "no"]
    [status] = catalog_status(load_statement(river), min_coverage=10)
    assert (status.words, status.total_words, status.word_coverage, status.published) == (
        3, 26, 11.5, True)


# -- bidirectional controls ----------------------------------------------------------------------


def _load_error(river: Path, text: str) -> list[str]:
    river.write_text(text, encoding="utf-8")
    with pytest.raises(StatementError) as info:
        load_statement(river)
    return [str(d) for d in info.value.diagnostics]


def test_embeddings_and_overrides_are_errors_at_their_line(river: Path) -> None:
    spoofed = STATEMENT.replace("Acme Water Group", "Acme \u202eGroup Water")
    errors = _load_error(river, spoofed.replace("## What we ask", "## What \u202awe ask")
                         + "A closing line \u202d\n")
    spoofing = ("which can make text display otherwise than it reads: remove it "
                "(statementpub isolates names and passages in another direction itself)")
    where = "the line holds the bidirectional control character"
    assert errors == [
        f"{river}:11: error: {where} U+202E (RIGHT-TO-LEFT OVERRIDE), {spoofing}",
        f"{river}:18: error: {where} U+202A (LEFT-TO-RIGHT EMBEDDING), {spoofing}",
        f"{river}:21: error: {where} U+202D (LEFT-TO-RIGHT OVERRIDE), {spoofing}",
    ]
    with pytest.raises(StatementError) as info:
        statementpub.Statement.from_mapping(
            {"title": "Water \u202b", "date": "2024-01-01"}, "Body.")
    assert "U+202B" in info.value.diagnostics[0].message
    assert info.value.diagnostics[0].field == "title"


def test_isolates_must_be_balanced_within_a_value_or_block(river: Path) -> None:
    balanced = STATEMENT.replace("Río Vivo", "Río \u2067Vivo\u2069").replace(
        "Stop the dam", "Stop \u2066the\ndam\u2069")
    river.write_text(balanced, encoding="utf-8")
    assert load_statement(river).signatories[1].name == "Río \u2067Vivo\u2069"
    # marks are allowed
    river.write_text(STATEMENT.replace("Río Vivo", "Río\u200f Vivo\u200e\u061c"),
                     encoding="utf-8")
    load_statement(river)
    errors = _load_error(river, STATEMENT.replace("Río Vivo", "Río \u2068Vivo").replace(
        "Stop the dam", "Stop the\ndam \u2069 now"))
    unclosed = (f"{river}:13: error: 'signatories[1].name' holds the bidirectional "
                "control character U+2068 (FIRST STRONG ISOLATE), which is not closed by "
                "U+2069 (POP DIRECTIONAL ISOLATE) in the same value or block: remove it "
                "(statementpub isolates names and passages in another direction itself)")
    closes_nothing = (f"{river}:21: error: the text holds the bidirectional control "
                      "character U+2069 (POP DIRECTIONAL ISOLATE), which closes no isolate: "
                      "balance or remove it")
    assert errors == [unclosed, closes_nothing]


def test_a_msgstr_with_bidi_controls_is_not_usable(river: Path) -> None:
    po = _po("es", {"What we ask": "Lo que \u202epedimos", "Read the full letter":
                    "Lee la carta \u2067completa", "Keep the river flowing":
                    "Que el río \u2067siga\u2069 fluyendo"})
    edition = make_edition(load_statement(river), "es", po)
    reasons = {fb.msgid: fb.reason for fb in edition.fallbacks}
    assert reasons["What we ask"].startswith(
        "contains the bidirectional control character U+202E (RIGHT-TO-LEFT OVERRIDE)")
    assert reasons["Read the full letter"].startswith(
        "contains the bidirectional control character U+2067 (RIGHT-TO-LEFT ISOLATE), "
        "which is not closed")
    assert "Keep the river flowing" not in reasons
    assert edition.title.value == "Que el río \u2067siga\u2069 fluyendo"


# -- catalog charsets ------------------------------------------------------------------------------


LATIN1 = """\
msgid ""
msgstr ""
"Language: es\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=ISO-8859-1\\n"
"Content-Transfer-Encoding: 8bit\\n"

msgid "What we ask"
msgstr "Qué pedimos"

msgid "Keep the river flowing"
msgstr "Que el río siga fluyendo"
"""


def test_a_catalog_is_read_in_its_declared_charset(river: Path, tmp_path: Path) -> None:
    path = river.with_name("statement.es.po")
    path.write_bytes(LATIN1.encode("iso-8859-1"))
    po = read_catalog(path)
    assert po.encoding == "ISO-8859-1"
    edition = make_edition(load_statement(river), "es")
    assert edition.title.value == "Que el río siga fluyendo"
    # not valid in the charset it declares: the line and the charset
    path.write_bytes(LATIN1.replace("ISO-8859-1", "ASCII").encode("iso-8859-1"))
    with pytest.raises(CatalogError) as info:
        read_catalog(path)
    assert str(info.value.diagnostics[0]) == (
        f"{path}:9: error: the catalog is not valid ASCII (the charset its header "
        "declares): byte 0xe9")
    path.write_bytes(LATIN1.replace("ISO-8859-1", "KLINGON").encode("iso-8859-1"))
    with pytest.raises(CatalogError) as info:
        read_catalog(path)
    assert info.value.diagnostics[0].line == 5 and "'KLINGON'" in info.value.message
    # no charset declared: UTF-8
    path.write_bytes(LATIN1.replace("; charset=ISO-8859-1", "").encode("iso-8859-1"))
    with pytest.raises(CatalogError) as info:
        read_catalog(path)
    assert "not valid UTF-8 (no charset is declared)" in info.value.message


def test_update_writes_utf8_and_says_it_converted(river: Path) -> None:
    path = river.with_name("statement.es.po")
    path.write_bytes(LATIN1.encode("iso-8859-1"))
    code, _, err = _cli("update", str(river), "--lang", "es")
    assert code == 0, err
    assert f"updated {path}: converted from ISO-8859-1 to UTF-8; 2 translated" in err
    data = path.read_bytes()
    assert b"charset=UTF-8" in data and "Qué pedimos".encode() in data
    code, _, err = _cli("update", str(river), "--lang", "es")
    assert err == f"{path}: up to date\n"


def test_a_changed_interface_catalog_rebuilds(river: Path, tmp_path: Path) -> None:
    river.with_name("statement.mam.po").write_text(
        _po("mam", {m: _marked(m) for m in UNIT_WORDS}).__unicode__(), encoding="utf-8")
    folder = tmp_path / "ui"
    folder.mkdir()
    ui = polib.POFile()
    ui.metadata = {"Language": "mam", "Content-Type": "text/plain; charset=UTF-8"}
    entry = polib.POEntry(msgid="Signatories", msgstr="Aj tzʼibʼil")
    ui.append(entry)
    (folder / "mam.po").write_text(ui.__unicode__(), encoding="utf-8")
    out = tmp_path / "dist"
    options = {"langs": ["mam"], "out_dir": out, "formats": ["html"],
               "interface_catalogs": folder}
    assert statementpub.build(river, **options).rebuilt  # type: ignore[arg-type]
    assert not statementpub.build(river, **options).rebuilt  # type: ignore[arg-type]
    entry.msgstr = "Aj tzʼibʼil kyeʼ"
    (folder / "mam.po").write_text(ui.__unicode__(), encoding="utf-8")
    assert statementpub.build(river, **options).rebuilt  # type: ignore[arg-type]
    assert "Aj tzʼibʼil kyeʼ" in (out / "river.mam.html").read_text(encoding="utf-8")


def test_check_names_the_catalogs_it_did_not_check(river: Path) -> None:
    from statementpub.check import check

    river.with_name("statement.mam.po").write_text(_po("mam", {}).__unicode__(),
                                                   encoding="utf-8")
    report = check(river)
    assert [e.lang for e in report.editions] == ["en"]
    assert report.not_published == (("mam: translation in progress, not published (0.0% "
                                      "of words (0/26), 0/5 units translated)"),)


def test_an_interface_string_with_a_bidi_override_is_not_used(tmp_path: Path) -> None:
    ui = polib.POFile()
    ui.metadata = {"Language": "mam", "Content-Type": "text/plain; charset=UTF-8"}
    ui.append(polib.POEntry(msgid="Signatories", msgstr="Aj \u202etzʼibʼil"))
    ui.append(polib.POEntry(msgid="Notes", msgstr="Techʼ"))
    (tmp_path / "mam.po").write_text(ui.__unicode__(), encoding="utf-8")
    mam = interface("mam", fallback="es", catalogs=tmp_path)
    assert mam.gettext("Notes").value == "Techʼ"
    assert (mam.gettext("Signatories").value, mam.gettext("Signatories").lang) == (
        "Firmantes", "es")
