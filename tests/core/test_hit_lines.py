"""The geometry a search result's crop is cut with: the line's own band, whole words.

Checked against MuPDF itself: its "small glyph heights" mode (boxes one type size high) for the
lines' extent, and its own word list for the word boundaries.
"""

from __future__ import annotations

from collections.abc import Iterator

import pymupdf
import pytest

from readingroom.viewing.hit_lines import (
    CONTEXT_WIDTH_PT,
    SIDE_PAD_PT,
    ink_box,
    word_window,
)
from readingroom.viewing.text_search import HitPart, SearchOptions, find_on_page
from tests.core.hit_line_pages import (
    HITS_PER_LINE,
    LONG_LINE,
    QUERY,
    TABLE,
    TABLE_HIT_ROW,
    TWO_HITS,
    build_hit_line_pdf,
)

Box = tuple[float, float, float, float]


@pytest.fixture(scope="module")
def page() -> Iterator[pymupdf.Page]:
    document = pymupdf.open(stream=build_hit_line_pdf(), filetype="pdf")
    yield document[0]
    document.close()


@pytest.fixture(scope="module")
def small_words(page: pymupdf.Page) -> list[tuple[Box, str]]:
    """MuPDF's words with boxes one type size high (its small glyph heights mode)."""
    pymupdf.TOOLS.set_small_glyph_heights(True)
    try:
        return [((w[0], w[1], w[2], w[3]), w[4]) for w in page.get_text("words")]
    finally:
        pymupdf.TOOLS.set_small_glyph_heights(False)


@pytest.fixture(scope="module")
def parts(page: pymupdf.Page) -> tuple[HitPart, ...]:
    found = find_on_page(page, QUERY, SearchOptions(), 200)
    assert len(found) == sum(HITS_PER_LINE)
    return found


def _words_on(band: Box, words: list[tuple[Box, str]]) -> list[tuple[Box, str]]:
    return [(box, text) for box, text in words if band[1] < (box[1] + box[3]) / 2 < band[3]]


def _word(words: list[tuple[Box, str]], text: str, y_near: float) -> Box:
    return min((box for box, word in words if word == text), key=lambda b: abs(b[1] - y_near))


def test_ink_boxes_are_mupdfs_small_glyph_heights(page: pymupdf.Page) -> None:
    lines = [
        line
        for block in page.get_textpage(flags=pymupdf.TEXTFLAGS_SEARCH).extractRAWDICT()["blocks"]
        for line in block["lines"]
    ]
    pymupdf.TOOLS.set_small_glyph_heights(True)
    try:
        small = [
            line["bbox"]
            for block in page.get_text("dict", flags=pymupdf.TEXTFLAGS_SEARCH)["blocks"]
            for line in block["lines"]
        ]
    finally:
        pymupdf.TOOLS.set_small_glyph_heights(False)
    assert len(lines) == len(small) > 10
    for line, expected in zip(lines, small, strict=True):
        assert ink_box(line) == pytest.approx(expected, abs=0.05)
        # MuPDF's ordinary line box is taller: that is what sliced the neighbouring rows.
        assert line["bbox"][3] - line["bbox"][1] > expected[3] - expected[1] + 2


def test_a_table_cells_band_reaches_into_neither_neighbouring_row(
    parts: tuple[HitPart, ...], small_words: list[tuple[Box, str]]
) -> None:
    cell = TABLE[TABLE_HIT_ROW][1]
    part = next(p for p in parts if p.rect[0] == pytest.approx(200.0))
    hit = _word(small_words, cell, part.rect[1])
    above = _word(small_words, TABLE[TABLE_HIT_ROW - 1][1], part.rect[1] - 13)
    below = _word(small_words, TABLE[TABLE_HIT_ROW + 1][1], part.rect[1] + 13)
    # The rows' own MuPDF line boxes overlap each other (the defect this band fixes).
    assert part.line[1] < hit[1] and hit[3] < part.line[3]
    assert above[3] <= part.line[1] + 0.01 and part.line[3] <= below[1] + 0.01
    assert part.context[1:4:2] == part.line[1:4:2]
    # The cell is the line: shown whole, and not reaching into the next cell of the row.
    assert part.context[0] <= hit[0] and hit[2] <= part.context[2]
    next_cell = _word(small_words, TABLE[TABLE_HIT_ROW][2].split()[0], part.rect[1])
    assert part.context[2] < next_cell[0]


def test_every_crop_starts_and_ends_between_words(
    parts: tuple[HitPart, ...], small_words: list[tuple[Box, str]]
) -> None:
    for part in parts:
        words = _words_on(part.line, small_words)
        assert words
        x0, _, x1, _ = part.context
        assert x0 <= part.rect[0] and part.rect[2] <= x1  # the whole hit
        for box, text in words:
            inside = x0 <= box[0] and box[2] <= x1
            outside = box[2] <= x0 or box[0] >= x1
            assert inside or outside, f"the crop cuts through a word of {len(text)} letters"


def test_two_hits_on_one_line_share_its_line_box(
    parts: tuple[HitPart, ...], small_words: list[tuple[Box, str]]
) -> None:
    first, second = parts[2:4]
    assert first.rect[1] == pytest.approx(second.rect[1])
    assert first.line == second.line  # the same box names the one line (one results row)
    assert first.line != parts[1].line and first.line != parts[4].line
    # One window for the line's one picture, around both hits.
    assert first.context == second.context
    assert first.context[0] <= first.rect[0] and second.rect[2] <= first.context[2]
    line_words = _words_on(first.line, small_words)
    assert len(line_words) == len(TWO_HITS.split())


def test_hits_too_far_apart_for_one_window_share_the_first_ones() -> None:
    document = pymupdf.open()
    page = document.new_page()
    words = ["orchard", *["word"] * 20, "orchard"]
    page.insert_text((20, 100), " ".join(words), fontsize=9)
    first, second = find_on_page(page, QUERY, SearchOptions(), 200)
    assert second.rect[2] - first.rect[0] > CONTEXT_WIDTH_PT
    assert first.line == second.line and first.context == second.context
    assert first.context[0] <= first.rect[0] and first.rect[2] < first.context[2]
    assert first.context[2] < second.rect[0]  # the row's "2 hits" says there is another
    document.close()


def test_a_long_line_shows_a_window_of_whole_words_around_the_hit(
    parts: tuple[HitPart, ...], small_words: list[tuple[Box, str]]
) -> None:
    part = parts[-1]
    words = _words_on(part.line, small_words)
    assert len(words) == len(LONG_LINE.split())
    x0, _, x1, _ = part.context
    assert x1 - x0 <= CONTEXT_WIDTH_PT + 2 * SIDE_PAD_PT
    assert x1 - x0 > CONTEXT_WIDTH_PT * 0.7  # as much of the line as fits, not one word
    # Words left out on both sides: the hit is in the middle of what is shown.
    assert any(box[2] <= x0 for box, _ in words) and any(box[0] >= x1 for box, _ in words)
    middle = (part.rect[0] + part.rect[2]) / 2
    assert abs(middle - (x0 + x1) / 2) < CONTEXT_WIDTH_PT / 4


def test_word_window_keeps_the_hit_whole_however_wide() -> None:
    words = [(0.0, 10.0), (15.0, 500.0), (505.0, 520.0)]
    assert word_window(words, 20.0, 30.0, 100.0) == (1, 1)
    assert word_window(words, 0.0, 5.0, 100.0) == (0, 0)
    assert word_window(words, 0.0, 5.0, 600.0) == (0, 2)  # the whole line fits
    assert word_window(words, 11.0, 14.0, 100.0) in ((0, 0), (1, 1))  # a hit on a space
