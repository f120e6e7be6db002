"""The command line as a coordinator meets it (issue 16): what ``build`` says it wrote
and refused, per language; mistyped options; one form for a missing file; notes that
name the statement's path; the word "passages"; ``update`` and ``status`` agreeing.

Statements are small texts written here into ``tmp_path``; only HTML is built.
"""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from statementpub import build_many, load_statement
from statementpub.cli import main
from statementpub.errors import StrictBuildError
from statementpub.units import iter_units

SOURCE = """\
---
title: Water is a right
date: 2024-03-01
signatories:
  - Río Vivo
---

## What we ask

We ask the council to keep water *public*.

Read the [full report](https://example.org/report).

We meet again in spring.
"""

SPANISH = {
    "Water is a right": "El agua es un derecho",
    "What we ask": "Lo que pedimos",
    "We ask the council to keep water *public*.":
        "Pedimos al concejo que mantenga el agua *pública*.",
    "Read the [full report](https://example.org/report).":
        "Lea el [informe completo](https://example.org/report).",
    "We meet again in spring.": "Nos vemos en primavera.",
}


def write_statement(folder: Path, translations: dict[str, str] | None = None) -> Path:
    """``folder/statement.md`` and, unless ``translations`` is None, its Spanish catalog
    (a msgid missing from ``translations`` gets an empty msgstr)."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "statement.md"
    source.write_text(SOURCE, encoding="utf-8")
    if translations is not None:
        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "es"}
        for unit in iter_units(load_statement(source)):
            po.append(polib.POEntry(msgid=unit.msgid, msgstr=translations.get(unit.msgid, "")))
        po.save(str(folder / "statement.es.po"))
    return source


def partial() -> dict[str, str]:
    """Spanish with two passages left empty (lines 8 and 14)."""
    return {k: v for k, v in SPANISH.items()
            if k not in ("What we ask", "We meet again in spring.")}


# ---- build: what was written and what was refused --------------------------------------------

def test_strict_build_of_one_statement_says_what_it_wrote_and_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_statement(tmp_path / "water", partial())
    out = tmp_path / "dist"
    # --min-coverage 0: the partial catalog is an edition (below the threshold it is not built)
    assert main(["build", str(source), "--strict", "--format", "html", "--out", str(out),
                 "--min-coverage", "0"]) == 1
    err = capsys.readouterr().err.splitlines()
    # one error per passage, each reason said once
    assert err[:2] == [
        (f"{source}:8: error: [es] Heading, level 2: untranslated (empty msgstr); "
         "the es edition is not built"),
        (f"{source}:14: error: [es] Paragraph: untranslated (empty msgstr); "
         "the es edition is not built"),
    ]
    assert not any("untranslated (untranslated" in line for line in err)
    # the summary table, for a single statement too
    table = err[err.index(next(line for line in err if line.startswith("statement "))):]
    assert table[0].split() == ["statement", "lang", "files", "passages", "in", "source",
                                "language", "result"]
    assert table[2].split() == [str(source), "en", "html", "0", "written"]
    assert table[3].split() == [str(source), "es", "-", "2", "refused", "(--strict):",
                                "nothing", "written"]
    assert table[4] == (f"statements: 0 succeeded, 1 failed; editions: 1 ready in {out}/, "
                        "1 refused")
    assert sorted(p.name for p in out.glob("*.html")) == ["water.en.html"]


def test_a_strict_refusal_keeps_the_report_of_what_was_written(tmp_path: Path) -> None:
    source = write_statement(tmp_path / "water", partial())
    (result,) = build_many([source], out_dir=tmp_path / "dist", formats=["html"], strict=True,
                           min_coverage=0)
    assert not result.ok and isinstance(result.error, StrictBuildError)
    assert result.report is not None
    assert [(e.lang, [p.name for p in e.files]) for e in result.report.editions] == [
        ("en", ["water.en.html"])]
    assert [(e.lang, e.files, [fb.line for fb in e.fallbacks])
            for e in result.report.refused] == [("es", (), [8, 14])]


def test_notes_name_the_statement_path_and_say_passages(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "batch"
    first = write_statement(folder / "alpha", partial())
    second = write_statement(folder / "beta", SPANISH)
    assert main(["build", str(folder), "--format", "html", "--out", str(tmp_path / "d"),
                 "--min-coverage", "0"]) == 0
    err = capsys.readouterr().err
    assert (f"{first}:8: note: [es] Heading, level 2 shown in the source language: "
            "untranslated (empty msgstr)") in err
    assert "\nstatement.md:8:" not in err
    assert "unit" not in err
    rows = [line.split() for line in err.splitlines() if line.startswith(str(folder))
            and ": note:" not in line]
    assert rows == [[str(first), "en", "html", "0", "written"],
                    [str(first), "es", "html", "2", "written"],
                    [str(second), "en", "html", "0", "written"],
                    [str(second), "es", "html", "0", "written"]]


# ---- usage errors ----------------------------------------------------------------------------

@pytest.mark.parametrize("argv,usage,hint", [
    (["build", "--stirct", "x.md"], "usage: statementpub build ",
     "statementpub build: error: unrecognized arguments: --stirct (did you mean --strict?)"),
    (["status", "x.md", "--jsn"], "usage: statementpub status ",
     "statementpub status: error: unrecognized arguments: --jsn (did you mean --json?)"),
    (["update", "x.md", "--lang", "es", "--no-fuzy-matching"], "usage: statementpub update ",
     "(did you mean --no-fuzzy-matching?)"),
    (["biuld", "x.md"], "usage: statementpub ", "did you mean 'build'?"),
])
def test_a_mistyped_option_names_the_closest_in_the_command_usage(
        argv: list[str], usage: str, hint: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(usage)
    assert hint in err


# ---- one form for a missing file -----------------------------------------------------------

@pytest.mark.parametrize("command,message", [
    (["build"], "no such file or folder"),
    (["status"], "no such file"),
    (["update", "--lang", "es"], "no such file"),
    (["extract"], "no such file"),
])
def test_a_missing_file_is_path_colon_error_everywhere(
        tmp_path: Path, command: list[str], message: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.md"
    argv = [command[0], str(missing), *command[1:]]
    if command[0] == "build":
        argv += ["--out", str(tmp_path / "d")]
    assert main(argv) == 1
    assert capsys.readouterr().err == f"{missing}: error: {message}\n"


# ---- update and status count alike -----------------------------------------------------------

def test_update_counts_as_status_does(tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    translations = partial()
    # a translation that drops its link target is not usable: status says so, update too
    translations["Read the [full report](https://example.org/report)."] = (
        "Lea el [informe completo](https://example.org/otro).")
    source = write_statement(tmp_path / "water", translations)
    assert main(["update", str(source), "--lang", "es"]) == 0
    catalog = source.with_name("statement.es.po")
    assert capsys.readouterr().err == (f"updated {catalog}: 2 translated, 0 fuzzy, "
                                       "2 untranslated, 1 unusable, 0 obsolete\n")
    assert main(["status", str(source)]) == 0
    out = capsys.readouterr().out.splitlines()
    # units, words, word coverage and whether it would be published (the threshold is 80%)
    assert out[1].split() == ["es", "2", "0", "2", "1", "0", "2/5", "12/24", "50.0%", "no"]
    # the passages name the source and the catalog as given on the command line
    assert out[2] == f"{source}:8: [es] Heading, level 2: untranslated (empty msgstr) " \
                     f"({catalog}:{out[2].rsplit(':', 1)[1]}"
