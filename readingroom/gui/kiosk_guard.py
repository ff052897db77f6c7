"""Keeps one top-level window full screen and open, as a kiosk workstation needs.

In kiosk mode the reader must not reach the desktop: the reading window and the chooser have no
frame to drag or resize, stay full screen whatever asks them to leave it (a window manager's
maximise/minimise/restore, a key that toggles full screen), and refuse every close request,
including Alt+F4 from a window manager, until the viewer itself permits it because the session
has ended. The guard is an event filter, so it works the same on the window it guards whatever
that window's class does with its own events.

Full screen is a request to a window manager: without one (a bare X server, which is how many
kiosks run) nothing acts on it and the window keeps its own small size in a corner. So the guard
also sets the window's geometry to its screen's, from ``QScreen``, whenever the window is shown,
moved or resized, or the screen changes size; with a window manager that agrees, this changes
nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QWidget

# Events after which the window may no longer cover its screen.
_GEOMETRY_EVENTS = frozenset({QEvent.Type.Show, QEvent.Type.Move, QEvent.Type.Resize})


class KioskGuard(QObject):
    """Makes ``window`` frameless, keeps it full screen, refuses closing until permitted."""

    close_refused = Signal()

    def __init__(self, window: QWidget) -> None:
        """Guard ``window`` (call before it is first shown; show it with ``showFullScreen``)."""
        super().__init__(window)
        self._window = window
        self._close_permitted = False
        self._watched_screen: QScreen | None = None
        self._fill = QTimer(self)
        self._fill.setSingleShot(True)
        self._fill.setInterval(0)
        self._fill.timeout.connect(self.fill_screen)
        window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        window.installEventFilter(self)

    def screen_geometry(self) -> QRect:
        """The geometry of the screen the window is on (what it must cover)."""
        return self._window.screen().geometry()

    def fill_screen(self) -> None:
        """Give the window exactly its screen's geometry (a no-op when it already has it)."""
        window = self._window
        if not window.isVisible():
            return
        screen = window.screen()
        if screen is not self._watched_screen:
            # A screen that changes size (a monitor swapped, xrandr) must be covered again.
            if self._watched_screen is not None:
                self._watched_screen.geometryChanged.disconnect(self._fill.start)
            screen.geometryChanged.connect(self._fill.start)
            self._watched_screen = screen
        if window.geometry() != screen.geometry():
            window.setGeometry(screen.geometry())
        if not window.isFullScreen():
            # Setting a geometry leaves the full-screen state: ask for it again, so that a
            # window manager that honours it keeps the window above its panels.
            window.setWindowState(window.windowState() | Qt.WindowState.WindowFullScreen)

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
        if kind in _GEOMETRY_EVENTS:
            self._fill.start()
        return False

    def _left_full_screen(self) -> bool:
        window = self._window
        return window.isVisible() and (not window.isFullScreen() or window.isMinimized())

    def _back_to_full_screen(self) -> None:
        if self._left_full_screen():
            self._window.setWindowState(Qt.WindowState.WindowFullScreen)
            self._window.showFullScreen()
        self._fill.start()
