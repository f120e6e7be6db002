"""The loader against STATEMENT_FORMAT.md: errors (fixture file) and the values it makes.

``fixtures/loader_errors.md`` holds the error cases in markdown-it-py's fixture
style (a name, ``.``, the source, ``.``, the expected ``LINE: message`` lines,
``.``); the tests below it cover what a text fixture cannot hold (bytes that
are not UTF-8, a byte order mark and CRLF, file names) and the values of a
loaded :class:`Statement`, :meth:`Statement.from_mapping` and the translation
units of a small statement.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from statementpub import Statement, load_statement
from statementpub.errors import Diagnostic, StatementError
from statementpub.loader import MAX_SOURCE_BYTES
from statementpub.model import Figure, Heading, Paragraph
from statementpub.units import iter_units

#: a real 1 x 1 PNG: every image is decoded before it is accepted
PIXEL = Path(__file__).parent / "fixtures" / "validate" / "pixel.png"

FIXTURE = Path(__file__).parent / "fixtures" / "loader_errors.md"

# --------------------------------------------------------------------------
# The fixture file


@dataclass(frozen=True)
class Case:
    name: str
    line: int  # line of the name in the fixture file
    source: str
    expected: tuple[tuple[str, int, str], ...]  # (severity, line, message substring)
    xfail: str | None


_EXPECTED = re.compile(r"^(?:(warning) )?(\d+): (.+)$")


def read_cases(path: Path) -> list[Case]:
    """Cases of a fixture file: ``name``, [``xfail: reason``], ``.``, source, ``.``,
    expected lines, ``.``. Lines outside cases (prose, headings) are skipped."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases: list[Case] = []
    i = 0
    while i < len(lines):
        name = lines[i]
        j = i + 1
        reasons = []
        while j < len(lines) and lines[j].startswith("xfail: "):
            reasons.append(lines[j][len("xfail: "):])
            j += 1
        if not name.strip() or name == "." or j >= len(lines) or lines[j] != ".":
            i += 1
            continue
        source_end = lines.index(".", j + 1)
        expected_end = lines.index(".", source_end + 1)
        expected = []
        for text in lines[source_end + 1:expected_end]:
            match = _EXPECTED.match(text)
            if match is None:
                raise ValueError(f"{path.name}:{lines.index(text, source_end) + 1}: "
                                 f"expected 'LINE: message', got {text!r}")
            expected.append((match.group(1) or "error", int(match.group(2)), match.group(3)))
        cases.append(Case(name, i + 1, "\n".join(lines[j + 1:source_end]) + "\n",
                          tuple(expected), "; ".join(reasons) or None))
        i = expected_end + 1
    return cases


CASES = read_cases(FIXTURE)


def _param(case: Case) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
    return pytest.param(case, id=case.name, marks=marks)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A statement folder with images, and a file outside it reachable by ``..``
    and through a symbolic link."""
    (tmp_path / "outside.png").write_bytes(PIXEL.read_bytes())
    case = tmp_path / "case"
    (case / "img").mkdir(parents=True)
    (case / "map.png").write_bytes(PIXEL.read_bytes())
    (case / "img" / "photo.png").write_bytes(PIXEL.read_bytes())
    (case / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    os.symlink(tmp_path / "outside.png", case / "escape.png")
    return case


def _show(severity: str, line: int, message: str) -> str:
    return f"{'warning ' if severity == 'warning' else ''}{line}: {message}"


def test_fixture_file_is_read() -> None:
    names = [case.name for case in CASES]
    assert len(names) >= 80
    assert len(set(names)) == len(names), "case names must be unique (they are test ids)"
    assert all(case.source.startswith(("---\n", "# ")) for case in CASES)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_loader_fixture(case: Case, folder: Path) -> None:
    path = folder / "statement.md"
    path.write_bytes(case.source.encode("utf-8"))
    diagnostics: tuple[Diagnostic, ...]
    if any(severity == "error" for severity, _, _ in case.expected):
        with pytest.raises(StatementError) as info:
            load_statement(path)
        diagnostics = info.value.diagnostics
        first = (info.value.path, info.value.line)
    else:
        diagnostics = load_statement(path).warnings
    got = [(d.severity, d.line, d.message) for d in diagnostics]
    # A diagnostic that matches its expected line shows as the expected text, so
    # that a failure diff shows only the real differences.
    shown = [
        _show(*case.expected[n])
        if n < len(case.expected) and case.expected[n][:2] == (sev, line)
        and case.expected[n][2] in message
        else _show(sev, line, message)
        for n, (sev, line, message) in enumerate(got)
    ]
    assert shown == [_show(*expected) for expected in case.expected]
    assert all(d.path == str(path) for d in diagnostics)
    if diagnostics and diagnostics[0].severity == "error":
        assert first == (str(path), diagnostics[0].line)


# --------------------------------------------------------------------------
# The file: encoding, byte order mark, line endings, size

MINIMAL = ("---\ntitle: A river for everyone\ndate: 2018-09-20\n---\n\n"
           "The river belongs to everyone.\n")


def _write(folder: Path, data: bytes | str, name: str = "statement.md") -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize(("data", "line"), [
    pytest.param("---\ntitle: R\u00edo Aliso\ndate: 2018-09-20\n---\n\nBody.\n".encode("latin-1"),
                 2, id="latin-1 in the front matter"),
    pytest.param(b"---\ntitle: T\ndate: 2018-09-20\n---\n\nThe river\nbelongs to \xff all.\n",
                 7, id="invalid byte in the body"),
    pytest.param(b"\xef\xbb\xbf---\r\ntitle: T\r\ndate: 2018-09-20\r\n---\r\n\r\nR\xc3(o\r\n",
                 6, id="bad continuation byte after a BOM, CRLF"),
    pytest.param(b"\xfe\xff\x00-\x00-\x00-", 1, id="UTF-16"),
])
def test_non_utf8_names_the_line_of_the_first_invalid_byte(folder: Path, data: bytes,
                                                           line: int) -> None:
    path = _write(folder, data)
    with pytest.raises(StatementError) as info:
        load_statement(path)
    assert [(d.path, d.line) for d in info.value.diagnostics] == [(str(path), line)]
    assert "not valid UTF-8" in info.value.diagnostics[0].message


def test_bom_and_crlf_are_accepted(folder: Path) -> None:
    source = ("\ufeff---\r\ntitle: A river for everyone\r\ndate: 2018-09-20\r\n"
              "summary: |\r\n  One\r\n  two.\r\n\r\n  Three.\r\n---\r\n\r\n"
              "## What we ask\r\n\r\nThe river\r\nbelongs to everyone.\r\n")
    statement = load_statement(_write(folder, source))
    assert statement.title == "A river for everyone"
    assert statement.lines["title"] == 2
    assert [p.text for p in statement.summary] == ["One two.", "Three."]
    heading, paragraph = statement.body.blocks
    assert isinstance(heading, Heading) and heading.content.text == "What we ask"
    assert heading.content.line == 11
    assert isinstance(paragraph, Paragraph)
    assert (paragraph.content.text, paragraph.content.line) == ("The river belongs to everyone.",
                                                                13)


def test_bom_and_crlf_keep_error_lines(folder: Path) -> None:
    source = "\ufeff---\r\ntitle: T\r\ndate: 2018-9-20\r\n---\r\n\r\nText.\r\n\r\n# Title\r\n"
    with pytest.raises(StatementError) as info:
        load_statement(_write(folder, source))
    assert [d.line for d in info.value.diagnostics] == [3, 8]


def test_lf_and_crlf_give_the_same_statement(folder: Path) -> None:
    lf = load_statement(_write(folder, MINIMAL, "lf.md"))
    crlf = load_statement(_write(folder, MINIMAL.replace("\n", "\r\n"), "crlf.md"))
    assert (lf.title, lf.date, lf.body) == (crlf.title, crlf.date, crlf.body)


def test_too_large_a_file(folder: Path) -> None:
    path = _write(folder, MINIMAL + "x" * MAX_SOURCE_BYTES)
    with pytest.raises(StatementError, match="limited to") as info:
        load_statement(path)
    assert info.value.line == 1


def test_missing_file_and_folder(folder: Path) -> None:
    with pytest.raises(StatementError, match="no such file") as info:
        load_statement(folder / "nothing.md")
    assert str(info.value) == f"{folder / 'nothing.md'}: error: no such file"
    with pytest.raises(StatementError, match="is a folder"):
        load_statement(folder)


# --------------------------------------------------------------------------
# Values of a loaded statement


def test_defaults(folder: Path) -> None:
    statement = load_statement(_write(folder, MINIMAL))
    assert statement.title == "A river for everyone"
    assert statement.date == dt.date(2018, 9, 20)
    assert statement.lang == "en"
    assert statement.kind == "statement"
    assert statement.subtitle is None and statement.summary == ()
    assert statement.publisher is None and statement.contact is None
    assert statement.links == () and statement.signatories == () and statement.keywords == ()
    assert statement.license is None
    assert dict(statement.translations) == {}
    assert statement.slug == "case"
    assert statement.warnings == ()
    assert statement.path == folder / "statement.md" and statement.base_dir == folder


def test_signatory_lang_defaults_to_the_statement_lang(folder: Path) -> None:
    source = MINIMAL.replace("date: 2018-09-20\n", """date: 2018-09-20
lang: es
signatories:
  - Consejo de Pueblos del Bajo Aliso
  - name: Red Ciudadana por el Agua
    country: MX
  - name: Aliso Riverkeepers
    lang: en-us
    url: https://example.org/riverkeepers
    note: Founding *member*
""")
    statement = load_statement(_write(folder, source))
    assert statement.lang == "es"
    assert [(s.name, s.lang, s.country, s.url, s.line) for s in statement.signatories] == [
        ("Consejo de Pueblos del Bajo Aliso", "es", None, None, 6),
        ("Red Ciudadana por el Agua", "es", "MX", None, 7),
        ("Aliso Riverkeepers", "en-US", None, "https://example.org/riverkeepers", 9),
    ]
    note = statement.signatories[2].note
    assert note is not None and (note.text, note.line) == ("Founding *member*", 12)


def test_front_matter_values(folder: Path) -> None:
    source = """---
title: "Keep the Aliso Flowing"
date: 2025-03-22
kind: joint-statement
subtitle: >-
  Thirty organisations ask for the *spirit*
  of the [compact](https://example.org/compact)
links:
  - label: Read the joint letter
    url: https://example.org/letter.pdf
publisher:
  name: River Commons
  url: https://example.org
  logo:
    src: logo.svg
    alt: A blue wave
contact:
  name: Lucía Ferrer
  email: prensa@example.org
  phone: +52 55 5555 0142
keywords: [water rights, rivers]
license: CC-BY-4.0
translations:
  ES-mx: catalogs/statement.es-MX.po
---

Text.
"""
    statement = load_statement(_write(folder, source))
    assert statement.kind == "joint-statement"
    assert statement.subtitle is not None
    assert statement.subtitle.text == ("Thirty organisations ask for the *spirit* of the "
                                       "[compact](https://example.org/compact)")
    assert statement.subtitle.line == 5
    assert [(link.label, link.url) for link in statement.links] == [
        ("Read the joint letter", "https://example.org/letter.pdf")]
    publisher = statement.publisher
    assert publisher is not None and publisher.logo is not None
    assert (publisher.name, publisher.url) == ("River Commons", "https://example.org")
    assert (publisher.logo.src, publisher.logo.alt) == ("logo.svg", "A blue wave")
    assert publisher.logo.path == (folder / "logo.svg").resolve()
    assert statement.contact is not None
    assert (statement.contact.name, statement.contact.email, statement.contact.phone) == (
        "Lucía Ferrer", "prensa@example.org", "+52 55 5555 0142")
    assert statement.keywords == ("water rights", "rivers")
    assert statement.license == "CC-BY-4.0"
    assert dict(statement.translations) == {
        "es-mx": (folder / "catalogs" / "statement.es-MX.po").resolve()}
    assert {key: statement.line_of(key) for key in
            ("title", "date", "kind", "subtitle", "links[0].label", "publisher.name",
             "publisher.logo.alt", "contact.phone")} == {
        "title": 2, "date": 3, "kind": 4, "subtitle": 5, "links[0].label": 9,
        "publisher.name": 12, "publisher.logo.alt": 16, "contact.phone": 20}


def test_no_yaml_1_1_retyping(folder: Path) -> None:
    source = """---
title: NO
date: 2018-09-20
lang: no
publisher:
  name: Yes
contact:
  phone: 0123
keywords: [on, off, 1e3, 0x1F, 1_000, .inf]
signatories:
  - name: 0123
    country: NO
  - y
---

Text.
"""
    statement = load_statement(_write(folder, source))
    assert statement.title == "NO"
    assert statement.date == dt.date(2018, 9, 20)
    assert statement.lang == "no"  # Norwegian (BCP 47), not false
    assert statement.publisher is not None and statement.publisher.name == "Yes"
    assert statement.contact is not None and statement.contact.phone == "0123"
    assert statement.keywords == ("on", "off", "1e3", "0x1F", "1_000", ".inf")
    assert [(s.name, s.country, s.lang) for s in statement.signatories] == [
        ("0123", "NO", "no"), ("y", None, "no")]


def test_plain_text_is_kept_as_written(folder: Path) -> None:
    source = MINIMAL.replace("title: A river for everyone",
                             "title: Why <b> is *not* bold & never   will be")
    statement = load_statement(_write(folder, source))
    assert statement.title == "Why <b> is *not* bold & never   will be"
    assert next(iter_units(statement)).msgid == "Why <b> is *not* bold & never will be"


@pytest.mark.parametrize(("block", "texts", "lines"), [
    pytest.param("|\n  One\n  two.\n\n  Three.\n", ["One two.", "Three."], [4, 8],
                 id="literal"),
    pytest.param("|\n  One.\n\n\n  Two.\n   \n  Three.\n", ["One.", "Two.", "Three."],
                 [4, 8, 10], id="literal, several and white-space blank lines"),
    pytest.param(">\n  One\n  two.\n\n  Three.\n", ["One two. Three."], [4], id="folded"),
    pytest.param("The lede in one line.\n", ["The lede in one line."], [4], id="plain"),
])
def test_summary_paragraphs(folder: Path, block: str, texts: list[str],
                            lines: list[int]) -> None:
    source = MINIMAL.replace("date: 2018-09-20\n", f"date: 2018-09-20\nsummary: {block}")
    statement = load_statement(_write(folder, source))
    assert [p.text for p in statement.summary] == texts
    # the first at the line of the key, each later one where its own text starts
    assert [p.line for p in statement.summary] == lines


@pytest.mark.parametrize(("folder_name", "file_name", "slug"), [
    ("river-commons", "statement.md", "river-commons"),
    ("River Commons_2025", "statement.md", "river-commons-2025"),
    ("--Río  Aliso--", "statement.md", "r-o-aliso"),
    ("river-commons", "Open Letter.v2.md", "open-letter-v2"),
    ("river-commons", "statement.es.md", "statement-es"),
])
def test_default_slug(tmp_path: Path, folder_name: str, file_name: str, slug: str) -> None:
    folder = tmp_path / folder_name
    folder.mkdir()
    assert load_statement(_write(folder, MINIMAL, file_name)).slug == slug


@pytest.mark.parametrize(("folder_name", "file_name"), [("___", "statement.md"),
                                                         ("río", "---.md")])
def test_empty_default_slug_asks_for_slug(tmp_path: Path, folder_name: str,
                                          file_name: str) -> None:
    folder = tmp_path / folder_name
    folder.mkdir()
    path = _write(folder, MINIMAL, file_name)
    with pytest.raises(StatementError) as info:
        load_statement(path)
    [diagnostic] = info.value.diagnostics
    assert (diagnostic.line, diagnostic.field) == (1, "slug")
    assert "set 'slug'" in diagnostic.message
    given = MINIMAL.replace("date: 2018-09-20\n", "date: 2018-09-20\nslug: aliso-2025\n")
    assert load_statement(_write(folder, given, file_name)).slug == "aliso-2025"


def test_lang_tags_are_normalized(folder: Path) -> None:
    source = MINIMAL.replace("date: 2018-09-20\n", "date: 2018-09-20\nlang: es-mx\n")
    assert load_statement(_write(folder, source)).lang == "es-MX"


def test_warnings_travel_on_the_statement(folder: Path) -> None:
    source = MINIMAL.replace("date: 2018-09-20\n", """date: 2018-09-20
signatories:
  - Aliso Riverkeepers
  - aliso  riverkeepers
""") + "\nRead more [here](https://example.org).\n"
    statement = load_statement(_write(folder, source))
    assert [(d.severity, d.line, d.message) for d in statement.warnings] == [
        ("warning", 6, "duplicate signatory 'aliso  riverkeepers' (also on line 5)"),
        ("warning", 11, ("link text 'here' does not say where the link goes "
                        "(WCAG 2.2 SC 2.4.4)")),
    ]


def test_look_alike_signatories_are_errors_with_both_lines(folder: Path) -> None:
    """STATEMENT_FORMAT.md: names equal after NFKC, case folding and removal of
    default-ignorable code points (text.lookalike_key) are an error naming both
    lines; names that differ only in spaces besides stay a warning."""
    source = MINIMAL.replace("date: 2018-09-20\n", """date: 2018-09-20
signatories:
  - Aliso Riverkeepers
  - aliso  riverkeepers
  - Cafe\u0301 del Río
  - Café del Río
  - "Friends\u2060 of the River"
  - "ＦＲＩＥＮＤＳ of the river\ufeff"
  - Friends of the Rivers
""")
    with pytest.raises(StatementError) as caught:
        load_statement(_write(folder, source))
    alike = ("(they differ only in letter case, letter width, Unicode composition or "
             "invisible characters: a look-alike)")
    # lines 5 and 6 differ in spaces besides: a warning, so not among the errors
    assert [(d.severity, d.line, d.message) for d in caught.value.diagnostics] == [
        ("error", 8, ("duplicate signatory 'Café del Río': it reads the same as "
                      f"'Cafe\u0301 del Río' on line 7 {alike}")),
        ("error", 10, ("duplicate signatory 'ＦＲＩＥＮＤＳ of the river\\ufeff': it reads the "
                       f"same as 'Friends\\u2060 of the River' on line 9 {alike}")),
    ]


def test_statement_error_lines_are_path_line_message(folder: Path) -> None:
    path = _write(folder, MINIMAL.replace("2018-09-20", "2018-9-20") + "\n# Heading\n")
    with pytest.raises(StatementError) as info:
        load_statement(path)
    assert info.value.lines() == [
        f"{path}:3: error: date '2018-9-20' must be written YYYY-MM-DD",
        (f"{path}:8: error: level-1 heading in the body: the title is the only level-1 "
         "heading; start body headings at '##'"),
    ]


# --------------------------------------------------------------------------
# Statement.from_mapping

DATE = dt.date(2018, 9, 20)


def test_from_mapping_accepts_a_date_or_its_text() -> None:
    for date in (DATE, "2018-09-20"):
        statement = Statement.from_mapping(
            {"title": "A river for everyone", "date": date, "kind": "open-letter",
             "signatories": ["Aliso Riverkeepers", {"name": "Consejo", "lang": "es"}]},
            "The river belongs to everyone.\n")
        assert statement.date == DATE
        assert statement.kind == "open-letter"
        assert [(s.name, s.lang) for s in statement.signatories] == [
            ("Aliso Riverkeepers", "en"), ("Consejo", "es")]
        assert statement.path is None and statement.base_dir is None
        assert statement.slug == "a-river-for-everyone"
        assert statement.line_of("title") == 0


def test_from_mapping_has_no_lines() -> None:
    statement = Statement.from_mapping({"title": "T", "date": DATE}, "Text.\n")
    assert dict(statement.lines) == {}


def test_from_mapping_errors_name_the_field() -> None:
    front = {
        "title": "A river for everyone",
        "date": "2018-9-20",
        "links": [{"label": "Letter", "url": "https://example.org/l.pdf"},
                  {"label": "Form", "url": "form.html"}],
        "signatories": ["A", "B", {"name": "C"}, {"name": "D", "url": "javascript:alert(1)"},
                        {"name": "E", "contry": "MX"}],
    }
    with pytest.raises(StatementError) as info:
        Statement.from_mapping(front, "Text.\n")
    diagnostics = info.value.diagnostics
    assert [(d.field, d.path, d.line) for d in diagnostics] == [
        ("date", None, 0), ("links[1].url", None, 0), ("signatories[3].url", None, 0),
        ("signatories[4].contry", None, 0)]
    assert "signatories[3].url: URL scheme 'javascript' is not allowed" in str(info.value)
    assert "(did you mean 'country'?)" in diagnostics[3].message


def test_from_mapping_wrong_types_name_the_field() -> None:
    with pytest.raises(StatementError) as info:
        Statement.from_mapping({"title": "T", "date": DATE, "publisher": {"name": 5},
                                "keywords": ["water", 3.5]}, "Text.\n")
    assert [(d.field, d.message) for d in info.value.diagnostics] == [
        ("publisher.name", "must be text, not int"),
        ("keywords[1]", "must be text, not float")]


def test_from_mapping_missing_keys() -> None:
    with pytest.raises(StatementError) as info:
        Statement.from_mapping({}, "Text.\n")
    assert [d.field for d in info.value.diagnostics] == ["title", "date"]


def test_from_mapping_body_lines_count_from_the_body() -> None:
    with pytest.raises(StatementError) as info:
        Statement.from_mapping({"title": "T", "date": DATE}, "Text.\n\n# Heading\n")
    assert [(d.line, d.path) for d in info.value.diagnostics] == [(3, None)]


def test_from_mapping_images_resolve_in_base_dir(folder: Path) -> None:
    body = "![A map of the river](map.png)\n"
    statement = Statement.from_mapping({"title": "T", "date": DATE}, body, base_dir=folder)
    [figure] = statement.body.blocks
    assert isinstance(figure, Figure) and figure.path == (folder / "map.png").resolve()
    with pytest.raises(StatementError, match="the statement has no folder"):
        Statement.from_mapping({"title": "T", "date": DATE}, body)


# --------------------------------------------------------------------------
# Translation units

UNITS_SOURCE = """---
title: The  river
date: 2018-09-20
subtitle: A *shared* river
summary: |
  First.

  Second, [with a link](https://example.org).
links:
  - label: Full letter
    url: https://example.org/letter.pdf
publisher:
  name: River Commons
  logo:
    src: logo.svg
    alt: A blue wave
signatories:
  - Aliso Riverkeepers
  - name: Consejo
    lang: es
    note: Founding *member*
  - name: Red
    note: "[1](https://example.org)"
---

## What we ask {#demands .wide}

The river
belongs to everyone.[^n]

- Item one
  - Nested item
- Item two

  Its second paragraph

1. First demand

| Reach | Households |
|---|---:|
| Upper Aliso | 1,904 |

> A quote.

![A map of the river](map.png)

![](map.png){.decorative}

Text — [1](https://example.org)

—

[^n]: The note.
"""

EXPECTED_UNITS = [
    ("The river", 2, "Title", False),
    ("A *shared* river", 4, "Subtitle", True),
    ("First.", 5, "Summary paragraph", True),
    ("Second, [with a link](https://example.org).", 8, "Summary paragraph", True),
    ("Full letter", 10, "Link label", False),
    ("River Commons", 13, "Publisher name", False),
    ("A blue wave", 16, "Logo alternative text", False),
    ("What we ask", 26, "Heading, level 2", True),
    ("The river belongs to everyone.[^n]", 28, "Paragraph", True),
    ("Item one", 31, "List item", True),
    ("Nested item", 32, "List item", True),
    ("Item two", 33, "List item", True),
    ("Its second paragraph", 35, "List item", True),
    ("First demand", 37, "List item", True),
    ("Reach", 39, "Table header cell", True),
    ("Households", 39, "Table header cell", True),
    ("Upper Aliso", 41, "Table cell", True),
    ("A quote.", 43, "Blockquote paragraph", True),
    ("A map of the river", 45, "Image alternative text", True),
    ("Text — [1](https://example.org)", 49, "Paragraph", True),
    ("The note.", 53, "Footnote paragraph", True),
    ("Founding *member*", 21, "Signatory note", True),
]


def test_units_in_document_order(folder: Path) -> None:
    statement = load_statement(_write(folder, UNITS_SOURCE))
    got = [(u.msgid, u.line, u.role, u.markup) for u in iter_units(statement)]
    assert got == EXPECTED_UNITS
    heading = statement.body.blocks[0]
    assert isinstance(heading, Heading)
    assert (heading.id, heading.classes) == ("demands", ("wide",))


@pytest.mark.parametrize(("summary", "lines"), [
    # a literal block: one blank line between paragraphs (line 4 is the key)
    ("summary: |\n  First,\n  one paragraph.\n\n  Second.\n\n\n  Third.\n", [4, 8, 11]),
    # plain and quoted values: a blank line is a line feed of the value, two part paragraphs
    ("summary: First,\n  one paragraph.\n\n\n  Second.\n", [4, 8]),
    ("summary:\n  First.\n\n\n  Second.\n", [4, 8]),
    ('summary: "First.\n\n\n  Second."\n', [4, 7]),
    # a folded block with one blank line is one paragraph
    ("summary: >\n  Only\n\n  one.\n", [4]),
    # paragraphs written as escapes: the source shows no line of their own
    ('summary: "First.\\n\\nSecond."\n', [4, 4]),
])
def test_each_summary_paragraph_names_the_line_where_it_starts(
        folder: Path, summary: str, lines: list[int]) -> None:
    source = f"---\ntitle: T\ndate: {DATE}\n{summary}---\n\nBody.\n"
    statement = load_statement(_write(folder, source))
    assert [u.line for u in iter_units(statement) if u.role == "Summary paragraph"] == lines


def test_footnote_units_come_where_the_footnote_is_written(folder: Path) -> None:
    source = UNITS_SOURCE.replace("\n[^n]: The note.\n", "").replace(
        "belongs to everyone.[^n]\n", "belongs to everyone.[^n]\n\n[^n]: The note.\n")
    statement = load_statement(_write(folder, source))
    body = [(u.msgid, u.line) for u in iter_units(statement)
            if u.role not in ("Title", "Subtitle", "Summary paragraph", "Link label",
                              "Publisher name", "Logo alternative text", "Signatory note")]
    assert body[:3] == [("What we ask", 26), ("The river belongs to everyone.[^n]", 28),
                        ("The note.", 31)]


def test_units_without_a_letter_are_left_out() -> None:
    statement = Statement.from_mapping(
        {"title": "T", "date": DATE, "subtitle": "2018 — 2025"},
        "| A | B |\n|---|---|\n| 1,904 | — |\n\n[1](https://example.org)\n\n**42**\n")
    assert [u.msgid for u in iter_units(statement)] == ["T", "A", "B"]


def test_model_does_not_import_the_loader() -> None:
    """Statement.from_mapping reaches the loader through model.provide_mapping_reader."""
    import ast

    import statementpub.model as model

    tree = ast.parse(Path(model.__file__).read_text(encoding="utf-8"))
    imported = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert "loader" not in imported and "statementpub.loader" not in imported
    assert not any(isinstance(node, ast.Import) and any("loader" in a.name for a in node.names)
                   for node in ast.walk(tree))
