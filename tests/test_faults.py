"""Fault injection: builds killed at each stage, a full disk, a read-only folder, inputs
changed during a build, concurrent builds into one folder, clashing file names.

Builds are paused at a named stage by the command line's test hook
(``STATEMENTPUB_PAUSE_AT``, see :mod:`statementpub.cli.build_output`), then killed
(SIGKILL) or stopped (SIGTERM), or held while an input is replaced. After each fault:
no partial file, no process left of the build, no manifest entry that does not
describe its file, no temporary folder left, and the next build is correct (the same
bytes as a clean build of the same sources).

Formats are HTML where the fault does not need the others; the worker tests render
PDFs with ``--jobs 2`` so that worker processes exist when the build is killed.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import resource
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from statementpub import Statement, build
from statementpub.build import MANIFEST_NAME, build_many
from statementpub.errors import BuildError

from .test_build import statement, write_catalog

PAUSE = "STATEMENTPUB_PAUSE_AT"


# ---- helpers ---------------------------------------------------------------------------------

def files(folder: Path) -> dict[str, str]:
    """The SHA-256 of every file in ``folder`` (the manifest left out)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file() and p.name != MANIFEST_NAME}


def manifest(folder: Path) -> dict[str, dict[str, str]]:
    path = folder / MANIFEST_NAME
    if not path.exists():
        return {}
    outputs = json.loads(path.read_text(encoding="utf-8"))["outputs"]
    assert isinstance(outputs, dict)
    return outputs


def assert_consistent(out: Path) -> None:
    """No temporary file, and every manifest entry describes the file it names."""
    if not out.exists():
        return
    leftovers = sorted(p.name for p in out.iterdir() if p.name.endswith(".tmp"))
    assert leftovers == []
    current = files(out)
    for name, entry in manifest(out).items():
        assert current.get(name) == entry["sha256"], f"stale manifest entry for {name}"


def group_members(pgid: int) -> list[int]:
    """The live processes (not zombies) of process group ``pgid``."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


def wait_for_no_member(pgid: int, timeout: float = 20) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = group_members(pgid)
        if not alive:
            return []
        time.sleep(0.1)
    return group_members(pgid)


def temporary_folders(tmpdir: Path) -> list[str]:
    return sorted(p.name for p in tmpdir.iterdir()
                  if p.name.startswith(("weasyprint-", "statementpub-fonts-",
                                        "statementpub-epub-")))


class Build:
    """``statementpub build`` in a child process of its own session (so that every
    process it starts is in its process group), with its own ``TMPDIR``."""

    def __init__(self, args: list[str], tmpdir: Path, *, pause: str | None = None,
                 preexec: Callable[[], object] | None = None,
                 command: tuple[str, ...] = ("-m", "statementpub", "build")) -> None:
        env = {**os.environ, "TMPDIR": str(tmpdir)}
        env.pop(PAUSE, None)
        if pause:
            env[PAUSE] = pause
        self.proc = subprocess.Popen(
            [sys.executable, *command, *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=env, start_new_session=True, preexec_fn=preexec)
        self.stderr = b""

    def wait_paused(self, stage: str, timeout: float = 120) -> None:
        assert self.proc.stderr is not None
        wanted = f"statementpub: paused at {stage}".encode()
        deadline = time.monotonic() + timeout
        fd = self.proc.stderr.fileno()
        while wanted not in self.stderr:
            left = deadline - time.monotonic()
            assert left > 0, f"never paused at {stage}: {self.stderr.decode()}"
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 65536)
                assert chunk, f"exited before {stage}: {self.stderr.decode()}"
                self.stderr += chunk

    def resume(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"\n")
        self.proc.stdin.flush()

    def finish(self, timeout: float = 120) -> tuple[int, str]:
        """Wait for the end; the pipes must be released (no process keeps them open)."""
        _, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, (self.stderr + err).decode("utf-8", "replace")


def cli_build(args: list[str], tmpdir: Path) -> tuple[int, str]:
    run = Build(args, tmpdir)
    assert run.proc.stdin is not None
    run.proc.stdin.close()
    run.proc.stdin = None
    return run.finish()


@pytest.fixture
def tmpdir_(tmp_path: Path) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


def two_versions(tmp_path: Path, signatories: int = 6) -> tuple[Path, Path]:
    """A statement with a Spanish catalog, and the output folder to build it into."""
    source = statement(tmp_path / "water", signatories=signatories)
    out = tmp_path / "out"
    return source, out


def change(source: Path) -> None:
    """A new version of the statement and its catalog: a build stopped while making it
    must leave, for each file, the old bytes or the new ones."""
    source.write_text(source.read_text(encoding="utf-8").replace(
        "must stay *public*", "must stay *public and free*"), encoding="utf-8")
    write_catalog(source, "ES ")


# ---- kill -9 and SIGTERM at each stage ---------------------------------------------------------

STAGES = ["loaded", "editions", "planned", "rendering", "rendered", "writing"]


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
@pytest.mark.parametrize("stage", STAGES)
def test_a_build_stopped_at_any_stage_leaves_nothing_broken(
        tmp_path: Path, tmpdir_: Path, stage: str, signum: int) -> None:
    pdf = stage == "rendering"  # the PDF workers are alive at this stage
    formats = ["html", "pdf"] if pdf else ["html"]
    fmt_args = [arg for fmt in formats for arg in ("--format", fmt)]
    source, out = two_versions(tmp_path, signatories=200 if pdf else 6)
    build(source, out_dir=out, formats=formats, jobs=1)
    before = files(out)
    change(source)
    reference = tmp_path / "reference"
    build(source, out_dir=reference, formats=formats, jobs=1)
    after = files(reference)

    run = Build([str(source), "--out", str(out), "--jobs", "2", *fmt_args], tmpdir_,
                pause=stage)
    run.wait_paused(stage)
    if pdf:
        # two PDFs: one worker (a second would cost more to start than a PDF takes)
        assert len(group_members(run.proc.pid)) >= 2, "the build and its PDF worker"
    os.kill(run.proc.pid, signum)
    status, err = run.finish(timeout=60)
    assert status == (-signal.SIGKILL if signum == signal.SIGKILL else 143), err
    if signum == signal.SIGTERM:
        assert "terminated: previous outputs are intact" in err
        assert "Traceback" not in err
    assert wait_for_no_member(run.proc.pid) == [], "processes of the build outlived it"
    # every file is complete: the old version or the new one
    for name, digest in files(out).items():
        assert digest in (before.get(name), after.get(name)), name
    assert_consistent(out)
    if signum == signal.SIGTERM or pdf:
        # SIGTERM: the build removed its folders; SIGKILL: the workers removed theirs
        assert temporary_folders(tmpdir_) == []
    # the next build is correct
    status, err = cli_build([str(source), "--out", str(out), *fmt_args], tmpdir_)
    assert status == 0, err
    assert files(out) == after
    assert_consistent(out)


def test_pdf_workers_die_with_a_killed_build_and_release_its_pipes(
        tmp_path: Path, tmpdir_: Path) -> None:
    """The case of the report: SIGKILL while the workers render PDFs."""
    sources = [statement(tmp_path / name, title, signatories=300)
               for name, title in (("water", "Water is a right"), ("air", "Air is a right"))]
    run = Build([*map(str, sources), "--out", str(tmp_path / "out"), "--jobs", "2",
                 "--format", "pdf", "--format", "epub"], tmpdir_, pause="rendering")
    run.wait_paused("rendering")
    workers = [pid for pid in group_members(run.proc.pid) if pid != run.proc.pid]
    assert workers
    os.kill(run.proc.pid, signal.SIGKILL)
    run.finish(timeout=60)  # returns: no worker holds the pipes
    assert wait_for_no_member(run.proc.pid) == []
    assert not [name for name in temporary_folders(tmpdir_) if "epub" not in name]
    # pandoc's folder, left by the killed process, is removed by the next build
    status, err = cli_build([str(sources[0]), "--out", str(tmp_path / "out"),
                             "--format", "epub"], tmpdir_)
    assert status == 0, err
    assert temporary_folders(tmpdir_) == []


_SERVICE = """
import sys
from statementpub.build import build_many

def stage(name):
    if name == "rendering":
        print("statementpub: paused at rendering", file=sys.stderr, flush=True)
        sys.stdin.readline()

build_many(sys.argv[2:], out_dir=sys.argv[1], formats=["pdf", "epub"], jobs=2, stage=stage)
"""


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_pdf_workers_die_with_a_program_that_calls_the_api(
        tmp_path: Path, tmpdir_: Path, signum: int) -> None:
    """A service that calls ``build_many`` and sets no signal handler: SIGTERM's default
    action kills it as SIGKILL does, and its workers and pandoc still die with it."""
    sources = [statement(tmp_path / name, title, signatories=300, catalog=False)
               for name, title in (("water", "Water is a right"), ("air", "Air is a right"))]
    run = Build([str(tmp_path / "out"), *map(str, sources)], tmpdir_,
                command=("-c", _SERVICE))
    run.wait_paused("rendering")
    # the program and its PDF worker (pandoc too, unless it is done with the EPUBs)
    assert len(group_members(run.proc.pid)) >= 2
    os.kill(run.proc.pid, signum)
    status, _ = run.finish(timeout=60)
    assert status == -signum
    assert wait_for_no_member(run.proc.pid) == []
    assert not [name for name in temporary_folders(tmpdir_) if "epub" not in name]
    assert not (tmp_path / "out").exists() or files(tmp_path / "out") == {}


# ---- inputs changed while a build runs ------------------------------------------------------

def test_a_catalog_saved_during_a_build_is_rendered_by_the_next(
        tmp_path: Path, tmpdir_: Path) -> None:
    source = statement(tmp_path / "water")
    out = tmp_path / "out"
    run = Build([str(source), "--out", str(out), "--format", "html"], tmpdir_,
                pause="editions")
    run.wait_paused("editions")
    write_catalog(source, "NUEVO ")  # the translator saves while the build runs
    run.resume()
    status, err = run.finish()
    assert status == 0, err
    assert "ES Paragraph 1" in (out / "water.es.html").read_text(encoding="utf-8")
    report = build(source, out_dir=out, formats=["html"])
    assert [p.name for p in report.rebuilt] == ["water.es.html"]
    assert "NUEVO Paragraph 1" in (out / "water.es.html").read_text(encoding="utf-8")


def test_a_source_saved_during_a_build_is_rendered_by_the_next(
        tmp_path: Path, tmpdir_: Path) -> None:
    source = statement(tmp_path / "water", catalog=False)
    out = tmp_path / "out"
    run = Build([str(source), "--out", str(out), "--format", "html"], tmpdir_,
                pause="loaded")
    run.wait_paused("loaded")
    source.write_text(source.read_text(encoding="utf-8").replace("Paragraph 1", "Clause 1"),
                      encoding="utf-8")
    run.resume()
    status, err = run.finish()
    assert status == 0, err
    assert "Paragraph 1" in (out / "water.en.html").read_text(encoding="utf-8")
    report = build(source, out_dir=out, formats=["html"])
    assert [p.name for p in report.rebuilt] == ["water.en.html"]
    assert "Clause 1" in (out / "water.en.html").read_text(encoding="utf-8")


def test_the_recorded_hashes_are_those_of_the_bytes_read(tmp_path: Path) -> None:
    """A statement and an edition carry the SHA-256 of exactly what was parsed."""
    from statementpub import load_statement, make_edition

    source = statement(tmp_path / "water")
    loaded = load_statement(source)
    assert loaded.source_sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    catalog = source.with_name("statement.es.po")
    edition = make_edition(loaded, "es")
    assert edition.catalog_sha256 == hashlib.sha256(catalog.read_bytes()).hexdigest()


# ---- a full disk, a read-only folder ----------------------------------------------------------

def _file_size_limit(limit: int) -> Callable[[], object]:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_full_disk_leaves_the_previous_outputs(tmp_path: Path, tmpdir_: Path) -> None:
    source, out = two_versions(tmp_path)
    build(source, out_dir=out, formats=["html"])
    before = files(out)
    change(source)
    run = Build([str(source), "--out", str(out), "--format", "html"], tmpdir_,
                preexec=_file_size_limit(4096))
    assert run.proc.stdin is not None
    run.proc.stdin.close()
    run.proc.stdin = None
    status, err = run.finish()
    assert status == 1
    assert "cannot write" in err and "Traceback" not in err
    assert files(out) == before
    assert_consistent(out)
    report = build(source, out_dir=out, formats=["html"])
    assert len(report.rebuilt) == 2
    assert_consistent(out)


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True, check=False).returncode == 0


def test_a_full_tmpfs_leaves_the_previous_outputs(tmp_path: Path, tmpdir_: Path) -> None:
    out = tmp_path / "small"
    out.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=4m", "tmpfs", str(out)):
        pytest.skip("cannot mount a small tmpfs here")
    try:
        source = statement(tmp_path / "water", catalog=False)
        build(source, out_dir=out, formats=["html"])
        before = files(out)
        free = os.statvfs(out)
        (out / "filler").write_bytes(b"\0" * (free.f_bavail * free.f_frsize - 8192))
        before["filler"] = files(out)["filler"]
        change(source)
        status, err = cli_build([str(source), "--out", str(out), "--format", "html",
                                 "--lang", "en"], tmpdir_)
        assert status == 1 and "No space left on device" in err, err
        assert files(out) == before
        assert_consistent(out)
        (out / "filler").unlink()
        report = build(source, out_dir=out, formats=["html"], langs=["en"])
        assert len(report.rebuilt) == 1
        assert_consistent(out)
    finally:
        _mount_off(out)


def _mount_off(path: Path) -> None:
    subprocess.run(["umount", str(path)], capture_output=True, check=False)


def test_a_read_only_output_folder_is_a_clear_error(tmp_path: Path, tmpdir_: Path) -> None:
    source = statement(tmp_path / "water", catalog=False)
    out = tmp_path / "readonly"
    out.mkdir()
    mounted = False
    if os.geteuid() == 0:  # root writes through permissions: mount the folder read-only
        if not _mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(out)):
            pytest.skip("cannot mount a tmpfs here")
        mounted = True
    try:
        build(source, out_dir=out, formats=["html"])
        before = files(out)
        if mounted:
            assert _mount("-o", "remount,ro", str(out))
        else:
            out.chmod(0o555)
        change(source)
        status, err = cli_build([str(source), "--out", str(out), "--format", "html"],
                                tmpdir_)
        assert status == 1, err
        assert "cannot write" in err and "Traceback" not in err
        assert files(out) == before
        assert_consistent(out)
    finally:
        if mounted:
            _mount_off(out)
        else:
            out.chmod(0o755)


# ---- concurrent builds into one folder --------------------------------------------------------

def _build_at_barrier(source: str, out: str, barrier: object) -> None:
    barrier.wait()  # type: ignore[attr-defined]
    try:
        build(source, out_dir=out, formats=["html"], jobs=1)
    except BaseException:  # noqa: BLE001 - the exit status tells the parent
        os._exit(1)
    os._exit(0)


def test_four_concurrent_builds_into_one_folder_lose_no_entry(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    names = ["water", "air", "soil", "fire"]
    out = tmp_path / "out"
    for round_ in range(20):
        sources = [statement(tmp_path / name, f"{name.title()} is a right, round {round_}",
                             catalog=False, paragraphs=1, signatories=2) for name in names]
        barrier = context.Barrier(len(sources))
        processes = [context.Process(target=_build_at_barrier, args=(str(s), str(out), barrier))
                     for s in sources]
        for process in processes:
            process.start()
        for process in processes:
            process.join(60)
        assert [p.exitcode for p in processes] == [0, 0, 0, 0], round_
        entries = manifest(out)
        assert sorted(entries) == sorted(f"{name}.en.html" for name in names), round_
        assert_consistent(out)
        for name in names:
            html = (out / f"{name}.en.html").read_text(encoding="utf-8")
            assert f"round {round_}</h1>" in html
            assert entries[f"{name}.en.html"]["source"] == str(
                (tmp_path / name / "statement.md").resolve())
    # and nothing is rebuilt after the last round
    report = build(tmp_path / "water" / "statement.md", out_dir=out, formats=["html"])
    assert report.rebuilt == ()


# ---- file names: another source's file, titles without ASCII letters, long titles -----------

def _with_slug(folder: Path, slug: str, title: str) -> Path:
    source = statement(folder, title, catalog=False)
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("lang: en\n", f"lang: en\nslug: {slug}\n"), encoding="utf-8")
    return source


def test_a_file_made_from_another_source_is_not_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _with_slug(tmp_path / "one", "water", "Water is a right")
    second = _with_slug(tmp_path / "two", "water", "Water is a commons")
    build(first, out_dir=out, formats=["html"])
    kept = files(out)
    with pytest.raises(BuildError) as caught:
        build(second, out_dir=out, formats=["html"])
    message = str(caught.value)
    assert str(first.resolve()) in message and str(second.resolve()) in message
    assert "water.en.html" in message and "--force" in message
    assert files(out) == kept
    build(second, out_dir=out, formats=["html"], force=True)
    assert "Water is a commons" in (out / "water.en.html").read_text(encoding="utf-8")
    assert manifest(out)["water.en.html"]["source"] == str(second.resolve())


def test_the_command_line_names_both_sources(tmp_path: Path, tmpdir_: Path) -> None:
    out = tmp_path / "out"
    first = _with_slug(tmp_path / "one", "water", "Water is a right")
    second = _with_slug(tmp_path / "two", "water", "Water is a commons")
    assert cli_build([str(first), "--out", str(out), "--format", "html"], tmpdir_)[0] == 0
    status, err = cli_build([str(second), "--out", str(out), "--format", "html"], tmpdir_)
    assert status == 1
    assert f"made from {first.resolve()}" in err and str(second.resolve()) in err


TITLES = {"ru": "Вода — право каждого", "ar": "الماء حق للجميع", "hi": "जल सबका अधिकार",
          "el": "Το νερό είναι δικαίωμα"}


def _mapping(title: str) -> Statement:
    return Statement.from_mapping({"title": title, "date": "2024-03-01", "lang": "en"},
                                  "We ask for water.\n")


def test_titles_without_ascii_letters_get_their_own_file_names(tmp_path: Path) -> None:
    slugs = {lang: _mapping(title).slug for lang, title in TITLES.items()}
    assert slugs == {"ru": "voda-pravo-kazhdogo", "ar": "lm-hq-lljmy",
                     "hi": "jl-sbka-adhikar", "el": "to-nero-einai-dikaioma"}
    out = tmp_path / "out"
    for title in TITLES.values():
        build(_mapping(title), out_dir=out, formats=["html"])
    assert len(files(out)) == len(TITLES)
    assert _mapping("———").slug == "s-" + hashlib.sha256("———".encode()).hexdigest()[:12]


def test_two_mapping_statements_with_one_slug_do_not_overwrite_each_other(
        tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(_mapping("Вода"), out_dir=out, formats=["html"])
    with pytest.raises(BuildError, match="<mapping: Вода>"):
        build(_mapping("Voda"), out_dir=out, formats=["html"])


def test_a_240_character_title_builds(tmp_path: Path) -> None:
    title = " ".join(["Water"] * 40)[:240]
    statement_ = _mapping(title)
    assert len(statement_.slug) <= 80
    results = build_many([statement_], out_dir=tmp_path / "out", formats=["html", "epub"])
    assert results[0].ok, results[0].error
    assert {p.suffix for p in results[0].report.files} == {".html", ".epub"}  # type: ignore[union-attr]


def test_a_file_name_too_long_is_refused_before_rendering(tmp_path: Path) -> None:
    source = _with_slug(tmp_path / "water", "w" * 250, "Water is a right")
    with pytest.raises(BuildError, match="longer than 255 bytes: set a shorter 'slug'"):
        build(source, out_dir=tmp_path / "out", formats=["html"])
    assert not (tmp_path / "out").exists()


def test_temporary_names_fit_the_file_system(tmp_path: Path) -> None:
    from statementpub.build import write_atomically

    path = tmp_path / ("w" * 245 + ".en.html")  # 253 bytes: the longest kind of output name
    write_atomically(path, b"data")
    assert path.read_bytes() == b"data"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_leftover_temporary_files_are_removed_by_the_next_build(tmp_path: Path) -> None:
    source = statement(tmp_path / "water", catalog=False)
    out = tmp_path / "out"
    out.mkdir()
    leftover = out / ".water.en.html.abcd1234.tmp"
    leftover.write_bytes(b"half a file")
    unrelated = out / ".notes.tmp"
    unrelated.write_bytes(b"someone else's")
    build(source, out_dir=out, formats=["html"])
    assert not leftover.exists() and unrelated.exists()



def test_a_killed_sequential_build_leaves_its_fonts_folder_to_the_next(
        tmp_path: Path, tmpdir_: Path) -> None:
    """With one PDF the build renders it itself; killed, it cannot remove its fonts
    folder: that folder is named after it, and the next build removes it."""
    source = statement(tmp_path / "water", catalog=False, signatories=300)
    out = tmp_path / "out"
    run = Build([str(source), "--out", str(out), "--format", "pdf", "--jobs", "1"], tmpdir_,
                pause="rendered")
    run.wait_paused("rendered")
    os.kill(run.proc.pid, signal.SIGKILL)
    run.finish(timeout=60)
    assert [name for name in temporary_folders(tmpdir_)
            if name.startswith(f"statementpub-fonts-{run.proc.pid}-")]
    status, err = cli_build([str(source), "--out", str(out), "--format", "pdf", "--force",
                             "--jobs", "1"], tmpdir_)
    assert status == 0, err
    assert temporary_folders(tmpdir_) == []
