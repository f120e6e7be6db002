"""Inspect what assistive technology gets from a tagged PDF.

:func:`structure_tree` gives a JSON-able view of a PDF's logical structure
(ISO 32000-1:2008 14.7-14.8, as required by ISO 14289-1:2014 "PDF/UA-1"
7.1): document language, title, the structure elements with their role,
``/Lang``, ``/Alt``, ``/Scope`` and the text of their marked content.

:func:`check_structure` checks a subset of the machine-checkable PDF/UA-1
requirements, each finding naming its Matterhorn Protocol 1.1 failure
condition (the PDF Association's list of ways to fail ISO 14289-1), plus two
project rules (one ``H1``; no list or table split into several structure
elements).  It is no substitute for a full validator (veraPDF, PAC).

Both use pikepdf only; marked-content text is decoded with the fonts'
``/ToUnicode`` CMaps (ISO 32000-1 9.10.3).
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pikepdf

__all__ = [
    "DEFAULT_PDF_CHECKS",
    "PDF_CHECKS",
    "check_structure",
    "expected_counts_from_html",
    "print_margins",
    "shipped_font_names",
    "structure_tree",
]

_PDFUAID = "{http://www.aiim.org/pdfua/ns/id/}part"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_RDF_LI = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}li"


# --------------------------------------------------------------------------
# Small pikepdf helpers
# --------------------------------------------------------------------------


def _name(value: Any) -> str | None:
    """A PDF name without its slash (``/Column`` -> ``Column``)."""
    if isinstance(value, pikepdf.Name):
        return str(value)[1:]
    return None


def _text(value: Any) -> str | None:
    if isinstance(value, pikepdf.String):
        return str(value)
    return None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, pikepdf.Array):
        return list(value)
    return [value]


def _objgen(value: Any) -> tuple[int, int] | None:
    try:
        objgen = value.objgen
    except AttributeError:
        return None
    return None if objgen == (0, 0) else (int(objgen[0]), int(objgen[1]))


def _number_tree(node: Any) -> Iterator[tuple[int, Any]]:
    """Entries of a number tree (ISO 32000-1 7.9.7), in key order."""
    if node is None:
        return
    nums = node.get("/Nums")
    if nums is not None:
        for i in range(0, len(nums) - 1, 2):
            yield int(nums[i]), nums[i + 1]
    for kid in _as_list(node.get("/Kids")):
        yield from _number_tree(kid)


def _attributes(element: Any) -> list[Any]:
    """Attribute dictionaries of a structure element (revisions skipped)."""
    return [item for item in _as_list(element.get("/A"))
            if isinstance(item, pikepdf.Dictionary)]


def _scope(element: Any) -> str | None:
    for attributes in _attributes(element):
        scope = _name(attributes.get("/Scope"))
        if scope:
            return scope
    return None


def _is_struct_element(value: Any) -> bool:
    return (isinstance(value, pikepdf.Dictionary) and "/S" in value
            and _name(value.get("/Type")) not in ("MCR", "OBJR"))


# --------------------------------------------------------------------------
# Text of marked content
# --------------------------------------------------------------------------


_CMAP_TOKEN = re.compile(
    rb"<([0-9A-Fa-f\s]*)>|(\[)|(\])|(begincodespacerange|endcodespacerange"
    rb"|beginbfchar|endbfchar|beginbfrange|endbfrange)")


def _utf16(data: bytes) -> str:
    return data.decode("utf-16-be", errors="replace")


def _parse_to_unicode(data: bytes) -> tuple[dict[int, str], int]:
    """Code -> text and code length (bytes) of a ToUnicode CMap."""
    mapping: dict[int, str] = {}
    length = 0
    section = None
    operands: list[Any] = []
    array: list[bytes] | None = None
    for match in _CMAP_TOKEN.finditer(data):
        hex_string, open_bracket, close_bracket, keyword = match.groups()
        if keyword is not None:
            section = keyword.decode()
            operands = []
            continue
        if open_bracket:
            array = []
            continue
        if close_bracket:
            operands.append(array or [])
            array = None
        else:
            value = bytes.fromhex(re.sub(rb"\s", b"", hex_string).decode())
            if array is not None:
                array.append(value)
                continue
            operands.append(value)
        if section == "begincodespacerange" and len(operands) == 2:
            length = length or len(operands[0])
            operands = []
        elif section == "beginbfchar" and len(operands) == 2:
            mapping[int.from_bytes(operands[0], "big")] = _utf16(operands[1])
            length = length or len(operands[0])
            operands = []
        elif section == "beginbfrange" and len(operands) == 3:
            low, high, target = operands
            start, end = int.from_bytes(low, "big"), int.from_bytes(high, "big")
            length = length or len(low)
            for offset, code in enumerate(range(start, min(end, start + 65535) + 1)):
                if isinstance(target, list):
                    if offset < len(target):
                        mapping[code] = _utf16(target[offset])
                else:
                    number = int.from_bytes(target, "big") + offset
                    mapping[code] = _utf16(number.to_bytes(len(target), "big"))
            operands = []
    return mapping, length


class _Font:
    def __init__(self, font: Any) -> None:
        self.mapping: dict[int, str] = {}
        composite = _name(font.get("/Subtype")) == "Type0"
        self.name = _name(font.get("/BaseFont")) or "?"
        self.length = 2 if composite else 1
        # For the .notdef check: CID -> glyph id, known for an Identity-H/V
        # encoded Type0 font only (ISO 32000-1 9.7.4.2, 9.7.5.2).
        self.cid_to_gid: bytes | None = None
        self.identity = False
        if composite and _name(font.get("/Encoding")) in ("Identity-H", "Identity-V"):
            descendants = _as_list(font.get("/DescendantFonts"))
            descendant = descendants[0] if descendants else None
            if isinstance(descendant, pikepdf.Dictionary):
                mapping = descendant.get("/CIDToGIDMap")
                if isinstance(mapping, pikepdf.Stream):
                    self.cid_to_gid = mapping.read_bytes()
                    self.identity = True
                elif mapping is None or _name(mapping) == "Identity":
                    self.identity = True
        to_unicode = font.get("/ToUnicode")
        if isinstance(to_unicode, pikepdf.Stream):
            self.mapping, length = _parse_to_unicode(to_unicode.read_bytes())
            self.length = length or self.length
        self.fallback = not self.mapping and not composite

    def notdef(self, data: bytes) -> int:
        """How many codes of ``data`` select glyph 0 (.notdef), when known."""
        if not self.identity:
            return 0
        count = 0
        for i in range(0, len(data) - 1, 2):
            cid = int.from_bytes(data[i:i + 2], "big")
            if self.cid_to_gid is not None:
                gid = int.from_bytes(self.cid_to_gid[2 * cid:2 * cid + 2] or b"\0\0", "big")
            else:
                gid = cid
            count += gid == 0
        return count

    def decode(self, data: bytes) -> str:
        if self.fallback:
            return data.decode("latin-1")
        out = []
        for i in range(0, len(data) - self.length + 1, self.length):
            code = int.from_bytes(data[i:i + self.length], "big")
            out.append(self.mapping.get(code, "\ufffd"))
        return "".join(out)


class _ContentText:
    """Text of each (page index, MCID) of a document's content streams."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.text: dict[tuple[int, int], list[str]] = {}
        # MCIDs seen in content, by page (for the orphan-content check).
        self.mcids: dict[int, set[int]] = {}
        self.fonts: dict[Any, _Font] = {}
        # (page index, font name) -> shown codes that select .notdef.
        self.notdef: dict[tuple[int, str], int] = {}
        for index, page in enumerate(pdf.pages):
            self.mcids[index] = set()
            resources = page.obj.get("/Resources")
            try:
                instructions = pikepdf.parse_content_stream(page)
            except pikepdf.PdfError:
                continue
            self._run(index, instructions, resources, [], set())

    def _font(self, resources: Any, name: Any) -> _Font | None:
        fonts = resources.get("/Font") if resources is not None else None
        font = fonts.get(name) if fonts is not None else None
        if font is None:
            return None
        key = _objgen(font) or id(font)
        if key not in self.fonts:
            self.fonts[key] = _Font(font)
        return self.fonts[key]

    def _run(self, page: int, instructions: Any, resources: Any,
             stack: list[int | None], seen_forms: set[Any]) -> None:
        font: _Font | None = None
        for instruction in instructions:
            operator = str(getattr(instruction, "operator", ""))
            operands = getattr(instruction, "operands", [])
            if operator in ("BDC", "BMC"):
                mcid = None
                if operator == "BDC" and len(operands) == 2:
                    properties = operands[1]
                    if isinstance(properties, pikepdf.Name) and resources is not None:
                        properties = (resources.get("/Properties") or {}).get(properties)
                    if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                        mcid = int(properties["/MCID"])
                        self.mcids[page].add(mcid)
                if operands and _name(operands[0]) == "Artifact":
                    mcid = -1  # text in artifacts belongs to no MCID
                stack.append(mcid)
            elif operator == "EMC":
                if stack:
                    stack.pop()
            elif operator == "Tf" and operands:
                font = self._font(resources, operands[0])
            elif operator in ("Tj", "'", '"', "TJ"):
                if font is None or not operands:
                    continue
                strings = (operands[0] if operator == "TJ" else operands[-1:])
                notdef = sum(font.notdef(bytes(item)) for item in strings
                             if isinstance(item, pikepdf.String))
                if notdef:
                    font_key = (page, font.name)
                    self.notdef[font_key] = self.notdef.get(font_key, 0) + notdef
                current = next((item for item in reversed(stack) if item is not None), None)
                if current is None or current < 0:
                    continue
                pieces = [font.decode(bytes(item)) for item in strings
                          if isinstance(item, pikepdf.String)]
                self.text.setdefault((page, current), []).append("".join(pieces))
            elif operator == "Do" and operands and resources is not None:
                xobject = (resources.get("/XObject") or {}).get(operands[0])
                if (isinstance(xobject, pikepdf.Stream)
                        and _name(xobject.get("/Subtype")) == "Form"):
                    key = _objgen(xobject)
                    if key in seen_forms:
                        continue
                    try:
                        inner = pikepdf.parse_content_stream(xobject)
                    except pikepdf.PdfError:
                        continue
                    self._run(page, inner, xobject.get("/Resources") or resources,
                              list(stack), seen_forms | {key})

    def get(self, page: int | None, mcid: int) -> str:
        if page is None:
            return ""
        return "".join(self.text.get((page, mcid), []))


# --------------------------------------------------------------------------
# Structure tree
# --------------------------------------------------------------------------


class _Walker:
    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.pages = {_objgen(page.obj): index for index, page in enumerate(pdf.pages)}
        self._content: _ContentText | None = None

    @property
    def content(self) -> _ContentText:
        if self._content is None:
            self._content = _ContentText(self.pdf)
        return self._content

    def page_of(self, value: Any, inherited: int | None) -> int | None:
        page = value.get("/Pg") if isinstance(value, pikepdf.Dictionary) else None
        if page is not None:
            return self.pages.get(_objgen(page), inherited)
        return inherited

    def elements(self) -> Iterator[tuple[Any, int | None]]:
        """All reachable structure elements, pre-order, with their page
        (``/Pg``, else the nearest ancestor's)."""
        root = self.pdf.Root.get("/StructTreeRoot")
        if root is None:
            return
        seen: set[Any] = set()
        stack: list[tuple[Any, int | None]] = [
            (kid, None) for kid in reversed(_as_list(root.get("/K")))]
        while stack:
            element, page = stack.pop()
            if not _is_struct_element(element):
                continue
            key = _objgen(element)
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            page = self.page_of(element, page)
            yield element, page
            stack.extend((kid, page) for kid in reversed(_as_list(element.get("/K"))))

    def node(self, element: Any, page: int | None, seen: set[Any]) -> dict[str, Any]:
        page = self.page_of(element, page)
        result: dict[str, Any] = {"role": _name(element.get("/S")) or "?"}
        for name, pdf_key in (("lang", "/Lang"), ("alt", "/Alt"),
                              ("actual_text", "/ActualText"), ("id", "/ID")):
            value = _text(element.get(pdf_key))
            if value is not None:
                result[name] = value
        scope = _scope(element)
        if scope:
            result["scope"] = scope
        headers = [str(item) for attributes in _attributes(element)
                   for item in _as_list(attributes.get("/Headers"))
                   if isinstance(item, pikepdf.String)]
        if headers:
            result["headers"] = headers
        # Content items in /K order: runs of marked-content text (str) and
        # child elements (dict).
        items: list[str | dict[str, Any]] = []
        annotations: list[dict[str, Any]] = []
        for kid in _as_list(element.get("/K")):
            if isinstance(kid, int):
                items.append(self.content.get(page, int(kid)))
            elif not isinstance(kid, pikepdf.Dictionary):
                continue
            elif _name(kid.get("/Type")) == "MCR":
                items.append(self.content.get(self.page_of(kid, page), int(kid["/MCID"])))
            elif _name(kid.get("/Type")) == "OBJR":
                annotations.append(_annotation(kid.get("/Obj")))
            elif _is_struct_element(kid):
                key = _objgen(kid)
                if key is not None and key in seen:
                    continue
                if key is not None:
                    seen.add(key)
                items.append(self.node(kid, page, seen))
        if items and all(isinstance(item, str) for item in items):
            result["text"] = _join_runs([item for item in items if isinstance(item, str)])
        elif items:
            # Mixed content: text runs become {"text": ...} children, in order.
            children: list[dict[str, Any]] = []
            runs: list[str] = []
            for item in items:
                if isinstance(item, str):
                    runs.append(item)
                    continue
                if runs:
                    children.append({"text": _join_runs(runs)})
                    runs = []
                children.append(item)
            if runs:
                children.append({"text": _join_runs(runs)})
            result["children"] = children
        if annotations:
            result["annotations"] = annotations
        return result


def _join_runs(texts: list[str]) -> str:
    """Join the marked-content runs of one element.

    Several runs in one element are fragments on different lines or pages,
    where the line break stood for a space: one is put back unless a run
    already ends or starts with whitespace.
    """
    joined = ""
    for text in texts:
        if (joined and text and not joined[-1].isspace() and not text[0].isspace()
                and not joined.endswith(("-", "\u00ad", "\u2010"))):
            joined += " "
        joined += text
    return joined


def _annotation(annotation: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if not isinstance(annotation, pikepdf.Dictionary):
        return result
    subtype = _name(annotation.get("/Subtype"))
    if subtype:
        result["subtype"] = subtype
    contents = _text(annotation.get("/Contents"))
    if contents is not None:
        result["contents"] = contents
    action = annotation.get("/A")
    if isinstance(action, pikepdf.Dictionary) and _text(action.get("/URI")) is not None:
        result["uri"] = _text(action.get("/URI"))
    destination = annotation.get("/Dest")
    if _text(destination) is not None:
        result["dest"] = _text(destination)
    return result


def _xmp(pdf: pikepdf.Pdf) -> ET.Element | None:
    metadata = pdf.Root.get("/Metadata")
    if not isinstance(metadata, pikepdf.Stream):
        return None
    try:
        return ET.fromstring(metadata.read_bytes())
    except ET.ParseError:
        return None


def _xmp_pdfua_part(xmp: ET.Element | None) -> int | None:
    if xmp is None:
        return None
    for element in xmp.iter():
        value = element.get(_PDFUAID)
        if value is None and element.tag == _PDFUAID:
            value = element.text
        if value is not None:
            try:
                return int(value.strip())
            except ValueError:
                return None
    return None


def _xmp_title(xmp: ET.Element | None) -> str | None:
    if xmp is None:
        return None
    for title in xmp.iter(_DC_TITLE):
        for item in title.iter(_RDF_LI):
            if item.text:
                return item.text
    return None


def _open(pdf: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(pdf))


def structure_tree(pdf: bytes) -> dict[str, Any]:
    """What assistive technology gets from ``pdf``, as a JSON-able dict.

    Keys: ``lang`` (catalog ``/Lang``, ISO 14289-1 7.2), ``title`` (XMP
    ``dc:title``, else the Info ``/Title``; Matterhorn 06-003),
    ``display_doc_title`` (Matterhorn 07-001/07-002), ``marked`` (``/MarkInfo
    /Marked``, ISO 14289-1 7.1), ``pdfua_part`` (XMP ``pdfuaid:part``,
    Matterhorn 06-002) and ``structure``: the children of the structure tree
    root, each ``{"role", "lang", "alt", "actual_text", "id", "scope",
    "headers", "text", "annotations", "children"}`` with absent keys omitted.  ``text``
    is the text of the element's own marked content (its MCIDs, in order),
    decoded through the fonts' ToUnicode maps; when an element has both
    marked content and child elements, its text runs are children of their
    own, ``{"text": ...}`` without a role, in structure order.
    ``annotations`` lists the annotations an element references through
    OBJR (``subtype``, ``contents``, ``uri``, ``dest``).
    """
    with _open(pdf) as document:
        root = document.Root
        xmp = _xmp(document)
        result: dict[str, Any] = {}
        lang = _text(root.get("/Lang"))
        if lang is not None:
            result["lang"] = lang
        title = _xmp_title(xmp) or _text(document.docinfo.get("/Title"))
        if title is not None:
            result["title"] = title
        preferences = root.get("/ViewerPreferences")
        if isinstance(preferences, pikepdf.Dictionary) and "/DisplayDocTitle" in preferences:
            result["display_doc_title"] = bool(preferences["/DisplayDocTitle"])
        mark_info = root.get("/MarkInfo")
        if isinstance(mark_info, pikepdf.Dictionary) and "/Marked" in mark_info:
            result["marked"] = bool(mark_info["/Marked"])
        part = _xmp_pdfua_part(xmp)
        if part is not None:
            result["pdfua_part"] = part
        walker = _Walker(document)
        structure_root = root.get("/StructTreeRoot")
        structure: list[dict[str, Any]] = []
        if structure_root is not None:
            seen: set[Any] = set()
            for kid in _as_list(structure_root.get("/K")):
                if _is_struct_element(kid):
                    structure.append(walker.node(kid, None, seen))
        result["structure"] = structure
        return result


# --------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------


_HEADING = re.compile(r"^H([1-6])$")


def _font_embedded(font: Any) -> bool:
    subtype = _name(font.get("/Subtype"))
    if subtype == "Type3":
        return True  # glyphs are content streams in the font itself
    if subtype == "Type0":
        descendants = _as_list(font.get("/DescendantFonts"))
        if not descendants:
            return False
        font = descendants[0]
    descriptor = font.get("/FontDescriptor")
    if not isinstance(descriptor, pikepdf.Dictionary):
        return False
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _iter_fonts(pdf: pikepdf.Pdf) -> Iterator[tuple[str, Any]]:
    seen: set[Any] = set()
    stack: list[Any] = [page.obj.get("/Resources") for page in pdf.pages]
    while stack:
        resources = stack.pop()
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        key = _objgen(resources)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        for font in (resources.get("/Font") or {}).values():
            font_key = _objgen(font)
            if font_key is not None:
                if font_key in seen:
                    continue
                seen.add(font_key)
            name = _name(font.get("/BaseFont")) or "?"
            yield name, font
        for xobject in (resources.get("/XObject") or {}).values():
            if isinstance(xobject, pikepdf.Stream) and "/Resources" in xobject:
                stack.append(xobject["/Resources"])


def _subtree_text(walker: _Walker, element: Any, limit: int = 60) -> str:
    """The text under ``element`` (for messages), at most ``limit`` chars."""
    node = walker.node(element, None, set())
    parts: list[str] = []

    def collect(item: dict[str, Any]) -> None:
        parts.append(item.get("text", ""))
        for child in item.get("children", []):
            collect(child)

    collect(node)
    return "".join(parts)[:limit]


def check_structure(pdf: bytes,
                    expected_counts: dict[str, int] | None = None, *,
                    checks: Collection[str] | None = None,
                    margins: tuple[float, float] | None = None,
                    fonts_dir: Path | None = None) -> list[str]:
    """Findings on ``pdf``'s tagging; an empty list means every check passed.

    In: the PDF's bytes; ``checks``, the codes of :data:`PDF_CHECKS` to run
    besides the tagging basics below (default: :data:`DEFAULT_PDF_CHECKS`;
    ``checks=PDF_CHECKS`` runs all); ``margins``,
    the left and right page margins in pt for the ``text-area`` check
    (default: those of ``styles/print.css``; ``(0, 0)`` checks only that
    words are on the page); ``fonts_dir``, the shipped fonts for
    ``font-shipped`` (default ``styles/fonts/``).  Out: one message per
    finding, ``"[clause] code: what"`` for the coded checks.  Needs
    ``pdftotext`` (poppler-utils) for ``text-area``, ``lbl-number`` and
    ``tounicode``; without it those report that they did not run.

    :raises StatementpubError: a code in ``checks`` that is not in
        :data:`PDF_CHECKS`.

    Checks (ISO 14289-1:2014 clause / Matterhorn Protocol 1.1 condition):

    * the document is tagged: ``/StructTreeRoot``, ``/MarkInfo /Marked
      true`` (7.1), catalog ``/Lang`` (7.2), ``DisplayDocTitle`` true
      (7.1, 07-001/07-002), XMP ``pdfuaid:part`` (5, 06-002) and ``dc:title``
      (06-003);
    * every MCID in page content has a structure parent reachable from the
      root (7.1, 01-005: content neither artifact nor tagged);
    * exactly one ``H1`` (project rule), the first heading is ``H1``
      (7.4.2, 14-002) and no heading level is skipped (7.4.2, 14-003);
    * every ``Figure`` has ``/Alt`` or ``/ActualText`` (7.3, 13-004);
    * every ``TH`` has a ``/Scope`` (7.5, 15-003);
    * ``LI`` contains only ``Lbl`` and ``LBody`` (ISO 32000-1 Table 336,
      09-005);
    * every Link annotation has a non-empty ``/Contents`` (7.18.5, 28-012)
      and is referenced through an OBJR by a ``Link`` structure element,
      which is its ``/StructParent`` (7.18.5, 28-011);
    * every page with annotations has ``/Tabs /S`` (7.18.3, 28-008/28-009);
    * every font is embedded (7.21.4.1, 31-009);
    * optionally, ``expected_counts`` (role -> count, e.g. from
      :func:`expected_counts_from_html`): the number of structure elements
      of each role, to catch a list or table split into one element per page
      (7.1, 01-006);
    * the coded checks of :data:`PDF_CHECKS`: ``note-id``, ``note-tagging``,
      ``nested-list``, ``lbl-number``, ``outline-title``, ``link-annotation``, ``text-area``,
      ``notdef``, ``font-shipped``, ``tounicode``.
    """
    from .errors import StatementpubError

    selected = list(DEFAULT_PDF_CHECKS) if checks is None else list(checks)
    unknown = sorted(set(selected) - set(PDF_CHECKS))
    if unknown:
        raise StatementpubError(
            f"unknown PDF check code(s) {unknown}; known: {sorted(PDF_CHECKS)}")
    findings: list[str] = []
    with _open(pdf) as document:
        root = document.Root
        xmp = _xmp(document)
        structure_root = root.get("/StructTreeRoot")
        if structure_root is None:
            return ["[ISO 14289-1 7.1] no /StructTreeRoot: the PDF is not tagged"]
        mark_info = root.get("/MarkInfo")
        marked = isinstance(mark_info, pikepdf.Dictionary) and bool(
            mark_info.get("/Marked", False))
        if not marked:
            findings.append("[ISO 14289-1 7.1] /MarkInfo /Marked is not true")
        if not _text(root.get("/Lang")):
            findings.append("[ISO 14289-1 7.2] the catalog has no /Lang")
        preferences = root.get("/ViewerPreferences")
        if not (isinstance(preferences, pikepdf.Dictionary)
                and bool(preferences.get("/DisplayDocTitle", False))):
            findings.append("[Matterhorn 07-001/07-002] ViewerPreferences "
                            "/DisplayDocTitle is missing or false")
        if _xmp_pdfua_part(xmp) is None:
            findings.append("[Matterhorn 06-002] XMP metadata has no pdfuaid:part")
        if not _xmp_title(xmp):
            findings.append("[Matterhorn 06-003] XMP metadata has no dc:title")

        walker = _Walker(document)
        counts: dict[str, int] = {}
        headings: list[int] = []
        reachable: set[Any] = set()
        figures_without_alt: list[Any] = []
        headers_without_scope: list[Any] = []
        bad_items: list[Any] = []
        # (page index, MCID) -> the structure element whose /K claims it.
        claimed: dict[tuple[int | None, int], Any] = {}
        for element, element_page in walker.elements():
            role = _name(element.get("/S")) or "?"
            counts[role] = counts.get(role, 0) + 1
            key = _objgen(element)
            if key is not None:
                reachable.add(key)
            for kid in _as_list(element.get("/K")):
                if isinstance(kid, int):
                    claimed[(element_page, int(kid))] = key
                elif (isinstance(kid, pikepdf.Dictionary)
                      and _name(kid.get("/Type")) == "MCR" and "/MCID" in kid):
                    claimed[(walker.page_of(kid, element_page), int(kid["/MCID"]))] = key
            heading = _HEADING.match(role)
            if heading:
                headings.append(int(heading.group(1)))
            if role == "Figure" and not (_text(element.get("/Alt"))
                                         or _text(element.get("/ActualText"))):
                figures_without_alt.append(element)
            if role == "TH" and _scope(element) is None:
                headers_without_scope.append(element)
            if role == "LI" and any(
                    _name(kid.get("/S")) not in ("Lbl", "LBody")
                    for kid in _as_list(element.get("/K")) if _is_struct_element(kid)):
                bad_items.append(element)

        for elements, finding in (
                (figures_without_alt, "[Matterhorn 13-004] {} Figure without /Alt"),
                (headers_without_scope, "[Matterhorn 15-003] {} TH without /Scope"),
                (bad_items, ("[Matterhorn 09-005] {} LI with children other than "
                             "Lbl and LBody"))):
            if elements:
                first = _subtree_text(walker, elements[0])
                findings.append(finding.format(len(elements)) + f" (first: {first!r})")

        h1 = counts.get("H1", 0)
        if h1 != 1:
            findings.append(f"[project rule] {h1} H1 elements, expected exactly one")
        if headings and headings[0] != 1:
            findings.append(f"[Matterhorn 14-002] the first heading is H{headings[0]}, not H1")
        for previous, current in zip(headings, headings[1:], strict=False):
            if current > previous + 1:
                findings.append(
                    f"[Matterhorn 14-003] heading level skipped: H{previous} "
                    f"followed by H{current}")

        # Marked content must belong to the tree, and the ParentTree must
        # agree with the tree (ISO 32000-1 14.7.4.4).
        parent_tree = dict(_number_tree(structure_root.get("/ParentTree")))
        for index, page in enumerate(document.pages):
            mcids = walker.content.mcids.get(index, set())
            if not mcids:
                continue
            parents_key = page.obj.get("/StructParents")
            parents = _as_list(
                parent_tree.get(int(parents_key)) if parents_key is not None else None)
            orphans = sorted(mcid for mcid in mcids if (index, mcid) not in claimed)
            if orphans:
                findings.append(
                    f"[Matterhorn 01-005] page {index + 1}: marked content "
                    f"{orphans[:10]} has no structure parent in the tree "
                    f"(neither tagged nor an artifact)")
            wrong = sorted(
                mcid for mcid in mcids if (index, mcid) in claimed and (
                    mcid >= len(parents)
                    or _objgen(parents[mcid]) != claimed[(index, mcid)]))
            if wrong:
                findings.append(
                    f"[ISO 32000-1 14.7.4.4] page {index + 1}: the ParentTree "
                    f"disagrees with the structure tree for MCIDs {wrong[:10]}")

        for index, page in enumerate(document.pages):
            annotations = _as_list(page.obj.get("/Annots"))
            if annotations and _name(page.obj.get("/Tabs")) != "S":
                findings.append(
                    f"[Matterhorn 28-008/28-009] page {index + 1} has annotations "
                    f"but /Tabs is not /S")
            for annotation in annotations:
                if _name(annotation.get("/Subtype")) != "Link":
                    continue
                label = (_text((annotation.get("/A") or {}).get("/URI"))
                         or _text(annotation.get("/Dest")) or "?")
                if not (_text(annotation.get("/Contents")) or "").strip():
                    findings.append(
                        f"[Matterhorn 28-012] page {index + 1}: link {label!r} "
                        f"has no /Contents")
                parent_key = annotation.get("/StructParent")
                parent = parent_tree.get(int(parent_key)) if parent_key is not None else None
                ok = (isinstance(parent, pikepdf.Dictionary)
                      and _name(parent.get("/S")) == "Link"
                      and _objgen(parent) in reachable
                      and any(isinstance(kid, pikepdf.Dictionary)
                              and _name(kid.get("/Type")) == "OBJR"
                              and _objgen(kid.get("/Obj")) == _objgen(annotation)
                              for kid in _as_list(parent.get("/K"))))
                if not ok:
                    findings.append(
                        f"[Matterhorn 28-011] page {index + 1}: link {label!r} "
                        f"is not in a Link structure element through an OBJR")

        for name, font in _iter_fonts(document):
            if not _font_embedded(font):
                findings.append(f"[Matterhorn 31-009] font {name} is not embedded")

        for role, expected in sorted((expected_counts or {}).items()):
            actual = counts.get(role, 0)
            if actual != expected:
                findings.append(
                    f"[Matterhorn 01-006] {actual} {role} structure elements, "
                    f"expected {expected} (an element split across pages?)")

        if selected:
            if margins is None and "text-area" in selected:
                margins = print_margins()
            context = _Context(pdf, document, walker, margins, fonts_dir)
            for code in PDF_CHECKS:
                if code in selected:
                    findings.extend(_CHECK_FUNCTIONS[code](context))
    return findings


# --------------------------------------------------------------------------
# Checks beyond the tagging basics, each with a code (see PDF_CHECKS)
# --------------------------------------------------------------------------


#: The checks :func:`check_structure` runs besides the tagging basics: code ->
#: the clause it follows.  Pass a subset as ``checks=`` to run only those.
PDF_CHECKS: dict[str, str] = {
    "note-id": "ISO 14289-1 7.9, Matterhorn 19-003/19-004: every Note has an /ID, "
               "unique in the document",
    "note-tagging": "ISO 14289-1 7.9: footnotes are Note elements, not list items "
                    "(an LI holding a back link)",
    "nested-list": "ISO 32000-1 14.8.4.3.3, ISO 14289-1 7.6: a list inside a list "
                   "item is inside its LBody",
    "lbl-number": "ISO 32000-1 14.8.4.3.3, ISO 14289-1 7.6: the Lbl numbers of a list "
                  "run on from its first, and are the numbers drawn",
    "outline-title": "ISO 14289-1 7.17: each outline entry (bookmark) is its heading's "
                     "text without its note marks, in the headings' order",
    "text-area": "project rule (print.css): every word lies inside the page and its "
                 "left and right margins",
    "link-annotation": "ISO 32000-1 14.8.4.4.2, ISO 14289-1 7.18.5: every Link "
                       "structure element holds a link annotation (an OBJR): text tagged "
                       "as a link that cannot be followed is a false promise",
    "notdef": "ISO 14289-1 7.21.8, Matterhorn 31-030: no .notdef glyph is drawn",
    "font-shipped": "project rule: every font is one statementpub ships (styles/fonts/)",
    "tounicode": "ISO 14289-1 7.21.7, ISO 32000-1 9.10.3: every ToUnicode CMap is "
                 "well formed and maps a glyph to at most a few characters",
}

#: The coded checks :func:`check_structure` runs by default: all of them
#: (``statementpub check`` and the conformance tests run these on every PDF).
DEFAULT_PDF_CHECKS: tuple[str, ...] = tuple(PDF_CHECKS)

#: Tolerance (pt) for the text-area check.
TEXT_AREA_TOLERANCE = 1.0
#: A bfchar destination longer than this many UTF-16 code units is a finding:
#: ligatures map one glyph to 2 or 3 characters; poppler rejects long ones
#: ("Illegal entry in bfchar block in ToUnicode CMap").
MAX_BFCHAR_UNITS = 4

_SUBSET = re.compile(r"^[A-Z]{6}\+")
_NUMBER_LABEL = re.compile(r"^\(?(\d+)[.)]?$")
_MM = 72 / 25.4
_CSS_UNITS = {"mm": _MM, "cm": 10 * _MM, "in": 72.0, "pt": 1.0, "px": 0.75, "pc": 12.0}


def _compact(text: str) -> str:
    """``text`` without whitespace or soft hyphens, NFC (for comparisons)."""
    import unicodedata

    return unicodedata.normalize("NFC", re.sub(r"[\s\u00ad]+", "", text))


def _loose(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _font_key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", _SUBSET.sub("", name).lower())


def shipped_font_names(fonts_dir: Path | None = None) -> frozenset[str]:
    """Names of the fonts under ``styles/fonts/`` (or ``fonts_dir``), folded:
    lower case, letters and digits only (``atkinsonhyperlegiblenext``,
    ``atkinsonhyperlegiblenextbold`` ...): family (name ID 1 and 16), full
    name (4) and PostScript name (6), read with fontTools."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    if fonts_dir is None:
        from .resources import styles_dir

        fonts_dir = styles_dir() / "fonts"
    names: set[str] = set()
    for path in sorted(fonts_dir.iterdir()):
        if path.suffix.lower() not in (".woff", ".woff2", ".ttf", ".otf"):
            continue
        with TTFont(str(path), lazy=True) as font:
            table = font["name"]
            for name_id in (1, 4, 6, 16):
                value = table.getDebugName(name_id)
                if value:
                    names.add(_font_key(value))
    return frozenset(names)


def print_margins(stylesheet: Path | None = None) -> tuple[float, float]:
    """The left and right page margins (pt) of ``styles/print.css`` (or
    ``stylesheet``): the ``margin`` of its first ``@page`` rule without a
    selector, read with tinycss2 (CSS 2.2 shorthand order)."""
    import tinycss2  # type: ignore[import-untyped]

    if stylesheet is None:
        from .resources import styles_dir

        stylesheet = styles_dir() / "print.css"
    rules = tinycss2.parse_stylesheet(stylesheet.read_text(encoding="utf-8"),
                                      skip_comments=True, skip_whitespace=True)
    for rule in rules:
        if (rule.type != "at-rule" or rule.lower_at_keyword != "page"
                or tinycss2.serialize(rule.prelude).strip()):
            continue
        for declaration in tinycss2.parse_blocks_contents(
                rule.content or [], skip_comments=True, skip_whitespace=True):
            if declaration.type != "declaration" or declaration.lower_name != "margin":
                continue
            values = [token.value * _CSS_UNITS.get(token.unit, 1.0)
                      if token.type == "dimension" else 0.0
                      for token in declaration.value
                      if token.type in ("dimension", "number")]
            if values:
                # top right bottom left; missing ones repeat (right <- top,
                # left <- right).
                right = values[1] if len(values) > 1 else values[0]
                left = values[3] if len(values) > 3 else right
                return float(left), float(right)
    return 0.0, 0.0


class _Poppler:
    """The words ``pdftotext -bbox`` finds (poppler-utils) and its warnings."""

    def __init__(self, pdf: bytes) -> None:
        import shutil
        import subprocess
        import tempfile

        self.error: str | None = None
        self.pages: list[tuple[float, float, list[tuple[str, float, float, float, float]]]] = []
        self.warnings: list[str] = []
        if shutil.which("pdftotext") is None:
            self.error = "pdftotext (poppler-utils) is not installed"
            return
        with tempfile.TemporaryDirectory(prefix="statementpub-pdf-") as tmp:
            path = Path(tmp) / "in.pdf"
            path.write_bytes(pdf)
            try:
                proc = subprocess.run(
                    ["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"],
                    capture_output=True, timeout=120, check=False, stdin=subprocess.DEVNULL)
            except (OSError, subprocess.TimeoutExpired) as exc:
                self.error = f"pdftotext failed: {exc}"
                return
        self.warnings = [line.strip() for line in
                         proc.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
        try:
            tree = ET.fromstring(proc.stdout)
        except ET.ParseError as exc:
            self.error = f"pdftotext gave no readable -bbox output (exit {proc.returncode}): {exc}"
            return
        for page in tree.iter("{http://www.w3.org/1999/xhtml}page"):
            words = [(word.text or "", float(word.get("xMin", 0)), float(word.get("yMin", 0)),
                      float(word.get("xMax", 0)), float(word.get("yMax", 0)))
                     for word in page.iter("{http://www.w3.org/1999/xhtml}word")]
            self.pages.append((float(page.get("width", 0)), float(page.get("height", 0)),
                               words))


class _Context:
    """What the coded checks share: the document, its elements and parents."""

    def __init__(self, pdf: bytes, document: pikepdf.Pdf, walker: _Walker,
                 margins: tuple[float, float] | None, fonts_dir: Path | None) -> None:
        self.pdf = pdf
        self.document = document
        self.walker = walker
        self.margins = margins
        self.fonts_dir = fonts_dir
        root = document.Root.get("/StructTreeRoot")
        role_map = root.get("/RoleMap") if root is not None else None
        self.role_map: dict[str, str] = {}
        if isinstance(role_map, pikepdf.Dictionary):
            for key, value in role_map.items():
                target = _name(value)
                if target:
                    self.role_map[str(key)[1:]] = target
        # Each element with its page and its parent's key, pre-order.
        self.elements: list[tuple[Any, int | None]] = list(walker.elements())
        self.parent: dict[Any, Any] = {}
        for element, _page in self.elements:
            for kid in _as_list(element.get("/K")):
                if _is_struct_element(kid):
                    self.parent.setdefault(_objgen(kid), element)
        self._poppler: _Poppler | None = None

    @property
    def poppler(self) -> _Poppler:
        if self._poppler is None:
            self._poppler = _Poppler(self.pdf)
        return self._poppler

    def role(self, element: Any) -> str:
        """The standard role of ``element`` (through the /RoleMap, 14.7.3)."""
        role = _name(element.get("/S")) or "?"
        seen = {role}
        while role in self.role_map and self.role_map[role] not in seen:
            role = self.role_map[role]
            seen.add(role)
        return role

    def kids(self, element: Any) -> list[Any]:
        return [kid for kid in _as_list(element.get("/K")) if _is_struct_element(kid)]

    def text(self, element: Any) -> str:
        """All text under ``element``, runs joined as on one line."""
        node = self.walker.node(element, None, set())
        runs: list[str] = []

        def collect(item: dict[str, Any]) -> None:
            if "text" in item:
                runs.append(item["text"])
            for child in item.get("children", []):
                collect(child)

        collect(node)
        return _join_runs(runs)

    def ancestor(self, element: Any, role: str) -> Any:
        current = self.parent.get(_objgen(element))
        while current is not None:
            if self.role(current) == role:
                return current
            current = self.parent.get(_objgen(current))
        return None


def _check_note_id(ctx: _Context) -> list[str]:
    findings: list[str] = []
    ids: dict[str, int] = {}
    for element, _page in ctx.elements:
        value = _text(element.get("/ID"))
        if value is not None:
            ids[value] = ids.get(value, 0) + 1
    missing = [element for element, _page in ctx.elements
               if ctx.role(element) == "Note" and not _text(element.get("/ID"))]
    if missing:
        findings.append(
            f"[ISO 14289-1 7.9, Matterhorn 19-003] note-id: {len(missing)} Note element(s) "
            f"without /ID (first: {ctx.text(missing[0])[:60]!r})")
    for element, _page in ctx.elements:
        value = _text(element.get("/ID"))
        if ctx.role(element) == "Note" and value and ids[value] > 1:
            findings.append(
                f"[ISO 14289-1 7.9, Matterhorn 19-004] note-id: the /ID {value!r} of a Note "
                f"is used by {ids[value]} structure elements")
            ids[value] = 0  # once per value
    return findings


def _check_link_annotation(ctx: _Context) -> list[str]:
    findings: list[str] = []
    for element, page in ctx.elements:
        if ctx.role(element) != "Link":
            continue
        objrs = [item for item in _as_list(element.get("/K"))
                 if isinstance(item, pikepdf.Dictionary) and _name(item.get("/Type")) == "OBJR"]
        if not objrs:
            where = f" on page {page + 1}" if page is not None else ""
            findings.append(
                f"[ISO 32000-1 14.8.4.4.2] link-annotation: Link {ctx.text(element)[:60]!r}"
                f"{where} has no link annotation")
    return findings


def _internal(annotation: Any) -> bool:
    if not isinstance(annotation, pikepdf.Dictionary):
        return False
    action = annotation.get("/A")
    return "/Dest" in annotation or (isinstance(action, pikepdf.Dictionary)
                                     and _name(action.get("/S")) == "GoTo")


def _check_note_tagging(ctx: _Context) -> list[str]:
    """A back link (internal link whose text has no letter or digit, such as
    ``↩``) inside an ``LI``: a footnote tagged as a list item."""
    items: list[Any] = []
    for element, _page in ctx.elements:
        if ctx.role(element) != "Link":
            continue
        annotations = [kid.get("/Obj") for kid in _as_list(element.get("/K"))
                       if isinstance(kid, pikepdf.Dictionary)
                       and _name(kid.get("/Type")) == "OBJR"]
        text = ctx.text(element)
        if not (annotations and all(_internal(a) for a in annotations)
                and not any(ch.isalnum() for ch in text)):
            continue
        item = ctx.ancestor(element, "LI")
        if item is not None and ctx.ancestor(element, "Note") is None and all(
                _objgen(item) != _objgen(other) for other in items):
            items.append(item)
    if not items:
        return []
    return [(f"[ISO 14289-1 7.9] note-tagging: {len(items)} note(s) tagged as list items "
             f"(an LI holding a back link) instead of Note elements "
             f"(first: {ctx.text(items[0])[:60]!r})")]


def _check_nested_list(ctx: _Context) -> list[str]:
    wrong: list[tuple[str, Any]] = []
    for element, _page in ctx.elements:
        role = ctx.role(element)
        if role not in ("L", "LI"):
            continue
        for kid in ctx.kids(element):
            if ctx.role(kid) == "L":
                wrong.append((role, kid))
    if not wrong:
        return []
    role, first = wrong[0]
    return [(f"[ISO 32000-1 14.8.4.3.3, ISO 14289-1 7.6] nested-list: {len(wrong)} L "
             f"element(s) directly inside an L or LI instead of inside an LBody "
             f"(first: an L in an {role}: {ctx.text(first)[:60]!r})")]


def _check_lbl_number(ctx: _Context) -> list[str]:
    findings: list[str] = []
    pages = {_objgen(element): page for element, page in ctx.elements}
    for element, _page in ctx.elements:
        if ctx.role(element) != "L":
            continue
        labels: list[tuple[Any, str | None]] = []
        for item in ctx.kids(element):
            if ctx.role(item) != "LI":
                continue
            label = next((kid for kid in ctx.kids(item) if ctx.role(kid) == "Lbl"), None)
            labels.append((label, None if label is None else _loose(ctx.text(label))))
        numbers = [_NUMBER_LABEL.match(text or "") for _label, text in labels]
        if not any(numbers):
            continue
        first = next(match for match in numbers if match)
        where = f"list {ctx.text(element)[:40]!r}"
        if not all(numbers):
            bad = next(text for (_label, text), match in zip(labels, numbers, strict=True)
                       if not match)
            findings.append(
                f"[ISO 14289-1 7.6] lbl-number: {where}: a numbered list with an item "
                f"labelled {bad!r} (or without Lbl)")
            continue
        start = int(first.group(1))
        actual = [int(match.group(1)) for match in numbers if match]
        expected = list(range(start, start + len(actual)))
        if actual != expected:
            findings.append(
                f"[ISO 32000-1 14.8.4.3.3] lbl-number: {where}: Lbl numbers {actual[:12]} "
                f"do not run on from {start} ({expected[:12]})")
        for label, text in labels:
            alternative = _text(label.get("/ActualText")) or _text(label.get("/Alt"))
            if alternative is not None and _compact(alternative) != _compact(text or ""):
                findings.append(
                    f"[ISO 14289-1 7.6] lbl-number: {where}: Lbl {text!r} is read as "
                    f"{alternative!r} (/ActualText or /Alt)")
        # The first number must be what the page shows (pdftotext's words).
        poppler = ctx.poppler
        page = pages.get(_objgen(labels[0][0]))
        if poppler.error is None and page is not None and page < len(poppler.pages):
            drawn = {_compact(word[0]) for word in poppler.pages[page][2]}
            label_text = _compact(labels[0][1] or "")
            if label_text not in drawn and label_text.rstrip(".)") not in drawn:
                findings.append(
                    f"[ISO 14289-1 7.6] lbl-number: {where}: the first Lbl "
                    f"{labels[0][1]!r} is not drawn on page {page + 1}")
    return findings


def _outline_titles(document: pikepdf.Pdf) -> list[str] | None:
    if "/Outlines" not in document.Root:
        return None
    titles: list[str] = []

    def walk(items: Any) -> None:
        for item in items:
            titles.append(item.title or "")
            walk(item.children)

    with document.open_outline() as outline:
        walk(outline.root)
    return titles


def _note_marks(ctx: _Context, element: Any) -> list[str]:
    """The texts of the note citations under ``element``: internal links whose
    text is a number (a bookmark names the heading without them)."""
    marks = []
    for kid in ctx.kids(element):
        if ctx.role(kid) == "Link":
            annotations = [item.get("/Obj") for item in _as_list(kid.get("/K"))
                           if isinstance(item, pikepdf.Dictionary)
                           and _name(item.get("/Type")) == "OBJR"]
            text = ctx.text(kid).strip()
            if annotations and all(_internal(a) for a in annotations) and text.isdigit():
                marks.append(text)
                continue
        marks.extend(_note_marks(ctx, kid))
    return marks


def _heading_title(ctx: _Context, element: Any) -> str:
    """A heading's text without its note marks (``Commitments 1`` -> ``Commitments``)."""
    text = ctx.text(element)
    for mark in reversed(_note_marks(ctx, element)):
        before, found, after = text.rpartition(mark)
        if found:
            text = before + after
    return text


def _has_rtl(text: str) -> bool:
    import unicodedata

    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def _check_outline_title(ctx: _Context) -> list[str]:
    headings = [_heading_title(ctx, element) for element, _page in ctx.elements
                if _HEADING.match(ctx.role(element))]
    titles = _outline_titles(ctx.document)
    if not headings:
        return []
    if not titles:
        return [(f"[ISO 14289-1 7.17] outline-title: {len(headings)} headings but no "
                 f"outline (bookmarks)")]
    findings = []
    for index, (title, heading) in enumerate(zip(titles, headings, strict=False), 1):
        # A content stream holds right-to-left text in visual order, ligatures (lam-alef)
        # as one glyph: a heading in Arabic or Hebrew reads back reordered from it, so
        # such a heading is compared by its characters.
        if _compact(title) != _compact(heading) and not (
                _has_rtl(heading) and sorted(_compact(title)) == sorted(_compact(heading))):
            findings.append(
                f"[ISO 14289-1 7.17] outline-title: bookmark {index} {title[:60]!r} is not "
                f"heading {index} {_loose(heading)[:60]!r}")
            break  # the rest are shifted
    if len(titles) != len(headings):
        findings.append(
            f"[ISO 14289-1 7.17] outline-title: {len(titles)} bookmarks for "
            f"{len(headings)} headings")
    return findings


def _check_text_area(ctx: _Context) -> list[str]:
    poppler = ctx.poppler
    if poppler.error is not None:
        return [f"[project rule] text-area: not checked: {poppler.error}"]
    tolerance = TEXT_AREA_TOLERANCE
    findings = []
    for index, (width, height, words) in enumerate(poppler.pages, 1):
        outside = [w for w in words if w[1] < -tolerance or w[2] < -tolerance
                   or w[3] > width + tolerance or w[4] > height + tolerance]
        if outside:
            text, x0, y0, x1, y1 = outside[0]
            findings.append(
                f"[ISO 32000-1 14.11.2] text-area: page {index}: {len(outside)} word(s) "
                f"outside the page (first: {text!r} at x {x0:.1f}-{x1:.1f}, "
                f"y {y0:.1f}-{y1:.1f} pt; page {width:.1f} x {height:.1f} pt)")
        if ctx.margins is None:
            continue
        left, right = ctx.margins[0] - tolerance, width - ctx.margins[1] + tolerance
        beyond = [w for w in words if w not in outside and (w[1] < left or w[3] > right)]
        if beyond:
            text, x0, _y0, x1, _y1 = max(beyond, key=lambda w: max(left - w[1], w[3] - right))
            findings.append(
                f"[project rule] text-area: page {index}: {len(beyond)} word(s) outside "
                f"the text area {ctx.margins[0]:.1f}-{width - ctx.margins[1]:.1f} pt "
                f"(print.css margins; worst: {text!r} at x {x0:.1f}-{x1:.1f} pt)")
    return findings


def _check_notdef(ctx: _Context) -> list[str]:
    return [f"[ISO 14289-1 7.21.8, Matterhorn 31-030] notdef: page {page + 1}: {count} "
            f".notdef glyph(s) drawn with font {font} (a character no font had)"
            for (page, font), count in sorted(ctx.walker.content.notdef.items())]


def _check_font_shipped(ctx: _Context) -> list[str]:
    shipped = shipped_font_names(ctx.fonts_dir)
    findings = []
    for name, font in _iter_fonts(ctx.document):
        if _font_key(name) in shipped:
            continue
        characters = ""
        to_unicode = font.get("/ToUnicode")
        if isinstance(to_unicode, pikepdf.Stream):
            mapping, _length = _parse_to_unicode(to_unicode.read_bytes())
            characters = "".join(sorted(set("".join(mapping.values())) - {" "}))
        used = f"; it draws {characters[:20]!r}" if characters else ""
        findings.append(
            f"[project rule] font-shipped: font {name} is not one statementpub ships "
            f"(styles/fonts/){used}")
    return findings


_CMAP_ANY = re.compile(rb"<[^<>]*>|\[|\]|[^\s<>\[\]]+")


def _to_unicode_problems(data: bytes) -> list[str]:
    """What is wrong with a ToUnicode CMap (ISO 32000-1 9.10.3, Adobe TN 5411)."""
    problems: list[str] = []
    section: bytes | None = None
    tokens: list[bytes] = []
    code_length = 0

    def hex_value(token: bytes) -> bytes | None:
        if not (token.startswith(b"<") and token.endswith(b">")):
            return None
        digits = re.sub(rb"\s", b"", token[1:-1])
        if len(digits) % 2 or re.search(rb"[^0-9A-Fa-f]", digits):
            return None
        return bytes.fromhex(digits.decode())

    def destination(code: bytes, target: bytes) -> None:
        units = len(target) // 2
        if len(target) % 2 or not target:
            problems.append(f"bfchar <{code.hex()}>: destination <{target.hex()}> is not UTF-16BE")
            return
        text = target.decode("utf-16-be", errors="replace")
        if "\ufffd" in text:
            problems.append(f"<{code.hex()}>: destination <{target.hex()}> is not valid UTF-16BE")
        elif units > MAX_BFCHAR_UNITS:
            problems.append(f"<{code.hex()}>: one glyph maps to {units} UTF-16 units "
                            f"({text[:40]!r})")
        elif any(ch in "\u0000\ufeff\ufffe" for ch in text):
            problems.append(f"<{code.hex()}>: maps to U+0000, U+FEFF or U+FFFE")

    def flush(end: bytes) -> None:
        nonlocal code_length
        if section == b"begincodespacerange":
            values = [hex_value(t) for t in tokens]
            if values and values[0] is not None:
                code_length = code_length or len(values[0])
        elif section == b"beginbfchar":
            if len(tokens) % 2:
                problems.append(f"bfchar block with an odd number of entries ({len(tokens)})")
            for code_token, target_token in zip(tokens[::2], tokens[1::2], strict=False):
                code, target = hex_value(code_token), hex_value(target_token)
                if code is None or target is None:
                    problems.append("illegal bfchar entry "
                                    f"{code_token[:20]!r} {target_token[:20]!r}")
                    continue
                if code_length and len(code) != code_length:
                    problems.append(f"bfchar code <{code.hex()}> is not {code_length} byte(s)")
                destination(code, target)
        elif section == b"beginbfrange":
            entries: list[list[bytes]] = []
            current: list[bytes] = []
            in_array = False
            for token in tokens:
                if token == b"[":
                    in_array = True
                    array: list[bytes] = []
                    continue
                if token == b"]":
                    in_array = False
                    current.append(b"[" + b" ".join(array) + b"]")
                elif in_array:
                    array.append(token)
                    continue
                else:
                    current.append(token)
                if len(current) == 3:
                    entries.append(current)
                    current = []
            if current or in_array:
                problems.append("bfrange block with an incomplete entry")
            for low_token, high_token, target_token in entries:
                low, high = hex_value(low_token), hex_value(high_token)
                if low is None or high is None or len(low) != len(high):
                    problems.append(f"illegal bfrange entry {low_token[:20]!r} {high_token[:20]!r}")
                    continue
                if low[:-1] != high[:-1] or low[-1] > high[-1]:
                    problems.append(f"bfrange <{low.hex()}> <{high.hex()}> is not a range in "
                                    f"the last byte")
                    continue
                if target_token.startswith(b"["):
                    targets = [hex_value(t) for t in _CMAP_ANY.findall(target_token[1:-1])]
                    if len(targets) != high[-1] - low[-1] + 1 or None in targets:
                        problems.append(f"bfrange <{low.hex()}> <{high.hex()}>: the array "
                                        f"does not give one destination per code")
                    for offset, target in enumerate(targets):
                        if target is not None:
                            destination(bytes(low[:-1]) + bytes([low[-1] + offset]), target)
                else:
                    target = hex_value(target_token)
                    if target is None:
                        problems.append(f"bfrange <{low.hex()}> <{high.hex()}>: illegal "
                                        f"destination {target_token[:20]!r}")
                    else:
                        destination(low, target)

    for token in _CMAP_ANY.findall(data):
        if token in (b"begincodespacerange", b"beginbfchar", b"beginbfrange"):
            section, tokens = token, []
        elif token in (b"endcodespacerange", b"endbfchar", b"endbfrange"):
            flush(token)
            section, tokens = None, []
        elif section is not None:
            tokens.append(token)
    return problems


def _check_tounicode(ctx: _Context) -> list[str]:
    findings = []
    for name, font in _iter_fonts(ctx.document):
        to_unicode = font.get("/ToUnicode")
        if not isinstance(to_unicode, pikepdf.Stream):
            if _name(font.get("/Subtype")) in ("Type0", "Type3"):
                findings.append(f"[ISO 14289-1 7.21.7] tounicode: font {name} has no "
                                f"/ToUnicode CMap: its text cannot be mapped to Unicode")
            continue
        problems = _to_unicode_problems(to_unicode.read_bytes())
        if problems:
            findings.append(
                f"[ISO 14289-1 7.21.7] tounicode: font {name}: {len(problems)} bad "
                f"ToUnicode entr{'y' if len(problems) == 1 else 'ies'} "
                f"(first: {problems[0]})")
    poppler = ctx.poppler
    if poppler.error is not None:
        findings.append(f"[ISO 14289-1 7.21.7] tounicode: pdftotext not run: {poppler.error}")
    warnings = [w for w in poppler.warnings if "ToUnicode" in w or "CMap" in w]
    if warnings:
        findings.append(f"[ISO 14289-1 7.21.7] tounicode: poppler reads the ToUnicode "
                        f"CMaps with {len(warnings)} warning(s) (first: {warnings[0]!r})")
    return findings


_CHECK_FUNCTIONS = {
    "note-id": _check_note_id,
    "note-tagging": _check_note_tagging,
    "nested-list": _check_nested_list,
    "lbl-number": _check_lbl_number,
    "outline-title": _check_outline_title,
    "link-annotation": _check_link_annotation,
    "text-area": _check_text_area,
    "notdef": _check_notdef,
    "font-shipped": _check_font_shipped,
    "tounicode": _check_tounicode,
}


class _Counter(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.counts = {"L": 0, "Table": 0}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("ul", "ol", "dl"):
            self.counts["L"] += 1
        elif tag == "table":
            self.counts["Table"] += 1


def expected_counts_from_html(html: str) -> dict[str, int]:
    """``{"L": ul+ol+dl, "Table": table}`` counted in ``html``.

    For :func:`check_structure`'s ``expected_counts``.  Assumes every such
    element is rendered (none hidden with ``display: none``).
    """
    counter = _Counter()
    counter.feed(html)
    counter.close()
    return dict(counter.counts)
