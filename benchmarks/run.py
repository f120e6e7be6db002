"""statementpub benchmark (issue 4): whole processes, several runs, medians.

    .venv/bin/python benchmarks/run.py [--runs 5] [--only corpus,large,rebuild,warm]
                                       [--json results.json]

Measures, each as a new process, with the median of ``--runs`` runs:

(a) ``statementpub build`` of the shared corpus statement (en + es, html/pdf/epub),
    into a fresh output folder each run;
(b) the floor: ``benchmarks/floor.py``, pandoc and WeasyPrint alone in one
    process, sequentially, on the same content (Markdown made from each edition)
    with the same stylesheets and fonts;
(c) the pandoc CLI per file, WeasyPrint as its PDF engine (``--pdf-engine=weasyprint``);
(d) a generated statement with 5,000 signatories and 60 paragraphs (one
    language, three formats), against its own floor;
then a rebuild with nothing changed (same output folder), and in one process
the warm library calls (``warm.py``). Peak memory is the largest resident set
of the process tree, sampled every 10 ms (``tree``), and the largest single
process (``ru_maxrss`` from ``wait4``).

Timings are noisy on a shared two-core machine: the load average is printed
before and after; run it when ``uptime`` shows a low load.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = (Path(os.environ.get("STATEMENTPUB_CORPUS") or ROOT.parent / "shared" / "corpus")
          / "safe-third-country" / "statement.md")
PYTHON = Path(sys.executable)
BIN = PYTHON.parent
PAGE = os.sysconf("SC_PAGE_SIZE")


# ---- measuring a process tree ---------------------------------------------------------

def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo.extend(int(child) for child in handle.read().split())
        except OSError:
            pass
    return pids


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and every descendant (workers, fork servers)."""
    return sum(_rss(member) for member in _tree(pid))


def run_process(command: list[str], env: dict[str, str] | None = None,
                cwd: Path | None = None) -> dict[str, float]:
    """Run ``command``; its wall time, the peak RSS of its whole tree (sampled) and
    the largest single process's ``ru_maxrss``."""
    peak = 0
    done = threading.Event()
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(proc.pid))
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}):\n{stderr}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "tree_mib": peak / 2**20, "maxrss_mib": usage.ru_maxrss / 1024}


#: Before each round, wait (at most QUIET_WAIT seconds) for the one-minute load
#: average to fall below this (``--max-load``; None: do not wait).
MAX_LOAD: float | None = None
QUIET_WAIT = 300.0


def wait_for_quiet() -> None:
    if MAX_LOAD is None:
        return
    deadline = time.monotonic() + QUIET_WAIT
    while os.getloadavg()[0] >= MAX_LOAD:
        if time.monotonic() > deadline:
            print(f"  (load still {os.getloadavg()[0]:.2f} after {QUIET_WAIT:.0f} s: "
                  "measuring anyway)", flush=True)
            return
        time.sleep(5)


def interleaved(runs: int, commands: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Run each of ``commands`` (name: ``make(i)`` giving the command line) ``runs``
    times, taking turns, so that a change in the machine's load falls on all alike."""
    results: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
    for i in range(runs):
        wait_for_quiet()
        for name, make in commands.items():
            results[name].append(run_process(make(i)))
    return {name: summarize(name, rows) for name, rows in results.items()}


def summarize(name: str, results: list[dict[str, float]]) -> dict[str, Any]:
    walls = [r["wall"] for r in results]
    summary = {"median": statistics.median(walls), "min": min(walls), "max": max(walls),
               "cpu": statistics.median(r["cpu"] for r in results),
               "tree_mib": max(r["tree_mib"] for r in results),
               "maxrss_mib": max(r["maxrss_mib"] for r in results), "runs": walls}
    print(f"  {name:<34} median {summary['median']:6.3f} s  (min {summary['min']:.3f}, "
          f"max {summary['max']:.3f}, cpu {summary['cpu']:.3f})  "
          f"peak {summary['tree_mib']:6.1f} MiB tree, "
          f"{summary['maxrss_mib']:6.1f} MiB largest process", flush=True)
    return summary


# ---- inputs -----------------------------------------------------------------------------

WORDS = ("coalition rights migrants protection border asylum policy communities families "
         "government agreement obligations international safety people access justice "
         "support funding humanitarian children women organizations region dignity law "
         "process return danger screening cooperation assistance decision response public "
         "commitment responsibility accountability shelter health education").split()
NAMES_A = ("Alianza Centro Comité Coalition Council Fundación Grupo Institute Instituto Network "
           "Red Servicio Sisters Union Workers Youth Friends Mission Project Association").split()
NAMES_B = ("Migrante Refugee Justicia Justice Derechos Rights Frontera Border Esperanza Hope "
           "Comunitario Community Solidaridad Solidarity Paz Peace Tierra Land "
           "Caridad Mercy").split()


def large_statement(folder: Path, signatories: int = 5000, paragraphs: int = 60) -> Path:
    """A generated statement: ``paragraphs`` body paragraphs under a few headings and
    ``signatories`` names (a fifth marked Spanish), deterministic."""
    rnd = random.Random(4)
    folder.mkdir(parents=True, exist_ok=True)

    def sentence(n: int) -> str:
        words = [rnd.choice(WORDS) for _ in range(n)]
        return " ".join(words).capitalize() + "."

    lines = ["---", 'title: "A Generated Joint Statement with Five Thousand Signatories"',
             "date: 2024-03-01", "lang: en", "kind: joint-statement",
             "summary: >-", "  " + " ".join(sentence(14) for _ in range(3)),
             "signatories:"]
    for i in range(signatories):
        name = f"{rnd.choice(NAMES_A)} {rnd.choice(NAMES_B)} {rnd.choice(NAMES_B)} {i + 1}"
        if i % 5 == 0:
            lines += [f'  - name: "{name}"', "    lang: es"]
        else:
            lines.append(f'  - "{name}"')
    lines += ["---", ""]
    for p in range(paragraphs):
        if p % 12 == 0:
            lines += [f"## Part {p // 12 + 1}: {sentence(4)[:-1]}", ""]
        body = " ".join(sentence(rnd.randint(10, 20)) for _ in range(5))
        lines += [body.replace(" rights ", " *rights* ", 1), ""]
    path = folder / "statement.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def styles_copy(target: Path) -> Path:
    """The project's stylesheets and fonts, combined for the hand-made pipelines:
    ``screen.css`` (fonts + base) and ``print.css`` (the paged-media rules)."""
    from statementpub.resources import styles_dir

    source = styles_dir()
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / "fonts", target / "fonts", dirs_exist_ok=True)
    screen = "\n".join((source / name).read_text(encoding="utf-8")
                       for name in ("fonts.css", "base.css"))
    (target / "screen.css").write_text(screen, encoding="utf-8")
    shutil.copy(source / "print.css", target / "print.css")
    return target


def markdown_editions(statement_path: Path, langs: list[str], target: Path) -> list[Path]:
    """Each edition's content as pandoc Markdown (title, date, language in a YAML block),
    made from the pandoc-flavour HTML that statementpub gives pandoc: the same content."""
    import pypandoc
    import yaml

    from statementpub import load_statement, make_edition
    from statementpub.render.html import render_edition_html

    statement = load_statement(statement_path)
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for lang in langs:
        edition = make_edition(statement, lang)
        html = render_edition_html(edition, flavour="pandoc")
        body = pypandoc.convert_text(html, "markdown", format="html")
        # the title is in the metadata block: drop the level-1 heading pandoc read
        body = "\n".join(line for line in body.split("\n") if not line.startswith("# "))
        meta = {"title": edition.title.value, "lang": lang,
                "date": edition.labels.date.value}
        path = target / f"{lang}.md"
        path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n" + body,
                        encoding="utf-8")
        paths.append(path)
    return paths


def cli_script(sources: list[Path], styles: Path, out: Path) -> list[str]:
    """The pandoc CLI per file, as a person would type it, WeasyPrint as PDF engine."""
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    lines = ["set -e", f'export PATH="{BIN}:$PATH"', f'mkdir -p "{out}"']
    for source in sources:
        stem = out / source.stem
        lines += [
            f'"{pandoc}" "{source}" --standalone --css="{styles}/screen.css" -o "{stem}.html"',
            f'"{pandoc}" "{source}" -o "{stem}.epub"',
            (f'"{pandoc}" "{source}" --standalone --css="{styles}/screen.css" '
             f'--css="{styles}/print.css" --pdf-engine=weasyprint -o "{stem}.pdf"'),
        ]
    return ["bash", "-c", "\n".join(lines)]


# ---- the benchmark ----------------------------------------------------------------------

def prepare_inputs(work: Path, parts: set[str]) -> dict[str, Any]:
    """Everything the timed runs read, made in a separate process (``--prepare``) so
    that this one stays small: a child's ``ru_maxrss`` starts from its parent's size."""
    command = [str(PYTHON), str(Path(__file__).resolve()), "--prepare", str(work),
               "--only", ",".join(sorted(parts))]
    inputs: dict[str, Any] = json.loads(subprocess.run(command, check=True, capture_output=True,
                                                       text=True).stdout)
    return inputs


def _prepare(work: Path, parts: set[str]) -> dict[str, Any]:
    made: dict[str, Any] = {"styles": str(styles_copy(work / "styles"))}
    if parts & {"corpus", "rebuild"}:
        made["corpus_md"] = [str(p) for p in
                             markdown_editions(CORPUS, ["en", "es"], work / "corpus-md")]
    if "large" in parts:
        source = large_statement(work / "large" / "generated")
        made["large"] = str(source)
        made["large_md"] = [str(p) for p in markdown_editions(source, ["en"], work / "large-md")]
    if "warm" in parts:
        made["warm_md"] = [str(p) for p in markdown_editions(CORPUS, ["es"], work / "warm-md")]
    return made


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="corpus,large,rebuild,warm")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    parser.add_argument("--jobs", type=int, default=None,
                        help="pass --jobs to statementpub build (default: its own default)")
    parser.add_argument("--max-load", type=float, default=None, metavar="L",
                        help="before each round, wait up to 5 minutes for the one-minute "
                             "load average to fall below L (other work skews the timings)")
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    global MAX_LOAD
    MAX_LOAD = args.max_load
    only = set(args.only.split(","))
    if args.prepare:
        print(json.dumps(_prepare(args.prepare, only)))
        return 0
    if not CORPUS.is_file() and only & {"corpus", "rebuild", "warm"}:
        raise SystemExit(f"the shared corpus is missing: {CORPUS}")
    # An installed wheel has its bytecode compiled by pip; an editable install does
    # not, and with PYTHONDONTWRITEBYTECODE set (as on these machines) every process
    # would compile statementpub's sources again (~150 ms). Measure what users run.
    import compileall

    compileall.compile_dir(str(ROOT / "src" / "statementpub"), quiet=1)
    statementpub = [str(BIN / "statementpub"), "build", "--quiet"]
    if args.jobs:
        statementpub += ["--jobs", str(args.jobs)]
    results: dict[str, object] = {"load_before": load(), "runs": args.runs,
                                  "cpus": os.cpu_count()}
    print(f"load average before: {results['load_before']}  (cpus: {os.cpu_count()})")
    with tempfile.TemporaryDirectory(prefix="statementpub-bench-") as tmp:
        work = Path(tmp)
        made = prepare_inputs(work, only)
        styles = Path(made["styles"])
        fresh = iter(range(10**6))

        def out() -> str:
            return str(work / f"out-{next(fresh)}")

        if only & {"corpus", "rebuild"}:
            md = [Path(p) for p in made["corpus_md"]]
            print("corpus statement, en + es, three formats:")
            commands = {"(a) statementpub build":
                        lambda i: statementpub + [str(CORPUS), "--out", out()]}
            if "corpus" in only:
                commands["(b) floor: pandoc + WeasyPrint"] = lambda i: [
                    str(PYTHON), str(HERE / "floor.py"), "--styles", str(styles),
                    "--out", out(), *map(str, md)]
                commands["(c) pandoc CLI per file"] = \
                    lambda i: cli_script(md, styles, Path(out()))
            if "rebuild" in only:
                target = out()
                run_process(statementpub + [str(CORPUS), "--out", target])
                commands["rebuild, nothing changed"] = \
                    lambda i: statementpub + [str(CORPUS), "--out", target]
            timed = interleaved(args.runs, commands)
            a = results["a"] = timed["(a) statementpub build"]
            if "corpus" in only:
                b, c = timed["(b) floor: pandoc + WeasyPrint"], timed["(c) pandoc CLI per file"]
                results.update(b=b, c=c, a_over_b=a["median"] / b["median"],
                               a_over_c=a["median"] / c["median"])
                print(f"  (a)/(b) = {results['a_over_b']:.2f}   target <= 0.75")
                print(f"  (a)/(c) = {results['a_over_c']:.2f}   target <= 0.50")
            if "rebuild" in only:
                r = timed["rebuild, nothing changed"]
                results.update(rebuild=r, rebuild_over_a=r["median"] / a["median"])
                print(f"  rebuild/(a) = {results['rebuild_over_a']:.2f}   target <= 0.25")
        if "large" in only:
            source = Path(made["large"])
            md = [Path(p) for p in made["large_md"]]
            print("generated statement: 5,000 signatories, 60 paragraphs, en, three formats:")
            timed = interleaved(args.runs, {
                "(d) statementpub build":
                    lambda i: statementpub + [str(source), "--out", out()],
                "(d) floor: pandoc + WeasyPrint": lambda i: [
                    str(PYTHON), str(HERE / "floor.py"), "--styles", str(styles),
                    "--out", out(), *map(str, md)]})
            d, fd = timed["(d) statementpub build"], timed["(d) floor: pandoc + WeasyPrint"]
            results.update(d=d, d_floor=fd, d_over_floor=d["median"] / fd["median"])
            print(f"  (d)/floor = {results['d_over_floor']:.2f}   target <= 1.0; "
                  f"peak {d['tree_mib']:.0f} MiB (target <= 450)")
        if "warm" in only:
            md = [Path(p) for p in made["warm_md"]]
            print("warm library calls, corpus statement in Spanish, one process:")
            proc = subprocess.run([str(PYTHON), str(HERE / "warm.py"), str(CORPUS), str(md[0])],
                                  capture_output=True, text=True, check=True)
            warm = json.loads(proc.stdout)
            for key, value in warm.items():
                print(f"  {key:<34} {value:8.4f}")
            results["warm"] = warm
            print(f"  render_html / pypandoc md->html = {warm['html_ratio']:.3f}   target <= 0.05")
            print(f"  render_pdf / WeasyPrint alone   = {warm['pdf_ratio']:.2f}   target <= 1.1")
    results["load_after"] = load()
    print(f"load average after: {results['load_after']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
