"""Reports of visible page time: idle, locked and away periods, in every format, old logs too.

The log is real (``AuditLog`` with its wall clock moved by the test); the records are what a
viewer writes (docs/audit-log.md), one session as the viewer writes them now and one as an
older viewer did, before ``ended_by`` (its page time may span an idle lock).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from readingroom.audit import AuditLog
from readingroom.cli import main


class Clock:
    """The log's wall clock, moved by the test."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def logdir(rr_home: Path, tmp_path: Path) -> Path:
    directory = tmp_path / "log"
    clock = Clock()
    log = AuditLog.open(directory, clock=clock)

    def start(reader: str) -> object:
        session = log.new_session(reader=reader, document="DOC-1", signature_hash="ab" * 32)
        log.append(
            "session_started", session=session, code=session.code, title="SCR Child A", pages=3
        )
        return session

    def view(session: object, page: int, seconds: float, ended_by: str | None) -> None:
        clock.advance(seconds)
        details = {"page": page, "zoom": 1.0, "seconds": seconds, "ended_by": ended_by}
        log.append("page_viewed", session=session, **details)

    now = start("alice@example.gov.uk")  # 09:00:00, as the viewer writes it now
    view(now, 1, 12, "page change")
    view(now, 2, 8, "idle lock")  # 09:00:20
    log.append("idle_locked", session=now, idle_seconds=5.0)
    clock.advance(60)
    log.append("unlocked", session=now)  # 09:01:20
    view(now, 2, 10, "away")
    log.append("focus_lost", session=now)  # 09:01:30
    clock.advance(30)
    log.append("focus_returned", session=now)  # 09:02:00
    view(now, 2, 4, "session end")
    log.append(
        "session_ended", session=now, reason="closed", seconds=124.0, pages_viewed=4,
        visible_seconds=34.0, short_views_dropped=3, page_view_min_ms=300,
    )  # fmt: skip

    clock.now = datetime(2026, 12, 3, 9, 10, tzinfo=UTC)
    old = start("bob@example.gov.uk")  # an older viewer: its timer ran on under the lock
    view(old, 1, 5, None)
    log.append("idle_locked", session=old)  # 09:10:05, no idle_seconds
    clock.advance(60)
    log.append("unlocked", session=old)  # 09:11:05
    clock.advance(10)  # 09:11:15: its timer ran from the lock, so 60 of these 70 s were locked
    log.append("page_viewed", session=old, page=1, zoom=1.0, seconds=70.0)
    log.append("session_ended", session=old, reason="closed")
    log.close()
    return directory


def _report(logdir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["audit", "report", str(logdir), *args]) == 0
    return capsys.readouterr().out


def test_text_reports_visible_time_and_each_kind_of_period(
    logdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _report(logdir, capsys)
    assert "page time    0m34s visible to the reader; 3 views under 300 ms not recorded" in out
    assert "periods      idle (no input) 0m05s, locked (idle) 1m00s, away 0m30s" in out
    assert "idle (no input) 2026-12-03T09:00:15Z -> 2026-12-03T09:00:20Z (0m05s)" in out
    assert "locked (idle) 2026-12-03T09:00:20Z -> 2026-12-03T09:01:20Z (1m00s)" in out
    assert "away         2026-12-03T09:01:30Z -> 2026-12-03T09:02:00Z (0m30s)" in out
    # Alice: page 1 12 s, page 2 8 + 10 + 4 s; page 3 never shown.
    assert "coverage     2 of 3 pages seen for at least 10 s; not seen: 3" in out
    # Bob's older records: 5 s + (70 s less the 60 s locked) = 15 s, not 75 s.
    assert "page time    0m15s visible to the reader" in out
    assert "periods      idle (no input) 0m00s, locked (idle) 1m00s, away 0m00s" in out


def test_json_has_period_totals_and_each_views_visible_time(
    logdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(_report(logdir, capsys, "--format", "json"))
    alice, bob = data["sessions"]
    assert (alice["idle_seconds"], alice["locked_seconds"], alice["away_seconds"]) == (5, 60, 30)
    assert alice["short_views_dropped"] == 3 and alice["page_view_min_ms"] == 300
    assert [p["kind"] for p in alice["periods"]] == ["idle (no input)", "locked (idle)", "away"]
    assert [v["ended_by"] for v in alice["page_views"]] == [
        "page change", "idle lock", "away", "session end",
    ]  # fmt: skip
    assert alice["pages"] == {"1": 12.0, "2": 22.0}
    assert alice["page_views"][2]["from"] == "2026-12-03T09:01:20Z"  # after the unlock
    assert bob["page_views"][1] == {
        "page": 1, "from": "2026-12-03T09:10:05Z", "until": "2026-12-03T09:11:15Z",
        "seconds": 70.0, "visible_seconds": 10.0, "ended_by": None,
    }  # fmt: skip
    assert bob["pages"] == {"1": 15.0} and bob["reading_seconds"] == 15.0
    assert bob["short_views_dropped"] is None  # not recorded by the older viewer
    assert data["documents"][0]["reading_seconds"] == 49.0


def test_csv_has_the_periods_and_each_views_end(
    logdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = list(csv.DictReader(io.StringIO(_report(logdir, capsys, "--format", "csv"))))
    alice, bob = rows
    assert (alice["idle_seconds"], alice["locked_seconds"], alice["away_seconds"]) == (
        "5", "60", "30",
    )  # fmt: skip
    assert alice["periods"].split(" | ")[0] == (
        "idle (no input) 2026-12-03T09:00:15Z 2026-12-03T09:00:20Z"
    )
    assert alice["short_views_dropped"] == "3" and bob["short_views_dropped"] == ""
    assert alice["reading_seconds"] == "34" and bob["reading_seconds"] == "15"
    views = list(csv.DictReader(io.StringIO(_report(logdir, capsys, "--format", "csv-views"))))
    assert [(v["page"], v["seconds"], v["visible_seconds"], v["ended_by"]) for v in views] == [
        ("1", "12.0", "12.0", "page change"),
        ("2", "8.0", "8.0", "idle lock"),
        ("2", "10.0", "10.0", "away"),
        ("2", "4.0", "4.0", "session end"),
        ("1", "5.0", "5.0", ""),
        ("1", "70.0", "10.0", ""),
    ]


def test_html_shows_the_totals_and_an_idle_band_on_the_timeline(
    logdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    html = _report(logdir, capsys, "--format", "html")
    assert "<td>Idle, locked, away</td><td>idle (no input) 0m05s, locked (idle) 1m00s" in html
    assert "0m34s visible to the reader; 3 views under 300 ms not recorded" in html
    assert "<title>idle (no input): 2026-12-03T09:00:15Z to 2026-12-03T09:00:20Z</title>" in html
    assert "Lavender: idle (no input before the lock" in html
