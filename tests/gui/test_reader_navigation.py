"""Keyboard navigation, zoom, page time, and the first page shown watermarked."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from readingroom.gui.reader.document_reader import DocumentReader
from readingroom.gui.rendering.page_cache import RenderKey
from tests.gui.sample_pdf import PAGE_COUNT


def _key(qtbot: QtBot, reader: DocumentReader, key: Qt.Key, shift: bool = False) -> None:
    modifier = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(reader.view, key, modifier)


def test_first_page_is_painted_from_a_watermarked_image(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader()
    with qtbot.waitSignal(reader.view.page_painted, timeout=10_000) as painted:
        reader.view.viewport().update()
    assert painted.args == [0]
    assert reader.current_page() == 0
    keys = [key for key in reader.view.cache._images if key.page == 0]
    assert keys and all(isinstance(key, RenderKey) for key in keys)


def test_keys_land_on_the_right_pages(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader()
    reader.view.fit_page()
    _key(qtbot, reader, Qt.Key.Key_PageDown)
    assert reader.current_page() == 1
    _key(qtbot, reader, Qt.Key.Key_Space)
    assert reader.current_page() == 2
    _key(qtbot, reader, Qt.Key.Key_Space, shift=True)
    assert reader.current_page() == 1
    _key(qtbot, reader, Qt.Key.Key_PageUp)
    assert reader.current_page() == 0
    _key(qtbot, reader, Qt.Key.Key_End)
    assert reader.current_page() == PAGE_COUNT - 1
    _key(qtbot, reader, Qt.Key.Key_Home)
    assert reader.current_page() == 0
    _key(qtbot, reader, Qt.Key.Key_Right)
    assert reader.current_page() == 1
    _key(qtbot, reader, Qt.Key.Key_Left)
    assert reader.current_page() == 0
    reader.go_to_page(6)
    assert reader.current_page() == 6
    reader.go_to_page(999)
    assert reader.current_page() == PAGE_COUNT - 1


def test_page_down_in_fit_width_scrolls_forward_through_the_document(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader()
    seen = [reader.current_page()]
    for _ in range(40):
        _key(qtbot, reader, Qt.Key.Key_PageDown)
        seen.append(reader.current_page())
    assert seen == sorted(seen)
    assert seen[-1] == PAGE_COUNT - 1
    _key(qtbot, reader, Qt.Key.Key_Down)
    _key(qtbot, reader, Qt.Key.Key_Up)
    assert reader.current_page() == PAGE_COUNT - 1


def test_page_at_a_time_mode(qtbot: QtBot, make_reader: Callable[..., DocumentReader]) -> None:
    reader = make_reader()
    reader.actions_.continuous.setChecked(False)
    assert not reader.view.is_continuous()
    reader.view.fit_page()
    _key(qtbot, reader, Qt.Key.Key_PageDown)
    assert reader.current_page() == 1
    assert reader.view.layout_.visible_pages(0, 10_000) == [1]
    _key(qtbot, reader, Qt.Key.Key_End)
    assert reader.current_page() == PAGE_COUNT - 1


def test_zoom_actions_stay_within_50_and_800_percent(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader()
    actions = reader.actions_
    actions.actual_size.trigger()
    assert reader.view.zoom() == 1.0
    actions.zoom_in.trigger()
    assert reader.view.zoom() > 1.0
    for _ in range(30):
        actions.zoom_in.trigger()
    assert reader.view.zoom() == 8.0
    assert not actions.zoom_in.isEnabled()
    for _ in range(30):
        actions.zoom_out.trigger()
    assert reader.view.zoom() == 0.5
    actions.fit_page.trigger()
    assert reader.view.zoom_mode() == "fit_page"
    actions.fit_width.trigger()
    assert reader.view.zoom_mode() == "fit_width"
    shortcuts = {a.text(): a.shortcut().toString() for a in reader.reading_actions()}
    assert shortcuts["Zoom in"] == "Ctrl++"
    assert shortcuts["Zoom out"] == "Ctrl+-"
    assert shortcuts["Actual size"] == "Ctrl+0"
    assert shortcuts["Back"] == "Alt+Left"
    assert shortcuts["Forward"] == "Alt+Right"
    assert shortcuts["Find…"] == "Ctrl+F"
    assert shortcuts["Find next"] == "F3"
    assert shortcuts["Find previous"] == "Shift+F3"


def test_ctrl_wheel_zooms(qtbot: QtBot, make_reader: Callable[..., DocumentReader]) -> None:
    reader = make_reader()
    reader.actions_.actual_size.trigger()
    viewport = reader.view.viewport()
    event = QWheelEvent(
        QPointF(50, 50),
        QPointF(viewport.mapToGlobal(QPoint(50, 50))),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, event)
    assert reader.view.zoom() > 1.0


def test_current_page_changed_is_emitted(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader()
    with qtbot.waitSignal(reader.current_page_changed) as changed:
        reader.go_to_page(4)
    assert changed.args == [4]
