"""The unlock and idle-lock dialogs as a reader sees them: nothing clipped, plain words, counts."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from readingroom.errors import CannotUnlock, ExitCode
from readingroom.gui.dialogs.unlock_dialog import MAX_ATTEMPTS, MIN_WIDTH, UnlockDialog
from readingroom.gui.viewer_launcher import ViewerTuning
from tests.factories import PASSPHRASE
from tests.gui.test_session_fixtures import WAIT_MS, Sealed, Viewer, events, write_sealed


def _shown_labels(dialog: UnlockDialog) -> list[QLabel]:
    labels = [label for label in dialog.findChildren(QLabel) if label.isVisible()]
    return sorted(labels, key=lambda label: label.geometry().top())


def _assert_nothing_clipped_or_overlapping(dialog: UnlockDialog) -> None:
    QApplication.processEvents()
    assert dialog.width() >= MIN_WIDTH
    labels = _shown_labels(dialog)
    assert labels
    for label in labels:
        # Each wrapped label has at least the height its text needs at its width...
        assert label.height() >= label.heightForWidth(label.width()), label.objectName()
        # ...and lies wholly inside the dialog.
        assert dialog.rect().contains(label.geometry()), label.objectName()
    for upper, lower in itertools.pairwise(labels):
        assert upper.geometry().bottom() < lower.geometry().top()


def _button_texts(dialog: UnlockDialog) -> set[str]:
    return {button.text() for button in dialog.findChildren(QPushButton) if button.isVisible()}


def test_after_a_wrong_passphrase_the_error_and_the_attempt_are_shown_in_full(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot
) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    launcher = viewer.launch(sealed, with_passphrase_file=False)
    dialog = launcher.unlock_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    texts = [label.text() for label in _shown_labels(dialog)]
    assert not any("workstation" in text for text in texts)
    assert (
        "This review file opens only on this reading-room computer, with your passphrase." in texts
        or "This reading-room computer has no key of its own set up." in texts
    )
    assert dialog.attempts_text() == ""
    viewer.try_unlock(dialog, "not it")
    assert dialog.error_text() == str(CannotUnlock())
    assert dialog.attempts_text() == f"Attempt 2 of {MAX_ATTEMPTS}."
    _assert_nothing_clipped_or_overlapping(dialog)
    viewer.try_unlock(dialog, "still not it")
    assert dialog.attempts_text() == f"Attempt 3 of {MAX_ATTEMPTS}."
    _assert_nothing_clipped_or_overlapping(dialog)


def test_the_lock_out_counts_down_and_then_lets_the_reader_try_again(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot
) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    launcher = viewer.launch(
        sealed, with_passphrase_file=False, tuning=ViewerTuning(delay_for=lambda _n: 2.0)
    )
    dialog = launcher.unlock_dialog
    assert dialog is not None
    viewer.try_unlock(dialog, "wrong")
    assert dialog.is_held()
    assert dialog.attempts_text() == f"Attempt 2 of {MAX_ATTEMPTS}. Try again in 2 s."
    _assert_nothing_clipped_or_overlapping(dialog)
    qtbot.waitUntil(lambda: "Try again in 1 s" in dialog.attempts_text(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not dialog.is_held(), timeout=WAIT_MS)
    assert dialog.attempts_text() == f"Attempt 2 of {MAX_ATTEMPTS}."
    viewer.try_unlock(dialog, PASSPHRASE.decode())
    assert launcher.notice_dialog is not None


def test_the_last_failed_attempt_is_final(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot
) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    launcher = viewer.launch(sealed, with_passphrase_file=False)
    dialog = launcher.unlock_dialog
    assert dialog is not None
    for attempt in range(MAX_ATTEMPTS):
        viewer.try_unlock(dialog, f"wrong {attempt}")
    assert launcher.unlock_dialog is None and launcher.notice_dialog is None
    assert launcher.exit_code == ExitCode.CANNOT_UNLOCK
    failed = [r for r in events(sealed.config) if r["event"] == "unlock_failed"]
    assert len(failed) == MAX_ATTEMPTS
    assert "session_started" not in [r["event"] for r in events(sealed.config)]


def test_the_idle_lock_says_resume_reading_and_a_wrong_passphrase_in_plain_words(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    window = viewer.open_window(
        sealed, tuning=ViewerTuning(delay_for=lambda _n: 0.0, idle_ms=50), activate=False
    )
    qtbot.waitUntil(lambda: window.relock_dialog() is not None, timeout=WAIT_MS)
    dialog = window.relock_dialog()
    assert dialog is not None
    assert dialog.windowTitle() == "Reading room locked"
    assert "Resume reading" in _button_texts(dialog)
    assert "Unlock" not in _button_texts(dialog)
    viewer.try_unlock(dialog, "wrong")
    assert dialog.error_text() == "That passphrase is not right. Please try again."
    assert not any(
        re.search("cannot be opened", label.text(), re.IGNORECASE)
        for label in _shown_labels(dialog)
    )
    assert dialog.attempts_text() == f"Attempt 2 of {MAX_ATTEMPTS}."
    _assert_nothing_clipped_or_overlapping(dialog)
    viewer.try_unlock(dialog, PASSPHRASE.decode())
    # This prompt is gone; with a 50 ms idle limit a fresh lock may already have come down.
    assert window.relock_dialog() is not dialog
    assert "unlocked" in [r["event"] for r in events(sealed.config)]
