"""Text rules of the statement format, in one place (STATEMENT_FORMAT.md).

White space and the msgid rule (:func:`fold`), generated identifiers
(:func:`slugify`), characters no edition can hold (:func:`forbidden_character`),
the URL schemes a statement may use (:func:`check_url`), how a value is
shown in a message (:func:`shown`) and when two signatory names are the same
name (:func:`name_skeleton`). A leaf module: it imports nothing of the
package.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

__all__ = ["WHITE_SPACE", "check_url", "describe_character", "fold", "forbidden_character",
           "name_skeleton", "shown", "slugify"]

#: White space in the format's sense: space, tab, line feed and carriage return
#: only. No-break spaces (U+00A0, U+202F, U+2007) and the word joiner are text.
WHITE_SPACE = " \t\n\r"
_WS = re.compile(r"[ \t\n\r]+")
_ALLOWED_SCHEMES = ("https", "http", "mailto")


#: Characters no edition can hold: XML 1.0 (the EPUB's XHTML) forbids the C0
#: controls but tab and line breaks, lone surrogates and U+FFFE/U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def forbidden_character(text: str) -> str | None:
    """The first character in ``text`` that no edition can hold (a control
    character, a lone surrogate, U+FFFE or U+FFFF), described for a message
    (``the control character U+0007``), or ``None``."""
    match = _FORBIDDEN.search(text)
    return describe_character(ord(match.group(0))) if match else None


def describe_character(code: int) -> str:
    """``the control character U+0007`` or ``the character U+FFFE``."""
    kind = "control character" if code < 0x20 or 0x7F <= code < 0xA0 else "character"
    return f"the {kind} U+{code:04X}"


def shown(text: str, limit: int = 80) -> str:
    """``repr(text)``, shortened in the middle when long (for messages)."""
    if len(text) > limit:
        text = text[: limit // 2] + "…" + text[-(limit // 4):]
    return repr(text)


def fold(text: str) -> str:
    """Fold every run of white space (space, tab, line feed, carriage return) to
    one space and strip it from both ends: the msgid rule for plain text.

    No-break spaces and the word joiner are kept: they are text.
    """
    return _WS.sub(" ", text).strip(WHITE_SPACE)


def check_url(url: str, *, allow_fragment: bool) -> str | None:
    """Why ``url`` is not allowed by the format, or ``None`` when it is.

    Allowed: ``https:``, ``http:`` (with a host) and ``mailto:``, in any
    letter case; with ``allow_fragment``, a ``#fragment`` of the edition.
    """
    if allow_fragment and url.startswith("#") and len(url) > 1 and not _WS.search(url):
        return None
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F or ch.isspace() for ch in url):
        return f"URL {shown(url)} contains white space or control characters"
    unsafe = "".join(sorted({ch for ch in url if ch in '"<>\\`'}))
    if unsafe:
        return (f"URL {shown(url)} contains {unsafe!r}, which a URL cannot hold "
                "(percent-encode it)")
    try:
        parts = urlsplit(url)
    except ValueError:
        return f"URL {shown(url)} is malformed"
    scheme = parts.scheme.lower()
    if scheme not in _ALLOWED_SCHEMES:
        if not scheme:
            return (f"URL {shown(url)} is not absolute: use https:, http: or mailto:"
                    + (" (or a #fragment)" if allow_fragment else ""))
        return f"URL scheme {parts.scheme!r} is not allowed (use https:, http: or mailto:)"
    if scheme in ("http", "https") and not parts.netloc:
        return f"URL {shown(url)} has no host"
    if scheme == "mailto" and len(url) <= len("mailto:"):
        return f"URL {shown(url)} has no address"
    return None


def slugify(text: str) -> str:
    """An ASCII identifier for a heading: ``Qué pedimos`` -> ``que-pedimos``."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "section"


#: Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt,
#: Unicode 15.1): characters that show nothing, such as the soft hyphen, the
#: zero-width space, the word joiner, variation selectors and the byte order mark.
_DEFAULT_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")


def name_skeleton(name: str) -> str:
    """The form of a signatory name that two look-alike names share
    (STATEMENT_FORMAT.md, "Front matter": duplicate and look-alike signatories).

    Unicode NFKC normalisation (composed and decomposed accents, full-width and
    compatibility letters become one), removal of default-ignorable code points
    (zero-width space, word joiner, byte order mark, soft hyphen, bidi marks),
    case folding, and white space folded as in :func:`fold`. Two names with the
    same skeleton are the same signatory:
    ``name_skeleton("Ａｌｉｓｏ\u2060 Riverkeepers") == name_skeleton("aliso riverkeepers")``.

    :param name: a name as written.
    :returns: the comparison key (not for display).
    """
    text = _DEFAULT_IGNORABLE.sub("", unicodedata.normalize("NFKC", name))
    text = unicodedata.normalize("NFKC", text.casefold())
    return fold(_DEFAULT_IGNORABLE.sub("", text))
