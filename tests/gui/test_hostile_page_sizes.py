"""Hostile page sizes: PDF allows 14,400 pt a side, MuPDF takes larger boxes as they are.

Before: 400 pages of 20 x 1,000,000 pt overflowed Qt's 32-bit scroll range and the viewer
segfaulted on show; one such page hung the render thread burning in the watermark (tiles were
drawn over the page's circumscribed square). Each page must now show, watermarked.
"""

from __future__ import annotations

from collections.abc import Callable

import pymupdf
import pytest
from pytestqt.qtbot import QtBot

from readingroom.gui.reader.document_reader import DocumentReader
from readingroom.viewing.page_layout import MAX_CANVAS_PIXELS, PageLayout

TALL_POINTS = 1_000_000.0


def _pdf(pages: int, width: float, height: float) -> bytes:
    document = pymupdf.open()
    for _ in range(pages):
        document.new_page(width=width, height=height)
    return document.tobytes()


@pytest.mark.parametrize(
    ("pages", "width", "height"),
    [(400, 20.0, TALL_POINTS), (1, 20.0, TALL_POINTS), (3, 20.0, 14_400.0)],
)
def test_a_page_of_any_size_opens_and_shows(
    qtbot: QtBot,
    make_reader: Callable[..., DocumentReader],
    pages: int,
    width: float,
    height: float,
) -> None:
    reader = make_reader(_pdf(pages, width, height))
    qtbot.waitUntil(lambda: reader.page_count() == pages, timeout=30_000)
    bar = reader.view.verticalScrollBar()
    assert 0 < bar.maximum() < 2**31 - 1
    with qtbot.waitSignal(reader.view.page_painted, timeout=30_000) as painted:
        reader.view.viewport().update()
    assert painted.args == [0]


def test_the_layout_lowers_the_zoom_rather_than_outgrow_qt() -> None:
    layout = PageLayout(((20.0, TALL_POINTS),) * 400)
    layout.relayout(8.0, 800)
    assert layout.zoom < 8.0
    assert layout.canvas_height <= MAX_CANVAS_PIXELS
    small = PageLayout(((595.0, 842.0),) * 400)
    small.relayout(8.0, 800)
    assert small.zoom == 8.0  # an ordinary document keeps the zoom asked for
