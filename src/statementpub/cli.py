"""The ``statementpub`` command: a thin layer over the API.

Exit status: 0 success, 1 input or build errors (printed as
``path:line: error: message``), 2 usage errors (argparse).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .build import FORMATS, write_atomically
from .errors import StatementpubError
from .translate import LanguageStatus

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="statementpub",
        description="Publish a statement as accessible HTML, tagged PDF and EPUB 3, "
                    "in every language its catalogs cover.")
    parser.add_argument("--version", action="version", version=f"statementpub {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("build", help="build the editions of one or more statements")
    p.add_argument("sources", nargs="+", metavar="SOURCE", type=Path,
                   help="statement file (statement.md), or a folder: its statement.md and "
                        "every */statement.md in it")
    p.add_argument("--lang", action="append", dest="langs", metavar="TAG",
                   help="language to build (repeatable); default: the source language and "
                        "every language with a catalog beside the source")
    p.add_argument("--format", action="append", dest="formats", choices=FORMATS,
                   help="format to build (repeatable); default: all three")
    p.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR",
                   help="output folder (default: ./dist)")
    p.add_argument("--strict", action="store_true",
                   help="fail on any fallback (untranslated unit) or warning")
    p.add_argument("--jobs", "-j", type=int, metavar="N", default=None,
                   help="worker processes (default: the number of cores); the output is "
                        "the same whatever N is")
    p.add_argument("--force", action="store_true",
                   help="render every file, even those the manifest finds up to date")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="print errors only: no progress, notes or summary")

    p = sub.add_parser("extract", help="write the translation template (.pot) of a statement")
    p.add_argument("source", metavar="SOURCE", type=Path, help="statement file (statement.md)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="where to write the template (default: <stem>.pot beside the "
                        "source; '-' for standard output)")

    p = sub.add_parser("update", help="create or update a language's catalog (.po) from the "
                                      "statement, as msgmerge does")
    p.add_argument("source", metavar="SOURCE", type=Path, help="statement file (statement.md)")
    p.add_argument("--lang", action="append", dest="langs", metavar="TAG", required=True,
                   help="language of the catalog (repeatable); writes <stem>.<TAG>.po or "
                        "the path named in 'translations'")
    p.add_argument("--no-fuzzy-matching", dest="fuzzy", action="store_false",
                   help="do not propose fuzzy translations for new units")

    p = sub.add_parser("status", help="report how far each language's catalog covers the "
                                      "statement")
    p.add_argument("source", metavar="SOURCE", type=Path, help="statement file (statement.md)")
    p.add_argument("--lang", action="append", dest="langs", metavar="TAG",
                   help="language to report (repeatable); default: every catalog")
    p.add_argument("--min-coverage", type=float, metavar="PERCENT",
                   help="exit 1 when a language's coverage is below PERCENT")
    p.add_argument("--json", action="store_true", help="print JSON for tools")

    p = sub.add_parser("check", help="build in a temporary folder and report conformance "
                                     "findings per edition")
    p.add_argument("source", metavar="SOURCE", type=Path, help="statement file (statement.md)")
    p.add_argument("--lang", action="append", dest="langs", metavar="TAG",
                   help="language to check (repeatable); default: as for build")
    p.add_argument("--validate", action="store_true",
                   help="also run axe-core, EPUBCheck, DAISY Ace and pdfua "
                        "(see .ci/install-validators)")
    p.add_argument("--json", action="store_true", help="print JSON for tools")
    return parser


def _check(args: argparse.Namespace, stdout: TextIO) -> int:
    import json

    from .check import check

    report = check(args.source, langs=args.langs, validate=args.validate)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2), file=stdout)
        return 0 if report.ok else 1
    for warning in report.warnings:
        print(warning, file=stdout)
    for edition in report.editions:
        verdict = "no findings" if not edition.findings else \
            f"{len(edition.findings)} finding(s)"
        print(f"{edition.lang}: {verdict} ({', '.join(edition.validators)}); "
              f"{edition.fallbacks} unit(s) shown in the source language", file=stdout)
        for finding in edition.findings:
            print(f"  {finding.check} {finding.rule} {finding.location}: {finding.message}",
                  file=stdout)
    print("Needs a person (no tool checks these):", file=stdout)
    for item in report.manual_checks:
        print(f"  - {item}", file=stdout)
    return 0 if report.ok else 1


def _extract(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .loader import load_statement
    from .translate import catalog_bytes, extract_catalog

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


def _update(args: argparse.Namespace, stderr: TextIO) -> int:
    from .langtags import same_language
    from .errors import CatalogError
    from .loader import load_statement
    from .translate import catalog_bytes, catalog_path, extract_catalog, update_catalog

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
        if existed and target.read_bytes() == data:
            print(f"{target}: up to date", file=stderr)
            continue
        write_atomically(target, data)
        counts = {"translated": 0, "fuzzy": 0, "untranslated": 0, "obsolete": 0}
        for entry in merged:
            if entry.obsolete:
                counts["obsolete"] += 1
            elif "fuzzy" in entry.flags and entry.msgstr:
                counts["fuzzy"] += 1
            elif entry.msgstr:
                counts["translated"] += 1
            else:
                counts["untranslated"] += 1
        print(f"{'updated' if existed else 'created'} {target}: "
              + ", ".join(f"{n} {what}" for what, n in counts.items()), file=stderr)
    return 0


def _status(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    import json

    from .loader import load_statement
    from .translate import catalog_status

    statement = load_statement(args.source)
    statuses = catalog_status(statement, args.langs)
    below = [s for s in statuses
             if args.min_coverage is not None and s.coverage < args.min_coverage]
    if args.json:
        json.dump({"source": str(args.source), "source_lang": statement.lang,
                   "min_coverage": args.min_coverage,
                   "languages": [s.to_dict() for s in statuses]},
                  stdout, ensure_ascii=False, indent=2)
        stdout.write("\n")
    else:
        _print_status_table(statement.display_path, statuses, stdout)
    for s in below:
        print(f"{args.source}: error: [{s.lang}] coverage {s.coverage}% is below "
              f"{args.min_coverage:g}%", file=stderr)
    if not statuses:
        print(f"{args.source}: note: no catalogs beside the source", file=stderr)
    return 1 if below else 0


def _print_status_table(source: str, statuses: Sequence[LanguageStatus], out: TextIO) -> None:
    headers = ("lang", "translated", "fuzzy", "untranslated", "unusable", "obsolete",
               "coverage")
    rows = [(s.lang, str(s.translated), str(s.fuzzy), str(s.untranslated), str(s.unusable),
             str(s.obsolete), f"{s.coverage:.1f}%") for s in statuses]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w)
                    for i, (h, w) in enumerate(zip(headers, widths))), file=out)
    for row in rows:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(row, widths))), file=out)
    for s in statuses:
        for problem in s.problems:
            entry = f" ({s.catalog}:{problem.catalog_line})" if problem.catalog_line else ""
            print(f"{source}:{problem.line}: [{s.lang}] {problem.role}: {problem.reason}"
                  f"{entry}", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    stderr = sys.stderr
    status = 0
    if args.command in ("extract", "update", "status", "check"):
        try:
            if args.command == "check":
                return _check(args, sys.stdout)
            if args.command == "extract":
                return _extract(args, sys.stdout, stderr)
            if args.command == "update":
                return _update(args, stderr)
            return _status(args, sys.stdout, stderr)
        except StatementpubError as exc:
            for line in exc.lines():
                print(line, file=stderr)
            return 1
    if args.command == "build":
        from .build import run_command

        return run_command(args.sources, langs=args.langs, formats=args.formats,
                           out_dir=args.out, strict=args.strict, jobs=args.jobs,
                           force=args.force, quiet=args.quiet, stream=stderr)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
