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

import re
from collections.abc import Iterable, Mapping, Sequence

from .findings import Coverage, percent_shown
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
