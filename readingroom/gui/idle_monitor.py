"""Notices when the reader has stopped using the viewer."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

# Only what a person does counts as activity; paints, timers and focus changes do not.
_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class IdleMonitor(QObject):
    """Emits ``idle_timed_out`` once after ``interval_ms`` without user input.

    Install it as an application event filter. It is single-shot: after it fires it stays quiet
    until :meth:`restart` (the viewer restarts it once the reader has unlocked again).
    """

    idle_timed_out = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        """Watch for ``interval_ms`` of inactivity; call :meth:`restart` to begin."""
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, interval_ms))
        self._timer.timeout.connect(self._timed_out)
        self._armed = False

    def restart(self) -> None:
        """Start (or start again) counting from now."""
        self._armed = True
        self._timer.start()

    def stop(self) -> None:
        """Stop counting (the session is locked or over)."""
        self._armed = False
        self._timer.stop()

    def interval_ms(self) -> int:
        """The inactivity, in milliseconds, after which ``idle_timed_out`` fires."""
        return self._timer.interval()

    def is_counting(self) -> bool:
        """True while an idle lock is pending."""
        return self._timer.isActive()

    def _timed_out(self) -> None:
        # Disarm first: input while the lock dialog is up must not start a second countdown.
        self._armed = False
        self.idle_timed_out.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Any input restarts the count while armed; events are never consumed."""
        if self._armed and event.type() in _ACTIVITY:
            self._timer.start()
        return False
