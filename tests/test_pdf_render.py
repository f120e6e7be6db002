"""The PDF engine (render/pdf.py, render/pdf_tags.py, styles/print.css) on small
hand-written print-flavour HTML documents: no process-wide state (issue 9) and
the PDF fidelity fixes (issue 10)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from statementpub import pdfinspect
from statementpub.render import pdf_tags
from statementpub.render.pdf import _print_css_text, html_to_pdf

SRC = Path(pdf_tags.__file__).resolve().parents[2]
SHIPPED_FAMILIES = {"Atkinson-Hyperlegible-Next", "Atkinson-Hyperlegible-Next-Bold",
                    "Atkinson-Hyperlegible-Next-Italic", "Atkinson-Hyperlegible-Next-BoldItalic",
                    "Noto-Sans-Math"}


def document(body: str, *, lang: str = "en", title: str = "Test", header: str = "") -> str:
    """A print-flavour page as ``render_edition_html(flavour="print")`` lays it out."""
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{title}</title><style>{_print_css_text()}</style></head><body>"
            f'<main id="main"><article class="statement">{header}'
            f'<div class="body">{body}</div></article></main></body></html>')


def walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("children", []):
        yield from walk(child)


def elements(pdf: bytes) -> list[dict[str, Any]]:
    tree = pdfinspect.structure_tree(pdf)
    return [node for root in tree["structure"] for node in walk(root) if "role" in node]


def text_of(node: dict[str, Any]) -> str:
    return "".join(item.get("text", "") for item in walk(node))


def shape(node: dict[str, Any]) -> Any:
    """The roles of a subtree, as nested lists: [role, [children...]]."""
    kids = [shape(child) for child in node.get("children", []) if "role" in child]
    return [node["role"], kids] if kids else node["role"]


def fonts(pdf: bytes) -> set[tuple[str, bool]]:
    """(base font name without the subset tag, embedded) of every font in ``pdf``."""
    found = set()
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        for obj in opened.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font" \
                    and "/BaseFont" in obj and obj.get("/Subtype") != "/Type0":
                name = str(obj.BaseFont).lstrip("/").split("+", 1)[-1]
                descriptor = obj.get("/FontDescriptor")
                embedded = descriptor is not None and any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
                found.add((name, embedded))
    return found


# -- issue 9: no process-wide state -------------------------------------------------

PLAIN = document("<h1>Plain</h1><p>Words.</p><ol>" + "".join(
    f"<li>Item {i}</li>" for i in range(5)) + "</ol>")


def test_environment_is_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    from statementpub.render import pdf

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dict(os.environ)
    pdf.prepare()
    first = html_to_pdf(PLAIN)
    assert dict(os.environ) == before
    # The bytes do not depend on SOURCE_DATE_EPOCH either.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234567890")
    assert html_to_pdf(PLAIN) == first


DIRECT_SCRIPT = """
import sys
mode, out = sys.argv[1:]
if mode == "after-statementpub":
    from statementpub.render.pdf import html_to_pdf, _print_css_text
    html_to_pdf('<!doctype html><html lang="en"><head><title>S</title><style>'
                + _print_css_text() + '</style></head><body><h1>S</h1><ul>'
                + '<li>x</li>' * 80 + '</ul></body></html>')
import weasyprint
html = ('<!doctype html><html lang="en"><head><title>Direct</title></head><body>'
        '<h1>Direct</h1><ol>' + ''.join('<li>Item %d</li>' % i for i in range(60))
        + '</ol><table><thead><tr><th>N</th></tr></thead><tbody>'
        + ''.join('<tr><td>%d</td></tr>' % i for i in range(40)) + '</tbody></table>'
        '<p><a href="https://example.org/">link</a> <img alt="" src="data:image/png;base64,'
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="></p>'
        '</body></html>')
css = weasyprint.CSS(string='@page { size: A7; margin: 1cm; @bottom-center { content: counter(page) } }')
pdf = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", stylesheets=[css])
open(out, "wb").write(pdf)
"""


def test_weasyprint_used_directly_is_unaffected(tmp_path: Path) -> None:
    """After a statementpub render, WeasyPrint used directly in the same process
    gives the bytes of a process that never imported statementpub."""
    script = tmp_path / "direct.py"
    script.write_text(DIRECT_SCRIPT, encoding="utf-8")
    python_path = os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", PYTHONHASHSEED="0",
               PYTHONPATH=python_path)
    processes = {mode: subprocess.Popen(
        [sys.executable, str(script), mode, str(tmp_path / f"{mode}.pdf")], cwd=tmp_path,
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for mode in ("plain", "after-statementpub")}
    for process in processes.values():
        _, stderr = process.communicate(timeout=180)
        assert process.returncode == 0, stderr.decode(errors="replace")
    plain = (tmp_path / "plain.pdf").read_bytes()
    after = (tmp_path / "after-statementpub.pdf").read_bytes()
    assert plain[:5] == b"%PDF-"
    assert after == plain
    # And it really is WeasyPrint's own tree: the list split over pages.
    assert sum(1 for node in elements(plain) if node["role"] == "L") >= 2


THREAD_DOCUMENTS = [
    document(f"<h1>Document {n}</h1>" + "".join(
        f'<p lang="{"es" if i % 2 else "en"}">Paragraph {i} of {n}.</p>' for i in range(n * 15))
        + "<ul>" + "".join(f"<li>Name {i}</li>" for i in range(n * 10)) + "</ul>",
        title=f"Document {n}")
    for n in range(1, 7)]


def test_threads_give_the_sequential_bytes() -> None:
    sequential = [html_to_pdf(html) for html in THREAD_DOCUMENTS]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(html_to_pdf, THREAD_DOCUMENTS * 2))
    assert threaded == sequential * 2
    assert len(set(sequential)) == len(sequential)


# -- issue 10: fidelity --------------------------------------------------------------

FIDELITY = document(
    '<h2 id="x" data-bookmark="Commitments">Commitments<sup class="footnote-ref">'
    '<a href="#fn-1" id="fnref-1" role="doc-noteref">1</a></sup></h2>'
    "<ul><li><p>a</p><ul><li>b</li></ul></li><li>c</li></ul>"
    '<p>See <a href="https://example.org/x" class="bare-url">https://example.org/x</a> and '
    '<a href="https://example.org/y">why</a>.</p>'
    '<p lang="en">Fallback <a href="#fnref-1" lang="es" aria-label="Volver a la referencia 1">'
    "\u21a9</a></p>"
    "<table><tr><td>short</td><td>" + "supercalifragilistic" * 8 + "</td></tr></table>"
    '<section class="footnotes" role="doc-endnotes" aria-labelledby="notes-heading">'
    '<h2 id="notes-heading">Notes</h2><ol><li id="fn-1" class="footnote" role="doc-footnote">'
    '<p>Note. <a href="#fnref-1" class="footnote-back" role="doc-backlink" '
    'aria-label="Back to reference 1">\u21a9</a></p></li></ol></section>',
    header='<header class="masthead"><p class="publisher"><a class="publisher-name">Acme</a>'
           "</p></header><h1>Title</h1>")


@pytest.fixture(scope="module")
def fidelity_pdf() -> bytes:
    return html_to_pdf(FIDELITY)


def test_nested_list_is_in_the_item_body(fidelity_pdf: bytes) -> None:
    [outer] = [node for node in elements(fidelity_pdf)
               if node["role"] == "L" and "a" in text_of(node) and "c" in text_of(node)]
    label, body = ["Lbl", ["Span"]], ["LBody", ["Span"]]
    assert shape(outer) == ["L", [
        ["LI", [label, ["LBody", [["P", ["Span"]], ["L", [["LI", [label, body]]]]]]]],
        ["LI", [label, body]]]]


def test_links(fidelity_pdf: bytes) -> None:
    nodes = elements(fidelity_pdf)
    links = [node for node in nodes if node["role"] == "Link"]
    texts = [text_of(link) for link in links]
    assert "https://example.org/x" in texts  # no " (https://example.org/x)" after it
    assert "why (https://example.org/y)" in texts
    assert "Acme" not in texts  # an a without href is no Link
    assert all(link.get("annotations") for link in links)
    [spanish] = [link for link in links if link["annotations"][0]["contents"]
                 == "Volver a la referencia 1"]
    assert spanish["lang"] == "es"


def test_bookmarks_without_note_marks(fidelity_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(fidelity_pdf)) as opened, opened.open_outline() as outline:
        [title] = outline.root
        assert title.title == "Title"
        assert [item.title for item in title.children] == ["Commitments", "Notes"]


def test_table_stays_inside_the_text_area(fidelity_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "f.pdf"
    path.write_bytes(fidelity_pdf)
    bbox = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    right = 595.276 - 20 / 25.4 * 72  # A4 less the 20 mm right margin
    words = re.findall(r'xMax="([0-9.]+)"[^>]*>([^<]*)<', bbox)
    long_word = [float(x) for x, word in words if word.startswith("supercali")]
    assert long_word and max(long_word) <= right + 0.5


def test_only_shipped_fonts(fidelity_pdf: bytes) -> None:
    found = fonts(fidelity_pdf)
    assert found and all(embedded for _, embedded in found)
    assert {name for name, _ in found} <= SHIPPED_FAMILIES
    assert "Noto-Sans-Math" in {name for name, _ in found}  # the arrow and the ◦
