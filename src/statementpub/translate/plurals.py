"""Languages as gettext names them: ``ll_CC`` tags and ``Plural-Forms``.

What ``msginit`` writes into a new catalog's header (gettext manual,
"Plural forms"; gettext-tools/src/plural-table.c), with Babel's CLDR rules
for the languages gettext's table lacks; the counterpart of Babel's
``babel.messages.plurals``.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["gettext_language", "plural_forms"]


def gettext_language(lang: str) -> str:
    """BCP 47 ``pt-BR`` as gettext's ``pt_BR``."""
    parts = lang.replace("_", "-").split("-")
    head = parts[0].lower()
    rest = [p.upper() if len(p) == 2 else (p.title() if len(p) == 4 else p) for p in parts[1:]]
    if len(rest) == 1 and len(rest[0]) == 2:
        return f"{head}_{rest[0]}"
    return "-".join([head, *rest])


#: GNU gettext's plural forms (gettext-tools/src/plural-table.c, the manual's
#: "Plural forms" node), which ``msginit`` writes. Where CLDR (and so Babel)
#: differs, gettext's wins: for Spanish, Italian, French and Portuguese CLDR
#: adds a "many" form for millions (``nplurals=3``) and gives Portuguese the
#: Brazilian rule; gettext keeps ``nplurals=2``, which every PO editor expects.
_GETTEXT_PLURALS: Mapping[str, str] = {
    **dict.fromkeys(("ja", "vi", "ko"), "nplurals=1; plural=0;"),
    **dict.fromkeys(("en", "de", "nl", "sv", "da", "no", "nb", "nn", "fo", "es", "pt", "it", "bg", "el", "fi", "et", "he", "eo", "hu", "tr", "ca"), "nplurals=2; plural=(n != 1);"),  # noqa: E501
    "pt_BR": "nplurals=2; plural=(n > 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "lv": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
    "ga": "nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;",
    "ro": "nplurals=3; plural=n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2;",
    "lt": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || "
          "n%100>=20) ? 1 : 2);",
    **dict.fromkeys(("ru", "uk", "be", "sr", "hr"), "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"),  # noqa: E501
    **dict.fromkeys(("cs", "sk"), "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"),
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) "
          "? 1 : 2);",
    "sl": "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
}


def plural_forms(lang: str) -> str:
    """The ``Plural-Forms`` header value for ``lang`` (BCP 47 or ``ll_CC``).

    GNU gettext's table first (what ``msginit`` writes: ``es`` gives
    ``nplurals=2; plural=(n != 1);``, ``fr`` and ``pt-BR`` ``(n > 1)``), then
    Babel's CLDR rules for the languages gettext's table lacks (``ar``), then
    ``nplurals=2; plural=(n != 1);``.
    """
    gettext_lang = gettext_language(lang)
    for key in (gettext_lang, gettext_lang.split("_")[0].split("-")[0]):
        if key in _GETTEXT_PLURALS:
            return _GETTEXT_PLURALS[key]
    from babel import UnknownLocaleError
    from babel.messages.plurals import get_plural

    try:
        return str(get_plural(gettext_lang.replace("-", "_")).plural_forms)
    except (ValueError, TypeError, LookupError, UnknownLocaleError):
        return "nplurals=2; plural=(n != 1);"

