"""Repair WeasyPrint 70.0's PDF/UA-1 structure tree.

WeasyPrint 70.0 (``weasyprint/pdf/tags.py``) builds the structure tree page
by page and creates one structure element per *box*.  For PDF/UA-1
(ISO 14289-1:2014) that gives an incorrect logical structure:

* an element that runs across a page break becomes one structure element per
  page or more (a 500-item ``<ol>`` over 21 A5 pages gives 14 ``L``, a
  5,000-item one 99; a table over two pages two ``Table``), and a link or
  span broken over two lines two ``Link``/``Span`` (ISO 14289-1 7.1,
  Matterhorn 01-006 "the structure type and attributes of a structure
  element are not semantically appropriate");
* a ``<thead>`` repeated on every page is tagged again, as a second ``THead``
  inside the next page's ``Table``;
* no structure element carries ``/Lang``, so a Spanish name inside an English
  document is read with English rules (ISO 14289-1 7.2, Matterhorn 11-001 to
  11-006; WCAG 2.2 SC 3.1.2);
* ``TH`` has no ``/Scope`` (ISO 14289-1 7.5, Matterhorn 15-003) and ``/ID``
  values are used without a ``/IDTree``;
* page-margin content (page numbers, running heads) is marked content with an
  MCID whose structure element is not reachable from the tree, instead of an
  ``/Artifact`` (ISO 14289-1 7.1, Matterhorn 01-005 and 01-001);
* list items whose content is a block (``<li><p>``) put the ``P`` directly in
  ``LI``, where ISO 32000-1 Table 336 allows only ``Lbl`` and ``LBody``
  (Matterhorn 09-005);
* a link annotation's ``/Contents`` is its raw target rather than the link's
  accessible name (ISO 14289-1 7.18.5, Matterhorn 28-012), and a link box
  that is not the ``a`` itself (``a::after``, an inline-block inside) puts
  its OBJR outside any ``Link`` element (Matterhorn 28-011);
* a decorative image (``alt=""``) is a ``Figure`` without ``/Alt``
  (ISO 14289-1 7.3, Matterhorn 13-004) instead of an artifact.

:func:`write_pdf` renders a laid-out WeasyPrint document with the repaired
tree.  Two WeasyPrint functions cannot be reached otherwise, so
:func:`install` wraps them once per process, and the wrappers run the
original code unless the current :mod:`contextvars` context is inside
:func:`write_pdf` (a ``ContextVar``: per thread, per task).  A program that
uses WeasyPrint directly, before, after or while statementpub renders, gets
WeasyPrint's own output, byte for byte:

* ``weasyprint.pdf.add_tags`` (the function ``generate_pdf`` calls once all
  pages are drawn): inside :func:`write_pdf`, :func:`add_tags` here, which
  walks the same boxes with the same role mapping
  (``weasyprint.pdf.tags._get_pdf_tag``) but keys structure elements on the
  DOM element (``box.element``): a later fragment of an element (next line,
  next page, next column) is appended to the *same* structure element, its
  marked content referenced by ``MCR`` dictionaries carrying their own
  ``/Pg`` when the page differs;
* ``weasyprint.pdf.stream.Stream.marked``: inside :func:`write_pdf`, boxes
  flagged by :func:`write_pdf` before drawing (page-margin boxes, repeated
  table header/footer groups, decorative images) are drawn as ``/Artifact``
  (``/Type /Pagination``, ``/Subtype /Header`` or ``/Footer`` for margin
  boxes) instead of getting an MCID.

Everything else (the role mapping, figures, forms, the catalog entries) is
WeasyPrint's own behaviour.  Output is deterministic: objects are numbered in
box order and nothing is keyed on ``id()`` or on hash order.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from ..langtags import same_tag

__all__ = ["SUPPORTED_WEASYPRINT_VERSION", "add_tags", "flag_artifacts", "install",
           "is_installed", "write_pdf"]

#: The one WeasyPrint release whose internals this module was written for.
SUPPORTED_WEASYPRINT_VERSION = "70.0"

LOGGER = logging.getLogger(__name__)

# Attribute set on boxes (by the generate_pdf wrapper) that must be drawn as
# artifacts: a tuple (artifact type, subtype or None).
_ARTIFACT_ATTR = "_statementpub_artifact"

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_HTML_NS = "{http://www.w3.org/1999/xhtml}"

_lock = threading.Lock()
_installed = False
#: True while :func:`write_pdf` renders (in this thread or task only).
_REPAIRING: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "statementpub_pdf_tags_repairing", default=False)


# --------------------------------------------------------------------------
# Installation
# --------------------------------------------------------------------------


def install() -> None:
    """Wrap the two WeasyPrint functions the repair needs (see the module docstring).

    Idempotent and thread-safe.  The wrappers delegate to WeasyPrint's own
    functions unless called from inside :func:`write_pdf`, so WeasyPrint used
    directly gives the same PDF as without statementpub.

    Raises:
        RuntimeError: if the installed WeasyPrint is not
            :data:`SUPPORTED_WEASYPRINT_VERSION`, or its internals are not the
            ones this module replaces.  An upgrade must fail loudly: check
            whether upstream fixed the problems (see the module docstring and
            ``tests/test_pdf_tags.py::test_unpatched_weasyprint_still_splits``)
            before porting or deleting this module.
    """
    global _installed
    if _installed:
        return
    import weasyprint

    version = getattr(weasyprint, "__version__", None)
    if version != SUPPORTED_WEASYPRINT_VERSION:
        raise RuntimeError(
            f"statementpub.render.pdf_tags was written for WeasyPrint "
            f"{SUPPORTED_WEASYPRINT_VERSION} (weasyprint/pdf/tags.py of that "
            f"release) and refuses to patch WeasyPrint {version}; port or "
            f"remove the repair (see its module docstring)")

    with _lock:
        if _installed:
            return
        import weasyprint.pdf as wp_pdf
        import weasyprint.pdf.stream as wp_stream
        import weasyprint.pdf.tags as wp_tags

        original_add_tags = wp_tags.add_tags
        original_marked = wp_stream.Stream.marked
        if (wp_pdf.add_tags is not original_add_tags
                or not hasattr(wp_tags, "_get_pdf_tag")
                or not hasattr(wp_pdf, "generate_pdf")):
            raise RuntimeError(
                "WeasyPrint 70.0 internals are not as expected (already "
                "patched by someone else?); not installing the PDF tag repair")

        wp_stream.Stream.marked = _wrap_marked(original_marked)
        wp_pdf.add_tags = _wrap_add_tags(original_add_tags)
        _installed = True


def is_installed() -> bool:
    """Whether :func:`install` has wrapped WeasyPrint's functions in this process."""
    return _installed


def write_pdf(document: Any, **options: Any) -> bytes:
    """Write a laid-out WeasyPrint ``Document`` (``HTML(...).render()``) as PDF
    bytes with the repaired structure tree.

    ``options`` are those of ``Document.write_pdf`` (``pdf_variant``,
    ``uncompressed_pdf``, ...).  Only this call is affected: the repair is
    switched on for the current thread or task, for its duration.

    Raises:
        RuntimeError: see :func:`install`.
        Exception: whatever WeasyPrint raises.
    """
    install()
    if _tags_requested(options):
        flag_artifacts(document)
    token = _REPAIRING.set(True)
    try:
        pdf = document.write_pdf(**options)
    finally:
        _REPAIRING.reset(token)
    assert isinstance(pdf, bytes)
    return pdf


def _tags_requested(options: dict[str, Any]) -> bool:
    """Whether ``generate_pdf`` will tag, with the same logic as 70.0."""
    from weasyprint.pdf import VARIANTS

    pdf_tags = bool(options.get("pdf_tags"))
    variant = options.get("pdf_variant")
    if variant and variant in VARIANTS:
        properties = VARIANTS[variant][1]
        if "pdf_tags" in properties:
            pdf_tags = bool(properties["pdf_tags"])
    return pdf_tags


def _wrap_add_tags(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def dispatch(pdf: Any, document: Any, pdf_version: Any, page_streams: Any) -> Any:
        if _REPAIRING.get():
            return add_tags(pdf, document, pdf_version, page_streams)
        return original(pdf, document, pdf_version, page_streams)

    return dispatch


def _wrap_marked(
        original: Callable[[Any, Any, str], AbstractContextManager[None]],
) -> Callable[[Any, Any, str], AbstractContextManager[None]]:
    import pydyf  # type: ignore[import-untyped, unused-ignore]

    @functools.wraps(original)
    def marked(self: Any, box: Any, tag: str) -> AbstractContextManager[None]:
        if not _REPAIRING.get() or self._tags is None:
            return original(self, box, tag)
        artifact = getattr(box, _ARTIFACT_ATTR, None)
        if artifact is None:
            return original(self, box, tag)
        return _artifact(self, artifact)

    @contextmanager
    def _artifact(stream: Any, artifact: tuple[str, str | None]) -> Iterator[None]:
        # ISO 32000-1 14.8.2.2: pagination artifacts, not real content.
        kind, subtype = artifact
        properties = pydyf.Dictionary({"Type": f"/{kind}"})
        if subtype:
            properties["Subtype"] = f"/{subtype}"
        stream.begin_marked_content("Artifact", properties)
        try:
            yield
        finally:
            stream.end_marked_content()

    return marked


# --------------------------------------------------------------------------
# Box helpers
# --------------------------------------------------------------------------


def _unwrap(box: Any) -> Any:
    from weasyprint.layout.absolute import AbsolutePlaceholder

    return box._box if isinstance(box, AbsolutePlaceholder) else box


def _iter_boxes(box: Any) -> Iterator[Any]:
    """The box and all its descendants, depth first, in document order."""
    stack = [box]
    while stack:
        current = _unwrap(stack.pop())
        yield current
        children = getattr(current, "children", None)
        if children:
            stack.extend(reversed(children))


def _flag(box: Any, value: tuple[str, str | None]) -> None:
    for descendant in _iter_boxes(box):
        setattr(descendant, _ARTIFACT_ATTR, value)


def _decorative(element: Any) -> bool:
    """An ``img`` marked as decorative: ``alt=""``, ``role=presentation``
    or ``none``, or ``aria-hidden=true``."""
    if element is None or _local(element.tag) != "img":
        return False
    role = (element.get("role") or "").strip().lower()
    return (element.get("alt") == "" or role in ("presentation", "none")
            or (element.get("aria-hidden") or "").strip().lower() == "true")


def flag_artifacts(document: Any) -> None:
    """Flag boxes that must be drawn as artifacts.

    * Everything in page-margin boxes (``@top-*``, ``@bottom-*``, ...): page
      numbers and running heads are pagination artifacts (ISO 32000-1
      14.8.2.2.2, ISO 14289-1 7.1 / Matterhorn 18-001).
    * A table header or footer group repeated on a later page: the first
      occurrence is the real content, the repetitions are artifacts (the
      header cells must not be read, or tagged, once per page).
    * Decorative images (``alt=""``, ``role="presentation"``,
      ``aria-hidden="true"``): layout artifacts (ISO 14289-1 7.3).
    """
    from weasyprint.formatting_structure import boxes

    seen_groups: set[Any] = set()  # DOM elements (identity), lookups only
    for page in document.pages:
        for child in page._page_box.children:
            child = _unwrap(child)
            if isinstance(child, boxes.MarginBox):
                keyword = child.at_keyword or ""
                subtype = ("Header" if keyword.startswith("@top")
                           else "Footer" if keyword.startswith("@bottom")
                           else None)
                _flag(child, ("Pagination", subtype))
                continue
            for box in _iter_boxes(child):
                if isinstance(box, boxes.ReplacedBox) and _decorative(box.element):
                    # Decorative image: an artifact, not a Figure without
                    # /Alt (ISO 14289-1 7.3, Matterhorn 13-004).
                    _flag(box, ("Layout", None))
                    continue
                if not isinstance(box, boxes.TableBox):
                    continue
                for group in box.children:
                    group = _unwrap(group)
                    if not (group.is_header or group.is_footer):
                        continue
                    if group.element is None:
                        continue
                    if group.element in seen_groups:
                        _flag(group, ("Pagination", None))
                    else:
                        seen_groups.add(group.element)


# --------------------------------------------------------------------------
# DOM helpers
# --------------------------------------------------------------------------


def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""
    return tag[len(_HTML_NS):] if tag.startswith(_HTML_NS) else tag


def _own_lang(element: Any) -> str | None:
    value = element.get("lang")
    if value is None:
        value = element.get(_XML_LANG)
    if value is None:
        value = element.get("xml:lang")
    return None if value is None else value.strip()


_SPACES = re.compile(r"\s+")


def _text_with_alts(element: Any) -> str:
    parts: list[str] = []

    def visit(node: Any) -> None:
        if _local(node.tag) == "img" and node.get("alt"):
            parts.append(node.get("alt"))
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                visit(child)
            if child.tail:
                parts.append(child.tail)

    visit(element)
    return _SPACES.sub(" ", "".join(parts)).strip()


def _accessible_name(element: Any) -> str | None:
    """The accessible name of a link: aria-label, text (with alts), title."""
    if element is None:
        return None
    label = (element.get("aria-label") or "").strip()
    if label:
        return label
    text = _text_with_alts(element)
    if text:
        return text
    title = (element.get("title") or "").strip()
    return title or None


def _span(element: Any, name: str) -> int:
    try:
        return max(1, int(element.get(name, "1")))
    except ValueError:
        return 1


# --------------------------------------------------------------------------
# The tree builder
# --------------------------------------------------------------------------


class _Node:
    """A structure element being built, with bookkeeping for merging."""

    __slots__ = ("obj", "role", "page", "lang", "key", "parent", "last", "by_key")

    def __init__(self, obj: Any, role: str, page: int, lang: str | None,
                 key: tuple[Any, ...] | None, parent: _Node | None) -> None:
        self.obj = obj
        self.role = role
        self.page = page
        self.lang = lang
        self.key = key
        self.parent = parent
        # Last structure child created or continued with this node as its
        # logical (HTML) parent, and all such children by key.
        self.last: _Node | None = None
        self.by_key: dict[tuple[Any, ...], _Node] = {}


class _TreeBuilder:
    def __init__(self, pdf: Any, document: Any, root: _Node, root_element: Any) -> None:
        import pydyf  # type: ignore[import-untyped, unused-ignore]
        from weasyprint.formatting_structure import boxes
        from weasyprint.pdf.tags import _get_pdf_tag

        self.pydyf = pydyf
        self.boxes = boxes
        self.get_pdf_tag = _get_pdf_tag
        self.pdf = pdf
        # pydyf computes this property from the page tree on every access.
        self.page_references = pdf.page_references
        self.document = document
        self.root = root
        self.annotations: list[tuple[Any, Any]] = []
        self.page = 0
        self.nums: dict[int, Any] = {}
        self.tags: dict[Any, dict[str, Any]] = {}
        # DOM bookkeeping (element objects are keys: identity hashing, used
        # for lookups only, never iterated).
        self.parents: dict[Any, Any] = {}
        if root_element is not None:
            for parent in root_element.iter():
                for child in parent:
                    self.parents[child] = parent
        self.lang_cache: dict[Any, str | None] = {}
        self.cells: dict[Any, _Node] = {}
        self.tables: list[tuple[Any, _Node]] = []
        self.links: dict[Any, _Node] = {}
        self.ids: list[tuple[str, Any]] = []

    # -- language ------------------------------------------------------------

    def lang(self, element: Any) -> str | None:
        """Effective language: own lang / xml:lang, else the ancestors'."""
        chain = []
        current = element
        result: str | None = None
        while current is not None:
            if current in self.lang_cache:
                result = self.lang_cache[current]
                break
            chain.append(current)
            own = _own_lang(current)
            if own is not None:
                result = own
                break
            current = self.parents.get(current)
        for item in chain:
            self.lang_cache[item] = result
        return result

    # -- elements ------------------------------------------------------------

    def page_reference(self) -> Any:
        return self.page_references[self.page]

    def new_element(self, role: str, parent: _Node, lang: str | None,
                    key: tuple[Any, ...] | None) -> _Node:
        pydyf = self.pydyf
        obj = pydyf.Dictionary({
            "Type": "/StructElem",
            "S": f"/{role}",
            "K": pydyf.Array([]),
            "Pg": self.page_reference(),
            "P": parent.obj.reference,
        })
        if not same_tag(lang, parent.lang):
            # ISO 14289-1 7.2: natural language changes are marked.
            obj["Lang"] = pydyf.String(lang or "")
        self.pdf.add_object(obj)
        parent.obj["K"].append(obj.reference)
        return _Node(obj, role, self.page, lang, key, parent)

    def node(self, box: Any, role: str, parent: _Node, logical: _Node,
             anonymous: bool) -> tuple[_Node, bool]:
        """Find the structure element continued by ``box``, or create it.

        Non-anonymous boxes with the same DOM element, pseudo-element and role
        under the same logical parent are fragments of one element (next
        line, page or column).  Anonymous boxes share their parent's element,
        so they only continue the logical parent's last child.
        """
        key = None if box.element is None else (box.element, box.element_tag, role)
        found = None
        if key is not None:
            if anonymous:
                last = logical.last
                if last is not None and last.key == key:
                    found = last
            else:
                found = logical.by_key.get(key)
        created = found is None
        if found is None:
            lang = parent.lang if box.element is None else self.lang(box.element)
            found = self.new_element(role, parent, lang, key)
            if key is not None:
                logical.by_key.setdefault(key, found)
        logical.last = found
        return found, created

    def list_body(self, item: _Node) -> _Node:
        """The ``LBody`` of list item ``item`` for content that needs one."""
        last = item.last
        if last is not None and last.role == "LBody":
            return last
        body = self.new_element("LBody", item, item.lang, None)
        if item.key is not None:
            body.key = (item.key[0], item.key[1], "LBody")
        item.last = body
        return body

    @staticmethod
    def enclosing_link(node: _Node | None) -> _Node | None:
        while node is not None:
            if node.role == "Link":
                return node
            node = node.parent
        return None

    def add_mcid(self, node: _Node, mcid: int) -> None:
        if node.page == self.page:
            node.obj["K"].append(mcid)
        else:
            # ISO 32000-1 14.7.4.2: content on another page than /Pg.
            node.obj["K"].append(self.pydyf.Dictionary({
                "Type": "/MCR", "Pg": self.page_reference(), "MCID": mcid}))
        self.nums[mcid] = node.obj.reference

    def add_link_annotation(self, node: _Node, annotation: Any,
                            element: Any) -> None:
        pydyf = self.pydyf
        reference = pydyf.Dictionary({
            "Type": "/OBJR",
            "Obj": annotation.reference,
            "Pg": self.page_reference(),
        })
        self.pdf.add_object(reference)
        node.obj["K"].append(reference.reference)
        self.annotations.append((node.obj.reference, annotation))
        # ISO 14289-1 7.18.5 / Matterhorn 28-012: an alternate description.
        name = _accessible_name(element)
        if name:
            annotation["Contents"] = pydyf.String(name)
        elif "Contents" not in annotation:
            target = annotation.get("Dest") or annotation.get("A", {}).get("URI")
            annotation["Contents"] = target if target is not None else pydyf.String("Link")

    def artifact_annotations(self, box: Any) -> None:
        """Tag the link annotations of a subtree drawn as an artifact."""
        for descendant in _iter_boxes(box):
            annotation = getattr(descendant, "link_annotation", None)
            if not annotation:
                continue
            element = descendant.element
            node = self.links.get(element) if element is not None else None
            if node is None:
                node = self.new_element(
                    "Link", self.root,
                    self.root.lang if element is None else self.lang(element), None)
                if element is not None:
                    self.links[element] = node
            self.add_link_annotation(node, annotation, element)

    # -- boxes ---------------------------------------------------------------

    def build(self, box: Any, parent: _Node, logical: _Node, parent_box: Any) -> None:
        boxes = self.boxes
        pydyf = self.pydyf
        box = _unwrap(box)

        if getattr(box, _ARTIFACT_ATTR, None) is not None:
            # Drawn as /Artifact: no marked content to map.
            self.artifact_annotations(box)
            return

        element_tag = None if box.element is None else box.element_tag
        role = self.get_pdf_tag(element_tag)
        if (role == "Link" and element_tag == "a" and box.element.get("href") is None
                and not box.link_annotation):
            # An a without href is no link: a Link element must have its
            # annotation (ISO 14289-1 7.18.5, Matterhorn 28-011).
            role = "Span"

        if box.element is not None and element_tag in ("li", "ol"):
            classes = (box.element.get("class") or "").split()
            if element_tag == "li" and "footnote-item" in classes:
                # ISO 14289-1 7.9: a footnote is a Note (with a unique /ID
                # below), not a list item.
                role = "Note"
            elif element_tag == "ol" and "footnotes-list" in classes:
                role = "Div"

        if element_tag in ("html", "body") or isinstance(box, boxes.PageBox):
            if isinstance(box, boxes.ParentBox) and not isinstance(box, boxes.LineBox):
                for child in box.children:
                    self.build(child, parent, logical, box)
                return
        elif isinstance(box, boxes.MarginBox):
            # Only reached if the margin box was not flagged; 70.0 behaviour
            # would leave orphan elements, so map its content as leftovers.
            return

        anonymous = box.element is None or (
            parent_box is not None and box.element is parent_box.element
            and box.element_tag == parent_box.element_tag)

        if role in ("TD", "TH"):
            if parent.role in ("TD", "TH"):
                role = "NonStruct"
        elif role == "LI":
            dl_item = box.element_tag in ("dt", "dd")
            no_bullet_li = box.element_tag == "li" and (
                "list-item" not in box.style["display"]
                or box.style["list_style_type"] == "none")
            if parent.role == "LI":
                role = "LBody"
            elif parent.role == "LBody":
                role = "NonStruct"
            elif dl_item or no_bullet_li:
                # Wrap in a list item, the box itself being its body.
                item, _ = self.node(box, "LI", parent, logical, anonymous)
                self.build(box, item, item, box)
                return

        if parent.role == "LI" and role not in ("Lbl", "LBody"):
            # ISO 32000-1 Table 336: LI contains Lbl and LBody only.
            parent = logical = self.list_body(parent)
            anonymous = False

        key = None if box.element is None else (box.element, box.element_tag, role)
        link_ancestor = (self.enclosing_link(parent)
                         if role == "Link" or box.link_annotation else None)
        if role == "Link" and link_ancestor is not None:
            # A box of the link inside the link (a::before, a::after, an
            # inline-block): part of the same Link, not a nested one.
            node, created = link_ancestor, False
        elif anonymous and parent is logical and key is not None and parent.key == key:
            # An anonymous box of the parent's own element and role (column
            # boxes of a multi-column list, a block wrapping a div's text):
            # not a nested structure element.
            node, created = parent, False
        else:
            node, created = self.node(box, role, parent, logical, anonymous)

        if created and role == "Note":
            # Matterhorn 19-003/19-004: every Note has an /ID, unique in the
            # document (the HTML id of the note, unique in the edition).
            identifier = box.element.get("id") or f"note-{node.obj.number:08d}"
            node.obj["ID"] = pydyf.String(identifier)
            self.ids.append((identifier, node.obj.reference))

        if created and role == "Figure":
            from weasyprint.logger import LOGGER as WP_LOGGER

            x1, y1 = box.content_box_x(), box.content_box_y()
            x2, y2 = x1 + box.width, y1 + box.height
            node.obj["A"] = pydyf.Dictionary({
                "O": "/Layout", "BBox": pydyf.Array((x1, y1, x2, y2))})
            if box.element.tag == "{http://www.w3.org/2000/svg}svg":
                title = box.element.find("{http://www.w3.org/2000/svg}title")
                if title is not None and title.text:
                    node.obj["Alt"] = pydyf.String(title.text)
            elif alt := box.element.attrib.get("alt"):
                node.obj["Alt"] = pydyf.String(alt)
            else:
                # Same message, same logger as WeasyPrint 70.0.
                WP_LOGGER.error(
                    'Image "%s" has no required alt description',
                    box.element.attrib.get("src", "unknown"))
        elif role == "Table":
            if created and element_tag == "table":
                self.tables.append((box.element, node))
            if box.is_table_wrapper:
                wrapper, table = box, box.get_wrapped_table()
                if table:
                    box = table.copy_with_children([])
                    for child in wrapper.children:
                        box.children.extend(child.children if child is table else [child])
        elif role in ("TH", "TD") and created:
            attributes = pydyf.Dictionary({"O": "/Table"})
            if box.colspan != 1:
                attributes["ColSpan"] = box.colspan
            if box.rowspan != 1:
                attributes["RowSpan"] = box.rowspan
            node.obj["A"] = attributes
            if element_tag in ("th", "td"):
                self.cells[box.element] = node

        if box.link_annotation:
            if node.role == "Link":
                link = node
            elif link_ancestor is not None:
                link = link_ancestor
            else:
                # ISO 14289-1 7.18.5 / Matterhorn 28-011: in a Link element.
                link, _ = self.node(box, "Link", node, node, False)
            if box.element is not None:
                self.links.setdefault(box.element, link)
            # Name the annotation after the whole link (the a element), not
            # after the fragment box carrying it.
            self.add_link_annotation(
                link, box.link_annotation,
                link.key[0] if link.key is not None else box.element)

        if box.widget_annotation:
            annotation = box.widget_annotation
            reference = pydyf.Dictionary({
                "Type": "/OBJR", "Obj": annotation.reference,
                "Pg": self.page_reference()})
            self.pdf.add_object(reference)
            form = pydyf.Dictionary({
                "Type": "/StructElem", "S": "/Form",
                "K": pydyf.Array([reference.reference]),
                "Pg": self.page_reference(), "P": node.obj.reference})
            self.pdf.add_object(form)
            self.annotations.append((form.reference, annotation))
            node.obj["K"].append(form.reference)

        for child in box.children:
            kids = child.children if isinstance(child, boxes.LineBox) else [child]
            for kid in kids:
                if isinstance(kid, boxes.TextBox):
                    self.text(kid, node)
                else:
                    self.build(kid, node, node, box)

        if isinstance(box, boxes.ReplacedBox):
            entry = self.tags.pop(box, None)
            if entry is not None:
                self.add_mcid(node, entry["mcid"])

    def text(self, box: Any, node: _Node) -> None:
        entry = self.tags.pop(box, None)
        if entry is None:  # drawn as an artifact
            return
        if node.role == "LI":
            node = self.list_body(node)
        if node.role == "Link":
            self.add_mcid(node, entry["mcid"])
            return
        lang = node.lang if box.element is None else self.lang(box.element)
        kid = self.new_element(entry["tag"], node, lang, None)
        kid.obj["K"].append(entry["mcid"])
        self.nums[entry["mcid"]] = kid.obj.reference
        # Text breaks the adjacency anonymous boxes rely on.
        node.last = None

    def leftovers(self) -> None:
        """Map marked content that no box of the tree claimed (should not
        happen), so that no MCID is left without a structure parent."""
        if not self.tags:
            return
        LOGGER.warning(
            "%d marked-content sequences on page %d were not in the box tree",
            len(self.tags), self.page + 1)
        for entry in sorted(self.tags.values(), key=lambda item: item["mcid"]):
            kid = self.new_element(entry["tag"], self.root, self.root.lang, None)
            kid.obj["K"].append(entry["mcid"])
            self.nums[entry["mcid"]] = kid.obj.reference
        self.tags.clear()

    # -- tables --------------------------------------------------------------

    def table_headers(self, table: Any) -> None:
        """Set /Scope on TH and /Headers on TD from the DOM table grid.

        ISO 14289-1 7.5 / Matterhorn 15-003 (TH without Scope) and 15-005
        (cells not associated with headers).  Scope comes from the ``scope``
        attribute; without one, a ``th`` in ``thead`` or in a row without data
        cells is a column header, one in a column without data cells or in a
        row's first cell a row header (HTML's "auto" state, simplified).
        """
        pydyf = self.pydyf
        rows: list[tuple[Any, bool]] = []
        for child in table:
            name = _local(child.tag)
            if name in ("thead", "tbody", "tfoot"):
                rows.extend((tr, name == "thead") for tr in child if _local(tr.tag) == "tr")
            elif name == "tr":
                rows.append((child, False))

        occupied: set[tuple[int, int]] = set()
        # (element, is_th, in_thead, row, col, rowspan, colspan)
        cells: list[tuple[Any, bool, bool, int, int, int, int]] = []
        row_has_td: dict[int, bool] = {}
        col_has_td: dict[int, bool] = {}
        for i, (tr, in_thead) in enumerate(rows):
            j = 0
            for cell in tr:
                name = _local(cell.tag)
                if name not in ("th", "td"):
                    continue
                while (i, j) in occupied:
                    j += 1
                rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
                for di in range(rowspan):
                    for dj in range(colspan):
                        occupied.add((i + di, j + dj))
                        if name == "td":
                            row_has_td[i + di] = True
                            col_has_td[j + dj] = True
                cells.append((cell, name == "th", in_thead, i, j, rowspan, colspan))
                j += colspan

        scopes = {"row": "Row", "rowgroup": "Row", "col": "Column",
                  "colgroup": "Column", "both": "Both"}
        headers: list[tuple[str, str, int, int, int, int]] = []
        by_html_id: dict[str, str] = {}
        for cell, is_th, in_thead, i, j, rowspan, colspan in cells:
            node = self.cells.get(cell)
            if not is_th or node is None:
                continue
            scope = scopes.get((cell.get("scope") or "").strip().lower())
            if scope is None:
                rows_without_td = not any(row_has_td.get(i + d) for d in range(rowspan))
                cols_without_td = not any(col_has_td.get(j + d) for d in range(colspan))
                if in_thead or rows_without_td:
                    scope = "Column"
                elif cols_without_td or j == 0:
                    scope = "Row"
                else:
                    scope = "Column"
            node.obj["A"]["Scope"] = f"/{scope}"
            identifier = f"TH{node.obj.number:08d}"
            node.obj["ID"] = pydyf.String(identifier)
            self.ids.append((identifier, node.obj.reference))
            headers.append((identifier, scope, i, j, rowspan, colspan))
            if cell.get("id"):
                by_html_id[cell.get("id")] = identifier

        for cell, is_th, _, i, j, rowspan, colspan in cells:
            node = self.cells.get(cell)
            if is_th or node is None:
                continue
            explicit = (cell.get("headers") or "").split()
            if explicit:
                found = [by_html_id[name] for name in explicit if name in by_html_id]
            else:
                found = []
                for identifier, scope, hi, hj, hrows, hcols in headers:
                    rows_overlap = hi < i + rowspan and i < hi + hrows
                    cols_overlap = hj < j + colspan and j < hj + hcols
                    if scope in ("Row", "Both") and rows_overlap and hj < j:
                        found.append(identifier)
                    elif scope in ("Column", "Both") and cols_overlap and hi < i:
                        found.append(identifier)
            if found:
                node.obj["A"]["Headers"] = pydyf.Array(
                    [pydyf.String(identifier) for identifier in found])


def _root_element(document: Any) -> Any:
    for page in document.pages:
        for child in page._page_box.children:
            child = _unwrap(child)
            if getattr(child, "is_for_root_element", False):
                return child.element
    return None


def add_tags(pdf: Any, document: Any, pdf_version: Any, page_streams: Any) -> None:
    """Add the structure tree to the document (replaces 70.0's ``add_tags``).

    Same signature and catalog entries as ``weasyprint.pdf.tags.add_tags``
    (``StructTreeRoot``, ``ParentTree``, ``MarkInfo``, ``DisplayDocTitle``,
    ``Lang``), with the structure elements keyed on DOM elements across
    pages, ``/Lang`` on language changes, ``TH /Scope``, ``TD /Headers``,
    an ``/IDTree`` and ``/ParentTreeNextKey``.
    """
    import pydyf  # type: ignore[import-untyped, unused-ignore]
    from weasyprint.logger import LOGGER as WP_LOGGER

    content_mapping = pydyf.Dictionary({})
    pdf.add_object(content_mapping)
    structure_root = pydyf.Dictionary({
        "Type": "/StructTreeRoot",
        "ParentTree": content_mapping.reference,
    })
    pdf.add_object(structure_root)
    structure_document = pydyf.Dictionary({
        "Type": "/StructElem",
        "S": "/Document",
        "K": pydyf.Array(),
        "P": structure_root.reference,
    })
    pdf.add_object(structure_document)
    structure_root["K"] = pydyf.Array([structure_document.reference])
    pdf.catalog["StructTreeRoot"] = structure_root.reference

    if str(pdf_version) >= "2.0":  # Cast for bytes and None
        namespace = pydyf.Dictionary({
            "Type": "/Namespace",
            "NS": pydyf.String("http://iso.org/pdf2/ssn"),
        })
        pdf.add_object(namespace)
        structure_root["Namespaces"] = pydyf.Array([namespace.reference])
        structure_document["NS"] = namespace.reference

    root_element = _root_element(document)
    root_lang = _own_lang(root_element) if root_element is not None else None
    if "Lang" not in pdf.catalog and root_lang:
        pdf.catalog["Lang"] = pydyf.String(root_lang)
    # The document element inherits the catalog /Lang (ISO 32000-1 14.9.2.2).
    root = _Node(structure_document, "Document", 0, root_lang, None, None)
    builder = _TreeBuilder(pdf, document, root, root_element)

    content_mapping["Nums"] = pydyf.Array()
    for page_number, (page, stream) in enumerate(zip(document.pages, page_streams, strict=True)):
        builder.page = page_number
        builder.tags = stream._tags
        builder.nums = {}
        builder.build(page._page_box, root, root, None)
        builder.leftovers()
        size = max(builder.nums) + 1 if builder.nums else 0
        content_mapping["Nums"].append(page_number)
        content_mapping["Nums"].append(pydyf.Array(
            [builder.nums.get(mcid, "null") for mcid in range(size)]))

    start = len(document.pages)
    for i, (reference, annotation) in enumerate(builder.annotations, start=start):
        content_mapping["Nums"].append(i)
        content_mapping["Nums"].append(reference)
        annotation["StructParent"] = i
    structure_root["ParentTreeNextKey"] = start + len(builder.annotations)

    for table_element, _ in builder.tables:
        builder.table_headers(table_element)
    if builder.ids:
        names = pydyf.Array()
        for identifier, reference in sorted(builder.ids):
            names.append(pydyf.String(identifier))
            names.append(reference)
        structure_root["IDTree"] = pydyf.Dictionary({"Names": names})

    preferences = pydyf.Dictionary({"DisplayDocTitle": "true"})
    if root_element is not None and (root_element.get("dir") or "").lower() == "rtl":
        # A right-to-left edition (html dir="rtl"): the predominant reading order of
        # its text (ISO 32000-1 12.2, Table 150: pages side by side right to left)
        # and the writing mode of its document element, which every structure
        # element inherits (14.8.5.4.3, Table 343).
        preferences["Direction"] = "/R2L"
        structure_document["A"] = pydyf.Dictionary({"O": "/Layout", "WritingMode": "/RlTb"})
    pdf.catalog["ViewerPreferences"] = preferences
    pdf.catalog["MarkInfo"] = pydyf.Dictionary({"Marked": "true"})
    if "Lang" not in pdf.catalog:
        WP_LOGGER.error('Missing required "lang" attribute at the root of the document')
        pdf.catalog["Lang"] = pydyf.String()
