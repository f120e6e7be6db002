"""Reference-style links (CommonMark): every unit renders and is judged with the
document's link reference definitions."""

from __future__ import annotations

from pathlib import Path

from statementpub import load_statement, make_edition, render_html

SOURCE = """\
---
title: Rivers are commons
date: 2026-03-22
---

Read [the joint letter][letter] and [the map].

[letter]: https://example.org/letter "The letter"
[the map]: https://example.org/map
"""
MSGID = "Read [the joint letter][letter] and [the map]."


def _catalog(msgstr: str) -> str:
    return ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            'msgid "Rivers are commons"\nmsgstr "Los ríos son bienes comunes"\n\n'
            f'msgid "{MSGID}"\nmsgstr "{msgstr}"\n')


def _write(tmp_path: Path, msgstr: str) -> Path:
    (tmp_path / "statement.md").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "statement.es.po").write_text(_catalog(msgstr), encoding="utf-8")
    return tmp_path / "statement.md"


def test_reference_links_render_in_source_and_translation(tmp_path: Path) -> None:
    statement = load_statement(_write(tmp_path, "Lea [la carta][letter] y [el mapa][the map]."))
    assert make_edition(statement, "es").fallbacks == ()
    assert ('<p>Read <a href="https://example.org/letter" title="The letter">the joint '
            'letter</a> and <a href="https://example.org/map">the map</a>.</p>'
            in render_html(statement, "en"))
    assert ('<p>Lea <a href="https://example.org/letter" title="The letter">la carta</a> y '
            '<a href="https://example.org/map">el mapa</a>.</p>' in render_html(statement, "es"))


def test_translation_pointing_elsewhere_falls_back(tmp_path: Path) -> None:
    statement = load_statement(_write(tmp_path, "Lea [la carta][letter] y [el mapa][letter]."))
    (fallback,) = make_edition(statement, "es").fallbacks
    assert fallback.msgid == MSGID
    assert fallback.reason == "drops link target https://example.org/map"
