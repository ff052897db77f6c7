"""Search lands on the right pages; internal links navigate; external links are only reported."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from readingroom.gui.reader.document_reader import DocumentReader
from tests.gui.sample_pdf import (
    EXTERNAL_LINK_RECT,
    INTERNAL_LINK_RECT,
    LINK_SOURCE_PAGE,
    LINK_TARGET_PAGE,
    SEARCH_PAGES,
    SEARCH_WORD,
)


def _search(qtbot: QtBot, reader: DocumentReader, query: str) -> int:
    """Run ``query`` from the search bar; return the match count ``searched`` reported."""
    reader.actions_.find.trigger()
    assert reader.search_bar.isVisible()
    reader.search_bar.query_edit.setText(query)
    with qtbot.waitSignal(reader.searched, timeout=10_000) as searched:
        qtbot.keyClick(reader.search_bar.query_edit, Qt.Key.Key_Return)
    assert searched.args is not None and searched.args[0] == query
    assert not reader.search_bar.status_label.text().endswith("…")
    return int(searched.args[1])


def test_search_lands_on_the_hit_pages(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader()
    reader.view.fit_page()
    assert _search(qtbot, reader, SEARCH_WORD) == 4
    assert reader.search_results.pages() == sorted(SEARCH_PAGES)
    assert reader.current_page() == 3
    assert reader.search_bar.status_label.text() == "4 hits on 3 pages"
    order = []
    for _ in range(4):
        reader.actions_.find_next.trigger()
        order.append(reader.current_page())
    assert order == [7, 7, 10, 3]
    reader.actions_.find_previous.trigger()
    assert reader.current_page() == 10
    rows = [reader.search_results.item(i).text() for i in range(reader.search_results.count())]
    # A header per page, then one row per hit holding only an image (no text at all).
    assert rows == ["Page 4 — 1 hit", "", "Page 8 — 2 hits", "", "", "Page 11 — 1 hit", ""]
    assert all(re.fullmatch(r"(Page \d+ — \d+ hits?)?", row) for row in rows)


def test_hit_list_row_jumps_to_its_page(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader()
    reader.view.fit_page()
    _search(qtbot, reader, SEARCH_WORD)
    reader.search_results.hit_activated.emit(10, 0)
    assert reader.current_page() == 10


def test_search_hits_are_burned_into_the_page_image(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader()
    reader.view.fit_page()
    _search(qtbot, reader, SEARCH_WORD)
    generation = reader.search.generation
    qtbot.waitUntil(
        lambda: any(
            key.page == 3 and key.highlight_generation == generation
            for key in reader.view.cache._images
        ),
        timeout=10_000,
    )


def test_no_hits(qtbot: QtBot, make_reader: Callable[..., DocumentReader]) -> None:
    reader = make_reader()
    assert _search(qtbot, reader, "xylophonequartz") == 0
    assert reader.search_bar.status_label.text() == "No matches"
    assert reader.search_results.message() == "No matches for “xylophonequartz”"
    assert reader.search_results.count() == 1
    assert reader.current_page() == 0


def _click_rect(qtbot: QtBot, reader: DocumentReader, page: int, rect: object) -> None:
    view = reader.view
    box = view.layout_.box(page)
    x = box.x + (rect.x0 + rect.x1) / 2 * view.zoom() - view.horizontalScrollBar().value()  # type: ignore[attr-defined]
    y = box.y + (rect.y0 + rect.y1) / 2 * view.zoom() - view.verticalScrollBar().value()  # type: ignore[attr-defined]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y)))


def _show_link_page(qtbot: QtBot, reader: DocumentReader) -> None:
    reader.view.fit_page()
    reader.go_to_page(LINK_SOURCE_PAGE)
    qtbot.waitUntil(lambda: LINK_SOURCE_PAGE in reader.view._links, timeout=10_000)


def test_internal_link_navigates_and_back_returns(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader()
    _show_link_page(qtbot, reader)
    _click_rect(qtbot, reader, LINK_SOURCE_PAGE, INTERNAL_LINK_RECT)
    assert reader.current_page() == LINK_TARGET_PAGE
    reader.actions_.back.trigger()
    assert reader.current_page() == LINK_SOURCE_PAGE
    reader.actions_.forward.trigger()
    assert reader.current_page() == LINK_TARGET_PAGE


def test_external_link_is_reported_by_kind_and_never_opened(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[object] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", opened.append)
    reader = make_reader()
    _show_link_page(qtbot, reader)
    with qtbot.waitSignal(reader.external_link_blocked) as blocked:
        _click_rect(qtbot, reader, LINK_SOURCE_PAGE, EXTERNAL_LINK_RECT)
    assert blocked.args == ["uri"]
    assert opened == []
    assert reader.current_page() == LINK_SOURCE_PAGE
