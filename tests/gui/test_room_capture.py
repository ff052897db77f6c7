"""Screen-capture exclusion: the Windows and macOS paths with their native calls faked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from readingroom.gui.capture_exclusion import (
    NS_WINDOW_SHARING_NONE,
    WDA_EXCLUDEFROMCAPTURE,
    WDA_MONITOR,
    CaptureExclusion,
    MacCaptureBackend,
    WindowsCaptureBackend,
    backend_for_platform,
    limitation_text,
)


class FakeUser32:
    """Stands in for user32 (cannot run here). ``supports`` lists the affinities it accepts."""

    def __init__(self, supports: frozenset[int] = frozenset({WDA_EXCLUDEFROMCAPTURE, WDA_MONITOR})):
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

    def __init__(self, honours: bool = True) -> None:
        self.honours = honours
        self.sharing: dict[int, int] = {}

    def window_of_view(self, view: int) -> int:
        return view + 1000

    def set_sharing_type(self, window: int, sharing_type: int) -> None:
        if self.honours:
            self.sharing[window] = sharing_type

    def sharing_type(self, window: int) -> int:
        return self.sharing.get(window, 1)


def _watch(exclusion: CaptureExclusion) -> None:
    instance = QApplication.instance()
    assert instance is not None
    instance.installEventFilter(exclusion)


def _unwatch(exclusion: CaptureExclusion) -> None:
    instance = QApplication.instance()
    assert instance is not None
    instance.removeEventFilter(exclusion)


def test_windows_applies_to_every_top_level_window_and_reads_back(qtbot: QtBot) -> None:
    user32 = FakeUser32()
    exclusion = CaptureExclusion(WindowsCaptureBackend(user32))
    _watch(exclusion)
    try:
        window = QWidget()
        qtbot.addWidget(window)
        with qtbot.waitSignal(exclusion.status_changed) as status:
            window.show()
        dialog = QDialog(window)
        dialog.show()
        handles = {int(window.winId()), int(dialog.winId())}
        assert handles <= set(user32.affinity)
        assert all(user32.affinity[h] == WDA_EXCLUDEFROMCAPTURE for h in handles)
        assert status.args == ["Screen capture blocked (Windows)"]
        dialog.close()
    finally:
        _unwatch(exclusion)


def test_windows_reapplies_when_the_native_window_is_recreated(qtbot: QtBot) -> None:
    user32 = FakeUser32()
    exclusion = CaptureExclusion(WindowsCaptureBackend(user32))
    _watch(exclusion)
    try:
        window = QWidget()
        qtbot.addWidget(window)
        window.show()
        before = len(user32.calls)
        window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)  # recreates the window
        window.show()
        assert len(user32.calls) > before
        assert user32.affinity[int(window.winId())] == WDA_EXCLUDEFROMCAPTURE
    finally:
        _unwatch(exclusion)


def test_older_windows_falls_back_to_a_black_window_and_says_so() -> None:
    user32 = FakeUser32(supports=frozenset({WDA_MONITOR}))
    state = WindowsCaptureBackend(user32).apply(42)
    assert user32.calls == [(42, WDA_EXCLUDEFROMCAPTURE), (42, WDA_MONITOR)]
    assert state.blocked and "black window" in state.text


def test_windows_that_refuses_everything_is_reported_honestly() -> None:
    state = WindowsCaptureBackend(FakeUser32(supports=frozenset())).apply(7)
    assert not state.blocked
    assert state.text == "Screen capture could not be blocked (Windows)"


def test_macos_sets_sharing_none_and_reads_it_back() -> None:
    objc = FakeObjc()
    state = MacCaptureBackend(objc).apply(5)
    assert objc.sharing[1005] == NS_WINDOW_SHARING_NONE
    assert state.blocked and "(macOS)" in state.text


def test_macos_that_ignores_it_is_reported_honestly() -> None:
    state = MacCaptureBackend(FakeObjc(honours=False)).apply(5)
    assert not state.blocked


def test_linux_states_the_limitation() -> None:
    assert limitation_text("xcb") == "Screen capture cannot be blocked on this platform (X11)"
    assert "depends on the compositor" in limitation_text("wayland-egl")
    assert "offscreen" in limitation_text("offscreen")
    assert not backend_for_platform("xcb").apply(1).blocked


def test_the_status_reports_the_weakest_window(qtbot: QtBot) -> None:
    first, second = QWidget(), QWidget()
    for widget in (first, second):
        qtbot.addWidget(widget)
        widget.show()
    refused = int(second.winId())

    class RefusesOne(FakeUser32):
        def set_affinity(self, hwnd: int, affinity: int) -> bool:
            return hwnd != refused and super().set_affinity(hwnd, affinity)

    exclusion = CaptureExclusion(WindowsCaptureBackend(RefusesOne()))
    exclusion.apply_to(first)
    assert exclusion.status_text() == "Screen capture blocked (Windows)"
    exclusion.apply_to(second)
    assert exclusion.status_text() == "Screen capture could not be blocked (Windows)"
