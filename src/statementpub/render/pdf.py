"""The PDF edition: PDF/UA-1 (ISO 14289-1) through WeasyPrint, from the edition's HTML.

WeasyPrint renders the ``print`` flavour of the HTML (paged-media stylesheet,
fonts from ``styles/fonts``) with ``pdf_variant="pdf/ua-1"``: a structure
tree, ``/MarkInfo``, ``/Lang``, ``DisplayDocTitle``, XMP ``pdfuaid:part 1``.
:mod:`statementpub.render.pdf_tags` repairs what WeasyPrint 70.0 gets wrong
(``/Lang`` on structure elements, ``TH /Scope``, one structure element per
HTML element across page breaks, page-margin boxes such as the page numbers
as pagination artifacts, decorative images as artifacts).

Resources are fetched by :class:`SandboxFetcher`: ``data:`` URIs and files
inside the allowed folders only; never the network.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import PdfRenderError
from ..processes import make_temporary_folder
from ..resources import styles_dir

__all__ = ["html_to_pdf", "make_fetcher", "page_label_css", "running_head"]

_LOCK = threading.Lock()
#: The temporary fonts folder of a process: ``statementpub-fonts-<pid>-<random>``.
FONTS_FOLDER_PREFIX = "statementpub-fonts-"
#: Kept for callers that key caches on it: the PDF no longer depends on
#: ``SOURCE_DATE_EPOCH`` (the fonts keep their own ``head.modified``, see
#: :func:`_sfnt_bytes`), so any value gives the same bytes.
_DEFAULT_EPOCH = "946684800"  # 2000-01-01T00:00:00Z


@contextmanager
def _linker_cache_lookups() -> Iterator[None]:
    """While WeasyPrint is imported, answer ``ctypes.util.find_library`` from the dynamic
    linker's cache, read once.

    WeasyPrint tries several names per library (those of every platform) before
    the one that loads here, and cffi asks ``find_library`` about each name that
    fails: on Linux that runs ``ldconfig -p``, then ``gcc``, then ``ld``, 22 times,
    which took 0.27 s of a 0.6 s import. ``ldconfig -p`` is what ``find_library``
    reads first; what only ``gcc`` or ``ld`` would find is left to the real
    ``find_library`` (the import is retried without this).
    """
    import ctypes.util
    import re
    import struct
    import subprocess
    import sys

    if not sys.platform.startswith("linux"):
        yield
        return
    try:
        listing = subprocess.run(["/sbin/ldconfig", "-p"], stdin=subprocess.DEVNULL,
                                 capture_output=True, env={"LC_ALL": "C", "LANG": "C"},
                                 timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        yield
        return
    # as in ctypes.util._findSoname_ldconfig
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    abi = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit",
           "sparc64-64": "libc6,64bit", "s390x-64": "libc6,64bit",
           "ia64-64": "libc6,IA-64"}.get(machine, "libc6")

    def find_library(name: str) -> str | None:
        found = re.search(os.fsencode(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({abi}"),
                          listing)
        return os.fsdecode(found.group(1)) if found else None

    original = ctypes.util.find_library
    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original


def _import_weasyprint() -> Any:
    import sys

    if "weasyprint" in sys.modules:
        import weasyprint

        return weasyprint
    try:
        with _linker_cache_lookups():
            import weasyprint
    except OSError:
        for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
            del sys.modules[name]
        import weasyprint
    return weasyprint


def _weasyprint() -> Any:
    weasyprint = _import_weasyprint()

    from . import pdf_tags

    pdf_tags.install()  # wrappers that delegate to WeasyPrint outside our renders
    return weasyprint


@lru_cache(maxsize=16)
def _sfnt_bytes(path: Path, size: int, mtime_ns: int) -> bytes:
    """The WOFF font at ``path`` as plain TrueType/OpenType bytes, its ``head.modified``
    kept.

    WeasyPrint decodes WOFF with fontTools, which stamps the decoded font's
    ``head.modified`` with the current time (or ``SOURCE_DATE_EPOCH``, read from
    the process environment), and that date ends up in the PDF's font subsets.
    Decoded here with ``recalcTimestamp=False``, the fonts keep the date their
    files carry: the same input gives the same PDF bytes whatever the clock or
    the environment.
    """
    import io

    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    # not lazy=False: the tables are copied as they are, none is decompiled (the same
    # bytes in 60% of the time)
    font = TTFont(str(path), recalcTimestamp=False)
    font.flavor = None
    font.flavorData = None
    out = io.BytesIO()
    font.save(out, reorderTables=False)
    return out.getvalue()


def _fetcher_base() -> type:
    from weasyprint.urls import URLFetcher

    base: type = URLFetcher
    return base


def make_fetcher(roots: Iterable[Path], record: list[str] | None = None) -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` URIs and files under ``roots`` only.

    Every requested URL is appended to ``record`` when given. Anything else
    (network, files elsewhere, symbolic links pointing outside) is refused.
    """
    base = _fetcher_base()
    allowed = tuple(Path(root).resolve() for root in roots)

    class SandboxFetcher(base):  # type: ignore[misc, valid-type]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if record is not None:
                record.append(url)
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                from urllib.parse import unquote, urlsplit

                path = Path(unquote(urlsplit(url).path)).resolve()
                if any(path.is_relative_to(root) for root in allowed) and path.is_file():
                    if path.suffix.lower() == ".woff":
                        from weasyprint.urls import URLFetcherResponse

                        stat = path.stat()
                        return URLFetcherResponse(
                            path.as_uri(), _sfnt_bytes(path, stat.st_size, stat.st_mtime_ns),
                            {"Content-Type": "font/sfnt"})
                    return super().fetch(path.as_uri(), headers)
            raise ValueError(f"statementpub does not fetch {url!r}")

    return SandboxFetcher(timeout=1, allowed_protocols=("data", "file"),
                          allow_redirects=False)


def _css_string(text: str) -> str:
    """``text`` as a CSS string token (CSS Syntax 3, 4.3.5)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


#: The running head's width (print.css: 170 mm at 8 pt, about 60 em), with room
#: to spare for the widest letters.
RUNNING_HEAD_EM = 56.0


def _advance(character: str) -> float:
    """A generous estimate of a character's advance in em (Atkinson Hyperlegible
    Next averages about 0.45 em with spaces, capitals about 0.65; wide East Asian 1 em)."""
    if unicodedata.east_asian_width(character) in ("W", "F"):
        return 1.0
    if unicodedata.combining(character):
        return 0.0
    return 0.68 if character.isupper() else 0.52


def running_head(title: str, width_em: float = RUNNING_HEAD_EM) -> str:
    """``title`` shortened to fit the running head: cut after the last whole word
    that fits, then an ellipsis (U+2026) as a character of its own (the text that
    follows it in the PDF is the ellipsis, not the rest of the title). A title
    without spaces (Chinese, Japanese) is cut between characters.

    :param title: the edition's title, plain text.
    :param width_em: the room, in em of the running head's font.
    :returns: ``title`` unchanged when it fits.
    """
    words = " ".join(title.split())
    total = 0.0
    for index, character in enumerate(words):
        total += _advance(character)
        if total > width_em - 1.0:  # room for the ellipsis
            cut = words[:index]
            space = cut.rfind(" ")
            if space > len(cut) // 2:
                cut = cut[:space]
            return cut.rstrip(" ,;:–—-") + "\u2026"
    return words


def page_label_css(template: str, title: str | None = None) -> str:
    """The ``@page`` rules of an edition: ``template`` (with ``%(page)s``/``%(pages)s``)
    at the bottom of every page, as CSS ``content`` with counters, and, when
    ``title`` is given, :func:`running_head` of it at the top of every page but
    the first (print.css hides it there)."""
    import re

    parts = re.split(r"(%\(page\)s|%\(pages\)s)", template)
    tokens = []
    for part in parts:
        if part == "%(page)s":
            tokens.append("counter(page)")
        elif part == "%(pages)s":
            tokens.append("counter(pages)")
        elif part:
            tokens.append(_css_string(part))
    css = "@page {{ @bottom-center {{ content: {}; }} }}\n".format(" ".join(tokens or ['""']))
    if title is not None:
        css += f"@page {{ @top-center {{ content: {_css_string(running_head(title))}; }} }}\n"
        # Said again after it: WeasyPrint lets this later @page rule win over
        # print.css's @page :first, although :first is more specific.
        css += "@page :first { @top-center { content: none; } }\n"
    return css


def _empty_fontconfig() -> Any:
    """A new Fontconfig configuration with no font and no rule (``FcConfigCreate``), as
    a pointer of WeasyPrint's FFI.

    WeasyPrint's own configuration (``FcInitLoadConfigAndFonts``) holds every font
    installed on the machine, and Pango takes a glyph that the shipped font lacks
    from one of them: the PDF's bytes would depend on the machine. WeasyPrint's FFI
    does not declare ``FcConfigCreate``; this declares it in an FFI of its own
    (WeasyPrint's is left as it is) on the same library.
    """
    import cffi  # type: ignore[import-untyped]
    from weasyprint.text.ffi import ffi as wp_ffi

    own = cffi.FFI()
    own.cdef("typedef struct _FcConfig FcConfig; FcConfig *FcConfigCreate(void);")
    for name in ("libfontconfig.so.1", "libfontconfig-1", "fontconfig-1", "fontconfig",
                 "libfontconfig.1.dylib", "libfontconfig-1.dll"):
        try:
            library = own.dlopen(name)
            break
        except OSError:
            continue
    else:
        raise PdfRenderError("statementpub could not load the Fontconfig library")
    config = library.FcConfigCreate()
    if config == own.NULL:
        raise PdfRenderError("Fontconfig could not make a font configuration")
    return wp_ffi.cast("FcConfig *", int(own.cast("uintptr_t", config)))


def _shipped_fonts_configuration() -> Any:
    """A WeasyPrint ``FontConfiguration`` that knows only the fonts ``@font-face``
    rules add (statementpub's ``styles/fonts``), never the machine's.

    Same construction as ``weasyprint.text.fonts.FontConfiguration.__init__`` of
    WeasyPrint 70.0 (the version :mod:`.pdf_tags` pins), with an empty Fontconfig
    configuration instead of the system one.
    """
    from weasyprint.text.ffi import ffi, fontconfig, gobject, pangoft2
    from weasyprint.text.fonts import FontConfiguration

    class ShippedFontsConfiguration(FontConfiguration):  # type: ignore[misc]
        def __init__(self) -> None:
            self._config = _empty_fontconfig()
            self.font_map = ffi.gc(pangoft2.pango_ft2_font_map_new(), gobject.g_object_unref)
            pangoft2.pango_fc_font_map_set_config(
                ffi.cast("PangoFcFontMap *", self.font_map), self._config)
            # pango_fc_font_map_set_config keeps a reference to the configuration.
            fontconfig.FcConfigDestroy(self._config)
            self._folder: Path | None = None
            self.strut_layouts: dict[Any, Any] = {}
            self.font_features: dict[Any, Any] = {}

        def add_font_face(self, rule_descriptors: Any, url_fetcher: Any) -> Any:
            # WeasyPrint makes a "weasyprint-*" folder for the fonts; this one is named
            # after the process, so that a process killed with SIGKILL (which cannot
            # remove it) has it removed by the next one.
            if self._folder is None:
                self._folder = make_temporary_folder(FONTS_FOLDER_PREFIX)
            return super().add_font_face(rule_descriptors, url_fetcher)

    return ShippedFontsConfiguration()


@lru_cache(maxsize=1)
def _font_config() -> Any:
    import atexit
    import shutil

    config = _shipped_fonts_configuration()
    owner = os.getpid()

    def remove_fonts_folder() -> None:
        # WeasyPrint removes its temporary fonts folder when the configuration is
        # collected, which a cached one may never be before the interpreter exits.
        folder = getattr(config, "_folder", None)
        if folder is not None and os.getpid() == owner:
            shutil.rmtree(folder, ignore_errors=True)
            config._folder = None  # nothing left for its __del__, which may run too late

    atexit.register(remove_fonts_folder)
    return config


#: The stylesheets of the print flavour, in the order ``render_edition_html`` inlines them.
PRINT_STYLESHEETS = ("fonts.css", "base.css", "print.css")


def _print_css_text() -> str:
    from .stylesheets import stylesheet

    return stylesheet(*PRINT_STYLESHEETS)


def _fallback_fonts_css() -> str:
    from .stylesheets import stylesheet

    return stylesheet("fonts.css") + (
        '\nhtml { font-family: "Atkinson Hyperlegible Next", "Noto Sans Math"; }\n')


@lru_cache(maxsize=2)
def _parsed_stylesheet(text: str) -> Any:
    """``text`` parsed once per process (its ``@font-face`` fonts loaded into the
    process's font configuration): parsing the print stylesheets took a third of
    the time of a short statement's PDF."""
    weasyprint = _weasyprint()
    with _LOCK:
        return weasyprint.CSS(string=text, base_url=styles_dir().as_uri() + "/",
                              url_fetcher=make_fetcher([styles_dir()]),
                              font_config=_font_config())


def prepare(*, stylesheets: bool = True) -> None:
    """Import WeasyPrint and make the process's font configuration now (before forking
    workers, so that they inherit them), and parse the print stylesheets unless
    ``stylesheets`` is false (each worker then parses them, in parallel)."""
    _weasyprint()
    _font_config()
    if stylesheets:
        _parsed_stylesheet(_print_css_text())


def made_font_folder() -> Path | None:
    """The fonts folder of this process's font configuration if one was made already
    (never makes one, imports nothing: safe in a signal handler)."""
    if _font_config.cache_info().currsize == 0:
        return None
    folder = getattr(_font_config(), "_folder", None)
    return Path(folder) if folder is not None else None


def font_folder() -> Path | None:
    """The temporary folder where WeasyPrint keeps this process's ``@font-face`` fonts."""
    folder = getattr(_font_config(), "_folder", None)
    return Path(folder) if folder is not None else None


def html_to_pdf(
    html: str,
    *,
    resource_roots: Iterable[Path] = (),
    title: str | None = None,
    record: list[str] | None = None,
    cache: dict[str, Any] | None = None,
) -> bytes:
    """Render print-flavour HTML to PDF/UA-1 bytes.

    When the HTML inlines the print stylesheets verbatim (as
    ``render_edition_html(flavour="print")`` does), they are applied from a copy
    parsed once per process instead of being parsed again for every document;
    the PDF is the same, byte for byte.

    :param resource_roots: folders whose files may be loaded (``styles/`` always).
    :param cache: WeasyPrint's image cache; pass the same dict to reuse images
        across documents.
    :raises PdfRenderError: WeasyPrint failed.
    """
    weasyprint = _weasyprint()
    from . import pdf_tags

    roots = [styles_dir(), *resource_roots]
    fetcher = make_fetcher(roots, record)
    base_url = styles_dir().as_uri() + "/"
    stylesheets = []
    css = _print_css_text()
    if css and css in html:
        html = html.replace(css, "", 1)
        stylesheets.append(_parsed_stylesheet(css))
    else:
        # HTML of another origin: the shipped fonts as a user stylesheet (the
        # document's own styles win). With no font at all, the font
        # configuration (which knows only shipped fonts) would leave Pango
        # without a font, which crashes the process.
        stylesheets.append(_parsed_stylesheet(_fallback_fonts_css()))
    try:
        document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        with _LOCK:
            # One font configuration per process: fonts are loaded once. WeasyPrint's
            # font configuration is not documented as thread-safe, hence the lock.
            options: dict[str, Any] = {
                "pdf_variant": "pdf/ua-1", "uncompressed_pdf": False,
                "cache": cache if cache is not None else {}, "stylesheets": stylesheets}
            laid_out = document.render(font_config=_font_config(), **options)
            pdf = pdf_tags.write_pdf(laid_out, **{key: value for key, value in options.items()
                                                  if key != "stylesheets"})
    except Exception as exc:  # WeasyPrint raises many kinds; wrap them all
        raise PdfRenderError(f"WeasyPrint could not render the PDF: {exc}") from exc
    assert isinstance(pdf, bytes)
    return pdf
