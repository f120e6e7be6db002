"""The render service (``statementpub serve``, extra ``statementpub[serve]``).

A stateless ASGI application (Starlette, served by uvicorn) that renders one
edition per request, for tools not written in Python or that cannot pay the
start-up of a command per render. Where each part is:

* :mod:`.problems` -- errors as ``application/problem+json`` (RFC 9457);
* :mod:`.requests` -- a request body checked and turned into a statement, its
  catalog and its images (in a temporary folder of the request's own), then
  into bytes, exactly as :func:`statementpub.render_html` and friends make them;
* :mod:`.pdf_workers` -- the worker processes the PDFs are made in, with a
  time limit per render;
* :mod:`.app` -- the routes (``POST /v1/render``, ``GET /v1/health``,
  ``GET /v1/schema``), the body and queue limits, and :func:`serve`.

Starlette and uvicorn are imported by :mod:`.app` only, so that the rest of
the package never needs them.
"""

from __future__ import annotations

from .settings import ServiceSettings

__all__ = ["ServiceSettings"]
