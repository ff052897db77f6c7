"""ReadingSession: what a reading session writes to a real audit log, and when it must stop."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from readingroom.audit import AuditLog, events
from readingroom.audit.unlock_failures import record_unlock_failed, unlock_failure_reason
from readingroom.errors import (
    AuditUnavailable,
    CannotUnlock,
    DamagedFile,
    Expired,
    KeyFileLocked,
    WorkstationRefused,
)
from readingroom.policy import Policy
from readingroom.reading_session import DeniedAction, EndReason, ReadingSession
from readingroom.review_file import OpenedReview, UnlockKeys, open_review
from tests.audit.helpers import all_records
from tests.factories import PASSPHRASE, READER, SealedFixture, seal_fixture

START = datetime(2030, 5, 1, 9, 0, tzinfo=UTC)


class Clocks:
    """The wall clock and the monotonic clock, moved by hand (the only fakes here)."""

    def __init__(self) -> None:
        self.now = START
        self.seconds = 1000.0

    def wall(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.seconds


def _open(sealed: SealedFixture, now: datetime = START) -> OpenedReview:
    return open_review(
        sealed.data,
        UnlockKeys(passphrase=PASSPHRASE),
        config=sealed.config,
        trust=sealed.trust,
        now=now,
    )


@pytest.fixture
def log(rr_home: Path) -> Iterator[AuditLog]:
    audit = AuditLog.open(rr_home / "audit")
    yield audit
    audit.close()


def _events(directory: Path) -> list[dict[str, Any]]:
    return [record for record in all_records(directory) if record["event"] != "checkpoint"]


def _session(
    rr_home: Path, log: AuditLog, clocks: Clocks, policy: Policy | None = None
) -> ReadingSession:
    sealed = seal_fixture(rr_home, policy=policy)
    return ReadingSession(
        _open(sealed),
        log,
        sealed.config,
        context=log.new_session(reader=None),
        clock=clocks.wall,
        monotonic=clocks.monotonic,
    )


def test_a_session_records_its_life_in_order(rr_home: Path, log: AuditLog) -> None:
    clocks = Clocks()
    session = _session(rr_home, log, clocks)
    code = session.start()
    assert code == session.session_code
    session.pages_on_screen()
    session.zoom_changed(1.25)
    clocks.seconds += 12.5
    session.page_shown(1, 1.25)
    session.record_search("budget")
    session.record_search("review", hits=3)
    session.record_denied(DeniedAction.COPY)
    session.record_denied(DeniedAction.EXTERNAL_LINK, kind="uri")
    session.record_focus(lost=True)
    session.record_focus(lost=False)
    session.record_idle_locked()
    session.record_unlocked()
    clocks.seconds += 47.5
    session.end(EndReason.CLOSED)
    session.end(EndReason.IDLE)  # idempotent: one session_ended only

    records = [
        r for r in _events(rr_home / "audit") if r.get("session") == session.context.session_id
    ]
    assert [r["event"] for r in records] == [
        "session_started",
        "page_viewed",
        "search",
        "search",
        "denied_action",
        "denied_action",
        "focus_lost",
        "focus_returned",
        "idle_locked",
        "unlocked",
        "page_viewed",
        "session_ended",
    ]
    started = records[0]
    assert started["details"]["code"] == code
    assert started["reader"] == READER.id
    assert started["signature_hash"] == session.context.signature_hash
    # Who and what, for the auditor (the log is restricted: docs/audit-log.md).
    details = started["details"]
    assert details["reader_name"] == READER.name
    assert details["organisation"] == READER.organisation
    assert details["title"] == "Serious Case Review: Child A"
    assert details["classification"] == "OFFICIAL-SENSITIVE"
    assert details["pages"] == 3
    assert records[1]["details"] == {
        "page": 1,
        "zoom_milli": 1250,
        "seconds_milli": 12500,
        "ended_by": "page change",
    }
    assert records[2]["details"] == {"query": "budget"}
    assert records[3]["details"] == {"query": "review", "hits": 3}
    assert records[5]["details"] == {"action": "external link", "kind": "uri"}
    # Page 2 was on screen from the page change to the end, apart from the curtains (no time).
    assert records[-2]["details"] == {
        "page": 2,
        "zoom_milli": 1250,
        "seconds_milli": 47500,
        "ended_by": "session end",
    }
    assert records[-1]["details"] == {
        "reason": "closed",
        "seconds_milli": 60000,
        "pages_viewed": 2,
        "visible_seconds_milli": 60000,
        # No time passed before focus_lost, nor between focus_returned and idle_locked.
        "short_views_dropped": 2,
        "page_view_min_ms": 300,
    }


def test_nothing_is_recorded_after_the_end(rr_home: Path, log: AuditLog) -> None:
    session = _session(rr_home, log, Clocks())
    session.start()
    session.end(EndReason.CLOSED)
    session.page_shown(2, 1.0)
    assert _events(rr_home / "audit")[-1]["event"] == "session_ended"


def test_cut_is_recorded_even_if_the_vocabulary_lacks_it(rr_home: Path, log: AuditLog) -> None:
    session = _session(rr_home, log, Clocks())
    session.start()
    session.record_denied(DeniedAction.CUT)
    details = _events(rr_home / "audit")[-1]["details"]
    assert "cut" in (details["action"], details.get("kind"))


def test_expiry_and_maximum_length_end_the_session(rr_home: Path, log: AuditLog) -> None:
    clocks = Clocks()
    policy = Policy(reader=READER, not_after=START + timedelta(hours=1), max_session_minutes=30)
    session = _session(rr_home, log, clocks, policy)
    session.start()
    assert session.limit_reached() is None
    clocks.seconds += 30 * 60
    assert session.limit_reached() is EndReason.MAX_TIME
    clocks.now += timedelta(hours=1)
    assert session.limit_reached() is EndReason.EXPIRED


def test_an_append_failure_fails_the_session(rr_home: Path, log: AuditLog) -> None:
    clocks = Clocks()
    session = _session(rr_home, log, clocks)
    session.start()
    session.pages_on_screen()
    clocks.seconds += 5

    def broken(*_args: object, **_details: object) -> int:
        raise AuditUnavailable(reason="disk full")

    # Injected fault: the log's own writer failing (as on a full disk).
    log.append = broken  # type: ignore[method-assign]
    with pytest.raises(AuditUnavailable):
        session.page_shown(1, 1.0)
    assert session.failed
    session.end(EndReason.AUDIT_FAILURE)  # does not raise again
    assert session.ended


def test_unlock_failures_are_recorded_by_category(rr_home: Path, log: AuditLog) -> None:
    context = log.new_session(reader=None)
    record_unlock_failed(
        log, CannotUnlock(reason="wrong passphrase or not for this reader"), session=context
    )
    record_unlock_failed(log, Expired(reason="expired"), session=context, file="old.rrf")
    details = [r["details"] for r in _events(rr_home / "audit") if r["event"] == "unlock_failed"]
    assert [d["reason"] for d in details] == ["wrong passphrase", "expired"]
    assert "file" not in details[0] and details[1]["file"] == "old.rrf"


@pytest.mark.parametrize(
    ("error", "category"),
    [
        (CannotUnlock(reason="wrong passphrase or not for this reader"), "wrong passphrase"),
        (KeyFileLocked(), "wrong passphrase"),
        (
            WorkstationRefused(reason="not for this workstation: no workstation key"),
            "not for this workstation",
        ),
        (DamagedFile(reason="damaged file: bad signature"), "damaged file"),
        (Expired(), "expired"),
    ],
)
def test_unlock_failure_reason(error: Exception, category: str) -> None:
    assert unlock_failure_reason(error) == category  # type: ignore[arg-type]


def test_the_audit_vocabulary_names_every_refused_action() -> None:
    assert {action.value for action in DeniedAction} <= events.DENIED_ACTIONS
