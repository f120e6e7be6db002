"""The commands for tools and live editing: ``schema``, ``serve`` and ``preview``.

``serve`` and ``preview`` need the extra ``statementpub[serve]`` (Starlette,
uvicorn, watchfiles), imported only when they run; without it they say what
to install and exit 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

__all__ = ["add_commands", "run_command"]

COMMANDS = ("schema", "serve", "preview")


def add_commands(sub: Any) -> None:
    """Add ``schema``, ``serve`` and ``preview`` to the subparsers ``sub``."""
    from ..service.settings import ServiceSettings

    defaults = ServiceSettings()
    p = sub.add_parser("schema", help="print the JSON Schema (draft 2020-12) of the front "
                                      "matter")
    p.add_argument("--request", action="store_true",
                   help="print the schema of a render service request instead")

    p = sub.add_parser("serve", help="run the render service (HTTP, JSON in, editions out)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on "
                                                       "(default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--max-body", type=int, default=defaults.max_body, metavar="BYTES",
                   help=f"largest request body (default: {defaults.max_body}, 5 MiB)")
    p.add_argument("--max-pending", type=int, default=defaults.max_pending, metavar="N",
                   help="renders under way at once; more get 503 "
                        f"(default: {defaults.max_pending})")
    p.add_argument("--pdf-workers", type=int, default=defaults.pdf_workers, metavar="N",
                   help=f"worker processes for PDFs (default: {defaults.pdf_workers})")
    p.add_argument("--time-limit", type=float, default=defaults.time_limit, metavar="SECONDS",
                   help=f"time a render may take (default: {defaults.time_limit:g})")

    p = sub.add_parser("preview", help="serve every edition of a statement and re-render "
                                       "it on every save")
    p.add_argument("source", metavar="SOURCE", type=Path, help="statement file (statement.md)")
    p.add_argument("--port", type=int, default=8001, help="port (default: 8001)")
    p.add_argument("--lang", action="append", dest="langs", metavar="TAG",
                   help="language to preview (repeatable); default: as for build")


def _missing_extra(stream: TextIO) -> bool:
    """Whether a module of the extra ``serve`` is missing (then say so on ``stream``)."""
    from importlib.util import find_spec

    missing = [name for name in ("starlette", "uvicorn", "anyio", "watchfiles")
               if find_spec(name) is None]
    if missing:
        print(f"error: {', '.join(missing)} not installed: pip install 'statementpub[serve]'",
              file=stream)
    return bool(missing)


def run_command(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Run ``schema``, ``serve`` or ``preview``; the exit status."""
    if args.command == "schema":
        import json

        from ..schema import request_schema, statement_schema_json

        if args.request:
            stdout.write(json.dumps(request_schema(), ensure_ascii=False, indent=2) + "\n")
        else:
            stdout.write(statement_schema_json())
        return 0
    if args.command == "serve":
        from ..service.settings import ServiceSettings

        settings = ServiceSettings(max_body=args.max_body, max_pending=args.max_pending,
                                   pdf_workers=args.pdf_workers, time_limit=args.time_limit)
        if _missing_extra(stderr):
            return 1
        from ..service.app import serve

        serve(args.host, args.port, settings)
        return 0
    if _missing_extra(stderr):
        return 1
    from ..preview import preview

    return preview(args.source, port=args.port, langs=args.langs, stream=stderr)
