"""The command line's arguments. The build options take their defaults from
:data:`statementpub.options.DEFAULT_OPTIONS` (``set_defaults``), the one place
where they are written, and their names (``dest``) are those of
:class:`~statementpub.options.Options`."""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from .. import __version__
from ..kinds import KINDS
from ..options import DEFAULT_OPTIONS, FORMATS, Options
from .service_commands import add_commands

__all__ = ["build_options", "make_parser"]


class _Repeatable(argparse.Action):
    """``append``, except that the first use replaces the default instead of adding
    to it (the default of ``--format`` is all three formats)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        items = getattr(namespace, self.dest, None)
        items = [] if items is None or items is self.default else list(items)
        items.append(values)
        setattr(namespace, self.dest, items)


def _percent(text: str) -> float:
    """A percentage from 0 to 100 (``80``, ``62.5``, ``80%``)."""
    try:
        value = float(text.strip().removesuffix("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a percentage: {text!r}") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"a percentage from 0 to 100, not {text!r}")
    return value


class _Parser(argparse.ArgumentParser):
    """An argument parser whose commands report their own mistakes: an unknown option
    after ``build`` is an error in ``build``'s usage, with the closest option as a hint
    (``--stirct``: did you mean ``--strict``?)."""

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None,
                         ) -> tuple[argparse.Namespace, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        if extras and self._subparsers is None:
            # a command's parser: refuse here, where the usage is this command's
            self.error(_unrecognized(self, extras))
        return parsed, extras

    def error(self, message: str) -> NoReturn:
        if message.startswith("argument COMMAND: invalid choice:"):
            hint = _closest(message.split("'")[1], _commands(self))
            if hint:
                message += f"; did you mean {hint!r}?"
        super().error(message)


def _commands(parser: argparse.ArgumentParser) -> list[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


def _closest(word: str, candidates: Sequence[str]) -> str | None:
    found = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return found[0] if found else None


def _unrecognized(parser: argparse.ArgumentParser, extras: Sequence[str]) -> str:
    message = "unrecognized arguments: " + " ".join(extras)
    options = [option for action in parser._actions for option in action.option_strings]
    for extra in extras:
        if extra.startswith("-"):
            hint = _closest(extra.split("=", 1)[0], options)
            if hint:
                return f"{message} (did you mean {hint}?)"
    return message


def make_parser() -> argparse.ArgumentParser:
    """The parser of ``statementpub``: the commands build, extract, update, status, check,
    import, signatories import, and (extra ``serve``) schema, serve and preview."""
    parser = _Parser(
        prog="statementpub",
        description="Publish a statement as accessible HTML, tagged PDF and EPUB 3, "
                    "in every language its catalogs cover.")
    parser.add_argument("--version", action="version", version=f"statementpub {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                parser_class=_Parser)

    p = sub.add_parser("build", help="build the editions of one or more statements")
    p.add_argument("sources", nargs="+", metavar="SOURCE", type=Path,
                   help="statement file (statement.md), or a folder: its statement.md and "
                        "every */statement.md in it")
    p.add_argument("--lang", action=_Repeatable, dest="langs", metavar="TAG",
                   help="language to build (repeatable); default: the source language and "
                        "every language with a catalog beside the source")
    p.add_argument("--format", action=_Repeatable, dest="formats", choices=FORMATS,
                   help="format to build (repeatable); default: all three")
    p.add_argument("--out", type=Path, dest="out_dir", metavar="DIR",
                   help=f"output folder (default: ./{DEFAULT_OPTIONS['out_dir']})")
    p.add_argument("--strict", action="store_true",
                   help="fail on any fallback (untranslated unit) or warning")
    p.add_argument("--jobs", "-j", type=int, metavar="N",
                   help="worker processes (default: the number of cores); the output is "
                        "the same whatever N is")
    p.add_argument("--force", action="store_true",
                   help="render every file, even those the manifest finds up to date")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="print errors only: no progress, notes or summary")
    p.add_argument("--min-coverage", type=_percent, metavar="PERCENT",
                   help="publishing threshold: a catalog found beside the source that "
                        "translates less than PERCENT of the words is a translation in "
                        "progress and is not built (default: "
                        f"{DEFAULT_OPTIONS['min_coverage']:g}; 0 publishes every catalog); "
                        "a language named with --lang is built at any coverage")
    p.add_argument("--interface-catalogs", type=Path, metavar="DIR",
                   help="folder of interface catalogs (<tag>.po or "
                        "<tag>/LC_MESSAGES/statementpub.po) looked in before statementpub's "
                        "own, for the labels, 'Signatories' and page numbers of a language")
    p.add_argument("--font", action=_Repeatable, dest="fonts", metavar="FILE", type=Path,
                   help="a font file (.ttf, .otf, .woff, .woff2) for characters no shipped "
                        "font has, such as CJK (repeatable); embedded in the outputs")
    p.add_argument("--json", action="store_true",
                   help="print the build report as JSON on standard output, for tools")
    p.set_defaults(**DEFAULT_OPTIONS)

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
    p.add_argument("--min-coverage", type=_percent, metavar="PERCENT",
                   help="the publishing threshold the 'published' column is judged by "
                        f"(default: {DEFAULT_OPTIONS['min_coverage']:g}, as for build); when "
                        "given, exit 1 when a language's coverage of the words is below it")
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

    p = sub.add_parser("import", help="make a statement (statement.md and its images) from a "
                                      "Word (.docx) or OpenDocument (.odt) draft")
    p.add_argument("draft", metavar="DRAFT", type=Path, help="the draft: a .docx or .odt file")
    p.add_argument("--out", type=Path, dest="out_dir", metavar="FOLDER", required=True,
                   help="the statement's folder: FOLDER/statement.md and the images")
    p.add_argument("--date", metavar="YYYY-MM-DD",
                   help="the publication date (used whatever the draft says)")
    p.add_argument("--lang", metavar="TAG",
                   help="the language the draft is written in, such as 'es'")
    p.add_argument("--kind", choices=KINDS, help="the kind of statement (default: statement)")
    p.add_argument("--force", action="store_true", help="replace FOLDER/statement.md")

    p = sub.add_parser("signatories", help="make a statement's signatory list (CSV) from a "
                                           "sign-on form's export")
    signatories = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = signatories.add_parser(
        "import", help="write signatories.csv from a form's export, leaving out (and "
                       "reporting) duplicates and rows without a usable name")
    p.add_argument("export", metavar="EXPORT", type=Path,
                   help="the form's export: CSV in UTF-8 with a header row")
    p.add_argument("--map", action="append", dest="columns", metavar="MAP", default=[],
                   help="export columns to signatory columns (name, lang, url, country, "
                        "note), such as 'Organisation=name,Country=country' (repeatable); "
                        "default: the export's columns with those names")
    p.add_argument("--lang", metavar="TAG", default="en",
                   help="the statement's language, the default language of a name "
                        "(default: en)")
    p.add_argument("-o", "--out", type=Path, metavar="FILE", default=Path("signatories.csv"),
                   help="where to write (default: ./signatories.csv)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")

    add_commands(sub)  # schema, serve, preview
    return parser


def build_options(args: argparse.Namespace) -> Options:
    """The :class:`Options` of a parsed ``build`` command."""
    values = {name: getattr(args, name) for name in DEFAULT_OPTIONS}
    for name in ("langs", "formats", "fonts"):
        if values[name] is not None:
            values[name] = tuple(values[name])
    return Options(**values)
