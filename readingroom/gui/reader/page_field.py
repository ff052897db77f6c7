"""The toolbar's page field: the current page number (1-based), "of N", and go-to by typing."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QIntValidator, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QWidget

# Room for the digits plus the line edit's frame and text margins.
_FRAME_PIXELS = 18


class PageField(QWidget):
    """Shows the current page and jumps to the page the reader types (Enter).

    Everything shown is the viewer's own numbers, never document text (page labels such as
    "iv" that a PDF may carry are deliberately not used).
    """

    page_entered = Signal(int)  # 0-based index the reader typed and confirmed with Enter
    entry_finished = Signal()  # Enter or Esc: the page should have the keyboard again

    def __init__(self, page_count: int, parent: QWidget | None = None) -> None:
        """Build the field for a document of ``page_count`` pages, showing page 1."""
        super().__init__(parent)
        self._page_count = max(1, page_count)
        self._current = 0
        digits = len(str(self._page_count))
        self.edit = QLineEdit("1", self)
        self.edit.setObjectName("pageNumber")
        self.edit.setValidator(QIntValidator(1, self._page_count, self.edit))
        self.edit.setMaxLength(digits)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        width = self.edit.fontMetrics().horizontalAdvance("0" * max(digits, 2))
        self.edit.setFixedWidth(width + _FRAME_PIXELS)
        self.edit.setAccessibleName("Page number")
        self.edit.setToolTip("Current page: type a page number and press Enter (Ctrl+G)")
        # Nothing to paste or drag in a page number; the room's rules refuse the menu anyway.
        self.edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.edit.setDragEnabled(False)
        self.edit.installEventFilter(self)
        self.total = QLabel(f"of {self._page_count}", self)
        self.total.setObjectName("pageCount")
        self.total.setAccessibleName("Page count")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(6)
        layout.addWidget(self.edit)
        layout.addWidget(self.total)
        # As wide as its contents: in a toolbar a plain widget would take all the spare room.
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def current_page(self) -> int:
        """The 0-based page the field shows when the reader is not typing."""
        return self._current

    def set_current_page(self, index: int) -> None:
        """Show page ``index`` (0-based), unless the reader is typing a number right now."""
        self._current = index
        if not (self.edit.hasFocus() and self.edit.isModified()):
            self.edit.setText(str(index + 1))

    def focus_and_select(self) -> None:
        """Put the caret in the field with the number selected, ready to be typed over."""
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Enter jumps (if the number is a page), Esc gives up; leaving restores the number."""
        if watched is not self.edit:
            return False
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._enter()
                return True
            if key == Qt.Key.Key_Escape:
                self._restore()
                self.entry_finished.emit()
                return True
        elif event.type() == QEvent.Type.FocusOut:
            self._restore()
        return False

    def _enter(self) -> None:
        text = self.edit.text().strip()
        if not (text.isdigit() and 1 <= int(text) <= self._page_count):
            # Out of range or empty: show where we are rather than guess what was meant.
            self._restore()
            self.edit.selectAll()
            return
        self._restore()
        self.page_entered.emit(int(text) - 1)
        self.entry_finished.emit()

    def _restore(self) -> None:
        self.edit.setText(str(self._current + 1))
