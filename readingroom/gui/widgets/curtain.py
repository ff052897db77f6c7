"""The privacy curtain: what the page area shows when the page must not be visible."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

# Keys that close an ended session's curtain: the reader sees one screen with one button, so
# Enter (the button's action) and Escape (leaving) both mean "Close".
_CLOSE_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)


class Curtain(QWidget):
    """An opaque panel with one fixed message, shown instead of the page.

    The viewer swaps it in (rather than painting over the page) so that no page pixel is part of
    the window while it is up: a task-switcher thumbnail or a ``grab()`` sees only the curtain.
    Its messages are the viewer's own fixed sentences, never document text.

    Once the session has ended it also carries the session's summary (time read, pages seen) as
    its own text block below the message, and a Close button: the end of a session is this one
    screen, with no message box drawn over it.
    """

    close_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        """Build the curtain with an empty message and a hidden summary and Close button."""
        super().__init__(parent)
        self.setObjectName("curtain")
        # Opaque on every platform, even before a style sheet is applied.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        self._message = _sentence_label("curtainMessage", self)
        self._summary = _sentence_label("curtainSummary", self)
        self._summary.setVisible(False)
        self._close = QPushButton("Close", self)
        self._close.setObjectName("curtainClose")
        # Drawn as the default button: the one Enter presses once the session has ended.
        self._close.setDefault(True)
        self._close.setVisible(False)
        self._close.clicked.connect(self.close_clicked)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self._message)
        layout.addWidget(self._summary)
        layout.addSpacing(12)
        layout.addWidget(self._close, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def message(self) -> str:
        """The sentence currently shown."""
        return self._message.text()

    def summary(self) -> str:
        """The session's summary shown under the message ("" while there is none)."""
        return self._summary.text()

    def is_closable(self) -> bool:
        """True while the curtain offers Close (the session has ended)."""
        return not self._close.isHidden()

    def set_message(self, text: str, *, closable: bool = False) -> None:
        """Show ``text`` (a fixed viewer sentence) and, if ``closable``, a Close button."""
        self._message.setText(text)
        self._close.setVisible(closable)
        self._describe()

    def set_summary(self, text: str) -> None:
        """Show ``text`` (the viewer's own summary sentence) as a block under the message."""
        self._summary.setText(text)
        self._summary.setVisible(bool(text))
        self._describe()

    def take_focus(self) -> None:
        """Give the keyboard to the Close button (if shown), so Enter or Escape closes."""
        if self.is_closable():
            self._close.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Enter or Escape on an ended session's curtain closes it, as its button does."""
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if self.is_closable() and plain and event.key() in _CLOSE_KEYS:
            event.accept()
            self.close_clicked.emit()
            return
        super().keyPressEvent(event)

    def _describe(self) -> None:
        # What a screen reader announces for the panel: only the viewer's own sentences.
        self.setAccessibleName(self._message.text())
        self.setAccessibleDescription(self._summary.text())


def _sentence_label(name: str, parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    # Plain text: a sentence is never interpreted as markup, links or images.
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label
