"""The floor: pandoc and WeasyPrint alone, in one process, sequentially.

For each Markdown file given: pandoc makes the standalone HTML (linking the
screen stylesheets) and the EPUB 3; WeasyPrint makes the PDF from that HTML
with the print stylesheet added. This is the least a hand-made pipeline does
to get the same three files per language with the same styles and fonts.

    python benchmarks/floor.py --styles DIR --out DIR a.md [b.md ...]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pypandoc
import weasyprint


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--styles", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("sources", nargs="+", type=Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    screen = args.styles / "screen.css"
    printing = weasyprint.CSS(filename=str(args.styles / "print.css"))
    for source in args.sources:
        stem = args.out / source.stem
        html = pypandoc.convert_file(str(source), "html5",
                                     extra_args=["--standalone", f"--css={screen}"])
        Path(f"{stem}.html").write_text(html, encoding="utf-8")
        pypandoc.convert_file(str(source), "epub3", outputfile=f"{stem}.epub")
        weasyprint.HTML(string=html, base_url=str(args.styles) + "/").write_pdf(
            f"{stem}.pdf", stylesheets=[printing])


if __name__ == "__main__":
    main()
