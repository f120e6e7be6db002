"""Writing: every output through a temporary file in its folder renamed into place, so
that a failure (bad input, a renderer crash, Ctrl-C) leaves the previous file intact
and nothing half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .manifest import MANIFEST_NAME, manifest_bytes, sha256
from .reports import BuildReport, EditionReport

if TYPE_CHECKING:
    from .plan import Job

__all__ = ["write_atomically", "write_outputs"]


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    :raises OSError: the folder cannot be made or written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_outputs(job: Job, out: Path) -> BuildReport:
    """Write a statement's rendered files, then its entries in the manifest, and report.

    :raises OSError: a file cannot be written.
    """
    statement = job.statement
    assert statement is not None
    entries = {}
    for output in job.outputs:
        if output.stale:
            assert output.data is not None
            write_atomically(output.path, output.data)
            entries[output.path.name] = {"key": output.key, "sha256": sha256(output.data)}
    if entries:
        write_atomically(out / MANIFEST_NAME, manifest_bytes(out, entries))
    editions = []
    for edition in job.editions:
        mine = [o for o in job.outputs if o.edition is edition]
        editions.append(EditionReport(
            edition.lang, tuple(o.path for o in mine), edition.fallbacks, edition.catalog_path,
            rebuilt=tuple(o.path for o in mine if o.stale),
            up_to_date=tuple(o.path for o in mine if not o.stale)))
    refused = tuple(EditionReport(edition.lang, (), edition.fallbacks, edition.catalog_path)
                    for edition in job.refused_editions)
    return BuildReport(statement.path or Path("<statement>"), statement.slug, tuple(editions),
                       statement.warnings, refused)
