"""Spoofing and small holes (issue 11, item 5), as STATEMENT_FORMAT.md says:
look-alike signatories, ``contact.email`` with ``mailto:`` parameters, and PO
escapes read as GNU gettext reads them."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from statementpub import CatalogError, Statement, StatementError, load_statement, render_html
from statementpub.catalogs import parse_catalog
from statementpub.cli import main

FRONT = "---\ntitle: A river for everyone\ndate: 2018-09-20\n"
BODY = "---\n\nWater for all.\n"


def write(tmp_path: Path, front: str) -> Path:
    folder = tmp_path / "river"
    folder.mkdir(exist_ok=True)
    source = folder / "statement.md"
    source.write_text(FRONT + front + BODY, encoding="utf-8")
    return source


# -- Look-alike signatories ------------------------------------------------------------

NAME = "Aliso Riverkeepers"
LOOKALIKES = {
    "nfd": unicodedata.normalize("NFD", "Alíso Riverkeepers"),
    "word-joiner": "Aliso\u2060 Riverkeepers",
    "zero-width-space": "Ali\u200bso Riverkeepers",
    "byte-order-mark": "\ufeffAliso Riverkeepers",
    "full-width": "Ａｌｉｓｏ Riverkeepers",
    "case": "ALISO RIVERKEEPERS",
    "same": NAME,
}


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_a_lookalike_signatory_is_an_error_naming_both_lines(name: str, tmp_path: Path) -> None:
    first = unicodedata.normalize("NFC", "Alíso Riverkeepers") if name == "nfd" else NAME
    source = write(tmp_path, f'signatories:\n  - "{first}"\n  - Friends of the River\n'
                             f'  - "{LOOKALIKES[name]}"\n')
    with pytest.raises(StatementError) as info:
        load_statement(source)
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.line == 7 and diagnostic.severity == "error"
    assert diagnostic.message.startswith("duplicate signatory ")
    assert f"reads the same as {first!r} on line 5" in diagnostic.message
    assert ("a look-alike" in diagnostic.message) == (name != "same")


def test_the_cli_names_both_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path, f"signatories:\n  - {NAME}\n  - \"Aliso\u2060 Riverkeepers\"\n")
    status = main(["build", str(source), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 1 and not (tmp_path / "out").exists()
    assert err.splitlines()[0] == (
        f"{source}:6: error: duplicate signatory 'Aliso\\u2060 Riverkeepers': it reads the "
        f"same as 'Aliso Riverkeepers' on line 5 (they differ only in letter case, letter "
        "width, Unicode composition or invisible characters: a look-alike)")


def test_names_that_differ_in_spaces_only_still_warn(tmp_path: Path) -> None:
    source = write(tmp_path, f"signatories:\n  - {NAME}\n  - aliso  riverkeepers\n")
    statement = load_statement(source)
    assert [str(w) for w in statement.warnings] == [
        f"{source}:6: warning: duplicate signatory 'aliso  riverkeepers' (also on line 5)"]


def test_distinct_names_pass(tmp_path: Path) -> None:
    source = write(tmp_path, "signatories:\n  - Aliso Riverkeepers\n  - Alíso Riverkeepers\n"
                             "  - Aliso River Keepers\n")
    assert len(load_statement(source).signatories) == 3


def test_from_mapping_names_both_fields() -> None:
    with pytest.raises(StatementError) as info:
        Statement.from_mapping({"title": "A river", "date": "2018-09-20",
                                "signatories": [NAME, "Friends", "Ａｌｉｓｏ Riverkeepers"]},
                               "Water for all.")
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.field == "signatories[2]"
    assert "on signatories[0]" in diagnostic.message


# -- contact.email ---------------------------------------------------------------------

@pytest.mark.parametrize("email, reason", [
    ("press@example.org?bcc=all@example.net&body=hello", "has mailto: parameters"),
    ("press@example.org?bcc=all%40example.net", "has mailto: parameters"),
    ("press@example.org&cc=x", "has mailto: parameters"),
    ("mailto:press@example.org", "is a mailto: link"),
    ("press@example.org,all@example.net", "is not an e-mail address"),
    ("press@example", "is not an e-mail address"),
    ("press@example.org/x", "is not an e-mail address"),
])
def test_contact_email_is_an_address_and_nothing_more(email: str, reason: str,
                                                      tmp_path: Path) -> None:
    source = write(tmp_path, f'contact:\n  name: Press desk\n  email: "{email}"\n')
    with pytest.raises(StatementError) as info:
        load_statement(source)
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.line == 6 and reason in diagnostic.message, diagnostic.message


@pytest.mark.parametrize("email", ["press@example.org", "prensa.2026+rio@ejemplo.com.mx",
                                   "jürgen@bücher.de"])
def test_real_addresses_pass(email: str, tmp_path: Path) -> None:
    source = write(tmp_path, f"contact:\n  email: {email}\n")
    statement = load_statement(source)
    assert statement.contact is not None and statement.contact.email == email
    assert f'href="mailto:{email}"' in render_html(statement)


# -- PO escapes --------------------------------------------------------------------------

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def catalog(msgstr: str) -> bytes:
    return (HEADER + f'msgid "Water for all."\nmsgstr "{msgstr}"\n').encode("utf-8")


@pytest.mark.parametrize("written, read", [
    (r"\101gua para todos.", "Agua para todos."),
    (r"\x41gua para todos.", "Agua para todos."),
    (r"Agua para todos en el r\303\255o.", "Agua para todos en el río."),
    (r"Agua \\101 para todos.", "Agua \\101 para todos."),
    (r"Agua \"para\" todos.", 'Agua "para" todos.'),
])
def test_octal_and_hex_escapes_are_read_as_gettext_reads_them(written: str, read: str) -> None:
    (entry,) = parse_catalog(catalog(written))
    assert entry.msgstr == read


@pytest.mark.parametrize("escape", [r"\?", r"\'"])
def test_escapes_msgfmt_refuses_are_refused(escape: str) -> None:
    with pytest.raises(CatalogError) as info:
        parse_catalog(catalog(f"Agua para todos{escape}"), display="statement.es.po")
    assert info.value.lines()[0].startswith(
        f"statement.es.po:6: error: malformed PO file: invalid escape sequence '{escape}'")


@pytest.mark.parametrize("written, problem", [
    (r"\x141", r"the escape \x141 is more than one byte"),
    (r"r\303o", "the escapes of this string make bytes that are not utf-8 text"),
])
def test_escapes_that_make_no_text_are_refused(written: str, problem: str) -> None:
    with pytest.raises(CatalogError) as info:
        parse_catalog(catalog(written), display="statement.es.po")
    assert info.value.lines()[0] == f"statement.es.po:6: error: malformed PO file: {problem}"


def test_an_edition_shows_what_gettext_reads(tmp_path: Path) -> None:
    source = write(tmp_path, "")
    (source.parent / "statement.es.po").write_bytes(catalog(r"\101gua para todos."))
    html = render_html(load_statement(source), "es")
    assert "<p>Agua para todos.</p>" in html
    assert "\\101" not in html
