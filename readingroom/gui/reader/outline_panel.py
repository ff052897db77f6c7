"""The document outline (bookmarks) as a tree whose titles are images, never text.

Outline titles are text from the document, and document text must not reach a widget's text,
tooltip or accessible name. So each title is drawn into a QImage here, once, and the tree's
delegate paints that image. The model holds no DisplayRole and no tooltip; its accessible text
is "Outline entry N, page P", which says nothing about the document's content.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QSize, Qt, Signal
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

from readingroom.gui.rendering.document_model import OutlineEntry
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
        """Selection background, then the title image."""
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        image = index.data(IMAGE_ROLE)
        if isinstance(image, QImage):
            size = image.deviceIndependentSize()
            y = option.rect.y() + (option.rect.height() - size.height()) / 2
            painter.drawImage(QPointF(option.rect.x() + ROW_PADDING, y), image)
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
        self._populate(outline)
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
        self.expandToDepth(0)

    def _activated(self, index: QModelIndex) -> None:
        page = index.data(PAGE_ROLE)
        if isinstance(page, int) and page >= 0:
            self.page_activated.emit(page)
