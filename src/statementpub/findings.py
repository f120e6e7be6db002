"""What a build finds and reports about an edition, as plain values: how much its
catalog covers (:class:`Coverage`), a passage shown in the source language
(:class:`Fallback`), an interface text shown in another language
(:class:`InterfaceFallback`).

A leaf module (the standard library only), so that a build report can be read
back from the manifest without importing what makes editions
(:mod:`statementpub.build.uptodate`). The classes are re-exported where they
are made: :mod:`statementpub.coverage`, :mod:`statementpub.edition`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Coverage", "Fallback", "InterfaceFallback", "percent_shown"]


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


@dataclass(frozen=True, slots=True)
class Fallback:
    """A unit shown in the source language, and why (``reason``: "fuzzy",
    "untranslated", "drops link target https://...", ...)."""

    line: int
    role: str
    msgid: str
    reason: str


@dataclass(frozen=True, slots=True)
class InterfaceFallback:
    """An interface text that an edition shows in another language than its own
    (STATEMENT_FORMAT.md, "Editions and catalogs"): ``what`` it is ("the label
    'signatories'", "the date", "the name of MX"), the language ``lang`` it is
    shown in (and marked with), and why (``reason``)."""

    what: str
    lang: str
    reason: str
