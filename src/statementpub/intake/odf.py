"""What pandoc's OpenDocument reader leaves out and a statement needs: the
document's title and language (``meta.xml``), the text of its Title and
Subtitle paragraphs, and each image's alternative text (``svg:title`` and
``svg:desc`` of its frame, what LibreOffice's "Description" writes), read from
the package with lxml (no DTD, no entities, no network). Everything else of
the draft is read by pandoc (:mod:`statementpub.intake.draft`).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

__all__ = ["OdfFacts", "read_odf_facts"]

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "dc": "http://purl.org/dc/elements/1.1/",
}
#: Parts larger than this are not read for these facts (bytes).
_MAX_PART = 64 * 1024 * 1024


@dataclass
class OdfFacts:
    """``title_paragraph``/``subtitle_paragraph``/``date_paragraph``: the text of the
    first Title, Subtitle and Date paragraphs; ``title``: ``dc:title``; ``lang``: ``dc:language``;
    ``alt``: image path in the package (``Pictures/1.png``) -> its description;
    ``text_boxes``: the text of each frame that holds a text box."""

    title: str = ""
    title_paragraph: str = ""
    subtitle_paragraph: str = ""
    date_paragraph: str = ""
    lang: str = ""
    alt: dict[str, str] = field(default_factory=dict)
    text_boxes: list[str] = field(default_factory=list)


def _parse(archive: zipfile.ZipFile, name: str) -> etree._Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _MAX_PART:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        return etree.fromstring(archive.read(name), parser)
    except etree.XMLSyntaxError:
        return None


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _style_family(root: etree._Element, styles: etree._Element | None) -> dict[str, str]:
    """Paragraph style name -> the name of the style it derives from, as far as Title
    or Subtitle (automatic styles such as ``P3`` derive from a named one)."""
    parents: dict[str, str] = {}
    for tree in (root, styles):
        if tree is None:
            continue
        for style in tree.iter(f"{{{_NS['style']}}}style"):
            name = style.get(f"{{{_NS['style']}}}name") or ""
            parent = style.get(f"{{{_NS['style']}}}parent-style-name") or ""
            if name and parent:
                parents[name] = parent
    return parents


def _is_style(name: str, wanted: str, parents: dict[str, str]) -> bool:
    for _ in range(16):
        if name == wanted:
            return True
        if name not in parents:
            return False
        name = parents[name]
    return False


def read_odf_facts(path: Path) -> OdfFacts:
    """Read the facts of an ``.odt`` that pandoc's reader does not give.

    :param path: the OpenDocument text file.
    :returns: what was found; empty values when a part is missing or malformed
        (pandoc reports a broken file itself).
    """
    facts = OdfFacts()
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        return facts
    with archive:
        meta = _parse(archive, "meta.xml")
        content = _parse(archive, "content.xml")
        styles = _parse(archive, "styles.xml")
    if meta is not None:
        for tag, attribute in (("title", "title"), ("language", "lang")):
            found = meta.find(f".//dc:{tag}", _NS)
            if found is not None and _text(found):
                setattr(facts, attribute, _text(found))
    if content is None:
        return facts
    parents = _style_family(content, styles)
    found_styles: dict[str, str] = {}
    for paragraph in content.iter(f"{{{_NS['text']}}}p", f"{{{_NS['text']}}}h"):
        style = paragraph.get(f"{{{_NS['text']}}}style-name") or ""
        for wanted in ("Title", "Subtitle", "Date"):
            if wanted not in found_styles and _is_style(style, wanted, parents) \
                    and _text(paragraph):
                found_styles[wanted] = _text(paragraph)
    facts.title_paragraph = found_styles.get("Title", "")
    facts.subtitle_paragraph = found_styles.get("Subtitle", "")
    facts.date_paragraph = found_styles.get("Date", "")
    for frame in content.iter(f"{{{_NS['draw']}}}frame"):
        box = frame.find("draw:text-box", _NS)
        if box is not None:
            facts.text_boxes.append(_text(box))
        image = frame.find("draw:image", _NS)
        if image is None:
            continue
        href = image.get(f"{{{_NS['xlink']}}}href") or ""
        described = [_text(node) for tag in ("desc", "title")
                     for node in frame.findall(f"svg:{tag}", _NS) if _text(node)]
        if href and described:
            facts.alt[href] = described[0]
    return facts
