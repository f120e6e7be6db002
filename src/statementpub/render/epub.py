"""The EPUB edition: EPUB 3 through pandoc (pypandoc-binary), with EPUB Accessibility 1.1 metadata.

pandoc reads the ``pandoc`` flavour of the edition's HTML (languages marked
on ``div``/``span``/headings/cells, images as ``data:`` URIs) in ``--sandbox``
mode, so it reads nothing but its input. Then the package is completed:

* the package document gets the EPUB Accessibility 1.1 metadata pandoc
  cannot write (``dcterms:conformsTo``), and its schema.org accessibility
  metadata is set to what is true of this edition (``alternativeText`` only
  when there is an image);
* the navigation document's landmarks and headings are labelled in the
  edition's language;
* every XHTML content document is checked to carry ``lang``/``xml:lang``.

The ZIP is rewritten with ``mimetype`` first and stored, fixed timestamps and
fixed order, so the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import re
import signal
import subprocess
import tempfile
import threading
import uuid
import zipfile
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import yaml

from ..edition import Edition, Labels
from ..edition.nodes import plain_text
from ..errors import EpubRenderError, RenderTimeoutError
from ..fonts import FontSet, font_set
from ..langtags import direction, same_language
from ..processes import ask_for_parent_death_signal, remove_abandoned_folders
from ..resources import styles_dir
from . import epub_signatories
from .html import edition_fonts_css, harden_html

__all__ = ["EpubBatch", "html_to_epub"]

#: Whether pandoc reads the signatory list (``False``) or the plain items are put in
#: after it (:mod:`statementpub.render.epub_signatories`); the bytes are the same,
#: and the tests compare them. Not an option: a switch for those tests.
CUT_SIGNATORIES = True

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@lru_cache(maxsize=1)
def _pandoc_path() -> str:
    """The pandoc that pypandoc-binary carries (the pinned version, so the same bytes
    everywhere), found without importing pypandoc (60 ms); ``PYPANDOC_PANDOC`` wins,
    and without the bundled binary pypandoc's own search decides."""
    chosen = os.environ.get("PYPANDOC_PANDOC")
    if chosen:
        return chosen
    import importlib.util

    spec = importlib.util.find_spec("pypandoc")
    if spec is not None and spec.origin:
        bundled = Path(spec.origin).resolve().parent / "files" / "pandoc"
        if bundled.is_file() and os.access(bundled, os.X_OK):
            return str(bundled)
    import pypandoc

    path: str = pypandoc.get_pandoc_path()
    return path


#: Above this much HTML (characters, all the batch's documents, as pandoc reads them:
#: plain signatory items are cut out first, see :mod:`.epub_signatories`), pandoc is
#: run with run-time options that trade time for memory: a compacting collection of
#: the old generation (258 -> 221 MiB, 1.0 -> 1.3 s, on the benchmark's statement with
#: 5,000 signatories while they still went through pandoc; cut out, they leave pandoc
#: 172 MiB and 0.14 s, under this limit). pandoc runs beside the PDFs, off the longest
#: path of such a build. (A smaller heap growth factor, -F1.5, saves 13 MiB more but
#: makes pandoc slow enough to overlap more of the PDF's layout: the build's peak grew.)
LARGE_HTML = 256 * 1024
_RTS = ("+RTS", "-c", "-RTS")


def _identifier(edition: Edition) -> str:
    statement = edition.statement
    name = f"statementpub:{statement.slug}:{statement.date.isoformat()}:{edition.lang}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def _metadata(edition: Edition, has_images: bool) -> dict[str, Any]:
    statement = edition.statement
    lab = edition.labels
    features = ["tableOfContents", "readingOrder", "structuralNavigation",
                "displayTransformability"]
    if has_images:
        features.append("alternativeText")
    if statement.body.footnotes:
        features.append("annotations")
    text = markdown_literal
    meta: dict[str, Any] = {
        "title": text(edition.title.value),
        "lang": edition.lang,
        "date": statement.date.isoformat(),
        "identifier": [{"scheme": "UUID", "text": _identifier(edition)}],
        "toc-title": text(lab.contents.value),
        "accessModes": ["textual", "visual"] if has_images else ["textual"],
        "accessModeSufficient": ["textual"],
        "accessibilityFeatures": features,
        "accessibilityHazards": ["none"],
        "accessibilitySummary": text(lab.accessibility_summary.value),
    }
    if edition.dir == "rtl":
        # the spine's page-progression-direction (EPUB 3.3, 5.7.2); the root of
        # every content document gets dir="rtl" in complete_package
        meta["page-progression-direction"] = "rtl"
    if edition.publisher is not None:
        meta["publisher"] = text(edition.publisher.name.value)
        meta["creator"] = [{"role": "author", "text": meta["publisher"]}]
    if statement.license:
        meta["rights"] = text(statement.license)
    if statement.keywords:
        meta["subject"] = [text(keyword) for keyword in statement.keywords]
    if edition.summary:
        meta["description"] = text(" ".join(plain_text(p.content) for p in edition.summary))
    return meta


_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_literal(value: str) -> str:
    """``value`` as pandoc Markdown that reads back as exactly that text.

    pandoc parses every string of a metadata file as Markdown, with raw HTML:
    a publisher named ``<b onclick=...>`` would reach the title page as markup,
    ``*`` would become emphasis, quotes would become curly. Every ASCII
    punctuation character is backslash-escaped, which Markdown reads as the
    character itself; white space is folded (a value is one paragraph).
    """
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(value.split()))


def html_to_epub(html: str, edition: Edition, *, has_images: bool,
                 timeout: float | None = None, fonts: FontSet | None = None) -> bytes:
    """Make the EPUB 3 of ``edition`` from its pandoc-flavour HTML; ``fonts``: the
    shipped fonts and the user's (those the edition can use are embedded).

    :param timeout: seconds pandoc may take (default 120), then it is killed.
    :raises EpubRenderError: pandoc failed or the package could not be completed.
    :raises RenderTimeoutError: pandoc took longer than ``timeout``.
    """
    statement = edition.statement
    epoch = int(_dt.datetime.combine(statement.date, _dt.time(12),
                                     tzinfo=_dt.UTC).timestamp())
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    html, runs = epub_signatories.cut(html) if CUT_SIGNATORIES else (html, [])
    with _temporary_folder() as tmp:
        tmpdir = Path(tmp)
        source = tmpdir / "edition.html"
        source.write_text(html, encoding="utf-8")
        meta = tmpdir / "metadata.yaml"
        meta.write_text(yaml.safe_dump(_metadata(edition, has_images), allow_unicode=True,
                                       sort_keys=True), encoding="utf-8")
        output = tmpdir / "edition.epub"
        command = [
            _pandoc_path(), "--sandbox", "--from=html",
            "--to=epub3", f"--metadata-file={meta}",
            "--epub-title-page=true", "--split-level=1", f"--output={output}", str(source),
        ]
        limit = 120.0 if timeout is None else timeout
        try:
            result = subprocess.run(command, env=env, capture_output=True, timeout=limit,
                                    check=False)
        except subprocess.TimeoutExpired:
            raise RenderTimeoutError(f"the EPUB took longer than {limit:g} s: pandoc was "
                                     "stopped") from None
        except OSError as exc:
            raise EpubRenderError(f"pandoc could not run: {exc}") from exc
        if result.returncode != 0:
            raise EpubRenderError("pandoc failed to make the EPUB: "
                                  + result.stderr.decode("utf-8", "replace").strip())
        data = output.read_bytes()
    return complete_package(data, edition, has_images=has_images, fonts=fonts,
                            signatories=runs)


#: The driver of :class:`EpubBatch`: for each (input, metadata, output) triple, what
#: ``pandoc --from=html --to=epub3 --metadata-file=META --epub-title-page=true
#: --split-level=1`` does (document metadata wins over the file's, as there), and
#: an ``.err`` file beside an output that failed, so one failure spoils no other.
_BATCH_LUA = r"""
local template = pandoc.template.compile(pandoc.template.default("epub3"))
local function read(path)
  local handle = assert(io.open(path, "rb"))
  local text = handle:read("a")
  handle:close()
  return text
end
-- `pandoc lua` cannot run --sandbox: refuse, in the document pandoc will write,
-- everything its EPUB writer would fetch (images that are not data: URIs, raw
-- HTML naming a resource, metadata naming a cover, stylesheet or font).
local function outside(kind, value)
  error("the EPUB input refers to an outside resource (" .. kind .. "): " .. value)
end
local function guard(doc)
  doc:walk{
    Image = function(image)
      if not image.src:match("^data:") then outside("image", image.src) end
    end,
    RawInline = function(raw)
      if raw.text:lower():match("src%s*=") or raw.text:lower():match("href%s*=") then
        outside("raw HTML", raw.text)
      end
    end,
    RawBlock = function(raw)
      if raw.text:lower():match("src%s*=") or raw.text:lower():match("href%s*=") then
        outside("raw HTML", raw.text)
      end
    end,
  }
  for _, key in ipairs{"cover-image", "epub-cover-image", "css", "epub-fonts",
                       "epub-metadata", "stylesheet"} do
    if doc.meta[key] ~= nil then outside("metadata", key) end
  end
end
local function one(input, meta, output)
  local doc = pandoc.read(read(input), "html")
  local extra = pandoc.read("---\n" .. read(meta) .. "\n...\n", "markdown").meta
  for key, value in pairs(extra) do
    if doc.meta[key] == nil then doc.meta[key] = value end
  end
  guard(doc)
  local options = pandoc.WriterOptions{split_level = 1, epub_title_page = true,
                                       template = template}
  local handle = assert(io.open(output, "wb"))
  handle:write(pandoc.write(doc, "epub3", options))
  handle:close()
end
for i = 1, #arg, 3 do
  local ok, err = pcall(one, arg[i], arg[i + 1], arg[i + 2])
  if not ok then
    local handle = io.open(arg[i + 2] .. ".err", "wb")
    handle:write(tostring(err))
    handle:close()
  end
end
"""

# pandoc's EPUB writer would fetch any image that is not a data: URI; the
# pandoc-flavour HTML inlines every image, and a batch refuses anything else.
_FETCHABLE = re.compile(r"""<(?:img|source|video|audio|link|object|embed|iframe)\b[^>]*?\s"""
                        r"""(?:src|href|data|poster)\s*=\s*(?:"|'|(?!["']))(?!data:|#)""", re.I)


#: The temporary folders of the EPUB renderer: ``statementpub-epub-<pid>-<random>``.
_TMP_PREFIX = "statementpub-epub-"


def _temporary_folder() -> tempfile.TemporaryDirectory[str]:
    """A temporary folder named after this process, made after removing the folders
    that processes which no longer run left behind (a build killed with SIGKILL)."""
    remove_abandoned_folders(_TMP_PREFIX)
    return tempfile.TemporaryDirectory(prefix=f"{_TMP_PREFIX}{os.getpid()}-")


def _dies_with_us() -> Any:
    """The ``preexec_fn`` that makes pandoc get SIGTERM when this process dies, where it
    is safe to run one (a single thread, on Linux); else ``None``."""
    if threading.active_count() != 1 or not hasattr(os, "getppid"):
        return None
    parent = os.getpid()

    def request() -> None:
        ask_for_parent_death_signal(signal.SIGTERM)
        if os.getppid() != parent:
            os._exit(1)

    return request


class EpubBatch:
    """Several EPUBs from one ``pandoc lua`` process, started at once and run in the
    background while the caller does other work; :meth:`results` waits.

    The bytes are those :func:`html_to_epub` makes for the same edition (pandoc
    reads only the files named here: every image is a ``data:`` URI, checked).
    """

    def __init__(self, items: list[tuple[str, Edition, bool]],
                 fonts: FontSet | None = None) -> None:
        self._fonts = fonts
        self._tmp = _temporary_folder()
        self._errors: dict[int, str] = {}
        self._runs: list[list[str]] = []
        cut_items = []
        for html, edition, has_images in items:
            html, runs = epub_signatories.cut(html) if CUT_SIGNATORIES else (html, [])
            cut_items.append((html, edition, has_images))
            self._runs.append(runs)
        self._items = items = cut_items
        folder = Path(self._tmp.name)
        driver = folder / "batch.lua"
        driver.write_text(_BATCH_LUA, encoding="utf-8")
        args: list[str] = []
        for index, (html, edition, has_images) in enumerate(items):
            if _FETCHABLE.search(html):
                self._errors[index] = "the EPUB input refers to an outside resource"
                continue
            source = folder / f"{index}.html"
            source.write_text(html, encoding="utf-8")
            meta = folder / f"{index}.yaml"
            meta.write_text(yaml.safe_dump(_metadata(edition, has_images), allow_unicode=True,
                                           sort_keys=True), encoding="utf-8")
            args += [str(source), str(meta), str(folder / f"{index}.epub")]
        # In --sandbox mode pandoc's clock is the epoch: so is it here.
        env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
        rts = _RTS if sum(len(html) for html, _, _ in items) > LARGE_HTML else ()
        self._proc: subprocess.Popen[bytes] | None = None
        if args:
            try:
                with open(folder / "stderr", "wb") as stderr:
                    self._proc = subprocess.Popen([_pandoc_path(), *rts, "lua", str(driver), *args],
                                                  env=env, stdin=subprocess.DEVNULL,
                                                  stdout=subprocess.DEVNULL, stderr=stderr,
                                                  cwd=folder, preexec_fn=_dies_with_us())
            except OSError as exc:
                for index in range(len(items)):
                    self._errors.setdefault(index, f"pandoc could not run: {exc}")

    def done(self) -> bool:
        """Whether pandoc has finished (:meth:`results` will not wait)."""
        return self._proc is None or self._proc.poll() is not None

    def results(self, timeout: float = 600) -> list[bytes | EpubRenderError]:
        """Each item's EPUB (completed), or the error that kept it from being made."""
        folder = Path(self._tmp.name)
        stderr = b""
        if self._proc is not None:
            try:
                self._proc.wait(timeout=timeout)
                stderr = (folder / "stderr").read_bytes()
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
                stderr = b"timed out"
        out: list[bytes | EpubRenderError] = []
        try:
            for index, (_, edition, has_images) in enumerate(self._items):
                if index in self._errors:
                    out.append(EpubRenderError(self._errors[index]))
                    continue
                target = folder / f"{index}.epub"
                failure = folder / f"{index}.epub.err"
                if failure.exists() or not target.exists():
                    reason = failure.read_text("utf-8", "replace") if failure.exists() \
                        else stderr.decode("utf-8", "replace")
                    out.append(EpubRenderError("pandoc failed to make the EPUB: "
                                               + reason.strip()))
                    continue
                try:
                    out.append(complete_package(target.read_bytes(), edition,
                                                has_images=has_images, fonts=self._fonts,
                                                signatories=self._runs[index]))
                except EpubRenderError as exc:
                    out.append(exc)
        finally:
            self.close()
        return out

    def close(self) -> None:
        """Stop pandoc if it still runs and remove the temporary files."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._tmp.cleanup()


def complete_package(data: bytes, edition: Edition, *, has_images: bool,
                     fonts: FontSet | None = None, signatories: list[str] | None = None) -> bytes:
    """Add what pandoc cannot write to the package, and repack deterministically;
    ``signatories``: the runs of signatory items :func:`epub_signatories.cut` took out
    of pandoc's input, put back in their places.

    :raises EpubRenderError: the package is unreadable, a content document has no
        ``xml:lang``, or holds active content, or a run of signatories has no place.
    """
    fonts = fonts if fonts is not None else font_set()
    lab = edition.labels
    lang = edition.lang
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        names = source.namelist()
        files = {name: source.read(name) for name in names}
    except zipfile.BadZipFile as exc:
        raise EpubRenderError(f"pandoc wrote an unreadable EPUB: {exc}") from exc
    if signatories:
        content = {name: files[name].decode("utf-8") for name in names
                   if name.endswith(".xhtml") and not name.endswith("nav.xhtml")}
        for name, text in epub_signatories.restore(content, signatories).items():
            files[name] = text.encode("utf-8")
    css_path = styles_dir() / "epub.css"
    embedded: list[str] = []
    sources: dict[str, Path] = {}
    user_urls = {face.path: f"../fonts/user-{index}{face.path.suffix.lower()}"
                 for index, face in enumerate(fonts.user, 1)}
    for name in names:
        if name.endswith(".css") and css_path.is_file():
            # --sandbox keeps pandoc from reading our stylesheet and fonts: put the
            # stylesheet in place of pandoc's default one, and the fonts it names
            # (../fonts/*.woff) beside it: the shipped fonts the edition can use
            # and the user's.
            css = edition_fonts_css(edition, fonts, css_path.read_text(encoding="utf-8"),
                                    user_urls).encode("utf-8")
            files[name] = css
            for font in sorted(set(re.findall(rb'url\("\.\./fonts/([A-Za-z0-9._-]+)"\)', css))):
                embedded.append(font.decode("ascii"))
    for path, url in user_urls.items():
        sources[url.removeprefix("../fonts/")] = path
    for font in embedded:
        source_path = sources.get(font, styles_dir() / "fonts" / font)
        files[f"EPUB/fonts/{font}"] = source_path.read_bytes()
        names.append(f"EPUB/fonts/{font}")
    # Languages of the headings that open sections, for the table of contents.
    heading_langs: dict[str, str] = {}
    for name in names:
        if name.endswith(".opf"):
            opf = _complete_opf(files[name].decode("utf-8"),
                                edition.statement.date.isoformat(), embedded)
            summary = lab.accessibility_summary
            if not same_language(summary.lang, lang):  # it fell back: say in which language
                opf = opf.replace('<meta property="schema:accessibilitySummary">',
                                  '<meta property="schema:accessibilitySummary" '
                                  f'xml:lang="{summary.lang}">', 1)
            files[name] = opf.encode("utf-8")
        elif name.endswith("title_page.xhtml"):
            files[name] = _localize_title_page(files[name].decode("utf-8"), edition,
                                               lab).encode("utf-8")
        elif name.endswith(".xhtml") and not name.endswith("nav.xhtml"):
            text = files[name].decode("utf-8")
            base = name.removeprefix("EPUB/")
            for ident, tag_lang in re.findall(r'<section id="([^"]+)"[^>]*?\slang="([^"]+)"',
                                              text):
                heading_langs[f"{base}#{ident}"] = tag_lang
            text = _mark_notes(_mark_languages(text))
            if not re.search(r"<html[^>]*\sxml:lang=", text):
                raise EpubRenderError(f"{name} has no xml:lang")
            files[name] = text.encode("utf-8")
    if edition.dir == "rtl":
        for name in names:
            if name.endswith(".xhtml"):
                files[name] = _set_direction(files[name].decode("utf-8"),
                                             edition.dir).encode("utf-8")
    labels_by_target: dict[str, str] = {}
    for name in names:
        if name.endswith("nav.xhtml"):
            nav = _localize_nav(files[name].decode("utf-8"), lab, lang)
            nav, labels_by_target = _unmark_toc(nav)
            files[name] = _mark_toc(nav, heading_langs).encode("utf-8")
    for name in names:
        if name.endswith(".ncx"):
            files[name] = _relabel_ncx(files[name].decode("utf-8"),
                                       labels_by_target).encode("utf-8")
    for name in names:
        if name.endswith((".xhtml", ".opf", ".ncx")):
            text = files[name].decode("utf-8")
            hardened = harden_html(text)
            check_no_active_content(name, hardened)
            if hardened != text:
                files[name] = hardened.encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        order = ["mimetype"] + [n for n in names if n != "mimetype"]
        for name in order:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.external_attr = 0o644 << 16
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, files[name])
    return out.getvalue()


def _set_direction(xhtml: str, direction: str) -> str:
    """``dir`` on the root of a content document (pandoc's epub3 template writes
    none): the base direction of everything in it (EPUB 3.3, HTML ``dir``).

    :raises EpubRenderError: the document has no ``html`` root.
    """
    out, count = re.subn(r"<html\b(?![^>]*\sdir=)", f'<html dir="{direction}"', xhtml, count=1)
    if count != 1 and not re.search(r"<html\b[^>]*\sdir=", xhtml):
        raise EpubRenderError("a content document has no html root")
    return out


_SECTION_LANG = re.compile(r'(<section\b[^>]*?)\s(?:xml:)?lang="[^"]*"')
_LANG_ONLY = re.compile(r'<(?!html\b)([a-z][a-z0-9]*)\b([^>]*?)\slang="([^"]+)"([^>]*)>')


def _mark_languages(xhtml: str) -> str:
    """Correct pandoc's language attributes in a content document.

    pandoc copies a heading's attributes onto the ``section`` it opens, so a
    heading shown in the source language would mark its whole section (the
    translated paragraphs too) as that language: the ``lang`` stays on the
    heading only. Every ``lang`` gets its ``xml:lang`` twin, which XHTML
    reading systems read first.
    """
    previous = None
    while previous != xhtml:
        previous = xhtml
        xhtml = _SECTION_LANG.sub(r"\1", xhtml)

    def twin(match: re.Match[str]) -> str:
        tag, before, lang, after = match.groups()
        if "xml:lang=" in before + after:
            return match.group(0)
        return f'<{tag}{before} lang="{lang}" xml:lang="{lang}"{after}>'

    return _LANG_ONLY.sub(twin, xhtml)


_TAG = re.compile(r"<[^>]*>")
_ACTIVE = re.compile(r"^<\s*(?:script|iframe|embed|object|form)\b|\son\w+\s*="
                     r"|\s(?:href|src)\s*=\s*[\"']\s*(?:javascript|vbscript|data:text)", re.I)


_NOTEREF = re.compile(r'<sup><a href="([^"#]*#fn-[0-9]+)" id="(fnref-[0-9]+(?:-[0-9]+)?)">')
_NOTE = re.compile(r'<li><div id="(fn-[0-9]+)">')
_BACKLINK = re.compile(r'<a href="([^"#]*#fnref-[0-9]+(?:-[0-9]+)?)" class="footnote-back"')


def _mark_notes(xhtml: str) -> str:
    """Give the notes their EPUB 3 semantics (EPUB 3.3 Structural Semantics,
    DPUB-ARIA 1.1): each citation is a ``noteref``, the notes section is
    ``endnotes`` with each note an ``endnote``, and each way back a
    ``doc-backlink``, so reading systems can show a note where it is cited."""
    xhtml = _NOTEREF.sub(r'<sup><a href="\1" id="\2" epub:type="noteref" role="doc-noteref">',
                         xhtml)
    xhtml = xhtml.replace('<section id="notes" class="level2">',
                          '<section id="notes" class="level2" epub:type="endnotes" '
                          'role="doc-endnotes">', 1)
    xhtml = _NOTE.sub(r'<li><div id="\1" epub:type="endnote">', xhtml)
    return _BACKLINK.sub(r'<a href="\1" class="footnote-back" role="doc-backlink"', xhtml)


_TOC_ENTRY = re.compile(r'<a href="([^"]+)">(.*?)</a>', re.S)
_NOTE_MARK = re.compile(r"<sup>.*?</sup>", re.S)


def _unmark_toc(nav: str) -> tuple[str, dict[str, str]]:
    """Drop note marks from the table of contents (pandoc copies a heading's
    citation into its entry: "Commitments1"); return the nav and the plain label
    of each entry whose text changed, by target, for the NCX."""
    changed: dict[str, str] = {}

    def entry(match: re.Match[str]) -> str:
        target, inner = match.groups()
        clean = _NOTE_MARK.sub("", inner)
        if clean != inner:
            changed[target] = _TAG.sub("", clean)
        return f'<a href="{target}">{clean}</a>'

    return _TOC_ENTRY.sub(entry, nav), changed


def _relabel(label: str, match: re.Match[str]) -> str:
    return f"{match.group(1)}{label}{match.group(2)}"


def _relabel_ncx(ncx: str, labels: dict[str, str]) -> str:
    """Put the plain labels of :func:`_unmark_toc` into the EPUB 2 NCX too."""
    for target, label in labels.items():
        pattern = re.compile(r'(<text>)[^<]*(</text>\s*</navLabel>\s*<content src="'
                             + re.escape(target) + '" />)')
        ncx = pattern.sub(partial(_relabel, label), ncx)
    return ncx


def check_no_active_content(name: str, text: str) -> None:
    """Refuse a package document (after :func:`harden_html`) whose tags hold a
    script, an embedding element, an event handler or a script URL. The input
    never does, so this would be a bug (ours or pandoc's), and an edition must
    never carry one.

    :raises EpubRenderError: naming the file and what was found.
    """
    for tag in _TAG.finditer(text):
        found = _ACTIVE.search(tag.group(0))
        if found:
            raise EpubRenderError(f"{name} holds active content "
                                  f"({found.group(0).strip()!r}); refusing to write the EPUB")


def _complete_opf(opf: str, date: str, fonts: list[str]) -> str:
    addition = f'<meta property="dcterms:conformsTo">{CONFORMS_TO}</meta>'
    types = {".woff": "font/woff", ".woff2": "font/woff2", ".otf": "font/otf",
             ".ttf": "font/ttf"}
    items = "".join(f'    <item id="font-{index}" href="fonts/{font}" '
                    f'media-type="{types.get(Path(font).suffix.lower(), "font/ttf")}" />\n'
                    for index, font in enumerate(fonts, 1))
    opf = opf.replace("  </manifest>", items + "  </manifest>", 1)
    if "dcterms:conformsTo" not in opf:
        opf = opf.replace("</metadata>", f"  {addition}\n  </metadata>", 1)
    # pandoc in --sandbox mode stamps the Unix epoch; the statement's date is the truth.
    opf = re.sub(r'(<meta property="dcterms:modified">)[^<]*(</meta>)',
                 rf"\g<1>{date}T00:00:00Z\g<2>", opf)
    return opf


def _localize_nav(nav: str, lab: Labels, lang: str) -> str:
    """Label the navigation document in the edition's language and complete its landmarks
    (title page and start of the statement; the table of contents is this
    document, which is not in the spine, so it cannot be a landmark: EPUBCheck RSC-011)."""
    contents = _xml(lab.contents.value)
    toc_title = f'<h1 id="toc-title"{_lang(lab.contents.lang, lang)}>{contents}</h1>'
    nav = re.sub(r'<h1 id="toc-title">[^<]*</h1>', lambda m: toc_title, nav)
    landmarks = (
        '<nav epub:type="landmarks" id="landmarks" hidden="hidden">\n'
        f'  <h2 id="landmarks-title"{_lang(lab.contents.lang, lang)}>{contents}</h2>\n'
        "  <ol>\n"
        f'    <li><a href="text/title_page.xhtml" epub:type="titlepage"'
        f'{_lang(lab.title_page.lang, lang)}>{_xml(lab.title_page.value)}</a></li>\n'
        f'    <li><a href="text/ch001.xhtml" epub:type="bodymatter"{_lang(lab.kind.lang, lang)}>'
        f"{_xml(lab.kind.value)}</a></li>\n"
        "  </ol>\n"
        "</nav>"
    )
    nav, count = re.subn(r'<nav epub:type="landmarks".*?</nav>', lambda m: landmarks, nav,
                         flags=re.S)
    if count != 1:
        raise EpubRenderError("pandoc's navigation document has no landmarks")
    return nav


def _mark_toc(nav: str, heading_langs: dict[str, str]) -> str:
    """Give a table-of-contents entry the language of the heading it names."""
    def mark(match: re.Match[str]) -> str:
        tag_lang = heading_langs.get(match.group(1))
        if tag_lang is None:
            return match.group(0)
        return f'<a href="{match.group(1)}" lang="{tag_lang}" xml:lang="{tag_lang}">'
    return re.sub(r'<a href="([^"]+)">', mark, nav)


def _localize_title_page(page: str, edition: Edition, lab: Labels) -> str:
    date = edition.statement.date.isoformat()
    localized = (f'<p class="date"><time datetime="{date}"{_lang(lab.date.lang, edition.lang)}>'
                 f"{_xml(lab.date.value)}</time></p>")
    page = re.sub(r'<p class="date">[^<]*</p>', lambda m: localized, page)
    kind = f'<p class="kind"{_lang(lab.kind.lang, edition.lang)}>{_xml(lab.kind.value)}</p>'
    title = edition.title
    return page.replace('<h1 class="title"',
                        kind + f'\n  <h1 class="title"{_lang(title.lang, edition.lang)}', 1)


def _lang(lang: str, inherited: str) -> str:
    if same_language(lang, inherited):
        return ""
    return f' lang="{lang}" xml:lang="{lang}" dir="{direction(lang)}"'


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
