"""The EPUB's signatory list, put in after pandoc has written the package.

A statement with thousands of signatories is mostly its list: 91 % of the
pandoc-flavour HTML of a statement with 5,000 names. pandoc's HTML reader
needs about 230 bytes of memory per character of input, so that list took
pandoc from 172 MiB to 277 MiB and from 0.14 s to 1.0 s. Instead, pandoc reads
the document with each run of plain items replaced by one placeholder item
(:func:`cut`), and the items are then written into the content document as
pandoc's XHTML writer writes them (:func:`restore`):

* the same tags (``li`` and the ``span`` elements with their ``class``,
  ``lang`` and ``dir``, which pandoc keeps as they are);
* text without carriage returns (pandoc drops them from its input), with
  each run of ASCII whitespace as one space, and ``&``, ``<`` and ``>``
  escaped (quotes and every other character as themselves).

A plain item is one whose only tags are ``li`` and ``span``: a name, its
country and its note. An item with a link goes through pandoc, which
percent-encodes URLs in its own way. The tests compare the EPUB's bytes made
both ways (:data:`statementpub.render.epub.CUT_SIGNATORIES` off and on) on
the shipped example, the corpus, a right-to-left fixture and a list of
generated names full of escapes, whitespace and marks.
"""

from __future__ import annotations

import html
import re

from ..errors import EpubRenderError

__all__ = ["cut", "restore"]

#: How the pandoc-flavour template opens and closes the list, one item a line.
_START = '<ol class="signatory-list">\n'
_END = "\n</ol>\n"
#: The one item pandoc reads in place of the ``index``-th run of plain items.
_PLACEHOLDER = "<li>statementpub-signatories-{index}</li>"
_FOUND = re.compile(r"<li>statementpub-signatories-([0-9]+)</li>")
_FOUND_PREFIX = "<li>statementpub-signatories-"
_ITEM_END = re.compile(r"(?<=</li>)\n")
_PARTS = re.compile(r"(<[^>]*>)")
_PLAIN_TAG = re.compile(r'</?(?:li|span)(?:\s+(?:class|lang|dir)="[^"<>&]*")*>')
_ASCII_SPACE = re.compile(r"[ \t\n\r\f]+")


def _as_pandoc_writes(line: str) -> str | None:
    """The XHTML pandoc writes for one plain item of the list, or ``None`` if the item
    is not plain (pandoc must read it)."""
    out = []
    for index, part in enumerate(_PARTS.split(line)):
        if index % 2:
            if not _PLAIN_TAG.fullmatch(part):
                return None
            out.append(part)
        elif part:
            # pandoc drops each carriage return of its input (``&#13;`` is a space)
            text = _ASCII_SPACE.sub(" ", html.unescape(part.replace("\r", "")))
            out.append(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    return "".join(out)


def cut(pandoc_html: str) -> tuple[str, list[str]]:
    """The pandoc-flavour HTML with each run of plain signatory items replaced by one
    placeholder item, and the XHTML of each run (one item a line), in order.

    The list is the template's last ``<ol class="signatory-list">``: the signatories
    come after the body, whose Markdown cannot hold raw HTML. HTML without a list
    comes back as it is, with no runs.
    """
    start = pandoc_html.rfind(_START)
    if start < 0:
        return pandoc_html, []
    begin = start + len(_START)
    end = pandoc_html.find(_END, begin)
    if end < 0:
        return pandoc_html, []
    kept: list[str] = []
    runs: list[list[str]] = []
    run: list[str] | None = None
    # one item a line, but a name may hold a line break: items end at "</li>" (text
    # has its "<" escaped)
    for line in _ITEM_END.split(pandoc_html[begin:end]):
        written = _as_pandoc_writes(line) if line.startswith("<li>") else None
        if written is None:
            kept.append(line)
            run = None
            continue
        if run is None:
            run = []
            runs.append(run)
            kept.append(_PLACEHOLDER.format(index=len(runs) - 1))
        run.append(written)
    return (pandoc_html[:begin] + "\n".join(kept) + pandoc_html[end:],
            ["\n".join(items) for items in runs])


def restore(documents: dict[str, str], runs: list[str]) -> dict[str, str]:
    """The content documents (XHTML by name) with each placeholder item replaced by its
    run of items. Only the documents that changed are returned.

    :raises EpubRenderError: a placeholder is missing from pandoc's output or found
        more than once (the list would lose or repeat names).
    """
    seen = [0] * len(runs)

    def put(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index >= len(runs):
            return match.group(0)
        seen[index] += 1
        return runs[index]

    changed: dict[str, str] = {}
    if runs:
        for name, text in documents.items():
            if _FOUND_PREFIX in text:
                changed[name] = _FOUND.sub(put, text)
    for index, count in enumerate(seen):
        if count != 1:
            raise EpubRenderError(f"pandoc's output holds the placeholder of signatory run "
                                  f"{index} {count} times, not once")
    return changed
