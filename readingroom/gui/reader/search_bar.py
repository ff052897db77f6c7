"""The search bar: the reader's query, its options, previous/next and a count. Never a snippet."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QMenu, QToolButton, QWidget

from readingroom.viewing.text_search import SearchOptions

# The reader's own query is not document text, but cap it: it goes to the audit log.
MAX_QUERY_CHARS = 200


class SearchBar(QWidget):
    """Query field, an options menu (Match case, Whole words), previous/next/close, a hit count.

    Changing an option runs the current query again, as Okular does.
    """

    search_requested = Signal(str)
    next_requested = Signal()
    previous_requested = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        """Build the bar (hidden until Ctrl+F)."""
        super().__init__(parent)
        self.query_edit = QLineEdit(self)
        self.query_edit.setPlaceholderText("Search the document")
        self.query_edit.setAccessibleName("Search query")
        self.query_edit.setMaxLength(MAX_QUERY_CHARS)
        self.query_edit.setClearButtonEnabled(True)
        # The query field must not become a way to paste or drag things around.
        self.query_edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.query_edit.setDragEnabled(False)
        self.previous_button = QToolButton(self)
        self.previous_button.setText("Previous")
        self.previous_button.setAccessibleName("Previous hit")
        self.next_button = QToolButton(self)
        self.next_button.setText("Next")
        self.next_button.setAccessibleName("Next hit")
        self.close_button = QToolButton(self)
        self.close_button.setText("Close")
        self.close_button.setAccessibleName("Close search")
        # The options live in a menu on one button, as in Okular, so the bar stays narrow.
        self.match_case = QAction("Match case", self)
        self.whole_words = QAction("Whole words", self)
        self.options_button = QToolButton(self)
        self.options_button.setText("Options")
        self.options_button.setAccessibleName("Search options")
        self.options_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.options_button)
        for action, key in ((self.match_case, Qt.Key.Key_C), (self.whole_words, Qt.Key.Key_W)):
            action.setCheckable(True)
            action.setShortcut(QKeySequence(Qt.KeyboardModifier.AltModifier | key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.toggled.connect(self._options_changed)
            menu.addAction(action)
            self.addAction(action)  # Alt+C / Alt+W work while the caret is in the query
        self.options_button.setMenu(menu)
        self.status_label = QLabel(self)
        self.status_label.setAccessibleName("Search status")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.query_edit, 1)
        layout.addWidget(self.options_button)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.status_label)
        layout.addWidget(self.close_button)
        self.query_edit.returnPressed.connect(self._submit)
        self.next_button.clicked.connect(self.next_requested)
        self.previous_button.clicked.connect(self.previous_requested)
        self.close_button.clicked.connect(self._close)
        self._submitted = ""

    def open(self) -> None:
        """Show the bar and put the caret in the query, text selected for retyping."""
        self.show()
        self.query_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query_edit.selectAll()

    def query(self) -> str:
        """The query as typed."""
        return self.query_edit.text()

    def options(self) -> SearchOptions:
        """The options as ticked."""
        return SearchOptions(
            match_case=self.match_case.isChecked(), whole_words=self.whole_words.isChecked()
        )

    def set_status(self, text: str) -> None:
        """Show a status such as "4 hits on 3 pages" (numbers only)."""
        self.status_label.setText(text)

    def _submit(self) -> None:
        query = self.query_edit.text().strip()
        if query and query == self._submitted:
            # Enter on an unchanged query steps to the next hit, as in Okular and Evince.
            self.next_requested.emit()
            return
        self._submitted = query
        self.search_requested.emit(query)

    def _options_changed(self) -> None:
        ticked = [a.text() for a in (self.match_case, self.whole_words) if a.isChecked()]
        self.options_button.setText(", ".join(ticked) if ticked else "Options")
        if self._submitted:
            self.search_requested.emit(self._submitted)

    def forget_query(self) -> None:
        """Make the next Enter run the search again."""
        self._submitted = ""

    def _close(self) -> None:
        self.hide()
        self.closed.emit()
