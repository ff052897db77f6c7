"""Painting the page view's visible pages: final image, scaled stand-in, placeholder or error tile.

The page view decides what is visible and which image each page should have; this module only
paints what the cache holds into the viewport and reports what it painted, so the view can emit
its ``page_painted`` / ``page_previewed`` signals and ask again for pages shown without an image.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from readingroom.gui.rendering.page_cache import PageCache, RenderKey
from readingroom.gui.rendering.page_images import HighlightRect
from readingroom.viewing.page_layout import PageLayout

BACKGROUND = QColor(90, 94, 100)
PLACEHOLDER = QColor(236, 236, 236)
FAILED = QColor(250, 225, 225)
CURRENT_HIT_PEN = QColor(230, 90, 0)


@dataclass
class PaintedPages:
    """What one paint showed: pages with their final image, with a stand-in, and any missing."""

    painted: list[int] = field(default_factory=list)
    previewed: list[int] = field(default_factory=list)
    # A page shown without its image (never asked for, or evicted meanwhile): ask again.
    missing: bool = False


def paint_pages(
    painter: QPainter,
    area: QRect,
    *,
    layout: PageLayout,
    origin: tuple[int, int],
    viewport_height: int,
    cache: PageCache,
    key_for: Callable[[int], RenderKey],
    failed: set[int],
    current_hit: tuple[int, HighlightRect] | None,
) -> PaintedPages:
    """Paint the pages visible from scroll position ``origin`` (x, y) into ``area``."""
    result = PaintedPages()
    painter.fillRect(area, BACKGROUND)
    dx, dy = origin
    for page in layout.visible_pages(dy, viewport_height):
        box = layout.box(page)
        target = QRectF(box.x - dx, box.y - dy, box.width, box.height)
        image = cache.get(key_for(page))
        if image is not None:
            painter.drawImage(target, image)
            result.painted.append(page)
        elif page in failed:
            _paint_message(painter, target, FAILED, "This page could not be shown.")
        else:
            stand_in = cache.get_any(page)
            if stand_in is not None:
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
                painter.drawImage(target, stand_in)
                result.previewed.append(page)
            else:
                _paint_message(painter, target, PLACEHOLDER, "")
            result.missing = True
        if current_hit is not None and current_hit[0] == page:
            x0, y0, x1, y1 = current_hit[1]
            zoom = layout.zoom
            painter.setPen(QPen(CURRENT_HIT_PEN, 2))
            painter.drawRect(
                QRectF(
                    target.x() + x0 * zoom - 2,
                    target.y() + y0 * zoom - 2,
                    (x1 - x0) * zoom + 4,
                    (y1 - y0) * zoom + 4,
                )
            )
    return result


def _paint_message(painter: QPainter, target: QRectF, colour: QColor, text: str) -> None:
    painter.fillRect(target, colour)
    if text:
        painter.setPen(QColor(120, 0, 0))
        painter.drawText(target, int(Qt.AlignmentFlag.AlignCenter), text)
