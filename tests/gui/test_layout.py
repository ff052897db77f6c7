"""The window remembers its panel layout between sessions (never the document), and the page
has the keyboard as soon as the window opens."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from readingroom.gui.reader.page_view import FIT_PAGE, FIT_WIDTH
from readingroom.gui.viewer_launcher import LAYOUT_FILE_NAME
from tests.gui.sample_pdf import CANARY
from tests.gui.test_session_fixtures import WAIT_MS, Sealed, Viewer


def test_a_second_session_restores_the_panel_layout_but_not_the_page(
    sealed: Sealed, viewer: Viewer, rr_home: Path
) -> None:
    first = viewer.open_window(sealed)
    reader = first.reader()
    assert reader.side_panel.currentWidget() is reader.thumbnails  # the defaults
    assert reader.view.is_continuous() and reader.view.zoom_mode() == FIT_WIDTH
    reader.side_panel.setCurrentWidget(reader.outline)
    reader.splitter.setSizes([300, 700])
    widths = reader.splitter.sizes()
    reader.actions_.continuous.setChecked(False)
    reader.actions_.fit_page.trigger()
    reader.go_to_page(5)
    first.close()

    second = viewer.open_window(sealed)
    restored = second.reader()
    assert restored.side_panel.isVisible()
    assert restored.side_panel.currentWidget() is restored.outline
    assert restored.splitter.sizes()[0] == widths[0] == 300  # the screen may be narrower
    assert not restored.view.is_continuous() and not restored.actions_.continuous.isChecked()
    assert restored.view.zoom_mode() == FIT_PAGE
    assert restored.current_page() == 0  # the page is the document's, not the layout's

    text = (rr_home / LAYOUT_FILE_NAME).read_text(encoding="utf-8", errors="replace")
    assert CANARY not in text and "Child A" not in text
    keys = set(QSettings(str(rr_home / LAYOUT_FILE_NAME), QSettings.Format.IniFormat).allKeys())
    assert keys == {
        "window/geometry",
        "window/state",
        "reader/side_panel_visible",
        "reader/side_panel_tab",
        "reader/splitter",
        "reader/continuous",
        "reader/zoom_mode",
    }


def test_a_hidden_side_panel_stays_hidden(sealed: Sealed, viewer: Viewer) -> None:
    first = viewer.open_window(sealed)
    first.reader().actions_.side_panel.setChecked(False)  # F7
    first.close()
    second = viewer.open_window(sealed)
    assert second.reader().side_panel.isHidden()
    assert not second.reader().actions_.side_panel.isChecked()


def test_a_search_tab_and_a_custom_zoom_are_not_carried_over(
    sealed: Sealed, viewer: Viewer
) -> None:
    first = viewer.open_window(sealed)
    reader = first.reader()
    reader.run_search("marmalade")
    assert reader.side_panel.currentWidget() is reader.search_results
    reader.view.set_zoom(2.0)
    first.close()
    second = viewer.open_window(sealed)
    assert second.reader().side_panel.currentWidget() is second.reader().thumbnails
    assert second.reader().view.zoom_mode() == FIT_WIDTH


def test_a_malformed_layout_file_falls_back_to_the_defaults(
    sealed: Sealed, viewer: Viewer, rr_home: Path
) -> None:
    (rr_home / LAYOUT_FILE_NAME).write_text(
        "[window]\ngeometry=nonsense\nstate=42\n"
        "[reader]\nside_panel_tab=search\nsplitter=x\ncontinuous=maybe\nzoom_mode=custom\n"
    )
    window = viewer.open_window(sealed)
    reader = window.reader()
    assert reader.side_panel.currentWidget() is reader.thumbnails
    assert reader.view.zoom_mode() == FIT_WIDTH
    assert not reader.view.is_continuous()  # "maybe" is not "true"
    assert reader.side_panel.isVisible()


def test_page_down_works_as_soon_as_the_window_opens(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    window = viewer.open_window(sealed)
    view = window.reader().view
    assert QApplication.focusWidget() is view
    handle = window.windowHandle()
    assert handle is not None
    # A real key press through the platform: it goes wherever the keyboard focus is.
    QTest.keyClick(handle, Qt.Key.Key_PageDown)
    assert view.verticalScrollBar().value() > 0
    for _ in range(3):  # a page taller than the screen takes a screenful or two
        if view.current_page() > 0:
            break
        QTest.keyClick(handle, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: view.current_page() == 1, timeout=WAIT_MS)
