"""The PDF worker processes of a build.

The pool starts before the build reads its statements; where it is safe
(``fork`` and a single thread), the workers are forked, else they come from a
fork server. Each worker imports WeasyPrint, loads the fonts and parses the
print stylesheets once, while the build's process plans and renders the HTML
(which needs none of them), and keeps one image cache for all its documents.

A build of a few PDFs has one worker (a second would cost its own WeasyPrint import,
more than a short statement's PDF); it gets them as one batch (:func:`pdf_batch`) and,
once WeasyPrint and the stylesheets are ready, forks for the other cores: the forked
processes share what it has loaded, and the PDFs are the bytes it would make itself.

Signals: only the workers' own handlers are set, in the workers, never in the
calling process. A worker ignores SIGINT (Ctrl-C is the build's to handle: it
stops the workers with SIGTERM). On SIGTERM a worker removes its fonts folder
and exits at once (``os._exit``: the pool's machinery, which would catch a
``SystemExit`` raised inside a task and go on, is not involved).

Workers die with the build: on Linux each asks the kernel for SIGTERM when its
parent dies (``prctl(PR_SET_PDEATHSIG)``), so a build stopped by SIGKILL, or
by SIGTERM before it could stop its pool, leaves no worker behind (workers
forked from a fork server die when the fork server does, which exits when the
build does). Elsewhere a thread of the worker watches for the parent's end.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from ..processes import ask_for_parent_death_signal

__all__ = ["batch_groups", "pdf_batch", "pdf_task", "pool", "stop_workers"]

#: In a worker process only: the image cache of its documents.
_worker_cache: dict[str, Any] | None = None
#: In a worker process only: the fonts folder it inherited from its parent (not its own
#: to remove), once known.
_inherited_folder: Path | None = None
_initialised = False


def _die_with_parent(parent: int) -> None:
    """Ask for SIGTERM when the parent process dies (Linux), or watch for it (elsewhere);
    exit now if the parent is already gone."""
    armed = ask_for_parent_death_signal(signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the request was made
        _exit_on_signal(signal.SIGTERM, None)
    if not armed:
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os.kill(os.getpid(), signal.SIGTERM)

        threading.Thread(target=watch, name="statementpub-parent-watch", daemon=True).start()


def _init_worker(parent: int | None) -> None:
    """A PDF worker: die with ``parent`` (the build's process; ``None``: the process that
    started this one), parse the stylesheets (its parent imported WeasyPrint), and remove
    the fonts folder that this makes when the worker exits."""
    global _worker_cache, _inherited_folder, _initialised
    from multiprocessing.util import Finalize

    from ..render.pdf import font_folder, made_font_folder, prepare

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    # a parent that made PDFs itself has a fonts folder, which is not this worker's
    _inherited_folder = made_font_folder()
    _initialised = True
    _die_with_parent(parent if parent is not None else os.getppid())

    prepare()
    _worker_cache = {}
    folder = font_folder()
    if folder is not None and folder != _inherited_folder:
        Finalize(None, shutil.rmtree, args=(folder, True), exitpriority=10)


def _exit_on_signal(signum: int, frame: Any) -> None:
    """SIGTERM in a worker: remove the fonts folder it made, if it made one yet (it may
    be stopped while parsing the stylesheets, which makes it), and exit now."""
    if _initialised:
        # Nothing may be imported here: the signal may come while the worker is importing
        # WeasyPrint, whose import lock a new import would wait for, for ever.
        pdf = sys.modules.get("statementpub.render.pdf")
        folder = pdf.made_font_folder() if pdf is not None else None
        if folder is not None and folder != _inherited_folder:
            shutil.rmtree(folder, ignore_errors=True)
    os._exit(128 + signum)


def stop_workers(executor: Any) -> None:
    """Stop the workers of ``executor`` now, in the middle of their work."""
    for process in list(getattr(executor, "_processes", {}).values()):
        if process.is_alive():
            process.terminate()


def pdf_task(html: str, roots: list[Path]) -> bytes:
    """In a worker: the PDF of print HTML. :raises PdfRenderError:"""
    # not through render.formats, which imports the HTML renderer: a worker needs only
    # WeasyPrint and the PDF renderer
    from ..errors import PdfRenderError, wrap_failure
    from ..render.pdf import html_to_pdf

    return wrap_failure(PdfRenderError, "WeasyPrint could not render the PDF",
                        lambda: html_to_pdf(html, resource_roots=list(roots),
                                            cache=_worker_cache))


def batch_groups(sizes: list[int], processes: int) -> list[list[int]]:
    """The indexes of ``sizes`` in at most ``processes`` groups of about equal total size,
    each group's indexes in their order (the longest first to the least loaded group)."""
    groups: list[list[int]] = [[] for _ in range(max(1, min(processes, len(sizes))))]
    loads = [0] * len(groups)
    for index in sorted(range(len(sizes)), key=lambda i: -sizes[i]):
        least = loads.index(min(loads))
        groups[least].append(index)
        loads[least] += sizes[index]
    return [sorted(group) for group in groups if group]


def _results_of(items: list[tuple[str, list[Path]]]) -> list[bytes | BaseException]:
    results: list[bytes | BaseException] = []
    for html, roots in items:
        try:
            results.append(pdf_task(html, roots))
        except Exception as exc:  # noqa: BLE001 - each PDF fails on its own
            results.append(exc)
    return results


def _picklable(results: list[bytes | BaseException]) -> list[bytes | BaseException]:
    import pickle

    from ..errors import PdfRenderError

    kept: list[bytes | BaseException] = []
    for result in results:
        if isinstance(result, BaseException):
            try:
                pickle.dumps(result)
            except Exception:  # noqa: BLE001 - an engine's exception that cannot travel
                result = PdfRenderError(f"WeasyPrint could not render the PDF: {result}")
        kept.append(result)
    return kept


def _fork_group(items: list[tuple[str, list[Path]]]) -> tuple[int, int]:
    """Fork a process that makes the PDFs of ``items`` and writes their pickled results
    to a pipe; its pid and the pipe's reading end."""
    global _inherited_folder
    import pickle

    from ..render.pdf import made_font_folder

    read, write = os.pipe()
    worker = os.getpid()
    pid = os.fork()
    if pid == 0:  # the forked process: never returns
        status = 1
        try:
            os.close(read)
            # the fonts folder is the worker's, which goes on using it
            _inherited_folder = made_font_folder()
            ask_for_parent_death_signal(signal.SIGTERM)
            if os.getppid() != worker:
                os._exit(128 + signal.SIGTERM)
            data = pickle.dumps(_picklable(_results_of(items)))
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _collect(pid: int, read: int, count: int) -> list[bytes | BaseException]:
    """The results a forked process wrote, or one error per PDF if it died first."""
    import pickle

    from ..errors import PdfRenderError

    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) == 0:
        results: list[bytes | BaseException] = pickle.loads(data)  # noqa: S301 - our child
        if len(results) == count:
            return results
    error = PdfRenderError("WeasyPrint could not render the PDF: its process stopped "
                           f"(exit status {os.waitstatus_to_exitcode(status)})")
    return [error] * count


def pdf_batch(items: list[tuple[str, list[Path]]], processes: int) -> list[bytes | BaseException]:
    """In a worker: the PDFs of ``items`` (print HTML and resource roots, as for
    :func:`pdf_task`), each a PDF's bytes or the exception it failed with, in their order.

    The worker splits them into up to ``processes`` groups of about equal size, forks a
    process for each group but the first (on Linux, in a single-threaded worker: the
    forked processes share WeasyPrint, the fonts and the parsed stylesheets that the
    worker has ready, which cost more than a short statement's PDF) and makes the first
    group itself. A forked process dies with the worker (``PR_SET_PDEATHSIG``)."""
    groups = batch_groups([len(html) for html, _ in items], processes)
    if len(groups) == 1 or not sys.platform.startswith("linux") \
            or threading.active_count() > 1:
        return _results_of(items)
    results: dict[int, bytes | BaseException] = {}
    forked = [(group, *_fork_group([items[i] for i in group])) for group in groups[1:]]
    results.update(zip(groups[0], _results_of([items[i] for i in groups[0]]), strict=True))
    for group, pid, read in forked:
        results.update(zip(group, _collect(pid, read, len(group)), strict=True))
    return [results[index] for index in range(len(items))]


def pool(workers: int, cores: int | None = None) -> Any:
    """A process pool of ``workers`` PDF workers (its ``size``) that may use ``cores``
    processes in all (its ``cores``; default ``workers``): what :func:`pdf_batch` may
    fork up to."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    # fork is safe in a single-threaded process (WeasyPrint starts no thread), and is
    # quick: the workers inherit the modules imported so far.
    context: Any
    if "fork" in methods and threading.active_count() == 1:
        context = multiprocessing.get_context("fork")
    else:
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods
                                              else "spawn")
    # the parent of a forked worker is this process; of one from a fork server, the
    # fork server (which exits when this process does)
    parent = os.getpid() if context.get_start_method() == "fork" else None

    class PdfPool(ProcessPoolExecutor):
        #: how many workers the pool has, and how many processes they may use in all
        size, processes = workers, max(workers, cores or workers)

    return PdfPool(max_workers=workers, mp_context=context, initializer=_init_worker,
                   initargs=(parent,))
