"""The scrollable surface that shows watermarked page images, continuous or page by page.

It never renders: it says which images it wants (``images_wanted``) and paints what it is given
(:meth:`PageView.add_image`). Until a page's image arrives it paints a stand-in: the same page at
another zoom, scaled, or a grey placeholder; a page that failed shows an error placeholder. There
is no text layer at all, so nothing can be selected or copied.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from readingroom.gui.reader.page_keys import SCROLL_STEP, handle_key
from readingroom.gui.reader.page_painting import paint_pages
from readingroom.gui.rendering.page_cache import DEFAULT_PAGE_CACHE_BYTES, PageCache, RenderKey
from readingroom.gui.rendering.page_images import HighlightRect
from readingroom.viewing.document_model import LinkArea
from readingroom.viewing.memory_budget import largest_page, page_cache_bytes
from readingroom.viewing.page_layout import (
    MAX_ZOOM,
    MIN_FIT_ZOOM,
    PAGE_GAP,
    PageLayout,
    clamp_zoom,
    next_zoom_step,
)

FIT_WIDTH = "fit_width"
FIT_PAGE = "fit_page"
CUSTOM = "custom"
# Pages rendered ahead of and behind the visible ones, so the next PgDn is instant.
PREFETCH_PAGES = 2
# A visible page with no image at all is first rendered at this share of its zoom (a ninth of
# the pixels), watermark burned in like any image, and shown scaled until the sharp one comes.
PREVIEW_SCALE = 1 / 3


class PageView(QAbstractScrollArea):
    """Shows page images laid out by :class:`PageLayout`; handles keys, wheel and link clicks."""

    images_wanted = Signal(object)  # list[RenderKey], most wanted first
    current_page_changed = Signal(int)
    zoom_changed = Signal(float)
    link_clicked = Signal(object)  # LinkArea
    page_painted = Signal(int)  # a page was painted with its final image (for benchmarks)
    page_previewed = Signal(int)  # a page was painted with a stand-in (another zoom, a preview)

    def __init__(
        self, page_sizes: tuple[tuple[float, float], ...], parent: QWidget | None = None
    ) -> None:
        """Create a view of pages whose sizes in PDF points are ``page_sizes``."""
        super().__init__(parent)
        self.layout_ = PageLayout(page_sizes)
        self.cache = PageCache(DEFAULT_PAGE_CACHE_BYTES)
        self._largest_page = largest_page(page_sizes)
        self._zoom_mode = FIT_WIDTH
        self._custom_zoom = 1.0
        self._current = 0
        self._failed: set[int] = set()
        self._links: dict[int, tuple[LinkArea, ...]] = {}
        self._highlight_generation = 0
        self._current_hit: tuple[int, HighlightRect] | None = None
        self._inverted = False
        self._request_timer = QTimer(self)
        self._request_timer.setSingleShot(True)
        self._request_timer.setInterval(0)
        self._request_timer.timeout.connect(self._request_images)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setAcceptDrops(False)
        self.viewport().setMouseTracking(True)
        self.setAccessibleName("Document pages")
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.horizontalScrollBar().valueChanged.connect(self._scrolled)
        self._relayout()

    # State the reader sees.

    def current_page(self) -> int:
        """The page occupying most of the viewport."""
        return self._current

    def page_count(self) -> int:
        """Number of pages."""
        return self.layout_.page_count

    def zoom(self) -> float:
        """Logical pixels per PDF point."""
        return self.layout_.zoom

    def zoom_mode(self) -> str:
        """``"fit_width"``, ``"fit_page"`` or ``"custom"``."""
        return self._zoom_mode

    def is_inverted(self) -> bool:
        """Whether pages are shown in the inverted (high-contrast) mode."""
        return self._inverted

    def is_continuous(self) -> bool:
        """Whether pages scroll as one column (else one page at a time)."""
        return self.layout_.continuous

    # Commands.

    def set_zoom(self, zoom: float) -> None:
        """Zoom to ``zoom`` (clamped to 50-800 %), keeping the current page in view."""
        self._custom_zoom = clamp_zoom(zoom)
        self._set_mode(CUSTOM)

    def zoom_in(self) -> None:
        """Next preset zoom up."""
        self.set_zoom(next_zoom_step(self.zoom(), +1))

    def zoom_out(self) -> None:
        """Next preset zoom down."""
        self.set_zoom(next_zoom_step(self.zoom(), -1))

    def fit_width(self) -> None:
        """Zoom so the widest page fills the viewport's width."""
        self._set_mode(FIT_WIDTH)

    def fit_page(self) -> None:
        """Zoom so the current page fits entirely in the viewport."""
        self._set_mode(FIT_PAGE)

    def set_inverted(self, inverted: bool) -> None:
        """Show pages with inverted colours (light on black), the watermark unchanged."""
        if inverted != self._inverted:
            self._inverted = inverted
            self.schedule_requests()

    def set_continuous(self, continuous: bool) -> None:
        """Switch between continuous scrolling and one page at a time."""
        page = self._current
        self.layout_.continuous = continuous
        self.layout_.single_page = page
        self._relayout()
        self.go_to_page(page)

    def go_to_page(self, page: int, y_points: float = 0.0) -> None:
        """Show ``page`` (clamped), scrolled so that ``y_points`` from its top is at the top."""
        if self.layout_.page_count == 0:
            return
        page = min(max(page, 0), self.layout_.page_count - 1)
        if not self.layout_.continuous and page != self.layout_.single_page:
            self.layout_.single_page = page
            self._relayout()
        top = self.layout_.page_top(page) + max(0.0, y_points - 12) * self.zoom()
        self.verticalScrollBar().setValue(round(top))
        self._update_current(force_page=page)
        # A jump asks for its page now, not after the placeholder has been painted.
        self._request_timer.stop()
        self._request_images()

    def next_page(self) -> None:
        """Go to the top of the next page."""
        self.go_to_page(self._current + 1)

    def previous_page(self) -> None:
        """Go to the top of the previous page."""
        self.go_to_page(self._current - 1)

    def add_image(self, key: RenderKey, image: QImage) -> None:
        """Take a rendered image from the worker and repaint if it is on screen."""
        self.cache.put(key, image)
        self._failed.discard(key.page)
        self.viewport().update()

    def mark_failed(self, page: int) -> None:
        """Show the error placeholder for ``page`` from now on (no more attempts)."""
        self._failed.add(page)
        self.viewport().update()

    def set_links(self, page: int, links: tuple[LinkArea, ...]) -> None:
        """Record the clickable areas of ``page``."""
        self._links[page] = links

    def set_highlight_generation(self, generation: int) -> None:
        """Ask for images carrying the highlights of search ``generation`` (0: none)."""
        self._highlight_generation = generation
        self._current_hit = None
        self.schedule_requests()

    def set_current_hit(self, page: int, rect: HighlightRect) -> None:
        """Frame the hit the reader stepped to, and scroll it into view."""
        self._current_hit = (page, rect)
        self.go_to_page(page, rect[1])
        self.viewport().update()

    def schedule_requests(self) -> None:
        """Recompute the wanted images once control returns to the event loop."""
        self._request_timer.start()
        self.viewport().update()

    def drop_images(self) -> None:
        """Free every cached image (shutdown, curtain)."""
        self.cache.clear()
        self.viewport().update()

    # Layout and requests.

    def _set_mode(self, mode: str) -> None:
        page = self._current
        self._zoom_mode = mode
        self._relayout()
        self.go_to_page(page)

    def _effective_zoom(self) -> float:
        if self.layout_.page_count == 0 or self._zoom_mode == CUSTOM:
            return self._custom_zoom
        viewport = self.viewport()
        usable_width = max(1, viewport.width() - 2 * PAGE_GAP)
        widest = max(width for width, _height in self.layout_.page_sizes)
        zoom = usable_width / widest
        if self._zoom_mode == FIT_PAGE:
            width, height = self.layout_.page_sizes[self._current]
            usable_height = max(1, viewport.height() - 2 * PAGE_GAP)
            zoom = min(usable_width / width, usable_height / height)
        return min(MAX_ZOOM, max(MIN_FIT_ZOOM, zoom))

    def _relayout(self) -> None:
        old_zoom = self.layout_.zoom
        self.layout_.relayout(self._effective_zoom(), self.viewport().width())
        vertical = self.verticalScrollBar()
        horizontal = self.horizontalScrollBar()
        vertical.setRange(0, max(0, round(self.layout_.canvas_height) - self.viewport().height()))
        vertical.setPageStep(self.viewport().height())
        vertical.setSingleStep(SCROLL_STEP)
        horizontal.setRange(0, max(0, round(self.layout_.canvas_width) - self.viewport().width()))
        horizontal.setPageStep(self.viewport().width())
        horizontal.setSingleStep(SCROLL_STEP)
        self.cache.set_max_bytes(
            page_cache_bytes(self._largest_page, self.zoom(), self.devicePixelRatioF())
        )
        if abs(old_zoom - self.layout_.zoom) > 1e-9:
            self.zoom_changed.emit(self.layout_.zoom)
        self.schedule_requests()

    def _key(self, page: int) -> RenderKey:
        return RenderKey(
            page,
            round(self.zoom(), 4),
            self.devicePixelRatioF(),
            self._highlight_generation,
            inverted=self._inverted,
        )

    def _request_images(self) -> None:
        top, height = self.verticalScrollBar().value(), self.viewport().height()
        visible = self.layout_.visible_pages(top, height)
        current = self.layout_.most_visible_page(top, height)
        ordered = sorted(visible, key=lambda page: abs(page - current))
        if visible:
            for distance in range(1, PREFETCH_PAGES + 1):
                ordered += [visible[-1] + distance, visible[0] - distance]
        wanted = [self._preview_key(page) for page in visible if self.cache.get_any(page) is None]
        for page in ordered:
            if 0 <= page < self.layout_.page_count and page not in self._failed:
                key = self._key(page)
                if key not in self.cache and key not in wanted:
                    wanted.append(key)
        self.images_wanted.emit(wanted)

    def _preview_key(self, page: int) -> RenderKey:
        key = self._key(page)
        return RenderKey(
            page,
            round(key.zoom * PREVIEW_SCALE, 4),
            key.device_pixel_ratio,
            key.highlight_generation,
        )

    def _scrolled(self) -> None:
        self._update_current()
        self.schedule_requests()

    def _update_current(self, force_page: int | None = None) -> None:
        top, height = self.verticalScrollBar().value(), self.viewport().height()
        page = self.layout_.most_visible_page(top, height)
        if force_page is not None and force_page in self.layout_.visible_pages(top, height):
            # A jump names its page; at the end of the document that page may be short and
            # share the viewport with a bigger neighbour.
            box = self.layout_.box(force_page)
            if box.y >= top - 1 or page == force_page:
                page = force_page
        if page != self._current:
            self._current = page
            self.current_page_changed.emit(page)

    # Painting.

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        """Paint visible pages: final image, scaled stand-in, placeholder or error tile."""
        painter = QPainter(self.viewport())
        shown = paint_pages(
            painter,
            event.rect(),
            layout=self.layout_,
            origin=(self.horizontalScrollBar().value(), self.verticalScrollBar().value()),
            viewport_height=self.viewport().height(),
            cache=self.cache,
            key_for=self._key,
            failed=self._failed,
            current_hit=self._current_hit,
        )
        painter.end()
        if shown.missing:
            # The timer only recomputes the wanted list; it does not repaint.
            self._request_timer.start()
        for page in shown.painted:
            self.page_painted.emit(page)
        for page in shown.previewed:
            self.page_previewed.emit(page)

    # Input.

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Okular/Evince keys: PgUp/PgDn, Space/Shift+Space, Home/End, arrows (see page_keys)."""
        if not handle_key(self, event):
            super().keyPressEvent(event)
            return
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        """Ctrl+wheel zooms; the plain wheel scrolls."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.zoom_in() if delta > 0 else self.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Fit modes follow the window; keep the current page where it was."""
        super().resizeEvent(event)
        page = self._current
        self._relayout()
        if self._zoom_mode != CUSTOM:
            self.go_to_page(page)

    def _link_at(self, position: QPoint) -> LinkArea | None:
        x = position.x() + self.horizontalScrollBar().value()
        y = position.y() + self.verticalScrollBar().value()
        found = self.layout_.page_at(x, y)
        if found is None:
            return None
        page, px, py = found
        for link in self._links.get(page, ()):
            x0, y0, x1, y1 = link.rect
            if x0 <= px <= x1 and y0 <= py <= y1:
                return link
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """A left click on a link reports it; nothing else happens (there is no selection)."""
        if event.button() == Qt.MouseButton.LeftButton:
            link = self._link_at(event.position().toPoint())
            if link is not None:
                self.link_clicked.emit(link)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Show a pointing hand over links."""
        link = self._link_at(event.position().toPoint())
        shape = Qt.CursorShape.PointingHandCursor if link else Qt.CursorShape.ArrowCursor
        self.viewport().setCursor(shape)
        event.accept()
