"""A page for the search-crop tests: a paragraph, a tightly set table, two hits on one line, and a
long line in small type, each with "orchard" in it. The table's other rows are blue, so that a
crop that slices them shows blue pixels."""

from __future__ import annotations

import pymupdf

QUERY = "orchard"
BLUE = (0.0, 0.0, 1.0)
PARAGRAPH = (
    "The family moved twice in the spring of that year and the",
    "school was told late. The orchard behind the house was",
    "not fenced, which the health visitor noted at the time.",
)
# 12 pt type 13 pt apart: MuPDF's line boxes (the font's ascender to descender, about 16.5 pt)
# overlap the rows above and below.
TABLE = (
    ("Date", "Place", "Who"),
    ("12 March", "Kitchen", "Health Visitor 1"),
    ("14 March", "Orchard", "Social Worker 2"),
    ("20 March", "Garden", "Police Officer 3"),
)
TABLE_HIT_ROW = 2
TWO_HITS = "The orchard gate and the orchard wall were both checked."
LONG_LINE = (
    "On the last visit the worker saw the children by the back orchard fence, and wrote it "
    "in the log later on."
)
# Hits on each line with hits, in reading order: paragraph, table cell, two hits, long line.
HITS_PER_LINE = [1, 1, 2, 1]


def build_hit_line_pdf() -> bytes:
    """One A4 page with the text above."""
    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    page.insert_text((72, 80), "Visit notes", fontsize=16)
    for number, text in enumerate(PARAGRAPH):
        page.insert_text((72, 110 + number * 14.4), text, fontsize=12)
    for number, row in enumerate(TABLE):
        colour = (0.0, 0.0, 0.0) if number == TABLE_HIT_ROW else BLUE
        for x, cell in zip((72, 200, 330), row, strict=True):
            page.insert_text((x, 190 + number * 13), cell, fontsize=12, color=colour)
    page.insert_text((72, 270), TWO_HITS, fontsize=12)
    page.insert_text((72, 300), LONG_LINE, fontsize=9)
    data: bytes = document.tobytes()
    document.close()
    return data
