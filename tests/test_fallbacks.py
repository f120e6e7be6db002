"""A partial catalog: every unusable translation is shown in the source language and
marked as such in all three formats (lang="en" in HTML and EPUB, /Lang (en) in PDF)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from statementpub import load_statement, make_edition, render_epub, render_html, render_pdf
from statementpub.pdfinspect import structure_tree

SOURCE = """\
---
title: Keep the river flowing
date: 2026-03-22
signatories:
  - Friends of the Delta
  - name: Red Ciudadana del Agua
    lang: es
---

## What we ask

The basin councils must publish every permit.

Read [the joint letter](https://example.org/letter) before Friday.

Rivers do not stop at borders.

We will meet again in June.
"""

CATALOG = """\
msgid ""
msgstr ""
"Language: es\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Keep the river flowing"
msgstr "Que el río siga corriendo"

msgid "What we ask"
msgstr ""

#, fuzzy
msgid "The basin councils must publish every permit."
msgstr "Los consejos de cuenca deben publicar cada permiso."

msgid "Read [the joint letter](https://example.org/letter) before Friday."
msgstr "Lea la carta conjunta antes del viernes."

msgid "Rivers do not stop at borders."
msgstr "Los ríos no se detienen en las fronteras."

#~ msgid "We will meet again in June."
#~ msgstr "Nos volveremos a reunir en junio."
"""

FALLBACKS = {
    "What we ask": "untranslated (empty msgstr)",
    "The basin councils must publish every permit.": "fuzzy",
    "Read [the joint letter](https://example.org/letter) before Friday.":
        "drops link target https://example.org/letter",
    "We will meet again in June.": "obsolete",
}


@pytest.fixture
def source(tmp_path: Path) -> Path:
    (tmp_path / "statement.md").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "statement.es.po").write_text(CATALOG, encoding="utf-8")
    return tmp_path / "statement.md"


def test_edition_lists_each_fallback_with_its_reason(source: Path) -> None:
    edition = make_edition(load_statement(source), "es")
    assert {fb.msgid: fb.reason for fb in edition.fallbacks} == FALLBACKS
    assert [fb.line for fb in edition.fallbacks] == [10, 12, 14, 18]


def test_html_marks_fallbacks_in_english(source: Path) -> None:
    html = render_html(load_statement(source), "es")
    assert '<h2 id="what-we-ask" lang="en" dir="ltr">What we ask</h2>' in html
    assert '<p lang="en" dir="ltr">The basin councils must publish every permit.</p>' in html
    assert ('<p lang="en" dir="ltr">Read <a href="https://example.org/letter">the joint letter</a> '
            "before Friday.</p>") in html
    assert '<p lang="en" dir="ltr">We will meet again in June.</p>' in html
    assert "<p>Los ríos no se detienen en las fronteras.</p>" in html
    assert '<h1>Que el río siga corriendo</h1>' in html
    assert '<span class="signatory-name" lang="en" dir="ltr">Friends of the Delta</span>' in html
    assert '<span class="signatory-name" dir="auto">Red Ciudadana del Agua</span>' in html


def test_epub_marks_fallbacks_in_english(source: Path) -> None:
    epub = render_epub(load_statement(source), "es")
    with zipfile.ZipFile(io.BytesIO(epub)) as archive:
        chapter = archive.read("EPUB/text/ch001.xhtml").decode("utf-8")
    assert re.search(r'<h2[^>]* lang="en"[^>]*>What we ask</h2>', chapter)
    for text in ("The basin councils must publish every permit.", "We will meet again in June."):
        assert re.search(rf'<div lang="en" xml:lang="en" dir="ltr">\s*<p>{re.escape(text)}</p>',
                         chapter)
    assert "<p>Los ríos no se detienen en las fronteras.</p>" in chapter
    assert ('<span class="signatory-name" lang="en" xml:lang="en" dir="ltr">'
            'Friends of the Delta</span>') in chapter


def _texts_with_lang(node: dict[str, object], inherited: str,
                     out: list[tuple[str, str]]) -> None:
    lang = str(node.get("lang", inherited))
    if node.get("text"):
        out.append((str(node["text"]), lang))
    for child in node.get("children", []):  # type: ignore[union-attr,attr-defined]
        _texts_with_lang(child, lang, out)


def test_pdf_marks_fallbacks_in_english(source: Path) -> None:
    tree = structure_tree(render_pdf(load_statement(source), "es"))
    assert tree["lang"] == "es"
    runs: list[tuple[str, str]] = []
    for node in tree["structure"]:  # type: ignore[union-attr]
        _texts_with_lang(node, "es", runs)
    langs: dict[str, set[str]] = {}
    for text, lang in runs:
        for word in ("What we ask", "basin councils", "joint letter", "meet again",
                     "Los ríos", "Friends of the Delta", "Red Ciudadana"):
            if word in text:
                langs.setdefault(word, set()).add(lang)
    assert langs == {"What we ask": {"en"}, "basin councils": {"en"}, "joint letter": {"en"},
                     "meet again": {"en"}, "Los ríos": {"es"}, "Friends of the Delta": {"en"},
                     "Red Ciudadana": {"es"}}
