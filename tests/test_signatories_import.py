"""``statementpub signatories import``: a sign-on form's export becomes signatories.csv."""

from __future__ import annotations

from pathlib import Path

import pytest

from statementpub import build, load_statement
from statementpub.cli import main
from statementpub.errors import OptionsError
from statementpub.intake import import_signatories, parse_column_map

EXPORT = (
    "Timestamp,Organisation,Country,Website,Contact e-mail\r\n"
    "2026-03-01 10:00,Valley Friends,Mexico,https://example.org/vf,a@example.org\r\n"
    '2026-03-01 10:05,"River Watch, Inc.",us,www.riverwatch.example,b@example.org\r\n'
    "2026-03-01 10:06,valley  friends,MX,,c@example.org\r\n"
    "2026-03-01 10:07,,FR,,d@example.org\r\n"
    "2026-03-01 10:08,Hill Walkers,Atlantis,javascript:x,e@example.org\r\n"
    "2026-03-01 10:09,Ｈｉｌｌ\u200b walkers,,,f@example.org\r\n"
    "2026-03-01 10:10,Cooperativa del Río,España,,g@example.org\r\n"
)
MAP = "Organisation=name,Country=country,Website=url"


def _cli(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(list(args))
    return status, capsys.readouterr().err


def test_the_export_becomes_a_signatory_csv_and_reports_what_it_left_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "form-export.csv"
    export.write_text(EXPORT, encoding="utf-8")
    out = tmp_path / "valley" / "signatories.csv"
    status, err = _cli("signatories", "import", str(export), "--map", MAP, "--out", str(out),
                       capsys=capsys)
    assert status == 0, err
    assert out.read_bytes().decode("utf-8") == (
        "name,url,country\r\n"
        "Valley Friends,https://example.org/vf,MX\r\n"
        '"River Watch, Inc.",,US\r\n'
        "Hill Walkers,,\r\n"
        "Cooperativa del Río,,ES\r\n")
    assert err.splitlines() == [
        (f"{export}:3: warning: url left out, the signatory kept: URL 'www.riverwatch.example' "
        "is not absolute: use https:, http: or mailto:"),
        (f"{export}:4: warning: duplicate signatory 'valley  friends' (also on line 2): "
        "row left out"),
        f"{export}:5: warning: row left out: the name is empty",
        (f"{export}:6: warning: url left out, the signatory kept: URL scheme 'javascript' is "
        "not allowed (use https:, http: or mailto:)"),
        (f"{export}:6: warning: country left out, the signatory kept: country 'Atlantis' is "
        "not an ISO 3166-1 alpha-2 code (such as 'MX')"),
        (f"{export}:7: warning: signatory 'Ｈｉｌｌ\\u200b walkers' looks the same as "
        "'Hill Walkers' (also on line 6): row left out"),
        (f"wrote {out}: 4 signatories from 7 rows (name, url, country); left out 2 duplicates "
        "and 1 row without a usable name"),
    ]
    # the file written is what the statement format reads
    (out.parent / "statement.md").write_text(
        "---\ntitle: Keep the valley green\ndate: 2026-04-22\nsignatories: signatories.csv\n"
        "---\n\nWe ask the council to keep the valley green.\n", encoding="utf-8")
    statement = load_statement(out.parent / "statement.md")
    assert [(s.name, s.country, s.line) for s in statement.signatories] == [
        ("Valley Friends", "MX", 2), ("River Watch, Inc.", "US", 3), ("Hill Walkers", None, 4),
        ("Cooperativa del Río", "ES", 5)]


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "form-export.csv"
    export.write_text(EXPORT, encoding="utf-8")
    out = tmp_path / "signatories.csv"
    out.write_text("name\nHand-edited\n", encoding="utf-8")
    status, err = _cli("signatories", "import", str(export), "--map", MAP, "-o", str(out),
                       capsys=capsys)
    assert status == 1
    assert err == f"error: {out} exists: give --force to replace it, or another --out\n"
    assert out.read_text(encoding="utf-8") == "name\nHand-edited\n"
    status, err = _cli("signatories", "import", str(export), "--map", MAP, "-o", str(out),
                       "--force", capsys=capsys)
    assert status == 0 and out.read_text(encoding="utf-8").startswith("name,url,country")


@pytest.mark.parametrize(("export_text", "columns", "expected"), [
    ('Organisation\nA\n"B, "Inc\n', MAP.split(",")[0],
     ("{export}:3: error: a quote is broken: ',' expected after '\"' (a '\"' inside a field "
     "is written '\"\"')")),
    ("Organization,Country\nA,MX\n", MAP,
     ("{export}:1: error: the export has no column 'Organisation' (did you mean "
     "'Organization'?); its columns: Organization, Country")),
    ("Organisation,Country\n,MX\n", "Organisation=name",
     "{export}:1: error: no row of the export has a usable name (1 left out)"),
    ("Organisation\nA\n", "Organisation=nmae",
     ("error: --map: unknown signatory column 'nmae' (did you mean 'name'?); one of: name, "
     "lang, url, country, note")),
    ("Organisation,Country\nA,MX\n", "Country=country",
     ("error: say which column of the export holds the names: --map 'COLUMN=name' (its "
     "columns: Organisation, Country)")),
])
def test_errors_name_the_export_and_line_and_nothing_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], export_text: str, columns: str,
        expected: str) -> None:
    export = tmp_path / "form-export.csv"
    export.write_text(export_text, encoding="utf-8")
    out = tmp_path / "out" / "signatories.csv"
    status, err = _cli("signatories", "import", str(export), "--map", columns, "-o", str(out),
                       capsys=capsys)
    assert status == 1
    assert expected.format(export=export) in err.splitlines(), err
    assert not out.parent.exists()


def test_without_a_map_columns_named_like_the_format_are_used(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("Name,Country,Comments\nValley Friends,mx,call back\n", encoding="utf-8")
    result = import_signatories(export)
    assert result.columns == ("name", "country")
    assert result.data == b"name,country\r\nValley Friends,MX\r\n"


def test_parse_column_map() -> None:
    assert parse_column_map(["Organisation=name, Country=country", "Web site=url"]) == {
        "Organisation": "name", "Country": "country", "Web site": "url"}
    with pytest.raises(OptionsError, match="given twice"):
        parse_column_map(["A=name,B=name"])
    with pytest.raises(OptionsError, match="must be 'EXPORT COLUMN=column'"):
        parse_column_map(["Organisation"])


def test_a_5000_row_export_with_two_planted_duplicates(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    """The duplicates are reported by their lines; the file written loads and builds."""
    rows = ["Submitted,Organisation name,Country"]
    for number in range(1, 5001):
        name = f"Organisation {number:05d} for clean water"
        if number == 1234:
            name = "organisation 00077 for clean water"  # repeats row 77 (line 78)
        if number == 4321:
            name = "Organisation 03999 for clean\u00a0water"  # a look-alike of line 4000
        rows.append(f"2026-03-01,{name},{('MX', 'US', 'BR')[number % 3]}")
    export = tmp_path / "form-export.csv"
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    folder = tmp_path / "valley"
    out = folder / "signatories.csv"
    status, err = _cli("signatories", "import", str(export), "--map",
                       "Organisation name=name,Country=country", "-o", str(out), capsys=capsys)
    assert status == 0
    assert err.splitlines() == [
        (f"{export}:1235: warning: duplicate signatory 'organisation 00077 for clean water' "
        "(also on line 78): row left out"),
        (f"{export}:4322: warning: signatory 'Organisation 03999 for clean\\xa0water' looks "
        "the same as 'Organisation 03999 for clean water' (also on line 4000): row left out"),
        (f"wrote {out}: 4998 signatories from 5000 rows (name, country); left out 2 duplicates "
        "and 0 rows without a usable name"),
    ]
    (folder / "statement.md").write_text(
        "---\ntitle: Keep the valley green\ndate: 2026-04-22\nsignatories: signatories.csv\n"
        "---\n\nWe ask the council to keep the valley green.\n", encoding="utf-8")
    assert len(load_statement(folder / "statement.md").signatories) == 4998
    build(folder / "statement.md", out_dir=tmp_path / "dist", formats=("html",))
    html = (tmp_path / "dist" / "valley.en.html").read_text(encoding="utf-8")
    assert html.count('class="signatory-name"') == 4998
