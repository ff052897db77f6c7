"""Unlocking runs on a worker with progress and Cancel; secrets and factors after the unlock.

PoC-style: the window's event loop keeps turning while a 2^20 scrypt runs; a passphrase given
in the environment reaches neither ``os.environ`` nor the renderer process; the idle-lock
prompt of a session opened with an unprotected key file cannot be passed, whatever is typed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from readingroom.age import X25519Identity
from readingroom.errors import FactorNotRenewable
from readingroom.gui.viewer_launcher import ViewerLauncher, ViewerTuning, ViewRequest
from readingroom.keys import NewKey, write_key_file
from readingroom.passphrases import PassphraseSource
from readingroom.review_file import STEP_UNLOCKING
from tests import factories
from tests.gui.test_session_fixtures import (
    WAIT_MS,
    Viewer,
    event_names,
    events,
    write_sealed,
    write_workstation_config,
)

SLOW_UNLOCK_MS = 180_000  # a 2^20 scrypt on a loaded 2-core machine


@pytest.mark.slow
def test_the_event_loop_turns_while_a_2_20_scrypt_runs(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(factories, "FAST_LOG_N", 20)  # the most work a file may ask for
    sealed = write_sealed(rr_home, tmp_path)
    launcher = viewer.launch(sealed, with_passphrase_file=False)
    dialog = launcher.unlock_dialog
    assert dialog is not None
    seen: list[str] = []

    def tick() -> None:  # runs on the UI thread: it only runs if the event loop turns
        if dialog.is_busy():
            seen.append(dialog.status_text())

    timer = QTimer(dialog)  # dies with the dialog, never outlives what tick() reads
    timer.timeout.connect(tick)
    timer.start(20)
    dialog.set_passphrase(factories.PASSPHRASE.decode())
    dialog.try_unlock()
    assert dialog.is_busy()
    qtbot.waitUntil(lambda: launcher.notice_dialog is not None, timeout=SLOW_UNLOCK_MS)
    timer.stop()
    # Many turns of the loop during the unlock, the step shown to the reader meanwhile.
    assert len(seen) >= 10
    assert STEP_UNLOCKING in seen
    assert event_names(sealed.config) == ["session_started"]


def test_progress_is_shown_and_cancel_stops_the_attempt(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(factories, "FAST_LOG_N", 15)  # long enough to press Cancel during it
    sealed = write_sealed(rr_home, tmp_path)
    launcher = viewer.launch(sealed, with_passphrase_file=False)
    dialog = launcher.unlock_dialog
    assert dialog is not None
    dialog.set_passphrase(factories.PASSPHRASE.decode())
    dialog.try_unlock()
    field = dialog.findChild(QLineEdit, "passphrase")
    assert field is not None and not field.isEnabled() and field.text() == ""
    dialog.reject()  # Cancel while the worker runs: it stops at its next progress report
    assert dialog.status_text() == "Cancelling\u2026"
    qtbot.waitUntil(launcher.is_finished, timeout=WAIT_MS)
    assert launcher.exit_code == 0 and launcher.notice_dialog is None
    assert event_names(sealed.config) == []  # no attempt recorded, no session


def test_the_passphrase_from_the_environment_reaches_no_child(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    monkeypatch.setenv("RR_VIEW_SECRET", factories.PASSPHRASE.decode())
    request = ViewRequest(sealed.path, passphrase=PassphraseSource(env="RR_VIEW_SECRET"))
    window = viewer.open_window(sealed, request=request, activate=False)
    reader = window.reader()
    with qtbot.waitSignal(reader.view.page_painted, timeout=WAIT_MS):
        reader.view.viewport().update()
    assert "RR_VIEW_SECRET" not in os.environ
    children = _child_environments()
    assert children, "the renderer process should be running"
    for environment in children:
        assert b"RR_VIEW_SECRET" not in environment
        assert factories.PASSPHRASE not in environment


def test_an_unprotected_key_session_cannot_pass_the_idle_lock(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot
) -> None:
    write_workstation_config(rr_home, allow_unprotected_reader_keys=True)
    identity = X25519Identity.generate()
    sealed = write_sealed(rr_home, tmp_path, reader_identity=identity)
    key_file = tmp_path / "reader.key"
    write_key_file(
        key_file, NewKey("reader", identity.to_string(), identity.recipient().to_string()), None
    )
    window = viewer.open_window(
        sealed,
        request=ViewRequest(sealed.path, identity_file=key_file),
        tuning=ViewerTuning(delay_for=lambda _n: 0.0, idle_ms=50),
        activate=False,
    )
    qtbot.waitUntil(lambda: window.relock_dialog() is not None, timeout=WAIT_MS)
    dialog = window.relock_dialog()
    assert dialog is not None
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert str(FactorNotRenewable()) in texts  # it says why, and asks for nothing
    field = dialog.findChild(QLineEdit, "passphrase")
    assert field is not None and not field.isVisibleTo(dialog)
    # Whatever is typed (here through the API, as an attacker's tool would), it does not resume.
    viewer.try_unlock(dialog, "anything at all")
    assert window.relock_dialog() is None
    assert window.is_covered()
    ended = [r["details"]["reason"] for r in events(sealed.config) if r["event"] == "session_ended"]
    assert ended == ["idle"]
    assert "unlocked" not in event_names(sealed.config)


def test_an_unprotected_key_is_refused_by_default(
    rr_home: Path, tmp_path: Path, viewer: Viewer
) -> None:
    identity = X25519Identity.generate()
    sealed = write_sealed(rr_home, tmp_path, reader_identity=identity)
    key_file = tmp_path / "reader.key"
    write_key_file(
        key_file, NewKey("reader", identity.to_string(), identity.recipient().to_string()), None
    )
    launcher = viewer.launch(sealed, request=ViewRequest(sealed.path, identity_file=key_file))
    assert launcher.message_box is not None
    assert "only accepts reader key files protected by a passphrase" in launcher.message_box.text()
    assert launcher.unlock_dialog is None and launcher.notice_dialog is None


def _child_environments() -> list[bytes]:
    """The environments of this process's children (Linux /proc)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("reads /proc")
    me = os.getpid()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == me:
                found.append((entry / "environ").read_bytes())
        except (OSError, ValueError, IndexError):
            continue
    return found


def test_cancelling_the_opening_progress_stops_before_any_session(
    rr_home: Path, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(factories, "FAST_LOG_N", 15)
    sealed = write_sealed(rr_home, tmp_path)
    request = ViewRequest(sealed.path, passphrase=PassphraseSource(file=sealed.passphrase_file))
    launcher = ViewerLauncher(request, sealed.config)
    launcher.start()
    assert launcher.is_busy() and launcher.progress_dialog is not None
    cancel = launcher.progress_dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    cancel.click()  # the reader's Cancel, while the worker runs
    qtbot.waitUntil(launcher.is_finished, timeout=WAIT_MS)
    assert launcher.exit_code == 0
    assert launcher.notice_dialog is None and launcher.unlock_dialog is None
    assert event_names(sealed.config) == []


def test_stopping_the_viewer_during_an_attempt_starts_no_session(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(factories, "FAST_LOG_N", 15)
    sealed = write_sealed(rr_home, tmp_path)
    launcher = viewer.launch(sealed, with_passphrase_file=False)
    dialog = launcher.unlock_dialog
    assert dialog is not None
    dialog.set_passphrase(factories.PASSPHRASE.decode())
    dialog.try_unlock()
    launcher.stop()  # SIGTERM, logout: waits for the worker, ends everything
    assert launcher.is_finished() and launcher.exit_code == 0
    for _ in range(5):  # deliver whatever the worker queued before it stopped
        QApplication.processEvents()
    assert launcher.notice_dialog is None and launcher.session is None
    assert "session_started" not in event_names(sealed.config)
