"""Where each page sits in the scrollable canvas, for continuous or page-at-a-time reading."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

# Logical pixels between pages and around the column of pages.
PAGE_GAP = 10
MIN_ZOOM = 0.5
MAX_ZOOM = 8.0
# Fit modes may go below 50 % (a small window, a huge page) but never to nothing.
MIN_FIT_ZOOM = 0.05
# Qt holds scroll ranges and widget coordinates in 32-bit ints. A document whose column of pages
# would be taller (or wider) than this at the zoom asked for - thousands of 14,400 pt pages, or
# pages of the sizes MuPDF accepts beyond PDF's limit - is laid out at a lower zoom instead:
# otherwise a hostile PDF overflows the scroll bar and the viewer crashes.
MAX_CANVAS_PIXELS = 1_000_000_000
ZOOM_STEPS = (
    0.5,
    0.67,
    0.75,
    0.9,
    1.0,
    1.1,
    1.25,
    1.5,
    1.75,
    2.0,
    2.5,
    3.0,
    3.5,
    4.0,
    5.0,
    6.0,
    8.0,
)


@dataclass(frozen=True)
class PageBox:
    """One page's rectangle in canvas coordinates (logical pixels)."""

    page: int
    x: float
    y: float
    width: float
    height: float


class PageLayout:
    """Page rectangles at one zoom: a column of all pages, or a single page."""

    def __init__(self, page_sizes: tuple[tuple[float, float], ...]) -> None:
        """Lay out pages whose sizes (in PDF points) are ``page_sizes``."""
        self.page_sizes = page_sizes
        self.zoom = 1.0
        self.continuous = True
        self.single_page = 0
        self.viewport_width = 0
        self._tops: list[float] = []
        self.canvas_width = 0.0
        self.canvas_height = 0.0
        gaps = PAGE_GAP * (len(page_sizes) + 1)
        extent = max(
            sum(height for _width, height in page_sizes),
            max((width for width, _height in page_sizes), default=0.0),
        )
        self._largest_zoom = max(MAX_CANVAS_PIXELS - gaps - 1, 1) / max(extent, 1.0)
        self.relayout(1.0, 0)

    @property
    def page_count(self) -> int:
        """Number of pages in the document."""
        return len(self.page_sizes)

    def relayout(self, zoom: float, viewport_width: int) -> None:
        """Recompute every page's position for ``zoom`` and a viewport ``viewport_width`` wide.

        The zoom kept (``self.zoom``) is lower than ``zoom`` when the canvas would not fit in
        :data:`MAX_CANVAS_PIXELS`.
        """
        zoom = min(zoom, self._largest_zoom)
        self.zoom = zoom
        self.viewport_width = viewport_width
        self._tops = []
        top = float(PAGE_GAP)
        widest = 0.0
        for width, height in self.page_sizes:
            self._tops.append(top)
            top += height * zoom + PAGE_GAP
            widest = max(widest, width * zoom)
        self.canvas_width = widest + 2 * PAGE_GAP
        if self.continuous or not self.page_sizes:
            self.canvas_height = top
        else:
            self.canvas_height = self.page_sizes[self.single_page][1] * zoom + 2 * PAGE_GAP

    def box(self, page: int) -> PageBox:
        """The rectangle of ``page`` in canvas coordinates."""
        width, height = self.page_sizes[page]
        width, height = width * self.zoom, height * self.zoom
        x = max(float(PAGE_GAP), (max(self.viewport_width, self.canvas_width) - width) / 2)
        y = self._tops[page] if self.continuous else float(PAGE_GAP)
        return PageBox(page, x, y, width, height)

    def page_top(self, page: int) -> float:
        """The canvas y at which ``page`` starts, minus the gap above it."""
        return (self._tops[page] if self.continuous else float(PAGE_GAP)) - PAGE_GAP

    def visible_pages(self, top: float, height: float) -> list[int]:
        """Pages that intersect the band [top, top + height) of the canvas."""
        if not self.page_sizes:
            return []
        if not self.continuous:
            return [self.single_page]
        first = max(0, bisect.bisect_right(self._tops, top) - 1)
        pages = []
        for page in range(first, self.page_count):
            box = self.box(page)
            if box.y >= top + height:
                break
            if box.y + box.height > top:
                pages.append(page)
        return pages

    def most_visible_page(self, top: float, height: float) -> int:
        """The page occupying most of the band: the reader's "current" page."""
        best, best_area = 0 if self.continuous else self.single_page, -1.0
        for page in self.visible_pages(top, height):
            box = self.box(page)
            shown = min(box.y + box.height, top + height) - max(box.y, top)
            if shown > best_area:
                best, best_area = page, shown
        return best

    def page_at(self, x: float, y: float) -> tuple[int, float, float] | None:
        """The page under canvas point (x, y) and the point in PDF points, or None."""
        for page in self.visible_pages(y, 1):
            box = self.box(page)
            if box.x <= x <= box.x + box.width and box.y <= y <= box.y + box.height:
                return page, (x - box.x) / self.zoom, (y - box.y) / self.zoom
        return None


def clamp_zoom(zoom: float) -> float:
    """Limit a zoom the reader chose to 50-800 %."""
    return min(MAX_ZOOM, max(MIN_ZOOM, zoom))


# A step closer than this to the current zoom is skipped: from a fit zoom of 149.7 %, "zoom in"
# to 150 % would look like nothing happened (the indicator shows 150 % for both).
ZOOM_STEP_MARGIN = 0.01


def next_zoom_step(zoom: float, direction: int) -> float:
    """The next preset zoom above (direction > 0) or below (direction < 0) ``zoom``."""
    if direction > 0:
        larger = [step for step in ZOOM_STEPS if step > zoom + ZOOM_STEP_MARGIN]
        return larger[0] if larger else MAX_ZOOM
    smaller = [step for step in ZOOM_STEPS if step < zoom - ZOOM_STEP_MARGIN]
    return smaller[-1] if smaller else MIN_ZOOM
