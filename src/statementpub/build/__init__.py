"""``build()``: statement sources in, their editions written to a folder.

For each language and format asked for, writes ``<out>/<slug>.<lang>.<ext>``.
Every output of a statement is rendered in memory first and only then
written, each atomically, so a failure leaves the previous outputs intact and
nothing half-written. Where each part is:

* :mod:`.sources` -- the statement files of the paths given, the default languages;
* :mod:`.plan` -- a statement's editions and outputs, what ``strict`` refuses;
* :mod:`.manifest` -- incremental builds: ``<out>/.statementpub-manifest.json``
  (an output whose inputs are unchanged and whose file is intact is not rendered
  again; ``force=True`` renders everything);
* :mod:`.workers` -- the PDF worker processes;
* :mod:`.write` -- atomic writes of the outputs and the manifest;
* :mod:`.run` -- :func:`build` and :func:`build_many`, which put them together;
* :mod:`.reports` -- what they return.

One format of one edition, as bytes, is :mod:`statementpub.render.formats`
(shared with the API); what a terminal shows is :mod:`statementpub.cli`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..options import FORMATS
    from .manifest import MANIFEST_NAME
    from .reports import BatchResult, BuildReport, EditionReport, Progress
    from .run import build, build_many
    from .sources import default_languages, find_sources
    from .write import write_atomically

_WHERE = {
    "FORMATS": "..options", "MANIFEST_NAME": ".manifest", "BatchResult": ".reports",
    "BuildReport": ".reports", "EditionReport": ".reports", "Progress": ".reports",
    "build": ".run", "build_many": ".run", "default_languages": ".sources",
    "find_sources": ".sources", "write_atomically": ".write",
}


def __getattr__(name: str) -> Any:
    """The names above, imported when first used (PEP 562): an unchanged rebuild
    imports neither the planner nor the renderers."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))

__all__ = ["FORMATS", "MANIFEST_NAME", "BatchResult", "BuildReport", "EditionReport",
           "Progress", "build", "build_many", "default_languages", "find_sources",
           "write_atomically"]
