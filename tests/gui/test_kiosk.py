"""Kiosk mode: the chooser, the full-screen reading window, and the way back to the chooser."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from readingroom.config import load_config
from readingroom.gui.kiosk import ReadingRoomKiosk
from readingroom.gui.kiosk_guard import KioskGuard
from readingroom.gui.main_window import KIOSK_CLOSE_TEXT, ViewerWindow
from readingroom.gui.viewer_launcher import ViewerLauncher, ViewerTuning, ViewRequest
from readingroom.gui.widgets.review_chooser import CHOOSER_TITLE
from readingroom.passphrases import PassphraseSource
from readingroom.review_file import signature_hash
from readingroom.review_folder import DAMAGED_TEXT, NO_FOLDER_TEXT
from readingroom.review_header import default_label
from tests.factories import PASSPHRASE
from tests.gui.sample_pdf import CANARY
from tests.gui.test_session_fixtures import (
    WAIT_MS,
    Sealed,
    event_names,
    write_sealed,
    write_workstation_config,
)

PUBLISHER = "Westmoor Safeguarding Children Partnership"
LABEL = default_label(datetime.now(UTC))  # files sealed today


def _line(sealed: Sealed | Path) -> str:
    """The chooser's two lines for an intact, trusted, unexpired file sealed today."""
    path = sealed.path if isinstance(sealed, Sealed) else sealed
    reference = signature_hash(path.read_bytes())[:8]
    return f"{LABEL}\nfrom {PUBLISHER} (trusted)  \u00b7  file {reference}"


class KioskRunner:
    """Builds kiosks on the test's home and shuts every one down at teardown."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.kiosks: list[ReadingRoomKiosk] = []

    def start(self, home: Path, first: ViewRequest | None = None) -> ReadingRoomKiosk:
        kiosk = ReadingRoomKiosk(
            load_config(home),
            tuning=ViewerTuning(delay_for=lambda _n: 0.0),
            first_request=first,
        )
        self.kiosks.append(kiosk)
        kiosk.start()
        self.qtbot.waitExposed(kiosk.chooser)
        if kiosk.launcher is not None:
            self.settle(kiosk.launcher)
        return kiosk

    def settle(self, launcher: ViewerLauncher) -> None:
        """Let the launcher's worker finish its step (opening, or an unlock attempt)."""
        self.qtbot.waitUntil(lambda: not launcher.is_busy(), timeout=WAIT_MS)

    def read(self, kiosk: ReadingRoomKiosk, path: Path) -> ViewerWindow:
        """Choose ``path`` in the chooser, type the passphrase, acknowledge the notice."""
        kiosk.chooser.choose(path)
        launcher = kiosk.launcher
        assert launcher is not None
        self.settle(launcher)
        dialog = launcher.unlock_dialog
        assert dialog is not None and dialog.isVisible()
        dialog.set_passphrase(PASSPHRASE.decode())
        dialog.try_unlock()
        self.settle(launcher)
        assert launcher.notice_dialog is not None
        launcher.notice_dialog.accept()
        self.qtbot.waitUntil(lambda: launcher.window is not None, timeout=20_000)
        window = launcher.window
        assert window is not None
        self.qtbot.waitExposed(window)
        return window

    def shutdown(self) -> None:
        for kiosk in self.kiosks:
            kiosk.shutdown()
            assert kiosk.launcher is None
            assert not kiosk.chooser.isVisible()


@pytest.fixture
def kiosks(qtbot: QtBot) -> Iterator[KioskRunner]:
    runner = KioskRunner(qtbot)
    yield runner
    runner.shutdown()


@pytest.fixture
def folder(rr_home: Path, tmp_path: Path) -> Path:
    reviews = tmp_path / "reviews"
    reviews.mkdir()
    write_workstation_config(rr_home, kiosk=True, review_folder=reviews)
    return reviews


@pytest.fixture
def sealed(rr_home: Path, folder: Path) -> Sealed:
    return write_sealed(rr_home, folder, name="child-a.rrf")


def _is_frameless(widget: QWidget) -> bool:
    return bool(widget.windowFlags() & Qt.WindowType.FramelessWindowHint)


def test_the_chooser_is_full_screen_frameless_and_lists_the_folder(
    rr_home: Path, folder: Path, sealed: Sealed, kiosks: KioskRunner
) -> None:
    write_sealed(rr_home, folder, name="B review \u202eflr.rrf")
    write_sealed(rr_home, folder, name="untrusted.RRF", trusted=False)
    (folder / "damaged.rrf").write_bytes(b"readingroom-review/v1\nnot really")
    altered = bytearray(write_sealed(rr_home, folder, name="altered.rrf").path.read_bytes())
    altered[len(altered) // 2] ^= 0x01  # one bit of the body: the signature no longer holds
    (folder / "altered.rrf").write_bytes(altered)
    (folder / "notes.txt").write_text("not a review file")
    (folder / "._child-a.rrf").write_bytes(b"\x00\x05\x16\x07")  # a desktop's leftover
    (folder / "folder.rrf").mkdir()

    kiosk = kiosks.start(rr_home)
    chooser = kiosk.chooser
    assert chooser.isFullScreen() and _is_frameless(chooser)
    assert chooser.windowTitle() == CHOOSER_TITLE
    assert chooser.message() == ""
    # Sorted by file name, case-insensitively. An intact file shows its public label and facts,
    # not its file name; a damaged one can only be named by its file name (the bidi override
    # in a name is gone either way).
    lines = chooser.shown_lines()
    assert lines[0] == f"altered.rrf\n{DAMAGED_TEXT}"
    assert lines[1].startswith(f"{LABEL}\nfrom {PUBLISHER} (trusted)  \u00b7  file ")
    assert lines[2].startswith(f"{LABEL}\nfrom {PUBLISHER} (trusted)  \u00b7  file ")
    assert lines[3] == f"damaged.rrf\n{DAMAGED_TEXT}"
    assert lines[4].startswith(f"{LABEL}\npublisher ")
    assert ", not trusted on this workstation" in lines[4]
    assert len(lines) == 5 and not any("\u202e" in line for line in lines)
    assert len({line.rsplit(" ", 1)[-1] for line in lines[1:3]}) == 2  # told apart
    entries = chooser.listing().entries
    assert [entry.openable for entry in entries] == [False, True, True, False, True]
    # A damaged file cannot be chosen; the first file that can is selected.
    chooser.choose(entries[0].path)
    assert kiosk.launcher is None
    # Listing decrypted nothing: no session began, no unlock was attempted.
    assert event_names(sealed.config) == []


def test_choosing_a_file_opens_the_unlock_flow_and_a_kiosk_window(
    rr_home: Path, sealed: Sealed, kiosks: KioskRunner, qtbot: QtBot
) -> None:
    kiosk = kiosks.start(rr_home)
    window = kiosks.read(kiosk, sealed.path)
    assert window.is_kiosk()
    assert window.isFullScreen() and _is_frameless(window)
    qtbot.waitUntil(lambda: not kiosk.chooser.isVisible(), timeout=WAIT_MS)
    # The kiosk activates the reading window itself: the page is uncovered without a click.
    qtbot.waitUntil(lambda: window.isActiveWindow() and not window.is_covered(), timeout=WAIT_MS)
    names = event_names(sealed.config)
    assert names[0] == "session_started" and "session_ended" not in names
    assert window.windowTitle() == "Serious Case Review: Child A \u2014 ReadingRoom"


def test_f11_and_esc_do_not_leave_full_screen(
    rr_home: Path, sealed: Sealed, kiosks: KioskRunner, qtbot: QtBot
) -> None:
    kiosk = kiosks.start(rr_home)
    window = kiosks.read(kiosk, sealed.path)
    handle = window.windowHandle()
    assert handle is not None
    for key in (Qt.Key.Key_F11, Qt.Key.Key_Escape):
        QTest.keyClick(handle, key)
        qtbot.wait(20)  # let a queued state change (if any) arrive; not a timing assertion
        assert window.isFullScreen(), key
    # Whatever else asks the window to leave full screen, it goes back.
    window.showNormal()
    qtbot.waitUntil(window.isFullScreen, timeout=WAIT_MS)
    window.showMinimized()
    qtbot.waitUntil(lambda: window.isFullScreen() and not window.isMinimized(), timeout=WAIT_MS)


def test_f11_still_toggles_full_screen_outside_kiosk_mode(
    rr_home: Path, tmp_path: Path, qtbot: QtBot
) -> None:
    # The control for the test above: the same key does act on an ordinary window.
    from tests.gui.test_session_fixtures import Viewer  # noqa: PLC0415

    viewer = Viewer(qtbot)
    try:
        window = viewer.open_window(write_sealed(rr_home, tmp_path))
        handle = window.windowHandle()
        assert handle is not None and not window.isFullScreen()
        QTest.keyClick(handle, Qt.Key.Key_F11)
        qtbot.waitUntil(window.isFullScreen, timeout=WAIT_MS)
        QTest.keyClick(handle, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=WAIT_MS)
    finally:
        viewer.close_all()


def test_a_close_request_is_refused_until_the_session_is_ended(
    rr_home: Path, sealed: Sealed, kiosks: KioskRunner, qtbot: QtBot
) -> None:
    kiosk = kiosks.start(rr_home)
    window = kiosks.read(kiosk, sealed.path)
    # What Alt+F4 or a window manager's close button sends (through the platform, as a
    # spontaneous close event), and a programmatic close: both refused, the reader told how.
    handle = window.windowHandle()
    assert handle is not None
    assert not handle.close()
    assert not window.close()
    assert window.isVisible() and window.isFullScreen()
    assert window.statusBar().currentMessage() == KIOSK_CLOSE_TEXT
    assert "session_ended" not in event_names(sealed.config)

    with qtbot.waitSignal(kiosk.chooser_returned, timeout=WAIT_MS):
        window.close_session()  # what "End session" does once the reader has answered Yes
    assert kiosk.launcher is None
    assert kiosk.chooser.isVisible() and kiosk.chooser.isFullScreen()
    assert event_names(sealed.config)[-1] == "session_ended"
    assert kiosk.chooser.shown_lines() == [_line(sealed)]


def test_the_chooser_itself_cannot_be_closed(
    rr_home: Path, folder: Path, kiosks: KioskRunner
) -> None:
    kiosk = kiosks.start(rr_home)
    assert not kiosk.chooser.close()
    assert kiosk.chooser.isVisible()


def test_the_end_of_a_session_returns_to_the_chooser_for_the_next_reader(
    rr_home: Path, sealed: Sealed, kiosks: KioskRunner, qtbot: QtBot
) -> None:
    kiosk = kiosks.start(rr_home)
    first = kiosks.read(kiosk, sealed.path)
    with qtbot.waitSignal(kiosk.chooser_returned, timeout=WAIT_MS):
        first.close_session()
    second = kiosks.read(kiosk, sealed.path)
    assert second is not first and second.isFullScreen()
    sessions = [n for n in event_names(sealed.config) if n.startswith("session_")]
    assert sessions == ["session_started", "session_ended", "session_started"]


def test_cancelling_the_unlock_returns_to_the_chooser(
    rr_home: Path, sealed: Sealed, kiosks: KioskRunner, qtbot: QtBot
) -> None:
    kiosk = kiosks.start(rr_home)
    kiosk.chooser.choose(sealed.path)
    launcher = kiosk.launcher
    assert launcher is not None
    kiosks.settle(launcher)
    assert launcher.unlock_dialog is not None
    # The dialog belongs to the chooser, so it stays above the full-screen window.
    assert launcher.unlock_dialog.parent() is kiosk.chooser
    with qtbot.waitSignal(kiosk.chooser_returned, timeout=WAIT_MS):
        launcher.unlock_dialog.reject()
    assert kiosk.launcher is None and kiosk.chooser.isVisible()


def test_a_file_given_on_the_command_line_opens_first(
    rr_home: Path, sealed: Sealed, kiosks: KioskRunner
) -> None:
    first = ViewRequest(sealed.path, passphrase=PassphraseSource(file=sealed.passphrase_file))
    kiosk = kiosks.start(rr_home, first)
    launcher = kiosk.launcher
    assert launcher is not None and launcher.notice_dialog is not None
    assert launcher.notice_dialog.isVisible()


def test_a_missing_folder_says_so_and_refresh_finds_the_drive(
    rr_home: Path, tmp_path: Path, kiosks: KioskRunner, qtbot: QtBot
) -> None:
    drive = tmp_path / "media" / "REVIEWS"
    write_workstation_config(rr_home, kiosk=True, review_folder=drive)
    kiosk = kiosks.start(rr_home)
    chooser = kiosk.chooser
    assert "is not there" in chooser.message() and "Refresh" in chooser.message()
    assert str(drive) in chooser.message()
    assert chooser.shown_lines() == []
    message = chooser.findChild(QLabel, "chooserMessage")
    assert message is not None and message.isVisible()

    drive.mkdir(parents=True)
    qtbot.waitUntil(chooser.isActiveWindow, timeout=WAIT_MS)
    handle = chooser.windowHandle()
    assert handle is not None
    QTest.keyClick(handle, Qt.Key.Key_F5)  # Refresh
    assert "no review files" in chooser.message()
    write_sealed(rr_home, drive, name="inserted.rrf")
    with qtbot.waitSignal(chooser.refreshed, timeout=WAIT_MS):
        refresh = [b for b in chooser.findChildren(QWidget) if b.objectName() == "chooserRefresh"]
        qtbot.mouseClick(refresh[0], Qt.MouseButton.LeftButton)
    assert chooser.message() == ""
    assert chooser.shown_lines() == [_line(drive / "inserted.rrf")]


def test_no_configured_folder_says_who_can_fix_it(rr_home: Path, kiosks: KioskRunner) -> None:
    write_workstation_config(rr_home, kiosk=True)
    kiosk = kiosks.start(rr_home)
    assert kiosk.chooser.message() == NO_FOLDER_TEXT
    assert kiosk.chooser.shown_lines() == []


def test_no_document_text_reaches_the_kiosk_screens(
    rr_home: Path, sealed: Sealed, kiosks: KioskRunner, qtbot: QtBot
) -> None:
    kiosk = kiosks.start(rr_home)
    window = kiosks.read(kiosk, sealed.path)
    with qtbot.waitSignal(window.reader().view.page_painted, timeout=WAIT_MS):
        window.reader().view.viewport().update()
    with qtbot.waitSignal(kiosk.chooser_returned, timeout=WAIT_MS):
        window.close_session()
    for widget in QApplication.allWidgets():
        texts = [widget.windowTitle(), widget.toolTip(), widget.accessibleName()]
        if isinstance(widget, QLabel):
            texts.append(widget.text())
        assert not any(CANARY in text for text in texts), type(widget).__name__
    assert not any(CANARY in line for line in kiosk.chooser.shown_lines())


def test_page_down_works_at_once_in_the_kiosk_window(
    rr_home: Path, sealed: Sealed, kiosks: KioskRunner, qtbot: QtBot
) -> None:
    kiosk = kiosks.start(rr_home)
    window = kiosks.read(kiosk, sealed.path)
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    view = window.reader().view
    assert QApplication.focusWidget() is view
    handle = window.windowHandle()
    assert handle is not None
    QTest.keyClick(handle, Qt.Key.Key_PageDown)
    assert view.verticalScrollBar().value() > 0


def test_the_kiosk_shows_an_end_session_button_that_asks_then_returns_to_the_chooser(
    rr_home: Path, sealed: Sealed, kiosks: KioskRunner, qtbot: QtBot
) -> None:
    kiosk = kiosks.start(rr_home)
    window = kiosks.read(kiosk, sealed.path)
    button = window.findChild(QToolButton, "endSessionButton")
    assert button is not None and button.isVisible() and button.text() == "End session"
    # In view: inside the window, right of every other toolbar button.
    assert window.rect().contains(button.mapTo(window, button.rect().center()))
    button.click()
    question = window.comforts().question
    assert question is not None
    next(b for b in question.buttons() if b.text() == "End session").click()
    # The ended curtain carries the summary; Enter on it (its Close) returns to the chooser.
    assert window.curtain().summary().startswith("You read for")
    with qtbot.waitSignal(kiosk.chooser_returned, timeout=WAIT_MS):
        qtbot.keyClick(window.curtain(), Qt.Key.Key_Return)
    assert kiosk.chooser.isVisible()
    assert event_names(sealed.config).count("session_ended") == 1


def test_the_guard_gives_a_window_its_screen_geometry_whatever_else_sized_it(
    qtbot: QtBot,
) -> None:
    # Without a window manager nothing acts on "full screen": the guard sets the geometry
    # itself (tests/robustness/test_real_x_kiosk.py checks it on a real bare X server).
    window = QWidget()
    qtbot.addWidget(window)
    guard = KioskGuard(window)
    window.resize(300, 200)
    window.showFullScreen()
    screen = window.screen().geometry()
    qtbot.waitUntil(lambda: window.geometry() == screen, timeout=WAIT_MS)
    window.setGeometry(10, 10, 320, 240)  # a stray resize, as a bare X server leaves it
    qtbot.waitUntil(lambda: window.geometry() == screen, timeout=WAIT_MS)
    assert window.isFullScreen() and guard.screen_geometry() == screen
    guard.permit_close()
