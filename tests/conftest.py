"""Shared fixtures: the shared corpus (read in place, never copied), built editions, and
timings reported in pytest's terminal summary.

The corpus is ``../shared/corpus`` beside the clone, or the folder named by the
environment variable ``STATEMENTPUB_CORPUS``; the tests that need it are skipped
when it is absent.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("STATEMENTPUB_CORPUS") or ROOT.parent / "shared" / "corpus")
CORPUS_STATEMENT = CORPUS / "safe-third-country" / "statement.md"
CORPUS_SKIP = (f"{os.environ.get('STATEMENTPUB_CORPUS') or '../shared/corpus'} is absent "
               "(set STATEMENTPUB_CORPUS to the corpus folder to run these tests)")
EXAMPLES = ROOT / "examples"


def corpus_statement() -> Path:
    if not CORPUS_STATEMENT.is_file():
        pytest.skip(CORPUS_SKIP)
    return CORPUS_STATEMENT


_TIMINGS = pytest.StashKey[list[str]]()


@pytest.fixture
def report_timing(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Record a line (a timing) for the "statementpub timings" section that pytest
    prints in its terminal summary, instead of printing in the middle of the
    progress output."""
    return request.config.stash.setdefault(_TIMINGS, []).append


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter,
                            exitstatus: int, config: pytest.Config) -> None:
    lines = config.stash.get(_TIMINGS, [])
    if lines:
        terminalreporter.section("statementpub timings")
        for line in lines:
            terminalreporter.write_line(line)


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
