"""The Notes tab in the real viewer: two sessions, refusals recorded, policy and workstation off."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QTextCursor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from readingroom.age import X25519Identity
from readingroom.config import load_config
from readingroom.gui.main_window import ViewerWindow
from readingroom.gui.reader.notes_panel import NotesPanel
from readingroom.notes.notes_file import MAX_NOTES_TEXT_BYTES, open_notes
from readingroom.notes.notes_session import NOT_ALLOWED_TEXT, WORKSTATION_OFF_TEXT
from tests.gui.test_session_fixtures import (
    Sealed,
    Viewer,
    event_names,
    events,
    write_sealed,
    write_workstation_config,
)
from tests.notes.helpers import CANARY, notes_policy
from tests.notes.test_notes_store import file_size_limit

NON_LATIN = "\u0421\u043e\u0446\u0438\u0430\u043b\u044c\u043d\u044b\u0439 \u4e2d\u6587 \u0627\u0644\u0639\u0631\u0628\u064a\u0629"


def _sealed_with_notes(rr_home: Path, tmp_path: Path) -> tuple[Sealed, X25519Identity]:
    custodian = X25519Identity.generate()
    sealed = write_sealed(
        rr_home,
        tmp_path,
        policy=notes_policy(custodian),
        notes_key=X25519Identity.generate().to_string(),
    )
    return sealed, custodian


def _panel(viewer: Viewer, window: ViewerWindow) -> NotesPanel:
    launcher = next(item for item in viewer.launchers if item.window is window)
    assert launcher.notes_panel is not None
    return launcher.notes_panel


def _focus_notes(window: ViewerWindow) -> None:
    action = window.findChild(QAction, "focusNotes")
    assert action is not None and action.shortcut().toString() == "Ctrl+Shift+N"
    action.trigger()


def _notes_records(sealed: Sealed, event: str) -> list[dict[str, object]]:
    return [record["details"] for record in events(sealed.config) if record["event"] == event]


def test_a_reader_writes_notes_over_two_sessions(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot
) -> None:
    sealed, custodian = _sealed_with_notes(rr_home, tmp_path)
    window = viewer.open_window(sealed)
    panel = _panel(viewer, window)
    side = window.reader().side_panel
    assert side.tabText(side.indexOf(panel)) == "Notes"
    window.reader().go_to_page(1)
    qtbot.waitUntil(lambda: window.reader().current_page() == 1)
    _focus_notes(window)
    assert window.reader().side_panel.currentWidget() is panel
    assert panel.editor.toPlainText() == "p. 2 \u2014 "
    qtbot.keyClicks(panel.editor, CANARY)
    qtbot.keyClick(panel.editor, Qt.Key.Key_Return)
    panel.editor.insertPlainText(NON_LATIN)  # typed through an input method in real life
    assert "Session" in panel.header.text()
    hints = panel.editor.inputMethodHints()
    for hint in (Qt.InputMethodHint.ImhNoPredictiveText, Qt.InputMethodHint.ImhSensitiveData):
        assert hints & hint
    window.close()
    first_code = str(events(sealed.config)[0]["details"]["code"])  # type: ignore[index]
    names = event_names(sealed.config)
    assert names.index("notes_saved") < names.index("session_ended")
    saved = _notes_records(sealed, "notes_saved")[-1]
    assert saved["pages_referenced"] == 1
    assert CANARY not in str(events(sealed.config))

    window = viewer.open_window(sealed)
    panel = _panel(viewer, window)
    assert panel.editor.toPlainText() == f"p. 2 \u2014 {CANARY}\np. 2 \u2014 {NON_LATIN}"
    opened = _notes_records(sealed, "notes_opened")
    assert [item["state"] for item in opened] == ["new", "continued"]
    assert opened[-1]["sha256"] == saved["sha256"]
    _focus_notes(window)
    qtbot.keyClicks(panel.editor, "second session")
    assert panel.save_now()
    window.close()

    notes_dir = load_config(rr_home).notes_dir
    assert notes_dir is not None
    (path,) = notes_dir.iterdir()
    data = path.read_bytes()
    assert CANARY.encode() not in data
    content = open_notes(data, [custodian])
    assert content.text.endswith("p. 1 \u2014 second session")
    assert len(content.sessions) == 2 and content.sessions[0] == first_code


def test_paste_copy_cut_drag_and_menus_are_refused_and_recorded(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot
) -> None:
    sealed, _custodian = _sealed_with_notes(rr_home, tmp_path)
    window = viewer.open_window(sealed)
    panel = _panel(viewer, window)
    clipboard = QApplication.clipboard()
    clipboard.setText("text from elsewhere")
    _focus_notes(window)
    qtbot.keyClicks(panel.editor, "mine")
    before = panel.editor.toPlainText()

    qtbot.keyClick(panel.editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    panel.editor.paste()  # the middle-click and menu path
    assert panel.editor.toPlainText() == before
    panel.editor.selectAll()
    qtbot.keyClick(panel.editor, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(panel.editor, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert panel.editor.toPlainText() == before
    assert clipboard.text() == "text from elsewhere"
    panel.editor.copy()  # called directly, Qt puts what the editor gives it: nothing
    assert "mine" not in clipboard.text()
    assert panel.editor.createMimeDataFromSelection().formats() == []

    viewport = panel.editor.viewport()
    cursor = panel.editor.textCursor()
    cursor.setPosition(0)
    cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
    panel.editor.setTextCursor(cursor)
    start = panel.editor.cursorRect(_cursor_at(panel, 2)).center()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, start + QPoint(60, 40))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=start + QPoint(60, 40))

    blocked = [item["action"] for item in _notes_records(sealed, "notes_blocked")]
    assert blocked == ["paste", "paste", "copy", "cut", "drag"]
    assert "recorded" in window.statusBar().currentMessage()
    assert "elsewhere" not in str(events(sealed.config))
    window.close()


def _cursor_at(panel: NotesPanel, position: int) -> QTextCursor:
    cursor = panel.editor.textCursor()
    cursor.setPosition(position)
    return cursor


def test_policy_none_says_notes_are_not_allowed(
    rr_home: Path, tmp_path: Path, viewer: Viewer
) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    window = viewer.open_window(sealed)
    panel = _panel(viewer, window)
    assert panel.status.text() == NOT_ALLOWED_TEXT
    assert panel.editor.isHidden()
    _focus_notes(window)
    window.close()
    assert not any(name.startswith("notes_") for name in event_names(sealed.config))
    notes_dir = load_config(rr_home).notes_dir
    assert notes_dir is not None and not notes_dir.exists()


def test_a_workstation_may_forbid_notes(rr_home: Path, tmp_path: Path, viewer: Viewer) -> None:
    write_workstation_config(rr_home, allow_notes=False)
    sealed, _custodian = _sealed_with_notes(rr_home, tmp_path)
    window = viewer.open_window(sealed)
    assert _panel(viewer, window).status.text() == WORKSTATION_OFF_TEXT
    window.close()


def test_damaged_notes_are_kept_and_a_new_file_started(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot
) -> None:
    sealed, _custodian = _sealed_with_notes(rr_home, tmp_path)
    window = viewer.open_window(sealed)
    panel = _panel(viewer, window)
    _focus_notes(window)
    qtbot.keyClicks(panel.editor, "first")
    window.close()
    notes_dir = load_config(rr_home).notes_dir
    assert notes_dir is not None
    (path,) = notes_dir.iterdir()
    damaged = path.read_bytes()[:-20]
    path.write_bytes(damaged)

    window = viewer.open_window(sealed)
    panel = _panel(viewer, window)
    message = "Your earlier notes could not be read; they are kept for the custodian."
    assert panel.status.text() == message
    assert window.statusBar().currentMessage() == message
    assert panel.editor.toPlainText() == ""
    _focus_notes(window)
    qtbot.keyClicks(panel.editor, "again")
    window.close()
    kept = [item for item in notes_dir.iterdir() if ".kept-" in item.name]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert _notes_records(sealed, "notes_opened")[-1]["state"] == "set aside"


def test_the_cap_and_a_failed_write_are_told_at_once(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot
) -> None:
    sealed, _custodian = _sealed_with_notes(rr_home, tmp_path)
    window = viewer.open_window(sealed)
    panel = _panel(viewer, window)
    panel.editor.setPlainText("x" * (MAX_NOTES_TEXT_BYTES + 1))
    assert not panel.save_now()
    assert "1 MB limit" in window.statusBar().currentMessage()
    assert not panel.editor.isReadOnly()
    panel.editor.setPlainText("kept version")
    assert panel.save_now()
    panel.editor.setPlainText("y" * 200_000)
    with file_size_limit(4096):
        assert not panel.save_now()
    assert "could not be saved" in window.statusBar().currentMessage()
    assert panel.editor.isReadOnly()
    window.close()
    saved = _notes_records(sealed, "notes_saved")
    assert len(saved) == 1
