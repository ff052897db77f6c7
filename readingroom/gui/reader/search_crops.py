"""A search hit's context as pixels: a piece of the watermarked page image, marked once more.

The results list shows each line with hits, as Okular does, but the line is document text and
must never reach a widget as text. So the context is cut out of the page image the render
worker made for it: that image went through ``render_page_image``, so the piece carries the
page's tiled watermark and the highlight of every hit on the line. The box cut is the renderer's
(viewing/hit_lines.py): the whole line, or whole words around the hit on a long line, and only
the line's own band, so that neither a word nor the lines above and below are cut through. A
thin strip of the page's band text (classification and session code) is then drawn under the
piece, because a narrow crop holds only a fragment of the tiles: every crop on its own still
names the session it was shown in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QImage, QPainter

from readingroom.gui.rendering.page_images import BAND_BACKGROUND, BAND_COLOUR
from readingroom.viewing.document_model import HighlightRect
from readingroom.viewing.hit_lines import CONTEXT_WIDTH_PT
from readingroom.viewing.text_search import HitPart

# Page images for crops are rendered at this zoom: a line of 10-12 pt type is readable at it.
CROP_ZOOM = 1.5
# The strip that marks each crop, in points at the crop's scale.
STRIP_HEIGHT_PT = 7.0


def context_box(parts: Sequence[HitPart], page_size: tuple[float, float]) -> HighlightRect:
    """The part of the page to show for the hits ``parts`` on one line, within the page.

    Each part's ``context`` (worked out in the renderer, viewing/hit_lines.py) is whole words
    in the line's own band; the union of those of one line is too, so two hits on a line are
    one crop that shows both (the page image highlights every hit).
    """
    if not parts:
        raise ValueError("no hits to show")
    page_width, page_height = page_size
    x0 = max(0.0, min(part.context[0] for part in parts))
    y0 = max(0.0, min(part.context[1] for part in parts))
    x1 = min(page_width, max(part.context[2] for part in parts))
    y1 = min(page_height, max(part.context[3] for part in parts))
    return (x0, y0, max(x1, x0 + 1.0), max(y1, y0 + 1.0))


def crop_image(
    page_image: QImage, page_width_pt: float, box: HighlightRect, band_text: str
) -> QImage:
    """Cut ``box`` (points) out of a watermarked ``page_image`` and add the marking strip.

    Returns an image at the page image's device pixel ratio, the piece at its top left; an
    empty box gives a 1x1 image.
    """
    scale = page_image.width() / max(page_width_pt, 1e-6)  # device pixels per point
    # Rounded inwards: the box's edges lie in the gaps between words and lines, and a pixel
    # more would reach into the neighbour the box stops at.
    left, top = math.ceil(box[0] * scale), math.ceil(box[1] * scale)
    right, bottom = math.floor(box[2] * scale), math.floor(box[3] * scale)
    area = QRect(left, top, right - left, bottom - top).intersected(page_image.rect())
    if area.isEmpty():
        return QImage(1, 1, QImage.Format.Format_RGB32)
    piece = page_image.copy(area)
    strip = max(6, round(STRIP_HEIGHT_PT * scale))
    font = QFont("DejaVu Sans")
    font.setPixelSize(max(5, round(strip * 0.75)))
    font.setBold(True)
    # A short line (one table cell) is narrower than the strip's text: the picture is widened
    # with white, never with more of the page, so that the session code is there in full.
    needed = math.ceil(QFontMetricsF(font).horizontalAdvance(band_text)) + 8
    width = max(area.width(), min(needed, round(CONTEXT_WIDTH_PT * scale)))
    crop = QImage(width, area.height() + strip, QImage.Format.Format_RGB32)
    crop.fill(Qt.GlobalColor.white)
    painter = QPainter(crop)
    try:
        painter.drawImage(0, 0, piece)
        band = QRectF(0, area.height(), width, strip)
        painter.fillRect(band, BAND_BACKGROUND)
        painter.fillRect(QRectF(0, area.height(), width, max(1.0, scale / 2)), BAND_COLOUR)
        painter.setFont(font)
        painter.setPen(BAND_COLOUR)
        text = QFontMetricsF(font).elidedText(band_text, Qt.TextElideMode.ElideLeft, width - 4.0)
        painter.drawText(band, int(Qt.AlignmentFlag.AlignCenter), text)
    finally:
        painter.end()
    crop.setDevicePixelRatio(page_image.devicePixelRatio())
    return crop
