"""``statementpub build --json``: the build report on standard output, for tools."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from statementpub.cli import main

SOURCE = """---
title: Open the wells
date: 2026-03-22
---

The wells belong to everyone.

Keep them open all year.
"""
CATALOG = r'''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: es\n"

msgid "Open the wells"
msgstr "Abran los pozos"

msgid "The wells belong to everyone."
msgstr "Los pozos son de todos."
'''


def run(argv: list[str]) -> tuple[int, dict[str, Any], str]:
    out, err = io.StringIO(), io.StringIO()
    status = main([*argv, "--json"], stdout=out, stderr=err)
    return status, json.loads(out.getvalue()), err.getvalue()


def test_the_report_names_files_coverage_and_fallbacks(tmp_path: Path) -> None:
    folder = tmp_path / "wells"
    folder.mkdir()
    source = folder / "statement.md"
    source.write_text(SOURCE, encoding="utf-8")
    (folder / "statement.es.po").write_text(CATALOG, encoding="utf-8")
    out = tmp_path / "dist"
    status, report, err = run(["build", str(source), "--lang", "en", "--lang", "es",
                               "--format", "html", "--out", str(out)])
    assert status == 0
    assert report["version"] == 1 and report["ok"] is True
    (statement,) = report["statements"]
    assert statement["source"] == str(source) and statement["slug"] == "wells"
    assert statement["files"] == [str(out / "wells.en.html"), str(out / "wells.es.html")]
    en, es = statement["editions"]
    assert (en["lang"], en["coverage"], en["fallbacks"]) == ("en", 100.0, [])
    assert es["catalog"] == str(folder / "statement.es.po")
    assert 0 < es["coverage"] < 100
    assert es["rebuilt"] == [str(out / "wells.es.html")] and es["up_to_date"] == []
    (fallback,) = es["fallbacks"]
    assert fallback["path"] == str(source) and fallback["line"] == 8
    assert fallback["msgid"] == "Keep them open all year."
    assert fallback["reason"]
    assert "[es]" in err  # the human lines still go to standard error

    # again: nothing to render, every file up to date
    status, report, _ = run(["build", str(source), "--lang", "en", "--lang", "es",
                             "--format", "html", "--out", str(out)])
    assert report["statements"][0]["editions"][1]["up_to_date"] == [str(out / "wells.es.html")]


def test_errors_carry_path_line_and_column(tmp_path: Path) -> None:
    source = tmp_path / "statement.md"
    source.write_text(SOURCE.replace("date: 2026-03-22", "date: 2026-3-22")
                      + "\n# A second title\n", encoding="utf-8")
    status, report, _ = run(["build", str(source), "--out", str(tmp_path / "dist")])
    assert status == 1 and report["ok"] is False
    (statement,) = report["statements"]
    assert statement["ok"] is False and statement["editions"] == []
    assert [(d["path"], d["line"], d["severity"]) for d in statement["diagnostics"]] == [
        (str(source), 3, "error"), (str(source), 10, "error")]
    assert all(isinstance(d["column"], int) for d in statement["diagnostics"])


def test_a_build_that_cannot_start_is_reported_too(tmp_path: Path) -> None:
    status, report, _ = run(["build", str(tmp_path / "nope.md")])
    assert status == 1
    assert report["ok"] is False and report["statements"] == []
    assert report["diagnostics"][0]["severity"] == "error"


def test_catalogs_in_progress_and_interface_fallbacks_are_reported(tmp_path: Path) -> None:
    folder = tmp_path / "wells"
    folder.mkdir()
    source = folder / "statement.md"
    source.write_text(SOURCE, encoding="utf-8")
    (folder / "statement.es.po").write_text(CATALOG, encoding="utf-8")
    out = tmp_path / "dist"
    # the Spanish catalog translates 8 of 13 words: below the threshold, not built
    status, report, _ = run(["build", str(source), "--format", "html", "--out", str(out)])
    assert status == 0
    (statement,) = report["statements"]
    assert [e["lang"] for e in statement["editions"]] == ["en"]
    assert statement["editions"][0]["word_coverage"] == 100.0
    assert statement["editions"][0]["interface_fallbacks"] == []
    (progress,) = statement["in_progress"]
    assert progress["lang"] == "es" and progress["catalog"] == str(folder / "statement.es.po")
    assert 0 < progress["word_coverage"] < 80

    # Mam: statementpub has no interface catalog for it, CLDR no data
    mam = tmp_path / "mam" / "statement.md"
    mam.parent.mkdir()
    mam.write_text(SOURCE.replace("date: 2026-03-22", "date: 2026-03-22\nlang: mam"),
                   encoding="utf-8")
    status, report, _ = run(["build", str(mam), "--format", "html", "--out", str(out)])
    assert status == 0
    (edition,) = report["statements"][0]["editions"]
    assert edition["lang"] == "mam" and edition["interface_fallbacks"]
    assert {f["lang"] for f in edition["interface_fallbacks"]} == {"en"}
    assert all(f["what"] and f["reason"] for f in edition["interface_fallbacks"])
