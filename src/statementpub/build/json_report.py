"""A build's results as JSON, for tools that drive the command line
(``statementpub build --json``).

The document::

    {"version": 1, "ok": true,
     "statements": [{"source": "statement.md", "ok": true, "slug": "river-commons",
                     "files": ["dist/river-commons.en.html", ...],
                     "editions": [{"lang": "es", "catalog": "statement.es.po",
                                   "coverage": 96.2, "files": [...], "rebuilt": [...],
                                   "up_to_date": [...], "word_coverage": 97.1,
                                   "fallbacks": [{"path", "line", "column", "role",
                                                  "msgid", "reason"}],
                                   "interface_fallbacks": [{"what", "lang", "reason"}]}],
                     "in_progress": [{"lang", "catalog", "word_coverage"}],
                     "diagnostics": [{"path", "line", "column", "severity", "message"}]}]}

``diagnostics`` holds a statement's warnings, or the errors that stopped it
(then ``ok`` is false and there are no editions). ``coverage`` is the percentage
of the language's units with a usable translation (:func:`catalog_status`),
100 for the source language, ``null`` when it cannot be told; ``word_coverage``
is that of the words, which the publishing threshold is compared with
(:attr:`EditionReport.coverage`; 100 for the source language, ``null`` when
not known).
``interface_fallbacks`` are the interface texts shown in another language
(:attr:`EditionReport.interface_fallbacks`); ``in_progress`` the catalogs below
the publishing threshold, not built (:attr:`BuildReport.in_progress`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import Diagnostic, StatementpubError
from ..langtags import same_language
from .reports import BatchResult, BuildReport, EditionReport

if TYPE_CHECKING:
    from ..model import Statement

__all__ = ["JSON_VERSION", "results_json"]

#: The version of the document's shape; it changes only when a member is removed
#: or changes meaning.
JSON_VERSION = 1


def _diagnostic(diagnostic: Diagnostic) -> dict[str, Any]:
    return {"path": diagnostic.path, "line": diagnostic.line, "column": diagnostic.column,
            "severity": diagnostic.severity, "message": diagnostic.message}


def _coverage(statement: Statement | None, edition: EditionReport) -> float | None:
    if statement is None:
        return None
    if same_language(edition.lang, statement.lang):
        return 100.0
    from ..translate import catalog_status

    try:
        catalogs = {edition.lang: edition.catalog} if edition.catalog else None
        (status,) = catalog_status(statement, [edition.lang], catalogs=catalogs)
    except (StatementpubError, ValueError):
        return None
    return status.coverage


def _word_coverage(statement: Statement | None, edition: EditionReport) -> float | None:
    if edition.coverage is not None:
        return edition.coverage.percent
    if statement is not None and same_language(edition.lang, statement.lang):
        return 100.0
    return None


def _report(report: BuildReport) -> dict[str, Any]:
    from ..loader import load_statement

    try:
        statement: Statement | None = load_statement(report.source)
    except StatementpubError:
        statement = None
    source = str(report.source)
    editions = []
    for edition in report.editions:
        editions.append({
            "lang": edition.lang,
            "catalog": str(edition.catalog) if edition.catalog else None,
            "coverage": _coverage(statement, edition),
            "files": [str(p) for p in edition.files],
            "rebuilt": [str(p) for p in edition.rebuilt],
            "up_to_date": [str(p) for p in edition.up_to_date],
            "word_coverage": _word_coverage(statement, edition),
            "fallbacks": [{"path": source, "line": fb.line, "column": 0, "role": fb.role,
                           "msgid": fb.msgid, "reason": fb.reason}
                          for fb in edition.fallbacks],
            "interface_fallbacks": [{"what": fb.what, "lang": fb.lang, "reason": fb.reason}
                                    for fb in edition.interface_fallbacks],
        })
    in_progress = [{"lang": p.lang, "catalog": str(p.catalog) if p.catalog else None,
                    "word_coverage": p.coverage.percent} for p in report.in_progress]
    return {"source": source, "ok": True, "slug": report.slug,
            "files": [str(p) for p in report.files], "editions": editions,
            "in_progress": in_progress,
            "diagnostics": [_diagnostic(w) for w in report.warnings]}


def results_json(results: Sequence[BatchResult]) -> dict[str, Any]:
    """The JSON document of :func:`build_many`'s results (see the module's docstring)."""
    statements = []
    for result in results:
        if result.report is not None and result.error is None:
            statements.append(_report(result.report))
            continue
        error = result.error
        diagnostics = [_diagnostic(d) for d in error.diagnostics] if error and \
            error.diagnostics else [{"path": str(result.source), "line": 0, "column": 0,
                                     "severity": "error",
                                     "message": error.message if error else "failed"}]
        entry: dict[str, Any] = {"source": str(result.source), "ok": False, "slug": None,
                                 "files": [], "editions": [], "in_progress": [],
                                 "diagnostics": diagnostics}
        if result.report is not None:  # a strict build: some editions were written
            written = _report(result.report)
            entry.update(files=written["files"], editions=written["editions"],
                         slug=written["slug"], in_progress=written["in_progress"],
                         diagnostics=written["diagnostics"] + diagnostics)
        statements.append(entry)
    return {"version": JSON_VERSION, "ok": all(s["ok"] for s in statements),
            "statements": statements}
