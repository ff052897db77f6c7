"""Notices when the reader leaves the application, for the privacy curtain.

Leaving means another application has the keyboard (the application is no longer active, or no
window of ours has focus), or the reading window is minimised or hidden. Moving between our own
windows is not leaving: the "Go to page" field, the idle-lock prompt or any other dialog of ours
keeps the application active, so the page stays visible behind it and nothing is recorded.

The platform decides when focus has left the application: Qt only reports the application
inactive once focus has gone to no window of ours (on X11 it waits for a FocusIn that may
follow a FocusOut), so handing focus from the window to its own dialog is not a flicker here.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import QWidget

_WINDOW_EVENTS = frozenset({QEvent.Type.Show, QEvent.Type.Hide, QEvent.Type.WindowStateChange})


class PresenceMonitor(QObject):
    """Emits ``reader_left`` and ``reader_returned`` as the reader leaves and comes back.

    It starts watching once the reader has been in the shown window: a window that opens a
    moment before the platform activates it (it always does, in the next few events) has not
    been left, and reporting that would write a focus_lost/focus_returned pair at every start.
    """

    reader_left = Signal()
    reader_returned = Signal()

    def __init__(self, window: QWidget) -> None:
        """Watch ``window`` (a top-level) and the application it belongs to."""
        super().__init__(window)
        self._window = window
        self._armed = False
        self._present = True
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        self._app_state = app.applicationState()
        app.applicationStateChanged.connect(self._state_changed)
        app.focusWindowChanged.connect(self._focus_window_changed)
        window.installEventFilter(self)

    def is_present(self) -> bool:
        """True while the reader is in the application and the window is on screen."""
        return self._present

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        # Kept from the signal rather than asked again: the platform said it, in this order.
        self._app_state = state
        self.update()

    def _focus_window_changed(self, _window: QWindow | None) -> None:
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Re-check on the window's show, hide and minimise; events are never consumed."""
        if watched is self._window and event.type() in _WINDOW_EVENTS:
            self.update()
        return False

    def update(self) -> None:
        """Compare where the reader is now with what was last reported, and report a change."""
        window = self._window
        present = (
            self._app_state == Qt.ApplicationState.ApplicationActive
            # Any focus window is one of ours: Qt knows only its own application's windows.
            and QGuiApplication.focusWindow() is not None
            and window.isVisible()
            and not window.isMinimized()
        )
        if not self._armed:
            self._armed = present
            return
        if present == self._present:
            return
        self._present = present
        if present:
            self.reader_returned.emit()
        else:
            self.reader_left.emit()
