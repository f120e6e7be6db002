"""Child processes that do not outlive the build: the parent's death signal, and
whether a process still runs. A leaf module: it imports nothing of the package.

Linux delivers a chosen signal to a process when its parent dies, if the process
asked for it with ``prctl(PR_SET_PDEATHSIG)`` (prctl(2)); the PDF workers and
pandoc ask for SIGTERM, so a build stopped by SIGKILL leaves no process behind.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

__all__ = ["ask_for_parent_death_signal", "make_temporary_folder", "pid_alive",
           "remove_abandoned_folders"]

#: ``prctl`` option: the signal a process gets when its parent dies (linux/prctl.h).
_PR_SET_PDEATHSIG = 1


def ask_for_parent_death_signal(signum: int = signal.SIGTERM) -> bool:
    """Ask the kernel to send ``signum`` to this process when its parent dies.

    :returns: whether the request was made (Linux only; ``False`` elsewhere or when
        the C library cannot be loaded). The request is not inherited by children
        and survives ``exec``.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (it may belong to another user)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OverflowError, ValueError):
        return False
    return True


def make_temporary_folder(prefix: str) -> Path:
    """A new folder ``<prefix><pid>-<random>`` in the temporary folder, made after
    removing those of processes that no longer run (:func:`remove_abandoned_folders`).

    :raises OSError: the temporary folder is not writable.
    """
    remove_abandoned_folders(prefix)
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))


def remove_abandoned_folders(prefix: str) -> None:
    """Remove the folders ``<prefix><pid>-*`` of the temporary folder that belong to this
    user and to a process that no longer runs (one killed with SIGKILL, which could not
    remove its own)."""
    try:
        candidates = list(Path(tempfile.gettempdir()).glob(f"{prefix}*-*"))
    except OSError:
        return
    for folder in candidates:
        pid = folder.name[len(prefix):].split("-", 1)[0]
        try:
            owned = folder.is_dir() and folder.stat().st_uid == os.getuid()
        except OSError:
            continue
        if owned and pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
