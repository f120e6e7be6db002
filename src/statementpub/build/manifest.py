"""Incremental builds: ``<out>/.statementpub-manifest.json``.

The manifest records, for each output file, a key (a hash of the source, the
language's catalog, the images, the library version and its styles,
templates and interface catalogs, the format and the options), the hash of
the bytes written and the statement it was made from (``source``). An output
whose key is unchanged and whose file still has those bytes is up to date and
is not rendered again.

The source and the catalogs enter the key as the hashes of exactly the bytes
the build read and rendered (``Statement.source_sha256``,
``Edition.catalog_sha256``), never of the files as they are by the time the
build records them: a catalog saved while a build runs makes the next build
render it. A signatory CSV (``Statement.signatories_source``) enters as the
signatories the loader read from it, for the same reason. Images are hashed
when the build is planned, before any renderer reads them; one changed after
that is rendered again by the next build.

Several builds may write into one folder at once: each updates the manifest
under an exclusive lock (:func:`locked`, ``fcntl.flock`` on the output folder
itself, so no lock file is left in it), reading it again under the lock and
merging its own entries in, so that no build loses another's entries. This
module computes keys and reads the manifest; :mod:`statementpub.build.write`
writes it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..edition import Edition
    from ..model import Statement

#: The PDF's key carries ``SOURCE_DATE_EPOCH`` (statementpub.render.pdf's default when
#: unset), although the PDF's bytes no longer depend on it.
DEFAULT_EPOCH = "946684800"  # 2000-01-01T00:00:00Z

__all__ = ["DEFAULT_EPOCH", "MANIFEST_NAME", "library_fingerprint", "locked", "manifest_bytes",
           "output_key", "read_manifest", "read_manifest_data", "sha256", "source_id",
           "statement_inputs", "up_to_date"]

#: The bookkeeping of incremental builds, in the output folder.
MANIFEST_NAME = ".statementpub-manifest.json"
_MANIFEST_FORMAT = 1
#: The statementpub package, whose files are part of every key.
_PACKAGE = Path(__file__).resolve().parent.parent


def sha256(data: bytes) -> str:
    """The SHA-256 of ``data``, in hexadecimal."""
    return hashlib.sha256(data).hexdigest()


def _stat_tree(digest: Any, root: Path, label: str) -> None:
    """Each file under ``root`` (no bytecode) as its relative path, size and modification
    time: a changed, added or removed file changes the digest."""
    if not root.is_dir():
        return
    todo = [root]
    entries = []
    while todo:
        folder = todo.pop()
        with os.scandir(folder) as it:
            for entry in it:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        todo.append(Path(entry.path))
                elif not entry.name.endswith(".pyc"):
                    info = entry.stat()
                    entries.append((Path(entry.path).relative_to(root).as_posix(),
                                    info.st_size, info.st_mtime_ns))
    for name, size, mtime in sorted(entries):
        digest.update(f"{label}/{name}\0{size}\0{mtime}\0".encode())


#: The distributions whose versions are part of the library's fingerprint: the engines
#: and the libraries that decide the bytes of the outputs.
ENGINES = ("weasyprint", "pypandoc-binary", "pydyf", "fonttools", "babel", "jinja2",
           "markdown-it-py", "polib")


def _versions() -> list[str]:
    """``name=version`` of each of :data:`ENGINES`, from the ``*.dist-info`` folder names
    on ``sys.path`` (what ``importlib.metadata`` reads, without its 10 ms)."""
    import re
    import sys

    wanted = {re.sub(r"[-_.]+", "_", name).lower(): name for name in ENGINES}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                project, _, version = name[:-len(".dist-info")].partition("-")
                key = re.sub(r"[-_.]+", "_", project).lower()
                if key in wanted and wanted[key] not in found:
                    found[wanted[key]] = version
    return [f"{name}={found.get(name, '?')}" for name in ENGINES]


@lru_cache(maxsize=1)
def library_fingerprint() -> str:
    """The library as it renders: its version, the versions of its engines, and the
    name, size and modification time of each file of its code, templates, stylesheets,
    fonts and interface catalogs (a reinstall or an edited file changes it).

    Read once per process; about 2 ms.
    """
    from .. import __version__
    from ..resources import locales_dir, styles_dir

    digest = hashlib.sha256(f"statementpub={__version__}\0".encode())
    for version in _versions():
        digest.update(f"{version}\0".encode())
    _stat_tree(digest, _PACKAGE, "package")
    for label, folder in (("styles", styles_dir), ("locales", locales_dir)):
        try:
            _stat_tree(digest, folder(), label)
        except FileNotFoundError:
            pass
    return digest.hexdigest()


def _file_hash(path: Path | None, memo: dict[Path, str]) -> str | None:
    if path is None:
        return None
    if path not in memo:
        try:
            memo[path] = sha256(path.read_bytes())
        except OSError:
            memo[path] = "missing"
    return memo[path]


def statement_inputs(statement: Statement, memo: dict[Path, str]) -> dict[str, Any]:
    """What every edition of ``statement`` is made from, besides its catalog
    (``memo`` keeps the hash of each file read, for one build)."""
    if statement.source_sha256 is not None:  # the bytes the loader read and parsed
        source: str | None = statement.source_sha256
    elif statement.path is not None and statement.path.is_file():
        source = _file_hash(statement.path, memo)
    else:  # a Statement made in memory: its value is its input
        source = sha256(repr(statement).encode("utf-8"))
    images = sorted((src, _file_hash(path, memo))
                    for src, path in statement.body.images.items())
    logo = statement.publisher.logo.path if statement.publisher and statement.publisher.logo \
        else None
    # a signatory CSV enters the key as the signatories the loader read from it (never
    # the file as it may be by now): a CSV saved while a build runs is rendered next time
    signatories = sha256(repr(statement.signatories).encode("utf-8")) \
        if statement.signatories_source is not None else None
    return {"source": source, "images": images, "logo": _file_hash(logo, memo),
            "signatories": signatories}


def output_key(inputs: dict[str, Any], edition: Edition, fmt: str,
               langs: Sequence[str], memo: dict[Path, str]) -> str:
    """The key of one output: it changes when anything the output is made from does."""
    parts = {
        "library": library_fingerprint(),
        "inputs": inputs,
        "lang": edition.lang,
        "catalog": edition.catalog_sha256 or _file_hash(edition.catalog_path, memo),
        # the interface strings as resolved: they may come from a folder of interface
        # catalogs given by the caller (--interface-catalogs), outside the library
        "labels": sha256(repr(edition.labels).encode("utf-8")),
        "format": fmt,
        # the HTML edition links to the others; the PDF's fonts carry this date
        "languages": list(langs) if fmt == "html" else None,
        "epoch": os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH) if fmt == "pdf" else None,
    }
    return sha256(json.dumps(parts, sort_keys=True).encode("utf-8"))


def source_id(statement: Statement) -> str:
    """What the manifest records as an output's origin: the statement file's absolute
    path, or ``<mapping: TITLE>`` for a statement made in memory."""
    if statement.path is not None:
        return str(statement.path.resolve())
    return f"<mapping: {statement.title}>"


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the exclusive lock of ``out``'s manifest: ``fcntl.flock`` on the folder
    ``out`` (it blocks while another build holds it; the kernel releases it when the
    holder exits, however it ends). Where ``fcntl`` is missing (Windows) nothing is
    locked.

    :raises OSError: ``out`` cannot be opened.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    fd = os.open(out, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the file releases the lock


def read_manifest_data(out: Path) -> tuple[dict[str, dict[str, str]], dict[str, Any]]:
    """The manifest's output entries by file name, and its records of statements by
    :func:`source_id` (:mod:`.uptodate`); both empty when it is missing, broken or of
    another format (a full build follows). A manifest written before records existed
    has none: its statements are built the full way once, and recorded."""
    try:
        data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, {}
    if not isinstance(data, dict) or data.get("format") != _MANIFEST_FORMAT:
        return {}, {}
    outputs = data.get("outputs")
    if not isinstance(outputs, dict):
        return {}, {}
    statements = data.get("statements")
    return ({name: entry for name, entry in outputs.items()
             if isinstance(entry, dict) and isinstance(entry.get("key"), str)
             and isinstance(entry.get("sha256"), str)},
            statements if isinstance(statements, dict) else {})


def read_manifest(out: Path) -> dict[str, dict[str, str]]:
    """The manifest's entries by file name (see :func:`read_manifest_data`)."""
    return read_manifest_data(out)[0]


def manifest_bytes(outputs: dict[str, dict[str, str]],
                   statements: dict[str, Any] | None = None) -> bytes:
    """The manifest of ``outputs`` (entries by file name) and ``statements`` (records by
    source), as bytes."""
    data: dict[str, Any] = {"format": _MANIFEST_FORMAT, "outputs": dict(sorted(outputs.items()))}
    if statements:
        data["statements"] = dict(sorted(statements.items()))
    return (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8")


def up_to_date(path: Path, key: str, entry: dict[str, str] | None) -> bool:
    """Whether ``path`` is the output of ``key``, as the manifest ``entry`` records it."""
    if entry is None or entry["key"] != key:
        return False
    try:
        return sha256(path.read_bytes()) == entry["sha256"]
    except OSError:
        return False
