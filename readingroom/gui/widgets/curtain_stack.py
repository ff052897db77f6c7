"""The window's centre: the page, or the curtain instead of it while any reason to cover holds."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QStackedWidget, QWidget

from readingroom.gui.widgets.curtain import Curtain


class Cover(Enum):
    """Why the curtain is up; the most serious reason (lowest value) chooses the message."""

    ENDED = 0
    IDLE = 1
    AWAY = 2


class CurtainStack(QStackedWidget):
    """Swaps the page for the curtain, and back once no reason remains.

    Swap, do not overlay: no page pixel stays part of the window while the curtain is up.
    """

    def __init__(self, page: QWidget, parent: QWidget | None = None) -> None:
        """Hold ``page`` (the reading surface) and a curtain, showing the page."""
        super().__init__(parent)
        self._page = page
        self.curtain = Curtain(self)
        self._covers: dict[Cover, tuple[str, bool]] = {}
        self._focus_before: QWidget | None = None
        self.addWidget(page)
        self.addWidget(self.curtain)

    def is_covered(self) -> bool:
        """True while the curtain hides the page."""
        return self.currentWidget() is self.curtain

    def has_cover(self, reason: Cover) -> bool:
        """True while ``reason`` holds."""
        return reason in self._covers

    def cover(self, reason: Cover, message: str, *, closable: bool = False) -> None:
        """Put the curtain up for ``reason`` with ``message`` (a fixed viewer sentence)."""
        self._covers[reason] = (message, closable)
        focused = QApplication.focusWidget()
        if focused is not None and not self.is_covered() and self._page.isAncestorOf(focused):
            # Hiding the page moves the keyboard elsewhere (the page field); bring it back after.
            self._focus_before = focused
        self._show_message()
        self.setCurrentWidget(self.curtain)
        if closable:
            # The page (and with it the keyboard) is gone for good: Enter or Escape closes.
            self.curtain.take_focus()
        self.curtain.repaint()

    def uncover(self, reason: Cover) -> None:
        """Drop ``reason``; show the page again if no other reason holds."""
        self._covers.pop(reason, None)
        if self._covers:
            self._show_message()
            return
        self.setCurrentWidget(self._page)
        if self._focus_before is not None and self._focus_before.isVisible():
            self._focus_before.setFocus(Qt.FocusReason.OtherFocusReason)
        self._focus_before = None

    def _show_message(self) -> None:
        message, closable = self._covers[min(self._covers, key=lambda c: c.value)]
        self.curtain.set_message(message, closable=closable)
