"""Page time in the real viewer: only what the reader could see, unlocked and present.

A real session (offscreen QApplication, real audit log, real renderer); the session's monotonic
clock is a function the test moves by hand, so no assertion depends on how fast this machine is.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from readingroom.gui.idle_monitor import IdleMonitor
from readingroom.gui.viewer_launcher import ViewerTuning
from tests.factories import PASSPHRASE
from tests.gui.test_session_fixtures import WAIT_MS, Sealed, Viewer, events


class Seconds:
    """The session's monotonic clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _application_state(state: Qt.ApplicationState) -> None:
    # What the platform reports when another application takes the keyboard and gives it back.
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    app.applicationStateChanged.emit(state)


def _details(sealed: Sealed, event: str) -> list[dict[str, Any]]:
    return [r["details"] for r in events(sealed.config) if r["event"] == event]


def test_away_idle_lock_and_short_views_are_not_page_time(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    seconds = Seconds()
    window = viewer.open_window(
        sealed, tuning=ViewerTuning(delay_for=lambda _n: 0.0, monotonic=seconds)
    )
    reader = window.reader()
    assert reader.current_page() == 0

    seconds.now += 10
    _application_state(Qt.ApplicationState.ApplicationInactive)  # away: the curtain comes down
    assert window.is_covered()
    seconds.now += 100
    _application_state(Qt.ApplicationState.ApplicationActive)
    assert not window.is_covered()

    seconds.now += 5
    reader.go_to_page(1)
    seconds.now += 0.1  # page 2 only scrolled past
    reader.go_to_page(2)
    seconds.now += 7

    # The idle monitor's own signal, as its timer would emit it (the real interval is minutes).
    monitor = window.findChild(IdleMonitor)
    assert isinstance(monitor, IdleMonitor)
    monitor.idle_timed_out.emit()
    dialog = window.relock_dialog()
    assert dialog is not None and window.is_covered()
    seconds.now += 900  # locked
    viewer.try_unlock(dialog, PASSPHRASE.decode())
    qtbot.waitUntil(lambda: window.relock_dialog() is None, timeout=WAIT_MS)
    assert not window.is_covered()
    seconds.now += 4
    window.close()

    views = [
        (d["page"], d["seconds_milli"] / 1000, d["ended_by"])
        for d in _details(sealed, "page_viewed")
    ]
    assert views == [
        (1, 10.0, "away"),
        (1, 5.0, "page change"),
        (3, 7.0, "idle lock"),
        (3, 4.0, "session end"),
    ]
    # The inactivity before the lock: the interval, but never before the session started.
    idle = window.idle_interval_ms() / 1000
    assert _details(sealed, "idle_locked") == [
        {"idle_seconds_milli": round(min(idle, 122.1) * 1000)}
    ]
    ended = _details(sealed, "session_ended")[-1]
    assert ended["visible_seconds_milli"] == 26000
    assert ended["short_views_dropped"] == 1
    assert ended["pages_viewed"] == 4
    assert ended["seconds_milli"] == 1026100  # the whole session, curtains included
    names = [str(r["event"]) for r in events(sealed.config) if r["event"] != "checkpoint"]
    order = [n for n in names if n in {"page_viewed", "focus_lost", "idle_locked", "unlocked"}]
    assert order[:4] == ["page_viewed", "focus_lost", "page_viewed", "page_viewed"]
    assert order[4:] == ["idle_locked", "unlocked", "page_viewed"]


def test_a_window_closed_at_once_records_no_page_time(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    seconds = Seconds()
    window = viewer.open_window(
        sealed, tuning=ViewerTuning(delay_for=lambda _n: 0.0, monotonic=seconds)
    )
    seconds.now += 0.05  # a glimpse, shorter than page_view_min_ms
    window.close()
    assert _details(sealed, "page_viewed") == []
    assert _details(sealed, "session_ended")[-1]["short_views_dropped"] == 1
