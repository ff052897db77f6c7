"""Failure containment and the no-document-text rule."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QApplication,
    QWidget,
)
from pytestqt.qtbot import QtBot

from readingroom.gui.reader.document_reader import DocumentReader
from readingroom.gui.rendering.page_images import HighlightRect, PageSamples, render_page_image
from readingroom.watermark import WatermarkSpec
from tests.gui.sample_pdf import CANARY, SEARCH_WORD
from tests.gui.widget_text import widget_strings

FAILING_PAGE = 2
# A real-world PDF on which MuPDF 1.28.2's get_pixmap() never returns, holding the GIL (its
# first pages all do). From the shared corpus: the tests that need it skip on a fresh clone.
CORPUS = Path(
    os.environ.get("READINGROOM_CORPUS")
    or Path(__file__).resolve().parents[3] / "shared" / "corpus" / "pdf"
)
HANGING_PDF = CORPUS / "test_2548.pdf"


def _failing_on(page_index: int) -> Callable[..., QImage]:
    def render(
        page: PageSamples,
        zoom: float,
        ratio: float,
        spec: WatermarkSpec,
        highlights: Sequence[HighlightRect] = (),
    ) -> QImage:
        if page.number == page_index:
            raise RuntimeError("renderer failed on purpose")
        return render_page_image(page, zoom, ratio, spec, highlights)

    return render


def test_failing_page_shows_error_placeholder_and_reader_carries_on(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader(render_function=_failing_on(FAILING_PAGE))
    reader.view.fit_page()
    with qtbot.waitSignal(reader.render_failed, timeout=10_000) as failed:
        reader.go_to_page(FAILING_PAGE)
    assert failed.args == [FAILING_PAGE]
    # The error placeholder is painted (pale red), not a page image.
    shot = reader.view.viewport().grab().toImage()
    centre = shot.pixelColor(shot.width() // 2, shot.height() // 3)
    assert (centre.red(), centre.green(), centre.blue()) == (250, 225, 225)
    # Other pages still render.
    with qtbot.waitSignal(reader.view.page_painted, timeout=10_000):
        reader.go_to_page(FAILING_PAGE + 1)
    assert reader._worker.is_running()


def test_hung_renderer_does_not_block_the_window(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    """The parent-side part of rendering (the watermark) hanging leaves the UI thread free."""
    release = threading.Event()

    def hanging(page: PageSamples, *args: Any) -> QImage:
        if page.number == 0:
            release.wait(30)
        return render_page_image(page, *args)

    reader = make_reader(render_function=hanging)
    reader.view.fit_page()
    try:
        busy = reader._worker.current_key
        qtbot.waitUntil(lambda: busy() is not None and busy().page == 0, timeout=10_000)
        qtbot.keyClick(reader.view, Qt.Key.Key_End)
        qtbot.keyClick(reader.view, Qt.Key.Key_PageUp)
        assert reader.current_page() == reader.page_count() - 2
        # The UI answered both keys while page 1's watermark is still held (other pages may
        # already have been drawn: a held page does not hold the others).
    finally:
        release.set()
    with qtbot.waitSignal(reader.view.page_painted, timeout=10_000):
        reader.view.viewport().update()


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_killed_renderer_is_replaced_and_pages_keep_rendering(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader()
    reader.view.fit_page()
    qtbot.waitUntil(lambda: reader.view.cache.get_any(0) is not None, timeout=10_000)
    worker = reader._worker
    first = worker.renderer_pid()
    assert first is not None and first != os.getpid()
    os.kill(first, signal.SIGKILL)  # What a segfault in MuPDF would do to it.
    with qtbot.waitSignal(
        reader.view.page_painted, timeout=20_000, check_params_cb=lambda page: page == 5
    ):
        qtbot.keyClick(reader.view, Qt.Key.Key_End)
        reader.go_to_page(5)
    assert reader.current_page() == 5
    second = worker.renderer_pid()
    assert second is not None and second != first
    assert worker.renderer_restarts() == 1
    # Whether the kill hit a prefetch in flight or an idle renderer, no page is blamed for it:
    # a page whose renderer died is tried once more by the next one.
    assert not worker.bad_pages()
    reader.shutdown()
    assert not worker.is_running()
    assert _process_gone(second)


def test_renderer_killed_mid_request_rerenders_the_page(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader()
    reader.view.fit_page()
    qtbot.waitUntil(lambda: reader.view.cache.get_any(0) is not None, timeout=10_000)
    worker = reader._worker
    outcome: dict[int, str] = {}
    reader.view.page_painted.connect(lambda page: outcome.setdefault(page, "painted"))
    reader.render_failed.connect(lambda page: outcome.setdefault(page, "failed"))
    reader.actions_.zoom_in.trigger()  # A larger image: a longer request to land the kill in.
    reader.actions_.zoom_in.trigger()
    qtbot.waitUntil(lambda: worker.current_key() is not None, timeout=10_000)
    key = worker.current_key()
    pid = worker.renderer_pid()
    assert key is not None and pid is not None
    os.kill(pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: worker.renderer_pid() not in (None, pid), timeout=20_000)
    # Whichever the kill hit (the request, or an idle renderer just after it), the window
    # carries on: keys move the view and a fresh renderer paints the next page.
    start = reader.current_page()
    with qtbot.waitSignal(
        reader.view.page_painted, timeout=20_000, check_params_cb=lambda page: page == start + 3
    ):
        reader.go_to_page(start + 3)
    assert key.page not in worker.bad_pages()  # Re-rendered by the fresh renderer.
    assert outcome.get(key.page) != "failed"
    reader.shutdown()
    assert not worker.is_running()


@pytest.mark.skipif(not HANGING_PDF.is_file(), reason="the shared corpus is not present")
def test_pdf_that_hangs_mupdf_fails_its_page_and_the_window_stays_responsive(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader(HANGING_PDF.read_bytes(), render_hang_seconds=2.0)
    reader.view.fit_page()
    worker = reader._worker
    hung_pid = worker.renderer_pid()
    assert hung_pid is not None
    busy = worker.current_key
    qtbot.waitUntil(lambda: busy() is not None and busy().page == 0, timeout=10_000)
    with qtbot.waitSignal(
        reader.render_failed, timeout=30_000, check_params_cb=lambda page: page == 0
    ):
        # While MuPDF spins on page 1 (GIL held, in the child), the window still takes keys.
        qtbot.keyClick(reader.view, Qt.Key.Key_PageDown)
        assert reader.current_page() == 1
    assert 0 in worker.bad_pages()
    assert _process_gone(hung_pid)  # Killed and reaped.
    qtbot.keyClick(reader.view, Qt.Key.Key_PageDown)
    assert reader.current_page() == 2
    # A fresh renderer carries on with the rest of the queue (the last page renders fine).
    last = reader.page_count() - 1
    with qtbot.waitSignal(
        reader.view.page_painted, timeout=30_000, check_params_cb=lambda page: page == last
    ):
        qtbot.keyClick(reader.view, Qt.Key.Key_End)
    assert reader.current_page() == last
    assert reader.view.cache.get_any(0) is None
    pid = worker.renderer_pid()
    reader.shutdown()  # Returns although a renderer may be spinning on another page.
    assert not worker.is_running()
    assert pid is None or _process_gone(pid)


@pytest.mark.skipif(not HANGING_PDF.is_file(), reason="the shared corpus is not present")
def test_shutdown_does_not_wait_for_a_hung_renderer(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader(HANGING_PDF.read_bytes(), render_hang_seconds=600.0)
    worker = reader._worker
    busy = worker.current_key
    qtbot.waitUntil(lambda: busy() is not None and busy().page == 0, timeout=10_000)
    pid = worker.renderer_pid()
    assert pid is not None
    reader.shutdown()
    assert not worker.is_running()
    assert _process_gone(pid)


def test_no_document_text_reaches_any_widget(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader()
    assert reader.outline.entry_count() == 5
    reader.outline.expandAll()
    reader.side_panel.setCurrentWidget(reader.outline)
    reader.actions_.find.trigger()
    reader.search_bar.query_edit.setText(SEARCH_WORD)
    qtbot.keyClick(reader.search_bar.query_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: reader.search_bar.status_label.text().startswith("4 hits"))
    reader.outline.page_activated.emit(3)
    qtbot.wait(100)
    widgets = [reader, *reader.findChildren(QWidget), *QApplication.topLevelWidgets()]
    strings = [text for widget in widgets for text in widget_strings(widget)]
    assert strings, "the walk found nothing: the test would prove nothing"
    assert not [text for text in strings if CANARY.lower() in text.lower()]
    assert CANARY.lower() not in QApplication.clipboard().text().lower()
    # The outline's accessible text names the entry and page only.
    index = reader.outline.model().index(0, 0)
    assert index.data(Qt.ItemDataRole.AccessibleTextRole) == "Outline entry 1, page 1"
    assert index.data(Qt.ItemDataRole.DisplayRole) is None


def test_outline_entry_navigates(qtbot: QtBot, make_reader: Callable[..., DocumentReader]) -> None:
    reader = make_reader()
    reader.view.fit_page()
    model = reader.outline.model()
    part_two = model.index(1, 0)
    reader.outline.clicked.emit(part_two)
    assert reader.current_page() == 6
    reader.actions_.back.trigger()
    assert reader.current_page() == 0


def test_thumbnail_click_navigates(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader()
    reader.view.fit_page()
    reader.thumbnails.clicked.emit(reader.thumbnails.model().index(5, 0))
    assert reader.current_page() == 5


def test_shutdown_stops_the_thread_and_drops_images(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader()
    qtbot.waitUntil(lambda: len(reader.view.cache) > 0, timeout=10_000)
    pid = reader._worker.renderer_pid()
    assert pid is not None
    reader.shutdown()
    assert not reader._worker.is_running()
    assert _process_gone(pid)
    assert len(reader.view.cache) == 0
    reader.shutdown()  # twice is fine
