"""``statementpub build`` on a terminal: the progress line, the lines about each
statement (:func:`describe`), the summary table (one row per statement and
language, :func:`summary_table`), and the exit status."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from ..build import (
    BatchResult,
    BuildReport,
    EditionReport,
    Progress,
    build_many,
    find_sources,
)
from ..errors import StatementpubError
from ..options import Options

__all__ = ["ProgressDisplay", "describe", "run_build", "summary_table"]


class ProgressDisplay:
    """One self-rewriting status line on a terminal (``stream``, usually stderr)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._width = 0
        self._start = time.monotonic()

    def __call__(self, progress: Progress) -> None:
        elapsed = time.monotonic() - self._start
        line = (f"[{progress.statements_done}/{progress.statements} statements, "
                f"{progress.done}/{progress.total} files, {elapsed:.1f} s] {progress.current}")
        line = line[:max(20, _terminal_width(self.stream) - 1)]
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()
        self._width = len(line)

    def clear(self) -> None:
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0


def _terminal_width(stream: TextIO) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return 80


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _files_result(edition: EditionReport) -> str:
    rebuilt, fresh = len(edition.rebuilt), len(edition.up_to_date)
    if not fresh:
        return "written"
    if not rebuilt:
        return "up to date"
    return f"written {rebuilt}, up to date {fresh}"


def _formats(edition: EditionReport) -> str:
    return ", ".join(path.suffix.lstrip(".") for path in edition.files) or "-"


def summary_table(results: Sequence[BatchResult], *, out_dir: Path | None = None) -> str:
    """A plain-text table with one row per statement and language: the formats
    written, the passages shown in the source language, and what became of the
    edition (``written``, ``up to date``, ``refused (--strict)``; ``FAILED`` for a
    statement that could not be built); then a line of totals."""
    rows = [("statement", "lang", "files", "passages in source language", "result")]
    ready = refused = failed = 0
    for result in results:
        report = result.report
        if report is None:
            # the errors themselves are printed above the table, each with its line
            count = len(result.error.lines()) if result.error else 0
            rows.append((str(result.source), "-", "-", "-",
                         f"FAILED ({_plural(count, 'error')})"))
            failed += 1
            continue
        if not result.ok:
            failed += 1
        for edition in report.editions:
            rows.append((str(report.source), edition.lang, _formats(edition),
                         str(len(edition.fallbacks)), _files_result(edition)))
            ready += 1
        for edition in report.refused:
            rows.append((str(report.source), edition.lang, "-", str(len(edition.fallbacks)),
                         "refused (--strict): nothing written"))
            refused += 1
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True))
             + "  " + row[4]
             for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths) + "  " + "-" * 6)
    where = f" in {out_dir}{os.sep}" if out_dir is not None else ""
    totals = (f"statements: {len(results) - failed} succeeded, {failed} failed; "
              f"editions: {ready} ready{where}, {refused} refused")
    lines.append(totals)
    return "\n".join(lines)


def describe(report: BuildReport) -> list[str]:
    """The notes about one statement's build: its warnings, and each passage shown in
    the source language (``path:line: note: [lang] role shown in the source language:
    reason``); editions refused by a strict build are reported as errors instead."""
    lines = [str(warning) for warning in report.warnings]
    for edition in report.editions:
        for fb in edition.fallbacks:
            lines.append(f"{report.source}:{fb.line}: note: [{edition.lang}] {fb.role} "
                         f"shown in the source language: {fb.reason}")
    return lines


def run_build(sources: Sequence[Path], *, options: Options, stream: TextIO) -> int:
    """``statementpub build``: build every statement, show progress on a terminal, print
    errors, notes and a summary table to ``stream``; 0, or 1 if any statement failed,
    130 when interrupted."""
    try:
        paths = find_sources(sources)
    except StatementpubError as exc:
        for line in exc.lines():
            print(line, file=stream)
        return 1
    quiet = options.quiet
    display = ProgressDisplay(stream) if not quiet and _isatty(stream) else None
    try:
        results = build_many(paths, options=options, progress=display)
    except StatementpubError as exc:
        if display:
            display.clear()
        for line in exc.lines():
            print(line, file=stream)
        return 1
    except KeyboardInterrupt:
        if display:
            display.clear()
        print("interrupted: previous outputs are intact", file=stream)
        return 130
    if display:
        display.clear()
    for result in results:
        if result.error is not None:
            for line in result.error.lines():
                print(line, file=stream)
        if not quiet and result.report is not None:
            for line in describe(result.report):
                print(line, file=stream)
    # a single statement stopped by its errors has nothing to tabulate: the errors say it
    if not quiet and (len(results) > 1 or any(r.report is not None for r in results)):
        print(summary_table(results, out_dir=options.out_dir), file=stream)
    return 0 if all(r.ok for r in results) else 1
