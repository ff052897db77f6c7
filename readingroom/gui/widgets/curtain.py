"""The privacy curtain: what the page area shows when the page must not be visible."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class Curtain(QWidget):
    """An opaque panel with one fixed message, shown instead of the page.

    The viewer swaps it in (rather than painting over the page) so that no page pixel is part of
    the window while it is up: a task-switcher thumbnail or a ``grab()`` sees only the curtain.
    Its messages are the viewer's own fixed sentences, never document text.
    """

    close_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        """Build the curtain with an empty message and a hidden Close button."""
        super().__init__(parent)
        self.setObjectName("curtain")
        # Opaque on every platform, even before a style sheet is applied.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        self._message = QLabel(self)
        self._message.setObjectName("curtainMessage")
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setWordWrap(True)
        self._message.setTextFormat(Qt.TextFormat.PlainText)
        self._close = QPushButton("Close", self)
        self._close.setObjectName("curtainClose")
        self._close.setVisible(False)
        self._close.clicked.connect(self.close_clicked)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self._message)
        layout.addWidget(self._close, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def message(self) -> str:
        """The sentence currently shown."""
        return self._message.text()

    def set_message(self, text: str, *, closable: bool = False) -> None:
        """Show ``text`` (a fixed viewer sentence) and, if ``closable``, a Close button."""
        self._message.setText(text)
        self._close.setVisible(closable)
