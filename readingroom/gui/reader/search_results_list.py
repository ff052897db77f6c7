"""The list of search hits by page number: "Page 12 - 3 hits", nothing from the page itself."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

PAGE_ROLE = Qt.ItemDataRole.UserRole + 1


class SearchResultsList(QListWidget):
    """One row per page with hits, in page order; activating a row emits ``page_activated``."""

    page_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        """Create an empty list."""
        super().__init__(parent)
        self.setAccessibleName("Search hits by page")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setDragEnabled(False)
        self._rows: dict[int, QListWidgetItem] = {}
        self.itemClicked.connect(self._activated)
        self.itemActivated.connect(self._activated)

    def set_page_hits(self, page: int, count: int) -> None:
        """Add or update the row of ``page`` (0-based) with its number of hits."""
        text = f"Page {page + 1} — {count} hit{'s' if count != 1 else ''}"
        item = self._rows.get(page)
        if item is None:
            item = QListWidgetItem(text)
            item.setData(PAGE_ROLE, page)
            pages = sorted(self._rows)
            row = next((i for i, other in enumerate(pages) if other > page), len(pages))
            self.insertItem(row, item)
            self._rows[page] = item
        else:
            item.setText(text)

    def pages(self) -> list[int]:
        """The pages listed, in order."""
        return sorted(self._rows)

    def clear_hits(self) -> None:
        """Empty the list for a new search."""
        self.clear()
        self._rows = {}

    def _activated(self, item: QListWidgetItem) -> None:
        self.page_activated.emit(int(item.data(PAGE_ROLE)))
