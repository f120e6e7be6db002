"""A PDF rendered under a time limit, in a process of its own.

WeasyPrint cannot be interrupted inside a thread, and one process renders
one PDF at a time (:mod:`statementpub.render.pdf` holds a lock around the
font configuration). A render with a ``timeout`` therefore runs in a child
process, started from a fork server where there is one (safe in a
multi-threaded caller such as a web service) and else spawned: the caller
waits at most ``timeout`` seconds for the bytes, then stops the child
(SIGTERM, then SIGKILL a second later) and raises
:class:`~statementpub.errors.RenderTimeoutError`.

The child writes its temporary files (WeasyPrint's fonts folder) into a
folder that the caller made for it and removes afterwards, whatever became
of the child. Nothing in the calling process changes: no signal handler, no
environment variable, no module state.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..errors import PdfRenderError, RenderTimeoutError, StatementpubError

__all__ = ["pdf_within"]

#: How long a stopped child may take to exit after SIGTERM before SIGKILL (seconds).
_GRACE = 1.0


def _context() -> Any:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _child(sender: Any, html: str, roots: list[str], scratch: str) -> None:
    """In the child: the PDF of ``html``, sent as ``("ok", bytes)`` or ``("error", message)``."""
    import signal

    # The child is this render's own process: its state is its own to set.
    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tempfile.tempdir = scratch
    try:
        from .formats import pdf_bytes

        result: tuple[str, Any] = ("ok", pdf_bytes(html, [Path(root) for root in roots]))
    except StatementpubError as exc:
        result = ("error", str(exc))
    except Exception as exc:  # anything else is a failure of the engine
        result = ("error", f"WeasyPrint could not render the PDF: {type(exc).__name__}: {exc}")
    try:
        sender.send(result)
    finally:
        sender.close()


def pdf_within(html: str, roots: list[Path], timeout: float) -> bytes:
    """PDF/UA-1 bytes of print HTML, or an error if they take more than ``timeout`` seconds.

    :param html: print-flavour HTML (:func:`statementpub.render.formats.print_html`).
    :param roots: the folders the renderer may read files from.
    :param timeout: the time limit, in seconds (> 0), counted from the start of
        the child process (its start-up, about a second, included).
    :raises RenderTimeoutError: the PDF was not ready in time; the child was stopped.
    :raises PdfRenderError: WeasyPrint failed, or the child process died.
    """
    context = _context()
    scratch = tempfile.mkdtemp(prefix="statementpub-pdf-")
    try:
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_child, daemon=True, name="statementpub-pdf",
                                  args=(sender, html, [str(root) for root in roots], scratch))
        process.start()
        sender.close()
        answered = False
        try:
            if not receiver.poll(timeout):
                raise RenderTimeoutError(f"the PDF took longer than {timeout:g} s: the "
                                         "renderer was stopped")
            try:
                kind, payload = receiver.recv()
            except EOFError:
                process.join(_GRACE)
                raise PdfRenderError("the PDF renderer's process ended without a result "
                                     f"(exit code {process.exitcode})") from None
            answered = True
        finally:
            receiver.close()
            if answered:
                process.join(_GRACE)  # it exits once it has sent its answer
            if process.is_alive():
                process.terminate()
                process.join(_GRACE)
            if process.is_alive():
                process.kill()
            process.join()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if kind != "ok":
        raise PdfRenderError(str(payload))
    assert isinstance(payload, bytes)
    return payload
