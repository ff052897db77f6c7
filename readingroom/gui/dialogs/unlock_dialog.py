"""Asks for the reader's passphrase, tries it off the UI thread, and slows down failures."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from readingroom.errors import CannotUnlock, ReadingRoomError
from readingroom.gui.background_task import BackgroundTask
from readingroom.viewing.open_session import Cancelled, Progress

MAX_DELAY_SECONDS = 30.0
# After this many wrong passphrases the dialog gives up (fail closed): the reader starts the
# viewer again, which is itself recorded. With the growing delay that is over a minute of waiting.
MAX_ATTEMPTS = 8
# Below this a file opens too fast for a bar to mean anything; the step text is enough.
BAR_MIN_BYTES = 4 * 1024 * 1024
BAR_STEPS = 1000
# Wide enough that the heading and the progress steps fit on a line or two; the height is then
# fitted to the wrapped text after every change (see ``_fit``), so nothing is ever clipped.
MIN_WIDTH = 460
COUNTDOWN_TICK_MS = 250


def growing_delay(failures: int) -> float:
    """Seconds to wait after the ``failures``-th failure: 1, 2, 4, 8 ... capped at 30."""
    if failures <= 0:
        return 0.0
    return min(2.0 ** (failures - 1), MAX_DELAY_SECONDS)


def _no_discard(_result: object) -> None:
    return None


class UnlockDialog(QDialog):
    """A passphrase prompt around an ``attempt`` that runs on a worker thread.

    ``attempt(secret, progress)`` does the real work (opening the review file, or proving the
    factor again after an idle lock), zeroes ``secret`` and returns its result; its progress is
    shown under the field (a bar for large files) while the window stays responsive. A
    :class:`~readingroom.errors.CannotUnlock` is shown with its safe message, reported through
    ``attempt_failed`` and the Unlock button is held back for a growing delay. Any other failure
    is final: ``refused`` is emitted and the dialog closes. Cancel during an attempt stops it at
    its next progress report; a result that arrives anyway goes to ``discard``.
    """

    unlocked = Signal(object)  # what attempt() returned
    attempt_failed = Signal(object)  # the CannotUnlock, for the audit log's category
    refused = Signal(object)  # the final ReadingRoomError

    def __init__(
        self,
        attempt: Callable[[bytearray, Progress], object],
        *,
        heading: str,
        key_note: str = "",
        delay_for: Callable[[int], float] = growing_delay,
        discard: Callable[[object], None] = _no_discard,
        ask_secret: bool = True,
        max_attempts: int = MAX_ATTEMPTS,
        title: str = "Unlock review file",
        action_text: str = "Unlock",
        failure_text: Callable[[CannotUnlock], str] = str,
        facts: tuple[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Build the dialog.

        Args:
            attempt: called on a worker with the passphrase (UTF-8, zeroed by it) and a
                progress callable; raises ReadingRoomError.
            heading: a fixed sentence (the viewer's own, or sanitised file text).
            key_note: a line saying which workstation key is used, if any.
            delay_for: seconds to hold the button after the n-th failure.
            discard: receives a result that arrived after Cancel (to zero it).
            ask_secret: False when there is nothing the reader could type (the heading says
                why); only Close is offered.
            max_attempts: failures after which the last one is final (``refused``).
            title: the window title.
            action_text: the button that tries the passphrase ("Resume reading" at an idle lock).
            failure_text: the plain sentence shown for a failed attempt (its safe message).
            facts: what is being opened, from the file's public header (its label, then who
                signed it and until when it is readable), already sanitised; shown on top.
            parent: the window to centre on.
        """
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(MIN_WIDTH)
        self._attempt = attempt
        self._delay_for = delay_for
        self._discard = discard
        self._failures = 0
        self._max_attempts = max(1, max_attempts)
        self._failure_text = failure_text
        self._task: BackgroundTask | None = None
        self._stopped = False
        self._heading = _plain_label(heading, self)
        self._passphrase = QLineEdit(self)
        self._passphrase.setObjectName("passphrase")
        self._passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self._passphrase.setAccessibleName("Passphrase")
        self._passphrase.setPlaceholderText("Passphrase")
        self._error = _plain_label("", self)
        self._error.setObjectName("unlockError")
        self._error.setVisible(False)
        # "Attempt 2 of 8" and, while held back, "Try again in 4 s": the reader sees why the
        # field is greyed out and for how long.
        self._attempts = _plain_label("", self)
        self._attempts.setObjectName("unlockAttempts")
        self._attempts.setVisible(False)
        self._status = _plain_label("", self)
        self._status.setObjectName("unlockStatus")
        self._status.setWordWrap(False)  # one short fixed step; it must not resize the dialog
        self._status.setVisible(False)
        self._bar = QProgressBar(self)
        self._bar.setObjectName("unlockProgress")
        self._bar.setRange(0, BAR_STEPS)
        self._bar.setVisible(False)
        buttons = QDialogButtonBox(self)
        self._unlock = QPushButton(action_text, self)
        self._unlock.setDefault(True)
        buttons.addButton(self._unlock, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        # AcceptRole would close the dialog; the unlock decides itself when to accept.
        buttons.accepted.connect(self.try_unlock)
        buttons.rejected.connect(self.reject)
        self._hold, self._countdown = self._make_timers()
        self._facts = [_plain_label(line, self) for line in facts or ()]
        for name, label in zip(("unlockLabel", "unlockFacts"), self._facts, strict=False):
            label.setObjectName(name)
        self._lay_out(key_note, buttons)
        if not ask_secret:
            self._passphrase.setVisible(False)
            self._unlock.setVisible(False)
            cancel.setText("Close")

    def _make_timers(self) -> tuple[QTimer, QTimer]:
        hold = QTimer(self)
        hold.setSingleShot(True)
        hold.timeout.connect(self._release)
        countdown = QTimer(self)
        countdown.setInterval(COUNTDOWN_TICK_MS)
        countdown.timeout.connect(self._show_attempts)
        return hold, countdown

    def _lay_out(self, key_note: str, buttons: QDialogButtonBox) -> None:
        layout = QVBoxLayout(self)
        # Word-wrapped labels need a height that depends on the width, which a window's minimum
        # size does not follow by itself: ``_fit`` grows the dialog after every change of text.
        for label in self._facts:
            layout.addWidget(label)
        layout.addWidget(self._heading)
        if key_note:
            layout.addWidget(_plain_label(key_note, self))
        widgets = (self._passphrase, self._error, self._attempts, self._status, self._bar, buttons)
        for widget in widgets:
            layout.addWidget(widget)
        layout.addStretch(1)
        self._fit()

    def _fit(self) -> None:
        """Grow (never shrink below) to the height the wrapped text needs at the current width."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        width = max(self.width(), self.minimumWidth())
        needed = self.heightForWidth(width)
        if needed > 0:
            self.setMinimumHeight(needed)
            if self.height() < needed:
                self.resize(width, needed)

    def facts_text(self) -> list[str]:
        """The public facts shown on top (label, then publisher and reading period)."""
        return [label.text() for label in self._facts]

    def failures(self) -> int:
        """How many attempts failed so far."""
        return self._failures

    def is_held(self) -> bool:
        """True while a failure delay keeps the Unlock button disabled."""
        return self._hold.isActive()

    def is_busy(self) -> bool:
        """True while an attempt runs on its worker."""
        return self._task is not None

    def show_error(self, message: str) -> None:
        """Show a safe error message (``str(error)``) above the buttons."""
        self._error.setText(message)
        self._error.setVisible(True)
        self._fit()

    def error_text(self) -> str:
        """The error shown now ("" when none)."""
        return self._error.text() if self._error.isVisible() else ""

    def attempts_text(self) -> str:
        """The attempt count and countdown shown now ("" before the first failure)."""
        return self._attempts.text() if self._attempts.isVisible() else ""

    def status_text(self) -> str:
        """The progress step shown now ("" when idle)."""
        return self._status.text() if self._status.isVisible() else ""

    def set_passphrase(self, text: str) -> None:
        """Fill the field, as a reader typing would (tests, accessibility tools)."""
        self._passphrase.setText(text)

    def try_unlock(self) -> None:
        """Start an attempt with the passphrase in the field; the field is cleared at once."""
        if self.is_held() or self.is_busy():
            return
        # The QLineEdit's own text is an immutable string (best effort, as for any Qt field);
        # the copy handed to the attempt is a buffer that the attempt zeroes.
        secret = bytearray(self._passphrase.text(), "utf-8")
        self._passphrase.clear()
        self._error.setVisible(False)
        self._set_busy(True)
        task = BackgroundTask(lambda progress: self._attempt(secret, progress), self)
        task.progressed.connect(self._progressed)
        task.succeeded.connect(self._succeeded)
        task.failed.connect(self._attempt_ended_in_error)
        self._task = task
        task.start()

    def reject(self) -> None:
        """Cancel: stop a running attempt first (the dialog closes when it has stopped)."""
        if self._task is not None:
            self._task.cancel()
            self._show_step("Cancelling\u2026", 0, 0)
            return
        super().reject()

    def stop_now(self) -> None:
        """Cancel and wait for a running attempt (the viewer is being stopped), then close."""
        self._stopped = True  # an outcome still queued from the worker is dropped
        task = self._task
        if task is not None:
            task.cancel()
            task.wait()
            self._task = None
            self._set_busy(False)
        super().reject()

    def _set_busy(self, busy: bool) -> None:
        self._unlock.setEnabled(not busy)
        self._passphrase.setEnabled(not busy)
        if not busy:
            self._status.setVisible(False)
            self._bar.setVisible(False)

    def _progressed(self, step: str, done: int, total: int) -> None:
        if self._task is not None and not self._task.cancel_requested():
            self._show_step(step, done, total)

    def _show_step(self, step: str, done: int, total: int) -> None:
        self._status.setText(step)
        self._status.setVisible(True)
        if total >= BAR_MIN_BYTES:
            self._bar.setValue(int(BAR_STEPS * done / total))
            self._bar.setVisible(True)

    def _finished_task(self) -> bool:
        """Forget the finished task; True when the reader had cancelled it."""
        task, self._task = self._task, None
        self._set_busy(False)
        if task is not None:
            task.wait()
            task.deleteLater()
        return task is not None and task.cancel_requested()

    # The worker's outcome arrives as a queued call *on this dialog*; whoever receives our
    # signals may drop the last reference to it, and a QObject must not be deleted inside its
    # own event. So the outcome is handled one turn of the event loop later.

    def _succeeded(self, result: object) -> None:
        QTimer.singleShot(0, lambda: self._deliver_success(result))

    def _attempt_ended_in_error(self, error: Exception) -> None:
        QTimer.singleShot(0, lambda: self._deliver_error(error))

    def _deliver_success(self, result: object) -> None:
        cancelled = self._finished_task()
        if self._stopped:
            self._discard(result)
            return
        if cancelled:
            self._discard(result)
            super().reject()
            return
        self.unlocked.emit(result)
        self.accept()

    def _deliver_error(self, error: Exception) -> None:
        cancelled = self._finished_task()
        if self._stopped:
            return
        if cancelled or isinstance(error, Cancelled):
            super().reject()
            return
        if isinstance(error, CannotUnlock):
            self._failed(error)
            return
        # Anything else is final; a bug is shown as the generic safe message, never its text.
        self.refused.emit(error if isinstance(error, ReadingRoomError) else ReadingRoomError())
        super().reject()

    def _failed(self, error: CannotUnlock) -> None:
        self._failures += 1
        self.attempt_failed.emit(error)
        if self._failures >= self._max_attempts:
            # The last attempt failed: final, as any other refusal (the caller says so).
            self.refused.emit(error)
            super().reject()
            return
        self.show_error(self._failure_text(error))
        delay = self._delay_for(self._failures)
        if delay > 0:
            self._unlock.setEnabled(False)
            self._passphrase.setEnabled(False)
            self._hold.start(int(delay * 1000))
            self._countdown.start()
        self._show_attempts()
        self._passphrase.setFocus()

    def _show_attempts(self) -> None:
        text = f"Attempt {self._failures + 1} of {self._max_attempts}"
        if self._hold.isActive():
            # A coarse timer may report a little more than it was started with; never show that.
            left_ms = min(self._hold.interval(), max(0, self._hold.remainingTime()))
            text += f". Try again in {max(1, math.ceil(left_ms / 1000))} s"
        self._attempts.setText(text + ".")
        self._attempts.setVisible(True)
        self._fit()

    def _release(self) -> None:
        self._countdown.stop()
        self._unlock.setEnabled(True)
        self._passphrase.setEnabled(True)
        self._show_attempts()
        self._passphrase.setFocus()


def _plain_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label
