"""statementpub's own checks of the HTML and EPUB editions (issue 10).

:func:`check_html` checks one (X)HTML document: ids unique (HTML "id"
attribute, EPUB 3.3 / XML ID uniqueness, EPUBCheck RSC-005), every
``aria-labelledby`` / ``aria-describedby`` id present (WAI-ARIA 1.2, WCAG 2.2
SC 1.3.1, 4.1.2), every ``href="#id"`` resolving (skip link, note references,
back links; SC 2.4.1), and each back link (``role="doc-backlink"``) pointing to
a note reference (``role="doc-noteref"``, DPUB-ARIA 1.1).

:func:`check_epub` runs :func:`check_html` on every XHTML file of an EPUB and
checks the navigation document (EPUB 3.3 7.4): every ``toc`` and
``landmarks`` link resolves to an existing file and id, and a link to a
notes/footnotes section does not lead to an empty section.

Findings are ``"[clause] code: where: what"`` strings, like
:func:`statementpub.pdfinspect.check_structure`'s.  Parsed with lxml's HTML
parser (a dependency of pikepdf).
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html  # type: ignore[import-untyped]

__all__ = ["check_epub", "check_file", "check_html"]

_NOTES = ("notes", "footnotes", "endnotes", "footnote", "endnote")


def _tree(data: bytes) -> Any:
    return lxml.html.document_fromstring(data)


def _ids(tree: Any) -> dict[str, list[Any]]:
    ids: dict[str, list[Any]] = {}
    for element in tree.iter():
        value = element.get("id") if isinstance(element.tag, str) else None
        if value:
            ids.setdefault(value, []).append(element)
    return ids


def check_html(data: bytes, name: str = "document") -> list[str]:
    """Findings on one HTML or XHTML document (bytes); empty when clean."""
    tree = _tree(data)
    ids = _ids(tree)
    findings = []
    for value, elements in ids.items():
        if len(elements) > 1:
            findings.append(f"[HTML 3.2.6, EPUB 3.3, RSC-005] duplicate-id: {name}: id "
                            f"{value!r} is on {len(elements)} elements")
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in ("aria-labelledby", "aria-describedby"):
            for ref in (element.get(attribute) or "").split():
                if ref not in ids:
                    findings.append(f"[WAI-ARIA 1.2, WCAG 2.2 SC 4.1.2] aria-ref: {name}: "
                                    f"<{element.tag} {attribute}={ref!r}>: no element has "
                                    f"that id")
        href = element.get("href") if element.tag == "a" else None
        if href and href.startswith("#") and len(href) > 1:
            target = unquote(href[1:])
            if target not in ids:
                findings.append(f"[WCAG 2.2 SC 2.4.1] fragment: {name}: link {href!r} "
                                f"leads to no element")
            elif "doc-backlink" in (element.get("role") or "").split():
                roles = (ids[target][0].get("role") or "").split()
                if "doc-noteref" not in roles:
                    findings.append(f"[DPUB-ARIA 1.1] backlink: {name}: back link {href!r} "
                                    f"does not lead to a note reference")
    return findings


def _empty_section(element: Any) -> bool:
    """A section (or its parent, for a heading) with nothing after its heading."""
    if element.tag in ("h1", "h2", "h3", "h4", "h5", "h6") and element.getparent() is not None:
        element = element.getparent()
    kids = [kid for kid in element if isinstance(kid.tag, str)]
    rest = [kid for kid in kids if kid.tag not in ("h1", "h2", "h3", "h4", "h5", "h6", "hr")]
    return not rest


def check_epub(epub: bytes | Path, name: str | None = None) -> list[str]:
    """Findings on an EPUB's content documents and navigation document."""
    source = epub if isinstance(epub, Path) else None
    name = name or (source.name if source else "book.epub")
    import io

    findings: list[str] = []
    archive: Path | io.BytesIO = epub if isinstance(epub, Path) else io.BytesIO(epub)
    with zipfile.ZipFile(archive) as z:
        names = set(z.namelist())
        trees: dict[str, Any] = {}
        for member in sorted(names):
            if member.endswith((".xhtml", ".html", ".htm")):
                data = z.read(member)
                findings += check_html(data, f"{name}/{member}")
                trees[member] = _tree(data)
    for member, tree in trees.items():
        for nav in tree.iter("nav"):
            kind = nav.get("epub:type") or ""
            if kind not in ("toc", "landmarks"):
                continue
            for link in nav.iter("a"):
                href = link.get("href") or ""
                parts = urlsplit(href)
                if parts.scheme:
                    continue
                path = (posixpath.normpath(posixpath.join(posixpath.dirname(member),
                                                          unquote(parts.path)))
                        if parts.path else member)
                where = f"[EPUB 3.3 7.4] nav-target: {name}/{member}: {kind} link {href!r}"
                if path not in trees:
                    findings.append(f"{where} leads to no content document")
                    continue
                if not parts.fragment:
                    continue
                targets = _ids(trees[path]).get(unquote(parts.fragment))
                if not targets:
                    findings.append(f"{where} leads to no element")
                    continue
                # The notes part: the link or its target is marked as notes, or
                # the target has a notes id of its own ("notes", "footnotes");
                # a body heading that only says "Footnotes" gets a suffixed id
                # and is the author's section, empty or not.
                types = (link.get("epub:type") or "").split()
                target = targets[0]
                classes = set((target.get("class") or "").split()) | set(
                    (target.get("epub:type") or "").split())
                if (set(types) & set(_NOTES) or unquote(parts.fragment) in _NOTES
                        or classes & set(_NOTES)
                        or "doc-endnotes" in (target.get("role") or "")) and _empty_section(target):
                    findings.append(f"{where} leads to an empty notes section")
    return findings


def check_file(path: Path) -> list[str]:
    """:func:`check_html` or :func:`check_epub`, by the file's suffix."""
    if path.suffix == ".epub":
        return check_epub(path)
    return check_html(path.read_bytes(), path.name)
