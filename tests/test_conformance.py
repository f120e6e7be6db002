"""Conformance gates: every edition of the examples and the shared corpus
passes the validators the field uses, with zero findings.

axe-core (WCAG 2.2 A/AA + best practice) in Chromium at 1280 and 320 CSS px, light
and dark; EPUBCheck 5; DAISY Ace; pdfua (16 PDF/UA-1 machine rules). In CI a
missing validator fails the run instead of skipping (see validate.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from statementpub import validate

from .conftest import CORPUS_STATEMENT

pytestmark = pytest.mark.validators


def _need(name: str) -> None:
    if not validate.available().get(name):
        if os.environ.get("CI") == "true":
            pytest.fail(f"validator {name} is not installed (run .ci/install-validators)")
        pytest.skip(f"validator {name} is not installed")


@pytest.fixture(scope="module")
def outputs(request: pytest.FixtureRequest) -> list[Path]:
    files: list[Path] = []
    if CORPUS_STATEMENT.is_file():
        files += sorted(request.getfixturevalue("corpus_dist").iterdir())
    files += sorted(request.getfixturevalue("example_dist").iterdir())
    assert files
    return files


def _show(findings: list[validate.Finding]) -> str:
    return "\n".join(f"{f.validator} {f.rule} {f.location}: {f.message}" for f in findings)


def test_axe_core_at_both_widths_in_both_schemes(outputs: list[Path]) -> None:
    _need("axe")
    pages = [p for p in outputs if p.suffix == ".html"]
    findings = validate.run_axe(pages, widths=(1280, 320), color_schemes=("light", "dark"))
    assert findings == [], _show(findings)


@pytest.mark.parametrize("kind", ["epubcheck", "ace"])
def test_epub_validators(outputs: list[Path], kind: str) -> None:
    _need(kind)
    run = validate.run_epubcheck if kind == "epubcheck" else validate.run_ace
    findings = [f for p in outputs if p.suffix == ".epub" for f in run(p)]
    assert findings == [], _show(findings)


def test_pdfua(outputs: list[Path]) -> None:
    _need("pdfua")
    findings = [f for p in outputs if p.suffix == ".pdf" for f in validate.run_pdfua(p)]
    assert findings == [], _show(findings)


def test_pdf_structure_checks(outputs: list[Path]) -> None:
    """ISO 14289-1 / Matterhorn checks of our own (statementpub.pdfinspect)."""
    from statementpub.pdfinspect import PDF_CHECKS, check_structure

    findings = {p.name: check_structure(p.read_bytes(), checks=PDF_CHECKS)
                for p in outputs if p.suffix == ".pdf"}
    assert findings and all(v == [] for v in findings.values()), findings


def test_long_signatory_list_and_table_are_one_structure_element_each(tmp_path: Path) -> None:
    """500 signatories over many pages: exactly one L for them, one Table per table."""
    import pikepdf

    from statementpub import Statement, render_pdf
    from statementpub.pdfinspect import check_structure

    rows = "\n".join(f"| Region {i} | {i * 7} wells |" for i in range(1, 120))
    body = ("## Where the wells are\n\nThe survey counted wells in every region.\n\n"
            f"| Region | Wells |\n|---|---|\n{rows}\n\n- one point\n- another point\n")
    statement = Statement.from_mapping(
        {"title": "Five hundred voices", "date": "2026-03-22",
         "signatories": [f"Organisation number {i}" if i % 3 else
                         {"name": f"Organización número {i}", "lang": "es"}
                         for i in range(1, 501)]},
        body, base_dir=tmp_path)
    pdf = render_pdf(statement)
    with pikepdf.open(__import__("io").BytesIO(pdf)) as doc:
        assert len(doc.pages) > 10
        roles: dict[str, int] = {}

        def walk(node: pikepdf.Object) -> None:
            if isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid)
            elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
                roles[str(node.S)] = roles.get(str(node.S), 0) + 1
                if "/K" in node:
                    walk(node.K)

        walk(doc.Root.StructTreeRoot.K)
    # the body's bullet list and the signatory list
    assert roles["/L"] == 2
    assert roles["/Table"] == 1
    assert roles["/LI"] == 502
    assert check_structure(pdf) == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_print_stylesheet_hides_nothing_needed(example_dist: Path, lang: str) -> None:
    """Every passage and every signatory of the edition is in the PDF's text."""
    import re
    import subprocess

    from statementpub import load_statement, make_edition
    from statementpub.edition import nodes

    from .conftest import example_statements

    source = example_statements()[0]
    statement = load_statement(source)
    edition = make_edition(statement, lang)
    pdf = example_dist / f"{statement.slug}.{lang}.pdf"
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout

    def norm(value: str) -> str:
        # pdftotext puts a space before a raised note number: compare without spaces
        return re.sub(r"\s+", "", value)

    def visible(inlines: tuple[nodes.Inline, ...]) -> str:
        # alternative texts are in the structure tree, not the page text; a note
        # mark is printed as its number
        return nodes.plain_text([node for node in inlines
                                 if not isinstance(node, nodes.Image)], notes=True)

    # print.css prints the address of an external link after its text: "(https://...)"
    flat = norm(re.sub(r" ?\((?:https?|mailto):[^)\s]+\)", "", text))
    expected = [edition.title.value] + [sig.name.value for sig in edition.signatories]
    blocks = list(nodes.walk_blocks(edition.body))
    for part in (edition.summary, *(note.blocks for note in edition.notes)):
        blocks.extend(nodes.walk_blocks(part))
    for block in blocks:
        if isinstance(block, (nodes.Para, nodes.Heading)):
            expected.append(visible(block.content))
        elif isinstance(block, nodes.Table):
            expected.extend(visible(cell.content) for row in block.head + block.body
                            for cell in row)
    assert len(expected) > 20
    missing = [e for e in expected if norm(e) not in flat]
    assert missing == []


def test_html_and_epub_structure_checks(outputs: list[Path]) -> None:
    """Ids, ARIA references, fragment links and nav targets (statementpub.htmlcheck)."""
    from statementpub.htmlcheck import check_file

    findings = {p.name: check_file(p) for p in outputs if p.suffix in (".html", ".epub")}
    assert findings and all(v == [] for v in findings.values()), findings
