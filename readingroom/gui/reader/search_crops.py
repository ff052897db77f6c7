"""A search hit's context as pixels: a piece of the watermarked page image, marked once more.

The results list shows each hit in its line, as Okular does, but the line is document text and
must never reach a widget as text. So the context is cut out of the page image the render
worker made for it: that image went through ``render_page_image``, so the piece carries the
page's tiled watermark and the hit's highlight. A thin strip of the page's band text
(classification and session code) is then drawn under the piece, because a narrow crop holds
only a fragment of the tiles: every crop on its own still names the session it was shown in.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QImage, QPainter

from readingroom.gui.rendering.page_images import BAND_BACKGROUND, BAND_COLOUR
from readingroom.viewing.document_model import HighlightRect
from readingroom.viewing.text_search import HitPart

# Page images for crops are rendered at this zoom: a line of 10-12 pt type is readable at it.
CROP_ZOOM = 1.5
# How much of the line around the hit is shown, in PDF points (about a third of an A4 line).
CONTEXT_WIDTH_PT = 220.0
# Room above and below the line's own box, in points (accents, descenders).
CONTEXT_MARGIN_PT = 2.0
# The strip that marks each crop, in points at the crop's scale.
STRIP_HEIGHT_PT = 7.0


def context_box(part: HitPart, page_size: tuple[float, float]) -> HighlightRect:
    """The part of the page to show for ``part``: its line, around the hit, within the page."""
    page_width, page_height = page_size
    line_x0, line_y0, line_x1, line_y1 = part.line
    hit_x0, _, hit_x1, _ = part.rect
    width = min(CONTEXT_WIDTH_PT, page_width)
    if line_x1 - line_x0 <= width:
        left = line_x0 - CONTEXT_MARGIN_PT  # a short line is shown from its start
    else:
        left = (hit_x0 + hit_x1) / 2 - width / 2
        left = min(max(left, line_x0 - CONTEXT_MARGIN_PT), line_x1 + CONTEXT_MARGIN_PT - width)
    left = min(max(left, 0.0), page_width - width)
    top = max(0.0, min(line_y0, part.rect[1]) - CONTEXT_MARGIN_PT)
    bottom = min(page_height, max(line_y1, part.rect[3]) + CONTEXT_MARGIN_PT)
    return (left, top, left + width, max(bottom, top + 1.0))


def crop_image(
    page_image: QImage, page_width_pt: float, box: HighlightRect, band_text: str
) -> QImage:
    """Cut ``box`` (points) out of a watermarked ``page_image`` and add the marking strip.

    Returns an image at the page image's device pixel ratio; an empty box gives a 1x1 image.
    """
    scale = page_image.width() / max(page_width_pt, 1e-6)  # device pixels per point
    area = QRect(
        math.floor(box[0] * scale),
        math.floor(box[1] * scale),
        math.ceil((box[2] - box[0]) * scale),
        math.ceil((box[3] - box[1]) * scale),
    ).intersected(page_image.rect())
    if area.isEmpty():
        return QImage(1, 1, QImage.Format.Format_RGB32)
    piece = page_image.copy(area)
    strip = max(6, round(STRIP_HEIGHT_PT * scale))
    crop = QImage(area.width(), area.height() + strip, QImage.Format.Format_RGB32)
    crop.fill(Qt.GlobalColor.white)
    painter = QPainter(crop)
    try:
        painter.drawImage(0, 0, piece)
        band = QRectF(0, area.height(), area.width(), strip)
        painter.fillRect(band, BAND_BACKGROUND)
        painter.fillRect(QRectF(0, area.height(), area.width(), max(1.0, scale / 2)), BAND_COLOUR)
        font = QFont("DejaVu Sans")
        font.setPixelSize(max(5, round(strip * 0.75)))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(BAND_COLOUR)
        text = QFontMetricsF(font).elidedText(
            band_text, Qt.TextElideMode.ElideLeft, area.width() - 4.0
        )
        painter.drawText(band, int(Qt.AlignmentFlag.AlignCenter), text)
    finally:
        painter.end()
    crop.setDevicePixelRatio(page_image.devicePixelRatio())
    return crop
