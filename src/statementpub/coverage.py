"""How much of a statement a catalog translates, in words and in units: the
publishing threshold (STATEMENT_FORMAT.md, "Editions and catalogs").

A catalog found beside the source whose usable translations cover less than
the threshold (80 % by default, as po4a's ``--keep``) of the words of the
statement's units is a translation in progress and is not published. Words
are counted in the unit's visible text (link targets and image sources left
out), each distinct msgid once, as in the catalog: a run of letters, digits
and the apostrophes or hyphens inside it is one word, and each CJK ideograph
or kana, written without spaces, is one word too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .markdown import inspect_inline
from .units import Unit

__all__ = ["Coverage", "measure", "percent_shown", "unit_words", "word_count"]

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|(?:(?![{_CJK}])\w)+(?:['’\-](?:(?![{_CJK}])\w)+)*")


def word_count(text: str) -> int:
    """The number of words in plain ``text`` (``"Stop the dam, now!"`` -> 4)."""
    return len(_WORD.findall(text))


def unit_words(unit: Unit, footnote_labels: Sequence[str] = (),
               references: Mapping[str, Mapping[str, str]] | None = None) -> int:
    """The words of one unit's visible text (for inline Markdown, without link
    targets, image sources and footnote labels)."""
    if not unit.markup:
        return word_count(unit.msgid)
    return word_count(inspect_inline(unit.msgid, footnote_labels, references).visible)


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of a statement a catalog translates usably.

    ``words`` of ``total_words`` words and ``units`` of ``total_units``
    distinct msgids have a usable translation.
    """

    words: int
    total_words: int
    units: int
    total_units: int

    @property
    def percent(self) -> float:
        """The words translated, in percent of all (100 when there is none), unrounded:
        what the threshold is compared with."""
        return 100.0 * self.words / self.total_words if self.total_words else 100.0

    @property
    def unit_percent(self) -> float:
        """The units translated, in percent (100 when there is none)."""
        return 100.0 * self.units / self.total_units if self.total_units else 100.0

    def below(self, threshold: float) -> bool:
        """Whether the words covered are fewer than ``threshold`` percent (po4a's
        ``--keep``: exactly the threshold is published; 0 publishes everything)."""
        return self.percent < threshold

    def shown(self) -> str:
        """``"62.5% of words (5/8), 2/3 units"``: rounded down, so that a coverage
        below a threshold never reads as reaching it."""
        return (f"{percent_shown(self.percent)} of words ({self.words}/{self.total_words}), "
                f"{self.units}/{self.total_units} units")


def percent_shown(value: float) -> str:
    """``value`` with one decimal, rounded down (79.96 -> ``"79.9%"``)."""
    return f"{math.floor(value * 10 + 1e-9) / 10:.1f}%"


def measure(units: Iterable[Unit], translated: Iterable[str],
            footnote_labels: Sequence[str] = (),
            references: Mapping[str, Mapping[str, str]] | None = None) -> Coverage:
    """The coverage of ``units`` when the msgids in ``translated`` have a usable
    translation (each distinct msgid counted once)."""
    done = set(translated)
    words: dict[str, int] = {}
    for unit in units:
        if unit.msgid not in words:
            words[unit.msgid] = unit_words(unit, footnote_labels, references)
    covered = [msgid for msgid in words if msgid in done]
    return Coverage(sum(words[msgid] for msgid in covered), sum(words.values()),
                    len(covered), len(words))
