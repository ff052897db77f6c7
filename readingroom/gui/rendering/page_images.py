"""THE one function that turns a rendered page into displayable pixels, watermark burned in.

Every image a widget shows (page, thumbnail) comes from :func:`render_page_image`. MuPDF runs in
the renderer process (render_process.py) and hands back bare RGB samples; this function, in the
viewer process, builds the QImage and burns the watermark in before anything can show it. There
is no other code path from MuPDF's pixels to a widget, so there is no way to show a page without
its watermark. QPainter on a QImage is allowed outside the GUI thread (QPixmap is not), which
lets the render worker call this function on its own thread.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter

from readingroom.session_mark import (
    MARK_RGB,
    MODULE_PT,
    QUIET_MODULES,
    mark_modules,
    mark_positions,
)
from readingroom.viewing.document_model import HighlightRect
from readingroom.viewing.render_process import PageSamples, rasterize_page
from readingroom.viewing.wire import MAX_IMAGE_PIXELS
from readingroom.watermark import WatermarkSpec

__all__ = [
    "MAX_IMAGE_PIXELS",
    "HighlightRect",
    "PageSamples",
    "burn_in",
    "render_page_image",
    "warm_up",
]

# Sizes in PDF points, multiplied by the render scale so the watermark keeps its proportion to
# the page at every zoom and on thumbnails.
TILE_FONT_PT = 13.0
TILE_ANGLE_DEGREES = -30.0
TILE_GAP_PT = 46.0
BAND_HEIGHT_PT = 15.0
BAND_FONT_PT = 8.5

TILE_COLOUR = QColor(40, 40, 60)
# On an inverted page (light text on black) the tiles must be light to stay readable.
TILE_COLOUR_INVERTED = QColor(225, 225, 205)
BAND_BACKGROUND = QColor(255, 255, 255, 215)
BAND_COLOUR = QColor(150, 0, 0)
HIGHLIGHT_COLOUR = QColor(255, 210, 0)


def render_page_image(
    page: PageSamples | Any,
    zoom: float,
    device_pixel_ratio: float,
    watermark: WatermarkSpec,
    highlights: Sequence[HighlightRect] = (),
    *,
    inverted: bool = False,
) -> QImage:
    """Turn a rendered page into a QImage and burn in the watermark (and search highlights).

    Args:
        page: the renderer process's :class:`PageSamples` for this zoom (the viewer's path), or
            a ``pymupdf.Page`` to rasterise here first (tools and tests that own a document).
        zoom: logical pixels per PDF point (1.0 = 100 %).
        device_pixel_ratio: the screen's ratio, so the image is crisp on HiDPI screens.
        watermark: the tiled lines and the band to burn in.
        highlights: search hits in PDF points, tinted on the page.
        inverted: the reader's high-contrast mode: the page's colours are inverted *before*
            the watermark is burned in, so the watermark keeps its own colours and contrast.

    Returns:
        A QImage whose ``devicePixelRatio`` makes its logical size the page size at ``zoom``.

    Raises:
        ValueError: the samples do not describe a well-formed image (a confused renderer).
    """
    samples = (
        page if isinstance(page, PageSamples) else rasterize_page(page, zoom, device_pixel_ratio)
    )
    _check_samples(samples)
    raw = QImage(
        samples.samples, samples.width, samples.height, samples.stride, QImage.Format.Format_RGB888
    )
    # The conversion copies into Qt-owned memory (the samples may be freed on return) and gives
    # QPainter its fastest format.
    image = raw.convertToFormat(QImage.Format.Format_RGB32)
    del raw
    burn_in(image, samples.scale, watermark, highlights, inverted=inverted)
    image.setDevicePixelRatio(samples.scale / zoom if zoom > 0 else device_pixel_ratio)
    return image


def warm_up(watermark: WatermarkSpec) -> None:
    """Burn the watermark (and a highlight) into a tiny blank page, on the calling thread.

    Shiboken creates some Python enum types only when they are first used (QPainter.fillRect's
    overloads pull in QGradient's). Created on the render thread while the UI thread runs Qt
    code, that crashed the viewer (a segfault in libshiboken), so the render worker calls this
    on the UI thread before its thread starts: every type the render thread needs then exists.
    """
    width, height = 24, 32
    blank = PageSamples(0, width, height, width * 3, 0.05, b"\xff" * (width * height * 3))
    render_page_image(blank, 0.05, 1.0, watermark, ((1.0, 1.0, 100.0, 40.0),))


def _check_samples(samples: PageSamples) -> None:
    """Refuse sizes that would make QImage read past the buffer: the renderer is not trusted."""
    width, height, stride = samples.width, samples.height, samples.stride
    if width <= 0 or height <= 0 or stride < 3 * width:
        raise ValueError("malformed page samples")
    # A rounding margin over the cap: the cap is applied to the scale, not to whole pixels.
    if width * height > MAX_IMAGE_PIXELS * 1.01 + 4 * (width + height):
        raise ValueError("malformed page samples")
    if len(memoryview(samples.samples).cast("B")) < stride * height:
        raise ValueError("malformed page samples")
    if not math.isfinite(samples.scale) or samples.scale <= 0:
        raise ValueError("malformed page samples")


def burn_in(
    image: QImage,
    scale: float,
    watermark: WatermarkSpec,
    highlights: Sequence[HighlightRect] = (),
    *,
    inverted: bool = False,
) -> None:
    """Paint the highlights, the session mark, then the watermark overlay (tiles and bands).

    ``inverted`` inverts the page (with its highlights and mark) before the overlay: the bands
    stay red on white and the tiles are drawn light, so both stay as legible as on a white
    page. (The mark, inverted, is a near-black blue on black: ``trace --image`` inverts the
    photo back before its later views, see ``audit/trace_image.py``.)
    """
    milli_scale = round(scale * 1000)
    overlay = _overlay_image(image.width(), image.height(), milli_scale, watermark, inverted)
    painter = QPainter(image)
    try:
        _paint_highlights(painter, scale, highlights)
        if watermark.mark_code is not None:
            # Multiply: white leaves the page alone and black text stays black, so only the
            # paper under a dark module turns pale yellow (see readingroom/session_mark.py).
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
            painter.drawImage(
                0, 0, _mark_layer(image.width(), image.height(), milli_scale, watermark.mark_code)
            )
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        if inverted:
            painter.end()
            image.invertPixels()
            painter.begin(image)
        painter.drawImage(0, 0, overlay)
    finally:
        painter.end()


@lru_cache(maxsize=4)
def _overlay_image(
    width: int, height: int, milli_scale: int, watermark: WatermarkSpec, inverted: bool = False
) -> QImage:
    """The watermark for one page size, drawn once and then blitted onto every page.

    Laying out and rotating text for every page costs ~20 ms; one premultiplied blit costs about
    a tenth of that. Pages of a document mostly share one size, so this cache nearly always hits.
    The size key is in thousandths so that float noise does not defeat the cache.
    """
    scale = milli_scale / 1000
    overlay = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    overlay.fill(Qt.GlobalColor.transparent)
    painter = QPainter(overlay)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        _paint_tiles(painter, width, height, scale, watermark, inverted=inverted)
        _paint_bands(painter, width, height, scale, watermark.band_text)
    finally:
        painter.end()
    return overlay


@lru_cache(maxsize=4)
def _mark_layer(width: int, height: int, milli_scale: int, code: str) -> QImage:
    """The session mark's codes for one page size, white elsewhere, drawn once per size."""
    scale = milli_scale / 1000
    layer = QImage(width, height, QImage.Format.Format_RGB32)
    layer.fill(Qt.GlobalColor.white)
    modules = mark_modules(code)
    symbol = QImage(len(modules[0]), len(modules), QImage.Format.Format_RGB32)
    symbol.fill(Qt.GlobalColor.white)
    dark = QColor(*MARK_RGB).rgb()
    for y, row in enumerate(modules):
        for x, is_dark in enumerate(row):
            if is_dark:
                symbol.setPixel(x, y, dark)
    side = len(modules[0]) * MODULE_PT * scale
    quiet = QUIET_MODULES * MODULE_PT * scale
    painter = QPainter(layer)
    try:
        # No smoothing: each module stays a crisp block of one colour, which the decoder needs.
        for left, top in mark_positions(width / scale, height / scale):
            target = QRectF(left * scale + quiet, top * scale + quiet, side, side)
            painter.drawImage(target, symbol)
    finally:
        painter.end()
    return layer


def _paint_highlights(painter: QPainter, scale: float, highlights: Sequence[HighlightRect]) -> None:
    if not highlights:
        return
    painter.save()
    # Multiply keeps the glyphs under a hit dark, so the hit stays readable.
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
    for x0, y0, x1, y1 in highlights:
        painter.fillRect(
            QRectF(x0 * scale, y0 * scale, (x1 - x0) * scale, (y1 - y0) * scale),
            HIGHLIGHT_COLOUR,
        )
    painter.restore()


@lru_cache(maxsize=16)
def _tile_image(lines: tuple[str, ...], pixel_size: int, colour: int) -> QImage:
    """The text block drawn once per size: blitting it is far cheaper than laying out text."""
    font = _font(pixel_size, bold=True)
    metrics = QFontMetricsF(font)
    width = max(metrics.horizontalAdvance(line) for line in lines) + 2
    line_height = metrics.lineSpacing()
    height = line_height * len(lines) + 2
    tile = QImage(math.ceil(width), math.ceil(height), QImage.Format.Format_ARGB32_Premultiplied)
    tile.fill(Qt.GlobalColor.transparent)
    painter = QPainter(tile)
    try:
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setFont(font)
        painter.setPen(QColor.fromRgb(colour))
        for number, line in enumerate(lines):
            x = (width - metrics.horizontalAdvance(line)) / 2
            painter.drawText(QPointF(x, 1 + metrics.ascent() + number * line_height), line)
    finally:
        painter.end()
    return tile


def _paint_tiles(
    painter: QPainter,
    width: int,
    height: int,
    scale: float,
    watermark: WatermarkSpec,
    *,
    inverted: bool = False,
) -> None:
    pixel_size = max(2, round(TILE_FONT_PT * scale))
    colour = TILE_COLOUR_INVERTED if inverted else TILE_COLOUR
    tile = _tile_image(watermark.tile_lines, pixel_size, colour.rgb())
    gap = TILE_GAP_PT * scale
    step_x = tile.width() + gap
    step_y = tile.height() + gap
    # Rotate about the centre; draw each row's tiles only where that row crosses the page.
    # (Covering the page's circumscribed square instead costs the square of the longer side:
    # a hostile page 27 pixels wide and 100,000 tall took minutes and hung the render thread.)
    corners = _page_in_tile_frame(width, height, TILE_ANGLE_DEGREES)
    top = min(y for _x, y in corners)
    bottom = max(y for _x, y in corners)
    painter.save()
    painter.setOpacity(watermark.opacity)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.translate(width / 2, height / 2)
    painter.rotate(TILE_ANGLE_DEGREES)
    half_width, half_height = tile.width() / 2, tile.height() / 2
    for row in range(math.floor(top / step_y) - 1, math.ceil(bottom / step_y) + 2):
        y = row * step_y - half_height
        span = _row_span(corners, y - _TILE_MARGIN, y + tile.height() + _TILE_MARGIN)
        if span is None:
            continue
        # Every other row is shifted by half a step: a brick pattern leaves no clear stripes.
        offset = step_x / 2 if row % 2 else 0.0
        first = math.floor((span[0] - _TILE_MARGIN - offset - half_width) / step_x)
        last = math.ceil((span[1] + _TILE_MARGIN - offset + half_width) / step_x)
        for column in range(first, last + 1):
            x = column * step_x + offset - half_width
            painter.drawImage(QPointF(x, y), tile)
    painter.restore()


# Tiles are drawn smoothed: keep those whose edge is this close to the page too.
_TILE_MARGIN = 2.0


def _page_in_tile_frame(width: int, height: int, degrees: float) -> list[tuple[float, float]]:
    """The page's corners in the tiles' frame (origin at the page's centre, rotated back)."""
    angle = math.radians(degrees)
    cos, sin = math.cos(angle), math.sin(angle)
    return [
        (x * cos + y * sin, -x * sin + y * cos)
        for x, y in (
            (-width / 2, -height / 2),
            (width / 2, -height / 2),
            (width / 2, height / 2),
            (-width / 2, height / 2),
        )
    ]


def _row_span(
    corners: list[tuple[float, float]], y0: float, y1: float
) -> tuple[float, float] | None:
    """The x extent of the (convex) page polygon within the band y0..y1, or None."""
    xs = [x for x, y in corners if y0 <= y <= y1]
    for (ax, ay), (bx, by) in zip(corners, corners[1:] + corners[:1], strict=True):
        for line in (y0, y1):
            if ay != by and min(ay, by) <= line <= max(ay, by):
                xs.append(ax + (line - ay) * (bx - ax) / (by - ay))
    return (min(xs), max(xs)) if xs else None


def _paint_bands(painter: QPainter, width: int, height: int, scale: float, text: str) -> None:
    band_height = max(2.0, BAND_HEIGHT_PT * scale)
    font = _font(max(2, round(BAND_FONT_PT * scale)), bold=True)
    painter.save()
    painter.setFont(font)
    for top in (0.0, height - band_height):
        band = QRectF(0, top, width, band_height)
        painter.fillRect(band, BAND_BACKGROUND)
        painter.setPen(BAND_COLOUR)
        painter.drawText(band, int(Qt.AlignmentFlag.AlignCenter), text)
        # A thin rule makes the band visible even where the page itself is white.
        painter.fillRect(
            QRectF(
                0, top + (band_height - max(1.0, scale) if top == 0 else 0), width, max(1.0, scale)
            ),
            BAND_COLOUR,
        )
    painter.restore()


def _font(pixel_size: int, *, bold: bool) -> QFont:
    font = QFont("DejaVu Sans")
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPixelSize(pixel_size)
    font.setBold(bold)
    return font
