"""What a reading session records as page time: visible time only, into a real audit log.

The monotonic clock is a function moved by hand (tests.core.test_reading_session.Clocks).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from readingroom.audit import AuditLog
from readingroom.reading_session import EndReason, ReadingSession
from tests.audit.helpers import all_records
from tests.core.test_reading_session import Clocks, _open
from tests.factories import seal_fixture


@pytest.fixture
def log(rr_home: Path) -> Iterator[AuditLog]:
    audit = AuditLog.open(rr_home / "audit")
    yield audit
    audit.close()


def _started(
    rr_home: Path, log: AuditLog, clocks: Clocks, *, min_ms: int | None = None
) -> ReadingSession:
    sealed = seal_fixture(rr_home)
    config = sealed.config
    if min_ms is not None:
        config = dataclasses.replace(config, page_view_min_ms=min_ms)
    session = ReadingSession(
        _open(sealed),
        log,
        config,
        context=log.new_session(reader=None),
        clock=clocks.wall,
        monotonic=clocks.monotonic,
    )
    session.start()
    return session


def _records(rr_home: Path, event: str) -> list[dict[str, Any]]:
    return [r["details"] for r in all_records(rr_home / "audit") if r["event"] == event]


def _views(rr_home: Path) -> list[tuple[int, float, str]]:
    return [
        (d["page"], d["seconds_milli"] / 1000, d["ended_by"])
        for d in _records(rr_home, "page_viewed")
    ]


def test_time_before_the_window_is_shown_is_not_page_time(rr_home: Path, log: AuditLog) -> None:
    clocks = Clocks()
    session = _started(rr_home, log, clocks)
    clocks.seconds += 20  # the window is being built; nothing is on screen yet
    session.pages_on_screen()
    clocks.seconds += 3
    session.end(EndReason.CLOSED)
    assert _views(rr_home) == [(1, 3.0, "session end")]


def test_time_under_the_idle_lock_is_not_page_time(rr_home: Path, log: AuditLog) -> None:
    clocks = Clocks()
    session = _started(rr_home, log, clocks)
    session.pages_on_screen()
    clocks.seconds += 8
    session.record_idle_locked(idle_seconds=300.0)
    clocks.seconds += 900  # locked
    session.record_unlocked()
    clocks.seconds += 4
    session.page_shown(1, 1.0)
    assert _views(rr_home) == [(1, 8.0, "idle lock"), (1, 4.0, "page change")]
    # The inactivity before the lock is reported separately; it cannot be older than the start.
    assert _records(rr_home, "idle_locked") == [{"idle_seconds_milli": 8000}]
    assert session.visible_seconds == 12.0


def test_time_away_is_not_page_time(rr_home: Path, log: AuditLog) -> None:
    clocks = Clocks()
    session = _started(rr_home, log, clocks)
    session.pages_on_screen()
    clocks.seconds += 30
    session.record_focus(lost=True)
    clocks.seconds += 120
    session.page_shown(2, 1.0)  # a page change behind the curtain is not a view
    session.record_focus(lost=False)
    clocks.seconds += 15
    session.end(EndReason.CLOSED)
    assert _views(rr_home) == [(1, 30.0, "away"), (3, 15.0, "session end")]
    records = all_records(rr_home / "audit")
    events = [r["event"] for r in records if r["event"] != "checkpoint"][-5:]
    assert events == ["page_viewed", "focus_lost", "focus_returned", "page_viewed", "session_ended"]


def test_nothing_is_counted_behind_the_ended_curtain(rr_home: Path, log: AuditLog) -> None:
    clocks = Clocks()
    session = _started(rr_home, log, clocks)
    session.pages_on_screen()
    clocks.seconds += 6
    session.end(EndReason.EXPIRED)
    clocks.seconds += 600  # the window stays up behind the ended curtain
    session.page_shown(1, 1.0)
    session.record_focus(lost=False)
    assert _views(rr_home) == [(1, 6.0, "session end")]
    assert session.visible_seconds == 6.0
    ended = _records(rr_home, "session_ended")[-1]
    assert ended["visible_seconds_milli"] == 6000 and ended["pages_viewed"] == 1


def test_short_views_are_dropped_and_counted(rr_home: Path, log: AuditLog) -> None:
    clocks = Clocks()
    session = _started(rr_home, log, clocks)
    session.pages_on_screen()
    clocks.seconds += 5
    for page in range(1, 6):  # scrolling past pages 2 to 5 at a tenth of a second each
        session.page_shown(page, 1.0)
        clocks.seconds += 0.1
    clocks.seconds += 11
    session.end(EndReason.CLOSED)
    assert _views(rr_home) == [(1, 5.0, "page change"), (6, pytest.approx(11.1), "session end")]
    ended = _records(rr_home, "session_ended")[-1]
    assert ended["short_views_dropped"] == 4
    assert ended["page_view_min_ms"] == 300
    assert ended["pages_viewed"] == 2


@pytest.mark.parametrize(("min_ms", "kept"), [(0, 6), (100, 6), (2000, 1)])
def test_the_threshold_comes_from_the_workstation(
    rr_home: Path, log: AuditLog, min_ms: int, kept: int
) -> None:
    clocks = Clocks()
    session = _started(rr_home, log, clocks, min_ms=min_ms)
    session.pages_on_screen()
    for page in range(1, 6):
        clocks.seconds += 0.1
        session.page_shown(page, 1.0)
    clocks.seconds += 5
    session.end(EndReason.CLOSED)
    assert len(_views(rr_home)) == kept
    assert _records(rr_home, "session_ended")[-1]["page_view_min_ms"] == min_ms


def test_visible_seconds_and_pages_seen_for_a_summary(rr_home: Path, log: AuditLog) -> None:
    clocks = Clocks()
    session = _started(rr_home, log, clocks)
    session.pages_on_screen()
    clocks.seconds += 12
    session.page_shown(2, 1.0)
    clocks.seconds += 4
    session.page_shown(0, 1.0)
    clocks.seconds += 3
    # Page 1 (0-based 0) 15 s in two views, page 3 only 4 s; the running view counts.
    assert session.visible_seconds == 19.0
    assert session.pages_seen() == (1,)
    assert session.pages_seen(min_seconds=4.0) == (1, 3)
