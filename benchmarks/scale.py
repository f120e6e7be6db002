"""statementpub scale benchmark (issue 11): does the work grow linearly with the input?

    .venv/bin/python benchmarks/scale.py [--runs 3] [--only signatories,body,...]
                                         [--formats html,pdf,epub] [--max-load 1.0]
                                         [--smoke] [--json results.json]

For each kind of input, a small and a ten times larger statement are built
(``statementpub build SOURCE --lang en``, every format, a fresh output folder
each run, each a new process), with a one-paragraph statement as the
baseline, and the medians of their wall times, and their peak memory, are
compared. Linear work gives a time ratio of about 10 beyond the baseline
(start-up, imports and fonts; the raw ratio is smaller); the issue's bar is
"at most about 12". The
larger input of each pair is at or near the limit that the loader enforces
(docs/coordinators.md, "Limits"), so the pairs also show what the largest
accepted statement costs:

==============  =====================================  ==========================
case            small -> large                         limit
==============  =====================================  ==========================
signatories     2,000 -> 20,000 names                  20,000 signatories
body            0.1 -> 1 MB of body, 1 KB paragraphs    1,000,000 characters
paragraph       10 -> 100 KB in one paragraph           100,000 characters a block
word            2 -> 40 KB word without a space         (no limit: the print HTML
                                                        breaks very long words)
table           100 -> 1,000 rows                       1,000 rows
footnotes       100 -> 1,000 notes                      1,000 footnotes
==============  =====================================  ==========================

``--smoke`` divides every size by 20 and runs once: it checks that the script
works, not how statementpub scales. Real figures need a quiet machine (the
load average is printed before and after; use ``--max-load``), and take
several minutes (the large PDFs dominate).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run as common  # noqa: E402  (benchmarks/run.py: process measuring)

WORDS = common.WORDS
FRONT = "---\ntitle: A scale test\ndate: 2024-03-01\nlang: en\n"


def _sentence(rnd: random.Random, words: int) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(words)).capitalize() + "."


def _paragraph(rnd: random.Random, size: int) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        sentence = _sentence(rnd, rnd.randint(8, 18))
        parts.append(sentence)
        length += len(sentence) + 1
    return " ".join(parts)[:size].rstrip() + "."


def signatories(n: int) -> str:
    rnd = random.Random(11)
    lines = [FRONT + "signatories:"]
    for i in range(n):
        name = f"{rnd.choice(common.NAMES_A)} {rnd.choice(common.NAMES_B)} {i + 1}"
        lines.append(f'  - name: "{name}"\n    lang: es' if i % 5 == 0 else f'  - "{name}"')
    return "\n".join(lines) + "\n---\n\nWe, the undersigned organisations, ask for water.\n"


def body(total: int) -> str:
    rnd = random.Random(12)
    blocks: list[str] = []
    length = 0
    while length < total:
        if len(blocks) % 20 == 0:
            blocks.append(f"## Part {len(blocks) // 20 + 1}")
        blocks.append(_paragraph(rnd, 1000))
        length += len(blocks[-1]) + 2
    return FRONT + "---\n\n" + "\n\n".join(blocks) + "\n"


def paragraph(size: int) -> str:
    return FRONT + "---\n\n" + _paragraph(random.Random(13), size) + "\n"


def word(size: int) -> str:
    rnd = random.Random(14)
    long_word = "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(size))
    return FRONT + "---\n\nBefore the word " + long_word + " after the word.\n"


def table(rows: int) -> str:
    rnd = random.Random(15)
    lines = ["| town | water | note |", "|---|---|---|"]
    lines += [f"| Town {i} | {rnd.choice(['public', 'private'])} | {_sentence(rnd, 6)} |"
              for i in range(rows)]
    return FRONT + "---\n\nThe towns:\n\n" + "\n".join(lines) + "\n"


def footnotes(count: int) -> str:
    rnd = random.Random(16)
    cites = "\n\n".join(f"{_sentence(rnd, 10)}[^{i}]" for i in range(count))
    notes = "\n\n".join(f"[^{i}]: {_sentence(rnd, 8)}" for i in range(count))
    return FRONT + "---\n\n" + cites + "\n\n" + notes + "\n"


#: case -> (make the source text from a size, small size, large size, unit)
CASES: dict[str, tuple[Callable[[int], str], int, int, str]] = {
    "signatories": (signatories, 2_000, 20_000, "names"),
    "body": (body, 100_000, 990_000, "characters"),
    "paragraph": (paragraph, 10_000, 99_000, "characters"),
    "word": (word, 2_000, 40_000, "characters"),
    "table": (table, 100, 1_000, "rows"),
    "footnotes": (footnotes, 100, 1_000, "notes"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default=",".join(CASES))
    parser.add_argument("--formats", default="html,pdf,epub")
    parser.add_argument("--smoke", action="store_true",
                        help="sizes divided by 20, one run: checks the script, measures nothing")
    parser.add_argument("--max-load", type=float, default=None, metavar="L")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    args = parser.parse_args()
    common.MAX_LOAD = args.max_load
    runs = 1 if args.smoke else args.runs
    formats = [f"--format={fmt}" for fmt in args.formats.split(",")]
    print(f"load average before: {os.getloadavg()}", flush=True)
    results: dict[str, Any] = {}
    work = Path(tempfile.mkdtemp(prefix="statementpub-scale-"))
    try:
        for name in args.only.split(","):
            make, small, large, unit = CASES[name]
            if args.smoke:
                small, large = max(1, small // 20), max(10, large // 20)
            print(f"{name}: {small:,} -> {large:,} {unit}", flush=True)
            commands = {}
            for size in (0, small, large):
                folder = work / f"{name}-{size}"
                folder.mkdir()
                text = make(size) if size else FRONT + "---\n\nWater for all.\n"
                (folder / "statement.md").write_text(text, encoding="utf-8")

                def command(i: int, folder: Path = folder) -> list[str]:
                    out = folder / f"out-{i}"
                    shutil.rmtree(out, ignore_errors=True)
                    return [str(common.PYTHON), "-m", "statementpub", "build",
                            str(folder / "statement.md"), "--out", str(out), "--lang", "en",
                            "--quiet", *formats]

                commands[f"{name} {size:,}" if size else f"{name} baseline"] = command
            measured = common.interleaved(runs, commands)
            (base_row, small_row, large_row) = measured.values()
            ratio = large_row["median"] / small_row["median"]
            # the work beyond a one-paragraph statement (start-up, imports, fonts)
            base = base_row["median"]
            net = ((large_row["median"] - base) / (small_row["median"] - base)
                   if small_row["median"] > base * 1.2 else float("nan"))
            memory = large_row["tree_mib"] / max(small_row["tree_mib"], 1)
            verdict = "linear" if (net if net == net else ratio) <= 12 else "SUPER-LINEAR"
            print(f"  {name}: x{large / small:.0f} input -> x{ratio:.1f} time "
                  f"(x{net:.1f} beyond the baseline's {base:.2f} s), "
                  f"x{memory:.1f} peak memory ({verdict})", flush=True)
            results[name] = {"small": small, "large": large, "unit": unit,
                             "time_ratio": ratio, "net_time_ratio": net,
                             "memory_ratio": memory, "rows": measured}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"load average after: {os.getloadavg()}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    ratios = [row["time_ratio"] for row in results.values()]
    if ratios:
        print(f"largest time ratio: {max(ratios):.1f} (median {statistics.median(ratios):.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
