"""Screen-capture exclusion: the Windows and macOS paths with only their native calls faked.

Everything else is real: Qt windows on the offscreen platform, sealed files, the launcher, the
audit log. The fakes stand in for user32 and the Objective-C runtime, which cannot run here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from readingroom.capture_state import CaptureState, OsInfo
from readingroom.config import load_config
from readingroom.errors import CaptureNotEnforced, ExitCode
from readingroom.gui.capture_exclusion import (
    NS_WINDOW_SHARING_NONE,
    WDA_EXCLUDEFROMCAPTURE,
    WDA_MONITOR,
    CaptureBackend,
    CaptureExclusion,
    MacCaptureBackend,
    WindowsCaptureBackend,
    backend_for_platform,
)
from readingroom.gui.viewer_launcher import ViewerLauncher, ViewerTuning, ViewRequest
from readingroom.passphrases import PassphraseSource
from tests.gui.test_session_fixtures import (
    Sealed,
    Viewer,
    event_names,
    events,
    write_sealed,
    write_workstation_config,
)

WIN_11 = OsInfo("Windows", "10.0.26100")
WIN_1909 = OsInfo("Windows", "10.0.18363")
WIN_7 = OsInfo("Windows", "6.1.7601")


class FakeUser32:
    """Stands in for user32 (cannot run here). ``supports`` lists the affinities it accepts."""

    def __init__(
        self, supports: frozenset[int] = frozenset({WDA_EXCLUDEFROMCAPTURE, WDA_MONITOR})
    ) -> None:
        self.supports = supports
        self.affinity: dict[int, int] = {}
        self.calls: list[tuple[int, int]] = []

    def set_affinity(self, hwnd: int, affinity: int) -> bool:
        self.calls.append((hwnd, affinity))
        if affinity not in self.supports:
            return False
        self.affinity[hwnd] = affinity
        return True

    def get_affinity(self, hwnd: int) -> int | None:
        return self.affinity.get(hwnd, 0)


class FakeObjc:
    """Stands in for the Objective-C runtime: views map to windows with a sharing type."""

    def __init__(self, *, honours: bool = True, has_window: bool = True) -> None:
        self.honours = honours
        self.has_window = has_window
        self.sharing: dict[int, int] = {}

    def window_of_view(self, view: int) -> int:
        return view + 1000 if self.has_window else 0

    def set_sharing_type(self, window: int, sharing_type: int) -> None:
        if self.honours:
            self.sharing[window] = sharing_type

    def sharing_type(self, window: int) -> int:
        return self.sharing.get(window, 1)


@pytest.fixture
def watch() -> Iterator[list[CaptureExclusion]]:
    """Install exclusions as application event filters; removed at teardown."""
    installed: list[CaptureExclusion] = []
    yield installed
    app = QApplication.instance()
    assert app is not None
    for exclusion in installed:
        app.removeEventFilter(exclusion)


def _installed(watch: list[CaptureExclusion], backend: CaptureBackend) -> CaptureExclusion:
    exclusion = CaptureExclusion(backend)
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(exclusion)
    watch.append(exclusion)
    return exclusion


def test_windows_applies_to_every_top_level_window_and_reads_back(
    qtbot: QtBot, watch: list[CaptureExclusion]
) -> None:
    user32 = FakeUser32()
    exclusion = _installed(watch, WindowsCaptureBackend(user32, WIN_11))
    window = QWidget()
    qtbot.addWidget(window)
    with qtbot.waitSignal(exclusion.status_changed) as changed:
        window.show()
    dialog = QDialog(window)
    dialog.show()
    handles = {int(window.winId()), int(dialog.winId())}
    assert handles <= set(user32.affinity)
    assert all(user32.affinity[h] == WDA_EXCLUDEFROMCAPTURE for h in handles)
    status = changed.args[0]
    assert status.state is CaptureState.ENFORCED
    assert exclusion.status_text() == "Screen capture: excluded by Windows 10.0.26100"
    dialog.close()


def test_windows_reapplies_when_the_native_window_is_recreated(
    qtbot: QtBot, watch: list[CaptureExclusion]
) -> None:
    user32 = FakeUser32()
    _installed(watch, WindowsCaptureBackend(user32, WIN_11))
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    before = len(user32.calls)
    window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)  # recreates the window
    window.show()
    assert len(user32.calls) > before
    assert user32.affinity[int(window.winId())] == WDA_EXCLUDEFROMCAPTURE


def test_windows_before_2004_is_partial_even_when_0x11_reads_back() -> None:
    # Microsoft documents 0x11 on earlier Windows as behaving like WDA_MONITOR.
    user32 = FakeUser32()
    status = WindowsCaptureBackend(user32, WIN_1909).apply(42)
    assert user32.affinity[42] == WDA_EXCLUDEFROMCAPTURE
    assert status.state is CaptureState.PARTIAL
    assert status.text == "Screen capture: partial (the window shows black) on Windows 10.0.18363"


def test_windows_that_refuses_0x11_falls_back_to_a_black_window() -> None:
    user32 = FakeUser32(supports=frozenset({WDA_MONITOR}))
    status = WindowsCaptureBackend(user32, WIN_7).apply(42)
    assert user32.calls == [(42, WDA_EXCLUDEFROMCAPTURE), (42, WDA_MONITOR)]
    assert status.state is CaptureState.PARTIAL
    assert status.record() == {"state": "partial", "os": "Windows 6.1.7601"}


def test_windows_that_refuses_everything_is_reported_honestly() -> None:
    status = WindowsCaptureBackend(FakeUser32(supports=frozenset()), WIN_11).apply(7)
    assert status.state is CaptureState.REQUESTED_NOT_ENFORCED
    assert status.text == "Screen capture: requested; not enforced by Windows 10.0.26100"


@pytest.mark.parametrize(
    ("version", "state"),
    [
        ("11.7.10", CaptureState.ENFORCED),
        ("12.2.1", CaptureState.ENFORCED),
        ("12.3", CaptureState.REQUESTED_NOT_ENFORCED),
        ("14.5", CaptureState.REQUESTED_NOT_ENFORCED),
        ("15.1", CaptureState.REQUESTED_NOT_ENFORCED),
    ],
)
def test_macos_sets_sharing_none_and_reports_by_version(version: str, state: CaptureState) -> None:
    objc = FakeObjc()
    status = MacCaptureBackend(objc, OsInfo("macOS", version)).apply(5)
    assert objc.sharing[1005] == NS_WINDOW_SHARING_NONE  # requested on every version
    assert status.state is state
    if state is CaptureState.REQUESTED_NOT_ENFORCED:
        assert status.text == f"Screen capture: requested; not enforced by macOS {version}"


def test_macos_that_does_not_read_back_none_is_not_enforced() -> None:
    status = MacCaptureBackend(FakeObjc(honours=False), OsInfo("macOS", "11.7")).apply(5)
    assert status.state is CaptureState.REQUESTED_NOT_ENFORCED


def test_macos_view_without_a_window_is_unavailable() -> None:
    status = MacCaptureBackend(FakeObjc(has_window=False), OsInfo("macOS", "11.7")).apply(5)
    assert status.state is CaptureState.UNAVAILABLE


def test_linux_states_the_limitation() -> None:
    linux = OsInfo("Linux", "6.1.0")
    x11 = backend_for_platform("xcb", linux).apply(1)
    assert x11.state is CaptureState.UNAVAILABLE
    assert x11.text == "Screen capture: not blocked (impossible on X11)"
    wayland = backend_for_platform("wayland-egl", linux).apply(1)
    assert "depends on the compositor" in wayland.text
    # The Windows and macOS backends are only used on those systems.
    assert backend_for_platform("windows", linux).apply(1).state is CaptureState.UNAVAILABLE


def test_the_status_reports_the_weakest_live_window(qtbot: QtBot) -> None:
    first, second = QWidget(), QWidget()
    qtbot.addWidget(first)
    for widget in (first, second):
        widget.show()
    refused = int(second.winId())

    class RefusesOne(FakeUser32):
        def set_affinity(self, hwnd: int, affinity: int) -> bool:
            return hwnd != refused and super().set_affinity(hwnd, affinity)

    exclusion = CaptureExclusion(WindowsCaptureBackend(RefusesOne(), WIN_11))
    exclusion.apply_to(first)
    assert exclusion.status_text() == "Screen capture: excluded by Windows 10.0.26100"
    exclusion.apply_to(second)
    assert (
        exclusion.status_text() == "Screen capture: requested; not enforced by Windows 10.0.26100"
    )
    with qtbot.waitSignal(exclusion.status_changed):
        second.deleteLater()  # a window that is gone no longer weakens the report
    status = exclusion.status()
    assert status is not None and status.is_enforced()


def test_probe_knows_the_state_before_any_window_is_shown(qtbot: QtBot) -> None:
    user32 = FakeUser32()
    exclusion = CaptureExclusion(WindowsCaptureBackend(user32, WIN_11))
    assert exclusion.status() is None
    probed = exclusion.probe()
    assert probed.state is CaptureState.ENFORCED
    # One native window excluded and read back; it was never shown, so it is not a live window.
    assert len(user32.calls) == 1 and list(user32.affinity.values()) == [WDA_EXCLUDEFROMCAPTURE]
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert exclusion.status() is None
    user32.supports = frozenset()
    assert exclusion.probe().state is CaptureState.REQUESTED_NOT_ENFORCED


# ----- the real viewer path ---------------------------------------------------------------------


def _launch(viewer: Viewer, sealed: Sealed, capture: CaptureExclusion) -> ViewerLauncher:
    request = ViewRequest(
        path=sealed.path, passphrase=PassphraseSource(file=sealed.passphrase_file)
    )
    config = load_config(sealed.config.home)
    launcher = ViewerLauncher(
        request, config, capture=capture, tuning=ViewerTuning(delay_for=lambda _n: 0.0)
    )
    viewer.launchers.append(launcher)
    launcher.start()
    return launcher


def _capture_label(launcher: ViewerLauncher) -> QLabel:
    assert launcher.window is not None
    label = launcher.window.findChild(QLabel, "captureStatus")
    assert label is not None
    return label


def test_the_session_records_and_shows_the_state(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot, watch: list[CaptureExclusion]
) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    capture = _installed(watch, WindowsCaptureBackend(FakeUser32(), WIN_11))
    launcher = _launch(viewer, sealed, capture)
    started = events(sealed.config)[-1]
    assert started["event"] == "session_started"
    assert started["details"]["capture"] == {"state": "enforced", "os": "Windows 10.0.26100"}
    assert launcher.notice_dialog is not None
    launcher.notice_dialog.accept()
    assert launcher.window is not None
    qtbot.waitExposed(launcher.window)
    label = _capture_label(launcher)
    assert label.text() == "Screen capture: excluded by Windows 10.0.26100"
    assert "no guarantee" in label.toolTip()


def test_offscreen_sessions_are_recorded_unavailable(
    rr_home: Path, tmp_path: Path, viewer: Viewer, watch: list[CaptureExclusion]
) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    capture = _installed(watch, backend_for_platform(app.platformName(), OsInfo("Linux", "6.1")))
    _launch(viewer, sealed, capture)
    started = events(sealed.config)[-1]
    assert started["details"]["capture"] == {"state": "unavailable", "os": "Linux 6.1"}


def test_required_exclusion_refuses_before_any_unlock(
    rr_home: Path, tmp_path: Path, viewer: Viewer, watch: list[CaptureExclusion]
) -> None:
    write_workstation_config(rr_home, require_capture_exclusion=True)
    sealed = write_sealed(rr_home, tmp_path)
    capture = _installed(watch, MacCaptureBackend(FakeObjc(), OsInfo("macOS", "15.1")))
    launcher = _launch(viewer, sealed, capture)
    # Refused before the file was decrypted or a passphrase asked for.
    assert launcher.unlock_dialog is None and launcher.notice_dialog is None
    assert launcher.window is None
    assert launcher.message_box is not None
    assert launcher.message_box.text() == str(CaptureNotEnforced())
    assert launcher.exit_code == ExitCode.REFUSED
    records = events(sealed.config)
    assert [r["event"] for r in records] == ["unlock_failed"]
    assert records[0]["details"] == {
        "reason": "capture not enforced",
        "capture": {"state": "requested_not_enforced", "os": "macOS 15.1"},
    }


def test_required_exclusion_opens_where_it_is_enforced(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot, watch: list[CaptureExclusion]
) -> None:
    write_workstation_config(rr_home, require_capture_exclusion=True)
    sealed = write_sealed(rr_home, tmp_path)
    user32 = FakeUser32()
    launcher = _launch(viewer, sealed, _installed(watch, WindowsCaptureBackend(user32, WIN_11)))
    assert launcher.notice_dialog is not None
    launcher.notice_dialog.accept()
    window = launcher.window
    assert window is not None
    qtbot.waitExposed(window)
    assert not window.is_covered() or not window.isActiveWindow()
    assert event_names(sealed.config) == ["session_started"]

    # The native window is recreated and Windows no longer accepts the exclusion: the session
    # ends at once, and says why.
    user32.supports = frozenset()
    user32.affinity.clear()  # a new native window starts with no affinity
    window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
    window.show()
    assert window.is_covered()
    assert launcher.session is not None and launcher.session.ended
    records = events(sealed.config)
    changed, ended = [r for r in records if r["event"] == "capture_changed"], records[-1]
    assert len(changed) == 1
    assert changed[0]["details"]["capture"] == {
        "state": "requested_not_enforced",
        "os": "Windows 10.0.26100",
    }
    assert ended["event"] == "session_ended"
    assert ended["details"]["reason"] == "capture not enforced"


def test_a_reading_window_that_is_not_excluded_never_shows_a_page(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot, watch: list[CaptureExclusion]
) -> None:
    write_workstation_config(rr_home, require_capture_exclusion=True)
    sealed = write_sealed(rr_home, tmp_path)
    user32 = FakeUser32()
    launcher = _launch(viewer, sealed, _installed(watch, WindowsCaptureBackend(user32, WIN_11)))
    assert launcher.notice_dialog is not None
    user32.supports = frozenset()  # the reading window's own read-back fails
    launcher.notice_dialog.accept()
    window = launcher.window
    assert window is not None
    assert window.is_covered()  # covered during the Show event, before the first paint
    qtbot.waitExposed(window)
    names = event_names(sealed.config)
    assert names == ["session_started", "capture_changed", "session_ended"]  # no page_viewed
    assert events(sealed.config)[-1]["details"]["reason"] == "capture not enforced"
    assert _capture_label(launcher).text() == (
        "Screen capture: requested; not enforced by Windows 10.0.26100"
    )


def test_a_weaker_state_mid_session_is_recorded(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot, watch: list[CaptureExclusion]
) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    user32 = FakeUser32()
    launcher = _launch(viewer, sealed, _installed(watch, WindowsCaptureBackend(user32, WIN_11)))
    assert launcher.notice_dialog is not None
    launcher.notice_dialog.accept()
    window = launcher.window
    assert window is not None
    qtbot.waitExposed(window)
    user32.supports = frozenset({WDA_MONITOR})  # the recreated window only gets WDA_MONITOR
    user32.affinity.clear()
    window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
    window.show()
    # Not required here: the session goes on, but the log and the status bar say what holds.
    assert launcher.session is not None and not launcher.session.ended
    assert event_names(sealed.config) == ["session_started", "capture_changed"]
    assert events(sealed.config)[-1]["details"]["capture"] == {
        "state": "partial",
        "os": "Windows 10.0.26100",
    }
    assert _capture_label(launcher).text() == (
        "Screen capture: partial (the window shows black) on Windows 10.0.26100"
    )
