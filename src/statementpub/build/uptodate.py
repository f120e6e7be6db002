"""Unchanged rebuilds: deciding "up to date" from the manifest and hashes alone.

A build that wrote every file of a statement records, in the manifest
(:mod:`.manifest`, under ``statements``, by :func:`~.manifest.source_id`),
what that build was asked and read (:func:`record`):

* ``request``: a hash of the options that decide the outputs (formats,
  languages asked for, ``strict``, ``min_coverage``, the interface catalogs
  folder, ``SOURCE_DATE_EPOCH``, the statement's path as given) and of the
  library's fingerprint (:func:`~.manifest.library_fingerprint`);
* ``inputs``: every file it read with the SHA-256 of the bytes it read: the
  source, each catalog (those in progress too), images, the logo;
* ``scan``: the catalogs found beside the source (``<stem>.*.po``), so that a
  catalog added or removed is noticed;
* ``interface``: the hash of the interface catalogs folder, when one is given;
* ``outputs``: each file written, with the SHA-256 of its bytes;
* ``report``: the :class:`~.reports.BuildReport`, as JSON.

The next build of that statement with the same options first asks
:func:`check`: when the request, every input, the scan and every output file
are unchanged, the recorded report is the build's report (every file up to
date) and nothing else is done; the statement is not even read. Anything
else, and every statement made in memory, a signatory CSV (its rows enter the
outputs' keys as the loader read them), user fonts or ``force``, takes the
full way (:mod:`.plan`), which renders what it must and records again.

This module and what it imports are small: an unchanged rebuild imports
neither the loader nor the planner nor any renderer (a test asserts which
modules are loaded after one).
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import Diagnostic
from ..findings import Coverage, Fallback, InterfaceFallback
from .manifest import DEFAULT_EPOCH, library_fingerprint, sha256
from .reports import BuildReport, EditionReport, InProgress

__all__ = ["catalog_scan", "check", "folder_hash", "record", "request_hash"]


def request_hash(given: str, formats: Sequence[str], langs: Sequence[str] | None,
                 strict: bool, min_coverage: float, interface_catalogs: Path | None) -> str:
    """The hash of what a build of the statement ``given`` (its path as given) was asked."""
    parts = {"given": given, "formats": list(formats), "langs": list(langs or []),
             "strict": strict, "min_coverage": min_coverage,
             "interface": str(interface_catalogs.resolve()) if interface_catalogs else None,
             "epoch": os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH),
             "library": library_fingerprint()}
    return sha256(json.dumps(parts, sort_keys=True).encode("utf-8"))


def catalog_scan(source: Path) -> list[str]:
    """The names of the catalogs beside ``source`` (``<stem>.*.po``), sorted."""
    try:
        return sorted(p.name for p in source.parent.glob(f"{glob.escape(source.stem)}.*.po"))
    except OSError:
        return []


def folder_hash(folder: Path | None) -> str | None:
    """The hash of every file's relative path and bytes under ``folder`` (``None``: none)."""
    if folder is None:
        return None
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(f"{path.relative_to(folder).as_posix()}\0".encode())
            try:
                digest.update(hashlib.sha256(path.read_bytes()).digest())
            except OSError:
                digest.update(b"unreadable")
    return digest.hexdigest()


def _file_sha(path: Path) -> str | None:
    try:
        return sha256(path.read_bytes())
    except OSError:
        return None


# ---- the report, as JSON and back ---------------------------------------------------------

def _coverage(value: Coverage | None) -> list[int] | None:
    return None if value is None else [value.words, value.total_words, value.units,
                                       value.total_units]


def _edition_json(edition: EditionReport) -> dict[str, Any]:
    return {"lang": edition.lang, "files": [p.name for p in edition.files],
            "fallbacks": [[f.line, f.role, f.msgid, f.reason] for f in edition.fallbacks],
            "catalog": str(edition.catalog) if edition.catalog else None,
            "interface_fallbacks": [[f.what, f.lang, f.reason]
                                    for f in edition.interface_fallbacks],
            "coverage": _coverage(edition.coverage)}


def _report_json(report: BuildReport) -> dict[str, Any]:
    return {"slug": report.slug, "editions": [_edition_json(e) for e in report.editions],
            "warnings": [[d.message, d.path, d.line, d.column, d.severity, d.field]
                         for d in report.warnings],
            "in_progress": [[p.lang, str(p.catalog) if p.catalog else None,
                             _coverage(p.coverage)] for p in report.in_progress],
            "min_coverage": report.min_coverage, "requested": report.requested}


def _report_from(data: dict[str, Any], source: Path, out: Path) -> BuildReport:
    def coverage(value: list[int] | None) -> Coverage | None:
        return None if value is None else Coverage(*value)

    editions = []
    for e in data["editions"]:
        files = tuple(out / name for name in e["files"])
        editions.append(EditionReport(
            e["lang"], files, tuple(Fallback(*f) for f in e["fallbacks"]),
            Path(e["catalog"]) if e["catalog"] else None, rebuilt=(), up_to_date=files,
            interface_fallbacks=tuple(InterfaceFallback(*f) for f in e["interface_fallbacks"]),
            coverage=coverage(e["coverage"])))
    return BuildReport(
        source, data["slug"], tuple(editions),
        warnings=tuple(Diagnostic(*d) for d in data["warnings"]),
        in_progress=tuple(InProgress(lang, Path(catalog) if catalog else None,
                                     coverage(cov))  # type: ignore[arg-type]
                          for lang, catalog, cov in data["in_progress"]),
        min_coverage=data["min_coverage"], requested=data["requested"])


# ---- recording and checking ---------------------------------------------------------------

def record(request: str, inputs: dict[str, str], scan: list[str], interface: str | None,
           outputs: dict[str, str], report: BuildReport) -> dict[str, Any]:
    """The manifest's record of a statement's build (see the module's docstring):
    ``inputs`` maps each file read (absolute) to the SHA-256 of the bytes read,
    ``outputs`` each file name written to the SHA-256 of its bytes."""
    return {"request": request, "inputs": dict(sorted(inputs.items())), "scan": scan,
            "interface": interface, "outputs": dict(sorted(outputs.items())),
            "report": _report_json(report)}


def check(entry: Any, source: Path, out: Path, request: str,
          interface_catalogs: Path | None,
          outputs: dict[str, dict[str, str]]) -> BuildReport | None:
    """The report of an unchanged rebuild of ``source`` into ``out``, from its manifest
    record ``entry``, or ``None`` when anything may have changed (then build).

    :param request: :func:`request_hash` of this build.
    :param outputs: the manifest's entries by file name.
    """
    try:
        if not isinstance(entry, dict) or entry.get("request") != request:
            return None
        if entry["scan"] != catalog_scan(source):
            return None
        if entry["interface"] != folder_hash(interface_catalogs):
            return None
        for name, digest in entry["inputs"].items():
            if _file_sha(Path(name)) != digest:
                return None
        for name, digest in entry["outputs"].items():
            if outputs.get(name, {}).get("sha256") != digest \
                    or _file_sha(out / name) != digest:
                return None
        return _report_from(entry["report"], source, out)
    except (KeyError, TypeError, ValueError):  # a record of another shape: build
        return None
