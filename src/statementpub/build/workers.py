"""The PDF worker processes of a build.

WeasyPrint is imported and the fonts loaded in the build's process before the
pool starts; where it is safe (``fork`` and a single thread), the workers are
forked and inherit both, else they come from a fork server. Each worker parses
the print stylesheets once and keeps one image cache for all its documents.

Signals: only the workers' own handlers are set, in the workers, never in the
calling process. A worker ignores SIGINT (Ctrl-C is the build's to handle: it
stops the workers with SIGTERM), and turns SIGTERM into ``SystemExit`` so that
its finalizers (removing its fonts folder) run.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from ..render.formats import pdf_bytes

__all__ = ["cores", "pdf_task", "pool", "stop_workers"]

#: In a worker process only: the image cache of its documents.
_worker_cache: dict[str, Any] | None = None


def _init_worker() -> None:
    """A PDF worker: parse the stylesheets (its parent imported WeasyPrint), and remove
    the fonts folder that this makes when the worker exits."""
    global _worker_cache
    import shutil
    import signal
    from multiprocessing.util import Finalize

    from ..render.pdf import font_folder, prepare

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_on_signal)

    inherited = font_folder()
    prepare()
    _worker_cache = {}
    folder = font_folder()
    if folder is not None and folder != inherited:
        Finalize(None, shutil.rmtree, args=(folder, True), exitpriority=10)


def _exit_on_signal(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def stop_workers(executor: Any) -> None:
    """Stop the workers of ``executor`` now, in the middle of their work."""
    for process in list(getattr(executor, "_processes", {}).values()):
        if process.is_alive():
            process.terminate()


def pdf_task(html: str, roots: list[Path]) -> bytes:
    """In a worker: the PDF of print HTML. :raises PdfRenderError:"""
    return pdf_bytes(html, roots, cache=_worker_cache)


def pool(workers: int) -> Any:
    """A process pool of ``workers`` PDF workers."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    # fork is safe in a single-threaded process (WeasyPrint starts no thread), and the
    # workers then inherit the imported WeasyPrint, the parsed stylesheets and fonts.
    context: Any
    if "fork" in methods and threading.active_count() == 1:
        context = multiprocessing.get_context("fork")
    else:
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods
                                              else "spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_init_worker)


def cores() -> int:
    """The cores this process may run on (the default of ``jobs``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1
