"""The progress dialog shown while a review file opens (audit log, reading, scrypt, signature).

It appears only when the work lasts longer than :data:`PROGRESS_DELAY_MS` (the launcher reveals
it on a timer), shows the use case's current step, and a bar when the step reports a total.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

PROGRESS_DELAY_MS = 300


def opening_progress_dialog(parent: QWidget | None) -> QProgressDialog:
    """A modal, not yet shown, dialog with a busy bar and Cancel."""
    dialog = QProgressDialog("Opening the review file\u2026", "Cancel", 0, 0, parent)
    dialog.setWindowTitle("ReadingRoom")
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(PROGRESS_DELAY_MS)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    return dialog


def show_opening_step(dialog: QProgressDialog, step: str, done: int, total: int) -> None:
    """Show ``step``; a bar at ``done`` of ``total``, or a busy bar when the total is unknown."""
    dialog.setLabelText(step)
    if total > 0:
        dialog.setRange(0, 1000)
        dialog.setValue(int(1000 * done / total))
    else:
        dialog.setRange(0, 0)
