"""Page geometry, metadata and the markers shared by the sample builder's modules."""

from __future__ import annotations

import re

import pymupdf

PAGE = pymupdf.paper_rect("a4")
# Text area: the running header and footer live in the margins above and below it.
BODY = pymupdf.Rect(58, 64, PAGE.width - 58, PAGE.height - 62)
HEADER_TEXT = "FICTIONAL \u2014 Westmoor SCR \u2014 Child A \u2014 OFFICIAL-SENSITIVE"
FOOTER_TEXT = "FICTIONAL DOCUMENT \u2014 not a real case \u2014 every person is a role label"
MAX_LAYOUT_PASSES = 8
MIN_ROWS_FIRST_PAGE = 3  # fewer rows than this at the foot of a page: start the table overleaf
EM = 11  # points; review.css sets the real sizes
METADATA = {
    "title": "Serious Case Review: Child A (FICTIONAL SAMPLE)",
    "author": "Westmoor Safeguarding Children Partnership (fictional)",
    "subject": "FICTIONAL sample document for ReadingRoom",
    "keywords": "FICTIONAL, OFFICIAL-SENSITIVE, sample",
    "creator": "readingroom.sample",
    "producer": "PyMuPDF",
    # Fixed dates (and no new /ID on save) keep the output byte-for-byte reproducible.
    "creationDate": "D:20180912090000Z",
    "modDate": "D:20180912090000Z",
}

PERSON = re.compile(r"\{([A-Z][A-Z0-9]*)(?:\.(title|first|initial))?\}")
HEADING = re.compile(r"^(#{1,3})\s+(.*?)\s*(?:\{#([\w-]+)\})?$")
PAGE_MARK = re.compile(r"\x00page:([\w-]+)\x00")
CHRONOLOGY_MARK = "\x00chronology\x00"
CHRONOLOGY_COLUMNS = ("No.", "Date", "Agency", "Who", "What happened", "What should have happened")
CHRONOLOGY_START = "chronology"  # the id of an empty block just before the table
CHRONOLOGY_CLASSES = ("no", "date", "agency", "who", "what", "should")
