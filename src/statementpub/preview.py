"""``statementpub preview statement.md``: every edition on ``http://127.0.0.1:PORT/``,
re-rendered on every save (extra ``statementpub[serve]``).

The source's folder is watched (watchfiles): a save of the statement, a
catalog, a signatories file or an image re-renders the HTML editions at once,
then the PDFs and EPUBs in the background, without holding the HTML up. Open
pages are told by server-sent events (``GET /events``) and reload what
changed. A save that breaks the statement shows the errors, each with its
line, in the panel above the edition, and the last good editions stay on
show.

Pages:

* ``/`` and ``/<lang>/`` -- the preview page: a panel (languages, errors,
  fallbacks, warnings, the markup checks of :mod:`statementpub.htmlcheck`, the
  state of the PDF and EPUB) and the edition in a frame. The preview's script
  lives in this page only: the editions are served exactly as
  :func:`statementpub.render_html` makes them (the same bytes a build writes),
  never with a script in them.
* ``/edition/<slug>.<lang>.html|pdf|epub`` -- the editions (a PDF or EPUB being
  re-made is waited for, up to a minute, else the last one made is served).
* ``/panel?lang=..`` -- the panel alone; ``/status`` -- the state as JSON.

Nothing is written: the editions live in memory.
"""

from __future__ import annotations

import asyncio
import html
import json
import sys
import threading
import time
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from .api import Alternate, render_html
from .build.sources import default_languages
from .edition import Edition, Fallback, make_edition
from .errors import StatementpubError
from .htmlcheck import check_html
from .i18n import interface
from .loader import load_statement
from .model import Statement
from .options import language_tags
from .render.formats import print_html, render_format, resource_roots
from .service.pdf_workers import PdfWorkers, WorkersClosed

__all__ = ["Preview", "create_app", "preview"]

_MEDIA = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
          "epub": "application/epub+zip"}
#: Files in the watched folder that never concern the statement (editor backups).
_IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".part", ".crdownload")


@dataclass
class _Edition:
    lang: str
    html: bytes
    fallbacks: tuple[Fallback, ...]
    findings: list[str]
    edition: Edition


@dataclass
class _State:
    """What the preview shows: the last good editions, and the last error."""

    generation: int = 0  # every refresh, good or not
    statement: Statement | None = None
    editions: dict[str, _Edition] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # (lang, format) -> (generation, bytes or the error's lines)
    slow: dict[tuple[str, str], tuple[int, bytes | list[str]]] = field(default_factory=dict)
    rendered_at: float = 0.0
    good: int = 0  # the generation of the editions shown


class Preview:
    """The preview of one statement: renders it, keeps the last good editions.

    :param source: the statement file.
    :param langs: the languages to show; default as for ``build``.
    """

    def __init__(self, source: Path, langs: Sequence[str] | None = None) -> None:
        self.source = Path(source)
        self.langs = language_tags(langs, path=self.source) if langs else None
        self.state = _State()
        self._lock = threading.Lock()
        self._slow = ThreadPoolExecutor(1, thread_name_prefix="statementpub-preview")
        # PDFs in a process of their own: WeasyPrint would hold this process's GIL
        # and slow the HTML of the next save down
        self._pdf = PdfWorkers(1, time_limit=300, nice=10)
        self._listeners: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[str]]] = set()

    # -- rendering ---------------------------------------------------------------

    def refresh(self) -> bool:
        """Load and render the HTML editions again; then, in the background, the PDFs
        and EPUBs. Returns whether it succeeded (else the error is shown and the last
        good editions kept). Blocking; one refresh at a time."""
        with self._lock:
            try:
                statement = load_statement(self.source)
                langs = self.langs or default_languages(statement)
                made = [make_edition(statement, lang) for lang in langs]
                links = []
                for e in made:
                    name = interface(e.lang).language_name(e.lang)
                    links.append(Alternate(e.lang, name.value, f"{statement.slug}.{e.lang}.html",
                                           name.lang))
                editions = {}
                for edition in made:
                    data = render_html(edition, alternates=[a for a in links
                                                            if a.lang != edition.lang])
                    encoded = data.encode("utf-8")
                    editions[edition.lang] = _Edition(edition.lang, encoded, edition.fallbacks,
                                                      check_html(encoded, edition.lang),
                                                      edition)
            except StatementpubError as exc:
                self.state.errors = exc.lines()
                self.state.generation += 1
                self.state.rendered_at = time.monotonic()
                ok = False
            else:
                generation = self.state.generation + 1
                self.state = _State(generation, statement, editions, [],
                                    [str(w) for w in statement.warnings], dict(self.state.slow),
                                    time.monotonic(), generation)
                ok = True
            generation = self.state.generation
        self._notify({"generation": generation, "ok": ok})
        if ok:
            self._slow.submit(self._render_slow, generation)
        return ok

    def _render_slow(self, generation: int) -> None:
        time.sleep(0.3)  # saves often come in bursts: make the files of the last one
        for fmt in ("pdf", "epub"):
            for lang, part in list(self.state.editions.items()):
                if self.state.good != generation:
                    return  # a newer good save: its own task makes its files
                result: bytes | list[str]
                try:
                    if fmt == "pdf":
                        result = self._pdf.submit(print_html(part.edition), resource_roots(
                            part.edition.statement)).result()
                    else:
                        result = render_format(part.edition, fmt)
                except WorkersClosed:
                    return  # the preview was closed meanwhile
                except StatementpubError as exc:
                    result = exc.lines()
                with self._lock:
                    if self.state.good == generation:
                        self.state.slow[(lang, fmt)] = (generation, result)
                self._notify({"generation": generation, "ok": True, "made": f"{lang}.{fmt}"})

    def slow_file(self, lang: str, fmt: str) -> tuple[int, bytes | list[str]] | None:
        return self.state.slow.get((lang, fmt))

    def close(self) -> None:
        """Stop the background renders (a PDF under way is abandoned)."""
        self._slow.shutdown(wait=False, cancel_futures=True)
        # for good: a background render still under way must not start a new worker
        self._pdf.restart(for_good=True)

    # -- what the page shows -------------------------------------------------------

    def status(self) -> dict[str, Any]:
        """The state as JSON-able data (``GET /status``)."""
        state = self.state
        return {
            "generation": state.generation, "source": str(self.source),
            "slug": state.statement.slug if state.statement else None,
            "errors": state.errors, "warnings": state.warnings,
            "editions": {lang: {"fallbacks": [f"line {f.line}: {f.role}: {f.reason}"
                                              for f in part.fallbacks],
                                "findings": part.findings,
                                "pdf": self._slow_state(lang, "pdf"),
                                "epub": self._slow_state(lang, "epub")}
                         for lang, part in state.editions.items()},
        }

    def _slow_state(self, lang: str, fmt: str) -> str:
        made = self.slow_file(lang, fmt)
        if made is None or made[0] != self.state.good:
            return "being made"
        return "ready" if isinstance(made[1], bytes) else "failed"

    def panel(self, lang: str | None) -> str:
        """The panel above the edition, as an HTML fragment."""
        state = self.state
        esc = html.escape
        slug = state.statement.slug if state.statement else ""
        parts = ['<nav aria-label="Editions"><ul>']
        for other in state.editions:
            current = ' aria-current="page"' if other == lang else ""
            parts.append(f'<li><a href="/{esc(other)}/"{current}>{esc(other)}</a></li>')
        parts.append("</ul></nav>")
        if state.errors:
            parts.append('<section class="errors" role="alert"><h2>The last save does not '
                         'build; showing the last good edition</h2><ul>')
            parts += [f"<li><code>{esc(line)}</code></li>" for line in state.errors]
            parts.append("</ul></section>")
        part = state.editions.get(lang or "")
        if part is not None:
            files = []
            for fmt in ("pdf", "epub"):
                condition = self._slow_state(part.lang, fmt)
                link = f'<a href="/edition/{esc(slug)}.{esc(part.lang)}.{fmt}">' \
                       f'{fmt.upper()}</a>'
                files.append(f"<li>{link}: {condition}</li>")
            parts.append(f'<section><h2>Files</h2><ul>{"".join(files)}</ul></section>')
            for title, lines in (("Shown in the source language",
                                  [f"line {f.line}: {f.role}: {f.reason}"
                                   for f in part.fallbacks]),
                                 ("Warnings", state.warnings),
                                 ("Check findings", part.findings)):
                items = "".join(f"<li>{esc(line)}</li>" for line in lines) or "<li>none</li>"
                parts.append(f"<section><h2>{esc(title)}</h2><ul>{items}</ul></section>")
        return "".join(parts)

    def page(self, lang: str | None) -> str:
        """The preview page of ``lang``: the panel, the edition in a frame, the script
        that listens for saves."""
        state = self.state
        slug = state.statement.slug if state.statement else ""
        if lang is None and state.editions:
            lang = next(iter(state.editions))
        frame = (f'<iframe id="edition" title="The {html.escape(lang)} edition" '
                 f'src="/edition/{html.escape(slug)}.{html.escape(lang)}.html"></iframe>'
                 if lang in state.editions else "<p>No edition yet.</p>")
        return _PAGE.format(title=html.escape(f"Preview: {self.source.name}"),
                            lang=json.dumps(lang or ""), panel=self.panel(lang), frame=frame)

    # -- server-sent events ----------------------------------------------------------

    def listen(self) -> asyncio.Queue[str]:
        queue: asyncio.Queue[str] = asyncio.Queue()
        self._listeners.add((asyncio.get_running_loop(), queue))
        return queue

    def unlisten(self, queue: asyncio.Queue[str]) -> None:
        self._listeners = {item for item in self._listeners if item[1] is not queue}

    def _notify(self, event: dict[str, Any]) -> None:
        message = json.dumps(event)
        for loop, queue in list(self._listeners):
            loop.call_soon_threadsafe(queue.put_nowait, message)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ margin: 0; font: 15px/1.4 system-ui, sans-serif; display: flex;
       flex-direction: column; height: 100vh; }}
#panel {{ padding: .5rem 1rem; background: #f3f3f0; color: #111;
         border-bottom: 1px solid #999; max-height: 40vh; overflow: auto; }}
#panel h2 {{ font-size: 1rem; margin: .5rem 0 .2rem; }}
#panel ul {{ margin: 0; padding-left: 1.2rem; }}
#panel nav ul {{ display: flex; gap: 1rem; list-style: none; padding: 0; }}
#panel .errors {{ background: #fde8e8; color: #5c0000; padding: .3rem .6rem; }}
iframe {{ flex: 1; border: 0; width: 100%; }}
</style>
</head>
<body>
<aside id="panel" aria-label="Preview">{panel}</aside>
{frame}
<script>
(function () {{
  const lang = {lang};
  const events = new EventSource("/events");
  events.onmessage = async function (message) {{
    const event = JSON.parse(message.data);
    const frame = document.getElementById("edition");
    if (frame && event.ok && !event.made) {{
      const y = frame.contentWindow ? frame.contentWindow.scrollY : 0;
      frame.addEventListener("load", function () {{
        frame.contentWindow.scrollTo(0, y);
      }}, {{once: true}});
      frame.contentWindow.location.reload();
    }}
    const answer = await fetch("/panel?lang=" + encodeURIComponent(lang));
    document.getElementById("panel").innerHTML = await answer.text();
  }};
}})();
</script>
</body>
</html>
"""


_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")


def _relevant(view: Preview, path: Path) -> bool:
    """Whether a change of ``path`` can change an edition: the source, a catalog, a
    signatories file, an image (those the last good statement uses, or any while
    there is none). Outputs built into the folder (``dist/``) and editor files are
    not."""
    name = path.name.lower()
    if name.startswith((".", "#")) or name.endswith(_IGNORED_SUFFIXES):
        return False
    try:
        resolved = path.resolve()
        if resolved == view.source.resolve():
            return True
    except OSError:
        return False
    if name.endswith((".po", ".csv")):
        return True
    statement = view.state.statement
    if statement is None or view.state.errors:  # a missing image may have been added
        return name.endswith(_IMAGE_SUFFIXES)
    used = {p.resolve() for p in statement.body.images.values()}
    if statement.publisher is not None and statement.publisher.logo is not None:
        used.add(statement.publisher.logo.path.resolve())
    return resolved in used


def create_app(view: Preview) -> Any:
    """The preview as an ASGI application (Starlette); watches the source's folder while
    it runs."""
    import anyio
    import watchfiles
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
    from starlette.routing import Route

    folder = view.source.resolve().parent

    async def watch(stop: asyncio.Event) -> None:
        async for changes in watchfiles.awatch(folder, stop_event=stop, debounce=50,
                                               step=20, recursive=True):
            if any(_relevant(view, Path(path)) for _, path in changes):
                await anyio.to_thread.run_sync(view.refresh)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(view.refresh)
        stop = asyncio.Event()
        task = asyncio.create_task(watch(stop))
        try:
            yield
        finally:
            stop.set()
            await task
            view.close()

    async def page(request: Request) -> Response:
        lang = request.path_params.get("lang")
        if lang is not None and lang not in view.state.editions:
            return HTMLResponse(f"<p>No {html.escape(lang)} edition.</p>", status_code=404)
        return HTMLResponse(view.page(lang), headers={"Cache-Control": "no-store"})

    async def panel(request: Request) -> Response:
        return HTMLResponse(view.panel(request.query_params.get("lang")),
                            headers={"Cache-Control": "no-store"})

    async def status(request: Request) -> Response:
        return JSONResponse(view.status())

    async def edition(request: Request) -> Response:
        name = request.path_params["name"]
        state = view.state
        stem, _, fmt = name.rpartition(".")
        slug, _, lang = stem.rpartition(".")
        if state.statement is None or slug != state.statement.slug or \
                lang not in state.editions or fmt not in _MEDIA:
            return Response("no such edition", status_code=404, media_type="text/plain")
        headers = {"Cache-Control": "no-store", "Content-Language": lang}
        if fmt == "html":
            return Response(state.editions[lang].html, media_type=_MEDIA[fmt], headers=headers)
        deadline = time.monotonic() + 60
        while True:
            made = view.slow_file(lang, fmt)
            current = made is not None and made[0] == view.state.good
            if current or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.1)
        if made is None:
            return Response(f"the {fmt.upper()} is being made", status_code=503,
                            headers={"Retry-After": "2"}, media_type="text/plain")
        if isinstance(made[1], list):
            return Response("\n".join(made[1]), status_code=500, media_type="text/plain")
        return Response(made[1], media_type=_MEDIA[fmt], headers=headers)

    async def events(request: Request) -> Response:
        queue = view.listen()

        async def stream() -> AsyncIterator[str]:
            try:
                yield f"retry: 1000\ndata: {json.dumps({'generation': view.state.generation, 'hello': True})}\n\n"  # noqa: E501
                while True:
                    try:
                        message = await asyncio.wait_for(queue.get(), timeout=15)
                    except TimeoutError:
                        yield ": keep-alive\n\n"
                        continue
                    yield f"data: {message}\n\n"
            finally:
                view.unlisten(queue)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store"})

    return Starlette(routes=[Route("/", page), Route("/{lang}/", page),
                             Route("/panel", panel), Route("/status", status),
                             Route("/events", events),
                             Route("/edition/{name}", edition)],
                     lifespan=lifespan)


def preview(source: Path, *, port: int = 8001, langs: Sequence[str] | None = None,
            stream: TextIO | None = None) -> int:
    """Serve the preview of ``source`` on ``127.0.0.1:port`` until interrupted.

    :returns: the exit status (0; 1 when the source does not exist).
    :raises LanguageTagError: one of ``langs`` is not a BCP 47 tag.
    """
    import uvicorn

    out = stream if stream is not None else sys.stderr
    if not Path(source).is_file():
        print(f"{source}: error: no such statement file", file=out)
        return 1
    view = Preview(Path(source), langs)
    print(f"previewing {source} on http://127.0.0.1:{port}/ (Ctrl-C to stop)", file=out)
    uvicorn.run(create_app(view), host="127.0.0.1", port=port, log_level="warning",
                timeout_graceful_shutdown=1)
    return 0
