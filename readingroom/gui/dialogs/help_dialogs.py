"""The Help menu's two boxes: the keyboard shortcuts and "About this reading room".

The shortcuts are read from the window's own actions (every action that has a shortcut, walked
from the window down), so the list cannot drift from what the keys really do; the page keys
that the page view handles itself are listed after them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

SHORTCUTS_TITLE = "Keyboard shortcuts"
ABOUT_TITLE = "About this reading room"

# Keys the page view handles in keyPressEvent (see gui/reader/page_keys.py), not actions.
PAGE_KEYS = (
    ("Page Down, Space", "Next screenful"),
    ("Page Up, Shift+Space", "Previous screenful"),
    ("Home, End", "First page, last page"),
    ("Up, Down", "Scroll a little"),
    ("Left, Right", "Scroll sideways, or previous/next page"),
    ("Ctrl+wheel", "Zoom in or out"),
)

ABOUT_TEXT = (
    "You are reading a restricted document in a reading room. The pages are shown as pictures: "
    "they cannot be copied, printed, saved or dragged out, and every page carries your name "
    "and this session's code.\n\n"
    "This reading room keeps a record of your session for the people responsible for the "
    "document. It records: who opened which document, on which computer and when; each page "
    "you looked at and for how long, and at which zoom; each search you ran and the words you "
    "searched for; each attempt to copy, print, save, take a screenshot, drag or open a link, "
    "which is refused; when you left the reading room's window and came back; when the "
    "session was locked after a period of inactivity and unlocked again, including wrong "
    "passphrases; and when and why the session ended.\n\n"
    "It does not record what you type anywhere else, nor take pictures of your screen. "
    "Changes to the record are detected when it is checked."
)


def shortcut_rows(window: QWidget) -> list[tuple[str, str]]:
    """(keys, what they do) for every action of ``window`` with a shortcut, then the page keys."""
    rows: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for action in window.findChildren(QAction):
        text = action.text().replace("&", "").rstrip("\u2026").strip()
        names = [
            sequence.toString(QKeySequence.SequenceFormat.NativeText)
            for sequence in action.shortcuts()
            if not sequence.isEmpty()
        ]
        # A platform binding may be a keyboard's own key named like the action ("Close").
        keys = ", ".join(name for name in names if name.casefold() != text.casefold())
        if keys and text and (keys, text) not in seen:
            seen.add((keys, text))
            rows.append((keys, text))
    rows.sort(key=lambda row: row[1].casefold())
    return rows + list(PAGE_KEYS)


class ShortcutsDialog(QDialog):
    """Two aligned columns: the keys, and what they do (plain labels: the viewer's own words)."""

    def __init__(self, window: QWidget) -> None:
        """List :func:`shortcut_rows` of ``window``."""
        super().__init__(window)
        self.setObjectName("shortcutsBox")
        self.setWindowTitle(SHORTCUTS_TITLE)
        self.rows = shortcut_rows(window)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        for row, (keys, text) in enumerate(self.rows):
            for column, words in enumerate((keys, text)):
                label = QLabel(words, self)
                label.setTextFormat(Qt.TextFormat.PlainText)
                label.setObjectName("shortcutKeys" if column == 0 else "shortcutAction")
                grid.addWidget(label, row, column)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(buttons)

    def listed_text(self) -> str:
        """Every row as "keys: action", one a line (what the reader sees, for tests)."""
        return "\n".join(f"{keys}: {text}" for keys, text in self.rows)


def shortcuts_box(window: QWidget) -> ShortcutsDialog:
    """The keyboard shortcuts dialog for ``window`` (not yet shown)."""
    return ShortcutsDialog(window)


def about_box(window: QWidget) -> QMessageBox:
    """A box saying, in plain words, what this reading room does and records."""
    box = QMessageBox(window)
    box.setObjectName("aboutBox")
    box.setWindowTitle(ABOUT_TITLE)
    box.setIcon(QMessageBox.Icon.Information)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(ABOUT_TITLE)
    box.setInformativeText(ABOUT_TEXT)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    return box
