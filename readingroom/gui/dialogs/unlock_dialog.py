"""Asks for the reader's passphrase, tries it, and slows down repeated failures."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from readingroom.errors import CannotUnlock, ReadingRoomError

MAX_DELAY_SECONDS = 30.0


def growing_delay(failures: int) -> float:
    """Seconds to wait after the ``failures``-th failure: 1, 2, 4, 8 ... capped at 30."""
    if failures <= 0:
        return 0.0
    return min(2.0 ** (failures - 1), MAX_DELAY_SECONDS)


class UnlockDialog(QDialog):
    """A passphrase prompt around an ``attempt`` callable that raises the core's errors.

    ``attempt(passphrase)`` does the real work (opening the review file, or checking the
    passphrase again after an idle lock) and returns its result. A
    :class:`~readingroom.errors.CannotUnlock` is shown with its safe message, reported through
    ``attempt_failed`` (for the audit log) and the Unlock button is held back for a growing
    delay. Any other :class:`~readingroom.errors.ReadingRoomError` is final: ``refused`` is
    emitted and the dialog closes.
    """

    unlocked = Signal(object)  # what attempt() returned
    attempt_failed = Signal(object)  # the CannotUnlock, for the audit log's category
    refused = Signal(object)  # the final ReadingRoomError

    def __init__(
        self,
        attempt: Callable[[bytes], object],
        *,
        heading: str,
        key_note: str = "",
        delay_for: Callable[[int], float] = growing_delay,
        parent: QWidget | None = None,
    ) -> None:
        """Build the dialog.

        Args:
            attempt: called with the passphrase as UTF-8 bytes; raises ReadingRoomError.
            heading: a fixed sentence (the viewer's own, or sanitised file text).
            key_note: a line saying which workstation key is used, if any.
            delay_for: seconds to hold the button after the n-th failure.
            parent: the window to centre on.
        """
        super().__init__(parent)
        self.setWindowTitle("Unlock review file")
        self.setModal(True)
        self._attempt = attempt
        self._delay_for = delay_for
        self._failures = 0
        self._heading = QLabel(heading, self)
        self._heading.setTextFormat(Qt.TextFormat.PlainText)
        self._heading.setWordWrap(True)
        self._passphrase = QLineEdit(self)
        self._passphrase.setObjectName("passphrase")
        self._passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self._passphrase.setAccessibleName("Passphrase")
        self._passphrase.setPlaceholderText("Passphrase")
        self._error = QLabel(self)
        self._error.setObjectName("unlockError")
        self._error.setTextFormat(Qt.TextFormat.PlainText)
        self._error.setWordWrap(True)
        self._error.setVisible(False)
        buttons = QDialogButtonBox(self)
        self._unlock = QPushButton("Unlock", self)
        self._unlock.setDefault(True)
        buttons.addButton(self._unlock, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        # AcceptRole would close the dialog; the unlock decides itself when to accept.
        buttons.accepted.connect(self.try_unlock)
        buttons.rejected.connect(self.reject)
        self._hold = QTimer(self)
        self._hold.setSingleShot(True)
        self._hold.timeout.connect(self._release)
        layout = QVBoxLayout(self)
        layout.addWidget(self._heading)
        if key_note:
            note = QLabel(key_note, self)
            note.setTextFormat(Qt.TextFormat.PlainText)
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(self._passphrase)
        layout.addWidget(self._error)
        layout.addWidget(buttons)

    def failures(self) -> int:
        """How many attempts failed so far."""
        return self._failures

    def is_held(self) -> bool:
        """True while a failure delay keeps the Unlock button disabled."""
        return self._hold.isActive()

    def show_error(self, message: str) -> None:
        """Show a safe error message (``str(error)``) above the buttons."""
        self._error.setText(message)
        self._error.setVisible(True)

    def set_passphrase(self, text: str) -> None:
        """Fill the field, as a reader typing would (tests, accessibility tools)."""
        self._passphrase.setText(text)

    def try_unlock(self) -> None:
        """Try the passphrase in the field; the field is cleared whatever happens."""
        if self.is_held():
            return
        passphrase = self._passphrase.text().encode("utf-8")
        self._passphrase.clear()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = self._attempt(passphrase)
        except CannotUnlock as error:
            QGuiApplication.restoreOverrideCursor()
            self._failed(error)
            return
        except ReadingRoomError as error:
            QGuiApplication.restoreOverrideCursor()
            self.refused.emit(error)
            self.reject()
            return
        except BaseException:
            QGuiApplication.restoreOverrideCursor()
            raise
        QGuiApplication.restoreOverrideCursor()
        self.unlocked.emit(result)
        self.accept()

    def _failed(self, error: CannotUnlock) -> None:
        self._failures += 1
        self.show_error(str(error))
        self.attempt_failed.emit(error)
        delay = self._delay_for(self._failures)
        if delay > 0:
            self._unlock.setEnabled(False)
            self._passphrase.setEnabled(False)
            self._hold.start(int(delay * 1000))
        self._passphrase.setFocus()

    def _release(self) -> None:
        self._unlock.setEnabled(True)
        self._passphrase.setEnabled(True)
        self._passphrase.setFocus()
