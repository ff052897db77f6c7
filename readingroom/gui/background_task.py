"""Runs one slow, Qt-free job off the UI thread and reports back as signals.

The job is a plain function of a ``progress(step, done, total)`` callable (the viewing use
case's shape); this QThread re-emits that progress as ``progressed`` on the UI thread, then
``succeeded(result)`` or ``failed(exception)``. :meth:`cancel` makes the next progress call
raise :class:`~readingroom.viewing.open_session.Cancelled`, which the job lets through; a step
that reports nothing (scrypt) finishes first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal

from readingroom.viewing.open_session import Cancelled, Progress


class BackgroundTask(QThread):
    """One job on its own thread; signals arrive on the thread that created the task."""

    progressed = Signal(str, int, int)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception the job raised

    def __init__(self, job: Callable[[Progress], object], parent: QObject | None = None) -> None:
        """Prepare the job; :meth:`start` runs it."""
        super().__init__(parent)
        self._job = job
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the job to stop at its next progress report."""
        self._cancel.set()

    def cancel_requested(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self._cancel.is_set()

    def run(self) -> None:
        """The worker thread's body (Qt calls it)."""
        try:
            result = self._job(self._report)
        except Exception as error:
            # Every failure goes back to the UI thread, without the frames (and whatever their
            # locals held) that its traceback would keep alive.
            self.failed.emit(error.with_traceback(None))
            return
        self.succeeded.emit(result)

    def _report(self, step: str, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled
        self.progressed.emit(step, done, total)
