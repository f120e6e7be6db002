"""Warm library use, in one process: after a first call, the median time of
``render_html``/``render_pdf`` of a statement in Spanish against one pypandoc
Markdown-to-HTML conversion of the same text and WeasyPrint alone on the same
HTML (``HTML(string=...).write_pdf()``, its defaults).

    python benchmarks/warm.py STATEMENT.md EDITION.md   (prints JSON)
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path


def timed(call: Callable[[], object], runs: int) -> float:
    call()  # the first call: imports, caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    source, markdown = Path(sys.argv[1]), Path(sys.argv[2]).read_text(encoding="utf-8")
    import pypandoc
    import weasyprint

    from statementpub import load_statement, make_edition, render_html, render_pdf
    from statementpub.render.formats import print_html
    from statementpub.resources import styles_dir

    statement = load_statement(source)
    edition = make_edition(statement, "es")
    html = print_html(edition)
    base = styles_dir().as_uri() + "/"
    result = {
        "render_html": timed(lambda: render_html(statement, "es"), 30),
        "pypandoc_md_to_html": timed(
            lambda: pypandoc.convert_text(markdown, "html", format="markdown"), 15),
        "render_pdf": timed(lambda: render_pdf(statement, "es"), 7),
        "weasyprint_alone": timed(
            lambda: weasyprint.HTML(string=html, base_url=base).write_pdf(), 7),
    }
    result["html_ratio"] = result["render_html"] / result["pypandoc_md_to_html"]
    result["pdf_ratio"] = result["render_pdf"] / result["weasyprint_alone"]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
