"""PO files as GNU gettext reads and writes them, for the translator's workflow.

:func:`catalog_bytes` writes a catalog exactly as gettext's ``write-po.c``
does: strings wrapped at 79 columns at the line-break opportunities of
Unicode's line-breaking algorithm (UAX #14, :mod:`.linebreak`), ``#:`` lines
filled to 79 columns, obsolete messages last. So a catalog that went through
Poedit, Weblate or ``msgmerge`` and then through ``statementpub update``
changes only where its messages change. :func:`read_catalog_for_update`
reads a catalog strictly (:func:`statementpub.catalogs.parse_catalog`) and
keeps what polib drops. The counterpart of Babel's ``babel.messages.pofile``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import polib

from ..catalogs import decode_catalog, parse_catalog
from ..errors import CatalogError
from .linebreak import width_linebreaks

__all__ = ["PAGE_WIDTH", "catalog_bytes", "is_translated", "read_catalog_for_update"]

#: Page width of gettext's PO writer (``msgmerge``, ``msgcat``, ``xgettext``).
PAGE_WIDTH = 79


def read_catalog_for_update(path: str | Path) -> polib.POFile:
    """Read a catalog strictly (:func:`statementpub.catalogs.read_catalog`),
    keeping the previous msgid (``#~|``) of obsolete messages, which polib drops.

    The catalog is read in the charset its header declares; its ``encoding``
    says which (``"UTF-8"`` when none is declared).

    :raises CatalogError: missing, not valid in its charset, or not well-formed
        (``path:line``).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read the catalog: {exc.strerror}", path=str(path)) from None
    text, _ = decode_catalog(data, display=str(path))
    po = parse_catalog(data, display=str(path))
    _restore_obsolete_previous(po, text)
    return po


_OBSOLETE_PREV = re.compile(r'^#~\|\s*(msgctxt|msgid)\s+(".*")\s*$')
_OBSOLETE_PREV_CONT = re.compile(r'^#~\|\s*(".*")\s*$')
_OBSOLETE_KEY = re.compile(r'^#~\s*(msgctxt|msgid)\s+(".*")\s*$')
_OBSOLETE_CONT = re.compile(r'^#~\s*(".*")\s*$')


def _restore_obsolete_previous(po: polib.POFile, text: str) -> None:
    """Attach ``#~| msgid``/``#~| msgctxt`` lines to the obsolete entries polib read."""
    found: dict[tuple[str | None, str], dict[str, str]] = {}
    prev: dict[str, str] = {}
    current: dict[str, str] = {}
    key: str | None = None
    target: dict[str, str] | None = None

    def finish() -> None:
        nonlocal prev, current
        if "msgid" in current and prev:
            found[(current.get("msgctxt"), current["msgid"])] = prev
        prev, current = {}, {}

    for line in text.splitlines():
        line = line.strip()
        if m := _OBSOLETE_PREV.match(line):
            if current:
                finish()
            key, target = m.group(1), prev
            prev[key] = _unquote(m.group(2))
        elif (m := _OBSOLETE_PREV_CONT.match(line)) and target is prev and key:
            prev[key] += _unquote(m.group(1))
        elif m := _OBSOLETE_KEY.match(line):
            if "msgid" in current:
                finish()
            key, target = m.group(1), current
            current[key] = _unquote(m.group(2))
        elif (m := _OBSOLETE_CONT.match(line)) and target is current and key:
            current[key] += _unquote(m.group(1))
        elif line.startswith("#~") and "msgstr" in line:
            target, key = None, None
        elif not line.startswith("#"):
            if current:
                finish()
            prev, target, key = {}, None, None
    if current:
        finish()
    for entry in po:
        if entry.obsolete and entry.previous_msgid is None:
            info = found.get((entry.msgctxt, entry.msgid))
            if info:
                entry.previous_msgid = info.get("msgid")
                entry.previous_msgctxt = info.get("msgctxt")


def _unquote(quoted: str) -> str:
    return str(polib.unescape(quoted[1:-1]))


def is_translated(entry: polib.POEntry) -> bool:
    """msgmerge's test ``msgstr[0] != '\\0'``: the (first) translation is not empty."""
    if entry.msgid_plural:
        return bool(entry.msgstr_plural and entry.msgstr_plural.get(0, ""))
    return bool(entry.msgstr)


def catalog_bytes(po: polib.POFile, *, width: int = PAGE_WIDTH) -> bytes:
    """``po`` as a PO file, byte for byte as GNU gettext's tools write it.

    The header entry first, then the messages in order, then the obsolete
    ones (``#~``); obsolete messages without a translation are left out, and
    a fuzzy flag on an untranslated message is not written (write-po.c does
    both). Strings are wrapped at ``width`` columns at UAX #14 line-break
    opportunities, a string with embedded newlines is cut after each.
    """
    chunks: list[list[str]] = []
    header = _header_entry(po)
    if header is not None:
        chunks.append(_message_lines(header))
    for entry in po:
        if not entry.obsolete and (entry.msgid or entry.msgctxt is not None):
            chunks.append(_message_lines(entry, width=width))
    for entry in po:
        if entry.obsolete and is_translated(entry):
            chunks.append(_message_lines(entry, width=width))
    return ("\n".join("".join(chunk) for chunk in chunks)).encode("utf-8")


def _header_entry(po: polib.POFile) -> polib.POEntry | None:
    if not po.metadata and not po.header:
        return None
    msgstr = "".join(f"{key}: {value}\n" for key, value in po.metadata.items())
    entry = polib.POEntry(msgid="", msgstr=msgstr, tcomment=po.header or "")
    if po.metadata_is_fuzzy:
        entry.flags = ["fuzzy"]
    return entry


def _message_lines(entry: polib.POEntry, *, width: int = PAGE_WIDTH) -> list[str]:
    out: list[str] = []
    obsolete = bool(entry.obsolete)
    if entry.tcomment:
        for line in entry.tcomment.split("\n"):
            out.append(f"# {line}\n" if line else "#\n")
    if entry.comment:
        for line in entry.comment.split("\n"):
            out.append(f"#. {line}\n" if line else "#.\n")
    if entry.occurrences:
        out.append(_references(entry.occurrences, width))
    translated = is_translated(entry) if entry.msgid or entry.msgctxt is not None \
        else bool(entry.msgstr)
    flags = [flag for flag in entry.flags if flag != "fuzzy"]
    fuzzy = "fuzzy" in entry.flags and translated
    if obsolete:
        if "fuzzy" in entry.flags:
            out.append("#, fuzzy\n")
    elif fuzzy or flags:
        out.append("#, " + ", ".join((["fuzzy"] if fuzzy else []) + flags) + "\n")
    wrap = width if "no-wrap" not in entry.flags else 1 << 30
    prev_prefix = "#~| " if obsolete else "#| "
    if entry.previous_msgctxt is not None:
        out += _wrap(prev_prefix, "msgctxt", entry.previous_msgctxt, wrap)
    if entry.previous_msgid is not None:
        out += _wrap(prev_prefix, "msgid", entry.previous_msgid, wrap)
    if entry.previous_msgid_plural:
        out += _wrap(prev_prefix, "msgid_plural", entry.previous_msgid_plural, wrap)
    prefix = "#~ " if obsolete else ""
    if entry.msgctxt is not None:
        out += _wrap(prefix, "msgctxt", entry.msgctxt, wrap)
    out += _wrap(prefix, "msgid", entry.msgid, wrap)
    if entry.msgid_plural:
        out += _wrap(prefix, "msgid_plural", entry.msgid_plural, wrap)
        forms = entry.msgstr_plural or {0: ""}
        for index in sorted(forms):
            out += _wrap(prefix, f"msgstr[{index}]", forms[index], wrap)
    else:
        out += _wrap(prefix, "msgstr", entry.msgstr, wrap)
    return out


def _references(occurrences: Sequence[tuple[str, str]], width: int) -> str:
    """``#:`` lines as ``message_print_comment_filepos`` fills them."""
    out = "#:"
    column = 2
    for path, line in dict.fromkeys((str(p), str(n) if n is not None else "")
                                    for p, n in occurrences):
        while path.startswith("./"):
            path = path[2:]
        text = f"{path}:{line}" if line not in (None, "", "-1") else path
        size = len(text) + 1
        if column > 2 and column + size > width:
            out += "\n#:"
            column = 2
        out += " " + text
        column += size
    return out + "\n"


_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v",
            "\\": "\\", '"': '"'}


def _wrap(prefix: str, name: str, value: str, width: int) -> list[str]:
    """The ``wrap`` function of write-po.c (non-indented style)."""
    lines: list[str] = []
    portions = re.findall(r"[^\n]*\n|[^\n]+", value) or [""]
    first_line = True
    after_break = len(prefix) + 1
    line_width = width - 1 - after_break
    for number, portion in enumerate(portions):
        text: list[str] = []
        overrides: list[bool] = []  # True: no break before this character
        for ch in portion:
            if ch in _ESCAPES:
                text += ["\\", _ESCAPES[ch]]
                overrides += [False, True]
            else:
                text.append(ch)
                overrides.append(False)
        if portion.endswith("\n"):
            overrides[-2] = True
        more = number + 1 < len(portions)
        while True:
            start = (len(prefix) + len(name) + 1 if first_line else len(prefix)) + 1 - after_break
            breaks = width_linebreaks(text, line_width, start, overrides)
            if first_line and text and (more or start > line_width or any(breaks)):
                lines.append(f'{prefix}{name} ""\n')
                first_line = False
                continue
            break
        head = f"{prefix}{name} " if first_line else prefix
        first_line = False
        current = [head, '"']
        for ch, brk in zip(text, breaks, strict=True):
            if brk:
                current.append('"\n')
                lines.append("".join(current))
                current = [prefix, '"']
            current.append(ch)
        current.append('"\n')
        lines.append("".join(current))
    return lines
