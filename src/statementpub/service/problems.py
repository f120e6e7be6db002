"""Errors of the render service as problem details (RFC 9457, ``application/problem+json``).

Every answer that is not a 200 is a :class:`Problem`: ``type``, ``status``,
``title``, ``detail`` and, for a statement, catalog or request error,
``errors``, a list of ``{"path", "line", "column", "message", "severity",
"text"}``. ``path`` is where in the request the fault is: ``statement.<field>``
(``statement.signatories[3].url``), ``body`` (``line`` and ``column`` count in
the body, from 1), ``catalog`` (``line`` in the PO text), ``assets.<name>``,
``lang`` or ``format``; ``text`` is the line the command line prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import CatalogError, Diagnostic, StatementpubError

__all__ = ["MEDIA_TYPE", "Problem", "diagnostic_entry", "error_entries"]

MEDIA_TYPE = "application/problem+json"
_TYPE = "tag:statementpub.org,2026:problem:"


@dataclass(eq=False)  # an exception compares and hashes by identity
class Problem(Exception):
    """One problem answer. ``kind`` is the last part of its ``type`` URI."""

    status: int
    kind: str
    title: str
    detail: str
    errors: list[dict[str, Any]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.title}: {self.detail}"

    def body(self) -> dict[str, Any]:
        document: dict[str, Any] = {"type": _TYPE + self.kind, "status": self.status,
                                    "title": self.title, "detail": self.detail}
        if self.errors:
            document["errors"] = self.errors
        return document


def diagnostic_entry(diagnostic: Diagnostic, *, path: str | None = None) -> dict[str, Any]:
    """One ``errors`` entry for ``diagnostic``; ``path`` overrides where it is."""
    if path is None:
        if diagnostic.field and diagnostic.field != "body":
            path = f"statement.{diagnostic.field}"
        elif diagnostic.path and diagnostic.path != "<statement>":
            path = diagnostic.path
        else:
            path = "body"
    where = f"{path}:{diagnostic.line}" if diagnostic.line else path
    text = f"{where}: {diagnostic.severity}: {diagnostic.message}"
    return {"path": path, "line": diagnostic.line, "column": diagnostic.column,
            "message": diagnostic.message, "severity": diagnostic.severity, "text": text}


def error_entries(error: StatementpubError, *, path: str | None = None) -> list[dict[str, Any]]:
    """The ``errors`` of a library error: one entry per diagnostic."""
    if isinstance(error, CatalogError):
        path = "catalog"
    diagnostics: Iterable[Diagnostic] = error.diagnostics or [Diagnostic(error.message)]
    return [diagnostic_entry(d, path=path) for d in diagnostics]
