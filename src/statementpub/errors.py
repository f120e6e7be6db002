"""The exception hierarchy of statementpub.

Every error the library raises on purpose is a :class:`StatementpubError`::

    StatementpubError
    ├── StatementError        a source file (or mapping) breaks STATEMENT_FORMAT.md;
    │                         carries one or more Diagnostic (path, line, column)
    ├── CatalogError          a statement catalog (.po) is missing or malformed
    ├── InterfaceLanguageError  kept for callers that catch it; raised no more: an
    │                         edition in a language without interface catalog is built
    │                         with marked fallbacks (STATEMENT_FORMAT.md, 2026-12)
    ├── OptionsError          a bad option on any path (API, build, CLI): an unknown
    │   │                     format, ``jobs`` < 1, ``min_coverage`` outside 0 to 100, an
    │   │                     ``interface_catalogs`` that is not a folder; a ``ValueError``
    │   └── LanguageTagError  a language asked for is not a valid BCP 47 tag
    ├── RenderError           an engine failed while rendering
    │   ├── HtmlRenderError   the HTML edition (templates, Markdown) failed
    │   ├── PdfRenderError    WeasyPrint failed, or is not the version the tagger needs
    │   ├── EpubRenderError   pandoc failed, or the EPUB could not be completed
    │   └── RenderTimeoutError  a render ran past the ``timeout`` it was given
    ├── FontCoverageError     a character that no shipped or added font can draw;
    │                         carries a Diagnostic per character (path, line)
    ├── StrictBuildError      ``strict=True`` and an edition needed a fallback
    ├── BuildError            a build could not go on: a path that does not exist, two
    │                         statements with one slug, an output folder not writable
    ├── DraftImportError      a Word/OpenDocument draft cannot be imported (not a .docx
    │                         or .odt, pandoc cannot read it, a statement is already there)
    ├── ValidatorUnavailable  a conformance validator is not installed
    └── ValidatorFailed       a validator ran but gave no usable answer

Third-party failures are wrapped (``raise PdfRenderError(...) from exc``); a
user never sees a bare ``KeyError``, ``RuntimeError`` or a YAML traceback.
Where a kind of mistake can be made on several paths, it is one class on all
of them: a bad language tag is a :class:`LanguageTagError` whether it reaches
:func:`statementpub.render_html`, :func:`statementpub.build` or the command
line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

__all__ = [
    "BuildError",
    "CatalogError",
    "Diagnostic",
    "DraftImportError",
    "EpubRenderError",
    "FontCoverageError",
    "HtmlRenderError",
    "InterfaceLanguageError",
    "LanguageTagError",
    "OptionsError",
    "PdfRenderError",
    "RenderError",
    "RenderTimeoutError",
    "StatementError",
    "StatementpubError",
    "StrictBuildError",
    "ValidatorFailed",
    "ValidatorUnavailable",
]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One message about a place in an input file.

    ``path`` is the file as the user named it (or ``None`` for data given
    through :meth:`Statement.from_mapping`, where ``field`` names the place,
    such as ``signatories[3].url``). ``line`` and ``column`` count from 1;
    0 means unknown. ``severity`` is ``"error"`` or ``"warning"``.
    """

    message: str
    path: str | None = None
    line: int = 0
    column: int = 0
    severity: str = "error"
    field: str | None = None

    def __str__(self) -> str:
        # ``path:line: severity: message``; the column stays on the object (tools
        # may use it) but is not printed, so every line has one shape.
        where = self.path or "<statement>"
        if self.line:
            where += f":{self.line}"
        message = self.message
        if self.field and not self.line:
            message = f"{self.field}: {message}"
        return f"{where}: {self.severity}: {message}"


class StatementpubError(Exception):
    """Base class of every error statementpub raises on purpose."""

    def __init__(self, message: str, *, diagnostics: Sequence[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)

    def lines(self) -> list[str]:
        """The error as ``path:line: error: message`` lines, for a terminal or CI."""
        if self.diagnostics:
            return [str(d) for d in self.diagnostics]
        return [f"error: {self.message}"]

    def __str__(self) -> str:
        return "\n".join(self.lines())


class StatementError(StatementpubError):
    """The statement breaks the source format (STATEMENT_FORMAT.md).

    ``diagnostics`` holds every error found in the file, in line order;
    ``path``, ``line`` and ``column`` are those of the first.
    """

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        diags = tuple(sorted(diagnostics, key=lambda d: (d.line, d.column)))
        if not diags:
            raise ValueError("StatementError needs at least one diagnostic")
        first = diags[0]
        super().__init__(first.message, diagnostics=diags)
        self.path: str | None = first.path
        self.line: int = first.line
        self.column: int = first.column

    @classmethod
    def single(
        cls, message: str, *, path: str | Path | None, line: int = 0, column: int = 0,
        field: str | None = None,
    ) -> StatementError:
        """One-diagnostic shorthand."""
        return cls([Diagnostic(message, str(path) if path is not None else None, line, column,
                               field=field)])


class CatalogError(StatementpubError):
    """A statement catalog is missing, unreadable or not a well-formed PO file."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int = 0) -> None:
        diag = Diagnostic(message, str(path) if path is not None else None, line)
        super().__init__(message, diagnostics=[diag])
        self.path = str(path) if path is not None else None
        self.line = line


class InterfaceLanguageError(StatementpubError):
    """Formerly: the library has no interface catalog for the requested language.

    Kept so that code catching it still imports; statementpub raises it no more,
    since any language builds, its interface texts falling back, marked
    (:attr:`statementpub.Edition.interface_fallbacks`)."""


class OptionsError(StatementpubError, ValueError):
    """An option has a value the library cannot use (an unknown format, ``jobs`` < 1),
    on any path: the API, :func:`statementpub.build` or the command line. Also a
    :class:`ValueError`, what such a mistake is in Python."""


class LanguageTagError(OptionsError):
    """A language asked for (``lang``, ``langs``, ``--lang``) is not a BCP 47 tag
    whose language CLDR knows. (A bad ``lang`` in a source's front matter is a
    :class:`StatementError`, with its line.)"""


class RenderError(StatementpubError):
    """A rendering engine (pandoc, WeasyPrint) failed."""


class HtmlRenderError(RenderError):
    """Rendering the HTML edition failed (a template or Markdown rendering error)."""


class PdfRenderError(RenderError):
    """WeasyPrint failed to make the PDF edition."""


class EpubRenderError(RenderError):
    """pandoc failed to make the EPUB edition, or its package could not be completed."""


class RenderTimeoutError(RenderError):
    """A render took longer than the ``timeout`` it was given (seconds); the engine
    was stopped and nothing was returned."""


class FontCoverageError(StatementpubError):
    """A character of an edition is in no shipped font and no font the user added
    (``--font FILE``); each diagnostic names the character and where it is written."""


class StrictBuildError(StatementpubError):
    """A strict build found fallbacks or warnings in an edition."""


class BuildError(StatementpubError):
    """A build cannot go on: a source path that does not exist or a folder without a
    statement, two statements of one batch with one slug, an output that cannot be
    written."""


class DraftImportError(StatementpubError):
    """A draft cannot be imported (``statementpub import``): it is not a ``.docx`` or
    ``.odt`` file, pandoc cannot read it, or the folder already holds a statement."""


class ValidatorUnavailable(StatementpubError):
    """A conformance validator (axe-core, EPUBCheck, Ace, pdfua) is not installed."""


class ValidatorFailed(StatementpubError):
    """A validator is installed but gave no usable answer (crash, time-out, bad output)."""


_T = TypeVar("_T")


def wrap_failure(error: type[RenderError], what: str, step: Callable[[], _T]) -> _T:
    """``step()``, its failure (other than a :class:`StatementpubError`) raised as
    ``error(f"{what}: {type}: {message}")`` from it: how every engine's or template's
    failure becomes one of this hierarchy, its cause kept."""
    try:
        return step()
    except StatementpubError:
        raise
    except Exception as exc:  # an engine or a template failed: wrap, keep the cause
        raise error(f"{what}: {type(exc).__name__}: {exc}") from exc
