"""Unchanged rebuilds decided from the manifest's records (statementpub.build.uptodate):
what is imported on that path, that the report equals the full build's, and that every
change to what the outputs are made from takes the full way again."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from statementpub import build
from statementpub.build import MANIFEST_NAME, manifest, uptodate

from .test_build import statement, write_catalog

FORMATS = ("html", "epub")  # the PDF adds nothing to what is decided here, and costs time

#: Neither an engine nor a renderer nor the planner may be imported to decide that
#: nothing changed (the performance issue's rule), nor what only they need.
NOT_IMPORTED = ("weasyprint", "pypandoc", "jinja2", "babel", "yaml", "markdown_it",
                "fontTools", "langcodes", "polib", "lxml", "PIL", "tinycss2",
                "statementpub.render", "statementpub.loader", "statementpub.model",
                "statementpub.edition", "statementpub.build.plan", "statementpub.catalogs",
                "statementpub.i18n")


def _full(source: Path, out: Path, **options: object) -> object:
    """A build that takes the full way (no record is consulted), for comparison."""
    return build(source, out_dir=out, formats=FORMATS, **options)  # type: ignore[arg-type]


def _is_quick(source: Path, out: Path, **options: object) -> bool:
    """Whether a build of ``source`` into ``out`` is decided by its record alone."""
    report = build(source, out_dir=out, formats=FORMATS, **options)  # type: ignore[arg-type]
    data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert str(source.resolve()) in data["statements"]
    return report.rebuilt == () and _quick_only(source, out, **options)


def _quick_only(source: Path, out: Path, **options: object) -> bool:
    outputs, records = manifest.read_manifest_data(out)
    given: dict[str, Any] = {"langs": None, "strict": False, "min_coverage": 80.0,
                             "interface_catalogs": None, **options}
    langs = given["langs"]
    request = uptodate.request_hash(str(source), FORMATS, list(langs) if langs else None,
                                    bool(given["strict"]), float(given["min_coverage"]),
                                    given["interface_catalogs"])
    return uptodate.check(records.get(str(source.resolve())), source, out, request,
                          given["interface_catalogs"], outputs) is not None


def test_an_unchanged_rebuild_imports_no_engine_renderer_or_loader(tmp_path: Path) -> None:
    source = statement(tmp_path / "water")
    out = tmp_path / "dist"
    args = ["build", str(source), "--out", str(out), "--quiet"]
    subprocess.run([sys.executable, "-m", "statementpub", *args], check=True)
    probe = ("import runpy, sys\n"
             f"sys.argv = ['statementpub', *{args!r}]\n"
             "try:\n    runpy.run_module('statementpub', run_name='__main__')\n"
             "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
             "print('\\n'.join(sorted(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    loaded = set(done.stdout.split())
    assert "statementpub.build.uptodate" in loaded  # the path was taken
    found = sorted(m for m in loaded for name in NOT_IMPORTED
                   if m == name or m.startswith(name + "."))
    assert found == []
    # and it said what a full build says: the summary, every file up to date
    said = subprocess.run([sys.executable, "-m", "statementpub", *args[:-1]],
                          capture_output=True, text=True, check=True).stderr
    assert said.count("up to date") == 2 and "rebuilt" not in said


def test_the_recorded_report_equals_the_full_builds(tmp_path: Path) -> None:
    source = statement(tmp_path / "water")
    # a warning (names differing only in spaces), so that the report has more to carry
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("  - Organisation number 2\n",
                                   "  - Organisation number 2\n  - Organisation  number 2\n"),
                      encoding="utf-8")
    write_catalog(source, "ES ")
    out = tmp_path / "dist"
    first = build(source, out_dir=out, formats=FORMATS)
    assert first.warnings, "the duplicate signatory is a warning"
    assert _quick_only(source, out)
    second = build(source, out_dir=out, formats=FORMATS)
    assert second.rebuilt == () and sorted(second.up_to_date) == sorted(first.rebuilt)
    moved = [dataclasses.replace(e, rebuilt=(), up_to_date=e.files) for e in first.editions]
    assert second == dataclasses.replace(first, editions=tuple(moved))


@pytest.mark.parametrize("change", [
    "source", "catalog", "new catalog", "catalog removed", "output edited", "output deleted",
    "manifest entry", "library",
])
def test_each_change_takes_the_full_way(tmp_path: Path, change: str,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    source = statement(tmp_path / "water")
    out = tmp_path / "dist"
    _full(source, out)
    assert _is_quick(source, out)
    catalog = source.with_name("statement.es.po")
    if change == "source":
        source.write_text(source.read_text(encoding="utf-8") + "\nOne more line.\n",
                          encoding="utf-8")
    elif change == "catalog":
        write_catalog(source, "ES: ")
    elif change == "new catalog":
        catalog.with_name("statement.fr.po").write_bytes(catalog.read_bytes())
    elif change == "catalog removed":
        catalog.unlink()
    elif change == "output edited":
        (out / "water.es.html").write_text("<p>edited</p>", encoding="utf-8")
    elif change == "output deleted":
        (out / "water.en.epub").unlink()
    elif change == "manifest entry":
        data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
        del data["outputs"]["water.en.html"]
        (out / MANIFEST_NAME).write_text(json.dumps(data), encoding="utf-8")
    elif change == "library":
        manifest.library_fingerprint.cache_clear()
        monkeypatch.setattr(manifest, "_versions", lambda: ["weasyprint=999"])
    assert not _quick_only(source, out)
    report = build(source, out_dir=out, formats=FORMATS)
    if change in ("output edited", "output deleted", "manifest entry"):
        assert len(report.rebuilt) == 1
    elif change != "library":
        assert report.rebuilt or change == "catalog removed"
    # and once built again, it is recorded again
    assert _quick_only(source, out)
    manifest.library_fingerprint.cache_clear()


@pytest.mark.parametrize("option", [
    {"langs": ["en"]}, {"strict": True}, {"min_coverage": 0.0}, {"formats": ("html",)},
])
def test_other_options_take_the_full_way(tmp_path: Path, option: dict[str, object]) -> None:
    source = statement(tmp_path / "water")
    out = tmp_path / "dist"
    _full(source, out)
    formats = option.pop("formats", FORMATS)
    outputs, records = manifest.read_manifest_data(out)
    langs = option.get("langs")
    request = uptodate.request_hash(str(source), formats,  # type: ignore[arg-type]
                                    langs, bool(option.get("strict", False)),  # type: ignore
                                    float(option.get("min_coverage", 80.0)),  # type: ignore
                                    None)
    assert uptodate.check(records[str(source.resolve())], source, out, request, None,
                          outputs) is None


def test_an_image_changed_takes_the_full_way(tmp_path: Path) -> None:
    from PIL import Image

    source = statement(tmp_path / "water", catalog=False)
    Image.new("RGB", (4, 4), "blue").save(tmp_path / "water" / "map.png")
    source.write_text(source.read_text(encoding="utf-8")
                      + "\n![A blue square](map.png)\n", encoding="utf-8")
    out = tmp_path / "dist"
    _full(source, out)
    assert _quick_only(source, out)
    Image.new("RGB", (4, 4), "red").save(tmp_path / "water" / "map.png")
    assert not _quick_only(source, out)


def test_a_manifest_without_records_is_built_the_full_way_once(tmp_path: Path) -> None:
    source = statement(tmp_path / "water")
    out = tmp_path / "dist"
    _full(source, out)
    data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    del data["statements"]  # as written by statementpub before records
    (out / MANIFEST_NAME).write_text(json.dumps(data), encoding="utf-8")
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.name != MANIFEST_NAME}
    assert not _quick_only(source, out)
    assert build(source, out_dir=out, formats=FORMATS).rebuilt == ()  # keys still match
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()
            if p.name != MANIFEST_NAME} == before
    assert _quick_only(source, out)


def test_a_signatory_csv_is_never_decided_by_a_record(tmp_path: Path) -> None:
    folder = tmp_path / "water"
    folder.mkdir()
    (folder / "signatories.csv").write_text("name\nRiver Trust\n", encoding="utf-8")
    source = folder / "statement.md"
    source.write_text("---\ntitle: Water\ndate: 2024-03-01\nlang: en\n"
                      "signatories: signatories.csv\n---\n\nWater is a right.\n",
                      encoding="utf-8")
    out = tmp_path / "dist"
    _full(source, out)
    data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert str(source.resolve()) not in data.get("statements", {})
    assert build(source, out_dir=out, formats=FORMATS).rebuilt == ()


def test_a_touched_input_with_the_same_bytes_is_no_change(tmp_path: Path) -> None:
    source = statement(tmp_path / "water")
    out = tmp_path / "dist"
    _full(source, out)
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert _quick_only(source, out)
