"""Signatories read from a CSV file (STATEMENT_FORMAT.md, front matter ``signatories``:
"the path of a CSV file inside the statement's folder")."""

from __future__ import annotations

from pathlib import Path

import pytest

from statementpub import build, load_statement
from statementpub.cli import main
from statementpub.errors import StatementError
from statementpub.signatories_csv import parse_csv
from statementpub.units import iter_units

FRONT = ("---\ntitle: Keep the valley green\ndate: 2026-04-22\nlang: en\n"
         "signatories: signatories.csv\n---\n\nWe ask the council to keep the valley green.\n")


def _statement(folder: Path, csv_text: str | bytes, front: str = FRONT) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "signatories.csv").write_bytes(
        csv_text.encode("utf-8") if isinstance(csv_text, str) else csv_text)
    source = folder / "statement.md"
    source.write_text(front, encoding="utf-8")
    return source


def _errors(source: Path) -> list[str]:
    with pytest.raises(StatementError) as caught:
        load_statement(source)
    return [str(d) for d in caught.value.diagnostics]


def test_rows_become_signatories_in_file_order(tmp_path: Path) -> None:
    folder = tmp_path / "valley"
    source = _statement(folder, (
        "\ufeffname,lang,url,country,note\r\n"
        "Valley Friends,,https://example.org/friends,US,*Founding* member\r\n"
        '"Colectivo del Valle, A.C.",es,,MX,\r\n'
        '"Two-line ""quoted""\r\nname",,,,\r\n'
        "Null,,,,\r\n"))
    statement = load_statement(source)
    assert [(s.name, s.lang, s.url, s.country, s.line) for s in statement.signatories] == [
        ("Valley Friends", "en", "https://example.org/friends", "US", 2),
        ("Colectivo del Valle, A.C.", "es", None, "MX", 3),
        ('Two-line "quoted"\r\nname', "en", None, None, 4),
        ("Null", "en", None, None, 6),
    ]
    assert statement.signatories_source == (folder / "signatories.csv").resolve()
    # the note is a unit; its reference is the statement's 'signatories' line
    assert [(u.msgid, u.line, u.role) for u in iter_units(statement)
            if u.role == "Signatory note"] == [("*Founding* member", 5, "Signatory note")]


def test_the_same_rules_as_the_front_matter_each_naming_the_csv_line(tmp_path: Path) -> None:
    folder = tmp_path / "valley"
    source = _statement(folder, (
        "name,url,country,lang,note\n"
        "Valley Friends,javascript:alert(1),US,,\n"
        "River Watch,,Mexico,,\n"
        "Hill Walkers,,,xx-!!,\n"
        ",,US,,\n"
        "Orchard Guild,,,,<b>bold</b>\n"
        "Orchard Guild,,,,\n"))
    shown = str(folder / "signatories.csv")
    assert _errors(source) == [
        (f"{shown}:2: error: URL scheme 'javascript' is not allowed (use https:, http: or "
        "mailto:)"),
        f"{shown}:3: error: country 'Mexico' is not an ISO 3166-1 alpha-2 code (such as 'MX')",
        (f"{shown}:4: error: unknown language tag 'xx-!!' (a BCP 47 tag such as 'en', 'es' or "
        "'es-MX')"),
        f"{shown}:5: error: 'signatories[3].name' is required",
        f"{shown}:6: error: raw HTML '<b>' is not allowed (write Markdown instead)",
        f"{shown}:6: error: raw HTML '</b>' is not allowed (write Markdown instead)",
        (f"{shown}:7: error: duplicate signatory 'Orchard Guild': it reads the same as "
        "'Orchard Guild' on line 6"),
    ]


def test_control_and_bidirectional_characters_are_refused(tmp_path: Path) -> None:
    """The loader's checks (text.forbidden_character, text.bidi_problem), each
    at the line of the character."""
    folder = tmp_path / "valley"
    source = _statement(folder, "name,note\nValley\u202eFriends,\nRiver\x07Watch,\n"
                                "\u2067Hill Walkers,\n\u2067Orchard\u2069 Guild,\n"
                                'Lake Guild,"first line\nsecond\x0b line"\n')
    shown = str(folder / "signatories.csv")
    isolated = "(statementpub isolates names and passages in another direction itself)"
    assert _errors(source) == [
        (f"{shown}:2: error: the cell holds the bidirectional control character U+202E "
         "(RIGHT-TO-LEFT OVERRIDE), which can make text display otherwise than it reads: "
         f"remove it {isolated}"),
        (f"{shown}:3: error: the cell holds the control character U+0007, which no edition "
         "can hold: remove it"),
        (f"{shown}:4: error: the cell holds the bidirectional control character U+2067 "
         "(RIGHT-TO-LEFT ISOLATE), which is not closed by U+2069 (POP DIRECTIONAL ISOLATE) in "
         f"the same value or block: remove it {isolated}"),
        (f"{shown}:7: error: the cell holds the control character U+000B, which no edition "
         "can hold: remove it"),
    ]


def test_look_alike_names_are_refused_with_both_lines(tmp_path: Path) -> None:
    """As in the front matter (text.lookalike_key): look-alikes are errors, names
    that differ only in spaces besides a warning, each naming both CSV lines."""
    folder = tmp_path / "valley"
    source = _statement(folder, "name\nValley Friends\nRiver Watch\n"
                                "VALLEY\u2060 FRIENDS\nＲｉｖｅｒ Ｗａｔｃｈ\n")
    shown = str(folder / "signatories.csv")
    errors = _errors(source)
    assert [e.split(" (they differ")[0] for e in errors] == [
        (f"{shown}:4: error: duplicate signatory 'VALLEY\\u2060 FRIENDS': it reads the same as "
        "'Valley Friends' on line 2"),
        (f"{shown}:5: error: duplicate signatory 'Ｒｉｖｅｒ Ｗａｔｃｈ': it reads the same as "
        "'River Watch' on line 3"),
    ]


def test_names_differing_only_in_spaces_are_a_warning_naming_the_csv(tmp_path: Path) -> None:
    folder = tmp_path / "valley"
    source = _statement(folder, "name\nValley Friends\nvalley  friends\n")
    statement = load_statement(source)
    assert [str(d) for d in statement.warnings] == [
        (f"{folder / 'signatories.csv'}:3: warning: duplicate signatory 'valley  friends' "
         "(also on line 2)")]
    assert [s.name for s in statement.signatories] == ["Valley Friends", "valley  friends"]


@pytest.mark.parametrize(("csv_text", "line", "message"), [
    ("name,contry\nA,MX\n", 1, ("unknown column 'contry' (did you mean 'country'?); allowed: "
                               "name, lang, url, country, note")),
    ("Name\nA\n", 1, ("unknown column 'Name' (did you mean 'name'?); allowed: name, lang, url, "
                     "country, note")),
    ("country\nMX\n", 1, "the header has no 'name' column (the signatory's name)"),
    ("name,name\nA,B\n", 1, "the column 'name' is named twice"),
    ("", 1, "the file is empty: the first line names the columns (name, ...)"),
    ("name,country\nA,MX,extra\n", 2, ("the record has 3 fields, the header 2: quote a field "
                                      "that holds a comma")),
    ('name\nA\n"B, "Inc\nC\n', 3, ("a quote is broken: ',' expected after '\"' (a '\"' "
                                  "inside a field is written '\"\"')")),
    ('name\nA\n"B\nC\nD\n', 3, ("a quoted field opened in this record is never closed "
                               "(a '\"' is missing)")),
    (b"name\nA\nB\xe9\n", 3, ("the file is not valid UTF-8 (byte 0xe9): export it as "
                             "'CSV UTF-8'")),
])
def test_a_broken_csv_is_an_error_at_its_line_and_nothing_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], csv_text: str | bytes, line: int,
        message: str) -> None:
    folder = tmp_path / "valley"
    source = _statement(folder, csv_text)
    out = tmp_path / "out"
    status = main(["build", str(source), "--out", str(out), "--format", "html"])
    err = capsys.readouterr().err
    assert status == 1
    assert f"{folder / 'signatories.csv'}:{line}: error: {message}" in err.splitlines(), err
    assert "Traceback" not in err
    assert not out.exists() or not list(out.iterdir())


@pytest.mark.parametrize(("value", "message"), [
    ("missing.csv", ("'signatories' is the file 'missing.csv', which does not exist (a list "
                    "of names, or the path of a CSV file)")),
    ("../outside.csv", ("the signatories file '../outside.csv' must be inside the statement "
                       "folder")),
])
def test_the_csv_path_stays_inside_the_folder(tmp_path: Path, value: str, message: str) -> None:
    (tmp_path / "outside.csv").write_text("name\nA\n", encoding="utf-8")
    source = _statement(tmp_path / "valley", "name\nA\n",
                        FRONT.replace("signatories.csv", value))
    assert _errors(source) == [f"{source}:5: error: {message}"]


def test_a_csv_in_a_mapping_resolves_in_base_dir(tmp_path: Path) -> None:
    from statementpub import Statement

    (tmp_path / "list.csv").write_text("name,country\nValley Friends,US\n", encoding="utf-8")
    statement = Statement.from_mapping({"title": "T", "date": "2026-01-01",
                                        "signatories": "list.csv"}, "Body.", base_dir=tmp_path)
    assert [(s.name, s.country) for s in statement.signatories] == [("Valley Friends", "US")]


def _big_csv(rows: int, duplicates: dict[int, int] | None = None) -> str:
    """``rows`` signatories; ``duplicates`` maps a row number to the row it repeats
    (written in another case, with a zero-width space)."""
    lines = ["name,country,url"]
    countries = ("MX", "US", "FR", "BR", "ES", "AR", "KE", "IN")
    for number in range(1, rows + 1):
        name = f"Organisation {number:05d} for clean water"
        if duplicates and number in duplicates:
            name = f"ORGANISATION {duplicates[number]:05d}\u200b for clean water"
        lines.append(f'"{name}",{countries[number % len(countries)]},'
                     f"https://example.org/{number}")
    return "\n".join(lines) + "\n"


def test_five_thousand_rows_load_and_build(tmp_path: Path) -> None:
    folder = tmp_path / "valley"
    source = _statement(folder, _big_csv(5000))
    statement = load_statement(source)
    assert len(statement.signatories) == 5000
    assert statement.signatories[-1].line == 5001
    report = build(source, out_dir=tmp_path / "out", formats=("html",))
    html = (tmp_path / "out" / "valley.en.html").read_text(encoding="utf-8")
    assert html.count('class="signatory-name"') == 5000
    assert "Organisation 04999 for clean water" in html
    assert report.files == (tmp_path / "out" / "valley.en.html",)


def test_five_thousand_rows_with_two_planted_duplicates(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    folder = tmp_path / "valley"
    source = _statement(folder, _big_csv(5000, {2717: 15, 4890: 3100}))
    out = tmp_path / "out"
    status = main(["build", str(source), "--out", str(out), "--format", "html"])
    err = capsys.readouterr().err.splitlines()
    assert status == 1
    shown = folder / "signatories.csv"
    errors = [line.split(" (they differ")[0] for line in err if ": error: " in line]
    assert errors == [
        (f"{shown}:2718: error: duplicate signatory 'ORGANISATION 00015\\u200b for clean "
        "water': it reads the same as 'Organisation 00015 for clean water' on line 16"),
        (f"{shown}:4891: error: duplicate signatory 'ORGANISATION 03100\\u200b for clean "
        "water': it reads the same as 'Organisation 03100 for clean water' on line 3101"),
    ]
    assert not out.exists() or not list(out.iterdir())


def test_a_changed_csv_rebuilds_the_editions(tmp_path: Path) -> None:
    folder = tmp_path / "valley"
    source = _statement(folder, "name\nValley Friends\n")
    out = tmp_path / "out"
    build(source, out_dir=out, formats=("html",))
    assert build(source, out_dir=out, formats=("html",)).rebuilt == ()
    (folder / "signatories.csv").write_text("name\nValley Friends\nRiver Watch\n",
                                            encoding="utf-8")
    assert build(source, out_dir=out, formats=("html",)).rebuilt == (out / "valley.en.html",)
    assert "River Watch" in (out / "valley.en.html").read_text(encoding="utf-8")


def test_parse_csv_gives_the_line_where_each_record_starts() -> None:
    table = parse_csv('name,note\r\nA,"one\r\ntwo"\r\n\r\nB,\r\n', "s.csv")
    assert table.header == ("name", "note")
    assert [(r.line, r.cells) for r in table.records] == [(2, ("A", "one\r\ntwo")),
                                                          (5, ("B", ""))]


def test_the_signatory_limit_applies_to_the_csv_at_its_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from statementpub import loader

    monkeypatch.setattr(loader, "MAX_SIGNATORIES", 3)
    folder = tmp_path / "valley"
    source = _statement(folder, "name\nA\nB\nC\nD\nE\n")
    assert _errors(source) == [
        (f"{folder / 'signatories.csv'}:5: error: 5 signatories; a statement is limited to 3 "
         "(publish the full list as a separate document)")]
