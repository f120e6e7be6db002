"""A build's single PDF worker forks for the other cores once WeasyPrint is ready
(``statementpub.build.workers.pdf_batch``): the same bytes, a failure kept to its PDFs,
no process left behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from statementpub.build.workers import batch_groups

from .test_build import statement

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the worker forks only on Linux")


def test_batch_groups_balance_the_sizes_longest_first() -> None:
    assert batch_groups([10, 3, 8, 1], 2) == [[0, 3], [1, 2]]
    assert batch_groups([5, 5, 5], 2) == [[0, 2], [1]]
    assert batch_groups([7, 2], 4) == [[0], [1]]  # never more groups than PDFs
    assert batch_groups([7, 2, 1], 1) == [[0, 1, 2]]
    assert batch_groups([], 2) == []


#: In a new, single-threaded process (as a build's worker is): the PDFs of the statement's
#: two editions by pdf_batch and, one by one, by pdf_task; how many times it forked.
_SCRIPT = """
import json, os, sys
from statementpub import load_statement, make_edition
from statementpub.build import workers
from statementpub.render.formats import print_html, resource_roots
from statementpub.render.pdf import prepare

statement = load_statement(sys.argv[1])
items = [(print_html(make_edition(statement, lang)), resource_roots(statement))
         for lang in ("en", "es")]
prepare()
forks = []
fork = os.fork
def counted():
    pid = fork()
    if pid:
        forks.append(pid)
    return pid
os.fork = counted
mode = sys.argv[2]
me = os.getpid()
if mode == "dies":
    make = workers._results_of
    def dying(group):
        if os.getpid() != me:
            os._exit(7)
        return make(group)
    workers._results_of = dying
if mode == "hangs":
    make = workers._results_of
    def hanging(group):
        if os.getpid() != me:
            print(json.dumps({"forked": os.getpid()}), flush=True)
            import time
            time.sleep(120)
        return make(group)
    workers._results_of = hanging
batch = workers.pdf_batch(items, 2)
alone = [workers.pdf_task(*item) for item in items]
print(json.dumps({
    "forks": len(forks),
    "batch": [r.hex() if isinstance(r, bytes) else f"{type(r).__name__}: {r}" for r in batch],
    "alone": [r.hex() for r in alone]}))
"""


def _run(source: Path, mode: str) -> dict[str, object]:
    result = subprocess.run([sys.executable, "-c", _SCRIPT, str(source), mode],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_a_batch_is_made_by_two_processes_with_the_bytes_of_one(tmp_path: Path) -> None:
    data = _run(statement(tmp_path / "water", signatories=40), "plain")
    assert data["forks"] == 1
    batch = data["batch"]
    assert isinstance(batch, list) and len(batch) == 2
    assert batch == data["alone"]
    assert all(bytes.fromhex(pdf).startswith(b"%PDF-") for pdf in batch)


def test_a_forked_process_that_dies_fails_only_its_own_pdfs(tmp_path: Path) -> None:
    data = _run(statement(tmp_path / "water", signatories=40), "dies")
    batch, alone = data["batch"], data["alone"]
    assert isinstance(batch, list) and isinstance(alone, list)
    # one PDF is the worker's own; the forked process of the other died with status 7
    failed = [pdf for pdf in batch if pdf not in alone]
    assert failed == [("PdfRenderError: error: WeasyPrint could not render the PDF: its "
                       "process stopped (exit status 7)")]
    assert len([pdf for pdf in batch if pdf in alone]) == 1


def _running(pid: int) -> bool:
    """Whether ``pid`` is a process that has not exited (a zombie has)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_a_forked_process_dies_with_its_worker(tmp_path: Path) -> None:
    source = statement(tmp_path / "water", signatories=40)
    with subprocess.Popen([sys.executable, "-c", _SCRIPT, str(source), "hangs"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as proc:
        assert proc.stdout is not None
        forked = json.loads(proc.stdout.readline())["forked"]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 30
        while _running(forked) and time.monotonic() < deadline:
            time.sleep(0.05)
        alive = _running(forked)
        if alive:
            os.kill(forked, signal.SIGKILL)
        assert not alive, "the forked process outlived its worker"
