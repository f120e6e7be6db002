"""``statementpub build`` on a terminal: the progress line, the lines about each
statement (:func:`describe`), the summary table (one row per statement and
language, :func:`summary_table`), and the exit status.

The command owns its process, so it is the one place where a signal handler is set:
SIGTERM stops the build as Ctrl-C does (the PDF workers and pandoc are stopped, the
temporary folders removed, no output half-written), then exits with status 143.

Test hook: with ``STATEMENTPUB_PAUSE_AT=STAGE`` in its environment (a stage of
:data:`statementpub.build.run.STAGES`), the command prints
``statementpub: paused at STAGE`` to standard error when the build first reaches
that stage, and waits for a line (or the end) on standard input before it goes
on. The fault-injection tests (tests/test_faults.py) kill or hold builds there.
Only this command reads the variable; the library never does.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from ..build import (
    BatchResult,
    BuildReport,
    EditionReport,
    Progress,
    build_many,
    find_sources,
)
from ..build.json_report import JSON_VERSION, results_json
from ..errors import StatementpubError
from ..findings import percent_shown
from ..options import Options

__all__ = ["PAUSE_VARIABLE", "ProgressDisplay", "describe", "run_build", "summary_table"]

#: The environment variable of the test hook (see the module's docstring).
PAUSE_VARIABLE = "STATEMENTPUB_PAUSE_AT"


class _Terminated(BaseException):
    """SIGTERM arrived: unwinds the build like ``KeyboardInterrupt`` (not an
    ``Exception``, which a renderer's error handling would take for a failure)."""


@contextmanager
def _sigterm_stops_the_build() -> Iterator[None]:
    """Turn SIGTERM into :class:`_Terminated` while the build runs (main thread only:
    Python runs signal handlers there). A worker process forked from this one keeps
    the handler until it sets its own: there, SIGTERM just ends it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def stop(signum: int, frame: Any) -> None:
        if os.getpid() != owner:
            os._exit(128 + signum)
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _pause_hook(stream: TextIO) -> Callable[[str], None] | None:
    """The ``stage`` callback of the test hook, or ``None`` when the variable is unset."""
    wanted = os.environ.get(PAUSE_VARIABLE)
    if not wanted:
        return None
    paused = False

    def stage(name: str) -> None:
        nonlocal paused
        if name == wanted and not paused:
            paused = True
            print(f"statementpub: paused at {name}", file=stream, flush=True)
            try:
                sys.stdin.readline()
            except (OSError, ValueError, AttributeError):
                pass

    return stage


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
    """The notes about one statement's build, each naming the statement's path: its
    warnings, the catalogs in progress (not published), editions built below the
    threshold, interface texts shown in another language, and each passage shown in
    the source language (``path:line: note: [lang] role shown in the source language:
    reason``); editions refused by a strict build are reported as errors instead."""
    lines = [str(warning) for warning in report.warnings]
    name = str(report.source)  # the path, not its last part: a batch has many statement.md
    threshold = percent_shown(report.min_coverage)
    for progress in report.in_progress:
        lines.append(f"{name}: note: [{progress.lang}] translation in progress, not "
                     f"published: {progress.coverage.shown()} translated, below "
                     f"{threshold} (--min-coverage)")
    for edition in report.editions:
        if edition.coverage is not None and edition.coverage.below(report.min_coverage):
            lines.append(f"{name}: note: [{edition.lang}] built as asked although only "
                         f"{edition.coverage.shown()} are translated (below {threshold})")
        by_reason: dict[tuple[str, str], list[str]] = {}
        for item in edition.interface_fallbacks:
            by_reason.setdefault((item.reason, item.lang), []).append(item.what)
        for (reason, lang), items in by_reason.items():
            count = len(items)
            what = ", ".join(dict.fromkeys(items)) if count <= 3 else \
                f"{count} interface texts"
            lines.append(f"{name}: note: [{edition.lang}] {what} shown in {lang} and marked "
                         f"so: {reason}")
        for fb in edition.fallbacks:
            lines.append(f"{name}:{fb.line}: note: [{edition.lang}] {fb.role} "
                         f"shown in the source language: {fb.reason}")
    return lines


def _print_json(document: dict[str, Any], stream: TextIO | None) -> None:
    if stream is not None:
        stream.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        stream.flush()


def _stopped_json(message: str) -> dict[str, Any]:
    """The ``--json`` document of a build stopped by Ctrl-C or SIGTERM."""
    return {"version": JSON_VERSION, "ok": False, "statements": [],
            "diagnostics": [{"path": None, "line": 0, "column": 0, "severity": "error",
                             "message": message}]}


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
    130 when interrupted (Ctrl-C), 143 when stopped by SIGTERM. With ``json_stream``
    (``--json``), the report (:func:`statementpub.build.json_report.results_json`) is
    printed there too."""
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
        with _sigterm_stops_the_build():
            results = build_many(paths, options=options, progress=display,
                                 stage=_pause_hook(stream))
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
        _print_json(_stopped_json("interrupted: previous outputs are intact"), json_stream)
        return 130
    except _Terminated:
        if display:
            display.clear()
        print("terminated: previous outputs are intact", file=stream)
        _print_json(_stopped_json("terminated: previous outputs are intact"), json_stream)
        return 143
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
    if json_stream is not None:
        _print_json(results_json(results), json_stream)
    return 0 if all(r.ok for r in results) else 1
