"""Read a statement source file (STATEMENT_FORMAT.md) into a :class:`Statement`.

The loader collects every violation of the format it can find in one run and
raises them together as one :class:`StatementError` (diagnostics in line
order). Warnings (vague link texts, signatories whose names differ only in
spaces) travel on ``Statement.warnings``. Nothing here knows about catalogs or output formats.

:func:`load_statement` reads a file; :func:`statement_from_mapping` validates
data held by another tool, and is what :meth:`Statement.from_mapping` calls:
this module provides it to :mod:`statementpub.model` when it is imported
(the model does not import the loader).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import difflib
import hashlib
import re
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from babel import Locale

from .errors import Diagnostic, StatementError
from .frontmatter import YMap, YScalar, YSeq, YValue, read_front_matter
from .langtags import normalize_lang
from .markdown import msgid_of, parse_body, resolve_resource
from .model import (
    KINDS,
    Contact,
    Inline,
    Link,
    Logo,
    Publisher,
    Signatory,
    Statement,
    provide_mapping_reader,
)
from .signatories_csv import CsvRecord, CsvTable, read_signatory_csv
from .text import (
    WHITE_SPACE,
    bidi_problem,
    check_email,
    check_url,
    fold,
    forbidden_character,
    lookalike_key,
    shown,
    title_slug,
)

__all__ = ["MAX_NAME_CHARS", "MAX_SIGNATORIES", "MAX_SOURCE_BYTES", "load_statement",
           "signatory_from_record",
           "statement_from_mapping"]

#: Sources larger than this are refused (bytes): 5 MiB.
MAX_SOURCE_BYTES = 5 * 1024 * 1024
#: Statements with more signatories than this are refused: 20,000. Build time
#: and memory grow linearly with the names (benchmarks/scale.py); the limit
#: keeps one build within minutes and about a GiB (docs/coordinators.md).
MAX_SIGNATORIES = 20_000
#: Signatory names longer than this (characters) are refused: 300. WeasyPrint
#: balances the two columns of the signatory list by laying them out again and
#: again, and a very long name makes that slow (a 1,000-character name took
#: over 15 s); no organisation's name comes near it.
MAX_NAME_CHARS = 300

_KEYS = ("title", "date", "lang", "kind", "subtitle", "summary", "publisher", "links",
         "signatories", "contact", "keywords", "license", "slug", "translations")
_PUBLISHER_KEYS = ("name", "url", "logo")
_LOGO_KEYS = ("src", "alt")
_LINK_KEYS = ("label", "url")
_SIGNATORY_KEYS = ("name", "lang", "url", "country", "note")
_CONTACT_KEYS = ("name", "email", "phone")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SLUG = re.compile(r"^[a-z0-9-]+$")
#: Two-letter codes CLDR names that ISO 3166-1 does not assign to a country.
_NOT_ISO_3166 = frozenset({"ZZ", "EU", "EZ", "UN", "QO"})
_SPDX = re.compile(r"^[A-Za-z0-9.+\-() ]+$")


class _Checker:
    """Front-matter validation shared by files and mappings."""

    def __init__(self, path: str | None, base_dir: Path | None, from_mapping: bool) -> None:
        self.path = path
        self.base_dir = base_dir
        self.from_mapping = from_mapping
        self.diagnostics: list[Diagnostic] = []
        self.lines: dict[str, int] = {}

    def error(self, line: int, field: str, message: str, severity: str = "error") -> None:
        self.diagnostics.append(Diagnostic(message, self.path, line, 0, severity,
                                           field=field or None))

    def keys(self, node: YMap, allowed: Sequence[str], where: str) -> None:
        for key, line, _ in node.entries:
            if key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
                field = f"{where}.{key}" if where else key
                self.error(line, field, f"unknown key {key!r}{suggestion}; "
                           f"allowed: {', '.join(allowed)}")

    def text(self, node: YValue | None, field: str, *, required: bool = False,
             line: int = 0, name: bool = False) -> str | None:
        """A plain-text value. ``name``: a person's or organisation's name, where
        ``Null`` is a surname, not YAML's null (only ``~`` and nothing are empty)."""
        if node is None:
            if required:
                self.error(line, field, f"'{field}' is required")
            return None
        if not isinstance(node, YScalar):
            self.error(node.line or line, field, f"'{field}' must be text, not a "
                       + ("list" if isinstance(node, YSeq) else "mapping"))
            return None
        value = node.value
        nulls = ("", "~") if name else ("", "~", "null", "Null", "NULL")
        if node.plain and value in nulls and not self.from_mapping:
            value = ""
        if not value.strip():
            if required:
                self.error(node.line or line, field, f"'{field}' is empty")
            return None
        bad = forbidden_character(value)
        if bad:
            self.error(node.line or line, field, f"'{field}' holds {bad}, which no edition "
                       "can hold: remove it")
            return None
        bidi = bidi_problem(value)
        if bidi is not None:
            self.error(node.line or line, field, f"'{field}' holds {bidi[1]}: remove it "
                       "(statementpub isolates names and passages in another direction "
                       "itself)")
            return None
        if line or node.line:
            self.lines.setdefault(field, line or node.line)
        return value

    def url(self, node: YValue | None, field: str, *, required: bool = False,
            line: int = 0) -> str | None:
        value = self.text(node, field, required=required, line=line)
        if value is None:
            return None
        problem = check_url(value.strip(), allow_fragment=False)
        if problem:
            self.error(line or (node.line if node else 0), field, problem)
            return None
        return value.strip()

    def lang(self, node: YValue | None, field: str, line: int) -> str | None:
        value = self.text(node, field, line=line)
        if value is None:
            return None
        tag = normalize_lang(value)
        if tag is None:
            self.error(line, field, f"unknown language tag {value!r} (a BCP 47 tag such as "
                       "'en', 'es' or 'es-MX')")
        return tag

    def mapping(self, node: YValue | None, field: str, line: int) -> YMap | None:
        if node is None:
            return None
        if not isinstance(node, YMap):
            self.error(node.line or line, field, f"'{field}' must be a mapping of keys")
            return None
        return node

    def sequence(self, node: YValue | None, field: str, line: int) -> YSeq | None:
        if node is None:
            return None
        if isinstance(node, YScalar) and node.plain and node.value in ("", "~", "null"):
            return None
        if not isinstance(node, YSeq):
            self.error(node.line or line, field, f"'{field}' must be a list")
            return None
        return node

    def inline_markdown(self, value: str, field: str, line: int) -> Inline:
        folded = msgid_of(value.strip(WHITE_SPACE))
        document, diags = parse_body(folded, path=self.path, first_line=line,
                                     base_dir=self.base_dir, field_name=field)
        for diag in diags:
            self.diagnostics.append(Diagnostic(diag.message, self.path, line, 0, diag.severity,
                                               field=field))
        if len(document.blocks) > 1 or (document.blocks and not hasattr(document.blocks[0],
                                                                          "content")):
            self.error(line, field, f"'{field}' must be inline text (one paragraph, "
                       "no lists or headings)")
        if document.images:
            self.error(line, field, f"'{field}' cannot hold images")
        written = value.strip(WHITE_SPACE)
        return Inline(folded, line, "" if written == folded else written)


def _check_statement(
    root: YValue | None,
    body: str,
    *,
    path: str | None,
    source_path: Path | None,
    base_dir: Path | None,
    body_line: int,
    from_mapping: bool,
    date_value: _dt.date | None = None,
) -> Statement:
    c = _Checker(path, base_dir, from_mapping)
    if root is None:
        c.error(1, "", "the front matter is empty: 'title' and 'date' are required")
        raise StatementError(c.diagnostics)
    if not isinstance(root, YMap):
        c.error(root.line, "", "the front matter must be a mapping of keys (key: value)")
        raise StatementError(c.diagnostics)
    c.keys(root, _KEYS, "")
    ln = root.key_line

    title = c.text(root.get("title"), "title", required=True, line=ln("title"))

    date: _dt.date | None = date_value
    if date is None:
        date_text = c.text(root.get("date"), "date", required=True, line=ln("date"))
        if date_text is not None:
            if not _DATE.fullmatch(date_text.strip()):
                c.error(ln("date"), "date", f"date {date_text!r} must be written YYYY-MM-DD")
            else:
                try:
                    date = _dt.date.fromisoformat(date_text.strip())
                except ValueError:
                    c.error(ln("date"), "date", f"date {date_text!r} is not a calendar date")
    else:
        c.lines["date"] = ln("date")

    lang = "en"
    if root.get("lang") is not None:
        lang = c.lang(root.get("lang"), "lang", ln("lang")) or "en"

    kind = "statement"
    kind_text = c.text(root.get("kind"), "kind", line=ln("kind"))
    if kind_text is not None:
        if kind_text not in KINDS:
            hint = difflib.get_close_matches(kind_text, KINDS, n=1)
            c.error(ln("kind"), "kind", f"unknown kind {kind_text!r}"
                    + (f" (did you mean {hint[0]!r}?)" if hint else "")
                    + f"; one of: {', '.join(KINDS)}")
        else:
            kind = kind_text

    subtitle = None
    subtitle_text = c.text(root.get("subtitle"), "subtitle", line=ln("subtitle"))
    if subtitle_text is not None:
        subtitle = c.inline_markdown(subtitle_text, "subtitle", ln("subtitle"))

    summary: list[Inline] = []
    summary_node = root.get("summary")
    summary_text = c.text(summary_node, "summary", line=ln("summary"))
    if summary_text is not None:
        paragraphs = [para for para in re.split(r"\n[ \t]*\n", summary_text.strip())
                      if para.strip()]
        # The first paragraph is at the key's line, as every front-matter value; each
        # later one at the line where its text starts (when the source shows it).
        starts = summary_node.paragraph_lines if isinstance(summary_node, YScalar) else ()
        lines = ([ln("summary"), *starts[1:]] if len(starts) == len(paragraphs)
                 else [ln("summary")] * len(paragraphs))
        for number, (para, line) in enumerate(zip(paragraphs, lines, strict=True)):
            summary.append(c.inline_markdown(para, f"summary[{number}]", line))

    publisher = None
    pub = c.mapping(root.get("publisher"), "publisher", ln("publisher"))
    if pub is not None:
        c.keys(pub, _PUBLISHER_KEYS, "publisher")
        name = c.text(pub.get("name"), "publisher.name", required=True,
                      line=pub.key_line("name"), name=True)
        url = c.url(pub.get("url"), "publisher.url", line=pub.key_line("url"))
        logo = None
        logo_node = c.mapping(pub.get("logo"), "publisher.logo", pub.key_line("logo"))
        if logo_node is not None:
            c.keys(logo_node, _LOGO_KEYS, "publisher.logo")
            src = c.text(logo_node.get("src"), "publisher.logo.src", required=True,
                         line=logo_node.key_line("src"))
            alt = c.text(logo_node.get("alt"), "publisher.logo.alt", required=True,
                         line=logo_node.key_line("alt"))
            if src is not None:
                resolved = resolve_resource(src, base_dir)
                if isinstance(resolved, str):
                    c.error(logo_node.key_line("src"), "publisher.logo.src", resolved)
                elif alt is not None:
                    logo = Logo(src, resolved, alt)
        if name is not None:
            publisher = Publisher(name, url, logo)

    links: list[Link] = []
    seq = c.sequence(root.get("links"), "links", ln("links"))
    for index, item in enumerate(seq.items if seq else ()):
        field = f"links[{index}]"
        node = c.mapping(item, field, item.line)
        if node is None:
            continue
        c.keys(node, _LINK_KEYS, field)
        label = c.text(node.get("label"), f"{field}.label", required=True,
                       line=node.key_line("label"))
        url = c.url(node.get("url"), f"{field}.url", required=True, line=node.key_line("url"))
        if label is not None and url is not None:
            links.append(Link(label, url))

    signatories, signatories_source = _signatories(c, root.get("signatories"),
                                                   ln("signatories"), lang)

    contact = None
    node = c.mapping(root.get("contact"), "contact", ln("contact"))
    if node is not None:
        c.keys(node, _CONTACT_KEYS, "contact")
        email = c.text(node.get("email"), "contact.email", line=node.key_line("email"))
        problem = check_email(email.strip()) if email is not None else None
        if problem:
            c.error(node.key_line("email"), "contact.email", problem)
            email = None
        contact = Contact(c.text(node.get("name"), "contact.name", line=node.key_line("name"),
                                 name=True),
                          email.strip() if email else None,
                          c.text(node.get("phone"), "contact.phone", line=node.key_line("phone")))

    keywords: list[str] = []
    seq = c.sequence(root.get("keywords"), "keywords", ln("keywords"))
    for index, item in enumerate(seq.items if seq else ()):
        word = c.text(item, f"keywords[{index}]", line=item.line)
        if word is not None:
            keywords.append(word)

    license_id = c.text(root.get("license"), "license", line=ln("license"))
    if license_id is not None and not _SPDX.match(license_id):
        c.error(ln("license"), "license", f"license {license_id!r} is not an SPDX identifier")

    slug = c.text(root.get("slug"), "slug", line=ln("slug"))
    if slug is not None and not _SLUG.match(slug):
        c.error(ln("slug"), "slug", f"slug {slug!r} may hold only a-z, 0-9 and '-'")
    if slug is None:
        slug = default_slug(source_path) if not from_mapping else title_slug(title or "")
        if not slug:
            c.error(1, "slug", "cannot derive a file name from the source's name: "
                    "set 'slug' (a-z, 0-9 and '-')")

    translations: dict[str, Path] = {}
    node = c.mapping(root.get("translations"), "translations", ln("translations"))
    if node is not None:
        for tag_text, line, value in node.entries:
            tag = normalize_lang(tag_text)
            field = f"translations.{tag_text}"
            if tag is None:
                c.error(line, field, f"unknown language tag {tag_text!r}")
                continue
            rel = c.text(value, field, required=True, line=line)
            if rel is None:
                continue
            if base_dir is None:
                c.error(line, field, "catalog paths need a statement folder (base_dir)")
                continue
            try:
                target = (base_dir / rel).resolve()
                inside = target.is_relative_to(base_dir.resolve())
            except (OSError, RuntimeError, ValueError):
                target, inside = base_dir, False
            if Path(rel).is_absolute() or not inside:
                c.error(line, field, f"catalog path {rel!r} must stay inside the "
                        "statement folder")
                continue
            translations[tag.lower()] = target

    document, body_diags = parse_body(body, path=path, first_line=body_line, base_dir=base_dir)
    c.diagnostics.extend(body_diags)
    if not document.blocks and not body_diags:
        c.error(body_line, "body", "the body is empty: write the statement's text "
                "after the front matter")

    errors = [d for d in c.diagnostics if d.severity == "error"]
    if errors:
        raise StatementError(errors)
    assert title is not None and date is not None and slug
    warnings = tuple(sorted((d for d in c.diagnostics if d.severity == "warning"),
                            key=lambda d: d.line))
    return Statement(
        title=title, date=date, lang=lang, kind=kind,  # type: ignore[arg-type]
        subtitle=subtitle, summary=tuple(summary), publisher=publisher, links=tuple(links),
        signatories=tuple(signatories), contact=contact, keywords=tuple(keywords),
        license=license_id, slug=slug, translations=MappingProxyType(translations),
        body=document, path=source_path, base_dir=base_dir,
        lines=MappingProxyType(c.lines), warnings=warnings,
        signatories_source=signatories_source,
    )


def _check_duplicates(c: _Checker, signatories: Sequence[Signatory]) -> None:
    """Look-alike and duplicate signatories (STATEMENT_FORMAT.md, "Front matter").

    Names equal after NFKC, case folding and removal of default-ignorable code
    points (:func:`~statementpub.text.lookalike_key`) are an error naming both
    lines; names that differ only in runs of white space besides are a
    warning, as before the format said so. The same for names written in the
    front matter and rows of a signatory CSV file (``c`` is then the checker
    naming the CSV file, and the lines are its lines).
    """
    exact: dict[str, tuple[int, Signatory]] = {}
    loose: dict[str, tuple[int, Signatory]] = {}
    for index, sig in enumerate(signatories):
        key = lookalike_key(sig.name)
        if key in exact:
            first_index, first = exact[key]
            place = f"line {first.line}" if first.line else f"signatories[{first_index}]"
            alike = "" if first.name == sig.name else (
                " (they differ only in letter case, letter width, Unicode composition or "
                "invisible characters: a look-alike)")
            c.error(sig.line, f"signatories[{index}]",
                    f"duplicate signatory {shown(sig.name)}: it reads the same as "
                    f"{shown(first.name)} on {place}{alike}")
            continue
        exact[key] = (index, sig)
        spaced = fold(key)
        if spaced in loose:
            first_index, first = loose[spaced]
            c.error(sig.line, f"signatories[{index}]", f"duplicate signatory {sig.name!r} "
                    f"(also on line {first.line})" if first.line else
                    f"duplicate signatory {sig.name!r}", severity="warning")
        else:
            loose[spaced] = (index, sig)


def _signatory_name(c: _Checker, node: YValue | None, field: str, line: int) -> str | None:
    name = c.text(node, field, required=True, line=line, name=True)
    if name is not None and len(name) > MAX_NAME_CHARS:
        c.error(line, field, f"this signatory's name is {len(name):,} characters long; names "
                f"are limited to {MAX_NAME_CHARS} (put the rest in 'note')")
        return None
    return name


def _signatories(c: _Checker, node: YValue | None, key_line: int,
                 default_lang: str) -> tuple[list[Signatory], Path | None]:
    """The ``signatories``: a list in the front matter, or the path of a CSV file
    in the statement's folder (:mod:`statementpub.signatories_csv`), whose rows
    follow the same rules and limits, with errors naming the CSV file and its
    line. Duplicates and look-alikes are checked alike in both
    (:func:`_check_duplicates`)."""
    checker, source = c, None
    items: tuple[YValue, ...] = ()
    if isinstance(node, YScalar) and not (node.plain and node.value in ("", "~", "null")):
        found = _signatory_csv(c, node, key_line)
        if found is None:
            return [], None
        checker, source, items = found
    else:
        seq = c.sequence(node, "signatories", key_line)
        items = seq.items if seq else ()
    if len(items) > MAX_SIGNATORIES:
        checker.error(items[MAX_SIGNATORIES].line or key_line, "signatories",
                      f"{len(items):,} signatories; a statement is limited to "
                      f"{MAX_SIGNATORIES:,} (publish the full list as a separate document)")
        items = ()
    signatories: list[Signatory] = []
    for index, item in enumerate(items):
        sig = _signatory(checker, item, f"signatories[{index}]", default_lang)
        if sig is None:
            continue
        if source is not None and sig.note is not None:
            # a note is a unit: its reference is the statement's 'signatories' line
            sig = dataclasses.replace(sig, note=dataclasses.replace(sig.note, line=key_line))
        signatories.append(sig)
    _check_duplicates(checker, signatories)
    return signatories, source


def _signatory_csv(c: _Checker, node: YScalar, key_line: int
                   ) -> tuple[_Checker, Path, tuple[YValue, ...]] | None:
    """The rows of the CSV file ``node`` names, as mappings for :func:`_signatory`,
    and the checker whose messages name the CSV file."""
    rel = node.value.strip()
    line = node.line or key_line
    if c.base_dir is None:
        c.error(line, "signatories", "a CSV file of signatories needs a statement folder "
                "(base_dir)")
        return None
    try:
        target = (c.base_dir / rel).resolve()
        inside = target.is_relative_to(c.base_dir.resolve())
    except (OSError, RuntimeError, ValueError):
        target, inside = c.base_dir, False
    if Path(rel).is_absolute() or not inside or "\0" in rel:
        c.error(line, "signatories", f"the signatories file {rel!r} must be inside the "
                "statement folder")
        return None
    if not target.is_file():
        c.error(line, "signatories", f"'signatories' is the file {rel!r}, which does not "
                "exist (a list of names, or the path of a CSV file)")
        return None
    display = str(Path(c.path).parent / rel) if c.path else rel
    try:
        table = read_signatory_csv(target, display)
    except StatementError as exc:
        c.diagnostics.extend(exc.diagnostics)
        return None
    checker = _Checker(display, c.base_dir, from_mapping=False)
    checker.diagnostics = c.diagnostics  # one list: every error of the statement together
    return checker, target, tuple(_record_node(table, record) for record in table.records)


def _record_node(table: CsvTable, record: CsvRecord) -> YMap:
    """A CSV record as the mapping a signatory is written as in the front matter."""
    return YMap(tuple((column, record.line, YScalar(cell, record.line, False))
                      for column, cell in zip(table.header, record.cells, strict=True)
                      if cell.strip(WHITE_SPACE)), record.line)


def signatory_from_record(table: CsvTable, record: CsvRecord, *, default_lang: str = "en",
                          base_dir: Path | None = None
                          ) -> tuple[Signatory | None, list[Diagnostic]]:
    """Validate one record of a signatory CSV (a header of
    :data:`~statementpub.signatories_csv.SIGNATORY_COLUMNS`) by the rules for a
    signatory in the front matter, without the duplicate check.

    :returns: the signatory (``None`` when its name is unusable) and every problem
        found, each naming ``table.path`` and the record's line, with ``field``
        ``signatories[0].<column>``.
    """
    checker = _Checker(table.path, base_dir, from_mapping=False)
    signatory = _signatory(checker, _record_node(table, record), "signatories[0]", default_lang)
    return signatory, checker.diagnostics


def _signatory(c: _Checker, item: YValue, field: str, default_lang: str) -> Signatory | None:
    if isinstance(item, YScalar):
        name = _signatory_name(c, item, f"{field}.name", item.line)
        return Signatory(name, default_lang, line=item.line) if name else None
    node = c.mapping(item, field, item.line)
    if node is None:
        return None
    c.keys(node, _SIGNATORY_KEYS, field)
    name = _signatory_name(c, node.get("name"), f"{field}.name", node.key_line("name"))
    lang = default_lang
    if node.get("lang") is not None:
        lang = c.lang(node.get("lang"), f"{field}.lang", node.key_line("lang")) or default_lang
    url = c.url(node.get("url"), f"{field}.url", line=node.key_line("url"))
    country = c.text(node.get("country"), f"{field}.country", line=node.key_line("country"))
    if country is not None and not (len(country) == 2 and country.isascii() and country.isupper()
                                     and country in Locale("en").territories
                                     and country not in _NOT_ISO_3166):
        c.error(node.key_line("country"), f"{field}.country",
                f"country {country!r} is not an ISO 3166-1 alpha-2 code (such as 'MX')")
        country = None
    note = None
    note_text = c.text(node.get("note"), f"{field}.note", line=node.key_line("note"))
    if note_text is not None:
        note = c.inline_markdown(note_text, f"{field}.note", node.key_line("note"))
    if name is None:
        return None
    return Signatory(name, lang, url, country, note, node.line)


def default_slug(source_path: Path | None) -> str:
    """The format's default slug: the folder's name for ``statement.md``, else the stem."""
    if source_path is None:
        return ""
    base = source_path.parent.resolve().name if source_path.name == "statement.md" \
        else source_path.stem
    return re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")


def _decode(data: bytes, path: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[:exc.start]
        line = len(re.findall(rb"\r\n|\r|\n", before)) + 1
        column = exc.start - max(before.rfind(b"\n"), before.rfind(b"\r"))
        raise StatementError([Diagnostic(
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); "
            "save it as UTF-8", path, line, column)]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_source(source: Path, display: str) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_SOURCE_BYTES`.

    The size is checked on what is read, not only on what ``stat`` says, so a
    device or a file that grows cannot make the loader read without end.
    """
    def too_large(size: str) -> StatementError:
        return StatementError.single(
            f"the file is {size} bytes; statements are limited to {MAX_SOURCE_BYTES} bytes "
            "(5 MiB)", path=display, line=1)

    try:
        info = source.stat()
        if stat.S_ISDIR(info.st_mode):
            raise StatementError.single("is a folder, not a statement file", path=display)
        if not stat.S_ISREG(info.st_mode):
            raise StatementError.single("is not a regular file (a device, pipe or socket)",
                                        path=display)
        if info.st_size > MAX_SOURCE_BYTES:
            raise too_large(str(info.st_size))
        with source.open("rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)
    except FileNotFoundError:
        raise StatementError.single("no such file", path=display) from None
    except OSError as exc:
        raise StatementError.single(f"cannot read the file: {exc.strerror or exc}",
                                    path=display) from None
    except ValueError as exc:  # an embedded NUL in the path
        raise StatementError.single(f"cannot read the file: {exc}", path=display) from None
    if len(data) > MAX_SOURCE_BYTES:
        raise too_large(f"more than {MAX_SOURCE_BYTES}")
    return data


def _check_bidi_embeddings(lines: Sequence[str], display: str) -> None:
    """Refuse explicit bidirectional embeddings and overrides anywhere in the file
    (front matter, comments and body alike), each at its line."""
    diagnostics = []
    for number, line in enumerate(lines, 1):
        match = _EMBEDDING.search(line)
        if match is not None:
            problem = bidi_problem(match.group(0))
            assert problem is not None
            diagnostics.append(Diagnostic(f"the line holds {problem[1]}: remove it "
                                          "(statementpub isolates names and passages in "
                                          "another direction itself)", display, number))
    if diagnostics:
        raise StatementError(diagnostics)


_EMBEDDING = re.compile("[\u202a-\u202e]")


def load_statement(path: str | Path) -> Statement:
    """Read and validate a statement source file.

    :param path: the ``.md`` file (YAML front matter + Markdown body).
    :returns: the immutable :class:`Statement`.
    :raises StatementError: every violation of STATEMENT_FORMAT.md found, each
        with the file and line (and column where known).
    """
    source = Path(path)
    display = str(path)
    data = _read_source(source, display)
    text = _decode(data, display)
    lines = text.split("\n")
    _check_bidi_embeddings(lines, display)
    if not lines or lines[0].rstrip(" \t") != "---":
        raise StatementError.single("a statement starts with a front matter block: the "
                                    "first line must be '---'", path=display, line=1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip(" \t") == "---")
    except StopIteration:
        raise StatementError.single("the front matter is not closed: add a line '---' "
                                    "after it", path=display, line=1) from None
    front = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1:])
    root, diags = read_front_matter(front, path=display, first_line=2)
    if root is None and diags:
        raise StatementError(diags)
    try:
        statement = _check_statement(root, body, path=display, source_path=source,
                                     base_dir=source.parent, body_line=end + 2,
                                     from_mapping=False)
    except StatementError as exc:
        raise StatementError([*diags, *exc.diagnostics]) from None
    if diags:
        raise StatementError(diags)
    return dataclasses.replace(statement, source_sha256=hashlib.sha256(data).hexdigest())


def _to_yvalue(value: Any, field: str, problems: list[Diagnostic]) -> YValue:
    if isinstance(value, Mapping):
        entries = []
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(Diagnostic(f"key {key!r} must be text", field=field))
                continue
            sub = f"{field}.{key}" if field else key
            entries.append((key, 0, _to_yvalue(item, sub, problems)))
        return YMap(tuple(entries), 0)
    if isinstance(value, (list, tuple)):
        return YSeq(tuple(_to_yvalue(item, f"{field}[{i}]", problems)
                          for i, item in enumerate(value)), 0)
    if isinstance(value, str):
        return YScalar(value, 0, False)
    if isinstance(value, _dt.date) and field == "date":
        return YScalar(value.isoformat(), 0, False)
    if value is None:
        return YScalar("", 0, True)
    problems.append(Diagnostic(f"must be text, not {type(value).__name__}", field=field))
    return YScalar("", 0, True)


def statement_from_mapping(
    front_matter: Mapping[str, Any], body: str = "", *, base_dir: str | Path | None = None
) -> Statement:
    """Validate data from another tool as a statement: the implementation of
    :meth:`Statement.from_mapping` (this module provides it to the model when
    it is imported, :func:`statementpub.model.provide_mapping_reader`).

    :param front_matter: the front matter's keys and values (``date`` may be a
        :class:`datetime.date`).
    :param body: the Markdown body; its lines count from 1.
    :param base_dir: the folder images resolve in; ``None``: a body with an image fails.
    :returns: the immutable :class:`Statement`, with ``path`` ``None`` and no ``lines``.
    :raises StatementError: every violation, each naming its field (``signatories[3].url``).
    """
    problems: list[Diagnostic] = []
    root = _to_yvalue(dict(front_matter), "", problems)
    if problems:
        raise StatementError(problems)
    base = Path(base_dir) if base_dir is not None else None
    slug_source = None
    statement = _check_statement(root, body.replace("\r\n", "\n"), path=None,
                                 source_path=slug_source, base_dir=base, body_line=1,
                                 from_mapping=True)
    return statement


# Statement.from_mapping validates through this module; the model does not import it.
provide_mapping_reader(statement_from_mapping)
