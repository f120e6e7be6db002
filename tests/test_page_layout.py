"""The page as a reader sees it (issue 16): headlines sized by length, the language
switcher of a masthead without a publisher, and a colophon that never stands alone
on the last page of the PDF."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest

from statementpub import load_statement, render_html, render_pdf
from statementpub.render.html import headline_class

from .conftest import EXAMPLES


@pytest.mark.parametrize(("length", "expected"), [
    (40, ""), (90, ""), (91, "headline-long"), (160, "headline-long"),
    (161, "headline-longer"), (400, "headline-longer")])
def test_headline_class_by_length(length: int, expected: str) -> None:
    assert headline_class("x" * length) == expected


def _statement(folder: Path, *, title: str = "Water is a right", signatories: int = 0,
               paragraphs: int = 6) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    sigs = "".join(f"  - Organisation number {i} for water\n" for i in range(signatories))
    source = folder / "statement.md"
    source.write_text(
        f"---\ntitle: {title}\ndate: 2024-03-01\nlicense: CC-BY-4.0\n"
        "contact:\n  name: Ana\n  email: a@example.org\n"
        + (f"signatories:\n{sigs}" if signatories else "") + "---\n\n## What we ask\n\n"
        + "\n\n".join(["We ask the council to keep water public in every city and town. " * 3]
                      * paragraphs) + "\n", encoding="utf-8")
    return source


def test_a_long_headline_gets_its_class_and_a_short_one_none(tmp_path: Path) -> None:
    long_title = "Organisations of both banks ask the two governments " * 4
    html = render_html(load_statement(_statement(tmp_path / "long", title=long_title.strip())))
    assert '<h1 class="headline-longer">Organisations of both banks' in html
    html = render_html(load_statement(_statement(tmp_path / "short")))
    assert "<h1>Water is a right</h1>" in html


def test_without_a_publisher_the_masthead_is_a_labelled_language_switcher(
        tmp_path: Path) -> None:
    source = _statement(tmp_path / "water")
    from statementpub.edition import make_edition
    from statementpub.render.html import Alternate, render_edition_html

    edition = make_edition(load_statement(source), "en")
    html = render_edition_html(edition, alternates=[Alternate("es", "español",
                                                              "water.es.html")])
    assert '<header class="masthead masthead-editions">' in html
    assert ('<nav class="editions" aria-label="Other languages">\n'
            '<span class="editions-label" aria-hidden="true">Other languages</span>\n<ul>\n'
            '<li><a href="water.es.html" hreflang="es" lang="es" dir="ltr">'
            'español</a></li>') in html


def _last_page_text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.pdf"
        path.write_bytes(pdf)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                              check=True).stdout
        pages = int(next(line for line in info.splitlines()
                         if line.startswith("Pages:")).split()[1])
        return subprocess.run(["pdftotext", "-f", str(pages), "-l", str(pages), str(path), "-"],
                              capture_output=True, text=True, check=True).stdout


def test_the_example_pdf_ends_with_its_signatories_and_colophon_together() -> None:
    statement = load_statement(EXAMPLES / "river-commons" / "statement.md")
    last = _last_page_text(render_pdf(statement, lang="es"))
    assert "Publicado el 22 de marzo de 2025" in last
    assert "Upper Basin Ranchers" in last  # the last signatory


@pytest.mark.parametrize(("signatories", "paragraphs"), [
    # a two-column list that ends at the foot of page 2 (the colophon used to go alone
    # to page 3), and a last paragraph that ends at the foot of page 2
    (83, 6), (86, 6), (0, 30), (0, 31)])
def test_the_colophon_is_never_alone_on_the_last_page(
        tmp_path: Path, signatories: int, paragraphs: int) -> None:
    source = _statement(tmp_path / "water", signatories=signatories, paragraphs=paragraphs)
    last = _last_page_text(render_pdf(load_statement(source), lang="en"))
    assert "Published on March 1, 2024" in last
    assert ("Organisation number" if signatories else "We ask the council") in last
