"""Search results a reader can read: one row per line, whole words, the line's own band only.

The page (tests/core/hit_line_pages.py) has a paragraph, a tightly set table whose other rows
are blue, a line with two hits and a long line in small type. Each row's picture is checked
as pixels: the hit highlighted in it, no word cut at its edges, no blue slice of a
neighbouring row; and no widget holds any of the page's text.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pymupdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from readingroom.gui.reader.document_reader import DocumentReader
from readingroom.gui.reader.search_crops import CROP_ZOOM
from readingroom.gui.reader.search_results_list import COUNT_ROLE, HIT_ROLE, IMAGE_ROLE
from tests.core.hit_line_pages import (
    HITS_PER_LINE,
    LONG_LINE,
    PARAGRAPH,
    QUERY,
    TABLE,
    TWO_HITS,
    build_hit_line_pdf,
)
from tests.gui.widget_text import widget_strings

PAGE_WIDTH = 595.0
TABLE_ROW = HITS_PER_LINE.index(1, 1)  # the table cell's row among the line rows


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return build_hit_line_pdf()


def _line_rows(reader: DocumentReader) -> list[int]:
    results = reader.search_results
    return [i for i in range(results.count()) if results.item(i).data(HIT_ROLE) not in (None, -1)]


def _searched_with_crops(qtbot: QtBot, reader: DocumentReader) -> list[QImage]:
    reader.side_panel.show()
    reader.open_search()
    reader.search_bar.query_edit.setText(QUERY)
    with qtbot.waitSignal(reader.searched, timeout=10_000) as searched:
        qtbot.keyClick(reader.search_bar.query_edit, Qt.Key.Key_Return)
    assert searched.args == [QUERY, sum(HITS_PER_LINE)]
    results = reader.search_results

    def crops() -> list[object]:
        return [results.item(row).data(IMAGE_ROLE) for row in _line_rows(reader)]

    qtbot.waitUntil(lambda: all(isinstance(c, QImage) for c in crops()), timeout=10_000)
    return [c for c in crops() if isinstance(c, QImage)]


def _is_blue(colour: QColor) -> bool:
    return colour.blue() > colour.red() + 80 and colour.blue() > colour.green() + 80


def _is_ink(colour: QColor) -> bool:
    return max(colour.red(), colour.green(), colour.blue()) < 128  # text, not tiles or yellow


def _piece(crop: QImage, box: tuple[float, float, float, float]) -> tuple[int, int]:
    """Width and height in pixels of the part of ``crop`` cut from the page (above the strip)."""
    # The page image is as wide as MuPDF rounds the scaled page (fz_round_rect: up, less 0.001).
    scale = math.ceil(PAGE_WIDTH * CROP_ZOOM * crop.devicePixelRatio() - 0.001) / PAGE_WIDTH
    width = math.floor(box[2] * scale) - math.ceil(box[0] * scale)
    height = math.floor(box[3] * scale) - math.ceil(box[1] * scale)
    return width, height


def test_one_row_per_line_with_its_number_of_hits(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader], pdf: bytes
) -> None:
    reader = make_reader(pdf)
    _searched_with_crops(qtbot, reader)
    results = reader.search_results
    rows = _line_rows(reader)
    assert [results.item(row).text() for row in range(results.count())] == [
        "Page 1 — 5 hits",
        *[""] * len(HITS_PER_LINE),
    ]
    assert [results.item(row).data(COUNT_ROLE) for row in rows] == HITS_PER_LINE
    assert [results.item(row).data(Qt.ItemDataRole.AccessibleTextRole) for row in rows] == [
        "Hit 1 on page 1",
        "Hit 2 on page 1",
        "Hits 3 and 4 on page 1",
        "Hit 5 on page 1",
    ]
    # Stepping through the five hits selects the line of each: both hits of a line, one row.
    selected = []
    for _ in range(sum(HITS_PER_LINE)):
        selected.append(results.currentRow())
        qtbot.keyClick(reader.search_bar.query_edit, Qt.Key.Key_F3)
    assert selected == [rows[0], rows[1], rows[2], rows[2], rows[3]]
    # Choosing a row shows its line's first hit.
    results.hit_activated.emit(0, 2)
    assert results.currentRow() == rows[2]


def test_each_crop_is_whole_words_of_its_own_line_with_the_hits_highlighted(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader], pdf: bytes
) -> None:
    reader = make_reader(pdf)
    crops = _searched_with_crops(qtbot, reader)
    boxes = reader.search.line_boxes(0)
    assert len(crops) == len(boxes) == len(HITS_PER_LINE)
    for number, (crop, box) in enumerate(zip(crops, boxes, strict=True)):
        width, height = _piece(crop, box)
        assert crop.width() >= width > 0 and crop.height() > height > 0
        pixels = [[QColor(crop.pixel(x, y)) for x in range(width)] for y in range(height)]
        # Words end inside the picture: its first and last columns hold no text.
        for column in (0, width - 1):
            assert not [row[column] for row in pixels if _is_ink(row[column])], number
        # No slice of the table's blue rows above and below.
        assert not [c for row in pixels for c in row if _is_blue(c)], number
        # The hits are highlighted: as many yellow runs across the middle as hits on the line.
        middle = [c.red() > 200 and c.green() > 150 and c.blue() < 120 for c in pixels[height // 2]]
        runs = sum(1 for x in range(width) if middle[x] and (x == 0 or not middle[x - 1]))
        assert runs >= HITS_PER_LINE[number], number
    # MuPDF's own box of the table cell's line does reach into the blue rows: the check above
    # would see such a slice.
    document = pymupdf.open(stream=pdf, filetype="pdf")
    page = document[0]
    cell = next(b for b in page.get_text("words") if b[4] == TABLE[2][1])
    line_box = pymupdf.Rect(cell[0] - 2, cell[1] - 2, cell[2] + 2, cell[3] + 2)
    pix = page.get_pixmap(matrix=pymupdf.Matrix(CROP_ZOOM, CROP_ZOOM), clip=line_box)
    samples = pix.samples
    blue = [
        i
        for i in range(0, len(samples), pix.n)
        if _is_blue(QColor(samples[i], samples[i + 1], samples[i + 2]))
    ]
    document.close()
    assert blue


def test_no_widget_holds_the_pages_text(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader], pdf: bytes
) -> None:
    reader = make_reader(pdf)
    _searched_with_crops(qtbot, reader)
    page_words = {
        word.strip(".,").lower()
        for text in (*PARAGRAPH, *(cell for row in TABLE for cell in row), TWO_HITS, LONG_LINE)
        for word in text.split()
        if len(word.strip(".,")) > 4
    } - {QUERY}  # the query is the reader's own typing, shown back in the search box
    texts = [t.lower() for widget in reader.findChildren(QWidget) for t in widget_strings(widget)]
    assert texts and page_words
    assert not [word for word in page_words if any(word in text for text in texts)]
