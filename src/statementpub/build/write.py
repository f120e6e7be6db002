"""Writing: every output through a temporary file in its folder renamed into place, so
that a failure (bad input, a renderer crash, Ctrl-C, a full disk, a kill) leaves the
previous file intact and nothing half-written.

A statement's files and its manifest entries are written under the manifest's lock
(:func:`~statementpub.build.manifest.locked`), in three steps: the manifest loses the
entries of the files about to be replaced, the files are written, the manifest gets
their new entries. A build stopped between two steps leaves no entry that does not
describe its file, so the next build renders what it must. Temporary files that a
killed build left behind (``.<name>.<random>.tmp``) are removed under the same lock,
when no other build can be writing them.
"""

from __future__ import annotations

import glob
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BuildError
from .manifest import (
    MANIFEST_NAME,
    locked,
    manifest_bytes,
    read_manifest_data,
    sha256,
    source_id,
)
from .reports import BuildReport, EditionReport

if TYPE_CHECKING:
    from .plan import Job

__all__ = ["MAX_TEMP_PREFIX", "write_atomically", "write_outputs"]

#: The longest prefix (characters of the final name) that a temporary name keeps, so
#: that the temporary name is never longer than a name the file system takes.
MAX_TEMP_PREFIX = 100


def _temp_prefix(name: str) -> str:
    return f".{name[:MAX_TEMP_PREFIX]}."


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename
    (the temporary name is ``.<name>.<random>.tmp``, with at most
    :data:`MAX_TEMP_PREFIX` characters of the name).

    :raises OSError: the folder cannot be made or written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path.name), suffix=".tmp", dir=path.parent)
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


def _remove_leftovers(out: Path, names: list[str]) -> None:
    """Remove the temporary files of ``names`` that a stopped build left in ``out`` (call
    under the manifest's lock: no running build is writing them then)."""
    for name in names:
        for leftover in out.glob(f"{glob.escape(_temp_prefix(name))}*.tmp"):
            try:
                leftover.unlink()
            except OSError:
                pass


def write_outputs(job: Job, out: Path, *, force: bool = False,
                  stage: Callable[[str], None] | None = None) -> BuildReport:
    """Write a statement's rendered files and their manifest entries, and report.

    :param force: overwrite files that the manifest records as made from another source.
    :param stage: called with ``"writing"`` once the files are written and before the
        manifest records them, and with ``"written"`` at the end (see :func:`build_many`).
    :raises BuildError: a file to write is recorded as made from another statement (the
        message names both), unless ``force``.
    :raises OSError: a file cannot be written.
    """
    statement = job.statement
    assert statement is not None
    editions = []
    for edition in job.editions:
        mine_ = [o for o in job.outputs if o.edition is edition]
        editions.append(EditionReport(
            edition.lang, tuple(o.path for o in mine_), edition.fallbacks, edition.catalog_path,
            rebuilt=tuple(o.path for o in mine_ if o.stale),
            up_to_date=tuple(o.path for o in mine_ if not o.stale),
            interface_fallbacks=edition.interface_fallbacks, coverage=edition.coverage))
    refused = tuple(EditionReport(edition.lang, (), edition.fallbacks, edition.catalog_path,
                                  interface_fallbacks=edition.interface_fallbacks,
                                  coverage=edition.coverage)
                    for edition in job.refused_editions)
    report = BuildReport(statement.path or Path("<statement>"), statement.slug,
                         tuple(editions), statement.warnings,
                         in_progress=tuple(job.in_progress), min_coverage=job.min_coverage,
                         requested=job.requested, refused=refused)

    stale = [output for output in job.outputs if output.stale]
    mine = source_id(statement)
    # an unchanged rebuild is decided from this record next time (statementpub.build.uptodate)
    recordable = job.request is not None and job.refused is None
    if not stale and not recordable:
        return report
    out.mkdir(parents=True, exist_ok=True)
    with locked(out):
        outputs, statements = read_manifest_data(out)
        if stale:
            if not force:
                for output in stale:
                    other = outputs.get(output.path.name, {}).get("source")
                    if other is not None and other != mine:
                        raise BuildError(
                            f"{output.path}: made from {other}; not overwritten with the "
                            f"edition of {mine} (give one of them another 'slug', or "
                            "rebuild with --force to replace it)")
            _remove_leftovers(out, [MANIFEST_NAME, *(o.path.name for o in stale)])
            if any(output.path.name in outputs for output in stale) or mine in statements:
                for output in stale:
                    outputs.pop(output.path.name, None)
                statements.pop(mine, None)
                write_atomically(out / MANIFEST_NAME, manifest_bytes(outputs, statements))
            for output in stale:
                assert output.data is not None
                write_atomically(output.path, output.data)
            if stage is not None:
                stage("writing")
            for output in stale:
                assert output.data is not None
                outputs[output.path.name] = {"key": output.key, "sha256": sha256(output.data),
                                             "source": mine}
        written = {o.path.name: outputs.get(o.path.name, {}).get("sha256") for o in job.outputs}
        if recordable and all(digest is not None for digest in written.values()):
            from .uptodate import record

            assert job.request is not None
            entry = record(job.request, job.inputs, job.scan, job.interface,
                           {name: str(digest) for name, digest in written.items()}, report)
            if not stale and statements.get(mine) == json.loads(json.dumps(entry)):
                return report  # recorded already
            statements[mine] = entry
        else:
            statements.pop(mine, None)
        write_atomically(out / MANIFEST_NAME, manifest_bytes(outputs, statements))
    if stale and stage is not None:
        stage("written")
    return report
