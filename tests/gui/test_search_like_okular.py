"""Search as Okular does it: from the page being read round to it, case and whole-word options,
hits listed as image crops of their lines, "No matches for …", and the hit count in the log."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from readingroom.gui.reader.document_reader import DocumentReader
from readingroom.gui.reader.search_results_list import HIT_ROLE, IMAGE_ROLE
from readingroom.gui.rendering.page_images import BAND_COLOUR
from tests.gui.sample_pdf import CANARY, SEARCH_WORD
from tests.gui.test_session_fixtures import Viewer, events, write_sealed
from tests.gui.widget_text import widget_strings

# Page (0-based) -> the line on it that mentions the orchard, in different cases and forms.
ORCHARD_LINES = {
    1: f"The {CANARY} Orchard was visited twice.",
    2: f"Three orchards near {CANARY} were listed.",
    4: f"Nobody checked the orchard behind {CANARY}.",
    5: f"ORCHARD records for {CANARY} are missing.",
}
PAGES = 7


@pytest.fixture(scope="module")
def orchard_pdf() -> bytes:
    """Seven pages; the orchard lines above, each page with its canary heading."""
    document = pymupdf.open()
    for index in range(PAGES):
        page = document.new_page(width=595, height=842)
        page.insert_text((72, 90), f"Section {index + 1} {CANARY}", fontsize=18)
        if index in ORCHARD_LINES:
            page.insert_text((72, 300), ORCHARD_LINES[index], fontsize=12)
    data: bytes = document.tobytes()
    document.close()
    return data


def _search(qtbot: QtBot, reader: DocumentReader, query: str) -> int:
    reader.open_search()
    reader.search_bar.query_edit.setText(query)
    with qtbot.waitSignal(reader.searched, timeout=10_000) as searched:
        qtbot.keyClick(reader.search_bar.query_edit, Qt.Key.Key_Return)
    assert searched.args is not None
    return int(searched.args[1])


def _hit_pages(reader: DocumentReader) -> list[int]:
    return reader.search_results.pages()


def test_search_starts_at_the_current_page_and_wraps_round(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader], orchard_pdf: bytes
) -> None:
    reader = make_reader(orchard_pdf)
    reader.view.fit_page()
    reader.go_to_page(3)
    assert _search(qtbot, reader, "orchard") == 4
    # The first hit shown is the first at or after the page being read, not page 2.
    assert reader.current_page() == 4
    order = []
    for _ in range(4):
        qtbot.keyClick(reader.search_bar.query_edit, Qt.Key.Key_F3)
        order.append(reader.current_page())
    assert order == [5, 1, 2, 4]  # on past the last hit, round to the first page's
    qtbot.keyClick(reader.search_bar.query_edit, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert reader.current_page() == 2
    qtbot.keyClick(reader.search_bar.query_edit, Qt.Key.Key_Return)  # same query: next hit
    assert reader.current_page() == 4


def test_whole_words_leaves_out_longer_words(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader], orchard_pdf: bytes
) -> None:
    reader = make_reader(orchard_pdf)
    assert _search(qtbot, reader, "orchard") == 4
    assert 2 in _hit_pages(reader)  # "orchards" matches a plain search
    with qtbot.waitSignal(reader.searched, timeout=10_000) as searched:
        # Alt+W ticks "Whole words" in the options menu, and that runs the query again.
        qtbot.keyClick(reader.search_bar.query_edit, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    assert searched.args == ["orchard", 3]
    assert reader.search_bar.whole_words.isChecked()
    assert reader.search_bar.options_button.text() == "Whole words"
    assert _hit_pages(reader) == [1, 4, 5]


def test_match_case_keeps_only_the_same_capitals(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader], orchard_pdf: bytes
) -> None:
    reader = make_reader(orchard_pdf)
    reader.search_bar.match_case.setChecked(True)
    assert _search(qtbot, reader, "Orchard") == 1
    assert _hit_pages(reader) == [1]
    with qtbot.waitSignal(reader.searched, timeout=10_000) as searched:
        reader.search_bar.whole_words.setChecked(True)
    assert searched.args == ["Orchard", 1]
    assert _search(qtbot, reader, "orchard") == 1  # page 4 only: "orchards" is not a whole word
    assert _hit_pages(reader) == [4]


def test_a_phrase_split_over_two_lines_is_one_match(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    document = pymupdf.open()
    page = document.new_page()
    page.insert_text((72, 100), "the strategy meeting was held by the social")
    page.insert_text((72, 115), "worker on Tuesday")
    reader = make_reader(document.tobytes())
    assert _search(qtbot, reader, "social worker") == 1
    assert [reader.search_results.item(i).text() for i in range(2)] == ["Page 1 — 1 hit", ""]


def _crop_images(reader: DocumentReader) -> list[QImage]:
    results = reader.search_results
    images = []
    for row in range(results.count()):
        item = results.item(row)
        if item.data(HIT_ROLE) not in (None, -1):
            images.append(item.data(IMAGE_ROLE))
    return images


def test_hits_are_listed_as_marked_image_crops_and_never_as_text(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader], orchard_pdf: bytes
) -> None:
    reader = make_reader(orchard_pdf)
    reader.side_panel.show()
    assert _search(qtbot, reader, "orchard") == 4
    qtbot.waitUntil(
        lambda: all(isinstance(image, QImage) for image in _crop_images(reader)), timeout=10_000
    )
    crops = _crop_images(reader)
    assert len(crops) == 4
    for crop in crops:
        size = crop.deviceIndependentSize()
        # A line's worth of context: wide, one line high, plus the marking strip.
        assert size.width() > 4 * size.height() > 0
        # The strip of the page's band text (session code) in the band colour is in each crop.
        bottom = round(crop.height() - 1 - crop.height() * 0.05)
        row = [
            QColor(crop.pixel(x, y))
            for y in range(bottom - 3, crop.height())
            for x in range(crop.width())
        ]
        assert any(c.red() > 120 and c.green() < 60 and c.blue() < 60 for c in row)
        assert QColor(BAND_COLOUR).red() == 150
    # Rows hold no document text anywhere: text, tooltip, accessible text, any role.
    texts = [t for widget in reader.findChildren(QWidget) for t in widget_strings(widget)]
    assert texts and not [t for t in texts if CANARY.lower() in t.lower()]
    assert not [t for t in texts if "visited" in t or "missing" in t or "behind" in t]


def test_no_matches_is_said_in_the_results_panel(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader], orchard_pdf: bytes
) -> None:
    reader = make_reader(orchard_pdf)
    assert _search(qtbot, reader, "  quince\u202e  ") == 0
    assert reader.side_panel.currentWidget() is reader.search_results
    assert reader.search_results.message() == "No matches for “quince”"
    assert reader.search_bar.status_label.text() == "No matches"


@pytest.mark.slow
def test_each_search_is_recorded_with_its_hit_count(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot
) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    window = viewer.open_window(sealed)
    reader = window.reader()
    assert _search(qtbot, reader, SEARCH_WORD) == 4
    assert _search(qtbot, reader, "xylophonequartz") == 0
    reader.search_bar.query_edit.setText("line")
    qtbot.keyClick(reader.search_bar.query_edit, Qt.Key.Key_Return)
    window.close()  # the session ends while that search may still run
    searches = [r["details"] for r in events(sealed.config) if r["event"] == "search"]
    assert searches[:2] == [
        {"query": SEARCH_WORD, "hits": 4},
        {"query": "xylophonequartz", "hits": 0},
    ]
    assert len(searches) == 3 and searches[2]["query"] == "line"
    assert searches[2].get("hits") in (None, 360)  # 30 lines x 12 pages, if it finished in time


def test_only_hits_in_sight_get_their_crops(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    document = pymupdf.open()
    for _ in range(60):
        document.new_page(width=300, height=200).insert_text((20, 50), "one orchard")
    reader = make_reader(document.tobytes())
    results = reader.search_results
    assert _search(qtbot, reader, "orchard") == 60
    qtbot.waitUntil(lambda: 0 in results.pages_with_images(), timeout=10_000)
    in_sight = set(results.pages_in_view(10))
    assert set(results.pages_with_images()) <= in_sight
    assert 59 not in in_sight
    results.scrollToBottom()
    qtbot.waitUntil(lambda: 59 in results.pages_with_images(), timeout=10_000)
