"""The PDF the GUI tests read: headings, a canary word, an outline, internal and external links."""

from __future__ import annotations

import pymupdf

# A word that appears in the page text, the outline titles and the metadata. If it ever shows up
# in a widget's text, tooltip, accessible name, window title or an item model, text leaked.
CANARY = "Zanzibarquux"
PAGE_COUNT = 12
# Pages (0-based) whose body mentions the search word, and how many times.
SEARCH_WORD = "marmalade"
SEARCH_PAGES = {3: 1, 7: 2, 10: 1}
LINK_SOURCE_PAGE = 1
LINK_TARGET_PAGE = 8
EXTERNAL_LINK_RECT = pymupdf.Rect(72, 300, 300, 320)
INTERNAL_LINK_RECT = pymupdf.Rect(72, 250, 300, 270)


def build_test_pdf(page_count: int = PAGE_COUNT) -> bytes:
    """A document with headings, body text, a canary, an outline and both kinds of links."""
    document = pymupdf.open()
    for index in range(page_count):
        page = document.new_page(width=595, height=842)
        page.insert_text((72, 90), f"Chapter {index + 1}: {CANARY} heading", fontsize=20)
        for line in range(30):
            page.insert_text(
                (72, 130 + line * 20),
                f"Line {line} of page {index + 1} about {CANARY} and the review findings.",
                fontsize=11,
            )
        for hit in range(SEARCH_PAGES.get(index, 0)):
            page.insert_text((350, 200 + hit * 40), f"{SEARCH_WORD} jar", fontsize=12)
    source = document[LINK_SOURCE_PAGE]
    source.insert_link(
        {
            "kind": pymupdf.LINK_GOTO,
            "from": INTERNAL_LINK_RECT,
            "page": LINK_TARGET_PAGE,
            "to": pymupdf.Point(0, 0),
        }
    )
    source.insert_link(
        {
            "kind": pymupdf.LINK_URI,
            "from": EXTERNAL_LINK_RECT,
            "uri": f"https://example.invalid/{CANARY}",
        }
    )
    document.set_toc(
        [
            [1, f"Part one {CANARY}", 1],
            [2, f"Section A {CANARY}", 2],
            [2, "Section B", 4],
            [1, "Part two", 7],
            [2, "Section C", 9],
        ]
    )
    document.set_metadata({"title": f"Title {CANARY}", "subject": CANARY})
    data: bytes = document.tobytes()
    document.close()
    return data
