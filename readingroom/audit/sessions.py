"""Reading sessions rebuilt from the records: what the reports and ``trace`` show.

One walk over the log (:func:`summarise_log`) verifies the chain and collects, per session, the
page views, searches, denied actions and the periods with no page visible (idle lock, away), and
the failed unlocks and alarms of the whole log. The data types are in ``session_summary``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from readingroom.audit import events
from readingroom.audit.notes_summary import NotesEntry, notes_entry
from readingroom.audit.records import parse_body, parse_time
from readingroom.audit.session_summary import (
    CAPTURE_STATES,
    PERIOD_AWAY,
    PERIOD_IDLE,
    PERIOD_IDLE_LOCK,
    Alarm,
    Denied,
    LogSummary,
    PageView,
    Period,
    Search,
    SessionSummary,
    UnlockFailure,
    iso,
)
from readingroom.audit.verify import scan_log

__all__ = ["Alarm", "LogSummary", "SessionSummary", "select_sessions", "summarise_log"]

# The event that opens a period, the event that closes it, and the period's name.
_PERIODS = {
    events.IDLE_LOCKED: PERIOD_IDLE_LOCK,
    events.FOCUS_LOST: PERIOD_AWAY,
}
_PERIOD_ENDS = {
    events.UNLOCKED: PERIOD_IDLE_LOCK,
    events.FOCUS_RETURNED: PERIOD_AWAY,
}


class _Collector:
    def __init__(self) -> None:
        self.sessions: dict[str, SessionSummary] = {}
        self.alarms: list[Alarm] = []
        self.unlock_failures: list[UnlockFailure] = []
        self.notes_releases: list[NotesEntry] = []

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
            started = _started(record, details)
            self.sessions[started.session_id] = started
            return
        if event in (events.CLOCK_ROLLBACK, events.RECOVERED_TORN_TAIL, events.ACKNOWLEDGED):
            moment = iso(parse_time(record["time"]))  # the report's one time format
            self.alarms.append(Alarm(moment, str(event), _describe(details)))
        if event == events.NOTES_RELEASED:
            self.notes_releases.append(notes_entry(event, details, parse_time(record["time"])))
        session = self.sessions.get(str(record.get("session")))
        if event == events.UNLOCK_FAILED:
            self.unlock_failures.append(_unlock_failure(record, details, session))
        if session is not None and event in events.NOTES_EVENTS:
            session.notes.append(notes_entry(str(event), details, parse_time(record["time"])))
        elif session is not None:
            _apply(session, str(event), details, parse_time(record["time"]))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _started(record: dict[str, Any], details: dict[str, Any]) -> SessionSummary:
    pages = details.get("pages")
    # The capture state arrives as {"state", "os"} (issue 18); a flat capture_state/capture_os
    # pair is read too, for a log whose records allow no nested details.
    capture = details.get("capture")
    if capture is None and "capture_state" in details:
        capture = {"state": details.get("capture_state"), "os": details.get("capture_os")}
    return SessionSummary(
        session_id=_text(record.get("session")),
        code=_text(details.get("code")),
        reader=_text(record.get("reader")),
        workstation=_text(record.get("workstation")),
        document=_text(record.get("document")),
        signature_hash=_text(record.get("signature_hash")),
        start=parse_time(record["time"]),
        reader_name=_text(details.get("reader_name")),
        organisation=_text(details.get("organisation")),
        title=_text(details.get("title")),
        classification=_text(details.get("classification")),
        page_count=pages if isinstance(pages, int) and not isinstance(pages, bool) else None,
        capture=capture_from_record(capture),
    )


def capture_from_record(value: Any) -> dict[str, str] | None:
    """The ``capture`` field of a ``session_started`` record, with an unknown state marked."""
    if not isinstance(value, dict):
        return None
    state = value.get("state")
    return {
        "state": state if state in CAPTURE_STATES else f"unknown ({_text(state)[:40]})",
        "os": _text(value.get("os"))[:80],
    }


def _unlock_failure(
    record: dict[str, Any], details: dict[str, Any], session: SessionSummary | None
) -> UnlockFailure:
    # Before a session starts the reader is unknown (the file did not open); at an idle lock
    # the failure belongs to a session, which knows the reader and the document.
    return UnlockFailure(
        time=parse_time(record["time"]),
        reason=_text(details.get("reason")),
        reader=session.reader if session else _text(record.get("reader")),
        document=session.document if session else _text(record.get("document")),
        file=_text(details.get("file")) or _signature_text(record.get("signature_hash")),
        code=session.code if session else "",
    )


def _signature_text(value: Any) -> str:
    # Without a file name, the file's signature hash (as in session_started) still names it.
    text = _text(value)
    return f"signature {text[:16]}" if text else ""


def _describe(details: dict[str, Any]) -> str:
    return ", ".join(f"{key}: {value}" for key, value in sorted(details.items()))


def _apply(session: SessionSummary, event: str, details: dict[str, Any], time: datetime) -> None:
    if event == events.PAGE_VIEWED:
        session.views.append(_page_view(details, time))
    elif event == events.SEARCH:
        hits = details.get("hits")
        hit_count = hits if isinstance(hits, int) and not isinstance(hits, bool) else None
        session.searches.append(Search(time, _text(details.get("query")), hit_count))
    elif event == events.DENIED_ACTION:
        session.denied.append(
            Denied(time, _text(details.get("action")), _text(details.get("kind")))
        )
    elif event in _PERIODS:
        if event == events.IDLE_LOCKED and "idle_seconds_milli" in details:
            idle = timedelta(milliseconds=max(int(details["idle_seconds_milli"]), 0))
            session.periods.append(Period(PERIOD_IDLE, time - idle, time))
        if not _open_period(session, _PERIODS[event]):
            session.periods.append(Period(_PERIODS[event], time))
    elif event in _PERIOD_ENDS:
        period = _open_period(session, _PERIOD_ENDS[event])
        if period is not None:
            period.end = time
    elif event == events.SESSION_ENDED:
        session.end = time
        session.end_reason = _text(details.get("reason"))
        session.short_views_dropped = _count(details.get("short_views_dropped"))
        session.page_view_min_ms = _count(details.get("page_view_min_ms"))
        for period in session.periods:
            if period.end is None:
                period.end = time


def _page_view(details: dict[str, Any], time: datetime) -> PageView:
    # Floats are stored as thousandths (records.py); a whole number stays as it is.
    if "seconds_milli" in details:
        seconds = int(details["seconds_milli"]) / 1000
    else:
        seconds = float(int(details.get("seconds", 0)))
    ended_by = _text(details.get("ended_by"))[:40]
    return PageView(int(details.get("page", 0)), seconds, time, ended_by)


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _open_period(session: SessionSummary, kind: str) -> Period | None:
    for period in reversed(session.periods):
        if period.kind == kind:
            return period if period.end is None else None
    return None


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
    return LogSummary(
        scan,
        list(collector.sessions.values()),
        alarms,
        collector.unlock_failures,
        notes_releases=collector.notes_releases,
    )


@dataclass(frozen=True)
class Filters:
    """What ``audit report`` was asked to show; text filters match an id or a fragment."""

    reader: str | None = None
    document: str | None = None
    since: datetime | None = None

    def describe(self) -> str:
        """The filters in words, for the report's header."""
        parts = []
        if self.reader is not None:
            parts.append(f'reader matches "{self.reader}"')
        if self.document is not None:
            parts.append(f'document matches "{self.document}"')
        if self.since is not None:
            parts.append(f"since {iso(self.since)}")
        return "; ".join(parts) or "none (everything in the log)"

    def reader_matches(self, reader_id: str, name: str = "") -> bool:
        """The reader's id, or a fragment of the id or the display name (any case)."""
        return self.reader is None or _fragment(self.reader, reader_id, name)

    def document_matches(self, document_id: str, title: str = "") -> bool:
        """The document's id, or a fragment of the id or the title (any case)."""
        return self.document is None or _fragment(self.document, document_id, title)

    def time_matches(self, moment: datetime) -> bool:
        """At or after ``since``."""
        return self.since is None or moment >= self.since


def _fragment(wanted: str, *values: str) -> bool:
    needle = wanted.strip().casefold()
    return bool(needle) and any(needle in value.casefold() for value in values)


def select_sessions(sessions: list[SessionSummary], filters: Filters) -> list[SessionSummary]:
    """The sessions matching every filter given."""
    return [
        session
        for session in sessions
        if filters.reader_matches(session.reader, session.reader_name)
        and filters.document_matches(session.document, session.title)
        and filters.time_matches(session.start)
    ]


def select_unlock_failures(summary: LogSummary, filters: Filters) -> list[UnlockFailure]:
    """The failed unlocks matching the filters (with a reader filter, only known readers)."""
    names = {session.reader: session.reader_name for session in summary.sessions}
    titles = {session.document: session.title for session in summary.sessions}
    return [
        failure
        for failure in summary.unlock_failures
        if filters.reader_matches(failure.reader, names.get(failure.reader, ""))
        and filters.document_matches(failure.document, titles.get(failure.document, ""))
        and filters.time_matches(failure.time)
    ]
