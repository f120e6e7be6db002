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

from ..options import FORMATS
from .manifest import MANIFEST_NAME
from .reports import BatchResult, BuildReport, EditionReport, Progress
from .run import build, build_many
from .sources import default_languages, find_sources
from .write import write_atomically

__all__ = ["FORMATS", "MANIFEST_NAME", "BatchResult", "BuildReport", "EditionReport",
           "Progress", "build", "build_many", "default_languages", "find_sources",
           "write_atomically"]
