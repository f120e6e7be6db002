"""Statement catalogs: finding, reading strictly, and judging translations.

Implements STATEMENT_FORMAT.md "Editions and catalogs": where a language's
catalog is looked for, and when a unit's translation is *usable* (an entry
exists, its msgstr is non-empty, it is neither fuzzy nor obsolete, it has no
raw HTML and only allowed URLs, and it has exactly the same link targets,
image sources and footnote references as its msgid, counted with repetition).

polib is the catalog model; because polib (and Babel) silently accept many
malformed files (an unterminated string, a keyword without quotes, a stray
string, an invalid escape, a duplicate message), every file is first checked
line by line against the PO grammar as GNU msgfmt reads it
(:func:`check_po_syntax`), and then read with Babel's strict reader; each
error names the file and line.

A catalog is found only inside the statement's folder (a symbolic link
pointing outside counts as outside) and read only up to
:data:`MAX_CATALOG_BYTES`.
"""

from __future__ import annotations

import codecs
import glob
import io
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import polib
from babel.messages.pofile import PoFileError, read_po

from .errors import CatalogError
from .markdown import MAX_INLINE_NESTING, inspect_inline
from .memo import LRU, FileKey, NotRegularFile, read_file
from .model import Statement
from .text import bidi_problem, forbidden_character

__all__ = ["MAX_CATALOG_BYTES", "CatalogIndex", "check_po_syntax", "declared_charset",
           "catalog_index_of_file", "decode_catalog", "find_catalog", "judge", "read_catalog",
           "read_catalog_bytes", "read_catalog_file"]

#: Catalogs larger than this are refused (bytes): 16 MiB.
MAX_CATALOG_BYTES = 16 * 1024 * 1024


def find_catalog(statement: Statement, lang: str) -> Path:
    """The catalog file for ``lang`` per the format's lookup rules.

    ``translations`` in the front matter wins; else ``<stem>.<tag>.po`` beside
    the source, then ``<stem>.<language>.po`` for a tag with a region.
    Tags compare case-insensitively.

    :raises CatalogError: no catalog exists; the message names the path(s) looked for.
    """
    source = str(statement.path) if statement.path is not None else None
    if statement.base_dir is None:  # then 'translations' is empty (the loader requires a folder)
        raise CatalogError(f"no catalog for {lang!r}: the statement has no folder; pass "
                           "the catalog explicitly")
    tried: list[Path] = []
    tags = [lang] + ([lang.split("-")[0]] if "-" in lang else [])
    for tag in tags:
        for tag_path in statement.translations.items():
            if tag_path[0].lower() == tag.lower():
                path = tag_path[1]
                line = _translations_line(statement, tag_path[0])
                if not path.is_file():
                    raise CatalogError(f"the catalog for {tag!r} named in 'translations' "
                                       f"does not exist: {path}", path=source, line=line)
                _check_inside(statement, path, line)
                return path
        candidate = statement.base_dir / f"{statement.stem}.{tag}.po"
        tried.append(candidate)
        found = candidate if candidate.is_file() else None
        if found is None:
            # case-insensitive match on the file system
            pattern = f"{glob.escape(statement.stem)}.*.po"
            for existing in sorted(statement.base_dir.glob(pattern)):
                if existing.name.lower() == candidate.name.lower():
                    found = existing
                    break
        if found is not None:
            _check_inside(statement, found, 1)
            return found
    # No line of the file asks for the language (it came from the command line or
    # the API): point at 'translations' when there is one, else at the file.
    raise CatalogError(f"no catalog for language {lang!r}: looked for "
                       + " and ".join(str(p) for p in tried),
                       path=source, line=(statement.line_of("translations") or 1) if source
                       else 0)


def _translations_line(statement: Statement, tag: str) -> int:
    """The line of ``tag``'s entry under ``translations`` (tags compare case-insensitively)."""
    for field, line in statement.lines.items():
        if field.startswith("translations.") and \
                field[len("translations."):].lower() == tag.lower():
            return line
    return statement.line_of("translations") or (1 if statement.path is not None else 0)


def _check_inside(statement: Statement, path: Path, line: int) -> None:
    """Refuse a catalog that is, or links to, a file outside the statement's folder."""
    if statement.base_dir is None:
        return
    try:
        inside = path.resolve().is_relative_to(statement.base_dir.resolve())
    except (OSError, RuntimeError, ValueError):
        inside = False
    if not inside:
        source = str(statement.path) if statement.path is not None else None
        raise CatalogError(f"the catalog {path} is outside the statement folder (a symbolic "
                           "link pointing outside counts as outside)",
                           path=source, line=line if source else 0)


def available_catalogs(statement: Statement) -> list[str]:
    """Languages with a catalog beside the source (or named in ``translations``)."""
    langs = set(statement.translations)
    if statement.base_dir is not None:
        prefix = f"{statement.stem}."
        for path in statement.base_dir.glob(f"{statement.stem}.*.po"):
            tag = path.name[len(prefix):-len(".po")]
            if tag and "." not in tag:
                langs.add(tag)
    return sorted(langs, key=str.lower)


def read_catalog(path: str | Path, *, display: str | None = None) -> polib.POFile:
    """Read a PO file strictly.

    :raises CatalogError: the file is missing, not valid in the charset its
        header declares (UTF-8 when none), or not well-formed PO
        (``path:line: error: ...``, line counted from 1).
    """
    path = Path(path)
    shown = display or str(path)
    return parse_catalog(read_catalog_bytes(path, display=shown), display=shown)


def read_catalog_bytes(path: str | Path, *, display: str | None = None) -> bytes:
    """The bytes of a catalog file, refusing folders, devices and files over
    :data:`MAX_CATALOG_BYTES`.

    :raises CatalogError: the file cannot be read or is too large.
    """
    return read_catalog_file(path, display=display)[0]


def read_catalog_file(path: str | Path, *, display: str | None = None) -> tuple[bytes, FileKey]:
    """:func:`read_catalog_bytes`, and the :class:`~statementpub.memo.FileKey` of the
    bytes read (the file's identity and their SHA-256), which caches key on.

    :raises CatalogError: the file cannot be read or is too large.
    """
    path = Path(path)
    shown = display or str(path)
    try:
        data, key = read_file(path, MAX_CATALOG_BYTES)
    except NotRegularFile:
        raise CatalogError("cannot read the catalog: not a regular file", path=shown) from None
    except OSError as exc:
        raise CatalogError(f"cannot read the catalog: {exc.strerror or exc}",
                           path=shown) from None
    if len(data) > MAX_CATALOG_BYTES:
        raise CatalogError(f"the catalog is larger than {MAX_CATALOG_BYTES} bytes (16 MiB)",
                           path=shown, line=1)
    return data, key


#: Indexes of catalogs read from files, by the file's identity and bytes
#: (:func:`catalog_index_of_file`).
_INDEXES: LRU[FileKey, CatalogIndex] = LRU(maxsize=16)


def catalog_index_of_file(data: bytes, key: FileKey, *, display: str) -> CatalogIndex:
    """The :class:`CatalogIndex` of catalog ``data`` read from a file whose key is
    ``key`` (:func:`read_catalog_file`), parsed strictly (:func:`parse_catalog`)
    once per process for the same file and bytes.

    The index's entries are shared by every caller: read them, never change them.

    :raises CatalogError: the catalog is malformed.
    """
    return _INDEXES.get_or_make(key, lambda: CatalogIndex.of(
        parse_catalog(data, display=display)))


def parse_catalog(data: bytes, *, display: str = "<catalog>") -> polib.POFile:
    """Parse PO ``data`` strictly (see :func:`read_catalog`), in the charset its
    header declares (:func:`decode_catalog`). The returned catalog's
    ``encoding`` is that charset as declared (``"UTF-8"`` when none is)."""
    text, charset = decode_catalog(data, display=display)
    check_po_syntax(text, display)
    text = decode_escapes(text, display)
    # Babel's reader does not know "#~|" (the previous msgid of an obsolete
    # message, which msgmerge --previous writes): show it a plain comment. It is
    # given the decoded lines, so it does not decode them again.
    checked = re.sub(r"(?m)^([ \t]*)#~\|", r"\1# ~|", text)
    try:
        read_po(io.StringIO(checked), abort_invalid=True)
    except PoFileError as exc:
        lineno = getattr(exc, "lineno", None)
        message = str(exc).split(" on ")[0].split(": ", 1)[-1] if str(exc) else "malformed"
        raise CatalogError(f"malformed PO file: {message}", path=display,
                           line=(lineno + 1) if isinstance(lineno, int) else 1) from None
    except (ValueError, IndexError, LookupError) as exc:
        raise CatalogError(f"malformed PO file: {exc}", path=display, line=1) from None
    try:
        po = polib.pofile(text, wrapwidth=79, encoding="utf-8")
    except (OSError, ValueError, LookupError) as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise CatalogError(f"malformed PO file: {exc}", path=display,
                           line=int(match.group(1)) if match else 1) from None
    po.encoding = charset
    return po


#: ``charset=`` in the header entry's Content-Type (the header is ASCII in every
#: charset gettext reads).
_CHARSET = re.compile(rb'charset=([A-Za-z0-9][A-Za-z0-9_.:+-]*)')
_FIRST_MSGID = re.compile(rb'(?m)^[ \t]*msgid[ \t]+"(?:[^"\\\n]|\\.)+"')


def declared_charset(data: bytes) -> tuple[str | None, int]:
    """The charset the header entry of PO ``data`` declares, and its line (``None``
    and 0 when it declares none, or the template's placeholder ``CHARSET``)."""
    first = _FIRST_MSGID.search(data)
    header = data[:first.start()] if first else data
    match = _CHARSET.search(header)
    if match is None:
        return None, 0
    name = match.group(1).decode("ascii")
    line = data.count(b"\n", 0, match.start()) + 1
    return (None, line) if name.upper() == "CHARSET" else (name, line)


def decode_catalog(data: bytes, *, display: str = "<catalog>") -> tuple[str, str]:
    """The text of PO ``data`` in the charset its header declares
    (``Content-Type: text/plain; charset=ISO-8859-1``), any that gettext reads
    (an ASCII-compatible charset Python knows), and that charset's name as
    declared; UTF-8 when none is declared (a byte order mark means UTF-8 too).
    STATEMENT_FORMAT.md, "Editions and catalogs".

    :raises CatalogError: an unknown charset (at the header's line), or bytes
        that are not valid in it (at their line, naming the charset).
    """
    if len(data) > MAX_CATALOG_BYTES:
        raise CatalogError(f"the catalog is larger than {MAX_CATALOG_BYTES} bytes (16 MiB)",
                           path=display, line=1)
    name, header_line = declared_charset(data)
    bom = data.startswith(codecs.BOM_UTF8)
    codec = "utf-8"
    if name is not None:
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            raise CatalogError(f"the catalog declares the charset {name!r}, which is not "
                               "one gettext knows (use UTF-8)", path=display,
                               line=header_line) from None
        if "\n".encode(codec, errors="replace") != b"\n" or \
                'msgid ""'.encode(codec, errors="replace") != b'msgid ""':
            raise CatalogError(f"the catalog declares the charset {name!r}, which PO files "
                               "cannot be written in (use UTF-8)", path=display,
                               line=header_line)
        if bom and codec != "utf-8":
            raise CatalogError(f"the catalog starts with a UTF-8 byte order mark but "
                               f"declares the charset {name!r}", path=display, line=1)
    try:
        text = data.decode("utf-8-sig" if codec == "utf-8" else codec)
    except UnicodeDecodeError as exc:
        line = len(re.findall(rb"\r\n|\r|\n", data[:exc.start])) + 1
        shown_name = name or "UTF-8"
        declared = "the charset its header declares" if name else "no charset is declared"
        raise CatalogError(f"the catalog is not valid {shown_name} ({declared}): byte "
                           f"0x{data[exc.start]:02x}", path=display, line=line) from None
    return text, name or "UTF-8"


_KEYWORD_LINE = re.compile(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?=[\s"])\s*(.*)')
_STRINGS = re.compile(r'(?:"(?:[^"\\]|\\.)*"[ \t]*)+')
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
#: The escapes GNU msgfmt reads (po-lex.c, ``control_sequence``): a backslash and
#: one of ``n t b r f v a`` or a backslash or a double quote, up to three octal
#: digits, or ``x`` and hex digits. Nothing else: msgfmt refuses a backslash
#: before ``?`` or ``'`` ("invalid control sequence"), and so does statementpub.
_ESCAPE = re.compile(r'\\(?:[\\"abfnrtv]|[0-7]{1,3}|x[0-9A-Fa-f]+)')
#: A quoted string that holds a numeric escape, or ``\a``, which polib and
#: Babel would leave as written.
_NUMERIC_ESCAPE = re.compile(r'\\(?:[0-7]|x[0-9A-Fa-f]|a)')
_SIMPLE = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a",
           "\\": "\\", '"': '"'}
_POLIB_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r",
                  "\v": "\\v", "\b": "\\b", "\f": "\\f"}


@dataclass
class _Entry:
    """The grammar state of one message while its lines are read."""

    state: str = "none"  # none | msgctxt | msgid | msgid_plural | msgstr
    line: int = 0  # where the message starts (its msgctxt or msgid)
    context: str | None = None
    msgid: str = ""
    plural_index: int = -1
    current: str = ""  # the keyword that continuation strings extend


def check_po_syntax(text: str, display: str = "<catalog>") -> None:
    """Check ``text`` against the PO grammar, as GNU msgfmt reads it.

    Every line is blank, a comment (``#``...), a keyword (``msgctxt``,
    ``msgid``, ``msgid_plural``, ``msgstr``, ``msgstr[N]``) followed by one or
    more quoted strings, or a quoted string continuing the keyword before it;
    obsolete messages (``#~``) follow the same grammar, and previous msgids
    (``#|``, ``#~|``) must hold well-formed strings. Keywords come in the order
    msgctxt, msgid, msgid_plural, msgstr (``msgstr[0]``, ``msgstr[1]``... after a
    ``msgid_plural``); strings are closed on their line and hold only C escapes;
    a message (context and msgid) is defined once.

    :raises CatalogError: ``display:LINE: error: malformed PO file: ...``.
    """
    def fail(line: int, message: str) -> NoReturn:
        raise CatalogError(f"malformed PO file: {message}", path=display, line=line)

    entries = {False: _Entry(), True: _Entry()}  # active, obsolete
    seen: dict[tuple[bool, str | None, str], int] = {}

    def finish(obsolete: bool) -> _Entry:
        entry = entries[obsolete]
        if entry.state in ("msgctxt", "msgid", "msgid_plural"):
            fail(entry.line, "this message has no msgstr")
        if entry.state == "msgstr":
            key = (obsolete, entry.context, entry.msgid)
            if key in seen:
                fail(entry.line, f"duplicate message {_short(entry.msgid)} (first defined on "
                     f"line {seen[key]})")
            seen[key] = entry.line
        entries[obsolete] = _Entry()
        return entries[obsolete]

    def strings(rest: str, number: int) -> str:
        if not _STRINGS.fullmatch(rest):
            if rest.startswith('"'):
                fail(number, "a string is not closed on its line")
            fail(number, "expected a quoted string")
        parts = []
        for match in _STRING.finditer(rest):
            body = match.group(1)
            index = body.find("\\")
            while index >= 0:
                escape = _ESCAPE.match(body, index)
                if escape is None:
                    fail(number, f"invalid escape sequence '{body[index:index + 2]}' (msgfmt "
                         "reads only \\n \\t \\r \\b \\f \\v \\a \\\\ \\\" \\NNN \\xHH)")
                index = body.find("\\", escape.end())
            parts.append(body)
        return "".join(parts)

    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if line.startswith("#|") or (obsolete and line.startswith("|")):
            previous = line[2:] if line.startswith("#|") else line[1:]
            match = _KEYWORD_LINE.fullmatch(previous.strip())
            content = match.group(3) if match else previous.strip()
            if content:
                strings(content, number)
            continue
        if not line or line.startswith("#"):
            continue
        entry = entries[obsolete]
        if line.startswith('"'):
            if entry.state == "none":
                fail(number, "a string that follows no keyword (msgid, msgstr...)")
            value = strings(line, number)
            if entry.current == "msgid":
                entry.msgid += value
            elif entry.current == "msgctxt":
                entry.context = (entry.context or "") + value
            continue
        match = _KEYWORD_LINE.fullmatch(line)
        if match is None:
            fail(number, f"unknown keyword {_short(line.split()[0])} (expected msgctxt, "
                 "msgid, msgid_plural, msgstr or a quoted string)")
        keyword, index, rest = match.group(1), match.group(2), match.group(3)
        value = strings(rest, number)
        if keyword == "msgctxt":
            entry = finish(obsolete)
            entry.state, entry.line, entry.context = "msgctxt", number, value
        elif keyword == "msgid":
            if entry.state != "msgctxt":
                entry = finish(obsolete)
                entry.line = number
            entry.state, entry.msgid = "msgid", value
        elif keyword == "msgid_plural":
            if entry.state != "msgid":
                fail(number, "msgid_plural without a msgid before it")
            entry.state = "msgid_plural"
        elif index is None:
            if entry.state == "msgid_plural":
                fail(number, "a message with msgid_plural needs msgstr[0], msgstr[1]...")
            if entry.state != "msgid":
                fail(number, "msgstr without a msgid before it")
            entry.state = "msgstr"
        else:
            if entry.state == "msgid":
                fail(number, f"msgstr[{index}] without a msgid_plural before it")
            if entry.state not in ("msgid_plural", "msgstr") or entry.plural_index < -1 or \
                    int(index) != entry.plural_index + 1:
                fail(number, f"msgstr[{index}] out of order (expected "
                     f"msgstr[{entry.plural_index + 1}])")
            entry.plural_index = int(index)
            entry.state = "msgstr"
        entry.current = keyword.split("[")[0]
    finish(False)
    finish(True)


def decode_escapes(text: str, display: str = "<catalog>", charset: str = "utf-8") -> str:
    """``text`` (a PO file that passed :func:`check_po_syntax`) with every octal
    (``\\101``) and hexadecimal (``\\x41``) escape, and ``\\a``, replaced by
    what GNU gettext reads: the escapes make bytes, and the bytes of one string
    are text in the catalog's ``charset`` (``\\303\\251`` is ``é`` in UTF-8).

    polib and Babel leave such escapes as written (``\\101`` would be shown as
    four characters); after this, the strings hold only the escapes they read
    (``\\n``, ``\\t``, ``\\"``...). Line numbers do not change.

    :raises CatalogError: an escape beyond one byte (``\\x141``), or bytes that
        are not text in ``charset``, naming the line.
    """
    if "\\" not in text or not _NUMERIC_ESCAPE.search(text):
        return text
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if not _NUMERIC_ESCAPE.search(line):
            continue
        stripped = line.lstrip()
        if stripped.startswith("#") and not stripped.startswith(("#~", "#|")):
            continue

        def decode(match: re.Match[str], number: int = number) -> str:
            return '"' + _decode_string(match.group(1), display, number, charset) + '"'

        lines[number - 1] = _STRING.sub(decode, line)
    return "\n".join(lines)


def _decode_string(body: str, display: str, number: int, charset: str) -> str:
    if not _NUMERIC_ESCAPE.search(body):
        return body
    out = bytearray()
    index = 0
    while index < len(body):
        char = body[index]
        if char != "\\":
            out += char.encode(charset, "surrogateescape")
            index += 1
            continue
        match = _ESCAPE.match(body, index)
        assert match is not None  # check_po_syntax accepted the string
        escape = match.group(0)[1:]
        index = match.end()
        if escape in _SIMPLE:
            out += _SIMPLE[escape].encode("ascii")
            continue
        value = int(escape[1:], 16) if escape.startswith("x") else int(escape, 8)
        if value > 0xFF:
            raise CatalogError(f"malformed PO file: the escape \\{escape} is more than one "
                               "byte", path=display, line=number)
        out.append(value)
    try:
        decoded = bytes(out).decode(charset)
    except UnicodeDecodeError:
        raise CatalogError(f"malformed PO file: the escapes of this string make bytes that "
                           f"are not {charset} text", path=display, line=number) from None
    return "".join(_POLIB_ESCAPES.get(char, char) for char in decoded)


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:45] + "…")



@dataclass(frozen=True)
class CatalogIndex:
    """Entries of a catalog by msgid (entries with a msgctxt are not statement units)."""

    active: Mapping[str, polib.POEntry]
    obsolete: Mapping[str, polib.POEntry]

    @classmethod
    def of(cls, catalog: polib.POFile) -> CatalogIndex:
        active: dict[str, polib.POEntry] = {}
        obsolete: dict[str, polib.POEntry] = {}
        for entry in catalog:
            if entry.msgctxt is not None or not entry.msgid:
                continue
            (obsolete if entry.obsolete else active).setdefault(entry.msgid, entry)
        return cls(active, obsolete)


def judge(
    msgid: str,
    markup: bool,
    index: CatalogIndex,
    footnote_labels: Sequence[str] = (),
    references: Mapping[str, Mapping[str, str]] | None = None,
) -> tuple[str | None, str | None]:
    """Decide whether a unit's translation is usable.

    :returns: ``(msgstr, None)`` when usable, ``(None, reason)`` otherwise.
    """
    entry = index.active.get(msgid)
    if entry is None:
        if msgid in index.obsolete:
            return None, "obsolete"
        return None, "untranslated"
    if "fuzzy" in entry.flags:
        return None, "fuzzy"
    msgstr = entry.msgstr
    if not msgstr.strip():
        return None, "untranslated (empty msgstr)"
    bad = forbidden_character(msgstr)
    if bad:
        return None, f"contains {bad}"
    bidi = bidi_problem(msgstr)
    if bidi is not None:
        return None, f"contains {bidi[1]}"
    if not markup:
        # Plain text is shown as written: "<b>" or "https://..." in it stay text.
        return msgstr, None
    source = inspect_inline(msgid, footnote_labels, references)
    target = inspect_inline(msgstr, footnote_labels, references)
    if target.raw_html:
        return None, f"contains raw HTML {target.raw_html[0]!r}"
    if target.bad_urls:
        return None, f"link target {target.bad_urls[0]!r} is not allowed"
    if target.depth > MAX_INLINE_NESTING:
        return None, f"emphasis and links nested more than {MAX_INLINE_NESTING} levels deep"
    for what, src, dst in (("link target", source.link_targets, target.link_targets),
                           ("image", source.image_sources, target.image_sources),
                           ("footnote", source.footnote_refs, target.footnote_refs)):
        if src != dst:
            return None, _difference(what, src, dst)
    return msgstr, None


def _difference(what: str, src: Counter[str], dst: Counter[str]) -> str:
    def show(item: str) -> str:
        return f"[^{item}]" if what == "footnote" else item
    missing = src - dst
    if missing:
        item = sorted(missing)[0]
        return f"drops {what} {show(item)}"
    extra = sorted(dst - src)[0]
    return f"adds {what} {show(extra)}"
