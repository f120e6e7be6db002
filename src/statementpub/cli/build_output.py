"""``statementpub build`` on a terminal: the progress line, the lines about each
statement (:func:`describe`), the summary table of a batch, and the exit status."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from ..build import BatchResult, BuildReport, Progress, build_many, find_sources
from ..build.json_report import JSON_VERSION, results_json
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


def summary_table(results: Sequence[BatchResult]) -> str:
    """A plain-text table: statement, languages, files, fallbacks, status."""
    rows = [("statement", "languages", "files", "fallbacks", "status")]
    for result in results:
        report = result.report
        if report is None:
            # the errors themselves are printed above the table, each with its line
            count = len(result.error.lines()) if result.error else 0
            rows.append((str(result.source), "-", "-", "-",
                         f"FAILED ({count} error{'s' if count != 1 else ''})"))
            continue
        rebuilt, fresh = len(report.rebuilt), len(report.up_to_date)
        status = "built" if not fresh else "up to date" if not rebuilt else \
            f"built {rebuilt}, {fresh} up to date"
        rows.append((str(report.source), ", ".join(e.lang for e in report.editions),
                     str(len(report.files)), str(report.fallback_count), status))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True))
             + "  " + row[4]
             for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths) + "  " + "-" * 6)
    failed = sum(1 for r in results if not r.ok)
    lines.append(f"{len(results) - failed} succeeded, {failed} failed")
    return "\n".join(lines)


def describe(report: BuildReport) -> list[str]:
    """What the command line says about one statement's build."""
    lines = [str(warning) for warning in report.warnings]
    for edition in report.editions:
        for fb in edition.fallbacks:
            lines.append(f"{report.source.name}:{fb.line}: note: [{edition.lang}] {fb.role} "
                         f"shown in the source language: {fb.reason}")
    for edition in report.editions:
        count = len(edition.fallbacks)
        state = f"{count} unit{'s' if count != 1 else ''} fell back to the source language" \
            if count else "fully translated"
        parts = []
        if edition.rebuilt:
            parts.append("wrote " + ", ".join(str(p) for p in edition.rebuilt))
        if edition.up_to_date:
            parts.append("up to date: " + ", ".join(str(p) for p in edition.up_to_date))
        lines.append(f"{edition.lang}: {state}; {'; '.join(parts)}")
    return lines


def _print_json(document: dict[str, Any], stream: TextIO | None) -> None:
    if stream is not None:
        stream.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        stream.flush()


def _error_json(exc: StatementpubError) -> dict[str, Any]:
    """The ``--json`` document of a build that could not start (no statement built)."""
    return {"version": JSON_VERSION, "ok": False, "statements": [],
            "diagnostics": [{"path": d.path, "line": d.line, "column": d.column,
                             "severity": d.severity, "message": d.message}
                            for d in exc.diagnostics]
            or [{"path": None, "line": 0, "column": 0, "severity": "error",
                 "message": exc.message}]}


def run_build(sources: Sequence[Path], *, options: Options, stream: TextIO,
              json_stream: TextIO | None = None) -> int:
    """``statementpub build``: build every statement, show progress on a terminal, print
    errors, notes and a summary table to ``stream``; 0, or 1 if any statement failed,
    130 when interrupted. With ``json_stream`` (``--json``), the report
    (:func:`statementpub.build.json_report.results_json`) is printed there too."""
    try:
        paths = find_sources(sources)
    except StatementpubError as exc:
        for line in exc.lines():
            print(line, file=stream)
        _print_json(_error_json(exc), json_stream)
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
        _print_json(_error_json(exc), json_stream)
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
        elif not quiet and result.report is not None:
            for line in describe(result.report):
                print(line, file=stream)
    if not quiet and len(results) > 1:
        print(summary_table(results), file=stream)
    if json_stream is not None:
        _print_json(results_json(results), json_stream)
    return 0 if all(r.ok for r in results) else 1
