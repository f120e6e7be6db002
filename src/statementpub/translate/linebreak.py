"""Line-break opportunities of Unicode's line-breaking algorithm (UAX #14),
as gnulib's ``unilbrk`` computes them (``u8-possible-linebreaks.c``,
``u8-width-linebreaks.c``), for wrapping PO strings as gettext does.

The pair table is gnulib's ``unilbrk_table`` (Unicode 14); the classes of the
characters a statement is likely to hold come from LineBreak.txt, the rest
are derived from the general category and East Asian width.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

__all__ = ["MANDATORY", "POSSIBLE", "PROHIBITED", "possible_linebreaks", "width_linebreaks"]

# Line-break classes; the first 33 index gnulib's pair table (lbrktables.c).
(WJ, GL, B2, BA, BB, HY, CL, CP1, CP2, EX, IN, NS, OP1, OP2, QU, IS, NU, PO, PR, SY, AL,
 H2, H3, ID1, ID2, JL, JV, JT, HL, RI, ZWJ, EB, EM) = range(33)
BK, CR, LF, CM, ZW, SP, CB, AI, SA, XX = range(33, 43)
HL_BA = 100

# gnulib's unilbrk_table (Unicode 14): D direct break, I indirect (only after
# spaces), P prohibited. Rows: the class before; columns: the class after.
_PAIRS = [row.replace(" ", "") for row in (
    "PIIIII PPPP IIIII PIIIP IIIIIIIIIIIII",  # WJ
    "PIIIII PPPP IIIII PIIIP IIIIIIIIIIIII",  # GL
    "PIPIDI PPPP IIDDI PDDDP DDDDDDDDDDDDD",  # B2
    "PDDIDI PPPP IIDDI PDDDP DDDDDDDDDDDDD",  # BA
    "PIIIII PPPP IIIII PIIIP IIIIIIIIIIIII",  # BB
    "PDDIDI PPPP IIDDI PIDDP DDDDDDDDDDDDD",  # HY
    "PIDIDI PPPP IPDDI PDIIP DDDDDDDDDDDDD",  # CL
    "PIDIDI PPPP IIDDI PIIIP IDDDDDDDIDIDD",  # CP1
    "PIDIDI PPPP IIDDI PDIIP DDDDDDDDDDDDD",  # CP2
    "PIDIDI PPPP IIDDI PDDDP DDDDDDDDDDDDD",  # EX
    "PIDIDI PPPP IIDDI PDDDP DDDDDDDDDDDDD",  # IN
    "PIDIDI PPPP IIDDI PDDDP DDDDDDDDDDDDD",  # NS
    "PPPPPP PPPP PPPPP PPPPP PPPPPPPPPPPPP",  # OP1
    "PPPPPP PPPP PPPPP PPPPP PPPPPPPPPPPPP",  # OP2
    "PIIIII PPPP IIPPI PIIIP IIIIIIIIIIIII",  # QU
    "PIDIDI PPPP IIDDI PIDDP DDDDDDDDDDDDD",  # IS
    "PIDIDI PPPP IIIDI PIIIP IDDDDDDDIDIDD",  # NU
    "PIDIDI PPPP IIIII PIDDP IDDDDDDDIDIDD",  # PO
    "PIDIDI PPPP IIIII PIDDP IIIIIIIIIDIII",  # PR
    "PIDIDI PPPP IIDDI PIDDP DDDDDDDDIDDDD",  # SY
    "PIDIDI PPPP IIIDI PIIIP IDDDDDDDIDIDD",  # AL
    "PIDIDI PPPP IIDDI PDIDP DDDDDDIIDDDDD",  # H2
    "PIDIDI PPPP IIDDI PDIDP DDDDDDDIDDDDD",  # H3
    "PIDIDI PPPP IIDDI PDIDP DDDDDDDDDDDDD",  # ID1
    "PIDIDI PPPP IIDDI PDIDP DDDDDDDDDDDDI",  # ID2
    "PIDIDI PPPP IIDDI PDIDP DIIDDIIDDDDDD",  # JL
    "PIDIDI PPPP IIDDI PDIDP DDDDDDIIDDDDD",  # JV
    "PIDIDI PPPP IIDDI PDIDP DDDDDDDIDDDDD",  # JT
    "PIDIDI PPPP IIIDI PIIIP IDDDDDDDIDIDD",  # HL
    "PIDIDI PPPP IIDDI PDDDP DDDDDDDDDDDDD",  # RI
    "PIDIDI PPPP IIIDI PIIIP IDDIIDDDIDIII",  # ZWJ
    "PIDIDI PPPP IIDDI PDIDP DDDDDDDDDDDDI",  # EB
    "PIDIDI PPPP IIDDI PDIDP DDDDDDDDDDDDD",  # EM
)]

# Classes of the characters a statement is likely to hold (LineBreak.txt);
# the rest is derived from the general category and East Asian width.
_CLASSES: dict[str, int] = {
    "\t": BA, "\n": LF, "\r": CR, "\x0b": BK, "\x0c": BK, " ": SP, "!": EX, '"': QU,
    "$": PR, "%": PO, "'": QU, "(": OP1, ")": CP1, "+": PR, ",": IS, "-": HY, ".": IS,
    "/": SY, ":": IS, ";": IS, "?": EX, "[": OP1, "\\": PR, "]": CP1, "{": OP1, "|": BA,
    "}": CL, "\x85": BK, "\xa0": GL, "\xa1": OP1, "\xa2": PO, "\xa3": PR, "\xa4": PR,
    "\xa5": PR, "\xa7": AI, "\xa8": AI, "\xaa": AI, "\xab": QU, "\xad": BA, "\xb0": PO,
    "\xb1": PR, "\xb2": AI, "\xb3": AI, "\xb4": BB, "\xb6": AI, "\xb7": AI, "\xb8": AI,
    "\xb9": AI, "\xba": AI, "\xbb": QU, "\xbc": AI, "\xbd": AI, "\xbe": AI, "\xbf": OP1,
    "\xd7": AI, "\xf7": AI,
    "\u058a": BA, "\u05be": BA, "\u060c": IS, "\u060d": IS, "\u061b": EX, "\u061f": EX,
    "\u066a": PO, "\u066b": NU, "\u066c": NU, "\u06d4": EX, "\u0964": BA, "\u0965": BA,
    "\u2007": GL, "\u200b": ZW, "\u200c": CM, "\u200d": ZWJ, "\u2010": BA, "\u2011": GL,
    "\u2012": BA, "\u2013": BA, "\u2014": B2, "\u2015": AI, "\u2016": AI, "\u2017": AL,
    "\u2018": QU, "\u2019": QU, "\u201a": OP1, "\u201b": QU, "\u201c": QU, "\u201d": QU,
    "\u201e": OP1, "\u201f": QU, "\u2020": AI, "\u2021": AI, "\u2022": AL, "\u2024": IN,
    "\u2025": IN, "\u2026": IN, "\u2027": BA, "\u2028": BK, "\u2029": BK, "\u202f": GL,
    "\u2030": PO, "\u2031": PO, "\u2032": PO, "\u2033": PO, "\u2034": PO, "\u2035": PO,
    "\u2036": PO, "\u2037": PO, "\u2039": QU, "\u203a": QU, "\u203b": AI, "\u203c": NS,
    "\u203d": NS, "\u2044": IS, "\u2045": OP1, "\u2046": CL, "\u2047": NS, "\u2048": NS,
    "\u2049": NS, "\u2056": BA, "\u2058": BA, "\u2059": BA, "\u205a": BA, "\u205b": BA,
    "\u205d": BA, "\u205e": BA, "\u205f": BA, "\u2060": WJ, "\u20a7": PO, "\u20b6": PO,
    "\u20bb": PO, "\u20be": PO, "\u2103": PO, "\u2109": PO, "\u2116": PR, "\u2212": PR,
    "\u2213": PR, "\u2e3a": B2, "\u2e3b": B2, "\u3000": BA, "\u3001": CL, "\u3002": CL,
    "\u3005": NS, "\u301c": NS, "\u30fb": NS, "\u30fc": NS, "\ufeff": WJ, "\uff01": EX,
    "\uff08": OP2, "\uff09": CP2, "\uff0c": CL, "\uff0e": CL, "\uff1a": NS, "\uff1b": NS,
    "\uff1f": EX,
}


@lru_cache(maxsize=4096)
def _lb_class(ch: str) -> int:
    found = _CLASSES.get(ch)
    if found is not None:
        return found
    code = ord(ch)
    if 0x30 <= code <= 0x39:
        return NU
    if code < 0x80:
        return CM if code < 0x20 or code == 0x7F else AL
    category = unicodedata.category(ch)
    wide = unicodedata.east_asian_width(ch) in ("W", "F")
    if 0x1F1E6 <= code <= 0x1F1FF:
        return RI
    if 0x1F3FB <= code <= 0x1F3FF:
        return EM
    if 0x05D0 <= code <= 0x05F2 or 0xFB1D <= code <= 0xFB4F:
        return HL
    if 0x0E00 <= code <= 0x0EFF or 0x1000 <= code <= 0x109F or 0x1780 <= code <= 0x17FF:
        return SA
    if category in ("Mn", "Mc", "Me", "Cc", "Cf"):
        return CM
    if category == "Nd":
        return ID1 if wide else NU
    if category == "Zs":
        return BA
    if category in ("Zl", "Zp"):
        return BK
    if category == "Ps":
        return OP2 if wide else OP1
    if category == "Pe":
        return CL
    if category in ("Pi", "Pf"):
        return QU
    if category == "Pd":
        return BA
    if category == "Sc":
        return PR
    if wide:
        return ID1
    return AL


def _char_width(ch: str) -> int:
    """gnulib's ``uc_width`` in a UTF-8 locale: -1 control, 0 non-spacing, 2 wide."""
    code = ord(ch)
    if code < 0x20 or 0x7F <= code < 0xA0:
        return -1
    if code == 0xAD:
        return 1
    if unicodedata.category(ch) in ("Mn", "Me", "Cf") or 0x1160 <= code <= 0x11FF:
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


#: What :func:`possible_linebreaks` says of the position before a character.
PROHIBITED, POSSIBLE, MANDATORY = 0, 1, 2


def possible_linebreaks(text: Sequence[str]) -> list[int]:
    """Break opportunities before each character (gnulib's
    ``u8_possible_linebreaks``: UAX #14 with its pair table).

    :param text: the characters (one-character strings).
    :returns: one of :data:`PROHIBITED`, :data:`POSSIBLE` or :data:`MANDATORY`
        per character, for the position before it (after a line feed: mandatory).
    """
    result = [PROHIBITED] * len(text)
    prev_prop = last_prop = BK
    seen_space = False
    ri_count = 0
    for i, ch in enumerate(text):
        prop = _lb_class(ch)
        if prop in (BK, LF, CR):
            result[i] = MANDATORY
            prev_prop, last_prop, seen_space = prop, BK, False
        else:
            if prop == AI or prop in (SA, XX):
                prop = AL
            elif prop == CB:
                prop = ID1
            if prop == SP:
                seen_space = True
            elif prop == ZW:
                last_prop, seen_space = ZW, False
            elif prop in (CM, ZWJ):
                if last_prop == BK:
                    last_prop, seen_space = AL, False
                elif last_prop == ZW or seen_space:
                    result[i] = POSSIBLE
                    last_prop, seen_space = AL, False
            else:
                if last_prop == BK:
                    pass
                elif last_prop == ZW:
                    result[i] = POSSIBLE
                elif prev_prop == ZWJ:
                    pass
                elif last_prop == RI and prop == RI:
                    if seen_space or ri_count % 2 == 0:
                        result[i] = POSSIBLE
                elif prev_prop == HL_BA:
                    pass
                else:
                    kind = _PAIRS[last_prop][prop]
                    if kind == "D" or (kind == "I" and seen_space):
                        result[i] = POSSIBLE
                last_prop, seen_space = prop, False
            prev_prop = HL_BA if prev_prop == HL and prop in (HY, BA) else prop
        ri_count = ri_count + 1 if prop == RI else 0
    return result


def width_linebreaks(text: Sequence[str], width: int, start_column: int,
                      prohibit: Sequence[bool]) -> list[bool]:
    """Where to break ``text`` to fit ``width`` columns (gnulib's
    ``u8_width_linebreaks``: greedy, a piece longer than the line stays whole).

    :param start_column: the column the text starts at.
    :param prohibit: ``True`` where no break may come before a character
        (inside an escape sequence), whatever UAX #14 says.
    :returns: ``True`` per character where a line break goes before it.
    """
    possible = possible_linebreaks(text)
    breaks = [False] * len(text)
    last: int | None = None
    last_column = start_column
    piece_width = 0
    for i, ch in enumerate(text):
        kind = PROHIBITED if prohibit[i] else possible[i]
        if kind != PROHIBITED and last is not None and last_column + piece_width > width:
            breaks[last] = True
            last_column = 0
        if kind == MANDATORY:
            last, last_column, piece_width = None, 0, 0
        else:
            if kind == POSSIBLE:
                last = i
                last_column += piece_width
                piece_width = 0
            w = _char_width(ch)
            if w >= 0:
                piece_width += w
    if last is not None and last_column + piece_width > width:
        breaks[last] = True
    return breaks
