"""The end of a session is one screen (#14 item 8, the review's overlap defect).

After "End session" the ended curtain carries the summary as its own text block between its
message and its Close button: no message box drawn over the curtain, nothing overlapping or
clipped, Enter or Escape closes, and what a screen reader is given is only the viewer's sentences.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from readingroom.errors import AuditUnavailable, ExitCode
from readingroom.gui.main_window import ViewerWindow
from readingroom.gui.resources import load_style_sheet
from readingroom.reading_session import EndReason
from tests.gui.sample_pdf import CANARY
from tests.gui.test_room_rules import _break_the_log_underneath
from tests.gui.test_session_fixtures import WAIT_MS, Sealed, Viewer, events
from tests.gui.widget_text import widget_strings

ENDED = "The reading session has ended."


def _end_through_the_question(window: ViewerWindow) -> None:
    window.comforts().ask_to_end()
    question = window.comforts().question
    assert question is not None
    next(b for b in question.buttons() if b.text() == "End session").click()


def _parts(window: ViewerWindow) -> tuple[QLabel, QLabel, QPushButton]:
    curtain = window.curtain()
    message = curtain.findChild(QLabel, "curtainMessage")
    summary = curtain.findChild(QLabel, "curtainSummary")
    close = curtain.findChild(QPushButton, "curtainClose")
    assert message is not None and summary is not None and close is not None
    return message, summary, close


def _in_curtain(widget: QWidget, window: ViewerWindow) -> QRect:
    curtain = window.curtain()
    return QRect(widget.mapTo(curtain, widget.rect().topLeft()), widget.size())


def _visible_windows() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.isWindow()]


@pytest.fixture
def viewer_style(qapp: QApplication) -> Iterator[None]:
    """The viewer's own style sheet, as ``readingroom view`` applies it (sizes, colours)."""
    qapp.setStyleSheet(load_style_sheet("viewer"))
    try:
        yield
    finally:
        qapp.setStyleSheet("")


def _assert_one_clear_screen(window: ViewerWindow) -> None:
    """Message, summary and Close all visible inside the curtain, in order, none overlapping
    or clipped."""
    message, summary, close = _parts(window)
    curtain_rect = window.curtain().rect()
    boxes = {name: _in_curtain(w, window) for name, w in
             (("message", message), ("summary", summary), ("close", close))}  # fmt: skip
    for name, widget in (("message", message), ("summary", summary), ("close", close)):
        assert widget.isVisible(), name
        assert not boxes[name].isEmpty(), name
        assert curtain_rect.contains(boxes[name]), name
    assert not boxes["message"].intersects(boxes["summary"])
    assert not boxes["summary"].intersects(boxes["close"])
    assert not boxes["message"].intersects(boxes["close"])
    # Top to bottom: what happened, what was read, the way out.
    assert boxes["message"].bottom() < boxes["summary"].top() < boxes["close"].top()
    # Not clipped: each wrapped sentence gets at least the height it asks for at its width.
    for label in (message, summary):
        assert label.height() >= label.heightForWidth(label.width()), label.objectName()


def test_the_summary_is_part_of_the_ended_curtain_and_nothing_overlaps(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot, viewer_style: None
) -> None:
    window = viewer.open_window(sealed)
    page_count = window.reader().view.page_count()
    qtbot.wait(400)  # past the 300 ms under which a page view is not counted
    _end_through_the_question(window)

    assert window.is_covered() and window.comforts().question is None
    message, summary, _ = _parts(window)
    qtbot.waitUntil(lambda: summary.height() >= summary.heightForWidth(summary.width()))
    assert message.text() == ENDED
    seen = window.comforts().tally.pages_seen
    assert seen >= 1
    assert (
        summary.text() == f"You read for less than a minute and saw {seen} of {page_count} pages."
    )
    assert window.curtain().summary() == summary.text()
    # One screen: the reading window is the only window up, no box over the curtain.
    assert _visible_windows() == [window]
    assert not any(isinstance(w, QMessageBox) for w in _visible_windows())

    _assert_one_clear_screen(window)
    # A narrow window wraps the sentences; still nothing overlaps or is cut.
    window.resize(420, 520)  # a reading window squeezed to a third of a laptop's screen
    qtbot.waitUntil(lambda: window.curtain().width() <= 420, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: summary.height() >= summary.heightForWidth(summary.width()))
    assert summary.heightForWidth(summary.width()) > summary.fontMetrics().height()  # wrapped
    _assert_one_clear_screen(window)
    # Large enough to read at a glance (viewer.qss sets both; the summary a little smaller).
    assert summary.font().pointSizeF() >= 13 and message.font().pointSizeF() >= 15


def test_enter_on_the_ended_curtain_closes_the_window(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    window = viewer.open_window(sealed)
    _end_through_the_question(window)
    _, _, close = _parts(window)
    # The keyboard is on Close at once: the page, and its focus, are gone for good.
    assert QApplication.focusWidget() is close
    with qtbot.waitSignal(window.session_finished, timeout=WAIT_MS):
        qtbot.keyClick(close, Qt.Key.Key_Return)
    assert not window.isVisible()
    ended = [r for r in events(sealed.config) if r["event"] == "session_ended"]
    assert [r["details"]["reason"] for r in ended] == ["closed"]


@pytest.mark.parametrize("key", [Qt.Key.Key_Escape, Qt.Key.Key_Enter])
def test_escape_or_keypad_enter_closes_a_session_that_ended_by_itself(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot, key: Qt.Key
) -> None:
    window = viewer.open_window(sealed)
    window.end_session(EndReason.MAX_TIME)
    message, summary, close = _parts(window)
    assert message.text().startswith("The maximum reading time has been reached.")
    assert summary.isVisible() and summary.text().startswith("You read for ")
    modifier = (
        Qt.KeyboardModifier.KeypadModifier
        if key == Qt.Key.Key_Enter
        else Qt.KeyboardModifier.NoModifier
    )
    with qtbot.waitSignal(window.session_finished, timeout=WAIT_MS):
        qtbot.keyClick(close, key, modifier)
    assert not window.isVisible()


def test_keys_on_the_away_curtain_neither_end_nor_close(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    """The away curtain has no Close: Escape or Enter there changes nothing."""
    window = viewer.open_window(sealed)
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    # What the platform reports when another application takes the keyboard (see
    # tests/gui/test_room_rules.py: offscreen has no other application to switch to).
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
    curtain = window.curtain()
    assert window.is_covered() and "away" in curtain.message()
    assert not curtain.is_closable() and curtain.summary() == ""
    qtbot.keyClick(curtain, Qt.Key.Key_Escape)
    qtbot.keyClick(curtain, Qt.Key.Key_Return)
    assert window.isVisible()
    assert [r for r in events(sealed.config) if r["event"] == "session_ended"] == []
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    assert not window.is_covered()


def _accessible_texts(interface: QAccessibleInterface | None, depth: int = 0) -> list[str]:
    """Every text a screen reader can ask of ``interface`` and everything below it."""
    if interface is None or not interface.isValid() or depth > 40:
        return []
    kinds = (QAccessible.Text.Name, QAccessible.Text.Description, QAccessible.Text.Value,
             QAccessible.Text.Help)  # fmt: skip
    found = [interface.text(kind) for kind in kinds]
    for index in range(interface.childCount()):
        found += _accessible_texts(interface.child(index), depth + 1)
    return [text for text in found if text]


def test_a_screen_reader_is_given_only_the_viewers_own_sentences(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    window = viewer.open_window(sealed)
    qtbot.wait(400)
    _end_through_the_question(window)
    curtain = window.curtain()
    message, summary, close = _parts(window)
    sentences = {message.text(), summary.text(), close.text()}
    assert curtain.accessibleName() == message.text()
    assert curtain.accessibleDescription() == summary.text()
    # The curtain's whole accessible subtree says nothing but those sentences.
    under_curtain = _accessible_texts(QAccessible.queryAccessibleInterface(curtain))
    assert set(under_curtain) <= sentences and summary.text() in under_curtain
    # And nothing anywhere in the window, walked as a screen reader and as widgets, carries
    # the document's canary word.
    whole = _accessible_texts(QAccessible.queryAccessibleInterface(window))
    assert whole and not any(CANARY in text for text in whole)
    for widget in [window, *window.findChildren(QWidget)]:
        assert not any(CANARY in text for text in widget_strings(widget))


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_no_summary_when_the_final_record_could_not_be_written(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    """The summary says what the log holds: when ``session_ended`` fails, it is not shown."""
    window = viewer.open_window(sealed)
    _break_the_log_underneath(viewer)
    _end_through_the_question(window)
    curtain = window.curtain()
    assert str(AuditUnavailable()) in curtain.message()
    assert curtain.summary() == "" and curtain.accessibleDescription() == ""
    assert window.exit_code() == ExitCode.AUDIT_UNAVAILABLE
    _, summary, close = _parts(window)
    assert not summary.isVisible() and close.isVisible()
    with qtbot.waitSignal(window.session_finished, timeout=WAIT_MS):
        qtbot.keyClick(close, Qt.Key.Key_Return)
