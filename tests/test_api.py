"""The in-memory API (render_html, render_pdf, render_epub): called from many
threads at once, as a web service calls it, it gives the bytes of sequential
calls and leaves the process as it found it."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from statementpub import load_statement, render_epub, render_html, render_pdf

from .conftest import example_statements


def _as_bytes(result: str | bytes) -> bytes:
    return result.encode("utf-8") if isinstance(result, str) else result


def test_threads_give_the_bytes_of_sequential_calls() -> None:
    statement = load_statement(example_statements()[0])
    calls: list[tuple[Callable[..., str | bytes], str]] = [
        (render, lang) for render in (render_html, render_pdf, render_epub)
        for lang in ("en", "es")]
    environment = dict(os.environ)
    sequential = [_as_bytes(render(statement, lang)) for render, lang in calls]
    with ThreadPoolExecutor(max_workers=4) as pool:
        concurrent = list(pool.map(lambda call: _as_bytes(call[0](statement, call[1])),
                                   calls * 2))
    assert concurrent == sequential * 2
    assert [len(data) > 1000 for data in sequential] == [True] * 6
    assert dict(os.environ) == environment
