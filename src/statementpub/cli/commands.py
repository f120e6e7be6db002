"""The catalog, conformance and intake commands: ``extract``, ``update``, ``status``,
``check``, ``import`` and ``signatories import``.

Each takes the parsed arguments and the streams, prints what it did and returns
the exit status; the library's errors are left to :func:`statementpub.cli.main`.
Languages given with ``--lang`` are checked first
(:class:`~statementpub.errors.LanguageTagError`), as the build does.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from ..build import write_atomically
from ..options import DEFAULT_MIN_COVERAGE, language_tags
from ..translate import LanguageStatus

__all__ = ["check_command", "extract_command", "import_command", "signatories_import_command",
           "status_command", "update_command"]


def check_command(args: argparse.Namespace, stdout: TextIO) -> int:
    from ..check import check

    report = check(args.source, langs=args.langs, validate=args.validate)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2), file=stdout)
        return 0 if report.ok else 1
    for warning in report.warnings:
        print(warning, file=stdout)
    for line in report.not_published:
        print(line, file=stdout)
    for edition in report.editions:
        verdict = "no findings" if not edition.findings else \
            f"{len(edition.findings)} finding(s)"
        print(f"{edition.lang}: {verdict} ({', '.join(edition.validators)}); "
              f"{edition.fallbacks} passage(s) shown in the source language", file=stdout)
        for finding in edition.findings:
            print(f"  {finding.check} {finding.rule} {finding.location}: {finding.message}",
                  file=stdout)
    print("Needs a person (no tool checks these):", file=stdout)
    for item in report.manual_checks:
        print(f"  - {item}", file=stdout)
    return 0 if report.ok else 1


def extract_command(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from ..loader import load_statement
    from ..translate import catalog_bytes, extract_catalog

    statement = load_statement(args.source)
    template = extract_catalog(statement)
    data = catalog_bytes(template)
    if args.output == "-":
        stdout.write(data.decode("utf-8"))
        stdout.flush()
        return 0
    target = Path(args.output) if args.output else args.source.with_suffix(".pot")
    write_atomically(target, data)
    count = len(template)
    print(f"wrote {target} ({count} message{'s' if count != 1 else ''})", file=stderr)
    return 0


def update_command(args: argparse.Namespace, stderr: TextIO) -> int:
    from ..errors import CatalogError
    from ..langtags import same_language
    from ..loader import load_statement
    from ..translate import (
        catalog_bytes,
        catalog_path,
        catalog_status,
        extract_catalog,
        update_catalog,
    )

    language_tags(args.langs, path=args.source)
    statement = load_statement(args.source)
    template = extract_catalog(statement)
    for lang in dict.fromkeys(args.langs):
        if same_language(lang, statement.lang):
            raise CatalogError(f"{lang!r} is the statement's source language: it needs no "
                               "catalog", path=str(args.source))
        target = catalog_path(statement, lang)
        merged = update_catalog(template, target, lang=lang, fuzzy_matching=args.fuzzy)
        data = catalog_bytes(merged)
        existed = target.exists()
        converted = _charset_converted(target) if existed else None
        if existed and target.read_bytes() == data:
            print(f"{target}: up to date", file=stderr)
            continue
        write_atomically(target, data)
        # the counts of ``status``, from the same judgment of each translation
        (counts,) = catalog_status(statement, [lang], catalogs={lang: merged})
        note = f"converted from {converted} to UTF-8; " if converted else ""
        print(f"{'updated' if existed else 'created'} {target}: {note}{_counts(counts)}",
              file=stderr)
    return 0


def _counts(status: LanguageStatus) -> str:
    """``24 translated, 0 fuzzy, ...``: the columns of ``status``."""
    return (f"{status.translated} translated, {status.fuzzy} fuzzy, "
            f"{status.untranslated} untranslated, {status.unusable} unusable, "
            f"{status.obsolete} obsolete")


def _charset_converted(path: Path) -> str | None:
    """The charset a catalog declares when it is not UTF-8 (``update`` writes UTF-8)."""
    import codecs

    from ..catalogs import declared_charset

    try:
        name, _ = declared_charset(path.read_bytes())
    except OSError:
        return None
    if name is None:
        return None
    try:
        return None if codecs.lookup(name).name == "utf-8" else name
    except LookupError:  # pragma: no cover - reading the catalog refused it already
        return name


def status_command(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from ..loader import load_statement
    from ..translate import catalog_status

    if args.langs:
        language_tags(args.langs, path=args.source)
    statement = load_statement(args.source)
    threshold = DEFAULT_MIN_COVERAGE if args.min_coverage is None else args.min_coverage
    statuses = catalog_status(statement, args.langs, min_coverage=threshold)
    below = [s for s in statuses if args.min_coverage is not None and not s.published]
    if args.json:
        json.dump({"source": str(args.source), "source_lang": statement.lang,
                   "min_coverage": threshold,
                   "languages": [s.to_dict() for s in statuses]},
                  stdout, ensure_ascii=False, indent=2)
        stdout.write("\n")
    else:
        _print_status_table(args.source, statuses, stdout)
    for s in below:
        print(f"{args.source}: error: [{s.lang}] coverage {s.word_coverage:.1f}% of the "
              f"words is below {threshold:g}%", file=stderr)
    if not statuses:
        print(f"{args.source}: note: no catalogs beside the source", file=stderr)
    return 1 if below else 0


def _print_status_table(source: Path, statuses: Sequence[LanguageStatus], out: TextIO) -> None:
    """The counts per language, then each passage without a usable translation as
    ``source:line: [lang] role: reason (catalog:line)``, both paths as given on the
    command line (so that an editor or CI can follow them)."""
    headers = ("lang", "translated", "fuzzy", "untranslated", "unusable", "obsolete",
               "units", "words", "coverage", "published")
    rows = [(s.lang, str(s.translated), str(s.fuzzy), str(s.untranslated), str(s.unusable),
             str(s.obsolete), f"{s.translated}/{s.total}", f"{s.words}/{s.total_words}",
             f"{s.word_coverage:.1f}%", "yes" if s.published else "no")
            for s in statuses]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w)
                    for i, (h, w) in enumerate(zip(headers, widths, strict=True))), file=out)
    for row in rows:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(row, widths, strict=True))), file=out)
    for s in statuses:
        catalog = source.parent / s.catalog if s.catalog != "<catalog>" else Path(s.catalog)
        for problem in s.problems:
            entry = f" ({catalog}:{problem.catalog_line})" if problem.catalog_line else ""
            print(f"{source}:{problem.line}: [{s.lang}] {problem.role}: {problem.reason}"
                  f"{entry}", file=out)


def signatories_import_command(args: argparse.Namespace, stderr: TextIO) -> int:
    from ..errors import OptionsError
    from ..intake import import_signatories, parse_column_map

    (lang,) = language_tags([args.lang], path=args.export)
    if args.out.exists() and not args.force:
        raise OptionsError(f"{args.out} exists: give --force to replace it, or another --out")
    result = import_signatories(args.export, parse_column_map(args.columns), lang=lang,
                                out=args.out)
    for diagnostic in sorted((*result.left_out, *result.notes), key=lambda d: d.line):
        print(diagnostic, file=stderr)
    written = len(result.signatories)
    duplicates = len(result.duplicates)
    unusable = len(result.left_out) - duplicates
    print(f"wrote {args.out}: {written} signator{'y' if written == 1 else 'ies'} from "
          f"{result.rows} row{'' if result.rows == 1 else 's'} ({', '.join(result.columns)}); "
          f"left out {duplicates} duplicate{'' if duplicates == 1 else 's'} and {unusable} "
          f"row{'' if unusable == 1 else 's'} without a usable name", file=stderr)
    return 0


def import_command(args: argparse.Namespace, stderr: TextIO) -> int:
    from ..intake import import_draft

    if args.lang is not None:
        language_tags([args.lang], path=args.draft)
    result = import_draft(args.draft, args.out_dir, date=args.date, lang=args.lang,
                          kind=args.kind, force=args.force)
    for note in result.notes:
        print(note, file=stderr)
    images = len(result.images)
    print(f"wrote {result.statement}, {images} image{'' if images == 1 else 's'} and "
          f"{result.signatories} signator{'y' if result.signatories == 1 else 'ies'}",
          file=stderr)
    if result.to_fill_in:
        print("To fill in before it builds:", file=stderr)
        for diagnostic in result.to_fill_in:
            print(f"  {diagnostic}", file=stderr)
    else:
        print(f"It builds: statementpub build {result.statement}", file=stderr)
    return 0
