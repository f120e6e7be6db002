"""``statementpub check``: a conformance report for a statement's editions.

Builds the editions into a temporary folder (nothing is written beside the
source) and runs, per edition:

* always: the source's warnings, the units that fall back to the source
  language, the PDF structure checks of :mod:`statementpub.pdfinspect`
  (ISO 14289-1 / Matterhorn Protocol), and the id, ARIA-reference, fragment
  and navigation checks of :mod:`statementpub.htmlcheck` on the HTML and
  EPUB (HTML, EPUB 3.3, WAI-ARIA 1.2);
* with ``validate=True``: axe-core in Chromium at 1280 and 320 CSS px in light
  and dark mode (WCAG 2.2 A/AA), EPUBCheck and DAISY Ace (EPUB Accessibility
  1.1), and pdfua (a subset of PDF/UA-1), as in the project's CI.

What no machine can check (whether alternative texts and link texts are
meaningful, whether the translation is faithful, reading order of complex
layouts) is listed in :data:`MANUAL_CHECKS` and printed with the report.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .build import build

__all__ = ["MANUAL_CHECKS", "CheckReport", "EditionCheck", "check"]

#: Checks that need a person, in the words of WCAG 2.2 and EPUB Accessibility 1.1.
MANUAL_CHECKS: tuple[str, ...] = (
    "Alternative texts describe what each image shows and why it is there (WCAG 2.2 SC 1.1.1).",
    ("Link texts say where each link goes, in context (SC 2.4.4); statementpub only flags "
     "'here', 'click here' and the like."),
    "Headings describe the sections they open (SC 2.4.6).",
    ("Each translation says what the source says; signatory names carry the right language "
     "(SC 3.1.2)."),
    ("The PDF reads in the right order in a screen reader, and the EPUB in a reading system "
     "(a person with NVDA, VoiceOver or Thorium, once per template change)."),
)


@dataclass(frozen=True)
class Finding:
    """One problem: which check found it, its rule, where, and what."""

    check: str
    rule: str
    location: str
    message: str


@dataclass(frozen=True)
class EditionCheck:
    lang: str
    findings: tuple[Finding, ...] = ()
    fallbacks: int = 0
    validators: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckReport:
    source: str
    editions: tuple[EditionCheck, ...] = field(default_factory=tuple)
    warnings: tuple[str, ...] = ()
    manual_checks: tuple[str, ...] = MANUAL_CHECKS
    #: catalogs below the publishing threshold: not built, so not checked
    not_published: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(edition.findings for edition in self.editions)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        return data


def check(source: str | Path, *, langs: Iterable[str] | None = None,
          validate: bool = False) -> CheckReport:
    """Build the editions of ``source`` in a temporary folder and check each.

    :raises StatementError, CatalogError: as :func:`statementpub.build` does.
    :raises ValidatorUnavailable: ``validate`` and a validator is not installed.
    """
    from .htmlcheck import check_file
    from .pdfinspect import check_structure

    with tempfile.TemporaryDirectory(prefix="statementpub-check-") as tmp:
        report = build(source, langs=list(langs) if langs else None, out_dir=tmp)
        editions = []
        for edition in report.editions:
            findings: list[Finding] = []
            files = {path.suffix: path for path in edition.files}
            pdf = files.get(".pdf")
            if pdf is not None:
                for problem in check_structure(pdf.read_bytes()):
                    findings.append(Finding("pdf-structure", "ISO 14289-1", pdf.name, problem))
            for suffix in (".html", ".epub"):
                if suffix in files:
                    for problem in check_file(files[suffix]):
                        rule = problem[1:].split("]", 1)[0] if problem.startswith("[") else ""
                        findings.append(Finding("markup", rule, files[suffix].name, problem))
            # Fallbacks are counted, not findings: a passage shown in the source
            # language is marked as such, which is what WCAG 2.2 SC 3.1.2 asks.
            ran = ["pdf-structure", "markup"]
            if validate:
                findings.extend(_validators(files))
                ran += ["axe-core", "epubcheck", "ace", "pdfua"]
            editions.append(EditionCheck(edition.lang, tuple(findings), len(edition.fallbacks),
                                         tuple(ran)))
    not_published = tuple(f"{p.lang}: translation in progress, not published "
                          f"({p.coverage.shown()} translated)" for p in report.in_progress)
    return CheckReport(str(source), tuple(editions),
                       tuple(str(w) for w in report.warnings), not_published=not_published)


def _validators(files: dict[str, Path]) -> list[Finding]:
    from . import validate as v

    found: list[v.Finding] = []
    if ".html" in files:
        found += v.run_axe([files[".html"]])
    if ".epub" in files:
        found += v.run_epubcheck(files[".epub"]) + v.run_ace(files[".epub"])
    if ".pdf" in files:
        found += v.run_pdfua(files[".pdf"])
    return [Finding(f.validator, f.rule, Path(f.location.split(":")[0]).name
                    if f.location.startswith("/") else f.location, f.message) for f in found]
