"""The viewer's way in: real sealed files, the real unlock path, the notice, the first page."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from readingroom.age import X25519Identity
from readingroom.audit.storage import list_segments
from readingroom.cli import main
from readingroom.errors import CannotUnlock, ExitCode, Expired
from readingroom.gui.app import APP_ID, application
from readingroom.gui.dialogs.notice_dialog import NOTICE_MIN_WIDTH
from readingroom.gui.viewer_launcher import ViewerTuning
from readingroom.hardening import disable_core_dumps
from readingroom.policy import Policy
from tests.factories import PASSPHRASE, READER
from tests.gui.test_session_fixtures import WAIT_MS, Viewer, event_names, events, write_sealed


def test_passphrase_file_skips_the_prompt_but_not_the_notice(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot
) -> None:
    sealed = write_sealed(rr_home, tmp_path, title="Review \u202eof\u0007 Child  A")
    launcher = viewer.launch(sealed)
    assert launcher.unlock_dialog is None
    notice = launcher.notice_dialog
    assert notice is not None and notice.isVisible()
    # session_started is durable before any page exists.
    assert event_names(sealed.config) == ["session_started"]
    assert launcher.window is None
    texts = [label.text() for label in notice.findChildren(QLabel)]
    assert "Review of Child A" in texts  # the title went through display_text
    assert any(
        f"You are reading as {READER.name}, {READER.id}, {READER.organisation}" in t for t in texts
    )
    assert any("Westmoor Safeguarding Children Partnership (trusted" in t for t in texts)
    assert any(launcher.session is not None and launcher.session.session_code in t for t in texts)
    # Wide enough that the sentences do not wrap every few words.
    assert notice.width() >= NOTICE_MIN_WIDTH

    qtbot.keyClick(notice, "\r")  # Enter acknowledges
    # The window follows once the renderer has opened the document (the UI thread never waits).
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=WAIT_MS)
    window = launcher.window
    assert window is not None
    qtbot.waitExposed(window)
    assert window.windowTitle() == "Review of Child A \u2014 ReadingRoom"
    reader = window.reader()
    with qtbot.waitSignal(reader.view.page_painted, timeout=WAIT_MS) as painted:
        reader.view.viewport().update()
    assert painted.args == [0]
    assert not window.is_covered() or not window.isActiveWindow()


def test_declining_the_notice_ends_the_session(
    rr_home: Path, tmp_path: Path, viewer: Viewer
) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    launcher = viewer.launch(sealed)
    assert launcher.notice_dialog is not None
    launcher.notice_dialog.reject()
    assert launcher.is_finished() and launcher.exit_code == 0
    assert launcher.window is None
    assert event_names(sealed.config) == ["session_started", "session_ended"]


def test_unlock_dialog_shows_the_safe_message_and_audits_each_failure(
    rr_home: Path, tmp_path: Path, viewer: Viewer
) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    launcher = viewer.launch(sealed, with_passphrase_file=False)
    dialog = launcher.unlock_dialog
    assert dialog is not None and dialog.isVisible()
    for attempt in ("not it", "still not it"):
        viewer.try_unlock(dialog, attempt)
        error = dialog.findChild(QLabel, "unlockError")
        assert error is not None and error.text() == str(CannotUnlock())
    records = [r for r in events(sealed.config) if r["event"] == "unlock_failed"]
    assert [r["details"]["reason"] for r in records] == ["wrong passphrase"] * 2
    viewer.try_unlock(dialog, PASSPHRASE.decode())
    assert launcher.notice_dialog is not None
    assert event_names(sealed.config)[-1] == "session_started"


def test_repeated_failures_are_slowed_down(rr_home: Path, tmp_path: Path, viewer: Viewer) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    launcher = viewer.launch(
        sealed, with_passphrase_file=False, tuning=ViewerTuning(delay_for=lambda n: 60.0 * n)
    )
    dialog = launcher.unlock_dialog
    assert dialog is not None
    viewer.try_unlock(dialog, "wrong")
    assert dialog.is_held()
    dialog.set_passphrase(PASSPHRASE.decode())
    dialog.try_unlock()  # ignored while held
    assert not dialog.is_busy()
    assert dialog.failures() == 1 and launcher.notice_dialog is None


def test_a_file_for_another_reader_is_refused_with_the_right_message(
    rr_home: Path, tmp_path: Path, viewer: Viewer
) -> None:
    sealed = write_sealed(rr_home, tmp_path, passphrase=b"someone else's passphrase")
    sealed.passphrase_file.write_bytes(PASSPHRASE + b"\n")
    launcher = viewer.launch(sealed)
    dialog = launcher.unlock_dialog
    assert dialog is not None
    error = dialog.findChild(QLabel, "unlockError")
    assert error is not None and error.text() == str(CannotUnlock())
    assert event_names(sealed.config) == ["unlock_failed"]


def test_a_file_sealed_to_another_key_is_refused(
    rr_home: Path, tmp_path: Path, viewer: Viewer
) -> None:
    sealed = write_sealed(rr_home, tmp_path, reader_identity=X25519Identity.generate())
    launcher = viewer.launch(sealed)
    assert launcher.unlock_dialog is not None
    assert launcher.window is None and launcher.notice_dialog is None


def test_an_expired_file_is_refused(rr_home: Path, tmp_path: Path, viewer: Viewer) -> None:
    past = datetime.now(UTC) - timedelta(days=2)
    policy = Policy(reader=READER, not_after=past + timedelta(days=1))
    sealed = write_sealed(rr_home, tmp_path, policy=policy, now=past - timedelta(days=1))
    launcher = viewer.launch(sealed)
    box = launcher.message_box
    assert box is not None and box.text() == str(Expired())
    assert launcher.exit_code == ExitCode.REFUSED
    records = events(sealed.config)
    assert [(r["event"], r["details"]["reason"]) for r in records] == [("unlock_failed", "expired")]
    box.done(0)
    assert launcher.is_finished() and launcher.window is None


def test_an_unavailable_audit_log_stops_the_document(
    rr_home: Path, tmp_path: Path, viewer: Viewer
) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    sealed.config.audit_dir.write_text("not a folder")  # the log cannot live here
    launcher = viewer.launch(sealed)
    assert launcher.message_box is not None
    # The core's own safe message, shown as it is (it names the folder the admin configured).
    assert "so no document can be shown" in launcher.message_box.text()
    assert launcher.exit_code == ExitCode.AUDIT_UNAVAILABLE
    assert launcher.notice_dialog is None and launcher.unlock_dialog is None


def test_a_tampered_audit_log_stops_the_document(
    rr_home: Path, tmp_path: Path, viewer: Viewer
) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    first = viewer.launch(sealed)
    assert first.notice_dialog is not None
    first.notice_dialog.reject()
    segment = list_segments(sealed.config.audit_dir)[0]
    text = segment.read_bytes()
    segment.write_bytes(text.replace(b'"closed"', b'"idle"', 1))
    second = viewer.launch(sealed)
    assert second.message_box is not None
    assert "does not verify" in second.message_box.text()
    assert second.exit_code == ExitCode.AUDIT_TAMPERED


def test_the_view_command_has_no_way_to_save_pages(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["view", "--help"])
    help_text = capsys.readouterr().out.lower()
    assert "file.rrf" in help_text
    for word in ("screenshot", "save", "export", "print", "--output"):
        assert word not in help_text


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")
def test_core_dumps_are_disabled() -> None:
    import resource  # noqa: PLC0415 - POSIX only

    disable_core_dumps()
    assert resource.getrlimit(resource.RLIMIT_CORE)[0] == 0
    assert os.name == "posix"


def test_the_application_names_itself_as_the_desktop_file_does(qtbot: QtBot) -> None:
    app = application()
    assert app.desktopFileName() == APP_ID
    desktop_file = Path(__file__).resolve().parents[2] / "packaging" / "linux" / f"{APP_ID}.desktop"
    assert desktop_file.is_file()
    assert not app.windowIcon().isNull()
