"""The kiosk's home screen: "Reading room — insert or choose a review file"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from readingroom.display_text import display_text
from readingroom.review_folder import FolderListing, entry_lines

CHOOSER_TITLE = "Reading room \u2014 insert or choose a review file"


class ReviewChooser(QWidget):
    """Lists the review folder's files; choosing one emits ``review_chosen(path)``.

    Each file shows its public facts (``review_folder.entry_lines``) before anyone types a
    passphrase; a damaged, expired or not-yet-readable file is greyed out and cannot be chosen.
    It lists through ``list_files`` (which reads public headers only) each time it is refreshed:
    when shown again after a session and when the reader chooses Refresh (F5), since the folder
    may be a removable drive. Every string it shows is already sanitised by the listing.
    """

    review_chosen = Signal(object)  # pathlib.Path of the chosen file
    refreshed = Signal()

    def __init__(
        self,
        list_files: Callable[[], FolderListing],
        *,
        workstation: str = "",
        parent: QWidget | None = None,
    ) -> None:
        """Build the screen; call :meth:`refresh` to fill it."""
        super().__init__(parent)
        self.setObjectName("reviewChooser")
        # A plain QWidget paints a style sheet background only when asked to.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setWindowTitle(CHOOSER_TITLE)
        self._list_files = list_files
        self._listing = FolderListing(None, ())

        heading = QLabel("Reading room", self)
        heading.setObjectName("chooserHeading")
        where = display_text(workstation, max_chars=80)
        prompt = "Insert or choose a review file to read."
        subheading = QLabel(f"{where}. {prompt}" if where else prompt, self)
        subheading.setObjectName("chooserPrompt")
        self._message = QLabel(self)
        self._message.setObjectName("chooserMessage")
        self._message.setWordWrap(True)
        self._list = QListWidget(self)
        self._list.setObjectName("reviewList")
        self._list.setAccessibleName("Review files")
        self._list.itemActivated.connect(lambda _item: self.open_selected())
        self._list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self._open = QPushButton("Open", self)
        self._open.setObjectName("chooserOpen")
        self._open.clicked.connect(self.open_selected)
        self._refresh = QPushButton("Refresh", self)
        self._refresh.setObjectName("chooserRefresh")
        self._refresh.clicked.connect(self.refresh)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh)
        for label in (heading, subheading, self._message):
            label.setTextFormat(Qt.TextFormat.PlainText)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self._refresh)
        buttons.addWidget(self._open)
        column = QVBoxLayout()
        column.addWidget(heading)
        column.addWidget(subheading)
        column.addWidget(self._message)
        column.addWidget(self._list, 1)
        column.addLayout(buttons)
        # A narrow column centred on a wide kiosk screen reads better than a full-width list.
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column, 4)
        outer.addStretch(1)

    def listing(self) -> FolderListing:
        """What the last refresh found."""
        return self._listing

    def message(self) -> str:
        """The sentence shown instead of files (missing folder, no files), or ""."""
        return self._message.text()

    def shown_lines(self) -> list[str]:
        """The lines of the list, top to bottom."""
        return [self._list.item(row).text() for row in range(self._list.count())]

    def refresh(self) -> None:
        """List the folder again."""
        self._listing = self._list_files()
        self._list.clear()
        for index, entry in enumerate(self._listing.entries):
            item = QListWidgetItem("\n".join(entry_lines(entry)), self._list)
            item.setData(Qt.ItemDataRole.UserRole, index)
            if not entry.choosable:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
        self._message.setText(self._listing.problem or "")
        self._message.setVisible(bool(self._listing.problem))
        first = next(
            (row for row, entry in enumerate(self._listing.entries) if entry.choosable), -1
        )
        self._list.setCurrentRow(first)
        self._list.setFocus()
        self._update_buttons()
        self.refreshed.emit()

    def choose(self, path: Path) -> None:
        """Choose ``path`` as if the reader had picked it (it must be in the listing)."""
        for entry in self._listing.entries:
            if entry.path == path and entry.choosable:
                self.review_chosen.emit(entry.path)
                return

    def open_selected(self) -> None:
        """Open the selected file (Enter, double-click or the Open button)."""
        item = self._list.currentItem()
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return
        index = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(index, int) and 0 <= index < len(self._listing.entries):
            self.choose(self._listing.entries[index].path)

    def _update_buttons(self) -> None:
        item = self._list.currentItem()
        self._open.setEnabled(item is not None and bool(item.flags() & Qt.ItemFlag.ItemIsEnabled))
