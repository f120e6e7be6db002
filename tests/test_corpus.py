"""Acceptance of issue 2 on the shared corpus statement (read from ../shared/corpus)."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest

from statementpub import load_statement, make_edition

from .conftest import corpus_statement

SLUG = "safe-third-country"
pytestmark = pytest.mark.corpus


def test_build_writes_six_files(corpus_dist: Path) -> None:
    names = sorted(p.name for p in corpus_dist.iterdir() if not p.name.startswith("."))
    assert names == [f"{SLUG}.{lang}.{ext}" for lang in ("en", "es")
                     for ext in ("epub", "html", "pdf")]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_html_edition_structure(corpus_dist: Path, lang: str) -> None:
    html = (corpus_dist / f"{SLUG}.{lang}.html").read_text(encoding="utf-8")
    assert re.search(rf'<html lang="{lang}" dir="ltr">', html)
    assert html.count("<h1") == 1
    assert html.count("<main") == 1
    assert "<script" not in html.lower()
    assert re.search(r"\son[a-z]+=", html) is None
    assert '<time datetime="2018-09-20">' in html
    other = "es" if lang == "en" else "en"
    assert f'hreflang="{other}"' in html


def _signatory_langs(html: str) -> list[str]:
    # a name in another language has its lang and dir; one in the edition's, dir="auto"
    return re.findall(r'<span class="signatory-name"(?: lang="([a-z]+)" dir="ltr"'
                      r'| dir="auto")>', html)


def test_signatories_marked_in_their_own_language(corpus_dist: Path) -> None:
    en = _signatory_langs((corpus_dist / f"{SLUG}.en.html").read_text(encoding="utf-8"))
    es = _signatory_langs((corpus_dist / f"{SLUG}.es.html").read_text(encoding="utf-8"))
    assert len(en) == len(es) == 27
    assert en.count("es") == 12 and en.count("") == 15
    assert es.count("en") == 15 and es.count("") == 12
    # the same organisations: marked in one edition exactly where unmarked in the other
    assert [bool(a) for a in en] == [not b for b in es]


def test_spanish_edition_uses_every_translation() -> None:
    statement = load_statement(corpus_statement())
    edition = make_edition(statement, "es")
    assert edition.fallbacks == ()
    assert edition.labels.date.value == "20 de septiembre de 2018"


def test_spanish_html_shows_the_localized_date(corpus_dist: Path) -> None:
    html = (corpus_dist / f"{SLUG}.es.html").read_text(encoding="utf-8")
    assert '<time datetime="2018-09-20">20 de septiembre de 2018</time>' in html
    assert "Comunicado de prensa" in html
    assert "27 firmantes" in html


@pytest.mark.parametrize("lang", ["en", "es"])
def test_epub_package(corpus_dist: Path, lang: str) -> None:
    with zipfile.ZipFile(corpus_dist / f"{SLUG}.{lang}.epub") as epub:
        first = epub.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert epub.read("mimetype") == b"application/epub+zip"
        opf = epub.read("EPUB/content.opf").decode()
        assert 'version="3.0"' in opf
        assert f"<dc:language>{lang}</dc:language>" in opf
        for prop in ("schema:accessMode", "schema:accessModeSufficient",
                     "schema:accessibilityFeature", "schema:accessibilityHazard",
                     "schema:accessibilitySummary"):
            assert f'property="{prop}"' in opf
        assert ('<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 '
                "Level AA</meta>") in opf
        # no image in this statement: alternativeText would be a false claim
        assert "alternativeText" not in opf
        for name in epub.namelist():
            if name.endswith(".xhtml"):
                text = epub.read(name).decode()
                assert re.search(rf'<html [^>]*lang="{lang}" xml:lang="{lang}"', text), name
        chapter = epub.read("EPUB/text/ch001.xhtml").decode()
        other = "es" if lang == "en" else "en"
        assert chapter.count(f'lang="{other}" xml:lang="{other}"') == (12 if lang == "en" else 15)
        assert "<section" in chapter and not re.search(r"<section[^>]* lang=", chapter)


def _struct_langs(pdf: pikepdf.Pdf) -> list[str]:
    found: list[str] = []

    def walk(node: pikepdf.Object) -> None:
        if isinstance(node, pikepdf.Dictionary):
            if "/Lang" in node and "/S" in node:
                found.append(str(node.Lang))
            kids = node.get("/K")
            if kids is not None:
                walk(kids)
        elif isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


@pytest.mark.parametrize("lang", ["en", "es"])
def test_pdf_is_tagged_pdf_ua(corpus_dist: Path, lang: str) -> None:
    with pikepdf.open(corpus_dist / f"{SLUG}.{lang}.pdf") as pdf:
        assert str(pdf.Root.Lang) == lang
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        assert str(pdf.docinfo.Title)
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert re.search(r"pdfuaid:part(>|=\")1", xmp)
        langs = _struct_langs(pdf)
        other = "es" if lang == "en" else "en"
        assert langs.count(other) >= (12 if lang == "en" else 15)


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if not p.name.startswith(".")}  # not the build manifest


def test_two_builds_in_separate_processes_are_identical(tmp_path: Path) -> None:
    source = corpus_statement()
    digests = []
    for run in ("a", "b"):
        out = tmp_path / run
        subprocess.run([sys.executable, "-m", "statementpub", "build", str(source),
                        "--lang", "en", "--lang", "es", "--out", str(out)],
                       check=True, capture_output=True)
        digests.append(_digests(out))
    assert digests[0] == digests[1]
    assert len(digests[0]) == 6
