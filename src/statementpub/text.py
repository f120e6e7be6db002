"""Text rules of the statement format, in one place (STATEMENT_FORMAT.md).

White space and the msgid rule (:func:`fold`), generated identifiers
(:func:`slugify`) and file names (:func:`title_slug`), characters no edition
can hold (:func:`forbidden_character`), the URL schemes a statement may use
(:func:`check_url`) and how a value is shown in a message (:func:`shown`). A
leaf module: it imports nothing of the package.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit

from anyascii import anyascii

__all__ = ["WHITE_SPACE", "bidi_problem", "check_email", "check_url", "describe_character", "fold",
           "forbidden_character", "lookalike_key", "shown", "slugify",
           "strip_default_ignorables", "title_slug"]

#: The longest slug :func:`title_slug` makes (characters, all ASCII): output names
#: ``<slug>.<lang>.<ext>`` and their temporary names stay far below the 255 bytes
#: file systems allow.
MAX_TITLE_SLUG = 80

#: White space in the format's sense: space, tab, line feed and carriage return
#: only. No-break spaces (U+00A0, U+202F, U+2007) and the word joiner are text.
WHITE_SPACE = " \t\n\r"
_WS = re.compile(r"[ \t\n\r]+")
_ALLOWED_SCHEMES = ("https", "http", "mailto")


#: Characters no edition can hold: XML 1.0 (the EPUB's XHTML) forbids the C0
#: controls but tab and line breaks, lone surrogates and U+FFFE/U+FFFF; HTML
#: makes DELETE and the C1 controls (U+007F to U+009F) parse errors, and pandoc
#: reads them as Windows-1252 (U+0085 becomes an ellipsis). STATEMENT_FORMAT.md,
#: "The file": errors anywhere, in escapes of a YAML string too.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def forbidden_character(text: str) -> str | None:
    """The first character in ``text`` that no edition can hold (a C0 control but
    tab and line breaks, DELETE, a C1 control, a lone surrogate, U+FFFE or U+FFFF),
    described for a message
    (``the control character U+0007``), or ``None``."""
    match = _FORBIDDEN.search(text)
    return describe_character(ord(match.group(0))) if match else None


#: Explicit bidirectional embeddings and overrides (UAX #9 section 2.1): errors
#: anywhere (STATEMENT_FORMAT.md, "The file"). A name that displays otherwise than
#: it reads ("AcmepuorG retaW" for "Acme Water Group") is a spoofing vector.
_EMBEDDINGS = {0x202A: "LEFT-TO-RIGHT EMBEDDING", 0x202B: "RIGHT-TO-LEFT EMBEDDING",
               0x202C: "POP DIRECTIONAL FORMATTING", 0x202D: "LEFT-TO-RIGHT OVERRIDE",
               0x202E: "RIGHT-TO-LEFT OVERRIDE"}
#: Isolate initiators (UAX #9 section 2.2) and their terminator, U+2069.
_ISOLATES = {0x2066: "LEFT-TO-RIGHT ISOLATE", 0x2067: "RIGHT-TO-LEFT ISOLATE",
             0x2068: "FIRST STRONG ISOLATE"}
_PDI = 0x2069
_BIDI = re.compile("[‪-‮⁦-⁩]")


def bidi_problem(text: str) -> tuple[int, str] | None:
    """The first bidirectional control that ``text`` (one value or one block) may not
    hold, as ``(offset, description)``, or ``None``.

    Embeddings and overrides (U+202A to U+202E) are never allowed; isolates
    (U+2066 to U+2068, closed by U+2069) must be balanced within ``text``: a
    U+2069 that closes nothing, or an isolate still open at the end, is a
    problem. The marks U+200E, U+200F and U+061C are allowed
    (STATEMENT_FORMAT.md, "The file").
    """
    open_isolates: list[int] = []
    for match in _BIDI.finditer(text):
        code = ord(match.group(0))
        if code in _EMBEDDINGS:
            return match.start(), (f"the bidirectional control character U+{code:04X} "
                                   f"({_EMBEDDINGS[code]}), which can make text display "
                                   "otherwise than it reads")
        if code in _ISOLATES:
            open_isolates.append(match.start())
        elif open_isolates:
            open_isolates.pop()
        else:
            return match.start(), ("the bidirectional control character U+2069 (POP DIRECTIONAL "
                                   "ISOLATE), which closes no isolate")
    if open_isolates:
        start = open_isolates[0]
        code = ord(text[start])
        return start, (f"the bidirectional control character U+{code:04X} ({_ISOLATES[code]}), "
                       "which is not closed by U+2069 (POP DIRECTIONAL ISOLATE) in the "
                       "same value or block")
    return None


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


#: Unicode's default-ignorable code points (DerivedCoreProperties.txt,
#: Default_Ignorable_Code_Point, Unicode 15.1): characters that display as
#: nothing, such as the zero-width space, the word joiner and the byte order mark.
_DEFAULT_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")


def strip_default_ignorables(text: str) -> str:
    """``text`` without Unicode's default-ignorable code points (zero-width
    space, word joiner, byte order mark, soft hyphen, variation selectors...)."""
    return _DEFAULT_IGNORABLE.sub("", text)


def lookalike_key(name: str) -> str:
    """What two names that read the same have in common (STATEMENT_FORMAT.md,
    "Front matter": look-alike signatories).

    Unicode NFKC normalisation (NFC against NFD, full-width letters, ligatures),
    case folding and removal of default-ignorable code points, repeated until
    stable (UAX #31's NFKC_Casefold, which case folding can disturb).
    """
    key = strip_default_ignorables(name)
    for _ in range(3):
        folded = strip_default_ignorables(unicodedata.normalize("NFKC", key).casefold())
        if folded == key:
            break
        key = folded
    return key


#: An e-mail address and nothing more (RFC 5322 dot-atom local part, without
#: the characters a ``mailto:`` URL gives a meaning to: ``? & = % # /``), and
#: a domain of dot-separated labels (letters and digits of any script, inner
#: hyphens).
_EMAIL = re.compile(r"[\w!$'*+^`{|}~-]+(?:\.[\w!$'*+^`{|}~-]+)*"
                    r"@(?:[^\W_](?:[^\W_]|-)*(?<!-)\.)+[^\W_](?:[^\W_]|-)*(?<!-)")


def check_email(value: str) -> str | None:
    """Why ``value`` is not an e-mail address as ``contact.email`` takes it, or
    ``None``: ``name@domain``, nothing more (no ``mailto:``, no ``?bcc=`` or
    other parameters, one address)."""
    if value.lower().startswith("mailto:"):
        return f"{shown(value)} is a mailto: link: write the address only (name@domain)"
    if "?" in value or "&" in value:
        return (f"{shown(value)} has mailto: parameters (such as ?bcc= or &body=): "
                "write the address only (name@domain)")
    if _EMAIL.fullmatch(value) is None:
        return f"{shown(value)} is not an e-mail address (name@domain)"
    return None


def slugify(text: str) -> str:
    """An ASCII identifier for a heading: ``Qué pedimos`` -> ``que-pedimos``."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "section"


def title_slug(title: str) -> str:
    """The slug of a statement that has no file (``Statement.from_mapping``), from its
    title: ``Qué pedimos`` -> ``que-pedimos``.

    Accented Latin letters lose their accents (as :func:`slugify`); a title with no
    ASCII letter or digit is transliterated (anyascii: ``Вода для всех`` ->
    ``voda-dlya-vsekh``, ``水是人权`` -> ``shuishirenquan``); a title that gives
    nothing either way gets ``s-`` and 12 hexadecimal digits of its SHA-256. At
    most :data:`MAX_TITLE_SLUG` characters, cut at a ``-`` where there is one.
    """
    decomposed = unicodedata.normalize("NFKD", title)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if not slug:
        slug = re.sub(r"[^a-z0-9]+", "-", anyascii(title).lower()).strip("-")
    if not slug:
        return "s-" + hashlib.sha256(title.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    if len(slug) > MAX_TITLE_SLUG:
        cut = slug[:MAX_TITLE_SLUG + 1]
        slug = cut[:cut.rfind("-")] if cut.rfind("-") > MAX_TITLE_SLUG // 2 \
            else slug[:MAX_TITLE_SLUG]
        slug = slug.strip("-")
    return slug
