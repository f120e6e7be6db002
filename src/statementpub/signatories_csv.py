"""Read a CSV file (RFC 4180) with line numbers: the signatory list of a
statement (``signatories: signatories.csv``, STATEMENT_FORMAT.md "Front
matter") and a sign-on form's export (``statementpub signatories import``).

The parsing is Python's :mod:`csv` module (``strict``, so a broken quote is an
error, not a silently merged field); this module adds what a statement needs:
UTF-8 with an optional byte order mark, a size limit, the line where each
record starts (a quoted field may hold line breaks), the format's rules for
characters in every cell (the loader's own checks, from :mod:`statementpub.text`),
and the header of a signatory list. Errors are
:class:`~statementpub.errors.StatementError` naming the CSV file and its line.
Validating each signatory is the loader's job (:mod:`statementpub.loader`),
the same as for signatories written in the front matter.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostic, StatementError
from .text import bidi_problem, forbidden_character

__all__ = ["MAX_CSV_BYTES", "SIGNATORY_COLUMNS", "CsvRecord", "CsvTable", "parse_csv",
           "read_csv", "read_signatory_csv"]

#: CSV files larger than this are refused (bytes): 16 MiB. (A statement holds at most
#: 20,000 signatories, :data:`statementpub.loader.MAX_SIGNATORIES`; a form's export
#: may be larger than the list made from it.)
MAX_CSV_BYTES = 16 * 1024 * 1024
#: The columns of a signatory list, in the order of the format's table.
SIGNATORY_COLUMNS: tuple[str, ...] = ("name", "lang", "url", "country", "note")


@dataclass(frozen=True, slots=True)
class CsvRecord:
    """One record (row) after the header: ``line`` is the 1-based line where it
    starts in the file; ``cells`` are its fields as written (quotes removed)."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CsvTable:
    """A CSV file: its header's fields, the header's line and its records."""

    path: str
    header: tuple[str, ...]
    header_line: int
    records: tuple[CsvRecord, ...]

    def column(self, name: str) -> int | None:
        """The index of the column ``name`` in the header, or ``None``."""
        return self.header.index(name) if name in self.header else None


def _error(message: str, path: str, line: int) -> StatementError:
    return StatementError([Diagnostic(message, path, line)])


def _check_characters(cell: str, path: str, line: int) -> Diagnostic | None:
    """The format's rules for characters (STATEMENT_FORMAT.md, "The file"), as the
    loader applies them to a front-matter value: no character an edition cannot
    hold (:func:`~statementpub.text.forbidden_character`), no bidirectional
    embedding or override and isolates balanced within the cell
    (:func:`~statementpub.text.bidi_problem`). ``line`` is the cell's first line;
    the message names the line of the character."""
    for offset, part in enumerate(cell.split("\n")):
        bad = forbidden_character(part)
        if bad is not None:
            return Diagnostic(f"the cell holds {bad}, which no edition can hold: remove it",
                              path, line + offset)
    bidi = bidi_problem(cell)
    if bidi is not None:
        return Diagnostic(f"the cell holds {bidi[1]}: remove it (statementpub isolates names "
                          "and passages in another direction itself)", path,
                          line + cell.count("\n", 0, bidi[0]))
    return None


def parse_csv(text: str, path: str) -> CsvTable:
    """Parse CSV text (RFC 4180: comma-separated, ``"`` quotes, a header row).

    :param text: the file's text (line breaks as written: CRLF, LF or CR).
    :param path: the file as shown in messages.
    :returns: the header and the records; blank lines are skipped.
    :raises StatementError: a broken quote, a record with more fields than the
        header, a control or bidirectional character, an empty file; each
        naming ``path`` and the line.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    problems: list[Diagnostic] = []
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                message, where = ("a quoted field opened in this record is never closed "
                                  "(a '\"' is missing)"), start
            else:
                message, where = (f"a quote is broken: {exc} (a '\"' inside a field is "
                                  "written '\"\"')"), reader.line_num
                if where != start:
                    message += f"; the record starts on line {start}"
            problems.append(Diagnostic(message, path, where))
            raise StatementError(problems) from None
        if not row:
            continue
        rows.append((start, row))
    if not rows:
        raise _error("the file is empty: the first line names the columns (name, ...)", path, 1)
    header_line, header = rows[0]
    width = len(header)
    records = []
    for line, row in rows:
        for cell_index, cell in enumerate(row):
            found = _check_characters(cell, path, line + sum(
                c.count("\n") for c in row[:cell_index]))
            if found:
                problems.append(found)
        if len(row) > width:
            problems.append(Diagnostic(f"the record has {len(row)} fields, the header "
                                       f"{width}: quote a field that holds a comma", path, line))
        if line != header_line:
            records.append(CsvRecord(line, tuple(row) + ("",) * (width - len(row))))
    if problems:
        raise StatementError(problems)
    return CsvTable(path, tuple(cell.strip() for cell in header), header_line, tuple(records))


def read_csv(source: Path, display: str) -> CsvTable:
    """Read a CSV file: UTF-8 (a byte order mark is accepted), at most
    :data:`MAX_CSV_BYTES`, parsed by :func:`parse_csv`.

    :param source: the file.
    :param display: the file as shown in messages.
    :raises StatementError: it cannot be read, is too large, is not UTF-8 (with
        the line of the first invalid byte), or :func:`parse_csv` refuses it.
    """
    try:
        info = source.stat()
        if not stat.S_ISREG(info.st_mode):
            raise _error("is not a regular file", display, 0)
        with source.open("rb") as handle:
            data = handle.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise _error(f"cannot read the file: {exc.strerror or exc}", display, 0) from None
    if len(data) > MAX_CSV_BYTES:
        raise _error(f"the file is larger than {MAX_CSV_BYTES} bytes (16 MiB)", display, 1)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = len(re.findall(rb"\r\n|\r|\n", data[:exc.start])) + 1
        raise _error(f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x}): export "
                     "it as 'CSV UTF-8'", display, line) from None
    return parse_csv(text, display)


def read_signatory_csv(source: Path, display: str) -> CsvTable:
    """A statement's signatory list: :func:`read_csv`, with a header of the
    columns :data:`SIGNATORY_COLUMNS` (``name`` required, each at most once).

    :raises StatementError: as :func:`read_csv`; an unknown column (with the
        closest known one as a hint), a repeated one, or no ``name`` column,
        naming the header's line.
    """
    table = read_csv(source, display)
    problems = []
    for index, column in enumerate(table.header):
        if column not in SIGNATORY_COLUMNS:
            hint = difflib.get_close_matches(column, SIGNATORY_COLUMNS, n=1, cutoff=0.6) \
                or difflib.get_close_matches(column.lower(), SIGNATORY_COLUMNS, n=1, cutoff=0.6)
            problems.append(Diagnostic(
                f"unknown column {column!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
                + f"; allowed: {', '.join(SIGNATORY_COLUMNS)}", display, table.header_line))
        elif column in table.header[:index]:
            problems.append(Diagnostic(f"the column {column!r} is named twice", display,
                                       table.header_line))
    if "name" not in table.header and not problems:
        problems.append(Diagnostic("the header has no 'name' column (the signatory's name)",
                                   display, table.header_line))
    if problems:
        raise StatementError(problems)
    return table
