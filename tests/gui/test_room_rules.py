"""The room's rules in a real session: refused actions, the curtain, idle lock, failing closed."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QImage, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QWidget,
)
from pytestqt.qtbot import QtBot

from readingroom.errors import AuditUnavailable, ExitCode
from readingroom.gui.main_window import ViewerWindow
from readingroom.gui.viewer_launcher import ViewerTuning
from readingroom.policy import Policy
from tests.factories import PASSPHRASE, READER
from tests.gui.sample_pdf import CANARY
from tests.gui.test_session_fixtures import WAIT_MS, Sealed, Viewer, events, write_sealed
from tests.gui.widget_text import widget_strings

CLIPBOARD_TEXT = "known clipboard text"


def _denied(sealed: Sealed) -> list[str]:
    return [
        str(record["details"].get("kind") or record["details"]["action"])
        for record in events(sealed.config)
        if record["event"] == "denied_action"
    ]


KEYS = [
    (Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier, "copy"),
    (Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier, "select-all"),
    (Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier, "save"),
    (Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier, "print"),
    (Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier, "cut"),
    (Qt.Key.Key_Print, Qt.KeyboardModifier.NoModifier, "screenshot key"),
]


def test_each_refused_key_is_recorded_and_the_clipboard_is_untouched(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(CLIPBOARD_TEXT)
    window = viewer.open_window(sealed)
    page = window.reader().view
    for key, modifier, _name in KEYS:
        qtbot.keyClick(page, key, modifier)
        assert "not allowed" in window.statusBar().currentMessage()
    assert _denied(sealed) == [name for _key, _modifier, name in KEYS]
    assert clipboard.text() == CLIPBOARD_TEXT


def test_editing_keys_in_the_search_box_act_on_the_query_and_are_not_recorded(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(CLIPBOARD_TEXT)
    window = viewer.open_window(sealed)
    reader = window.reader()
    qtbot.keyClick(reader.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    box = reader.search_bar.query_edit
    qtbot.waitUntil(box.hasFocus, timeout=WAIT_MS)
    qtbot.keyClicks(box, "my own words")
    control = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(box, Qt.Key.Key_A, control)
    assert box.selectedText() == "my own words"
    qtbot.keyClick(box, Qt.Key.Key_C, control)
    assert clipboard.text() == "my own words"
    qtbot.keyClick(box, Qt.Key.Key_X, control)
    assert box.text() == ""
    assert clipboard.text() == "my own words"
    assert _denied(sealed) == []
    assert "not allowed" not in window.statusBar().currentMessage()
    # Printing from the box is still about the document, and the page itself is still guarded.
    qtbot.keyClick(box, Qt.Key.Key_P, control)
    qtbot.keyClick(reader.view, Qt.Key.Key_C, control)
    qtbot.keyClick(reader.view, Qt.Key.Key_A, control)
    assert _denied(sealed) == ["print", "copy", "select-all"]
    assert clipboard.text() == "my own words"


def test_context_menu_and_drag_out_are_refused(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    window = viewer.open_window(sealed)
    page = window.reader().view.viewport()
    centre = page.rect().center()
    menu = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, centre, page.mapToGlobal(centre))
    QApplication.sendEvent(page, menu)
    qtbot.mousePress(page, Qt.MouseButton.LeftButton, pos=centre)
    outside = window.frameGeometry().bottomRight() + QPoint(50, 50)
    move = QMouseEvent(
        QMouseEvent.Type.MouseMove,
        QPointF(page.mapFromGlobal(outside)),
        QPointF(outside),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(page, move)
    QApplication.sendEvent(page, move)  # recorded once per press
    qtbot.mouseRelease(page, Qt.MouseButton.LeftButton, pos=centre)
    assert _denied(sealed) == ["context menu", "drag"]


def test_an_external_link_is_never_opened_but_recorded(sealed: Sealed, viewer: Viewer) -> None:
    window = viewer.open_window(sealed)
    window.reader().external_link_blocked.emit("uri")
    records = [r for r in events(sealed.config) if r["event"] == "denied_action"]
    assert records[-1]["details"] == {"action": "external link", "kind": "uri"}
    assert "not opened" in window.statusBar().currentMessage()


def _application_state(state: Qt.ApplicationState) -> None:
    # What the platform reports when another application takes the keyboard and gives it back
    # (the offscreen platform has no other applications to switch to).
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    app.applicationStateChanged.emit(state)


def test_the_curtain_covers_the_page_when_the_reader_leaves_the_application(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    window = viewer.open_window(sealed)
    assert not window.is_covered()
    _application_state(Qt.ApplicationState.ApplicationInactive)
    assert window.is_covered()
    assert "away" in window.curtain().message()
    # Nothing of the page is part of the window while the curtain is up.
    rgb = QImage.Format.Format_RGB32
    shown = window.centralWidget().grab().toImage().convertToFormat(rgb)
    assert shown == window.curtain().grab().toImage().convertToFormat(rgb)
    assert not window.reader().isVisible()
    _application_state(Qt.ApplicationState.ApplicationActive)
    assert not window.is_covered()
    # The page has the keyboard again, not whatever took it while the page was hidden.
    assert QApplication.focusWidget() is window.reader().view
    names = [str(r["event"]) for r in events(sealed.config)]
    assert names[-2:] == ["focus_lost", "focus_returned"]


def test_minimising_the_window_covers_the_page(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    window = viewer.open_window(sealed)
    window.showMinimized()
    qtbot.waitUntil(window.is_covered, timeout=WAIT_MS)
    window.showNormal()
    window.activateWindow()
    qtbot.waitUntil(lambda: not window.is_covered(), timeout=WAIT_MS)
    names = [str(r["event"]) for r in events(sealed.config)]
    assert names.count("focus_lost") == names.count("focus_returned") == 1


def test_our_own_dialog_or_window_does_not_bring_the_curtain_down(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    window = viewer.open_window(sealed)
    dialog = QDialog(window)
    dialog.setWindowTitle("Go to page")
    dialog.open()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    assert not window.is_covered()
    dialog.reject()
    other = QWidget()  # another top-level window of ours
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(other.isActiveWindow, timeout=WAIT_MS)
    assert not window.is_covered()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    names = [str(r["event"]) for r in events(sealed.config)]
    assert "focus_lost" not in names and "focus_returned" not in names


def test_idle_lock_asks_for_the_passphrase_again(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    window = viewer.open_window(
        sealed, tuning=ViewerTuning(delay_for=lambda _n: 0.0, idle_ms=50), activate=False
    )
    qtbot.waitUntil(lambda: window.relock_dialog() is not None, timeout=WAIT_MS)
    assert window.is_covered()
    dialog = window.relock_dialog()
    assert dialog is not None
    viewer.try_unlock(dialog, "wrong")
    assert window.is_covered()
    viewer.try_unlock(dialog, PASSPHRASE.decode())
    # This prompt is gone; with a 50 ms idle limit a fresh lock may already have come down.
    assert window.relock_dialog() is not dialog
    names = [str(r["event"]) for r in events(sealed.config)]
    assert "idle_locked" in names
    assert "focus_lost" not in names  # the lock prompt is ours: the reader has not left
    assert names[names.index("idle_locked") :].count("unlock_failed") == 1
    assert "unlocked" in names[names.index("idle_locked") :]
    assert not window.is_covered() or not window.isActiveWindow()


def test_cancelling_the_idle_lock_ends_the_session(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    window = viewer.open_window(
        sealed, tuning=ViewerTuning(delay_for=lambda _n: 0.0, idle_ms=50), activate=False
    )
    qtbot.waitUntil(lambda: window.relock_dialog() is not None, timeout=WAIT_MS)
    dialog = window.relock_dialog()
    assert dialog is not None
    dialog.reject()
    assert window.is_covered()
    ended = [r for r in events(sealed.config) if r["event"] == "session_ended"]
    assert [r["details"]["reason"] for r in ended] == ["idle"]


def _break_the_log_underneath(viewer: Viewer) -> None:
    # A real fault: the log's segment file descriptor now points at /dev/full, so the next
    # write fails with ENOSPC exactly as on a full disk.
    audit = viewer.launchers[-1]._opener.audit
    assert audit is not None
    full = os.open("/dev/full", os.O_WRONLY)
    os.dup2(full, audit._writer._fd)
    os.close(full)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_an_audit_failure_mid_session_covers_the_page_and_ends_it(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    window = viewer.open_window(sealed)
    _break_the_log_underneath(viewer)
    qtbot.keyClick(window.reader().view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert window.is_covered()
    assert str(AuditUnavailable()) in window.curtain().message()
    assert window.exit_code() == ExitCode.AUDIT_UNAVAILABLE
    assert all(not action.isEnabled() for action in window.reader().reading_actions())
    window.activateWindow()  # focus does not lift this curtain
    qtbot.wait(50)
    assert window.is_covered()
    window.close()
    assert viewer.launchers[-1].exit_code == ExitCode.AUDIT_UNAVAILABLE


def test_session_ended_is_recorded_on_close_and_layout_is_kept(
    sealed: Sealed, viewer: Viewer, rr_home: Path
) -> None:
    window = viewer.open_window(sealed)
    window.resize(900, 700)
    window.close()
    ended = [r for r in events(sealed.config) if r["event"] == "session_ended"]
    assert [r["details"]["reason"] for r in ended] == ["closed"]
    assert (rr_home / "viewer-layout.ini").is_file()
    assert viewer.launchers[-1].exit_code == 0


def test_expiry_during_the_session_ends_it(
    sealed: Sealed, viewer: Viewer, rr_home: Path, tmp_path: Path
) -> None:
    expiring = write_sealed(
        rr_home,
        tmp_path,
        policy=Policy(reader=READER, not_after=datetime.now(UTC) + timedelta(hours=1)),
    )
    later = datetime.now(UTC) + timedelta(hours=2)
    clock = {"now": datetime.now(UTC)}
    window = viewer.open_window(
        expiring, tuning=ViewerTuning(delay_for=lambda _n: 0.0, clock=lambda: clock["now"])
    )
    clock["now"] = later
    window.check_limits()
    assert window.is_covered() and "expired" in window.curtain().message()
    ended = [r for r in events(expiring.config) if r["event"] == "session_ended"]
    assert [r["details"]["reason"] for r in ended] == ["expired"]


def test_no_document_text_reaches_a_widget_and_print_support_never_loads(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    window = viewer.open_window(sealed)
    reader = window.reader()
    with qtbot.waitSignal(reader.view.page_painted, timeout=WAIT_MS):
        reader.view.viewport().update()
    reader.go_to_page(1)
    qtbot.keyClick(reader.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    for widget in QApplication.allWidgets():
        for text in widget_strings(widget):
            assert CANARY.lower() not in text.lower(), type(widget).__name__
    assert CANARY not in QGuiApplication.clipboard().text()
    window.close()
    assert "PySide6.QtPrintSupport" not in sys.modules
    assert isinstance(window, ViewerWindow)
