"""Reading sessions rebuilt from the records: what the report and ``trace`` show."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from readingroom.audit import events
from readingroom.audit.records import parse_body, parse_time
from readingroom.audit.verify import ScanResult, scan_log


@dataclass
class PageView:
    """One ``page_viewed`` record: a page stopped being visible at ``until``."""

    page: int
    seconds: float
    until: datetime


@dataclass
class SessionSummary:
    """One session, from ``session_started`` to ``session_ended``."""

    session_id: str
    code: str
    reader: str
    workstation: str
    document: str
    signature_hash: str
    start: datetime
    end: datetime | None = None
    end_reason: str = "still open"
    views: list[PageView] = field(default_factory=list)
    searches: list[str] = field(default_factory=list)
    denied: Counter[str] = field(default_factory=Counter)
    focus_lost: int = 0
    idle_locks: int = 0

    @property
    def duration_seconds(self) -> float | None:
        """Seconds from start to end (None while still open)."""
        return (self.end - self.start).total_seconds() if self.end else None

    def seconds_per_page(self) -> dict[int, float]:
        """Total seconds each page was visible, by page number."""
        totals: dict[int, float] = {}
        for view in self.views:
            totals[view.page] = totals.get(view.page, 0.0) + view.seconds
        return dict(sorted(totals.items()))


@dataclass(frozen=True)
class Alarm:
    """Something an auditor must see first: tampering, recovery, a clock set back."""

    time: str
    event: str
    text: str


@dataclass
class LogSummary:
    """Everything a report needs from one walk over the log."""

    scan: ScanResult
    sessions: list[SessionSummary]
    alarms: list[Alarm]
    unlock_failures: list[dict[str, Any]]


class _Collector:
    def __init__(self) -> None:
        self.sessions: dict[str, SessionSummary] = {}
        self.alarms: list[Alarm] = []
        self.unlock_failures: list[dict[str, Any]] = []

    def visit(self, seq: int, body: bytes) -> None:
        # The chain hash is unkeyed: anyone who can write the log can append a record that
        # verifies but does not have the fields a writer would give it. It is reported, not
        # allowed to crash the report.
        try:
            self._visit(body)
        except (KeyError, TypeError, ValueError, AttributeError):
            self.alarms.append(
                Alarm(
                    "", "malformed record", f"record seq {seq:,} does not have the expected fields"
                )
            )

    def _visit(self, body: bytes) -> None:
        record = parse_body(body)
        if record is None:
            return
        event = record.get("event")
        details = record.get("details") or {}
        if event == events.SESSION_STARTED:
            self.sessions[str(record.get("session"))] = SessionSummary(
                session_id=str(record.get("session")),
                code=str(details.get("code", "")),
                reader=str(record.get("reader", "")),
                workstation=str(record.get("workstation", "")),
                document=str(record.get("document", "")),
                signature_hash=str(record.get("signature_hash", "")),
                start=parse_time(record["time"]),
            )
            return
        if event in (events.CLOCK_ROLLBACK, events.RECOVERED_TORN_TAIL, events.ACKNOWLEDGED):
            self.alarms.append(Alarm(record["time"], str(event), _describe(details)))
        elif event == events.UNLOCK_FAILED:
            self.unlock_failures.append(record)
        session = self.sessions.get(str(record.get("session")))
        if session is not None:
            _apply(session, str(event), details, record["time"])


def _describe(details: dict[str, Any]) -> str:
    return ", ".join(f"{key}: {value}" for key, value in sorted(details.items()))


def _apply(session: SessionSummary, event: str, details: dict[str, Any], time: str) -> None:
    if event == events.PAGE_VIEWED:
        seconds = int(details.get("seconds_milli", 0)) / 1000
        session.views.append(PageView(int(details.get("page", 0)), seconds, parse_time(time)))
    elif event == events.SEARCH:
        session.searches.append(str(details.get("query", "")))
    elif event == events.DENIED_ACTION:
        session.denied[str(details.get("action", ""))] += 1
    elif event == events.FOCUS_LOST:
        session.focus_lost += 1
    elif event == events.IDLE_LOCKED:
        session.idle_locks += 1
    elif event == events.SESSION_ENDED:
        session.end = parse_time(time)
        session.end_reason = str(details.get("reason", ""))


def summarise_log(directory: Path) -> LogSummary:
    """Walk the log once, verifying it and rebuilding its sessions.

    A log that does not verify is still summarised up to the first bad record; the finding
    becomes the first alarm.
    """
    collector = _Collector()
    scan = scan_log(directory, visit=collector.visit)
    alarms = list(collector.alarms)
    if scan.problem is not None:
        alarms.insert(0, Alarm("", "tampered", "LOG DOES NOT VERIFY: " + scan.problem.describe()))
    quarantined = sorted(path.name for path in directory.glob("tampered-*") if path.is_dir())
    for name in quarantined:
        alarms.append(Alarm("", "quarantined", f"an earlier log that did not verify is in {name}"))
    return LogSummary(scan, list(collector.sessions.values()), alarms, collector.unlock_failures)


def select_sessions(
    sessions: list[SessionSummary],
    *,
    reader: str | None = None,
    document: str | None = None,
    since: datetime | None = None,
) -> list[SessionSummary]:
    """The sessions matching every filter given."""
    return [
        session
        for session in sessions
        if (reader is None or session.reader == reader)
        and (document is None or session.document == document)
        and (since is None or session.start >= since)
    ]
