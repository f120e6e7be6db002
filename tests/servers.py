"""Start a real server of the command line (``statementpub serve`` or ``preview``)
on a free loopback port, for the tests of the render service and the preview."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

SRC = Path(__file__).resolve().parent.parent / "src"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running(argv: Sequence[str], ready_path: str, *, timeout: float = 90) -> Iterator[str]:
    """Run ``python -m statementpub ARGV --port P`` until the block ends; yields the base
    URL once ``GET ready_path`` answers 200. The process is stopped with SIGTERM (then
    SIGKILL) and its output shown if it failed to start."""
    pytest.importorskip("uvicorn")
    port = free_port()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    log = tempfile.TemporaryFile()  # not a pipe: a full pipe would stop the server
    process = subprocess.Popen([sys.executable, "-m", "statementpub", *argv, "--port",
                                str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                log.seek(0)
                output = log.read().decode(errors="replace")
                raise AssertionError(f"the server exited with {process.returncode}:\n{output}")
            try:
                if httpx.get(base + ready_path, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"the server did not answer {ready_path} in {timeout} s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
