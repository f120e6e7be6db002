"""The statement format's front matter as a JSON Schema (draft 2020-12).

:func:`statement_schema` builds the schema from the loader's own rules (its
key tables, its patterns for dates, slugs, SPDX identifiers and e-mail
addresses, the kinds of :mod:`statementpub.model`, the characters of
:mod:`statementpub.text` no edition can hold, the ISO 3166-1 codes CLDR
knows), so that it changes when they do; ``statement.schema.json`` in the
package is the same schema, written out (a test keeps the two equal).
:func:`request_schema` is the body of the render service's ``POST /v1/render``.

What a JSON Schema cannot say, the loader still checks: that a language tag
is one CLDR knows, that a date is a calendar date, the Markdown of
``subtitle``, ``summary`` and notes, image files, duplicate keys and
signatories, catalog paths inside the statement folder. A front matter the
schema accepts may still fail to load; one it rejects never loads.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from babel import Locale

from . import loader, text
from .model import KINDS

__all__ = ["DIALECT", "SCHEMA_ID", "request_schema", "shipped_schema", "statement_schema"]

#: The JSON Schema dialect of both schemas.
DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: The ``$id`` of the statement schema (a name, not a download address).
SCHEMA_ID = "urn:statementpub:statement-format:1"

#: A BCP 47 tag as the loader reads it (``en_US`` is ``en-US``); whether CLDR
#: knows the language is checked by the loader only.
_LANG_PATTERN = "^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$"


def _ecma(pattern: str) -> str:
    """A Python regular expression written with ``\\uXXXX`` escapes for every
    character outside printable ASCII, which ECMA-262 and Python both read."""
    return "".join(ch if 0x20 < ord(ch) < 0x7F else f"\\u{ord(ch):04x}"
                   if ord(ch) <= 0xFFFF else ch for ch in pattern)


def _anchored(pattern: str) -> str:
    body = pattern.removeprefix("^").removesuffix("$")
    return f"^{body}$"


def _email_pattern() -> str:
    """The loader's pattern of ``contact.email`` (:func:`statementpub.text.check_email`)
    for both engines: ``\\w`` and ``[^\\W_]`` are ASCII-only in ECMA-262 but any script's
    letters and digits in Python, so each becomes the ASCII ones plus every character
    outside ASCII (the schema may accept an address the loader refuses, never the
    reverse)."""
    pattern = text._EMAIL.pattern.replace("[^\\W_]", "[A-Za-z0-9\\u0080-\\uffff]")
    pattern = pattern.replace("\\w", "A-Za-z0-9_\\u0080-\\uffff")
    assert "\\w" not in pattern and "\\W" not in pattern, pattern
    return _anchored(_ecma(pattern))


def _defs() -> dict[str, Any]:
    forbidden = {"type": "string", "pattern": _ecma(text._FORBIDDEN.pattern)}
    countries = sorted(str(code) for code in Locale("en").territories
                       if len(str(code)) == 2 and str(code).isascii() and str(code).isalpha())
    return {
        "text": {
            "description": "Plain text, shown exactly as written; not empty.",
            "type": "string", "pattern": "\\S", "not": forbidden,
        },
        "optionalText": {
            "description": "Plain text, or nothing (null or empty: the key is as if absent).",
            "type": ["string", "null"], "not": forbidden,
        },
        "markdown": {
            "description": "Inline Markdown: emphasis, strong, code and links; no raw HTML.",
            "type": ["string", "null"], "not": forbidden,
        },
        "url": {
            "description": "An https:, http: (with a host) or mailto: URL.",
            "type": "string",
            "pattern": "^([Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s\"<>\\\\`]+[^\\s\"<>\\\\`]*"
                       "|[Mm][Aa][Ii][Ll][Tt][Oo]:[^\\s\"<>\\\\`]+)$",
        },
        "lang": {
            "description": "A BCP 47 language tag, such as en, es or es-MX.",
            "type": "string", "pattern": _LANG_PATTERN,
        },
        "country": {
            "description": "An ISO 3166-1 alpha-2 code, such as MX.",
            "enum": countries,
        },
    }


def _object(properties: dict[str, Any], keys: tuple[str, ...], required: tuple[str, ...] = (),
            description: str = "") -> dict[str, Any]:
    missing = set(keys) ^ set(properties)
    assert not missing, f"schema and loader disagree on the keys {sorted(missing)}"
    schema: dict[str, Any] = {"type": "object",
                              "properties": {key: properties[key] for key in keys},
                              "additionalProperties": False}
    if description:
        schema = {"description": description, **schema}
    if required:
        schema["required"] = list(required)
    return schema


def _opt(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` or null: the loader reads an optional key left empty as absent."""
    return {"anyOf": [schema, {"type": "null"}]}


def _ref(name: str, description: str = "") -> dict[str, Any]:
    ref: dict[str, Any] = {"$ref": f"#/$defs/{name}"}
    if description:
        ref["description"] = description
    return ref


@lru_cache(maxsize=1)
def _statement_schema_text() -> str:
    defs = _defs()
    logo = _object({"src": _ref("text", "image file inside the statement folder"),
                    "alt": _ref("text", "alternative text")},
                   loader._LOGO_KEYS, required=("src", "alt"))
    publisher = _object({"name": _ref("text"), "url": _opt(_ref("url")), "logo": logo},
                        loader._PUBLISHER_KEYS, required=("name",),
                        description="Who issues the statement.")
    link = _object({"label": _ref("text"), "url": _ref("url")}, loader._LINK_KEYS,
                   required=("label", "url"))
    signatory = _object({"name": _ref("text"), "lang": _opt(_ref("lang")),
                         "url": _opt(_ref("url")), "country": _opt(_ref("country")),
                         "note": _ref("markdown")},
                        loader._SIGNATORY_KEYS, required=("name",))
    contact = _object({"name": _ref("optionalText"),
                       "email": _opt({"type": "string", "pattern": _email_pattern()}),
                       "phone": _ref("optionalText")}, loader._CONTACT_KEYS,
                      description="The press contact.")
    properties: dict[str, Any] = {
        "title": _ref("text", "The headline: the only level-1 heading of every edition."),
        "date": {"description": "Publication date, YYYY-MM-DD.", "type": "string",
                 "format": "date", "pattern": _anchored(loader._DATE.pattern)},
        "lang": _opt(_ref("lang", "The language the statement is written in (default en).")),
        "kind": {"description": "Shown as a localized label above the title.",
                 "enum": [*KINDS, None], "default": "statement"},
        "subtitle": _ref("markdown", "A second line under the title (inline Markdown)."),
        "summary": _ref("markdown", "The lede: Markdown paragraphs separated by blank lines."),
        "publisher": publisher,
        "links": {"description": "Prominent links, such as the full letter.",
                  "type": ["array", "null"], "items": link},
        "signatories": {"description": "Who signs, in the order given: a name or a mapping "
                                       "each, or the path of a CSV file in the statement's "
                                       "folder (STATEMENT_FORMAT.md).",
                        "anyOf": [{"type": "array",
                                   "items": {"oneOf": [_ref("text"), signatory]}},
                                  {"type": "string", "pattern": "\\.[Cc][Ss][Vv]$"},
                                  {"type": "null"}]},
        "contact": contact,
        "keywords": {"description": "Subject keywords (metadata only).",
                     "type": ["array", "null"], "items": _ref("text")},
        "license": {"description": "The SPDX identifier of the text's licence.",
                    "type": ["string", "null"], "pattern": _anchored(loader._SPDX.pattern)},
        "slug": {"description": "The base of output file names.", "type": ["string", "null"],
                 "pattern": _anchored(loader._SLUG.pattern)},
        "translations": {"description": "Where each language's catalog is, relative to the "
                                        "statement's folder.",
                         "type": "object",
                         "propertyNames": {"pattern": _LANG_PATTERN},
                         "additionalProperties": _ref("text")},
    }
    root = _object(properties, loader._KEYS, required=("title", "date"))
    schema = {"$schema": DIALECT, "$id": SCHEMA_ID,
              "title": "statementpub statement front matter (format version 1)",
              "description": "The YAML front matter of a statement source file "
                             "(STATEMENT_FORMAT.md); also the 'statement' of a render "
                             "request.",
              **root, "$defs": defs}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def statement_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a statement's front matter, as a new dict.

    Follows STATEMENT_FORMAT.md version 1 as :mod:`statementpub.loader` checks it
    (see the module's docstring for what only the loader can check).
    """
    result: dict[str, Any] = json.loads(_statement_schema_text())
    return result


def statement_schema_json() -> str:
    """:func:`statement_schema` as JSON text (UTF-8, 2-space indent, final newline):
    what ``statementpub schema`` prints and ``statement.schema.json`` holds."""
    return _statement_schema_text()


def shipped_schema() -> str:
    """The text of ``statement.schema.json`` as shipped in the package."""
    return resources.files("statementpub").joinpath("statement.schema.json").read_text(
        encoding="utf-8")


def request_schema(*, max_body: int | None = None) -> dict[str, Any]:
    """The JSON Schema of a ``POST /v1/render`` body (see docs/api.md, "Render service").

    :param max_body: the service's body limit in bytes, stated in the description.
    """
    statement = statement_schema()
    defs = statement.pop("$defs")
    statement.pop("$schema")
    statement.pop("$id")
    limit = f" The whole body is limited to {max_body} bytes." if max_body else ""
    return {
        "$schema": DIALECT,
        "$id": "urn:statementpub:render-request:1",
        "title": "statementpub render request",
        "description": "POST /v1/render: one edition of a statement in one format." + limit,
        "type": "object",
        "required": ["statement", "body"],
        "additionalProperties": False,
        "properties": {
            "statement": statement,
            "body": {"description": "The Markdown body.", "type": "string"},
            "lang": {**_ref("lang"), "description": "The edition's language; default the "
                                                     "statement's."},
            "format": {"enum": ["html", "pdf", "epub"], "default": "html"},
            "catalog": {"description": "The PO file text of the language's catalog; needed "
                                       "for a language other than the source's.",
                        "type": "string"},
            "assets": {"description": "The images the statement names, by the file name it "
                                      "uses, as base64.",
                       "type": "object",
                       "propertyNames": {"pattern": "^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$"},
                       "additionalProperties": {"type": "string",
                                                "contentEncoding": "base64"}},
        },
        "$defs": defs,
    }
