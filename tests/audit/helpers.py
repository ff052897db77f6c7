"""Shared helpers for the audit tests: a real log with known content, a settable clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from readingroom.audit import AuditLog
from readingroom.audit.records import parse_body, split_line
from readingroom.audit.storage import list_segments


class FakeClock:
    """A wall clock the test moves by hand (the only thing these tests fake)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2025, 6, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=250)
        return self.now


def write_sessions(directory: Path, records: int, **open_args: object) -> None:
    """A log of roughly ``records`` records: sessions of page views, searches, denials."""
    log = AuditLog.open(directory, **open_args)  # type: ignore[arg-type]
    try:
        while log._next_seq < records - 3:
            session = log.new_session(reader="alice", document="DOC-7", signature_hash="ab" * 32)
            log.append("session_started", session=session)
            for page in range(1, 6):
                log.append("page_viewed", session=session, page=page, zoom=1.0, seconds=2.5)
            log.append("search", session=session, query="budget")
            log.append("denied_action", session=session, action="copy")
            log.append("session_ended", session=session, reason="closed")
    finally:
        log.close()


def all_records(directory: Path) -> list[dict[str, object]]:
    """Every record of the log as dicts, in file order."""
    result: list[dict[str, object]] = []
    for segment in list_segments(directory):
        for line in segment.read_bytes().splitlines():
            parts = split_line(line)
            assert parts is not None
            record = parse_body(parts[1])
            assert record is not None
            result.append(record)
    return result
