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
from .build import FORMATS, BuildReport, build
from .errors import StatementpubError

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
                   help="statement file (statement.md)")
    p.add_argument("--lang", action="append", dest="langs", metavar="TAG",
                   help="language to build (repeatable); default: the source language and "
                        "every language with a catalog beside the source")
    p.add_argument("--format", action="append", dest="formats", choices=FORMATS,
                   help="format to build (repeatable); default: all three")
    p.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR",
                   help="output folder (default: ./dist)")
    p.add_argument("--strict", action="store_true",
                   help="fail on any fallback (untranslated unit) or warning")
    return parser


def _print_report(report: BuildReport, stream: TextIO) -> None:
    for warning in report.warnings:
        print(str(warning), file=stream)
    for edition in report.editions:
        for fb in edition.fallbacks:
            print(f"{report.source.name}:{fb.line}: note: [{edition.lang}] {fb.role} shown in "
                  f"the source language: {fb.reason}", file=stream)
    for edition in report.editions:
        count = len(edition.fallbacks)
        fallback = f"{count} unit{'s' if count != 1 else ''} fell back to the source language" \
            if count else "fully translated"
        names = ", ".join(str(path) for path in edition.files)
        print(f"{edition.lang}: {fallback}; wrote {names}", file=stream)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    stderr = sys.stderr
    status = 0
    if args.command == "build":
        for source in args.sources:
            try:
                report = build(source, langs=args.langs, formats=args.formats,
                               out_dir=args.out, strict=args.strict)
            except StatementpubError as exc:
                for line in exc.lines():
                    print(line, file=stderr)
                status = 1
                continue
            except KeyboardInterrupt:
                print("interrupted: previous outputs are intact", file=stderr)
                return 130
            _print_report(report, stderr)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
