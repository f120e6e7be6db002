"""statementpub.build: incremental, parallel, reproducible and batch builds.

Statements are small texts written here into ``tmp_path``; the shared corpus
(read in place from ``../shared/corpus``) is built in one test only.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from statementpub import Options, build, load_statement
from statementpub.build import MANIFEST_NAME, build_many, find_sources
from statementpub.cli import main
from statementpub.cli.build_output import run_build, summary_table
from statementpub.errors import StatementError, StrictBuildError
from statementpub.units import iter_units

from .conftest import corpus_statement

ALL = ("html", "pdf", "epub")


def statement(folder: Path, title: str = "Water is a right", *, catalog: bool = True,
              paragraphs: int = 3, signatories: int = 6) -> Path:
    """A small statement with a complete Spanish catalog beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    sigs = "".join(f"  - Organisation number {i}\n" for i in range(1, signatories + 1))
    body = "\n\n".join(f"Paragraph {i} says that water must stay *public* in every city."
                       for i in range(1, paragraphs + 1))
    source = folder / "statement.md"
    source.write_text(f"---\ntitle: {title}\ndate: 2024-03-01\nlang: en\nsignatories:\n{sigs}"
                      f"---\n\n## What we ask\n\n{body}\n", encoding="utf-8")
    if catalog:
        write_catalog(source, "ES ")
    return source


def write_catalog(source: Path, prefix: str) -> Path:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "es"}
    for unit in iter_units(load_statement(source)):
        po.append(polib.POEntry(msgid=unit.msgid, msgstr=prefix + unit.msgid))
    path = source.with_name("statement.es.po")
    po.save(str(path))
    return path


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def names(paths: tuple[Path, ...]) -> list[str]:
    return sorted(p.name for p in paths)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "statementpub", *args],
                          capture_output=True, text=True, check=False)


# ---- incremental builds ---------------------------------------------------------------------

def test_second_build_rebuilds_nothing(tmp_path: Path) -> None:
    source = statement(tmp_path / "water")
    out = tmp_path / "dist"
    first = build(source, out_dir=out, formats=ALL)
    assert len(first.rebuilt) == 6 and first.up_to_date == ()
    assert (out / MANIFEST_NAME).is_file()
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    second = build(source, out_dir=out, formats=ALL)
    assert second.rebuilt == ()
    assert names(second.up_to_date) == names(first.rebuilt) == names(second.files)
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
    assert [e.fallbacks for e in second.editions] == [e.fallbacks for e in first.editions]


def test_a_changed_catalog_rebuilds_only_its_language(tmp_path: Path) -> None:
    source = statement(tmp_path / "water")
    out = tmp_path / "dist"
    build(source, out_dir=out, formats=ALL)
    catalog = source.with_name("statement.es.po")
    # touching it (same bytes, new time) is no change
    os.utime(catalog, ns=(catalog.stat().st_atime_ns, catalog.stat().st_mtime_ns + 10**9))
    assert build(source, out_dir=out, formats=ALL).rebuilt == ()
    old_en = digests(out)
    write_catalog(source, "ES: ")
    report = build(source, out_dir=out, formats=ALL)
    assert names(report.rebuilt) == ["water.es.epub", "water.es.html", "water.es.pdf"]
    assert names(report.up_to_date) == ["water.en.epub", "water.en.html", "water.en.pdf"]
    new = digests(out)
    for name in ("water.en.epub", "water.en.html", "water.en.pdf"):
        assert new[name] == old_en[name]
    assert "ES: Paragraph 1" in (out / "water.es.html").read_text(encoding="utf-8")


def test_a_changed_source_rebuilds_everything(tmp_path: Path) -> None:
    source = statement(tmp_path / "water", catalog=False)
    out = tmp_path / "dist"
    build(source, out_dir=out, formats=("html", "epub"))
    source.write_text(source.read_text(encoding="utf-8").replace("Paragraph 2", "Clause 2"),
                      encoding="utf-8")
    report = build(source, out_dir=out, formats=("html", "epub"))
    assert names(report.rebuilt) == ["water.en.epub", "water.en.html"]


def test_force_rebuilds_all(tmp_path: Path) -> None:
    source = statement(tmp_path / "water")
    out = tmp_path / "dist"
    first = build(source, out_dir=out, formats=ALL)
    again = build(source, out_dir=out, formats=ALL, force=True)
    assert names(again.rebuilt) == names(first.rebuilt) and again.up_to_date == ()
    result = cli("build", str(source), "--out", str(out), "--force", "--quiet")
    assert result.returncode == 0 and result.stderr == ""
    assert build(source, out_dir=out, formats=ALL).rebuilt == ()


def test_a_damaged_or_missing_output_is_rebuilt(tmp_path: Path) -> None:
    source = statement(tmp_path / "water", catalog=False)
    out = tmp_path / "dist"
    build(source, out_dir=out, formats=("html", "epub"))
    good = digests(out)
    (out / "water.en.html").write_text("damaged", encoding="utf-8")
    (out / "water.en.epub").unlink()
    report = build(source, out_dir=out, formats=("html", "epub"))
    assert names(report.rebuilt) == ["water.en.epub", "water.en.html"]
    assert digests(out) == good


def test_other_options_are_other_outputs(tmp_path: Path) -> None:
    """The HTML edition links to the other languages built: building one language
    alone re-renders its HTML, not its EPUB."""
    source = statement(tmp_path / "water")
    out = tmp_path / "dist"
    build(source, out_dir=out, formats=("html", "epub"))
    alone = build(source, out_dir=out, formats=("html", "epub"), langs=["en"])
    assert names(alone.rebuilt) == ["water.en.html"]
    assert names(alone.up_to_date) == ["water.en.epub"]
    assert 'hreflang="es"' not in (out / "water.en.html").read_text(encoding="utf-8")


def test_a_broken_manifest_means_a_full_build(tmp_path: Path) -> None:
    source = statement(tmp_path / "water", catalog=False)
    out = tmp_path / "dist"
    build(source, out_dir=out, formats=("html",))
    (out / MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    assert names(build(source, out_dir=out, formats=("html",)).rebuilt) == ["water.en.html"]
    assert build(source, out_dir=out, formats=("html",)).rebuilt == ()


def test_a_strict_failure_writes_nothing_for_that_edition(tmp_path: Path) -> None:
    """Issue 5: --strict refuses an edition with a fallback; the complete ones are built."""
    source = statement(tmp_path / "water", catalog=False)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "es"}
    po.save(str(source.with_name("statement.es.po")))  # translates nothing
    out = tmp_path / "dist"
    # (min_coverage=0: below the publishing threshold the catalog is not an edition at all)
    with pytest.raises(StrictBuildError) as refused:
        build(source, out_dir=out, strict=True, min_coverage=0)
    assert "refused the es edition" in refused.value.message
    written = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert written == ["water.en.epub", "water.en.html", "water.en.pdf"]
    # the English edition does not link to a Spanish edition that does not exist
    assert "water.es.html" not in (out / "water.en.html").read_text(encoding="utf-8")


# ---- parallel and reproducible ----------------------------------------------------------

def test_jobs_one_and_two_give_the_same_bytes_in_separate_processes(tmp_path: Path) -> None:
    source = statement(tmp_path / "water", signatories=30)
    runs = {}
    for name, jobs in (("a", "1"), ("b", "2"), ("c", "2")):
        out = tmp_path / name
        result = cli("build", str(source), "--out", str(out), "--jobs", jobs, "--quiet")
        assert result.returncode == 0, result.stderr
        runs[name] = digests(out)
    assert len(runs["a"]) == 7  # six files and the manifest
    assert runs["a"] == runs["b"] == runs["c"]


def test_the_api_builds_the_same_bytes_whatever_jobs_is(tmp_path: Path) -> None:
    one = statement(tmp_path / "one")
    two = statement(tmp_path / "two", "Air is a right")
    sequential = build_many([one, two], out_dir=tmp_path / "seq", jobs=1)
    parallel = build_many([one, two], out_dir=tmp_path / "par", jobs=2)
    assert all(r.ok for r in sequential + parallel)
    assert digests(tmp_path / "seq") == digests(tmp_path / "par")
    assert len(digests(tmp_path / "par")) == 13


def test_epub_from_one_pandoc_process_is_the_epub_of_one_run(tmp_path: Path) -> None:
    from statementpub import make_edition
    from statementpub.render.epub import EpubBatch, html_to_epub
    from statementpub.render.html import render_edition_html

    loaded = load_statement(statement(tmp_path / "water"))
    editions = [make_edition(loaded, lang) for lang in ("en", "es")]
    items = [(render_edition_html(e, flavour="pandoc"), e, False) for e in editions]
    batch = EpubBatch(items).results()
    assert batch == [html_to_epub(html, e, has_images=False) for html, e, _ in items]


def test_epub_batch_refuses_an_outside_resource_and_goes_on(tmp_path: Path) -> None:
    from statementpub import make_edition
    from statementpub.errors import EpubRenderError
    from statementpub.render.epub import EpubBatch
    from statementpub.render.html import render_edition_html

    edition = make_edition(load_statement(statement(tmp_path / "water")), "en")
    html = render_edition_html(edition, flavour="pandoc")
    outside = html.replace("</h1>", '</h1><p><img src="/etc/hostname" alt="x"></p>', 1)
    results = EpubBatch([(outside, edition, True), (html, edition, False)]).results()
    assert isinstance(results[0], EpubRenderError)
    assert isinstance(results[1], bytes) and results[1][30:38] == b"mimetype"


def test_preparsed_print_stylesheets_give_the_same_pdf(tmp_path: Path) -> None:
    from statementpub import make_edition
    from statementpub.render.html import render_edition_html, stylesheet
    from statementpub.render.pdf import PRINT_STYLESHEETS, html_to_pdf

    edition = make_edition(load_statement(statement(tmp_path / "water")), "es")
    html = render_edition_html(edition, flavour="print")
    css = stylesheet(*PRINT_STYLESHEETS)
    assert css in html
    # a change that matters to no rule: the stylesheet is then parsed with the document
    inline = html.replace(css, css.replace("{", " {", 1))
    assert html_to_pdf(html) == html_to_pdf(inline)


def test_corpus_statement_in_parallel_equals_sequential(tmp_path: Path) -> None:
    source = corpus_statement()
    for name, jobs in (("seq", 1), ("par", 2)):
        build(source, langs=["en", "es"], out_dir=tmp_path / name, jobs=jobs)
    assert digests(tmp_path / "seq") == digests(tmp_path / "par")


# ---- batches ------------------------------------------------------------------------------

def test_find_sources_expands_folders_sorted(tmp_path: Path) -> None:
    b = statement(tmp_path / "batch" / "b", catalog=False)
    a = statement(tmp_path / "batch" / "a", catalog=False)
    top = statement(tmp_path / "batch", catalog=False)
    (tmp_path / "batch" / "c").mkdir()
    single = statement(tmp_path / "single", catalog=False)
    assert find_sources([tmp_path / "batch", single, a]) == [top, a, b, single]
    with pytest.raises(Exception, match="no statement.md"):
        find_sources([tmp_path / "batch" / "c"])


def test_a_broken_statement_does_not_stop_the_batch(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    statement(folder / "alpha", catalog=False)
    broken = folder / "beta" / "statement.md"
    broken.parent.mkdir(parents=True)
    broken.write_text("---\ndate: 2024-03-01\n---\n\nNo title.\n", encoding="utf-8")
    statement(folder / "gamma", catalog=False)
    out = tmp_path / "dist"
    result = cli("build", str(folder), "--out", str(out), "--format", "html",
                 "--format", "epub", "--jobs", "2")
    assert result.returncode == 1
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "alpha.en.epub", "alpha.en.html", "gamma.en.epub", "gamma.en.html"]
    table = result.stderr[result.stderr.index("statement "):]
    assert "beta" in table and "FAILED" in table
    assert "2 succeeded, 1 failed" in table
    assert f"{broken}" in result.stderr  # the error names its file


def test_batch_results_in_order_with_the_error(tmp_path: Path) -> None:
    good = statement(tmp_path / "good", catalog=False)
    bad = tmp_path / "bad" / "statement.md"
    bad.parent.mkdir()
    bad.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    results = build_many([bad, good], out_dir=tmp_path / "dist", formats=["html"])
    assert [r.ok for r in results] == [False, True]
    assert isinstance(results[0].error, StatementError)
    assert results[1].report is not None and names(results[1].report.rebuilt) == ["good.en.html"]
    table = summary_table(results, out_dir=tmp_path / "dist").splitlines()
    assert table[0].split() == ["statement", "lang", "files", "passages", "in", "source",
                                "language", "result"]
    # no date, no body: two errors
    assert table[2].split() == [str(bad), "-", "-", "-", "FAILED", "(2", "errors)"]
    assert table[3].split() == [str(good), "en", "html", "0", "written"]
    assert table[4] == (f"statements: 1 succeeded, 1 failed; editions: 1 ready in "
                        f"{tmp_path / 'dist'}{os.sep}, 0 refused")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("tty,quiet,shown", [(True, False, True), (True, True, False),
                                             (False, False, False)])
def test_progress_only_on_a_terminal(tmp_path: Path, tty: bool, quiet: bool,
                                     shown: bool) -> None:
    source = statement(tmp_path / "water", catalog=False)
    stream = _Terminal() if tty else io.StringIO()
    status = run_build([source], options=Options(formats=("html",), out_dir=tmp_path / "dist",
                                                 jobs=1, quiet=quiet), stream=stream)
    assert status == 0
    text = stream.getvalue()
    assert ("\r[" in text) is shown
    # one statement has its table too; --quiet prints errors only
    assert ("statements: 1 succeeded, 0 failed; editions: 1 ready" in text) is (not quiet)
    assert (f"{source}  en    html   0" in text) is (not quiet)


def test_cli_build_of_a_missing_path_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           ) -> None:
    assert main(["build", str(tmp_path / "nowhere.md"), "--out", str(tmp_path / "d")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_jobs_must_be_positive(tmp_path: Path) -> None:
    source = statement(tmp_path / "water", catalog=False)
    with pytest.raises(Exception, match="jobs"):
        build(source, out_dir=tmp_path / "dist", jobs=0)


def test_two_statements_with_one_slug_in_a_batch(tmp_path: Path) -> None:
    first = statement(tmp_path / "one" / "water", catalog=False)
    second = statement(tmp_path / "two" / "water", catalog=False)
    results = build_many([first, second], out_dir=tmp_path / "dist", formats=["html"])
    assert results[0].ok and not results[1].ok
    assert "slug 'water'" in str(results[1].error)


def test_workers_from_a_forkserver_when_threads_run(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A program with threads is not forked: its workers come from a fork server, and
    the bytes are the same."""
    build_module = sys.modules["statementpub.build.workers"]
    source = statement(tmp_path / "water")
    build(source, out_dir=tmp_path / "fork", formats=["pdf"], jobs=2)
    monkeypatch.setattr(build_module.threading, "active_count", lambda: 2)
    build(source, out_dir=tmp_path / "server", formats=["pdf"], jobs=2)
    assert digests(tmp_path / "fork") == digests(tmp_path / "server")
