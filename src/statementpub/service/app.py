"""The render service's ASGI application (Starlette) and :func:`serve` (uvicorn).

Routes:

* ``POST /v1/render`` -- one edition (:mod:`.requests`): 200 with its bytes,
  ``Content-Type``, ``Content-Language``, ``Content-Disposition`` and the
  headers ``Statementpub-Fallbacks`` and ``Statementpub-Warnings`` (counts);
  with ``Accept: application/json``, the JSON report with the file as base64.
  400 malformed JSON, 413 a body over ``max_body``, 415 not
  ``application/json``, 422 a statement, catalog, language or request error
  or a render over the time limit, 503 with ``Retry-After`` when
  ``max_pending`` renders are under way. Every error is problem+json
  (:mod:`.problems`); bad input never gives a 5xx.
* ``GET /v1/health`` -- 200, ``{"status": "ok", "version": ...}``.
* ``GET /v1/schema`` -- the JSON Schema of the request body.

The application keeps no state between requests but its counters and the PDF
workers, so it scales by running more of it behind a load balancer. HTML and
EPUB are made in threads of the server's process, PDFs in worker processes
(:mod:`.pdf_workers`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .. import __version__
from ..schema import request_schema
from .pdf_workers import PdfWorkers, RenderTimeout
from .problems import MEDIA_TYPE, Problem
from .requests import MEDIA_TYPES, Rendered, parse_request, render_request
from .settings import ServiceSettings

__all__ = ["create_app", "serve"]

#: Seconds past the time limit after which a PDF worker that has not answered is
#: taken to be stuck (its pool is restarted).
_GRACE = 5.0


def _problem_response(problem: Problem) -> Response:
    return Response(json.dumps(problem.body(), ensure_ascii=False).encode("utf-8"),
                    status_code=problem.status, media_type=MEDIA_TYPE,
                    headers=problem.headers)


class _State:
    """The service's counters and workers (nothing about any request)."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings
        self.pending = 0
        self.workers = PdfWorkers(settings.pdf_workers, settings.time_limit)
        self.threads = anyio.CapacityLimiter(settings.max_pending)

    def pdf(self, html: str, roots: list[Path]) -> bytes:
        """In a request's thread: the PDF, made in a worker process."""
        future = self.workers.submit(html, roots)
        try:
            return future.result(timeout=self.settings.time_limit + _GRACE)
        except FutureTimeout:
            self.workers.restart()
            raise RenderTimeout(f"the PDF took longer than {self.settings.time_limit:g} s "
                                "to render") from None


async def _read_body(request: Request, limit: int) -> bytes:
    too_large = Problem(413, "body-too-large", "Request body too large",
                        f"the body is larger than {limit} bytes")
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _json_type(content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    return media == "application/json" or (media.startswith("application/")
                                           and media.endswith("+json"))


def _answer(rendered: Rendered, accept: str) -> Response:
    headers = {"Content-Language": rendered.lang,
               "Statementpub-Fallbacks": str(len(rendered.fallbacks)),
               "Statementpub-Warnings": str(len(rendered.warnings)),
               "Vary": "Accept"}
    if "application/json" in accept.lower():
        return JSONResponse(rendered.report(), headers=headers)
    headers["Content-Disposition"] = f'inline; filename="{rendered.filename}"'
    return Response(rendered.data, media_type=MEDIA_TYPES[rendered.format], headers=headers)


def create_app(settings: ServiceSettings | None = None) -> Starlette:
    """The render service as an ASGI application.

    :param settings: its limits; the defaults of :class:`ServiceSettings` if ``None``.
    """
    state = _State(settings or ServiceSettings())
    limits = state.settings

    async def render(request: Request) -> Response:
        try:
            if not _json_type(request.headers.get("content-type", "")):
                raise Problem(415, "unsupported-media-type", "Unsupported Media Type",
                              "send the request as Content-Type: application/json")
            raw = await _read_body(request, limits.max_body)
            try:
                document = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as exc:
                raise Problem(400, "malformed-json", "Malformed JSON",
                              f"the body is not UTF-8 JSON: {exc}") from None
            parsed = parse_request(document)
            if state.pending >= limits.max_pending:
                raise Problem(503, "busy", "Service Unavailable",
                              f"{state.pending} renders are under way; try again shortly",
                              headers={"Retry-After": str(limits.retry_after)})
            state.pending += 1
            try:
                rendered = await asyncio.wait_for(
                    anyio.to_thread.run_sync(render_request, parsed, state.pdf,
                                             limiter=state.threads, abandon_on_cancel=True),
                    timeout=limits.time_limit + 2 * _GRACE)
            except TimeoutError:
                raise Problem(422, "render-timeout", "The edition took too long to render",
                              f"the render took longer than {limits.time_limit:g} s") \
                    from None
            finally:
                state.pending -= 1
            return _answer(rendered, request.headers.get("accept", ""))
        except Problem as problem:
            return _problem_response(problem)

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "version": __version__,
                             "pending": state.pending})

    schema_text = json.dumps(request_schema(max_body=limits.max_body), ensure_ascii=False,
                             indent=2)

    async def schema(request: Request) -> Response:
        return Response(schema_text, media_type="application/schema+json")

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return _problem_response(Problem(exc.status_code, "http", _phrase(exc.status_code),
                                         str(exc.detail),
                                         headers=dict(exc.headers or {})))

    async def server_error(request: Request, exc: Exception) -> Response:
        return _problem_response(Problem(500, "internal", "Internal Server Error",
                                         f"{type(exc).__name__}: {exc}"))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(state.workers.start)
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(state.workers.close)

    app = Starlette(
        routes=[Route("/v1/render", render, methods=["POST"]),
                Route("/v1/health", health, methods=["GET"]),
                Route("/v1/schema", schema, methods=["GET"])],
        exception_handlers={HTTPException: http_error, Exception: server_error},
        lifespan=lifespan)
    app.state.service = state
    return app


def _phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def serve(host: str = "127.0.0.1", port: int = 8000,
          settings: ServiceSettings | None = None, **uvicorn_options: Any) -> None:
    """Run the render service with uvicorn until interrupted (``statementpub serve``)."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, **uvicorn_options)
