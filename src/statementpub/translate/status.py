"""How far each language's catalog covers a statement (``statementpub status``).

Counts the translated, fuzzy, untranslated, unusable and obsolete messages
of a catalog, and lists every unit an edition would show in the source
language, with the reason (:func:`statementpub.catalogs.judge`, the rules of
STATEMENT_FORMAT.md "Editions and catalogs").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import polib

from ..catalogs import CatalogIndex, available_catalogs, find_catalog, judge
from ..coverage import measure
from ..errors import CatalogError
from ..langtags import same_language
from ..model import Statement
from ..options import DEFAULT_MIN_COVERAGE
from ..units import Unit, iter_units
from .pofile import read_catalog_for_update

__all__ = ["LanguageStatus", "Problem", "catalog_status"]


@dataclass(frozen=True)
class Problem:
    """A unit that an edition shows in the source language, and why
    (the reasons of :func:`statementpub.catalogs.judge`)."""

    line: int
    role: str
    msgid: str
    reason: str
    #: the line where the unit's entry starts in the catalog (0: no entry), for the
    #: translator who edits the .po file in a text editor
    catalog_line: int = 0


@dataclass(frozen=True)
class LanguageStatus:
    """How far one language's catalog covers a statement.

    Counts are of distinct messages (units with the same msgid count once,
    as in the catalog): ``translated`` have a usable translation;
    ``fuzzy`` are marked fuzzy; ``untranslated`` have no entry, an empty
    msgstr, or only an obsolete entry; ``unusable`` have a translation that
    breaks the format's rules (drops a link target, a footnote...).
    ``obsolete`` counts the catalog's ``#~`` entries, ``stale`` its active
    entries that no unit uses any more (run ``update``). ``coverage`` is
    ``translated / total`` in percent, one decimal (coverage in units);
    ``words``/``total_words`` count the words of those messages (visible text,
    :mod:`statementpub.coverage`) and ``word_coverage`` is their ratio in percent,
    rounded down to one decimal: what the publishing threshold is compared with.
    ``published`` says whether a default build would publish the language at
    the threshold given to :func:`catalog_status` (80 % by default).
    ``problems`` lists every unit without a usable translation, by line.
    """

    lang: str
    catalog: str
    total: int
    translated: int
    fuzzy: int
    untranslated: int
    unusable: int
    obsolete: int
    stale: int
    coverage: float
    problems: tuple[Problem, ...] = field(default_factory=tuple)
    words: int = 0
    total_words: int = 0
    word_coverage: float = 100.0
    published: bool = True

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (``problems`` as a list of dicts)."""
        data = asdict(self)
        data["problems"] = [asdict(problem) for problem in self.problems]
        return data


def catalog_status(
    statement: Statement,
    langs: Iterable[str] | None = None,
    *,
    catalogs: Mapping[str, str | Path | polib.POFile] | None = None,
    min_coverage: float = DEFAULT_MIN_COVERAGE,
) -> list[LanguageStatus]:
    """The translation status of ``statement`` in each language.

    :param min_coverage: the publishing threshold (percent of the words) that
        :attr:`LanguageStatus.published` is judged by.
    :param langs: BCP 47 tags; default every language with a catalog beside
        the source (or in ``translations``), the source language excepted.
    :param catalogs: catalogs to use instead of looking them up, by tag.
    :returns: one :class:`LanguageStatus` per language, in the order asked
        (sorted by tag by default).
    :raises CatalogError: a language's catalog is missing or malformed, or a
        language is the source language.
    """
    if langs is None:
        chosen = [tag for tag in available_catalogs(statement)
                  if not same_language(tag, statement.lang)]
    else:
        chosen = list(dict.fromkeys(langs))
    labels = tuple(note.label for note in statement.body.footnotes)
    units = list(iter_units(statement))
    statuses = []
    for lang in chosen:
        if same_language(lang, statement.lang):
            raise CatalogError(f"{lang!r} is the statement's source language: it has no catalog",
                               path=statement.display_path)
        given = (catalogs or {}).get(lang)
        if isinstance(given, polib.POFile):
            po, shown = given, "<catalog>"
        else:
            path = Path(given) if given is not None else find_catalog(statement, lang)
            po, shown = read_catalog_for_update(path), _relative(path, statement.base_dir)
        statuses.append(_status(lang, shown, po, units, labels, statement.body.references,
                                min_coverage))
    return statuses


def _relative(path: Path, base: Path | None) -> str:
    """``path`` relative to the statement's folder when inside it (stable in reports)."""
    if base is not None:
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def _status(lang: str, shown: str, po: polib.POFile, units: Sequence[Unit],
            labels: tuple[str, ...],
            references: Mapping[str, Mapping[str, str]] | None = None,
            min_coverage: float = DEFAULT_MIN_COVERAGE) -> LanguageStatus:
    index = CatalogIndex.of(po)
    verdicts: dict[str, str | None] = {}
    problems = []
    for unit in units:
        if unit.msgid not in verdicts:
            verdicts[unit.msgid] = judge(unit.msgid, unit.markup, index, labels,
                                         references)[1]
        reason = verdicts[unit.msgid]
        if reason is not None:
            entry = index.active.get(unit.msgid) or index.obsolete.get(unit.msgid)
            linenum = getattr(entry, "linenum", 0) if entry is not None else 0
            problems.append(Problem(unit.line, unit.role, unit.msgid, reason,
                                    linenum if isinstance(linenum, int) else 0))
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0, "unusable": 0}
    for reason in verdicts.values():
        if reason is None:
            counts["translated"] += 1
        elif reason == "fuzzy":
            counts["fuzzy"] += 1
        elif reason.startswith("untranslated") or reason == "obsolete":
            counts["untranslated"] += 1
        else:
            counts["unusable"] += 1
    total = len(verdicts)
    obsolete = sum(1 for entry in po if entry.obsolete)
    stale = sum(1 for msgid in index.active if msgid not in verdicts)
    coverage = round(100.0 * counts["translated"] / total, 1) if total else 100.0
    words = measure(units, [msgid for msgid, reason in verdicts.items() if reason is None],
                    labels, references)
    return LanguageStatus(lang, shown, total, counts["translated"], counts["fuzzy"],
                          counts["untranslated"], counts["unusable"], obsolete, stale,
                          coverage, tuple(problems), words.words, words.total_words,
                          math.floor(words.percent * 10 + 1e-9) / 10,
                          not words.below(min_coverage))
