"""render_page_image burns the watermark into every page, at every zoom, and thumbnails too."""

from __future__ import annotations

from collections.abc import Callable

import pymupdf
import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from readingroom.gui.reader.document_reader import DocumentReader
from readingroom.gui.rendering.page_images import BAND_HEIGHT_PT, render_page_image
from readingroom.watermark import WatermarkSpec
from tests.gui.sample_pdf import PAGE_COUNT

GRID = 8


def _bare(page: pymupdf.Page, scale: float) -> QImage:
    """The page as PyMuPDF renders it, without any watermark: the baseline."""
    pix = page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False)
    raw = QImage(pix.samples, pix.width, pix.height, pix.stride, QImage.Format.Format_RGB888)
    return raw.convertToFormat(QImage.Format.Format_RGB32)


def _rows(image: QImage) -> tuple[bytes, int]:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    return bytes(image.constBits()), image.bytesPerLine()


def changed_tile_fraction(marked: QImage, bare: QImage) -> float:
    """Share of the GRID x GRID tiles in which at least one pixel differs."""
    assert marked.size() == bare.size()
    a, stride = _rows(marked)
    b, _ = _rows(bare)
    width, height = marked.width(), marked.height()
    changed = 0
    for ty in range(GRID):
        for tx in range(GRID):
            x0, x1 = tx * width // GRID * 4, (tx + 1) * width // GRID * 4
            rows = range(ty * height // GRID, (ty + 1) * height // GRID)
            if any(
                a[y * stride + x0 : y * stride + x1] != b[y * stride + x0 : y * stride + x1]
                for y in rows
            ):
                changed += 1
    return changed / (GRID * GRID)


def reddish_pixels(image: QImage, top: int, bottom: int) -> int:
    """Pixels in rows [top, bottom) in the band colour's family (red, not grey)."""
    count = 0
    for y in range(max(0, top), min(image.height(), bottom)):
        for x in range(0, image.width(), 2):
            colour = image.pixelColor(x, y)
            if colour.red() > 100 and colour.red() > colour.green() + 60:
                count += 1
    return count


def _band_rows(image: QImage, scale: float) -> int:
    return max(2, round(BAND_HEIGHT_PT * scale))


@pytest.mark.parametrize("zoom", [0.5, 1.0, 2.5])
def test_watermark_covers_every_page(
    qtbot: QtBot, test_pdf: bytes, watermark: WatermarkSpec, zoom: float
) -> None:
    document = pymupdf.open(stream=test_pdf, filetype="pdf")
    pages = range(PAGE_COUNT) if zoom == 1.0 else (0, PAGE_COUNT - 1)
    for index in pages:
        page = document[index]
        marked = render_page_image(page, zoom, 1.0, watermark)
        bare = _bare(page, zoom)
        assert changed_tile_fraction(marked, bare) >= 0.8, f"page {index}"
        band = _band_rows(marked, zoom)
        assert reddish_pixels(marked, 0, band) > 20
        assert reddish_pixels(marked, marked.height() - band, marked.height()) > 20
        assert reddish_pixels(bare, 0, band) == 0
    document.close()


def test_hidpi_renders_more_pixels_for_the_same_logical_size(
    qtbot: QtBot, test_pdf: bytes, watermark: WatermarkSpec
) -> None:
    document = pymupdf.open(stream=test_pdf, filetype="pdf")
    image = render_page_image(document[0], 1.0, 2.0, watermark)
    assert (image.width(), image.height()) == (1190, 1684)
    assert image.devicePixelRatio() == 2.0
    assert image.deviceIndependentSize().toSize().width() == 595
    assert changed_tile_fraction(image, _bare(document[0], 2.0)) >= 0.8
    document.close()


def test_highlights_tint_only_the_hit(
    qtbot: QtBot, test_pdf: bytes, watermark: WatermarkSpec
) -> None:
    document = pymupdf.open(stream=test_pdf, filetype="pdf")
    page = document[0]
    plain = render_page_image(page, 1.0, 1.0, watermark)
    lit = render_page_image(page, 1.0, 1.0, watermark, [(100.0, 400.0, 200.0, 420.0)])
    inside = lit.pixelColor(150, 410)
    assert inside != plain.pixelColor(150, 410)
    assert inside.blue() < inside.red()  # yellow tint
    assert lit.pixelColor(400, 700) == plain.pixelColor(400, 700)
    document.close()


def test_huge_page_is_rendered_within_the_pixel_cap(qtbot: QtBot, watermark: WatermarkSpec) -> None:
    document = pymupdf.open()
    page = document.new_page(width=14_000, height=14_000)
    image = render_page_image(page, 4.0, 1.0, watermark)
    assert image.width() * image.height() <= 36_000_000
    # Drawn at the page's logical size even though it has fewer pixels.
    assert abs(image.deviceIndependentSize().width() - 56_000) < 100
    document.close()


def test_thumbnails_carry_the_watermark(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader], test_pdf: bytes
) -> None:
    reader = make_reader()
    panel = reader.thumbnails
    qtbot.waitUntil(lambda: panel.image_for(0) is not None, timeout=10_000)
    thumbnail = panel.image_for(0)
    assert thumbnail is not None
    zoom = panel.thumbnail_zoom(0)
    scale = zoom * thumbnail.devicePixelRatio()
    document = pymupdf.open(stream=test_pdf, filetype="pdf")
    bare = _bare(document[0], scale)
    document.close()
    assert changed_tile_fraction(thumbnail, bare) >= 0.8
    band = _band_rows(thumbnail, scale) + 1
    assert reddish_pixels(thumbnail, 0, band) > 5
    assert reddish_pixels(thumbnail, thumbnail.height() - band, thumbnail.height()) > 5
