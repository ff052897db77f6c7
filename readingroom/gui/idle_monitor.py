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
# The warning comes this long before the lock ("Move the mouse to keep reading"), or halfway
# through when the whole interval is shorter than twice that.
WARNING_BEFORE_MS = 60_000


class IdleMonitor(QObject):
    """Emits ``idle_timed_out`` once after ``interval_ms`` without user input.

    Install it as an application event filter. It is single-shot: after it fires it stays quiet
    until :meth:`restart` (the viewer restarts it once the reader has unlocked again).
    ``idle_warning`` comes :data:`WARNING_BEFORE_MS` before the lock; ``warning_withdrawn``
    when input arrives after it (the count starts again).
    """

    idle_timed_out = Signal()
    idle_warning = Signal()
    warning_withdrawn = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        """Watch for ``interval_ms`` of inactivity; call :meth:`restart` to begin."""
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, interval_ms))
        self._timer.timeout.connect(self._timed_out)
        interval = self._timer.interval()
        self._warning = QTimer(self)
        self._warning.setSingleShot(True)
        self._warning.setInterval(max(1, interval - min(WARNING_BEFORE_MS, interval // 2)))
        self._warning.timeout.connect(self._warn)
        self._armed = False
        self._warned = False

    def restart(self) -> None:
        """Start (or start again) counting from now."""
        self._armed = True
        self._count_again()

    def stop(self) -> None:
        """Stop counting (the session is locked or over)."""
        self._armed = False
        self._timer.stop()
        self._warning.stop()
        self._withdraw()

    def interval_ms(self) -> int:
        """The inactivity, in milliseconds, after which ``idle_timed_out`` fires."""
        return self._timer.interval()

    def warning_interval_ms(self) -> int:
        """The inactivity, in milliseconds, after which ``idle_warning`` fires."""
        return self._warning.interval()

    def is_warning(self) -> bool:
        """True between ``idle_warning`` and the next input (or the lock)."""
        return self._warned

    def is_counting(self) -> bool:
        """True while an idle lock is pending."""
        return self._timer.isActive()

    def _timed_out(self) -> None:
        # Disarm first: input while the lock dialog is up must not start a second countdown.
        self._armed = False
        self._warning.stop()
        self._withdraw()
        self.idle_timed_out.emit()

    def _warn(self) -> None:
        if self._armed and not self._warned:
            self._warned = True
            self.idle_warning.emit()

    def _withdraw(self) -> None:
        if self._warned:
            self._warned = False
            self.warning_withdrawn.emit()

    def _count_again(self) -> None:
        self._timer.start()
        self._warning.start()
        self._withdraw()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Any input restarts the count while armed; events are never consumed."""
        if self._armed and event.type() in _ACTIVITY:
            self._count_again()
        return False
