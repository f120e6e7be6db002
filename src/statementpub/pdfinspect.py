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
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pikepdf

__all__ = ["check_structure", "expected_counts_from_html", "structure_tree"]

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
        self.length = 2 if composite else 1
        to_unicode = font.get("/ToUnicode")
        if isinstance(to_unicode, pikepdf.Stream):
            self.mapping, length = _parse_to_unicode(to_unicode.read_bytes())
            self.length = length or self.length
        self.fallback = not self.mapping and not composite

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
                current = next((item for item in reversed(stack) if item is not None), None)
                if current is None or current < 0 or font is None:
                    continue
                strings = (operands[0] if operator == "TJ" else operands[-1:])
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
                    expected_counts: dict[str, int] | None = None) -> list[str]:
    """Findings on ``pdf``'s tagging; an empty list means every check passed.

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
      (7.1, 01-006).
    """
    findings: list[str] = []
    with _open(pdf) as document:
        root = document.Root
        xmp = _xmp(document)
        structure_root = root.get("/StructTreeRoot")
        if structure_root is None:
            return ["[ISO 14289-1 7.1] no /StructTreeRoot: the PDF is not tagged"]
        mark_info = root.get("/MarkInfo")
        if not (isinstance(mark_info, pikepdf.Dictionary) and bool(mark_info.get("/Marked", False))):
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
                (bad_items, "[Matterhorn 09-005] {} LI with children other than "
                            "Lbl and LBody")):
            if elements:
                first = _subtree_text(walker, elements[0])
                findings.append(finding.format(len(elements)) + f" (first: {first!r})")

        h1 = counts.get("H1", 0)
        if h1 != 1:
            findings.append(f"[project rule] {h1} H1 elements, expected exactly one")
        if headings and headings[0] != 1:
            findings.append(f"[Matterhorn 14-002] the first heading is H{headings[0]}, not H1")
        for previous, current in zip(headings, headings[1:]):
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
    return findings


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
