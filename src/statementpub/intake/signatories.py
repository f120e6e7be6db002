"""A sign-on form's export (a spreadsheet saved as CSV) becomes a statement's
signatory list: ``statementpub signatories import form-export.csv --map
"Organisation=name,Country=country"``.

The export is read as RFC 4180 by Python's :mod:`csv` module
(:func:`statementpub.signatories_csv.read_csv`); each row is validated by the
loader's rules for a signatory (:func:`statementpub.loader.signatory_from_record`),
so the file written always loads. What the import cannot use is left out and
reported by the export's line: a row whose name is empty or unusable, the
later of two rows with the same or a look-alike name
(:func:`statementpub.text.lookalike_key`, or names that differ besides only in
spaces, which the loader warns about), and a cell (a URL, a country, a
language) that breaks the format's rules (the row is kept without it).
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale

from ..errors import Diagnostic, OptionsError, StatementError
from ..loader import signatory_from_record
from ..model import Signatory
from ..signatories_csv import SIGNATORY_COLUMNS, CsvRecord, CsvTable, read_csv
from ..text import fold, lookalike_key

__all__ = ["SignatoryImport", "import_signatories", "parse_column_map"]


@dataclass(frozen=True)
class SignatoryImport:
    """The result of :func:`import_signatories`.

    ``signatories`` are those written, in the export's order, each with the
    export's line; ``left_out`` and ``notes`` are warnings naming the export's
    line (a row left out; a cell left out of a row that was kept);
    ``rows`` counts the export's data rows.
    """

    source: str
    columns: tuple[str, ...]
    signatories: tuple[Signatory, ...]
    left_out: tuple[Diagnostic, ...]
    notes: tuple[Diagnostic, ...]
    rows: int
    data: bytes

    @property
    def duplicates(self) -> tuple[Diagnostic, ...]:
        """The rows left out because their name repeats an earlier row's."""
        return tuple(d for d in self.left_out if d.field == "duplicate")


def parse_column_map(specs: Sequence[str]) -> dict[str, str]:
    """``["Organisation=name,Country=country"]`` -> ``{"Organisation": "name", ...}``.

    Each spec is a comma-separated list of ``EXPORT COLUMN=signatory column``;
    the signatory columns are :data:`~statementpub.signatories_csv.SIGNATORY_COLUMNS`.

    :raises OptionsError: an item without ``=``, an unknown signatory column (with
        a hint), a signatory column given twice.
    """
    mapping: dict[str, str] = {}
    for spec in specs:
        for item in spec.split(","):
            if not item.strip():
                continue
            source, equals, target = item.rpartition("=")
            source, target = source.strip(), target.strip()
            if not equals or not source:
                raise OptionsError(f"--map item {item.strip()!r} must be 'EXPORT COLUMN="
                                   "column', such as 'Organisation=name'")
            if target not in SIGNATORY_COLUMNS:
                hint = difflib.get_close_matches(target.lower(), SIGNATORY_COLUMNS, n=1)
                raise OptionsError(f"--map: unknown signatory column {target!r}"
                                   + (f" (did you mean {hint[0]!r}?)" if hint else "")
                                   + f"; one of: {', '.join(SIGNATORY_COLUMNS)}")
            if target in mapping.values():
                raise OptionsError(f"--map: the column {target!r} is given twice")
            mapping[source] = target
    return mapping


@lru_cache(maxsize=8)
def _country_codes(langs: tuple[str, ...]) -> dict[str, str]:
    """Country names (CLDR, in ``langs``), case-folded, -> ISO 3166-1 alpha-2 code."""
    codes: dict[str, str] = {}
    for lang in langs:
        try:
            territories = Locale.parse(lang, sep="-").territories
        except (ValueError, LookupError):
            continue
        for code, name in territories.items():
            if len(code) == 2 and code.isalpha():
                codes.setdefault(name.casefold(), code)
    return codes


def _country(value: str, langs: tuple[str, ...]) -> str:
    """A form's country cell as a code when it is one or a name CLDR knows
    (``mx``, ``Mexico``, ``México`` -> ``MX``); else as written."""
    text = value.strip()
    if len(text) == 2 and text.isascii() and text.isalpha():
        return text.upper()
    return _country_codes(langs).get(text.casefold(), text)


def import_signatories(
    export: str | Path,
    columns: Mapping[str, str] | None = None,
    *,
    lang: str = "en",
    out: str | Path | None = None,
) -> SignatoryImport:
    """Make a signatory CSV (STATEMENT_FORMAT.md, ``signatories: signatories.csv``)
    from a sign-on form's export.

    :param export: the export, CSV in UTF-8 (RFC 4180, a header row).
    :param columns: export column -> signatory column (``name``, ``lang``, ``url``,
        ``country``, ``note``); ``None`` or empty: the export's columns whose names
        are signatory columns (in any letter case). ``name`` must be mapped.
    :param lang: the statement's language, the default ``lang`` of a name; country
        names are recognised in it and in English, Spanish, French and Portuguese.
    :param out: where to write the result; ``None``: write nothing (see ``data``).
    :returns: what was written and what was left out, by the export's line.
    :raises StatementError: the export cannot be read or parsed (a broken quote,
        not UTF-8), a mapped column is missing from it, no row is usable; each
        naming the export and its line. Nothing is written.
    :raises OptionsError: a bad ``columns`` mapping.
    """
    path = Path(export)
    table = read_csv(path, str(export))
    if not columns:
        columns = {column: column.lower() for column in table.header
                   if column.lower() in SIGNATORY_COLUMNS}
    missing = [source for source in columns if source not in table.header]
    if missing:
        problems = []
        for source in missing:
            hint = difflib.get_close_matches(source, table.header, n=1, cutoff=0.6)
            problems.append(Diagnostic(
                f"the export has no column {source!r}"
                + (f" (did you mean {hint[0]!r}?)" if hint else "")
                + f"; its columns: {', '.join(table.header)}", str(export), table.header_line))
        raise StatementError(problems)
    if "name" not in columns.values():
        raise OptionsError("say which column of the export holds the names: --map "
                           "'COLUMN=name'" + (f" (its columns: {', '.join(table.header)})"
                                              if table.header else ""))
    order = [c for c in SIGNATORY_COLUMNS if c in columns.values()]
    index = {target: table.header.index(source) for source, target in columns.items()}
    langs = tuple(dict.fromkeys((lang, "en", "es", "fr", "pt")))
    target_table = CsvTable(str(export), tuple(order), table.header_line, ())
    kept: list[Signatory] = []
    kept_cells: list[list[str]] = []
    left_out: list[Diagnostic] = []
    notes: list[Diagnostic] = []
    seen: dict[str, Signatory] = {}
    for record in table.records:
        cells = [record.cells[index[column]].strip() for column in order]
        if "country" in order and cells[order.index("country")]:
            position = order.index("country")
            cells[position] = _country(cells[position], langs)
        if not any(cell.strip() for cell in record.cells):
            continue
        signatory, problems = signatory_from_record(
            target_table, CsvRecord(record.line, tuple(cells)), default_lang=lang)
        if signatory is None:
            reasons = "the name is empty" if not cells[order.index("name")] else \
                "; ".join(p.message for p in problems)
            left_out.append(Diagnostic(f"row left out: {reasons}", str(export), record.line,
                                       severity="warning", field="unusable"))
            continue
        for problem in problems:
            column = (problem.field or "").rpartition(".")[2]
            if column in order:
                cells[order.index(column)] = ""
            notes.append(Diagnostic(f"{column} left out, the signatory kept: {problem.message}",
                                    str(export), record.line, severity="warning", field=column))
        # the loader's look-alike key, with white space folded: the file written
        # holds no name the loader refuses or warns about as a duplicate
        key = fold(lookalike_key(signatory.name))
        first = seen.get(key)
        if first is not None:
            if fold(first.name).casefold() == fold(signatory.name).casefold():
                what = f"duplicate signatory {signatory.name!r}"
            else:
                what = f"signatory {signatory.name!r} looks the same as {first.name!r}"
            left_out.append(Diagnostic(f"{what} (also on line {first.line}): row left out",
                                       str(export), record.line, severity="warning",
                                       field="duplicate"))
            continue
        seen[key] = signatory
        kept.append(signatory)
        kept_cells.append(cells)
    if not kept:
        raise StatementError([Diagnostic("no row of the export has a usable name"
                                         + (f" ({len(left_out)} left out)" if left_out else ""),
                                         str(export), table.header_line), *left_out])
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(order)
    writer.writerows(kept_cells)
    data = buffer.getvalue().encode("utf-8")
    if out is not None:
        from ..build import write_atomically

        write_atomically(Path(out), data)
    return SignatoryImport(str(export), tuple(order), tuple(kept), tuple(left_out),
                           tuple(notes), len(table.records), data)
