"""Keeps one top-level window full screen and open, as a kiosk workstation needs.

In kiosk mode the reader must not reach the desktop: the reading window and the chooser have no
frame to drag or resize, stay full screen whatever asks them to leave it (a window manager's
maximise/minimise/restore, a key that toggles full screen), and refuse every close request,
including Alt+F4 from a window manager, until the viewer itself permits it because the session
has ended. The guard is an event filter, so it works the same on the window it guards whatever
that window's class does with its own events.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget


class KioskGuard(QObject):
    """Makes ``window`` frameless, keeps it full screen, refuses closing until permitted."""

    close_refused = Signal()

    def __init__(self, window: QWidget) -> None:
        """Guard ``window`` (call before it is first shown; show it with ``showFullScreen``)."""
        super().__init__(window)
        self._window = window
        self._close_permitted = False
        window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        window.installEventFilter(self)

    def permit_close(self) -> None:
        """Let the next close request through (the session is over)."""
        self._close_permitted = True

    def forbid_close(self) -> None:
        """Refuse close requests again (the window is reused, as the chooser is)."""
        self._close_permitted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Refuse close requests; put the window back to full screen if it left it."""
        if watched is not self._window:
            return False
        kind = event.type()
        if kind == QEvent.Type.Close and not self._close_permitted:
            # Ignoring is what keeps the window: QWidget::close() checks the accepted flag.
            event.ignore()
            self.close_refused.emit()
            return True
        if kind == QEvent.Type.WindowStateChange and self._left_full_screen():
            # Later, not now: a state change in the middle of delivering one is lost.
            QTimer.singleShot(0, self._back_to_full_screen)
        return False

    def _left_full_screen(self) -> bool:
        window = self._window
        return window.isVisible() and (not window.isFullScreen() or window.isMinimized())

    def _back_to_full_screen(self) -> None:
        if self._left_full_screen():
            self._window.setWindowState(Qt.WindowState.WindowFullScreen)
            self._window.showFullScreen()
