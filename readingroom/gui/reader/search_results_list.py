"""The search results: a row per page with hits, then each line with hits as an image.

A page row says "Page 12 — 3 hits"; a line row holds only a picture (see search_crops.py: a
piece of the watermarked page image, every hit on the line highlighted in it, plus a marking
strip), a caption "2 hits" painted above it when the line holds more than one, and the
accessible text "Hit 2 on page 12" (or "Hits 2 and 3 on page 12"). Two hits on one line are one
row, not two identical pictures. No row ever holds document text, as text, tooltip or
accessible name. When a search finds nothing, one row says "No matches for “…”" with the
reader's own query.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from readingroom.watermark import sanitise_value

PAGE_ROLE = Qt.ItemDataRole.UserRole + 1
HIT_ROLE = Qt.ItemDataRole.UserRole + 2  # the line's first hit on its page, 0-based; -1: page row
IMAGE_ROLE = Qt.ItemDataRole.UserRole + 3
COUNT_ROLE = Qt.ItemDataRole.UserRole + 4  # hits on the line
# Shown in place of a crop that has not arrived yet, in logical pixels.
PLACEHOLDER_HEIGHT = 24
PADDING = 4
# The "2 hits" caption above a line with several hits, in logical pixels.
CAPTION_HEIGHT = 14
# The query is shown back to the reader in "No matches for …"; a long one is shortened.
MAX_SHOWN_QUERY_CHARS = 60


class _HitImageDelegate(QStyledItemDelegate):
    """Hit rows: the crop, scaled down to the row's width if need be; page rows: their text."""

    def sizeHint(  # noqa: N802 - Qt override
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """A page row as usual; a hit row as tall as its crop at the list's width."""
        if index.data(HIT_ROLE) in (None, -1):
            return super().sizeHint(option, index)
        image = index.data(IMAGE_ROLE)
        width = max(40, option.rect.width() or 200)
        caption = CAPTION_HEIGHT if _caption(index) else 0
        if not isinstance(image, QImage):
            return QSize(width, PLACEHOLDER_HEIGHT + caption)
        size = image.deviceIndependentSize()
        shrink = min(1.0, (width - 2 * PADDING) / max(size.width(), 1.0))
        return QSize(width, math.ceil(size.height() * shrink) + 2 * PADDING + caption)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """Selection background, the "2 hits" caption, the crop (or a grey bar until it comes)."""
        if index.data(HIT_ROLE) in (None, -1):
            super().paint(painter, option, index)
            return
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(option.rect, option.palette.highlight())
        area = option.rect.adjusted(PADDING, PADDING, -PADDING, -PADDING)
        caption = _caption(index)
        if caption:
            font = QFont(option.font)
            font.setPixelSize(CAPTION_HEIGHT - 3)
            painter.setFont(font)
            palette = option.palette
            painter.setPen(
                palette.highlightedText().color() if selected else palette.text().color()
            )
            line = QRectF(area.x(), area.y(), area.width(), CAPTION_HEIGHT)
            painter.drawText(line, int(Qt.AlignmentFlag.AlignVCenter), caption)
            area.setTop(area.top() + CAPTION_HEIGHT)
        image = index.data(IMAGE_ROLE)
        if isinstance(image, QImage):
            size = image.deviceIndependentSize()
            shrink = min(1.0, area.width() / max(size.width(), 1.0))
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            target = QRectF(area.x(), area.y(), size.width() * shrink, size.height() * shrink)
            painter.drawImage(target, image)
        else:
            painter.fillRect(area, QColor(235, 235, 235))
        painter.restore()


def _caption(index: QModelIndex | QPersistentModelIndex) -> str:
    """ "3 hits" for a line row with several hits, else "" (the count only, never text)."""
    count = index.data(COUNT_ROLE)
    return f"{count} hits" if isinstance(count, int) and count > 1 else ""


class SearchResultsList(QListWidget):
    """Page rows and line rows in page order; activating one emits ``hit_activated``."""

    hit_activated = Signal(int, int)  # page (0-based), hit number on the page (0-based)
    rows_shown = Signal()  # other rows came into view (scrolling, resizing)

    def __init__(self, parent: QWidget | None = None) -> None:
        """Create an empty list."""
        super().__init__(parent)
        self.setAccessibleName("Search results")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setDragEnabled(False)
        self.setItemDelegate(_HitImageDelegate(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.setUniformItemSizes(False)
        self.setWordWrap(True)  # "No matches for …" with a long query
        self._rows: dict[int, list[QListWidgetItem]] = {}
        self._message: QListWidgetItem | None = None
        self.itemClicked.connect(self._activated)
        self.itemActivated.connect(self._activated)
        # Said once control returns to the event loop: asking which rows are in sight lays the
        # list out, which may resize it, which must not ask again from inside that layout.
        self._rows_timer = QTimer(self)
        self._rows_timer.setSingleShot(True)
        self._rows_timer.setInterval(0)
        self._rows_timer.timeout.connect(self.rows_shown)
        self.verticalScrollBar().valueChanged.connect(self._rows_timer.start)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """More or fewer rows fit: say so, so that their crops are drawn."""
        super().resizeEvent(event)
        self._rows_timer.start()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """The list came into sight (its tab was chosen): its rows want their crops."""
        super().showEvent(event)
        self._rows_timer.start()

    def pages_in_view(self, margin_rows: int = 0) -> list[int]:
        """Pages with a row in sight (or within ``margin_rows`` of it), top first.

        None while the list itself is out of sight (another tab, or the panel hidden).
        """
        if self.count() == 0 or not self.isVisible():
            return []
        top = self.indexAt(QPoint(1, 1)).row()
        bottom = self.indexAt(QPoint(1, self.viewport().height() - 2)).row()
        top = 0 if top < 0 else top
        bottom = self.count() - 1 if bottom < 0 else bottom
        pages: list[int] = []
        for row in range(max(0, top - margin_rows), min(self.count(), bottom + margin_rows + 1)):
            page = self.item(row).data(PAGE_ROLE)
            if isinstance(page, int) and page not in pages:
                pages.append(page)
        return pages

    def pages_with_images(self) -> list[int]:
        """Pages whose hits show their crops."""
        return [page for page in self._rows if self.has_image(page, 0)]

    def forget_images(self, page: int) -> None:
        """Drop the crops of ``page`` (they are drawn again when it comes back into view)."""
        for item in self._rows.get(page, [])[1:]:
            item.setData(IMAGE_ROLE, None)

    def set_page_hits(self, page: int, line_counts: Sequence[int]) -> None:
        """List ``page`` (0-based): its row, then a row per line with ``line_counts[i]`` hits.

        The lines are in the order of their first hits, which are numbered on from 0.
        """
        count = sum(line_counts)
        if page in self._rows or count <= 0 or min(line_counts) <= 0:
            return
        self._drop_message()
        items = [self._page_item(page, count)]
        first = 0
        for hits in line_counts:
            item = QListWidgetItem()
            item.setData(PAGE_ROLE, page)
            item.setData(HIT_ROLE, first)
            item.setData(COUNT_ROLE, hits)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, _line_name(page, first, hits))
            items.append(item)
            first += hits
        later = [other for other in sorted(self._rows) if other > page]
        row = self.row(self._rows[later[0]][0]) if later else self.count()
        for offset, item in enumerate(items):
            self.insertItem(row + offset, item)
        self._rows[page] = items

    def set_line_image(self, page: int, line: int, image: QImage) -> None:
        """Show ``image`` (a crop from search_crops.crop_image) for line ``line`` of ``page``."""
        items = self._rows.get(page, [])
        if 0 <= line < len(items) - 1:
            items[line + 1].setData(IMAGE_ROLE, image)

    def has_image(self, page: int, line: int) -> bool:
        """Whether line ``line`` (0-based, among the page's lines with hits) shows its crop."""
        items = self._rows.get(page, [])
        return 0 <= line < len(items) - 1 and items[line + 1].data(IMAGE_ROLE) is not None

    def select_hit(self, page: int, number: int) -> None:
        """Mark the line of the hit the reader stepped to (and scroll it into view)."""
        for item in self._rows.get(page, [])[1:]:
            first, hits = item.data(HIT_ROLE), item.data(COUNT_ROLE)
            if first <= number < first + hits:
                self.setCurrentItem(item)
                self.scrollToItem(item)
                return

    def pages(self) -> list[int]:
        """The pages listed, in order."""
        return sorted(self._rows)

    def show_no_matches(self, query: str) -> None:
        """Say that ``query`` (the reader's own typing) was not found."""
        self.clear_hits()
        shown = sanitise_value(query, MAX_SHOWN_QUERY_CHARS)
        if len(query.strip()) > MAX_SHOWN_QUERY_CHARS:
            shown = shown[:-1] + "…"
        item = QListWidgetItem(f"No matches for “{shown}”")
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        self.addItem(item)
        self._message = item

    def message(self) -> str:
        """The text of the "No matches" row, or "" when there is none."""
        return self._message.text() if self._message is not None else ""

    def clear_hits(self) -> None:
        """Empty the list for a new search."""
        self.clear()
        self._rows = {}
        self._message = None

    def _drop_message(self) -> None:
        if self._message is not None:
            self.clear_hits()

    @staticmethod
    def _page_item(page: int, count: int) -> QListWidgetItem:
        item = QListWidgetItem(f"Page {page + 1} — {count} hit{'s' if count != 1 else ''}")
        item.setData(PAGE_ROLE, page)
        item.setData(HIT_ROLE, -1)
        font = item.font()
        font.setBold(True)
        item.setFont(font)
        return item

    def _activated(self, item: QListWidgetItem) -> None:  # a line row: its first hit
        page, number = item.data(PAGE_ROLE), item.data(HIT_ROLE)
        if isinstance(page, int) and isinstance(number, int):
            self.hit_activated.emit(page, max(0, number))


def _line_name(page: int, first: int, hits: int) -> str:
    """What a screen reader says for a line row: its hits' numbers and page, never its text."""
    if hits == 1:
        return f"Hit {first + 1} on page {page + 1}"
    numbers = ", ".join(str(first + n) for n in range(1, hits))
    return f"Hits {numbers} and {first + hits} on page {page + 1}"
