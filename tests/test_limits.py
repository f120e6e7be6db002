"""Bounded work (issue 11): limits checked before anything is rendered, each with a
clear error at its line, and the long-word guard of the print HTML.

The scale measurements (time and memory against input size) are in
``benchmarks/scale.py``, not here: these tests assert what is refused and
what the renderers are given, never a duration.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from statementpub import Statement, StatementError, load_statement, render_pdf
from statementpub.edition import make_edition
from statementpub.loader import MAX_NAME_CHARS, MAX_SIGNATORIES
from statementpub.markdown import MAX_BLOCK_CHARS, MAX_BODY_CHARS, MAX_FOOTNOTES, MAX_TABLE_ROWS
from statementpub.render.formats import print_html
from statementpub.render.html import CHUNK, VERY_LONG

FRONT = "---\ntitle: A river for everyone\ndate: 2018-09-20\n"


def refused(tmp_path: Path, text: str) -> list[str]:
    source = tmp_path / "statement.md"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(StatementError) as info:
        load_statement(source)
    return [line.replace(f"{source}:", "") for line in info.value.lines()]


def accepted(tmp_path: Path, text: str) -> Statement:
    source = tmp_path / "statement.md"
    source.write_text(text, encoding="utf-8")
    return load_statement(source)


def test_signatories_beyond_the_limit_are_refused_at_the_first_one_too_many(
        tmp_path: Path) -> None:
    names = "".join(f"  - Organisation {n}\n" for n in range(MAX_SIGNATORIES + 1))
    text = FRONT + "signatories:\n" + names + "---\n\nWater for all.\n"
    assert refused(tmp_path, text) == [
        (f"{5 + MAX_SIGNATORIES}: error: {MAX_SIGNATORIES + 1:,} signatories; a statement is "
        f"limited to {MAX_SIGNATORIES:,} (publish the full list as a separate document)")]


def test_a_signatory_name_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    long = "x" * (MAX_NAME_CHARS + 1)
    text = FRONT + f"signatories:\n  - Aliso\n  - name: {long}\n---\n\nWater for all.\n"
    assert refused(tmp_path, text) == [
        (f"6: error: this signatory's name is {MAX_NAME_CHARS + 1} characters long; names are "
        f"limited to {MAX_NAME_CHARS} (put the rest in 'note')")]
    ok = FRONT + f"signatories:\n  - {'x' * MAX_NAME_CHARS}\n---\n\nWater for all.\n"
    assert len(accepted(tmp_path, ok).signatories[0].name) == MAX_NAME_CHARS


def test_a_body_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    paragraph = ("Water for all. " * 600).strip() + "\n\n"
    body = paragraph * (MAX_BODY_CHARS // len(paragraph) + 1)
    assert refused(tmp_path, FRONT + "---\n" + body) == [
        (f"5: error: the body is {len(body):,} characters long; a statement's body is limited "
        f"to {MAX_BODY_CHARS:,} (about 500 pages)")]


def test_a_block_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    words = "water " * (MAX_BLOCK_CHARS // 6 + 1)
    text = FRONT + "---\n\nFirst.\n\n" + words + "\n"
    length = len(words.strip())
    assert refused(tmp_path, text) == [
        (f"8: error: this block is {length:,} characters long; a paragraph, heading or table "
        f"cell is limited to {MAX_BLOCK_CHARS:,}: split it")]


def test_a_table_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    rows = "".join(f"| town {n} | public |\n" for n in range(MAX_TABLE_ROWS + 1))
    text = FRONT + "---\n\nFirst.\n\n| town | water |\n|---|---|\n" + rows
    assert refused(tmp_path, text) == [
        (f"8: error: this table has more than {MAX_TABLE_ROWS:,} rows: split it, or publish "
        "the data as a separate file")]
    rows = "".join(f"| town {n} | public |\n" for n in range(MAX_TABLE_ROWS - 1))
    accepted(tmp_path, FRONT + "---\n\nFirst.\n\n| town | water |\n|---|---|\n" + rows)


def test_footnotes_beyond_the_limit_are_refused(tmp_path: Path) -> None:
    count = MAX_FOOTNOTES + 1
    cites = "".join(f"Fact {n}.[^{n}]\n\n" for n in range(count))
    notes = "".join(f"[^{n}]: Source {n}.\n\n" for n in range(count))
    text = FRONT + "---\n\n" + cites + notes
    first_note = 6 + 2 * count  # the line of the first definition
    assert refused(tmp_path, text) == [
        (f"{first_note + 2 * MAX_FOOTNOTES}: error: the body has more than "
        f"{MAX_FOOTNOTES:,} footnotes (this is one too many)")]


# -- The long-word guard ------------------------------------------------------------

def _runs(html: str) -> list[str]:
    """The runs of characters without a break opportunity in the text of ``html``'s body."""
    body = html.split("<body>", 1)[1]
    text = re.sub(r"<[^>]*>", " ", body)
    return re.findall(r"[^\s\u200b]+", text)


def test_very_long_words_get_break_opportunities_in_the_print_html() -> None:
    """WeasyPrint 70 lays out a word it cannot break in time that grows with the
    square of its length (a 40 KB signatory name: 99 s). The print HTML gives
    every very long run of characters a break opportunity (a zero-width space)
    every few characters; this test fails if that guard goes."""
    word = "abcdefghij" * 4000  # 40 KB
    statement = Statement.from_mapping({
        "title": "T" * 2000, "date": "2018-09-20",
        "publisher": {"name": "P" * 2000},
        "links": [{"label": "L" * 2000, "url": "https://example.org/"}],
        "signatories": ["S" * MAX_NAME_CHARS],
        "contact": {"name": "C" * 2000, "phone": "9" * 2000},
    }, f"Before {word} after.\n\n| a |\n|---|\n| {word} |\n\nNote[^1].\n\n[^1]: {word}\n")
    html = print_html(make_edition(statement, "en"))
    longest = max(len(run) for run in _runs(html))
    assert longest <= VERY_LONG, longest
    # the words are whole once the break opportunities are taken out
    assert word in html.replace("\u200b", "")
    # the screen HTML is not touched
    from statementpub import render_html

    assert "\u200b" not in render_html(statement)


def test_a_chunk_never_splits_a_grapheme_cluster() -> None:
    from statementpub.render.html import _chunked

    word = ("e\u0301" * 7 + "\U0001f469\u200d\U0001f467") * 40
    pieces = _chunked(word).split("\u200b")
    assert len(pieces) > 1 and "".join(pieces) == word
    for piece in pieces[1:]:
        assert not piece.startswith(("\u0301", "\u200d", "\U0001f467"))
    assert all(len(piece) >= CHUNK for piece in pieces[:-1])


def test_a_long_word_reads_whole_in_the_pdf(tmp_path: Path) -> None:
    word = "abcdefghij" * 300
    statement = Statement.from_mapping({"title": "A river", "date": "2018-09-20"},
                                       f"Before {word} after.\n")
    path = tmp_path / "word.pdf"
    path.write_bytes(render_pdf(statement))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "\u200b" not in text
    # the colophon keeps the last lines with it (print.css), so the word may go on to a
    # second page: read across the footer and running head between pages
    text = re.sub(r"Page \d+ of \d+\s*\f(A river\n)?", "", text)
    assert word in text.replace("\n", "")


# -- A time limit per render ------------------------------------------------------------

def _small() -> Statement:
    return Statement.from_mapping({"title": "A river for everyone", "date": "2018-09-20",
                                   "signatories": ["Aliso Riverkeepers"]},
                                  "The river belongs to everyone.\n")


def _scratch_folders() -> set[str]:
    import tempfile

    return {p.name for p in Path(tempfile.gettempdir()).glob("statementpub-pdf-*")}


def test_a_pdf_within_its_time_limit_is_the_same_pdf() -> None:
    import multiprocessing

    before = _scratch_folders()
    statement = _small()
    assert render_pdf(statement, timeout=120) == render_pdf(statement)
    assert multiprocessing.active_children() == []
    assert _scratch_folders() <= before


def test_a_pdf_past_its_time_limit_is_stopped() -> None:
    import multiprocessing

    from statementpub.errors import RenderTimeoutError

    before = _scratch_folders()
    with pytest.raises(RenderTimeoutError, match=r"the PDF took longer than 0.01 s"):
        render_pdf(_small(), timeout=0.01)
    assert multiprocessing.active_children() == []
    assert _scratch_folders() <= before


def test_an_epub_past_its_time_limit_is_stopped() -> None:
    from statementpub import render_epub
    from statementpub.errors import RenderTimeoutError

    with pytest.raises(RenderTimeoutError, match=r"the EPUB took longer than 0.001 s"):
        render_epub(_small(), timeout=0.001)


@pytest.mark.parametrize("timeout", [0, -1, "10", True])
def test_a_time_limit_is_a_positive_number(timeout: object) -> None:
    from statementpub.errors import OptionsError

    with pytest.raises(OptionsError, match="timeout must be a number of seconds above 0"):
        render_pdf(_small(), timeout=timeout)  # type: ignore[arg-type]
