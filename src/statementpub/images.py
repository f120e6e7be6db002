"""Image files a statement may publish: decoded and checked before anything uses them.

Every edition copies a statement's images into itself (``data:`` URIs in the
HTML, files in the EPUB, image objects in the PDF), so an image from a partner
organisation is untrusted input. Nothing here trusts a file name or a magic
number alone:

* a **raster image** (PNG, JPEG, GIF, WebP, the EPUB 3 core raster types) is
  opened with Pillow as the one format its extension names, its size checked
  against :data:`MAX_IMAGE_PIXELS` (every frame of an animation counted)
  *before* its pixels are decoded, and then decoded in full, so a truncated or
  garbage file, or a decompression bomb, is refused instead of going missing
  from the PDF;
* an **SVG image** is parsed with defusedxml (no DTD, no entities), then held
  to an allow-list of elements, attributes and CSS properties; CSS (``style``
  attributes, ``<style>`` elements, presentation attributes) is tokenised with
  tinycss2, so escapes such as ``@\\69mport`` or ``u\\72l(`` are read as a
  browser reads them; every reference must be a fragment of the image itself
  or an inline raster image (itself decoded as above); ``<use>`` is expanded
  by counting, and the image refused when it would stand for more than
  :data:`MAX_SVG_ELEMENTS` elements (each nesting level of ``<use>`` can
  multiply the work of a renderer);
* a file with more than one name (``st_nlink > 1``, a **hard link**) is
  refused: its other name may lie outside the statement's folder, and the
  folder check cannot see it (see docs/coordinators.md, "Limits").

:func:`image_problem` checks a file; :func:`read_image` reads a file once and
returns the very bytes it checked (the renderers use it, so what reaches an
edition is what was checked, even if the file changed after loading).
A leaf module: it imports nothing of the package.
"""

from __future__ import annotations

import base64
import io
import os
import re
import stat
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

import tinycss2  # type: ignore[import-untyped]
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

__all__ = [
    "IMAGE_FORMATS",
    "MAX_IMAGE_BYTES",
    "MAX_IMAGE_PIXELS",
    "MAX_SVG_DEPTH",
    "MAX_SVG_ELEMENTS",
    "ImageRefused",
    "check_image_bytes",
    "image_problem",
    "read_image",
    "svg_problem",
]

#: Images larger than this are refused (bytes): 10 MiB.
MAX_IMAGE_BYTES = 10 * 1024 * 1024
#: Raster images with more pixels than this (width x height, summed over the
#: frames of an animation) are refused: 25 megapixels, a 6,000 x 4,000 photo.
#: Decoding costs memory and time in proportion to the pixels, in every
#: renderer (4 bytes a pixel: 100 MB at the limit).
MAX_IMAGE_PIXELS = 25_000_000
#: SVG images that stand for more elements than this, once every ``<use>`` is
#: expanded, are refused.
MAX_SVG_ELEMENTS = 10_000
#: SVG elements nested deeper than this are refused.
MAX_SVG_DEPTH = 64

#: File name extensions of the images an edition may hold (EPUB 3 core media
#: types), with the name of their format.
IMAGE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF",
                 ".webp": "WebP", ".svg": "SVG"}


class ImageRefused(ValueError):
    """An image that cannot be published; the message completes "image 'x.png' ..."."""


# ----------------------------------------------------------------------------
# Files


def image_problem(path: Path) -> str | None:
    """Why the file at ``path`` cannot be published as an image, or ``None``.

    The message completes a sentence that names the image (``is not a PNG
    file, though its name says so``).
    """
    try:
        read_image(path)
    except ImageRefused as exc:
        return str(exc)
    return None


def read_image(path: Path) -> bytes:
    """The bytes of the image file at ``path``, read once and checked
    (:func:`check_image_bytes`).

    :param path: a PNG, JPEG, GIF, WebP or SVG file, by its extension.
    :returns: the file's bytes, exactly as checked.
    :raises ImageRefused: the file is not a regular file, has several names
        (a hard link), is over :data:`MAX_IMAGE_BYTES`, cannot be read, or its
        content is refused.
    """
    kind = IMAGE_FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ImageRefused("is not a PNG, JPEG, GIF, WebP or SVG image (by its extension): "
                           "only these can be published")
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ImageRefused("is not a regular file")
            if info.st_nlink > 1:
                raise ImageRefused(
                    f"is a hard link (the file has {info.st_nlink} names, and another may lie "
                    "outside the statement folder): put a copy of the image in the folder")
            if info.st_size > MAX_IMAGE_BYTES:
                raise ImageRefused(f"is {info.st_size} bytes; images are limited to "
                                   f"{MAX_IMAGE_BYTES} bytes (10 MiB)")
            data = handle.read(MAX_IMAGE_BYTES + 1)
    except OSError as exc:
        raise ImageRefused(f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRefused(f"is larger than {MAX_IMAGE_BYTES} bytes (10 MiB)")
    problem = check_image_bytes(data, kind)
    if problem:
        raise ImageRefused(problem)
    return data


def check_image_bytes(data: bytes, kind: str) -> str | None:
    """Why ``data`` cannot be published as an image of format ``kind``, or ``None``.

    :param kind: ``"PNG"``, ``"JPEG"``, ``"GIF"``, ``"WebP"`` or ``"SVG"``
        (the values of :data:`IMAGE_FORMATS`).
    """
    if kind == "SVG":
        problem = svg_problem(data)
        return f"is not a safe SVG image: it {problem}" if problem else None
    return raster_problem(data, kind)


# ----------------------------------------------------------------------------
# Raster images


def _pillow_opener(kind: str) -> type:
    # The format's own image class: Image.open would first warn about a large
    # image (a DecompressionBombWarning, through the process-wide warnings
    # machinery) before this module could refuse it with its own, lower limit.
    if kind == "PNG":
        from PIL.PngImagePlugin import PngImageFile
        return PngImageFile
    if kind == "JPEG":
        from PIL.JpegImagePlugin import JpegImageFile
        return JpegImageFile
    if kind == "GIF":
        from PIL.GifImagePlugin import GifImageFile
        return GifImageFile
    from PIL.WebPImagePlugin import WebPImageFile
    return WebPImageFile


def raster_problem(data: bytes, kind: str) -> str | None:
    """Why ``data`` is not a publishable raster image of format ``kind``, or ``None``.

    The image is opened with Pillow as that format only, its pixels (over all
    frames) counted against :data:`MAX_IMAGE_PIXELS` from its header, and only
    then decoded in full.
    """
    from PIL import Image

    opener = _pillow_opener(kind)
    try:
        image = opener(io.BytesIO(data))
    except (SyntaxError, OSError, ValueError, EOFError, IndexError, TypeError,
            Image.DecompressionBombError):
        return f"is not a {kind} file, though its name says so"
    # Pillow pads a truncated image instead of failing once
    # ImageFile.LOAD_TRUNCATED_IMAGES is set, and WeasyPrint sets it when it is
    # imported: the file's own end is checked here, whatever that flag says.
    if kind == "JPEG" and not data.rstrip(b"\0").endswith(b"\xff\xd9"):
        image.close()
        return "is truncated: it does not end with a JPEG end-of-image marker"
    if kind == "GIF" and not data.rstrip(b"\0").endswith(b"\x3b"):
        image.close()
        return "is truncated: it does not end with a GIF trailer"
    if kind == "PNG":
        # every chunk's checksum, up to the closing IEND chunk: a truncated PNG
        # whose pixel data happens to decode is still refused
        try:
            opener(io.BytesIO(data)).verify()
        except (SyntaxError, OSError, ValueError, EOFError, IndexError, TypeError) as exc:
            image.close()
            return f"is damaged or truncated ({_reason(exc)})"
    try:
        width, height = image.size
        frames = int(getattr(image, "n_frames", 1) or 1)
        pixels = width * height * frames
        if width < 1 or height < 1:
            return "has no pixels"
        if pixels > MAX_IMAGE_PIXELS:
            what = f"{width} x {height} pixels" + (f" x {frames} frames" if frames > 1 else "")
            return (f"is {what} ({pixels:,} pixels); images are limited to "
                    f"{MAX_IMAGE_PIXELS:,} pixels: scale it down")
        for frame in range(frames):
            if frame:
                image.seek(frame)
            image.load()
    except (SyntaxError, OSError, ValueError, EOFError, IndexError, TypeError, MemoryError,
            Image.DecompressionBombError) as exc:
        return f"is damaged or truncated: its pixels cannot be decoded ({_reason(exc)})"
    except Warning as exc:  # Pillow's own warnings, when a caller made them errors
        return f"is refused by the image decoder ({_reason(exc)})"
    finally:
        image.close()
    return None


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 100 else text[:97] + "..."


# ----------------------------------------------------------------------------
# SVG

_SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"
_XML = "http://www.w3.org/XML/1998/namespace"
#: Namespaces of editors' inert bookkeeping (Inkscape, Sodipodi, RDF metadata):
#: no renderer draws or runs what they hold.
_INERT_NAMESPACES = frozenset({
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://creativecommons.org/ns#",
    "http://web.resource.org/cc/",
    "http://purl.org/dc/elements/1.1/",
    "http://purl.org/dc/terms/",
    "http://ns.adobe.com/AdobeIllustrator/10.0/",
    "http://ns.adobe.com/SaveForWeb/1.0/",
    "http://ns.adobe.com/Extensibility/1.0/",
    "http://www.bohemiancoding.com/sketch/ns",
})

#: SVG elements of static graphics. Not allowed: script, foreignObject, a,
#: animation (animate, set...), iframe, audio, video, cursor, font elements.
_ELEMENTS = frozenset({
    "svg", "g", "defs", "symbol", "use", "title", "desc", "metadata", "switch",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
    "image", "style", "view",
    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite",
    "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR",
    "feGaussianBlur", "feMerge", "feMergeNode", "feOffset",
})

#: Attributes (in no namespace) that hold CSS values: presentation attributes.
_PRESENTATION = frozenset({
    "alignment-baseline", "baseline-shift", "clip", "clip-path", "clip-rule", "color",
    "color-interpolation", "color-interpolation-filters", "color-rendering", "direction",
    "display", "dominant-baseline", "enable-background", "fill", "fill-opacity", "fill-rule",
    "filter", "flood-color", "flood-opacity", "font", "font-family", "font-size",
    "font-size-adjust", "font-stretch", "font-style", "font-variant", "font-weight",
    "image-rendering", "isolation", "letter-spacing", "lighting-color", "marker",
    "marker-end", "marker-mid", "marker-start", "mask", "mix-blend-mode", "opacity",
    "overflow", "paint-order", "shape-rendering", "stop-color", "stop-opacity", "stroke",
    "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-opacity", "stroke-width", "text-anchor", "text-decoration",
    "text-rendering", "transform", "transform-origin", "unicode-bidi", "vector-effect",
    "visibility", "word-spacing", "writing-mode",
})

#: CSS properties a ``style`` may set: the presentation attributes and a few more.
_PROPERTIES = _PRESENTATION | frozenset({
    "font-feature-settings", "font-kerning", "font-variant-ligatures",
    "font-variant-caps", "font-variant-numeric", "font-variant-east-asian",
    "font-variation-settings", "line-height", "text-align", "text-indent",
    "text-transform", "white-space", "inline-size", "shape-inside", "shape-padding",
    "solid-color", "solid-opacity", "text-decoration-line", "text-decoration-style",
    "text-decoration-color", "text-orientation", "block-progression", "stop-offset",
})

#: Other attributes (in no namespace): geometry, structure, filter parameters.
_ATTRIBUTES = _PRESENTATION | frozenset({
    "id", "class", "style", "lang", "tabindex", "role", "focusable",
    "aria-label", "aria-labelledby", "aria-describedby", "aria-hidden",
    "version", "baseProfile", "width", "height", "viewBox", "preserveAspectRatio",
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr",
    "d", "points", "pathLength", "dx", "dy", "rotate", "textLength", "lengthAdjust",
    "startOffset", "method", "spacing", "side",
    "gradientUnits", "gradientTransform", "spreadMethod", "offset", "href",
    "patternUnits", "patternContentUnits", "patternTransform",
    "clipPathUnits", "maskUnits", "maskContentUnits",
    "markerUnits", "markerWidth", "markerHeight", "refX", "refY", "orient",
    "filterUnits", "primitiveUnits", "in", "in2", "result", "mode", "operator",
    "k1", "k2", "k3", "k4", "values", "type", "stdDeviation", "edgeMode",
    "tableValues", "slope", "intercept", "amplitude", "exponent",
    "media", "systemLanguage", "requiredFeatures", "requiredExtensions",
    "crossorigin", "decoding", "xmlns",
})
#: Elements whose ``href`` may be an inline raster image (``data:image/png;base64,...``).
_RASTER_HREF = frozenset({"image", "feImage"})
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp)(;base64)?,", re.I)


def _split(name: str) -> tuple[str, str]:
    """``{namespace}local`` -> ``(namespace, local)``."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def svg_problem(data: bytes) -> str | None:
    """Why an SVG document is unsafe or too costly to publish, or ``None``.

    The message completes "it ..." (``holds a <script> element``).

    Refused: anything that is not well-formed XML, a DTD or entity (defusedxml),
    processing instructions (``<?xml-stylesheet?>``), elements, attributes and
    CSS properties outside the allow-lists of this module, event handlers,
    at-rules (``@import``, ``@font-face``...), references (``href``,
    ``url()``) to anything but a fragment of the image itself or an inline
    PNG, JPEG, GIF or WebP image (which must itself pass :func:`raster_problem`),
    more than :data:`MAX_SVG_ELEMENTS` elements once ``<use>`` is expanded, and
    nesting deeper than :data:`MAX_SVG_DEPTH`.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "is not UTF-8 text"
    builder = _Builder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    try:
        parser.feed(text)
        root = parser.close()
    except DefusedXmlException:
        return "has a DOCTYPE or entity declarations"
    except ET.ParseError as exc:
        return f"is not well-formed XML ({exc})"
    if builder.instructions:
        return (f"holds a processing instruction (<?{builder.instructions[0]} ...?>), "
                "such as a style sheet link")
    if not isinstance(root.tag, str) or _split(root.tag) not in ((_SVG, "svg"), ("", "svg")):
        return "is not an SVG document"
    problem = _check_tree(root)
    if problem:
        return problem
    return _expansion_problem(root)


class _Builder(ET.TreeBuilder):
    """A tree builder that records processing instructions, wherever they are."""

    def __init__(self) -> None:
        super().__init__()
        self.instructions: list[str] = []

    def pi(self, target: str, data: str | None = None) -> ET.Element:
        self.instructions.append(target)
        return super().pi(target, data)


def _check_tree(root: ET.Element) -> str | None:
    stack: list[tuple[ET.Element, int]] = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_SVG_DEPTH:
            return f"nests elements more than {MAX_SVG_DEPTH} levels deep"
        stack.extend((child, depth + 1) for child in element)
        namespace, name = _split(element.tag)
        if namespace in _INERT_NAMESPACES:
            continue  # an editor's bookkeeping; what it holds is checked as well
        if namespace not in (_SVG, ""):
            return f"holds a <{name}> element of another language ({namespace})"
        if name not in _ELEMENTS:
            return f"holds a <{name}> element, which is not allowed in an image"
        problem = _check_attributes(element, name)
        if problem:
            return problem
        if name == "style":
            problem = _stylesheet_problem(element.text or "")
            if problem:
                return problem
    return None


def _check_attributes(element: ET.Element, name: str) -> str | None:
    for attribute, value in element.attrib.items():
        namespace, local = _split(attribute)
        if namespace in _INERT_NAMESPACES or namespace == _XML:
            continue
        if namespace == _XLINK:
            if local in ("title", "type", "role", "arcrole", "show", "actuate"):
                continue
            if local != "href":
                return f"has an attribute xlink:{local}, which is not allowed"
        elif namespace:
            return f"has an attribute {local} of another language ({namespace})"
        elif local.lower().startswith("on"):
            return f"has an event handler ({local})"
        elif local not in _ATTRIBUTES and not local.startswith(("data-", "aria-")):
            return f"has an attribute {local!r}, which is not allowed in an image"
        if local == "href":
            problem = _reference_problem(value, name)
            if problem:
                return problem
        elif local == "style":
            problem = _declarations_problem(tinycss2.parse_blocks_contents(value), "style")
            if problem:
                return problem
        elif local in _PRESENTATION:
            problem = _value_problem(tinycss2.parse_component_value_list(value), local)
            if problem:
                return problem
    return None


def _reference_problem(value: str, element: str) -> str | None:
    value = value.strip()
    if value.startswith("#") and len(value) > 1:
        return None
    match = _DATA_IMAGE.match(value)
    if match and element in _RASTER_HREF:
        if not match.group(2):
            return "holds an inline image that is not base64-encoded"
        try:
            raster = base64.b64decode(re.sub(r"\s+", "", value[match.end():]), validate=True)
        except ValueError:
            return "holds an inline image that is not valid base64"
        kind = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WebP"}[
            match.group(1).lower()]
        problem = raster_problem(raster, kind)
        return f"holds an inline image that {problem}" if problem else None
    shown = value if len(value) <= 60 else value[:57] + "..."
    return f"refers to {shown!r} (only #fragments of the image itself are allowed)"


def _stylesheet_problem(css: str) -> str | None:
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "error":
            return f"has a style sheet that cannot be parsed ({rule.message})"
        if rule.type == "at-rule":
            return f"has a style sheet with an @{rule.lower_at_keyword} rule"
        if rule.type == "qualified-rule":
            problem = _value_problem(rule.prelude, "a selector")
            if problem:
                return problem
            problem = _declarations_problem(
                tinycss2.parse_blocks_contents(rule.content), "style sheet")
            if problem:
                return problem
    return None


def _declarations_problem(items: Iterable[object], where: str) -> str | None:
    for item in items:
        kind = getattr(item, "type", "")
        if kind in ("whitespace", "comment"):
            continue
        if kind == "error":
            return f"has a {where} that cannot be parsed ({getattr(item, 'message', '')})"
        if kind == "at-rule":
            return f"has a {where} with an @{getattr(item, 'lower_at_keyword', '')} rule"
        if kind == "qualified-rule":
            return f"has a {where} with a nested rule"
        if kind != "declaration":
            continue
        name = str(getattr(item, "lower_name", ""))
        if name not in _PROPERTIES and not name.startswith("-inkscape-"):
            return f"has a {where} that sets {name!r}, which is not allowed in an image"
        problem = _value_problem(getattr(item, "value", []), name)
        if problem:
            return problem
    return None


def _value_problem(tokens: Iterable[object], where: str) -> str | None:
    """A ``url()`` to anything but a fragment, or a function that loads, in CSS tokens."""
    pending = list(tokens)
    while pending:
        token = pending.pop()
        kind = getattr(token, "type", "")
        if kind == "url":
            target = str(getattr(token, "value", "")).strip()
            if not (target.startswith("#") and len(target) > 1):
                return f"has a CSS url({target!r}) in {where}: only #fragments are allowed"
        elif kind == "function":
            name = str(getattr(token, "lower_name", ""))
            arguments = list(getattr(token, "arguments", []))
            if name == "url":
                strings = [a for a in arguments if getattr(a, "type", "") == "string"]
                target = str(getattr(strings[0], "value", "")).strip() if strings else ""
                if not (target.startswith("#") and len(target) > 1):
                    return f"has a CSS url({target!r}) in {where}: only #fragments are allowed"
            elif name in ("image", "image-set", "src", "element", "cross-fade", "paint",
                          "expression", "env", "attr"):
                return f"has a CSS {name}() in {where}, which is not allowed in an image"
            pending.extend(arguments)
        elif kind in ("() block", "[] block", "{} block"):
            pending.extend(getattr(token, "content", []))
        elif kind == "at-keyword":
            return f"has a CSS @{getattr(token, 'lower_value', '')} in {where}"
        elif kind == "error":
            return f"has CSS that cannot be parsed in {where}"
    return None


def _expansion_problem(root: ET.Element) -> str | None:
    """Refuse an image whose ``<use>`` elements would stand for more than
    :data:`MAX_SVG_ELEMENTS` elements, or that uses itself."""
    by_id: dict[str, ET.Element] = {}
    for element in root.iter():
        if isinstance(element.tag, str):
            ident = element.get("id")
            if ident and ident not in by_id:
                by_id[ident] = element
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def href(element: ET.Element) -> str:
        return (element.get("href") or element.get(f"{{{_XLINK}}}href") or "").strip()

    def size(element: ET.Element) -> int:
        key = id(element)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise RecursionError
        active.add(key)
        total = 1
        # iterative over the subtree; only <use> recurses (into what it refers to)
        stack = list(element)
        while stack and total <= MAX_SVG_ELEMENTS:
            child = stack.pop()
            if not isinstance(child.tag, str):
                continue
            total += 1
            stack.extend(child)
            if _split(child.tag)[1] == "use":
                target = by_id.get(href(child).removeprefix("#"))
                if target is not None:
                    total += size(target)
        if _split(element.tag)[1] == "use":
            target = by_id.get(href(element).removeprefix("#"))
            if target is not None:
                total += size(target)
        active.discard(key)
        sizes[key] = total
        return total

    try:
        total = size(root)
    except RecursionError:
        return ("has a <use> element that refers to itself or to an element around it, "
                "or <use> elements nested too deeply")
    if total > MAX_SVG_ELEMENTS:
        return (f"stands for more than {MAX_SVG_ELEMENTS:,} elements once its <use> "
                "elements are expanded: simplify it")
    return None
