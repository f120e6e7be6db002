"""Broken and hostile statements through the command line: one clear error, nothing written.

Each folder under ``fixtures/hostile/`` is one case: a ``statement.md`` (and a
catalog where the case needs one) and ``expected.txt``, the exact first line
the build prints on standard error, with ``{dir}`` standing for the case's
folder. The case is copied to a temporary folder and built with
``statementpub build <dir>/statement.md --out <tmp>/out``; the build must exit
with 1, print that line first and no traceback, and write nothing.

What a text fixture cannot hold is made when the case is copied:

* a control picture (U+2400 to U+241F, such as ``␇``) becomes the control
  character it pictures (U+0007);
* ``not-utf8``: the file is written in Latin-1;
* ``image-symlink``: ``escape.png`` is a symbolic link to a PNG outside the folder;
* ``catalog-symlink``: ``statement.es.po`` is a symbolic link to a well-formed
  catalog outside the folder;
* next to every case folder lies ``outside.png``, a real image, so that a path
  escaping the folder is refused for escaping, not for a missing file.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from statementpub import build, load_statement
from statementpub.cli import main

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
PIXEL = Path(__file__).parent / "fixtures" / "validate" / "pixel.png"
CASES = sorted(p.name for p in HOSTILE.iterdir() if (p / "expected.txt").is_file())

_CONTROL_PICTURE = re.compile("[\u2400-\u241f]")


def prepare(name: str, tmp_path: Path) -> Path:
    """Copy case ``name`` to ``tmp_path/<name>`` and make what the fixture cannot hold."""
    case = tmp_path / name
    shutil.copytree(HOSTILE / name, case, ignore=shutil.ignore_patterns("expected.txt"))
    shutil.copyfile(PIXEL, tmp_path / "outside.png")
    for path in case.rglob("*"):
        if path.is_file() and path.suffix in (".md", ".po"):
            text = path.read_text(encoding="utf-8")
            fixed = _CONTROL_PICTURE.sub(lambda m: chr(ord(m.group(0)) - 0x2400), text)
            if fixed != text:
                path.write_text(fixed, encoding="utf-8", newline="")
    if name == "not-utf8":
        source = case / "statement.md"
        source.write_bytes(source.read_text(encoding="utf-8").encode("latin-1"))
    if name == "image-symlink":
        os.symlink(tmp_path / "outside.png", case / "escape.png")
    if name == "catalog-symlink":
        (tmp_path / "outside.po").write_text(
            'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            'msgid "A river for everyone"\nmsgstr "Un río para todos"\n', encoding="utf-8")
        os.symlink(tmp_path / "outside.po", case / "statement.es.po")
    return case


def run_build(source: Path, out: Path, capsys: pytest.CaptureFixture[str],
              *extra: str) -> tuple[int, str]:
    status = main(["build", str(source), "--out", str(out), *extra])
    captured = capsys.readouterr()
    return status, captured.err


def test_every_case_has_its_files() -> None:
    folders = sorted(p.name for p in HOSTILE.iterdir() if p.is_dir())
    assert folders == CASES, "every case folder needs an expected.txt"
    assert len(CASES) >= 20


@pytest.mark.parametrize("name", CASES)
def test_hostile_statement_gives_one_clear_error(name: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    case = prepare(name, tmp_path)
    out = tmp_path / "out"
    status, err = run_build(case / "statement.md", out, capsys)
    expected = (HOSTILE / name / "expected.txt").read_text(encoding="utf-8").rstrip("\n")
    expected = expected.replace("{dir}", str(case))
    assert status == 1, err
    assert err.splitlines()[0] == expected
    assert "Traceback" not in err
    assert not out.exists() or not any(out.iterdir()), sorted(out.iterdir())


def test_hostile_statement_through_the_api_raises_statementpub_errors(tmp_path: Path) -> None:
    """The same cases through :func:`build`: a :class:`StatementpubError` (the base of every
    error the library raises on purpose) whose first line is the CLI's, nothing else."""
    from statementpub.errors import StatementpubError

    for name in CASES:
        case = prepare(name, tmp_path / "api")
        out = tmp_path / "api-out" / name
        with pytest.raises(StatementpubError) as info:
            build(case / "statement.md", out_dir=out, jobs=1)
        expected = (HOSTILE / name / "expected.txt").read_text(encoding="utf-8").rstrip("\n")
        assert info.value.lines()[0] == expected.replace("{dir}", str(case)), name
        assert not out.exists() or not any(out.iterdir()), name


def test_bom_and_crlf_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "bom-crlf"
    folder.mkdir()
    source = folder / "statement.md"
    text = ("---\ntitle: A river for everyone\ndate: 2018-09-20\nsignatories:\n"
            "  - Aliso Riverkeepers\n---\n\nThe river belongs to everyone.\n\n"
            "## What we ask\n\nWater for all.\n")
    source.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    out = tmp_path / "out"
    status, err = run_build(source, out, capsys)
    assert status == 0, err
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "bom-crlf.en.epub", "bom-crlf.en.html", "bom-crlf.en.pdf"]
    html = (out / "bom-crlf.en.html").read_text(encoding="utf-8")
    assert "\ufeff" not in html and "\r" not in html
    assert "<h1>A river for everyone</h1>" in html


def test_duplicate_signatories_are_errors_with_both_lines(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "duplicates"
    folder.mkdir()
    source = folder / "statement.md"
    source.write_text("---\ntitle: A river for everyone\ndate: 2018-09-20\nsignatories:\n"
                      "  - Aliso Riverkeepers\n  - Friends of the River\n"
                      "  - name: aliso  riverkeepers\n    country: MX\n---\n\n"
                      "The river belongs to everyone.\n", encoding="utf-8")
    out = tmp_path / "out"
    status, err = run_build(source, out, capsys, "--format", "html")
    assert status == 1, err
    error = f"{source}:7: error: duplicate signatory 'aliso  riverkeepers' (also on line 5)"
    assert error in err.splitlines()
    assert not out.exists() or not any(out.iterdir())


def test_yaml_1_1_lookalikes_stay_text(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """A signatory named ``Yes``, ``0123`` or ``Null``, a country ``NO``, a date written
    plainly: text as written, and the statement builds."""
    folder = tmp_path / "lookalikes"
    folder.mkdir()
    source = folder / "statement.md"
    source.write_text("---\ntitle: 'On'\ndate: 2018-09-20\nsignatories:\n  - Yes\n  - 0123\n"
                      "  - Null\n  - name: No\n    country: NO\n  - 1e3\n---\n\n"
                      "The river belongs to everyone.\n", encoding="utf-8")
    statement = load_statement(source)
    assert statement.title == "On"
    assert [s.name for s in statement.signatories] == ["Yes", "0123", "Null", "No", "1e3"]
    assert statement.signatories[3].country == "NO"
    out = tmp_path / "out"
    status, err = run_build(source, out, capsys, "--format", "html")
    assert status == 0, err
    html = (out / "lookalikes.en.html").read_text(encoding="utf-8")
    for name in ("Yes", "0123", "Null", "No", "1e3"):
        assert f">{name}</span>" in html


def test_a_batch_builds_the_good_statements_and_names_the_failed_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "batch" / "good"
    good.mkdir(parents=True)
    (good / "statement.md").write_text("---\ntitle: A river for everyone\ndate: 2018-09-20\n"
                                       "---\n\nThe river belongs to everyone.\n",
                                       encoding="utf-8")
    bad = prepare("raw-html-block", tmp_path / "batch")
    out = tmp_path / "out"
    status = main(["build", str(tmp_path / "batch"), "--out", str(out), "--format", "html"])
    err = capsys.readouterr().err
    assert status == 1
    assert f"{bad}/statement.md:8: error: raw HTML is not allowed in the body" in err
    assert (out / "good.en.html").is_file()
    assert not list(out.glob("raw-html-block.*"))
    summary = [line for line in err.splitlines() if str(bad) in line and "FAILED" in line]
    assert summary, err
    assert "1 succeeded, 1 failed" in err
