"""Make ``draft.docx``, the example Word draft of ``statementpub import``, as a
coalition would write it in Word: a Title, headings, emphasis, a link, a
described picture, a table, a numbered list and a list of signatories.

The text is statementpub's own (a fictional campaign). Run it with python-docx
installed (the ``test`` extra): ``python examples/valley-intake/make_draft.py``.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.shared import Inches
from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent


def _picture(path: Path) -> None:
    """A small drawing of the valley: two hills, a road and a grey quarry."""
    image = Image.new("RGB", (480, 240), (214, 232, 246))
    draw = ImageDraw.Draw(image)
    draw.polygon([(0, 240), (150, 90), (300, 240)], fill=(92, 150, 90))
    draw.polygon([(180, 240), (360, 70), (480, 200), (480, 240)], fill=(70, 128, 74))
    draw.rectangle([(300, 150), (400, 210)], fill=(150, 150, 150))
    draw.line([(0, 230), (480, 200)], fill=(120, 100, 80), width=8)
    image.save(path)


def main() -> None:
    picture = HERE / "valley.png"
    _picture(picture)
    document = docx.Document()
    document.core_properties.title = "Keep the Valley Breathing"
    document.add_paragraph("Keep the Valley Breathing", style="Title")
    document.add_paragraph("Neighbours, farmers and schools ask the county to pause the "
                           "quarry's expansion", style="Subtitle")
    document.add_heading("Why we write", level=1)
    paragraph = document.add_paragraph("Since the quarry doubled its output, trucks pass the "
                                       "valley school ")
    paragraph.add_run("every four minutes").italic = True
    paragraph.add_run(". On forty-one days last year the dust was so thick that children "
                      "stayed indoors.")
    document.add_picture(str(picture), width=Inches(4))
    doc_pr = document.paragraphs[-1]._p.xpath(".//wp:docPr")[0]
    doc_pr.set("descr", "Drawing of the valley: two green hills, the road along the river "
                        "and the grey quarry between them")
    document.add_heading("What the dust costs", level=2)
    table = document.add_table(rows=3, cols=3)
    for row, values in enumerate((("Year", "Days indoors", "Trucks a day"),
                                  ("2024", "41", "120"), ("2025", "58", "240"))):
        for column, value in enumerate(values):
            table.cell(row, column).text = value
    document.add_heading("What we ask", level=1)
    for demand in ("No new permit until the county publishes its air study.",
                   "Dust monitors at the school and the clinic, with readings online.",
                   "A public hearing in the valley, in the evening."):
        document.add_paragraph(demand, style="List Number")
    document.add_paragraph("Read the county's own figures in its annual report, and "
                           "write to us at valley@example.org.")
    document.add_heading("Signatories", level=1)
    for name in ("Valley Neighbours' Association", "Lower Valley Growers",
                 "Parents of the Valley School", "Ridge Walkers Club"):
        document.add_paragraph(name, style="List Bullet")
    document.save(str(HERE / "draft.docx"))
    picture.unlink()


if __name__ == "__main__":
    main()
