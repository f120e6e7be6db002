"""``statementpub preview``: a real server on a free loopback port; a save of the
statement re-renders it, the open page is told (server-sent events) and shows the
change; a broken save shows its error and keeps the last good edition."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("watchfiles")

from statementpub import build  # noqa: E402

from .servers import running  # noqa: E402

SOURCE = """---
title: Open the wells
date: 2026-03-22
signatories:
  - Río Claro Cooperative
---

The wells belong to everyone.

## What we ask

Keep them open all year.
"""
CATALOG = r'''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: es\n"

msgid "Open the wells"
msgstr "Abran los pozos"
'''


@pytest.fixture()
def statement(tmp_path: Path) -> Path:
    folder = tmp_path / "wells"
    folder.mkdir()
    (folder / "statement.md").write_text(SOURCE, encoding="utf-8")
    (folder / "statement.es.po").write_text(CATALOG, encoding="utf-8")
    return folder / "statement.md"


class Events:
    """The preview's server-sent events, read in a thread."""

    def __init__(self, base: str) -> None:
        self.items: list[dict[str, Any]] = []
        self.ready = threading.Event()
        self.changed = threading.Condition()
        self._stop = False
        self._thread = threading.Thread(target=self._read, args=(base,), daemon=True)
        self._thread.start()
        assert self.ready.wait(20)

    def _read(self, base: str) -> None:
        with httpx.stream("GET", base + "/events", timeout=None) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            for line in response.iter_lines():
                if self._stop:
                    return
                if line.startswith("data: "):
                    event = json.loads(line[len("data: "):])
                    if event.get("hello"):
                        self.ready.set()
                        continue
                    with self.changed:
                        self.items.append(event)
                        self.changed.notify_all()

    def wait(self, ok: bool, timeout: float = 30) -> dict[str, Any]:
        """The next refresh event (not a PDF or EPUB made) whose ``ok`` is ``ok``."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for index, event in enumerate(self.items):
                    if "made" not in event and event["ok"] is ok:
                        del self.items[:index + 1]
                        return event
                left = deadline - time.monotonic()
                assert left > 0, f"no event with ok={ok}: {self.items}"
                self.changed.wait(left)

    def close(self) -> None:
        self._stop = True


@pytest.fixture()
def preview(statement: Path) -> Iterator[str]:
    with running(["preview", str(statement)], "/status") as base:
        yield base


def edition(base: str, lang: str = "en", fmt: str = "html") -> Any:
    return httpx.get(f"{base}/edition/wells.{lang}.{fmt}", timeout=90)


def test_a_save_changes_the_page(preview: str, statement: Path, tmp_path: Path) -> None:
    status = httpx.get(preview + "/status").json()
    assert status["slug"] == "wells" and set(status["editions"]) == {"en", "es"}
    page = httpx.get(preview + "/es/").text
    assert 'src="/edition/wells.es.html"' in page and "EventSource" in page
    # the panel lists what fell back, outside the edition
    assert "Shown in the source language" in page and "untranslated" in page.lower()

    # the edition is the built one, byte for byte: no preview script in it (the
    # preview shows the Spanish catalog below the publishing threshold too, so the
    # build is asked for the same languages)
    build(statement, langs=["en", "es"], formats=["html"], out_dir=tmp_path / "dist")
    first = edition(preview)
    assert first.content == (tmp_path / "dist" / "wells.en.html").read_bytes()
    assert b"<script" not in first.content and b"EventSource" not in first.content

    events = Events(preview)
    try:
        started = time.monotonic()
        statement.write_text(SOURCE.replace("Keep them open all year.",
                                            "Keep them open day and night."), encoding="utf-8")
        events.wait(ok=True)
        html = edition(preview).text
        elapsed = time.monotonic() - started
        assert "Keep them open day and night." in html
        assert "Keep them open all year." not in html
        print(f"save to new HTML served: {elapsed:.2f} s")

        # a save that breaks the statement: the error with its line, the last good edition
        statement.write_text(SOURCE.replace("date: 2026-03-22", "date: 2026-3-22"),
                             encoding="utf-8")
        events.wait(ok=False)
        panel = httpx.get(preview + "/panel", params={"lang": "en"}).text
        assert "statement.md:3: error: date &#x27;2026-3-22&#x27; must be written " \
               "YYYY-MM-DD" in panel
        assert httpx.get(preview + "/status").json()["errors"]
        assert "Keep them open day and night." in edition(preview).text

        # mended: the error goes
        statement.write_text(SOURCE, encoding="utf-8")
        events.wait(ok=True)
        assert httpx.get(preview + "/status").json()["errors"] == []
        assert "Keep them open all year." in edition(preview).text

        # a catalog is watched too
        (statement.parent / "statement.es.po").write_text(
            CATALOG + '\nmsgid "What we ask"\nmsgstr "Lo que pedimos"\n', encoding="utf-8")
        events.wait(ok=True)
        assert "Lo que pedimos" in edition(preview, "es").text
    finally:
        events.close()
    pdf = edition(preview, "es", "pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert edition(preview, "en", "epub").content.startswith(b"PK")
    assert edition(preview, "de").status_code == 404


def test_the_open_page_reloads_in_a_browser(preview: str, statement: Path) -> None:
    """Chromium shows the page; a save changes what it shows, with no action of the reader."""
    playwright = pytest.importorskip("playwright.sync_api")
    from statementpub.validate import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed")
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        try:
            page = browser.new_page()
            page.goto(preview + "/en/")
            frame = page.frame_locator("#edition")
            frame.get_by_text("Keep them open all year.").wait_for(timeout=20_000)
            page.wait_for_timeout(300)  # the event stream is open
            started = time.monotonic()
            statement.write_text(SOURCE.replace("Keep them open all year.",
                                                "Keep them open in August."), encoding="utf-8")
            frame.get_by_text("Keep them open in August.").wait_for(timeout=20_000)
            print(f"save to the page showing it: {time.monotonic() - started:.2f} s")
            statement.write_text(SOURCE.replace("## What we ask", "# What we ask"),
                                 encoding="utf-8")
            page.locator("#panel .errors").wait_for(timeout=20_000)
            assert "statement.md:10: error: level-1 heading" in \
                page.locator("#panel .errors").inner_text()
            assert frame.get_by_text("Keep them open in August.").is_visible()
        finally:
            browser.close()


def test_what_the_preview_watches(tmp_path: Path) -> None:
    from statementpub.preview import Preview, _relevant

    folder = tmp_path / "wells"
    folder.mkdir()
    source = folder / "statement.md"
    source.write_text(SOURCE + "\n![a map](map.png)\n", encoding="utf-8")
    view = Preview(source)
    assert not view.refresh()  # map.png is missing: an error, and any image matters
    assert _relevant(view, folder / "map.png")
    from PIL import Image

    Image.new("RGB", (4, 4)).save(folder / "map.png")
    assert view.refresh()
    try:
        assert _relevant(view, source)
        assert _relevant(view, folder / "statement.es.po")
        assert _relevant(view, folder / "map.png")
        assert not _relevant(view, folder / "other.png")  # no edition shows it
        assert not _relevant(view, folder / "dist" / "wells.en.html")  # a build's output
        assert not _relevant(view, folder / ".statement.md.swp")
        assert not _relevant(view, folder / "statement.md~")
    finally:
        view.close()


def test_a_closed_preview_starts_no_pdf_worker_afterwards(tmp_path: Path) -> None:
    """The PDFs are made in the background 0.3 s after a save: a preview closed before
    then starts no worker process when that render wakes (it once did, and the worker's
    start-up reached into the next test)."""
    from statementpub.preview import Preview
    WorkersClosed = Exception

    source = tmp_path / "statement.md"
    source.write_text(SOURCE, encoding="utf-8")
    view = Preview(source)
    assert view.refresh()
    view.close()
    time.sleep(1.0)  # past the background render's 0.3 s pause
    assert view._pdf._pool is None and view._pdf.pids() == []
    assert view.slow_file("en", "pdf") is None
    with pytest.raises(WorkersClosed):
        view._pdf.submit("<html></html>", [])
