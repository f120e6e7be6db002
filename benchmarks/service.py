"""Benchmark of the render service and the preview (issue 14). Not a test.

    .venv/bin/python benchmarks/service.py [--smoke] [--json FILE]

Targets (the figures are printed; nothing fails):

1. warm ``POST /v1/render`` of the corpus statement in Spanish as HTML: median
   at most 0.1 x a cold ``statementpub build --format html --lang es`` (each a
   new process, into a fresh folder);
2. 8 concurrent clients, 240 good requests (en/es x html/pdf/epub) and 40 bad
   ones interleaved: no 5xx, every good answer the bytes of the in-process API,
   the server's memory (its worker processes included) at the end at most 1.15 x
   at half-way;
3. preview: from saving a changed paragraph to the new HTML being served, at
   most 0.5 s (median of several saves).

``--smoke`` runs each part small (3 warm renders, 24 + 4 requests, 2 saves), to
check that the script works; the figures then mean little. The machine has two
cores shared with other work: run the real thing when ``uptime`` shows a low
load, and quote the load average printed with the figures.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as common  # noqa: E402  (benchmarks/run.py: process measuring)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "safe-third-country" / "statement.md"
PYTHON = Path(sys.executable)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _data(node: Any) -> Any:
    if isinstance(node, yaml.ScalarNode):
        if node.style is None and node.value in ("", "~", "null", "Null", "NULL"):
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_data(item) for item in node.value]
    return {key.value: _data(value) for key, value in node.value}


def request_of(source: Path, lang: str, fmt: str) -> dict[str, Any]:
    """The render request of a statement file: its front matter as data, its body, its
    catalog for ``lang`` and its images as assets."""
    from statementpub import load_statement

    text = source.read_text(encoding="utf-8").replace("\r\n", "\n")
    lines = text.split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() == "---")
    front = _data(yaml.compose("\n".join(lines[1:end]), Loader=yaml.BaseLoader))
    statement = load_statement(source)
    names = list(statement.body.images)
    if statement.publisher and statement.publisher.logo:
        names.append(statement.publisher.logo.src)
    document: dict[str, Any] = {
        "statement": front, "body": "\n".join(lines[end + 1:]), "lang": lang, "format": fmt,
        "assets": {name: base64.b64encode((source.parent / name).read_bytes()).decode()
                   for name in names}}
    if lang != statement.lang:
        document["catalog"] = (source.parent / f"{source.stem}.{lang}.po").read_text(
            encoding="utf-8")
    return document


def expected_bytes(document: dict[str, Any]) -> bytes:
    """What the in-process API makes of ``document`` (the service's promise)."""
    import polib

    from statementpub import Statement, render_epub, render_html, render_pdf

    with tempfile.TemporaryDirectory() as folder:
        for name, data in document["assets"].items():
            (Path(folder) / name).parent.mkdir(parents=True, exist_ok=True)
            (Path(folder) / name).write_bytes(base64.b64decode(data))
        statement = Statement.from_mapping(document["statement"], document["body"],
                                           base_dir=folder)
        catalog = polib.pofile(document["catalog"]) if "catalog" in document else None
        render = {"html": lambda: render_html(statement, document["lang"],
                                              catalog=catalog).encode(),
                  "pdf": lambda: render_pdf(statement, document["lang"], catalog=catalog),
                  "epub": lambda: render_epub(statement, document["lang"], catalog=catalog)}
        return render[document["format"]]()


BAD: list[tuple[str, Any, dict[str, str]]] = [
    ("422 statement", {"statement": {"titel": "x"}, "body": "Text."}, {}),
    ("422 catalog", None, {}),  # filled in below: a broken catalog
    ("400 json", b'{"statement": ', {"Content-Type": "application/json"}),
    ("415 type", b"{}", {"Content-Type": "text/plain"}),
]


def serve(extra: list[str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    process = subprocess.Popen([str(PYTHON), "-m", "statementpub", "serve", "--port",
                                str(port), *extra], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(base + "/v1/health", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def warm(base: str, runs: int) -> dict[str, float]:
    document = request_of(CORPUS, "es", "html")
    times = []
    with httpx.Client(timeout=120) as client:
        client.post(base + "/v1/render", json=document)
        for _ in range(runs):
            start = time.perf_counter()
            response = client.post(base + "/v1/render", json=document)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200
    cold = []
    for _ in range(max(1, runs // 5)):
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            subprocess.run([str(PYTHON), "-m", "statementpub", "build", str(CORPUS),
                            "--format", "html", "--lang", "es", "--out", out, "--quiet"],
                           check=True, env=dict(os.environ, PYTHONPATH=str(ROOT / "src")))
            cold.append(time.perf_counter() - start)
    result = {"warm_median_s": statistics.median(times), "cold_build_s": statistics.median(cold)}
    result["ratio"] = result["warm_median_s"] / result["cold_build_s"]
    return result


def load(base: str, pid: int, good: int, bad: int) -> dict[str, Any]:
    combos = [(lang, fmt) for lang in ("en", "es") for fmt in ("html", "pdf", "epub")]
    documents = {combo: request_of(CORPUS, *combo) for combo in combos}
    expected = {combo: expected_bytes(doc) for combo, doc in documents.items()}
    broken = dict(documents[("es", "html")], catalog='msgid "x\n')
    bad_requests = [(name, broken if body is None else body, headers)
                    for name, body, headers in BAD]
    plan: list[tuple[str, Any]] = []
    step = (good + bad) // bad if bad else 0
    for index in range(good + bad):
        if step and index % step == step - 1:  # every step-th request is a bad one
            plan.append(("bad", bad_requests[index % len(bad_requests)]))
        else:
            plan.append(("good", combos[index % len(combos)]))
    results: list[tuple[str, Any, int, bool]] = []
    memory: dict[str, int] = {}
    lock = threading.Lock()

    def one(item: tuple[str, Any]) -> None:
        kind, what = item
        with httpx.Client(timeout=300) as client:
            if kind == "good":
                response = client.post(base + "/v1/render", json=documents[what])
                same = response.content == expected[what]
            else:
                _, body, headers = what
                if isinstance(body, bytes):
                    response = client.post(base + "/v1/render", content=body,
                                           headers=headers)
                else:
                    response = client.post(base + "/v1/render", json=body)
                same = True
        with lock:
            results.append((kind, what, response.status_code, same))
            if len(results) == len(plan) // 2:
                memory["half"] = common.tree_rss(pid)

    start = time.perf_counter()
    with ThreadPoolExecutor(8) as clients:
        list(clients.map(one, plan))
    memory["end"] = common.tree_rss(pid)
    good_answers = [r for r in results if r[0] == "good"]
    return {
        "requests": len(results), "seconds": time.perf_counter() - start,
        "5xx": sum(1 for r in results if r[2] >= 500),
        "good_not_200": sum(1 for r in good_answers if r[2] != 200),
        "good_bytes_differ": sum(1 for r in good_answers if not r[3]),
        "bad_statuses": sorted({r[2] for r in results if r[0] == "bad"}),
        "rss_half_mib": memory["half"] / 2**20, "rss_end_mib": memory["end"] / 2**20,
        "rss_ratio": memory["end"] / memory["half"],
    }


def preview_latency(saves: int) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="statementpub-bench-"))
    try:
        shutil.copytree(CORPUS.parent, folder / "s")
        source = folder / "s" / "statement.md"
        original = source.read_text(encoding="utf-8")
        port = free_port()
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        process = subprocess.Popen([str(PYTHON), "-m", "statementpub", "preview", str(source),
                                    "--port", str(port), "--lang", "es"], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(base + "/status", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            status = httpx.get(base + "/status").json()
            url = f"{base}/edition/{status['slug']}.es.html"
            time.sleep(5)  # let the first PDFs and EPUBs be made
            times = []
            client = httpx.Client(timeout=60)
            # the body's last paragraph line: a passage shown in the source language
            marker = original.rstrip().split("\n")[-1]
            for number in range(saves):
                token = f"benchmarktoken{number}"
                start = time.perf_counter()
                source.write_text(original.replace(marker, f"{marker} {token}"),
                                  encoding="utf-8")
                while token.encode() not in client.get(url).content:
                    time.sleep(0.01)
                times.append(time.perf_counter() - start)
                time.sleep(1.0)
            client.close()
            return {"saves": saves, "median_s": statistics.median(times), "max_s": max(times)}
        finally:
            process.terminate()
            process.wait(timeout=30)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="small runs: check the script")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if not CORPUS.is_file():
        raise SystemExit(f"needs the shared corpus: {CORPUS}")
    runs, good, bad, saves = (3, 24, 4, 2) if args.smoke else (20, 240, 40, 7)
    figures: dict[str, Any] = {"load_before": os.getloadavg()}
    process, base = serve(["--pdf-workers", "2"])
    try:
        figures["warm"] = warm(base, runs)
        figures["concurrent"] = load(base, process.pid, good, bad)
    finally:
        process.terminate()
        process.wait(timeout=30)
    figures["preview"] = preview_latency(saves)
    figures["load_after"] = os.getloadavg()
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
