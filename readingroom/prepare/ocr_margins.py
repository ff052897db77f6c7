"""The areas to clear around a name found in pixels: whole OCR words, with a margin.

Redaction of a text-layer name removes glyphs, which are exact. In pixels, OCR's word boxes are
tight (Tesseract boxes the ink it recognised; the anti-aliased edge, ascenders and descenders
of a neighbouring letter may lie just outside) and a character's box inside a word is only a
share of the word's width. So each occurrence found by OCR is widened to the whole OCR words it
touches, grown by :data:`readingroom.prepare.ocr_reading.WORD_MARGIN` of their height, and that
area is blanked as well as the occurrence's own rectangle.
"""

from __future__ import annotations

from readingroom.prepare.matching import Matcher
from readingroom.prepare.mupdf import Page, Rect, pymupdf
from readingroom.prepare.ocr_reading import Reading, grown
from readingroom.prepare.page_text import extract_page_text, pieces_of


def occurrence_margins(page: Page, reading: Reading, matcher: Matcher) -> list[Rect]:
    """One area per line piece of every occurrence OCR read (text-layer occurrences: none)."""
    if not matcher.targets or not reading.words:
        return []
    page_text = extract_page_text(page, reading.textpage)
    areas: list[Rect] = []
    for match in matcher.find(page_text.text):
        for piece in pieces_of(page_text.chars[match.start : match.end]):
            touched = [box for box, _ in reading.words if _overlap(box, piece.rect)]
            if not touched:
                continue  # a name in the page's own text layer: glyph redaction is exact
            area = pymupdf.Rect(piece.rect)
            for box in touched:
                area |= box
            areas.append(grown(area))
    return areas


def _overlap(a: Rect, b: Rect) -> bool:
    common = a & b
    return not common.is_empty and common.get_area() >= 0.25 * min(a.get_area(), b.get_area())
