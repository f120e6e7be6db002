"""The options of a build, one object shared by the API and the command line.

:class:`Options` holds every option with its default; :data:`DEFAULT_OPTIONS`
is the same defaults as a read-only mapping, which the command line gives to
``argparse`` (``parser.set_defaults(**DEFAULT_OPTIONS)``), so that a default
is written once. :func:`statementpub.build` and :func:`statementpub.build_many`
take the same names as keyword arguments, or an ``Options`` as ``options=``.

A bad value raises :class:`~statementpub.errors.OptionsError` (a bad language
tag :class:`~statementpub.errors.LanguageTagError`), whichever path it comes
by. A leaf of the package: it imports only :mod:`statementpub.errors` and
:mod:`statementpub.langtags`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import Diagnostic, LanguageTagError, OptionsError
from .langtags import normalize_lang

__all__ = ["DEFAULT_MIN_COVERAGE", "DEFAULT_OPTIONS", "FORMATS", "Options",
           "check_formats", "check_interface_catalogs", "check_jobs", "check_min_coverage", "cores",
           "language_tag", "language_tags"]

#: Output formats, in the order they are written.
FORMATS: tuple[str, ...] = ("html", "pdf", "epub")

#: The publishing threshold: percent of the words of the statement's units that a
#: catalog found beside the source must translate to be published (po4a's ``--keep``).
DEFAULT_MIN_COVERAGE = 80.0


@dataclass(frozen=True, kw_only=True)
class Options:
    """The options of a build.

    :ivar langs: BCP 47 tags to build; ``None``: the source language and every
        language with a catalog beside the source.
    :ivar formats: among :data:`FORMATS`, in any order; all three by default.
    :ivar out_dir: the output folder.
    :ivar strict: refuse the editions that need a fallback, and every edition
        when the source has warnings.
    :ivar force: render every output, even those the manifest finds up to date.
    :ivar jobs: PDF worker processes; ``None``: the number of cores.
    :ivar quiet: (command line) print errors only: no progress, notes or summary.
    :ivar min_coverage: the publishing threshold, in percent (0 to 100) of the
        words of the statement's units: a catalog found beside the source that
        translates less is a translation in progress, not built and not linked
        to; a language named in ``langs`` is built whatever its coverage.
    :ivar interface_catalogs: a folder of interface catalogs
        (``<tag>.po`` or ``<tag>/LC_MESSAGES/statementpub.po``) looked in before
        statementpub's own, for a language statementpub has none for.
    :ivar fonts: font files (TrueType, OpenType, WOFF, WOFF2) for the characters no
        shipped font has (CJK, other scripts); they come last in every font stack
        and are embedded in the outputs (check the font's licence allows it).
    """

    langs: tuple[str, ...] | None = None
    formats: tuple[str, ...] = FORMATS
    out_dir: Path = Path("dist")
    strict: bool = False
    force: bool = False
    jobs: int | None = None
    quiet: bool = False
    min_coverage: float = DEFAULT_MIN_COVERAGE
    interface_catalogs: Path | None = None
    fonts: tuple[Path, ...] = ()

    def replace(self, **changes: Any) -> Options:
        """A copy with ``changes`` (names of fields); unknown names raise :class:`OptionsError`."""
        unknown = sorted(set(changes) - set(DEFAULT_OPTIONS))
        if unknown:
            raise OptionsError(f"unknown option(s): {', '.join(unknown)}; "
                               f"one of {', '.join(DEFAULT_OPTIONS)}")
        return dataclasses.replace(self, **changes)


#: The defaults of :class:`Options`, by name (read-only).
DEFAULT_OPTIONS: Mapping[str, Any] = MappingProxyType(
    {f.name: f.default for f in dataclasses.fields(Options)})


def check_formats(formats: Iterable[str] | None) -> list[str]:
    """The formats asked for, each once, in the order given (all for ``None`` or empty).

    :raises OptionsError: a format is not one of :data:`FORMATS`.
    """
    chosen = list(dict.fromkeys(formats or FORMATS))
    for fmt in chosen:
        if fmt not in FORMATS:
            raise OptionsError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    return chosen


def check_min_coverage(value: float) -> float:
    """``value`` itself when it is a number from 0 to 100.

    :raises OptionsError: it is not.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not 0 <= value <= 100:
        raise OptionsError(f"min_coverage must be a percentage from 0 to 100, not {value!r}")
    return float(value)


def check_interface_catalogs(folder: str | Path | None) -> Path | None:
    """``folder`` as a :class:`Path` when it is ``None`` or an existing folder.

    :raises OptionsError: it is not a folder.
    """
    if folder is None:
        return None
    path = Path(folder)
    if not path.is_dir():
        raise OptionsError(f"the interface catalogs folder {str(path)!r} does not exist "
                           "or is not a folder")
    return path


def check_jobs(jobs: int | None) -> int | None:
    """``jobs`` itself when it is ``None`` or at least 1.

    :raises OptionsError: ``jobs`` < 1.
    """
    if jobs is not None and jobs < 1:
        raise OptionsError(f"jobs must be at least 1, not {jobs}")
    return jobs


def language_tag(lang: str, *, path: str | Path | None = None) -> str:
    """``lang`` in canonical case (``es-mx`` -> ``es-MX``).

    :param path: the statement the language is asked of, named in the error.
    :raises LanguageTagError: ``lang`` is not a BCP 47 tag whose language CLDR knows.
    """
    tag = normalize_lang(lang) if isinstance(lang, str) else None
    if tag is None:
        message = f"unknown language tag {lang!r} (a BCP 47 tag such as 'es' or 'es-MX')"
        raise LanguageTagError(message, diagnostics=[
            Diagnostic(message, str(path) if path is not None else None)])
    return tag


def language_tags(langs: Iterable[str], *, path: str | Path | None = None) -> list[str]:
    """:func:`language_tag` of each of ``langs``, each tag once (compared
    case-insensitively), in the order given.

    :raises LanguageTagError: one of them is not a BCP 47 tag.
    """
    tags: list[str] = []
    for lang in langs:
        tag = language_tag(lang, path=path)
        if not any(t.lower() == tag.lower() for t in tags):
            tags.append(tag)
    return tags


def cores() -> int:
    """The cores this process may run on: the default of ``jobs``."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1
