"""Smoke: the reader opens and shows its first page."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from readingroom.gui.reader.document_reader import DocumentReader
from tests.gui.sample_pdf import PAGE_COUNT


def test_first_page_is_shown(qtbot: QtBot, make_reader: Callable[..., DocumentReader]) -> None:
    reader = make_reader()
    assert reader.page_count() == PAGE_COUNT
    assert reader.current_page() == 0
    with qtbot.waitSignal(reader.view.page_painted, timeout=10_000) as blocker:
        reader.view.viewport().update()
    assert blocker.args == [0]
