"""Hostile images: every image is decoded (raster) or parsed and allow-listed (SVG)
before it is accepted, and an edition embeds only the bytes that were checked.

Each refused case is a statement whose logo or body image is the hostile
file; the build must exit 1 with one error at the line that names the image
and write nothing.
"""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path

import pytest
from PIL import Image

from statementpub import load_statement, render_epub, render_html
from statementpub.cli import main
from statementpub.errors import RenderError
from statementpub.images import (
    MAX_IMAGE_PIXELS,
    MAX_SVG_ELEMENTS,
    check_image_bytes,
    svg_problem,
)

SVG_OPEN = ('<svg xmlns="http://www.w3.org/2000/svg" '
            'xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">')


def svg(body: str) -> bytes:
    return (SVG_OPEN + body + "</svg>").encode("utf-8")


def png(size: tuple[int, int] = (8, 8), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 1 if mode == "1" else (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def statement(folder: Path, image: str) -> Path:
    """A statement whose body shows ``image`` on line 8."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "statement.md"
    source.write_text("---\ntitle: A river for everyone\ndate: 2018-09-20\n---\n\n"
                      "The river belongs to everyone.\n\n"
                      f"![the river at dawn]({image})\n", encoding="utf-8")
    return source


def build_fails(source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    out = tmp_path / "out"
    status = main(["build", str(source), "--out", str(out), "--format", "html"])
    err = capsys.readouterr().err
    assert status == 1, err
    assert "Traceback" not in err
    assert not out.exists() or not [p for p in out.iterdir() if not p.name.startswith(".")]
    return err.splitlines()[0]


# -- SVG: CSS escapes, <use> expansion, other active content ---------------------------

SVG_REFUSED = {
    "import-escape": (svg(r'<style>@\69mport "https://example.org/x.css";</style><rect/>'),
                      "has a style sheet with an @import rule"),
    "url-escape": (svg(r"<style>rect { fill: u\72l(https://example.org/x.png) }</style>"),
                   "has a CSS url('https://example.org/x.png') in fill"),
    "url-escape-attribute": (svg(r'<rect style="fill: u\72l(https://example.org/a)"/>'),
                             "has a CSS url('https://example.org/a') in fill"),
    "url-presentation": (svg('<rect filter="url(https://example.org/f.svg#f)"/>'),
                         "in filter: only #fragments are allowed"),
    "font-face": (svg("<style>@font-face { src: url(https://example.org/f.woff) }</style>"),
                  "@font-face rule"),
    "unknown-property": (svg('<rect style="behavior: x"/>'), "sets 'behavior'"),
    "script": (svg("<script>alert(1)</script>"), "holds a <script> element"),
    "xhtml-script": (svg('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>'),
                     "holds a <script> element of another language"),
    "foreign-object": (svg("<foreignObject/>"), "holds a <foreignObject> element"),
    "link": (svg('<a href="javascript:alert(1)"><rect/></a>'), "holds a <a> element"),
    "animation": (svg('<rect><set attributeName="fill" to="red"/></rect>'),
                  "holds a <set> element"),
    "handler": (svg('<rect onclick="alert(1)"/>'), "has an event handler (onclick)"),
    "remote-use": (svg('<use href="https://example.org/x.svg#a"/>'), "refers to"),
    "remote-image": (svg('<image xlink:href="https://example.org/x.png"/>'), "refers to"),
    "stylesheet-pi": (b'<?xml-stylesheet href="https://example.org/x.css"?>' + svg("<rect/>"),
                      "processing instruction"),
    "entity": (b'<!DOCTYPE svg [<!ENTITY a "aaaa">]>' + svg("<text>&a;</text>"),
               "DOCTYPE or entity"),
    "use-cycle": (svg('<g id="a"><use href="#a"/></g>'), "refers to itself"),
    "broken-inline-png": (svg('<image href="data:image/png;base64,'
                              + base64.b64encode(b"\x89PNG\r\n\x1a\ngarbage").decode()
                              + '"/>'), "holds an inline image that is not a PNG"),
}


@pytest.mark.parametrize("name", sorted(SVG_REFUSED))
def test_unsafe_svg_is_refused(name: str) -> None:
    data, reason = SVG_REFUSED[name]
    problem = svg_problem(data)
    assert problem is not None and reason in problem, problem


def nested_use(levels: int, copies: int = 10) -> bytes:
    """The 1.6 KB logo of issue 11: each level uses the one below ``copies`` times."""
    parts = ['<rect id="l0" width="1" height="1"/>']
    for level in range(1, levels + 1):
        parts.append(f'<g id="l{level}">'
                     + "".join(f'<use xlink:href="#l{level - 1}"/>' for _ in range(copies))
                     + "</g>")
    return svg("<defs>" + "".join(parts) + "</defs>" + f'<use xlink:href="#l{levels}"/>')


def test_nested_use_is_counted_after_expansion() -> None:
    bomb = nested_use(6)
    assert len(bomb) < 2000
    problem = svg_problem(bomb)
    assert problem is not None and f"more than {MAX_SVG_ELEMENTS:,} elements" in problem
    # three levels (about 1,100 elements once expanded) are a fine logo
    assert svg_problem(nested_use(3)) is None


def test_a_usual_svg_passes() -> None:
    logo = svg('<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'
               '</metadata>'
               '<sodipodi:namedview xmlns:sodipodi='
               '"http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" id="nv"/>'
               '<defs><linearGradient id="g"><stop offset="0" stop-color="#00f"/>'
               "</linearGradient></defs>"
               "<style>.wave { fill: url(#g); stroke: #003; stroke-width: 0.5 }</style>"
               '<title>A blue wave</title><path class="wave" d="M0 5 Q5 0 10 5"/>'
               '<rect style="fill:url(&quot;#g&quot;);opacity:.5" width="2" height="2"/>'
               '<use xlink:href="#g"/><image width="1" height="1" href="data:image/png;base64,'
               + base64.b64encode(png()).decode() + '"/>')
    assert svg_problem(logo) is None


def test_an_svg_with_a_css_escape_is_refused_at_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "river"
    source = statement(folder, "logo.svg")
    (folder / "logo.svg").write_bytes(SVG_REFUSED["import-escape"][0])
    first = build_fails(source, tmp_path, capsys)
    assert first.startswith(f"{source}:8: error: image 'logo.svg' is not a safe SVG image: "
                            "it has a style sheet with an @import rule"), first


def test_a_nested_use_logo_is_refused_before_any_rendering(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "river"
    folder.mkdir()
    (folder / "logo.svg").write_bytes(nested_use(6))
    source = folder / "statement.md"
    source.write_text("---\ntitle: A river for everyone\ndate: 2018-09-20\npublisher:\n"
                      "  name: Aliso Riverkeepers\n  logo:\n    src: logo.svg\n"
                      "    alt: Aliso Riverkeepers\n---\n\nThe river belongs to everyone.\n",
                      encoding="utf-8")
    first = build_fails(source, tmp_path, capsys)
    assert first.startswith(f"{source}:7: error: image 'logo.svg' is not a safe SVG image: "
                            f"it stands for more than {MAX_SVG_ELEMENTS:,} elements"), first


# -- Raster images: decoded with Pillow ------------------------------------------------

def test_a_png_header_followed_by_garbage_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "river"
    source = statement(folder, "map.png")
    (folder / "map.png").write_bytes(png()[:16] + os.urandom(200))
    first = build_fails(source, tmp_path, capsys)
    assert first.startswith(f"{source}:8: error: image 'map.png' "), first
    assert "not a PNG file" in first or "damaged or truncated" in first, first


def test_a_decompression_bomb_is_refused_from_its_header(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "river"
    source = statement(folder, "map.png")
    bomb = png((20_000, 20_000), "1")
    assert len(bomb) < 100_000  # 400 megapixels in a few kilobytes
    (folder / "map.png").write_bytes(bomb)
    first = build_fails(source, tmp_path, capsys)
    assert first == (f"{source}:8: error: image 'map.png' is 20000 x 20000 pixels "
                     f"(400,000,000 pixels); images are limited to {MAX_IMAGE_PIXELS:,} "
                     "pixels: scale it down"), first


@pytest.mark.parametrize("cut", [20, 12])
def test_a_truncated_png_is_refused(cut: int) -> None:
    data = png((64, 64))
    assert check_image_bytes(data, "PNG") is None
    problem = check_image_bytes(data[:-cut], "PNG")
    assert problem is not None and "damaged or truncated" in problem


@pytest.mark.parametrize("fmt, kind", [("JPEG", "JPEG"), ("GIF", "GIF"), ("WEBP", "WebP")])
def test_other_raster_formats_are_decoded(fmt: str, kind: str) -> None:
    image = Image.frombytes("RGB", (64, 64), bytes(range(256)) * 48)
    out = io.BytesIO()
    image.save(out, fmt)
    data = out.getvalue()
    assert check_image_bytes(data, kind) is None
    # WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES when it is imported (the
    # test imports it to be sure): truncation is found all the same
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    for cut in (len(data) // 2, len(data) - 12):
        problem = check_image_bytes(data[:cut], kind)
        assert problem is not None, cut
    # a file whose content is another format than its name says
    assert check_image_bytes(png(), kind) == f"is not a {kind} file, though its name says so"


def test_the_frames_of_an_animation_count() -> None:
    frames = [Image.new("P", (2000, 2000), index) for index in range(8)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    problem = check_image_bytes(out.getvalue(), "GIF")
    assert problem is not None and "x 8 frames" in problem


# -- Hard links ------------------------------------------------------------------------

def test_a_hard_link_to_a_file_outside_the_folder_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "secret.png"
    outside.write_bytes(png())
    folder = tmp_path / "river"
    source = statement(folder, "map.png")
    os.link(outside, folder / "map.png")
    first = build_fails(source, tmp_path, capsys)
    assert first.startswith(f"{source}:8: error: image 'map.png' is a hard link (the file "
                            "has 2 names"), first
    # a copy is fine
    (folder / "map.png").unlink()
    (folder / "map.png").write_bytes(outside.read_bytes())
    assert load_statement(source).body.images


# -- What an edition embeds is what was checked -----------------------------------------

def test_an_image_changed_after_loading_never_reaches_an_edition(tmp_path: Path) -> None:
    folder = tmp_path / "river"
    source = statement(folder, "logo.svg")
    (folder / "logo.svg").write_bytes(svg('<rect width="1" height="1"/>'))
    loaded = load_statement(source)
    assert "data:image/svg+xml;base64," in render_html(loaded)
    (folder / "logo.svg").write_bytes(SVG_REFUSED["url-escape"][0])
    with pytest.raises(RenderError, match="logo.svg' is not a safe SVG image"):
        render_html(loaded)
    with pytest.raises(RenderError, match="logo.svg' is not a safe SVG image"):
        render_epub(loaded)

