"""The side panel: four tabs in sight at the default width, outline entries as cut images with
no tooltip, the current section selected as the reader pages, and out of the way when narrow."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton, QWidget
from pytestqt.qtbot import QtBot

from readingroom.gui.reader.document_reader import DocumentReader
from readingroom.gui.reader.side_panel import HYSTERESIS, NARROW_WIDTH
from tests.gui.sample_pdf import CANARY
from tests.gui.widget_text import model_strings


def test_four_tabs_show_in_full_at_the_default_width(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader()
    reader.resize(1200, 800)
    # The notes panel (another branch) adds a fourth tab: the panel is designed for it.
    reader.side_panel.addTab(QWidget(), "Notes")
    qtbot.waitUntil(reader.side_panel.isVisible)
    bar = reader.side_panel.tabBar()
    assert [bar.tabText(i) for i in range(bar.count())] == ["Pages", "Outline", "Search", "Notes"]
    assert reader.side_panel.tabs_fit()
    # No scroll arrows, and every tab lies wholly inside the bar.
    assert not [b for b in bar.findChildren(QToolButton) if b.isVisible()]
    for index in range(bar.count()):
        rect = bar.tabRect(index)
        assert rect.left() >= 0 and rect.right() <= bar.width()
        assert rect.width() >= bar.fontMetrics().horizontalAdvance(bar.tabText(index))


def test_outline_entries_are_cut_images_without_tooltips(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader()
    outline = reader.outline
    # A title wider than the panel is cut with a drawn ellipsis, not scrolled to.
    assert not outline.horizontalScrollBar().isVisible()
    assert outline.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    texts = model_strings(outline.model())
    assert texts and not [t for t in texts if CANARY in t]
    image = outline.grab().toImage()
    assert not image.isNull()


def test_the_current_section_is_selected_as_the_reader_pages(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    # Outline: 1 "Part one" p1, 2 "Section A" p2, 3 "Section B" p4, 4 "Part two" p7, 5 "C" p9.
    reader = make_reader()
    reader.view.fit_page()
    seen = {}
    for page in (0, 1, 2, 3, 5, 6, 8, 11):
        reader.go_to_page(page)
        qtbot.waitUntil(lambda page=page: reader.current_page() == page)
        seen[page + 1] = reader.outline.current_entry()
    assert seen == {1: 1, 2: 2, 3: 2, 4: 3, 6: 3, 7: 4, 9: 5, 12: 5}


def test_the_panel_steps_aside_in_a_narrow_window_and_comes_back(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader()
    reader.resize(1100, 800)
    qtbot.waitUntil(reader.side_panel.isVisible)
    reader.resize(NARROW_WIDTH - 100, 800)
    qtbot.waitUntil(lambda: not reader.side_panel.isVisible())
    # The page keeps the whole width.
    qtbot.waitUntil(lambda: reader.view.width() >= NARROW_WIDTH - 110)
    assert reader.actions_.side_panel.isChecked()  # the reader's choice is unchanged
    reader.resize(NARROW_WIDTH + HYSTERESIS + 50, 800)
    qtbot.waitUntil(reader.side_panel.isVisible)


def test_a_panel_the_reader_closed_stays_closed_when_the_window_widens(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader()
    reader.resize(NARROW_WIDTH - 100, 800)
    qtbot.waitUntil(lambda: not reader.side_panel.isVisible())
    reader.actions_.side_panel.setChecked(False)
    reader.resize(1200, 800)
    qtbot.wait(50)
    assert not reader.side_panel.isVisible()
