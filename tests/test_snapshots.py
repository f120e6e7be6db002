"""Snapshots of what readers and assistive technology get, reviewed when they change.

HTML: the whole document, with inlined stylesheets and data: URIs replaced by
stand-ins (tests/conftest.py normalize_html). EPUB: the package document and
the XHTML content documents. PDF: the structure tree with roles, /Lang and
/Alt, the document metadata, and the extracted text (statementpub.pdfinspect).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from .conftest import CORPUS_SKIP, CORPUS_STATEMENT, example_statements, normalize_html

EDITIONS = [("safe-third-country", lang) for lang in ("en", "es")]


def _example_editions() -> list[tuple[str, str]]:
    from statementpub import load_statement
    from statementpub.build import default_languages

    out = []
    for source in example_statements():
        statement = load_statement(source)
        out += [(statement.slug, lang) for lang in default_languages(statement)]
    return out


def _folder(slug: str, corpus_dist: Path | None, example_dist: Path | None) -> Path:
    folder = corpus_dist if slug == "safe-third-country" else example_dist
    assert folder is not None
    return folder


@pytest.fixture
def dist(request: pytest.FixtureRequest) -> Path:
    slug = request.node.callspec.params["slug"]
    if slug == "safe-third-country":
        if not CORPUS_STATEMENT.is_file():
            pytest.skip(CORPUS_SKIP)
        return request.getfixturevalue("corpus_dist")
    return request.getfixturevalue("example_dist")


ALL = EDITIONS + _example_editions()


@pytest.mark.parametrize(("slug", "lang"), ALL)
def test_html_snapshot(dist: Path, slug: str, lang: str, file_regression: object) -> None:
    html = (dist / f"{slug}.{lang}.html").read_text(encoding="utf-8")
    file_regression.check(normalize_html(html), extension=".html",  # type: ignore[attr-defined]
                          basename=f"{slug}.{lang}")


@pytest.mark.parametrize(("slug", "lang"), ALL)
def test_epub_snapshot(dist: Path, slug: str, lang: str, file_regression: object) -> None:
    with zipfile.ZipFile(dist / f"{slug}.{lang}.epub") as epub:
        parts = []
        for name in epub.namelist():
            if name.endswith((".opf", ".xhtml")):
                text = epub.read(name).decode("utf-8")
                parts.append(f"===== {name}\n{normalize_html(text)}")
        listing = "\n".join(f"{info.filename} {info.compress_type}" for info in epub.infolist())
    file_regression.check(f"===== files\n{listing}\n" + "\n".join(parts),  # type: ignore[attr-defined]
                          extension=".txt", basename=f"{slug}.{lang}.epub")


def _condense(node: dict[str, object]) -> dict[str, object]:
    """The structure tree as a reader hears it: text runs of an element joined into one
    string (line-by-line Spans without a language of their own are layout, not structure)."""
    out = {k: v for k, v in node.items() if k != "children"}
    children = [_condense(c) for c in node.get("children", [])]  # type: ignore[union-attr,attr-defined]
    if children and all(set(c) <= {"role", "text"} and c.get("role") in ("Span", None)
                        for c in children):
        text = " ".join(str(c.get("text", "")) for c in children if c.get("text"))
        out["text"] = " ".join(filter(None, [str(out.get("text", "")), text]))
    elif children:
        out["children"] = children
    return out


@pytest.mark.parametrize(("slug", "lang"), ALL)
def test_pdf_snapshot(dist: Path, slug: str, lang: str, data_regression: object) -> None:
    from statementpub.pdfinspect import structure_tree

    tree = structure_tree((dist / f"{slug}.{lang}.pdf").read_bytes())
    tree["structure"] = [_condense(n) for n in tree["structure"]]  # type: ignore[index]
    data_regression.check(tree, basename=f"{slug}.{lang}.pdf")  # type: ignore[attr-defined]
