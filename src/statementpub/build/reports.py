"""What a build returns: per statement a :class:`BuildReport` of
:class:`EditionReport` values (or, in a batch, a :class:`BatchResult` holding
the error that stopped it), and the :class:`Progress` given to a callback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Diagnostic, StatementpubError
from ..findings import Coverage, Fallback, InterfaceFallback

__all__ = ["BatchResult", "BuildReport", "EditionReport", "InProgress", "Progress"]


@dataclass(frozen=True)
class InProgress:
    """A catalog found beside the source that covers less than the publishing
    threshold: a translation in progress, not built (STATEMENT_FORMAT.md,
    "Editions and catalogs")."""

    lang: str
    catalog: Path | None
    coverage: Coverage


@dataclass(frozen=True)
class EditionReport:
    """What was made for one language: its files, those rendered by this build
    (``rebuilt``) and those found up to date (``up_to_date``)."""

    lang: str
    files: tuple[Path, ...]
    fallbacks: tuple[Fallback, ...]
    catalog: Path | None
    rebuilt: tuple[Path, ...] = ()
    up_to_date: tuple[Path, ...] = ()
    #: interface texts shown in another language (no interface catalog or CLDR data)
    interface_fallbacks: tuple[InterfaceFallback, ...] = ()
    #: how much of the statement its catalog translates (``None``: the source language)
    coverage: Coverage | None = None


@dataclass(frozen=True)
class BuildReport:
    """The result of :func:`build`: files written, fallbacks per language, warnings.

    ``editions`` are the languages written (or found up to date); ``refused`` the
    languages a strict build refused for their fallbacks (no file written for them:
    their ``files`` are empty).
    """

    source: Path
    slug: str
    editions: tuple[EditionReport, ...]
    warnings: tuple[Diagnostic, ...] = ()
    #: catalogs below the publishing threshold, not built
    in_progress: tuple[InProgress, ...] = ()
    #: the publishing threshold applied, in percent of the words
    min_coverage: float = 0.0
    #: whether the languages were named by the caller (then built at any coverage)
    requested: bool = False
    #: ``strict``: the languages refused for their fallbacks (no files)
    refused: tuple[EditionReport, ...] = ()

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(path for edition in self.editions for path in edition.files)

    @property
    def rebuilt(self) -> tuple[Path, ...]:
        """The files this build rendered and wrote."""
        return tuple(path for edition in self.editions for path in edition.rebuilt)

    @property
    def up_to_date(self) -> tuple[Path, ...]:
        """The files that were already up to date, left as they were."""
        return tuple(path for edition in self.editions for path in edition.up_to_date)

    @property
    def fallback_count(self) -> int:
        return sum(len(edition.fallbacks) for edition in self.editions)


@dataclass(frozen=True)
class BatchResult:
    """One statement of :func:`build_many`: its report, or the error that stopped it.

    A strict build that refused some languages has both: the error
    (:class:`~statementpub.errors.StrictBuildError`) and the report of what was
    written (``report.editions``) and refused (``report.refused``)."""

    source: Path
    report: BuildReport | None = None
    error: StatementpubError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Progress:
    """Where a build stands: outputs rendered of those to render, statements finished."""

    done: int
    total: int
    statements_done: int
    statements: int
    current: str
