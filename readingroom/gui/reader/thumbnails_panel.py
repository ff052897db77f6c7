"""The side panel of page thumbnails (watermarked images, like the pages themselves)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QResizeEvent,
    QShowEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from readingroom.gui.rendering.page_cache import (
    DEFAULT_THUMBNAIL_CACHE_BYTES,
    PageCache,
    RenderKey,
)

THUMBNAIL_WIDTH = 120
LABEL_HEIGHT = 18
MARGIN = 6
PAGE_ROLE = Qt.ItemDataRole.UserRole + 1


class _ThumbnailDelegate(QStyledItemDelegate):
    """Paints the thumbnail image (or a placeholder) and the page number under it."""

    def __init__(self, panel: ThumbnailsPanel) -> None:
        super().__init__(panel)
        self._panel = panel

    def sizeHint(  # noqa: N802 - Qt override
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """Every row is as tall as its page's thumbnail plus the number."""
        height = self._panel.thumbnail_height(int(index.data(PAGE_ROLE)))
        return QSize(THUMBNAIL_WIDTH + 2 * MARGIN, height + LABEL_HEIGHT + 2 * MARGIN)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """Draw the image centred, a frame when selected, and the 1-based page number."""
        page = int(index.data(PAGE_ROLE))
        rect: QRect = option.rect
        height = self._panel.thumbnail_height(page)
        x = rect.x() + (rect.width() - THUMBNAIL_WIDTH) // 2
        target = QRect(x, rect.y() + MARGIN, THUMBNAIL_WIDTH, height)
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, option.palette.highlight())
        image = self._panel.image_for(page)
        if image is None:
            painter.fillRect(target, QColor(236, 236, 236))
        else:
            painter.drawImage(target, image)
        painter.setPen(option.palette.text().color())
        label = QRect(rect.x(), target.bottom() + 2, rect.width(), LABEL_HEIGHT)
        painter.drawText(label, int(Qt.AlignmentFlag.AlignCenter), str(page + 1))
        painter.restore()


class ThumbnailsPanel(QListView):
    """A list of page thumbnails; asks for the visible ones; a click emits ``page_activated``."""

    page_activated = Signal(int)
    images_wanted = Signal(object)  # list[RenderKey]

    def __init__(
        self, page_sizes: tuple[tuple[float, float], ...], parent: QWidget | None = None
    ) -> None:
        """Create rows for pages whose sizes in PDF points are ``page_sizes``."""
        super().__init__(parent)
        self._page_sizes = page_sizes
        self.cache = PageCache(DEFAULT_THUMBNAIL_CACHE_BYTES)
        self._failed: set[int] = set()
        self._model = QStandardItemModel(self)
        for page in range(len(page_sizes)):
            # No DisplayRole: the number is painted. The accessible text names the page only.
            item = QStandardItem()
            item.setData(page, PAGE_ROLE)
            item.setData(f"Page {page + 1}", Qt.ItemDataRole.AccessibleTextRole)
            item.setEditable(False)
            self._model.appendRow(item)
        self.setModel(self._model)
        self.setItemDelegate(_ThumbnailDelegate(self))
        self.setUniformItemSizes(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setDragEnabled(False)
        self.setAccessibleName("Page thumbnails")
        self.setMinimumWidth(THUMBNAIL_WIDTH + 2 * MARGIN + 24)
        self._request_timer = QTimer(self)
        self._request_timer.setSingleShot(True)
        self._request_timer.setInterval(0)
        self._request_timer.timeout.connect(self._request_images)
        self.verticalScrollBar().valueChanged.connect(self._request_timer.start)
        self.clicked.connect(self._clicked)
        self.activated.connect(self._clicked)

    def thumbnail_zoom(self, page: int) -> float:
        """The zoom that makes ``page`` exactly :data:`THUMBNAIL_WIDTH` wide."""
        return round(THUMBNAIL_WIDTH / max(1.0, self._page_sizes[page][0]), 4)

    def thumbnail_height(self, page: int) -> int:
        """The thumbnail's height in logical pixels."""
        width, height = self._page_sizes[page]
        return max(1, round(height * THUMBNAIL_WIDTH / max(1.0, width)))

    def image_for(self, page: int) -> QImage | None:
        """The thumbnail of ``page`` if it has been rendered."""
        return self.cache.get(self._key(page))

    def add_image(self, key: RenderKey, image: QImage) -> None:
        """Take a rendered thumbnail and repaint its row."""
        self.cache.put(key, image)
        self.update(self._model.index(key.page, 0))

    def mark_failed(self, page: int) -> None:
        """Stop asking for a thumbnail that failed to render (its placeholder stays)."""
        self._failed.add(page)

    def set_current_page(self, page: int) -> None:
        """Select and reveal ``page`` without emitting ``page_activated``."""
        index = self._model.index(page, 0)
        if index.isValid():
            self.setCurrentIndex(index)
            self.scrollTo(index)

    def schedule_requests(self) -> None:
        """Recompute the wanted thumbnails once control returns to the event loop."""
        self._request_timer.start()

    def _key(self, page: int) -> RenderKey:
        return RenderKey(page, self.thumbnail_zoom(page), self.devicePixelRatioF(), 0, True)

    def _request_images(self) -> None:
        if not self.isVisible() or not self._page_sizes:
            self.images_wanted.emit([])
            return
        first = self.indexAt(self.viewport().rect().topLeft())
        last = self.indexAt(self.viewport().rect().bottomLeft())
        start = first.row() if first.isValid() else 0
        end = last.row() if last.isValid() else min(len(self._page_sizes) - 1, start + 10)
        wanted = []
        for page in range(start, end + 1):
            key = self._key(page)
            if page not in self._failed and key not in self.cache:
                wanted.append(key)
        self.images_wanted.emit(wanted)

    def _clicked(self, index: QModelIndex) -> None:
        self.page_activated.emit(int(index.data(PAGE_ROLE)))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Thumbnails are only requested while the panel is visible."""
        super().showEvent(event)
        self.schedule_requests()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """More rows may have come into view."""
        super().resizeEvent(event)
        self.schedule_requests()
