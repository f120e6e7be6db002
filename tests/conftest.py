"""Shared fixtures: the shared corpus (read in place, never copied) and built editions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS_STATEMENT = CORPUS / "safe-third-country" / "statement.md"
EXAMPLES = ROOT / "examples"


def corpus_statement() -> Path:
    if not CORPUS_STATEMENT.is_file():
        pytest.skip("../shared/corpus is absent")
    return CORPUS_STATEMENT


def example_statements() -> list[Path]:
    return sorted(EXAMPLES.glob("*/statement.md"))


@pytest.fixture(scope="session")
def corpus_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The six files of the corpus statement, built once per test session."""
    from statementpub import build

    out = tmp_path_factory.mktemp("corpus-dist")
    build(corpus_statement(), langs=["en", "es"], out_dir=out)
    return out


@pytest.fixture(scope="session")
def example_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The editions of every example in examples/, built once per test session."""
    from statementpub import build

    out = tmp_path_factory.mktemp("example-dist")
    for source in example_statements():
        build(source, out_dir=out)
    return out


_DATA_URI = re.compile(r"data:([a-z]+/[a-z0-9.+-]+);base64,[A-Za-z0-9+/=]+")


def normalize_html(html: str) -> str:
    """HTML for a snapshot: inlined stylesheets and data: URIs replaced by short stand-ins,
    so the snapshot shows the markup a reader gets and changes only when it does."""
    import hashlib

    def short(match: re.Match[str]) -> str:
        digest = hashlib.sha256(match.group(0).encode()).hexdigest()[:12]
        return f"data:{match.group(1)};sha256={digest}"

    html = re.sub(r"<style>.*?</style>", "<style>/* styles/ inlined */</style>", html, flags=re.S)
    return _DATA_URI.sub(short, html)
