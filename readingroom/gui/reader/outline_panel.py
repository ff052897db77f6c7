"""The document outline (bookmarks) as a tree whose titles are images, never text.

Outline titles are text from the document, and document text must not reach a widget's text,
tooltip or accessible name. So each title is drawn into a QImage here, once, and the tree's
delegate paints that image. The model holds no DisplayRole and no tooltip; its accessible text
is "Outline entry N, page P", which says nothing about the document's content.

A title wider than the panel is cut at the panel's edge and ends in a drawn "…" (the ellipsis is
ours, not the document's); there is no tooltip, since a tooltip would be text. As the reader
pages, the entry of the section being read is selected (the last entry starting at or before
the current page).
"""

from __future__ import annotations

import math

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPalette,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView, QWidget

from readingroom.viewing.document_model import OutlineEntry
from readingroom.watermark import sanitise_value

IMAGE_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE_ROLE = Qt.ItemDataRole.UserRole + 2
MAX_TITLE_CHARS = 120
MAX_DEPTH = 32
ROW_PADDING = 4


def title_image(title: str, font: QFont, colour: QPalette, device_pixel_ratio: float) -> QImage:
    """Draw ``title`` (sanitised, capped) into a transparent image at the screen's ratio."""
    text = sanitise_value(title, MAX_TITLE_CHARS) or "—"
    metrics = QFontMetricsF(font)
    width = max(1, math.ceil(metrics.horizontalAdvance(text)) + 2)
    height = max(1, math.ceil(metrics.height()))
    image = QImage(
        round(width * device_pixel_ratio),
        round(height * device_pixel_ratio),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.setDevicePixelRatio(device_pixel_ratio)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        painter.setFont(font)
        painter.setPen(colour.color(QPalette.ColorRole.Text))
        painter.drawText(QPointF(1, metrics.ascent()), text)
    finally:
        painter.end()
    return image


class _TitleImageDelegate(QStyledItemDelegate):
    """Paints the pre-drawn title image instead of any text."""

    def sizeHint(  # noqa: N802 - Qt override
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """The image's logical size plus padding."""
        image = index.data(IMAGE_ROLE)
        if not isinstance(image, QImage):
            return QSize(10, 18)
        size = image.deviceIndependentSize()
        return QSize(math.ceil(size.width()) + 2 * ROW_PADDING, math.ceil(size.height()) + 4)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """Selection background, then the title image, cut with a drawn "…" if too wide."""
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(option.rect, option.palette.highlight())
        image = index.data(IMAGE_ROLE)
        if isinstance(image, QImage):
            size = image.deviceIndependentSize()
            y = option.rect.y() + (option.rect.height() - size.height()) / 2
            x = option.rect.x() + ROW_PADDING
            room = option.rect.width() - 2 * ROW_PADDING
            if size.width() <= room:
                painter.drawImage(QPointF(x, y), image)
            else:
                metrics = QFontMetricsF(option.font)
                dots = metrics.horizontalAdvance("…")
                shown = max(0.0, room - dots)
                ratio = image.devicePixelRatio()
                source = QRectF(0, 0, shown * ratio, size.height() * ratio)
                painter.drawImage(QRectF(x, y, shown, size.height()), image, source)
                painter.setPen(
                    option.palette.color(
                        QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
                    )
                )
                painter.drawText(QPointF(x + shown, y + metrics.ascent()), "…")
        painter.restore()


class OutlinePanel(QTreeView):
    """The outline tree; activating an entry with a target page emits ``page_activated``."""

    page_activated = Signal(int)

    def __init__(self, outline: tuple[OutlineEntry, ...], parent: QWidget | None = None) -> None:
        """Build the tree from ``outline`` (levels as in PyMuPDF's ``get_toc``)."""
        super().__init__(parent)
        self._model = QStandardItemModel(self)
        self.setHeaderHidden(True)
        self.setModel(self._model)
        self.setItemDelegate(_TitleImageDelegate(self))
        self.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setDragEnabled(False)
        self.setAccessibleName("Document outline")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._starts: list[tuple[int, QStandardItem]] = []
        self._populate(outline)
        self.set_current_page(0)  # a reader starts on the first page
        self.clicked.connect(self._activated)
        self.activated.connect(self._activated)

    def entry_count(self) -> int:
        """How many entries the tree holds (all levels)."""
        return self._count

    def _populate(self, outline: tuple[OutlineEntry, ...]) -> None:
        font = QFont(self.font())
        ratio = self.devicePixelRatioF()
        # parents[d] is the item new entries of depth d + 1 attach to; the root is depth 0.
        parents: list[QStandardItem] = [self._model.invisibleRootItem()]
        self._count = 0
        for number, entry in enumerate(outline, start=1):
            item = QStandardItem()
            item.setEditable(False)
            item.setData(title_image(entry.title, font, self.palette(), ratio), IMAGE_ROLE)
            item.setData(entry.page, PAGE_ROLE)
            where = f"page {entry.page + 1}" if entry.page >= 0 else "no page"
            item.setData(f"Outline entry {number}, {where}", Qt.ItemDataRole.AccessibleTextRole)
            # A malformed outline may jump levels; attach to the deepest parent that exists.
            depth = min(max(1, entry.level), MAX_DEPTH, len(parents))
            parents[depth - 1].appendRow(item)
            del parents[depth:]
            parents.append(item)
            self._count += 1
            if entry.page >= 0:
                self._starts.append((entry.page, item))
        self.expandToDepth(0)

    def set_current_page(self, page: int) -> None:
        """Select the entry of the section that ``page`` (0-based) belongs to, if any."""
        current = None
        for start, item in self._starts:  # in document order, as the outline lists them
            if start <= page:
                current = item
        if current is None:
            self.clearSelection()
            return
        index = current.index()
        parent = index.parent()
        while parent.isValid():  # a collapsed parent would hide the highlight
            self.expand(parent)
            parent = parent.parent()
        self.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.scrollTo(index)

    def current_entry(self) -> int:
        """The 1-based number of the selected entry (0: none), as in its accessible text."""
        for number, (_, item) in enumerate(self._all_items(), start=1):
            if self.selectionModel().isSelected(item.index()):
                return number
        return 0

    def _all_items(self) -> list[tuple[int, QStandardItem]]:
        items: list[tuple[int, QStandardItem]] = []
        stack = [self._model.invisibleRootItem()]
        while stack:
            parent = stack.pop()
            children = [parent.child(row) for row in range(parent.rowCount())]
            for child in reversed(children):
                stack.append(child)
            if parent is not self._model.invisibleRootItem():
                items.append((0, parent))
        return items

    def _activated(self, index: QModelIndex) -> None:
        page = index.data(PAGE_ROLE)
        if isinstance(page, int) and page >= 0:
            self.page_activated.emit(page)
