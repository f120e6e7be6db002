"""The worker processes the render service makes its PDFs in.

A PDF takes WeasyPrint tenths of a second to seconds of one core; in worker
processes it holds up neither the HTML requests nor the server's event loop.
The workers are started by a fork server (or spawned), never forked from the
server, which runs threads; each imports WeasyPrint and parses the print
stylesheets once, and is replaced after :data:`TASKS_PER_WORKER` renders, so
that memory does not creep up over a long run.

Each worker asks for SIGTERM when its parent (the fork server, which exits
when the server does) dies (:func:`~statementpub.processes.ask_for_parent_death_signal`),
so a server killed with SIGKILL leaves no worker behind.

The workers run at a lower scheduling priority than the server (``nice``), so
that HTML answers stay fast on a busy machine while PDFs are made.

Time limit: a worker sets an interval timer (``SIGALRM``, its own handler, in
its own process) around each render, so a render that takes too long stops
with :class:`RenderTimeout` and the worker goes on with the next. Should a
render not return even then (stuck inside a C library), the pool is stopped
and started again (:meth:`PdfWorkers.restart`).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from ..errors import RenderError
from ..processes import ask_for_parent_death_signal
from ..render.formats import pdf_bytes

__all__ = ["TASKS_PER_WORKER", "PdfWorkers", "RenderTimeout", "WorkersClosed"]

#: Renders a worker makes before it is replaced by a fresh process.
TASKS_PER_WORKER = 200

#: In a worker process only: the image cache of its documents.
_cache: dict[str, Any] | None = None


class RenderTimeout(RenderError):
    """A render took longer than the service's time limit."""


class WorkersClosed(RenderError):
    """A PDF was asked of workers that were closed (:meth:`PdfWorkers.close`)."""


class _Alarm(BaseException):
    """Raised in a worker by its timer (a BaseException: no ``except Exception`` of a
    library swallows it)."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise _Alarm()


def _init_worker(nice: int) -> None:
    global _cache
    from ..render.pdf import prepare

    if nice:
        try:
            os.nice(nice)  # this worker process only: the server's HTML comes first
        except OSError:
            pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    # die with the fork server, which exits with the server (as a build's workers do)
    ask_for_parent_death_signal(signal.SIGTERM)
    signal.signal(signal.SIGALRM, _on_alarm)
    prepare()
    _cache = {}


def _render(html: str, roots: list[Path], time_limit: float) -> bytes:
    """In a worker: the PDF of print HTML, within ``time_limit`` seconds.

    :raises PdfRenderError: WeasyPrint failed. :raises RenderTimeout: too long.
    """
    signal.setitimer(signal.ITIMER_REAL, time_limit)
    try:
        return pdf_bytes(html, roots, cache=_cache)
    except _Alarm:
        raise RenderTimeout(f"the PDF took longer than {time_limit:g} s to render") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class PdfWorkers:
    """A pool of ``workers`` PDF worker processes, started on first use.

    :param time_limit: seconds a render may take.
    :param nice: added to the workers' scheduling niceness (``os.nice``), so that on a
        busy machine the server's own work (HTML, the event loop) comes first.
    """

    def __init__(self, workers: int, time_limit: float, *, nice: int = 5) -> None:
        self.workers = workers
        self.time_limit = time_limit
        self.nice = nice
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                # a closed pool starts no process again, even for a caller that was
                # already on its way (a background render finishing after a close)
                raise WorkersClosed("the PDF workers were closed")
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=_context(),
                    initializer=_init_worker, initargs=(self.nice,),
                    max_tasks_per_child=TASKS_PER_WORKER)
            return self._pool

    def start(self) -> None:
        """Start the workers now (each imports WeasyPrint), not at the first PDF."""
        pool = self._executor()
        for future in [pool.submit(int) for _ in range(self.workers)]:
            future.result()

    def submit(self, html: str, roots: list[Path]) -> Future[bytes]:
        """Render print HTML in a worker. The future raises :class:`PdfRenderError`
        or :class:`RenderTimeout`."""
        return self._executor().submit(_render, html, roots, self.time_limit)

    def restart(self, *, for_good: bool = False) -> None:
        """Stop every worker now (a render that does not return) and start afresh at
        the next :meth:`submit`; with ``for_good``, never again (:class:`WorkersClosed`)."""
        with self._lock:
            pool, self._pool = self._pool, None
            self._closed = self._closed or for_good
        if pool is not None:
            for process in list(getattr(pool, "_processes", {}).values()):
                if process.is_alive():
                    process.kill()
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers, letting the renders under way finish; later calls of
        :meth:`submit` raise :class:`WorkersClosed`."""
        with self._lock:
            pool, self._pool = self._pool, None
            self._closed = True
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def pids(self) -> list[int]:
        """The process ids of the live workers (for a benchmark's memory figures)."""
        pool = self._pool
        return [p.pid for p in getattr(pool, "_processes", {}).values()
                if p.pid is not None] if pool else []
