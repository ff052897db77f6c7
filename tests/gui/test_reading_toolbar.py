"""The reading toolbar: the page field and go-to, the zoom indicator, icons and tooltips."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolButton
from pytestqt.qtbot import QtBot

from readingroom.gui.reader.document_reader import DocumentReader
from readingroom.gui.reader.reading_toolbar import ReadingToolbar
from readingroom.gui.reader.zoom_button import percent_text
from readingroom.viewing.page_layout import next_zoom_step
from tests.gui.sample_pdf import CANARY, PAGE_COUNT
from tests.gui.test_session_fixtures import WAIT_MS, Sealed, Viewer, write_sealed


@pytest.fixture
def toolbar(qtbot: QtBot, make_reader: Callable[..., DocumentReader]) -> Iterator[ReadingToolbar]:
    reader = make_reader()
    bar = ReadingToolbar(reader.actions_, reader.view, reader.jump_to_page)
    qtbot.addWidget(bar)
    bar.show()
    bar.activateWindow()
    qtbot.waitUntil(bar.isActiveWindow, timeout=WAIT_MS)
    yield bar


def _reader(bar: ReadingToolbar) -> DocumentReader:
    # The fixture's toolbar is a window of its own; its reader is the other top-level.
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, DocumentReader))


def _type_page(qtbot: QtBot, bar: ReadingToolbar, text: str) -> None:
    bar.page_field.focus_and_select()
    qtbot.keyClicks(bar.page_field.edit, text)
    qtbot.keyClick(bar.page_field.edit, Qt.Key.Key_Return)


def test_the_page_field_follows_the_current_page(toolbar: ReadingToolbar) -> None:
    reader = _reader(toolbar)
    field = toolbar.page_field
    assert field.edit.text() == "1"
    assert field.total.text() == f"of {PAGE_COUNT}"
    reader.go_to_page(4)
    assert field.edit.text() == "5"


def test_typing_a_page_number_jumps_there_and_back_returns(
    qtbot: QtBot, toolbar: ReadingToolbar
) -> None:
    reader = _reader(toolbar)
    reader.actions_.go_to.trigger()  # Ctrl+G
    assert toolbar.page_field.edit.hasFocus()
    assert toolbar.page_field.edit.selectedText() == "1"
    _type_page(qtbot, toolbar, "9")
    assert reader.current_page() == 8
    assert toolbar.page_field.edit.text() == "9"
    # The page has the keyboard again (in its own window here), so PgDn works at once.
    assert reader.focusWidget() is reader.view
    reader.actions_.back.trigger()
    assert reader.current_page() == 0
    assert toolbar.page_field.edit.text() == "1"


def test_a_number_that_is_not_a_page_changes_nothing(qtbot: QtBot, toolbar: ReadingToolbar) -> None:
    reader = _reader(toolbar)
    reader.go_to_page(2)
    for typed in ("99", "0", "13"):
        _type_page(qtbot, toolbar, typed)
        assert reader.current_page() == 2
        assert toolbar.page_field.edit.text() == "3"
    toolbar.page_field.focus_and_select()
    qtbot.keyClicks(toolbar.page_field.edit, "4")
    qtbot.keyClick(toolbar.page_field.edit, Qt.Key.Key_Escape)
    assert reader.current_page() == 2
    assert toolbar.page_field.edit.text() == "3"


def test_the_zoom_indicator_shows_and_sets_the_zoom(toolbar: ReadingToolbar) -> None:
    reader = _reader(toolbar)
    reader.actions_.actual_size.trigger()
    assert toolbar.zoom_button.text() == "100%"
    reader.actions_.zoom_in.trigger()
    assert toolbar.zoom_button.text() == "110%"
    menu = toolbar.zoom_button.menu()
    assert menu is not None
    texts = [action.text() for action in menu.actions() if not action.isSeparator()]
    assert texts[:2] == ["Fit width", "Fit page"]
    next(a for a in menu.actions() if a.text() == "200%").trigger()
    assert reader.view.zoom() == 2.0
    assert toolbar.zoom_button.text() == "200%"


def test_toolbar_buttons_are_icons_with_our_words_as_tooltips(toolbar: ReadingToolbar) -> None:
    buttons = [
        button
        for button in toolbar.findChildren(QToolButton)
        if button.defaultAction() is not None and button.isVisible()
    ]
    assert len(buttons) >= 10
    for button in buttons:
        action = button.defaultAction()
        assert not action.icon().isNull(), action.text()
        assert action.toolTip().startswith(action.text().rstrip("…"))
        assert CANARY not in action.toolTip()
    tips = {button.defaultAction().toolTip() for button in buttons}
    assert "Zoom in (Ctrl++)" in tips and "Back (Alt+Left)" in tips
    # Icons only, so the whole row fits a normal window without the overflow arrow.
    assert toolbar.sizeHint().width() < 900


def test_ctrl_g_through_the_platform_focuses_the_page_field(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot
) -> None:
    sealed: Sealed = write_sealed(rr_home, tmp_path)
    window = viewer.open_window(sealed)
    handle = window.windowHandle()
    assert handle is not None
    # Real key presses through the platform, as a keyboard sends them to the active window.
    QTest.keyClick(handle, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    field = window.toolbar().page_field
    assert field.edit.hasFocus()
    QTest.keyClick(handle, Qt.Key.Key_7)
    QTest.keyClick(handle, Qt.Key.Key_Return)
    assert window.reader().current_page() == 6
    QTest.keyClick(handle, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.reader().current_page() == 0
    assert not window.is_covered()
    # Every reading action is in the View menu, with its shortcut.
    view_menu = window.menuBar().actions()[1].menu()
    assert view_menu is not None
    in_menu = {action.text(): action.shortcut().toString() for action in view_menu.actions()}
    assert in_menu["Go to page…"] == "Ctrl+G"
    assert in_menu["Find…"] == "Ctrl+F"
    assert in_menu["Full screen"] == "F11"


def test_zooming_in_from_a_fit_zoom_always_shows_a_change() -> None:
    # A fit zoom a hair under a preset must not step to that preset (same percentage shown).
    assert percent_text(next_zoom_step(1.497, +1)) != percent_text(1.497)
    assert percent_text(next_zoom_step(1.503, -1)) != percent_text(1.503)
    assert next_zoom_step(1.0, +1) == 1.1 and next_zoom_step(1.0, -1) == 0.9
