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
import subprocess
import tempfile
import uuid
import zipfile
from pathlib import Path
from typing import Any

import yaml

from ..edition import Edition
from ..errors import EpubRenderError
from ..resources import styles_dir
from .labels import Labels, labels

__all__ = ["html_to_epub"]

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _pandoc_path() -> str:
    import pypandoc

    path: str = pypandoc.get_pandoc_path()
    return path


def _identifier(edition: Edition) -> str:
    statement = edition.statement
    name = f"statementpub:{statement.slug}:{statement.date.isoformat()}:{edition.lang}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def _metadata(edition: Edition, has_images: bool) -> dict[str, Any]:
    statement = edition.statement
    lab = labels(edition)
    features = ["tableOfContents", "readingOrder", "structuralNavigation",
                "displayTransformability"]
    if has_images:
        features.append("alternativeText")
    if statement.body.footnotes:
        features.append("annotations")
    meta: dict[str, Any] = {
        "title": edition.text(statement.title).value,
        "lang": edition.lang,
        "date": statement.date.isoformat(),
        "identifier": [{"scheme": "UUID", "text": _identifier(edition)}],
        "toc-title": lab.contents.value,
        "accessModes": ["textual", "visual"] if has_images else ["textual"],
        "accessModeSufficient": ["textual"],
        "accessibilityFeatures": features,
        "accessibilityHazards": ["none"],
        "accessibilitySummary": lab.accessibility_summary.value,
    }
    if statement.publisher is not None:
        meta["publisher"] = edition.text(statement.publisher.name).value
        meta["creator"] = [{"role": "author", "text": meta["publisher"]}]
    if statement.license:
        meta["rights"] = statement.license
    if statement.keywords:
        meta["subject"] = list(statement.keywords)
    if statement.summary:
        from ..markdown import inspect_inline

        meta["description"] = " ".join(inspect_inline(edition.text(p).value).visible
                                       for p in statement.summary)
    return meta


def html_to_epub(html: str, edition: Edition, *, has_images: bool) -> bytes:
    """Make the EPUB 3 of ``edition`` from its pandoc-flavour HTML.

    :raises EpubRenderError: pandoc failed or the package could not be completed.
    """
    statement = edition.statement
    epoch = int(_dt.datetime.combine(statement.date, _dt.time(12),
                                     tzinfo=_dt.timezone.utc).timestamp())
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    with tempfile.TemporaryDirectory(prefix="statementpub-epub-") as tmp:
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
        try:
            result = subprocess.run(command, env=env, capture_output=True, timeout=120,
                                    check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise EpubRenderError(f"pandoc could not run: {exc}") from exc
        if result.returncode != 0:
            raise EpubRenderError("pandoc failed to make the EPUB: "
                                  + result.stderr.decode("utf-8", "replace").strip())
        data = output.read_bytes()
    return complete_package(data, edition, has_images=has_images)


def complete_package(data: bytes, edition: Edition, *, has_images: bool) -> bytes:
    """Add what pandoc cannot write to the package, and repack deterministically."""
    lab = labels(edition)
    lang = edition.lang
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        names = source.namelist()
        files = {name: source.read(name) for name in names}
    except zipfile.BadZipFile as exc:
        raise EpubRenderError(f"pandoc wrote an unreadable EPUB: {exc}") from exc
    css_path = styles_dir() / "epub.css"
    fonts: list[str] = []
    for name in names:
        if name.endswith(".css") and css_path.is_file():
            # --sandbox keeps pandoc from reading our stylesheet and fonts: put the
            # stylesheet in place of pandoc's default one, and the fonts it names
            # (../fonts/*.woff) beside it.
            css = css_path.read_bytes()
            files[name] = css
            for font in sorted(set(re.findall(rb'url\("\.\./fonts/([A-Za-z0-9._-]+)"\)', css))):
                fonts.append(font.decode("ascii"))
    for font in fonts:
        files[f"EPUB/fonts/{font}"] = (styles_dir() / "fonts" / font).read_bytes()
        names.append(f"EPUB/fonts/{font}")
    # Languages of the headings that open sections, for the table of contents.
    heading_langs: dict[str, str] = {}
    for name in names:
        if name.endswith(".opf"):
            files[name] = _complete_opf(files[name].decode("utf-8"),
                                        edition.statement.date.isoformat(), fonts
                                        ).encode("utf-8")
        elif name.endswith("title_page.xhtml"):
            files[name] = _localize_title_page(files[name].decode("utf-8"), edition,
                                               lab).encode("utf-8")
        elif name.endswith(".xhtml") and not name.endswith("nav.xhtml"):
            text = files[name].decode("utf-8")
            base = name.removeprefix("EPUB/")
            for ident, tag_lang in re.findall(r'<section id="([^"]+)"[^>]*?\slang="([^"]+)"',
                                              text):
                heading_langs[f"{base}#{ident}"] = tag_lang
            text = _mark_languages(text)
            if not re.search(r"<html[^>]*\sxml:lang=", text):
                raise EpubRenderError(f"{name} has no xml:lang")
            files[name] = text.encode("utf-8")
    for name in names:
        if name.endswith("nav.xhtml"):
            nav = _localize_nav(files[name].decode("utf-8"), lab, lang)
            files[name] = _mark_toc(nav, heading_langs).encode("utf-8")
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


def _complete_opf(opf: str, date: str, fonts: list[str]) -> str:
    addition = f'<meta property="dcterms:conformsTo">{CONFORMS_TO}</meta>'
    items = "".join(f'    <item id="font-{index}" href="fonts/{font}" media-type="font/woff" />\n'
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
    nav = re.sub(r'(<h1 id="toc-title">)[^<]*(</h1>)', rf"\g<1>{contents}\g<2>", nav)
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
    title = edition.text(edition.statement.title)
    return page.replace('<h1 class="title"',
                        kind + f'\n  <h1 class="title"{_lang(title.lang, edition.lang)}', 1)


def _lang(lang: str, inherited: str) -> str:
    from ..catalogs import same_language

    if same_language(lang, inherited):
        return ""
    return f' lang="{lang}" xml:lang="{lang}"'


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
