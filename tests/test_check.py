"""``statementpub check``: the conformance report for people and tools."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from statementpub.cli import main

from .conftest import example_statements


def test_check_json_reports_every_edition(capsys: pytest.CaptureFixture[str]) -> None:
    source = example_statements()[0]
    assert main(["check", str(source), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    assert [e["lang"] for e in report["editions"]] == ["en", "es"]
    assert all(e["findings"] == [] and e["fallbacks"] == 0 for e in report["editions"])
    assert any("SC 1.1.1" in item for item in report["manual_checks"])
    # nothing written beside the source
    assert not (source.parent / "dist").exists()


def test_check_counts_fallbacks_without_failing(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "statement.md").write_text(
        "---\ntitle: Rivers are commons\ndate: 2026-03-22\n---\n\nWe ask for water.\n",
        encoding="utf-8")
    (tmp_path / "statement.es.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Rivers are commons"\nmsgstr "Los ríos son bienes comunes"\n',
        encoding="utf-8")
    assert main(["check", str(tmp_path / "statement.md"), "--lang", "es"]) == 0
    out = capsys.readouterr().out
    assert "es: no findings" in out
    assert "1 passage(s) shown in the source language" in out
