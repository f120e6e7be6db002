"""Pipe-table cells: the msgid is the cell as written (escaped pipes kept), the
rendering follows GFM (an escaped pipe is a pipe, in a code span too)."""

from __future__ import annotations

import re
from pathlib import Path

from statementpub import extract_catalog, load_statement, render_html

SOURCE = ("---\ntitle: Pipes\ndate: 2026-01-01\n---\n\n"
          "| a | b |\n|---|---|\n| c \\| d | `x \\| y` |\n")


def test_cell_msgid_keeps_escaped_pipes_and_rendering_does_not(tmp_path: Path) -> None:
    (tmp_path / "statement.md").write_text(SOURCE, encoding="utf-8")
    statement = load_statement(tmp_path / "statement.md")
    assert [e.msgid for e in extract_catalog(statement)] == [
        "Pipes", "a", "b", "c \\| d", "`x \\| y`"]
    cells = re.findall(r"<td>.*?</td>", render_html(statement))
    assert cells == ["<td>c | d</td>", "<td><code>x | y</code></td>"]
