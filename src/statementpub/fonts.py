"""The fonts an edition is drawn with: the shipped ones (``styles/fonts.css``) and
the font files a user adds (``--font FILE``, ``Options.fonts``).

``styles/fonts.css`` is the one list of shipped fonts: this module reads its
``@font-face`` rules (with tinycss2) and the character map of each file (with
fontTools), so that statementpub knows, before anything is rendered, whether
every character of an edition can be drawn (:meth:`FontSet.missing`). A
character that no font has would be drawn by WeasyPrint as ``.notdef`` (an
empty box) and by a browser with whatever the machine has: an error of the
build instead (:func:`statementpub.edition.glyphs.check_glyphs`).

User fonts get a family of their own (``statementpub font 1``, ...) that
comes last in every font stack (:meth:`FontSet.css`).

A leaf module: it imports only :mod:`statementpub.errors` and
:mod:`statementpub.resources`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from .errors import OptionsError
from .resources import styles_dir

__all__ = ["Face", "FontSet", "filter_font_faces", "first_families", "font_set", "needs_glyph",
           "shipped_faces"]

#: Font files a user may add (WeasyPrint and browsers read them all).
FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")


@dataclass(frozen=True)
class Face:
    """One ``@font-face``: its family, the file (absolute), style and weight, and the
    code points it can draw (its character map, cut to its ``unicode-range``)."""

    family: str
    path: Path
    style: str = "normal"
    weight: int = 400
    codepoints: frozenset[int] = field(default=frozenset(), repr=False)
    #: the ``src`` URL as written in fonts.css (``fonts/...``), ``None`` for user fonts
    url: str | None = None


def needs_glyph(character: str) -> bool:
    """Whether ``character`` must be drawn by a font: not a line break or tab, not a
    control or format character (zero-width joiners, bidirectional marks, the
    word joiner, the soft hyphen), not a variation selector or other
    default-ignorable code point, which a text engine handles without a glyph
    of the font (Unicode 15, 5.21)."""
    if character in "\t\n\r":
        return False
    if unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp"):
        return False
    code = ord(character)
    return not (0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF
                or 0x180B <= code <= 0x180F or code in (0x034F, 0x115F, 0x1160,
                                                        0x3164, 0xFFA0))


def _cmap(path: Path) -> frozenset[int]:
    try:
        stat = path.stat()
    except OSError as exc:
        raise OptionsError(f"font file {str(path)!r} cannot be read: {exc}") from exc
    return _cmap_cached(path, stat.st_size, stat.st_mtime_ns)


#: The character maps of the shipped fonts, read once with fontTools and kept beside
#: them (reading every font's ``cmap`` took 0.1 s of each build): per file name, its
#: size, SHA-256 and code points as ``[first, last]`` ranges. A file whose size or
#: hash differs from its entry is read with fontTools as a user font is.
COVERAGE_FILE = "coverage.json"


def _ranges(codepoints: Iterable[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for code in sorted(codepoints):
        if out and out[-1][1] == code - 1:
            out[-1][1] = code
        else:
            out.append([code, code])
    return out


def coverage_table(folder: Path | None = None) -> dict[str, object]:
    """The content of ``styles/fonts/coverage.json`` for the fonts in ``folder``
    (default the shipped ``styles/fonts``), computed with fontTools.

    To refresh it after changing a font::

        python -c "from statementpub.fonts import write_coverage_table; write_coverage_table()"
    """
    import hashlib

    root = folder or styles_dir() / "fonts"
    fonts = {}
    for path in sorted(root.iterdir()):
        if path.suffix.lower() in FONT_SUFFIXES:
            data = path.read_bytes()
            fonts[path.name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                                "ranges": _ranges(_cmap_cached(path, len(data), 0))}
    return {"format": 1, "fonts": fonts}


def write_coverage_table(folder: Path | None = None) -> Path:
    """Write :func:`coverage_table` to ``coverage.json`` in ``folder``; returns its path."""
    import json

    root = folder or styles_dir() / "fonts"
    target = root / COVERAGE_FILE
    target.write_text(json.dumps(coverage_table(root), separators=(",", ":")) + "\n",
                      encoding="utf-8")
    return target


@lru_cache(maxsize=4)
def _recorded(table_path: Path, mtime_ns: int) -> dict[str, dict[str, object]]:
    import json

    try:
        data = json.loads(table_path.read_text(encoding="utf-8"))
        fonts = data["fonts"] if data.get("format") == 1 else {}
    except (OSError, ValueError, KeyError, AttributeError):
        return {}
    return fonts if isinstance(fonts, dict) else {}


def _shipped_cmap(path: Path) -> frozenset[int]:
    """A shipped font's code points, from ``coverage.json`` when it describes this very
    file (same size and SHA-256), else from the font itself."""
    import hashlib

    table = path.parent / COVERAGE_FILE
    try:
        entry = _recorded(table, table.stat().st_mtime_ns).get(path.name)
        data = path.read_bytes()
    except OSError:
        entry = None
    if isinstance(entry, dict) and entry.get("size") == len(data) \
            and entry.get("sha256") == hashlib.sha256(data).hexdigest():
        ranges = entry.get("ranges")
        if isinstance(ranges, list):
            return frozenset(code for first, last in ranges for code in range(first, last + 1))
    return _cmap(path)


@lru_cache(maxsize=64)
def _cmap_cached(path: Path, size: int, mtime_ns: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont, TTLibError  # type: ignore[import-untyped]

    try:
        with TTFont(str(path), lazy=True, fontNumber=0) as font:
            cmap = font.getBestCmap() or {}
    except (TTLibError, OSError, ValueError, AssertionError, KeyError) as exc:
        raise OptionsError(f"{str(path)!r} is not a font file statementpub can read "
                           f"(TrueType, OpenType, WOFF or WOFF2): {exc}") from exc
    return frozenset(cmap)


def _unicode_range(tokens: Iterable[object]) -> list[tuple[int, int]]:
    import tinycss2.ast  # type: ignore[import-untyped]

    ranges = []
    for token in tokens:
        if isinstance(token, tinycss2.ast.UnicodeRangeToken):
            ranges.append((token.start, token.end))
    return ranges


@lru_cache(maxsize=4)
def _shipped(css_path: Path, mtime_ns: int) -> tuple[Face, ...]:
    import tinycss2
    import tinycss2.ast

    rules = tinycss2.parse_stylesheet(css_path.read_text(encoding="utf-8"),
                                      skip_comments=True, skip_whitespace=True)
    faces = []
    for rule in rules:
        if not (isinstance(rule, tinycss2.ast.AtRule) and rule.lower_at_keyword == "font-face"):
            continue
        declarations = {d.lower_name: d.value for d in tinycss2.parse_blocks_contents(
            rule.content or [], skip_comments=True, skip_whitespace=True)
            if isinstance(d, tinycss2.ast.Declaration)}
        family = next(t.value for t in declarations["font-family"]
                      if isinstance(t, tinycss2.ast.StringToken))
        url = _url(declarations["src"])
        style = tinycss2.serialize(declarations.get("font-style", [])).strip() or "normal"
        weight = tinycss2.serialize(declarations.get("font-weight", [])).strip() or "400"
        path = (css_path.parent / url).resolve()
        codepoints = _shipped_cmap(path)
        ranges = _unicode_range(declarations.get("unicode-range", []))
        if ranges:
            codepoints = frozenset(c for c in codepoints
                                   if any(a <= c <= b for a, b in ranges))
        faces.append(Face(family, path, style, int(weight), codepoints, url))
    return tuple(faces)


def _url(tokens: Sequence[object]) -> str:
    import tinycss2.ast

    for token in tokens:
        if isinstance(token, tinycss2.ast.URLToken):
            return str(token.value)
        if isinstance(token, tinycss2.ast.FunctionBlock) and token.lower_name == "url":
            for argument in token.arguments:
                if isinstance(argument, tinycss2.ast.StringToken):
                    return str(argument.value)
    raise ValueError("an @font-face rule of fonts.css has no url()")


def shipped_faces() -> tuple[Face, ...]:
    """The ``@font-face`` rules of ``styles/fonts.css``, in order."""
    path = styles_dir() / "fonts.css"
    return _shipped(path, path.stat().st_mtime_ns)


_LANG_RULE = re.compile(r'((?::lang\([A-Za-z0-9-]+\)\s*,?\s*)+)\{\s*font-family:\s*"([^"]+)"')
_LANG = re.compile(r":lang\(([A-Za-z0-9-]+)\)")


@lru_cache(maxsize=4)
def _first_families(css_path: Path, mtime_ns: int) -> dict[str, str]:
    out: dict[str, str] = {}
    for selectors, family in _LANG_RULE.findall(css_path.read_text(encoding="utf-8")):
        for lang in _LANG.findall(selectors):
            out[lang.lower()] = family
    return out


def first_families(langs: Iterable[str]) -> set[str]:
    """The families fonts.css names first for ``langs`` (``:lang(ar)`` -> Noto Sans
    Arabic), by primary language subtag."""
    path = styles_dir() / "fonts.css"
    table = _first_families(path, path.stat().st_mtime_ns)
    return {table[lang.split("-")[0].lower()] for lang in langs
            if lang.split("-")[0].lower() in table}


_FONT_FACE = re.compile(r'@font-face\s*\{[^}]*?font-family:\s*"([^"]+)"[^}]*\}\s*')


def filter_font_faces(css: str, families: Iterable[str]) -> str:
    """``css`` without the ``@font-face`` rules of families not in ``families``."""
    keep = set(families)
    return _FONT_FACE.sub(lambda m: m.group(0) if m.group(1) in keep else "", css)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class FontSet:
    """The shipped faces and the user's font files, in the order of the font stacks."""

    shipped: tuple[Face, ...]
    user: tuple[Face, ...] = ()

    @property
    def faces(self) -> tuple[Face, ...]:
        return self.shipped + self.user

    def coverage(self) -> frozenset[int]:
        """Every code point some face can draw."""
        return self._coverage

    @cached_property
    def _coverage(self) -> frozenset[int]:
        return _union(self.faces)

    @cached_property
    def _families(self) -> tuple[tuple[str, frozenset[int]], ...]:
        """Each family in the order of the font stacks, with the code points of its faces."""
        families: dict[str, set[int]] = {}
        for face in self.faces:
            families.setdefault(face.family, set()).update(face.codepoints)
        return tuple((family, frozenset(codepoints)) for family, codepoints in families.items())

    def missing(self, text: str) -> list[str]:
        """The distinct characters of ``text`` that need a glyph and that no face has,
        in order of first appearance."""
        coverage = self.coverage()
        out: dict[str, None] = {}
        for character in text:
            if ord(character) not in coverage and needs_glyph(character):
                out[character] = None
        return list(out)

    def families_for(self, text: str, langs: Iterable[str] = ()) -> set[str]:
        """The families a document holding ``text`` in ``langs`` may draw with: those
        the stylesheets name first for its languages (:func:`first_families`) and,
        for each character, the first family of the stack (fonts.css order, which
        is base.css's ``--font`` order, then user fonts) that has it. The others
        can be left out of a self-contained document (HTML, EPUB) without changing
        how it looks."""
        return first_families(langs) | self.families_drawing(text)

    def families_drawing(self, text: str) -> set[str]:
        """For each character of ``text`` that needs a glyph, the first family of the
        stack that has it (the part of :meth:`families_for` that depends only on the
        faces and the text, not on fonts.css's language rules)."""
        chosen: set[str] = set()
        for character in set(text):
            if not needs_glyph(character):
                continue
            code = ord(character)
            for family, codepoints in self._families:
                if code in codepoints:
                    chosen.add(family)
                    break
        return chosen

    def user_css(self, url_of: dict[Path, str] | None = None) -> str:
        """The ``@font-face`` rules of the user's fonts and the font stacks with their
        families appended (empty without user fonts). ``url_of`` gives the URL to
        write for a file (a ``data:`` URI, a path inside an EPUB); by default its
        ``file:`` URI."""
        if not self.user:
            return ""
        rules = []
        for face in self.user:
            url = (url_of or {}).get(face.path, face.path.as_uri())
            rules.append(f"@font-face {{ font-family: {_css_string(face.family)}; "
                         f"src: url({_css_string(url)}); }}\n")
        shipped = list(dict.fromkeys(f.family for f in self.shipped))
        user = list(dict.fromkeys(f.family for f in self.user))

        def stack(first: list[str]) -> str:
            return ", ".join(_css_string(f) for f in dict.fromkeys(first + shipped + user))

        rules.append(f"html, [lang] {{ font-family: {stack([])}; }}\n")
        path = styles_dir() / "fonts.css"
        by_family: dict[str, list[str]] = {}
        for lang, family in _first_families(path, path.stat().st_mtime_ns).items():
            by_family.setdefault(family, []).append(lang)
        for family, langs in by_family.items():
            selectors = ", ".join(f":lang({lang})" for lang in langs)
            rules.append(f"{selectors} {{ font-family: {stack([family])}; }}\n")
        rules.append(f"@page {{ @top-center {{ font-family: {stack([])}; }} "
                     f"@bottom-center {{ font-family: {stack([])}; }} }}\n")
        return "".join(rules)


def _union(faces: Iterable[Face]) -> frozenset[int]:
    out: set[int] = set()
    for face in faces:
        out.update(face.codepoints)
    return frozenset(out)


def font_set(user_fonts: Iterable[str | Path] = ()) -> FontSet:
    """The shipped fonts and ``user_fonts`` (files: TrueType, OpenType, WOFF, WOFF2).

    :raises OptionsError: a user font file is missing or is not a font.
    """
    user = []
    for index, name in enumerate(user_fonts, 1):
        path = Path(name).expanduser().resolve()
        if path.suffix.lower() not in FONT_SUFFIXES or not path.is_file():
            raise OptionsError(f"font {str(name)!r}: not a font file "
                               f"({', '.join(FONT_SUFFIXES)}) that exists")
        user.append(Face(f"statementpub font {index}", path, codepoints=_cmap(path)))
    # one object for the same faces, so that what it computes once (its coverage) is kept
    return _font_set(shipped_faces(), tuple(user))


@lru_cache(maxsize=8)
def _font_set(shipped: tuple[Face, ...], user: tuple[Face, ...]) -> FontSet:
    return FontSet(shipped, user)
