"""The reader's comforts (#14 item 8): asking before ending, the summary, Help, the idle
warning, the inverted page mode, and nothing answering behind the ended curtain."""

from __future__ import annotations

import pymupdf
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from readingroom.gui.dialogs.end_session_dialog import END_QUESTION
from readingroom.gui.dialogs.help_dialogs import ABOUT_TITLE, SHORTCUTS_TITLE, ShortcutsDialog
from readingroom.gui.idle_monitor import IdleMonitor
from readingroom.gui.rendering.page_images import BAND_HEIGHT_PT, render_page_image
from readingroom.gui.viewer_launcher import ViewerTuning
from readingroom.gui.window_comforts import idle_warning_text
from readingroom.reading_session import EndReason
from readingroom.watermark import WatermarkSpec
from tests.gui.test_render_page_images import reddish_pixels
from tests.gui.test_session_fixtures import WAIT_MS, Sealed, Viewer, events


def _button(box: QMessageBox, text: str) -> QMessageBox:
    for button in box.buttons():
        if button.text() == text:
            button.click()
            return box
    raise AssertionError(f"no {text!r} button in {[b.text() for b in box.buttons()]}")


def _ended(sealed: Sealed) -> list[dict[str, object]]:
    return [record for record in events(sealed.config) if record["event"] == "session_ended"]


def test_ctrl_w_asks_then_shows_a_summary_then_closes_with_one_end_record(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    window = viewer.open_window(sealed)
    comforts = window.comforts()
    page_count = window.reader().view.page_count()
    qtbot.keyClick(window.reader().view, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    question = comforts.question
    assert question is not None and question.isVisible()
    assert question.text() == END_QUESTION
    _button(question, "Keep reading")
    assert comforts.question is None
    assert not window.is_covered() and _ended(sealed) == []

    # Each page stays on screen past the 300 ms under which a view is not recorded.
    qtbot.wait(400)
    window.reader().view.next_page()
    qtbot.wait(400)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClick(window.reader().view, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    question = comforts.question
    assert question is not None
    _button(question, "End session")
    # Ended and recorded before the summary: the summary says what the log holds.
    assert window.is_covered() and len(_ended(sealed)) == 1
    assert not window.toolbar().isEnabled()
    # The summary is the ended curtain's own block (tests/gui/test_end_of_session_screen.py).
    assert window.isVisible()
    seen = comforts.tally.pages_seen
    assert seen >= 2
    assert window.curtain().summary() == (
        f"You read for less than a minute and saw {seen} of {page_count} pages."
    )
    viewed = {r["details"]["page"] for r in events(sealed.config) if r["event"] == "page_viewed"}
    assert len(viewed) == seen
    close = window.curtain().findChild(QPushButton, "curtainClose")
    assert close is not None and close.isVisible()
    with qtbot.waitSignal(window.session_finished, timeout=WAIT_MS):
        close.click()
    assert not window.isVisible()
    ended = _ended(sealed)
    assert len(ended) == 1 and ended[0]["details"]["reason"] == "closed"


def test_a_program_close_ends_at_once_even_while_the_question_is_up(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    # (A window manager's close, Alt+F4, is a spontaneous event only a real X server sends:
    # tests/robustness/test_real_x_kiosk.py answers the question it raises.)
    window = viewer.open_window(sealed)
    window.comforts().ask_to_end()
    assert window.comforts().question is not None and _ended(sealed) == []
    # A stop signal or the launcher closes from the program: no question, ended at once.
    with qtbot.waitSignal(window.session_finished, timeout=WAIT_MS):
        assert window.close()
    assert len(_ended(sealed)) == 1
    assert window.comforts().question is None


def test_a_session_that_ended_otherwise_closes_without_asking(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    window = viewer.open_window(sealed)
    window.end_session(EndReason.EXPIRED)
    # Nothing behind the ended curtain answers: toolbar, reading actions, the inverted mode.
    assert window.is_covered() and not window.toolbar().isEnabled()
    assert not any(action.isEnabled() for action in window.reader().reading_actions())
    assert not window.findChild(QAction, "invertColours").isEnabled()
    with qtbot.waitSignal(window.session_finished, timeout=WAIT_MS):
        qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert [r["details"]["reason"] for r in _ended(sealed)] == ["expired"]


def test_the_idle_warning_comes_before_the_lock_and_input_withdraws_it(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    window = viewer.open_window(
        sealed, tuning=ViewerTuning(delay_for=lambda _n: 0.0, idle_ms=1500), activate=False
    )
    comforts = window.comforts()
    qtbot.waitUntil(comforts.warning_shown, timeout=WAIT_MS)
    assert window.relock_dialog() is None and not window.is_covered()
    banner = window.findChild(QLabel, "idleWarning")
    assert banner is not None
    assert banner.text() == "Move the mouse to keep reading. The reading room locks in 1 second."
    assert idle_warning_text(60_000).endswith("locks in a minute.")
    assert window.rect().contains(banner.geometry())
    QTest.mouseMove(window.reader().view.viewport(), QPoint(40, 40))
    QTest.mouseMove(window.reader().view.viewport(), QPoint(60, 60))
    assert not comforts.warning_shown()
    qtbot.waitUntil(lambda: window.relock_dialog() is not None, timeout=WAIT_MS)
    assert not comforts.warning_shown()
    names = [r["event"] for r in events(sealed.config)]
    assert names.count("idle_locked") == 1


def test_idle_monitor_warns_a_minute_before_or_halfway_through(qtbot: QtBot) -> None:
    assert IdleMonitor(10 * 60_000).warning_interval_ms() == 9 * 60_000
    assert IdleMonitor(60_000).warning_interval_ms() == 30_000
    monitor = IdleMonitor(200)
    with qtbot.waitSignal(monitor.idle_warning, timeout=WAIT_MS):
        monitor.restart()
    assert monitor.is_warning()
    with qtbot.waitSignals([monitor.warning_withdrawn, monitor.idle_timed_out], timeout=WAIT_MS):
        pass
    assert not monitor.is_warning()


def test_help_lists_every_shortcut_of_the_window_and_says_what_is_recorded(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    window = viewer.open_window(sealed)
    menus = {action.text(): action.menu() for action in window.menuBar().actions()}
    assert "&Help" in menus
    help_actions = {action.text(): action for action in menus["&Help"].actions()}
    help_actions["Keyboard shortcuts"].trigger()
    box = window.findChild(ShortcutsDialog, "shortcutsBox")
    assert box is not None and box.isVisible() and box.windowTitle() == SHORTCUTS_TITLE
    listed = box.listed_text()
    shown = {label.text() for label in box.findChildren(QLabel)}
    assert all(line.split(": ", 1)[1] in shown for line in listed.splitlines())
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            keys = sequence.toString(QKeySequence.SequenceFormat.NativeText)
            if keys.casefold() != action.text().casefold():  # a keyboard's own "Close" key
                assert keys in listed, (action.text(), keys)
    for key in ("Page Down", "Home", "Ctrl+wheel"):
        assert key in listed
    box.close()
    help_actions["About this reading room"].trigger()
    about = next(b for b in window.findChildren(QMessageBox) if b.windowTitle() == ABOUT_TITLE)
    words = about.informativeText()
    for recorded in ("each page you looked at", "search", "refused", "locked", "ended"):
        assert recorded in words
    about.close()


def test_the_inverted_mode_keeps_the_band_red_on_white_and_the_page_dark(
    qtbot: QtBot, test_pdf: bytes, watermark: WatermarkSpec
) -> None:
    document = pymupdf.open(stream=test_pdf, filetype="pdf")
    normal = render_page_image(document[0], 1.0, 1.0, watermark)
    inverted = render_page_image(document[0], 1.0, 1.0, watermark, inverted=True)
    document.close()
    band = round(BAND_HEIGHT_PT)
    for top, bottom in ((0, band), (inverted.height() - band, inverted.height())):
        red_normal = reddish_pixels(normal, top, bottom)
        red_inverted = reddish_pixels(inverted, top, bottom)
        assert red_inverted > 20 and abs(red_inverted - red_normal) <= red_normal // 10
    # The band's background stays light (red on white), the page body turns dark.
    middle = inverted.height() // 2
    assert inverted.pixelColor(4, band // 2).lightness() > 200
    assert normal.pixelColor(4, middle).lightness() > 200
    assert inverted.pixelColor(4, middle).lightness() < 60
    # The tiles are light on the dark page: some pixels of the body are well above black.
    body = [inverted.pixelColor(x, y).lightness() for y in range(band, middle, 3)
            for x in range(0, inverted.width(), 3)]  # fmt: skip
    assert sum(1 for value in body if value > 110) > 200


def test_ctrl_i_inverts_the_pages_of_the_window(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    window = viewer.open_window(sealed)
    view = window.reader().view
    assert not view.is_inverted()
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert view.is_inverted()

    # The page on screen is re-rendered inverted: the middle of the view turns dark.
    def centre_lightness() -> int:
        image = view.viewport().grab().toImage()
        return image.pixelColor(image.width() // 2, image.height() // 2).lightness()

    qtbot.waitUntil(lambda: centre_lightness() < 60, timeout=WAIT_MS)
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert not view.is_inverted()
    qtbot.waitUntil(lambda: centre_lightness() > 200, timeout=WAIT_MS)
