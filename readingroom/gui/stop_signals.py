"""Termination signals (SIGTERM, SIGINT, SIGHUP) as a Qt signal, so a stop ends the session.

A logout, ``kill`` or ``timeout`` stops the viewer with a signal. Python runs its signal handlers
only between bytecodes, and while Qt's event loop waits in C++ no Python runs at all; so the
handler's real work is done by the C-level wakeup: Python writes the signal number to a socket
(``signal.set_wakeup_fd``), a ``QSocketNotifier`` wakes the event loop, and the viewer then ends
the session the way closing the window does (recorded as ``session_ended``, reason "closed"),
rather than leaving it to crash recovery on the next start. POSIX only.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import threading
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier, Signal

STOP_SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP")


def _ignore(_signum: int, _frame: FrameType | None) -> None:
    """The Python-level handler: nothing to do here, the wakeup byte carries the signal."""


class StopSignals(QObject):
    """Emits ``stop_signal_received(signum)`` in the event loop for each termination signal."""

    stop_signal_received = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        """Take over the stop signals; call :meth:`close` to give them back."""
        super().__init__(parent)
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_wakeup = signal.set_wakeup_fd(
            self._writer.fileno(), warn_on_full_buffer=False
        )
        self._previous: dict[signal.Signals, object] = {}
        for name in STOP_SIGNALS:
            number = getattr(signal, name, None)
            if isinstance(number, signal.Signals):
                self._previous[number] = signal.signal(number, _ignore)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)

    @classmethod
    def install(cls, parent: QObject | None = None) -> StopSignals | None:
        """A :class:`StopSignals` on POSIX in the main thread; None where that cannot be done."""
        if os.name != "posix" or threading.current_thread() is not threading.main_thread():
            return None
        return cls(parent)

    def close(self) -> None:
        """Give the signals back their previous handlers and close the socket pair."""
        self._notifier.setEnabled(False)
        for number, previous in self._previous.items():
            with contextlib.suppress(TypeError, ValueError):
                signal.signal(number, previous)  # type: ignore[arg-type]
        self._previous = {}
        signal.set_wakeup_fd(self._previous_wakeup)
        self._reader.close()
        self._writer.close()

    def _woken(self) -> None:
        try:
            received = self._reader.recv(64)
        except (BlockingIOError, InterruptedError):
            return
        # Only our signals matter; the wakeup fd also carries any other handled signal.
        wanted = {int(number) for number in self._previous}
        for number in received:
            if number in wanted:
                self.stop_signal_received.emit(number)
