"""AuditLog behaviour: durability contract, lock, recovery, crashed sessions, clock, rotation."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from readingroom.audit import AuditLog, scan_log
from readingroom.audit.acknowledge import acknowledge_tampered_log
from readingroom.audit.storage import list_segments
from readingroom.config import load_config
from readingroom.errors import AuditTampered, AuditUnavailable, UsageError
from tests.audit.helpers import FakeClock, all_records, write_sessions


def test_append_returns_consecutive_seqs_and_stamps_session_fields(
    rr_home: Path, tmp_path: Path
) -> None:
    log = AuditLog.open(tmp_path / "log")
    session = log.new_session(reader="alice", document="DOC-1", signature_hash="cd" * 32)
    first = log.append("session_started", session=session)
    second = log.append("page_viewed", session=session, page=3, zoom=1.5, seconds=12.5)
    log.close()
    assert second == first + 1
    record = all_records(tmp_path / "log")[second]
    assert record["reader"] == "alice"
    assert record["document"] == "DOC-1"
    assert record["session"] == session.session_id
    assert record["details"] == {"page": 3, "seconds_milli": 12500, "zoom_milli": 1500}
    assert all_records(tmp_path / "log")[first]["details"] == {"code": session.code}


def test_default_directory_comes_from_the_configuration(rr_home: Path) -> None:
    AuditLog.open().close()
    assert list_segments(load_config().audit_dir)
    assert (rr_home / "audit-signing.key").stat().st_mode & 0o777 == 0o600


def test_unknown_event_and_bad_category_are_programming_errors(
    rr_home: Path, tmp_path: Path
) -> None:
    log = AuditLog.open(tmp_path / "log")
    with pytest.raises(ValueError, match="unknown"):
        log.append("page_viwed")
    with pytest.raises(ValueError, match="reason"):
        log.append("unlock_failed", reason="bad luck")
    with pytest.raises(ValueError):
        log.append("checkpoint")  # only the log writes those
    log.close()


def test_second_writer_is_refused(rr_home: Path, tmp_path: Path) -> None:
    log = AuditLog.open(tmp_path / "log")
    with pytest.raises(AuditUnavailable, match="in use"):
        AuditLog.open(tmp_path / "log")
    log.close()
    AuditLog.open(tmp_path / "log").close()


def test_torn_tail_is_cut_and_recorded(rr_home: Path, tmp_path: Path) -> None:
    directory = tmp_path / "log"
    write_sessions(directory, 30)
    segment = list_segments(directory)[-1]
    good = segment.read_bytes()
    segment.write_bytes(good + b'{"h":"12ab","r":{"details":{"pa')
    assert scan_log(directory).problem is not None  # verify alone calls it truncated
    AuditLog.open(directory).close()
    assert scan_log(directory).problem is None
    events = [record["event"] for record in all_records(directory)]
    assert events.count("recovered_torn_tail") == 1


def test_sessions_left_open_by_a_crash_are_closed(rr_home: Path, tmp_path: Path) -> None:
    directory = tmp_path / "log"
    log = AuditLog.open(directory)
    session = log.new_session(reader="bob", document="DOC-2")
    log.append("session_started", session=session)
    log.append("page_viewed", session=session, page=1, zoom=1.0, seconds=3.0)
    log._writer.close()  # a crash: no session_ended, no close()
    log._lock.release()  # type: ignore[union-attr]
    AuditLog.open(directory).close()
    ended = [r for r in all_records(directory) if r["event"] == "session_ended"]
    assert len(ended) == 1
    assert ended[0]["session"] == session.session_id
    assert ended[0]["reader"] == "bob"
    assert ended[0]["details"] == {"reason": "crash recovery"}
    AuditLog.open(directory).close()  # and only once
    assert len([r for r in all_records(directory) if r["event"] == "session_ended"]) == 1


def test_clock_set_back_between_sessions_is_recorded_and_sticks(
    rr_home: Path, tmp_path: Path
) -> None:
    directory = tmp_path / "log"
    clock = FakeClock()
    write_sessions(directory, 20, clock=clock)
    clock.now -= timedelta(days=30)
    log = AuditLog.open(directory, clock=clock)
    assert log.clock_rolled_back  # the review-opening code refuses files with a not-after date
    log.close()
    # The next session, with the clock still wrong, must not see "no jump since last record".
    log = AuditLog.open(directory, clock=clock)
    assert log.clock_rolled_back
    log.close()
    events = [r["event"] for r in all_records(directory)]
    assert events.count("clock_rollback") == 2
    clock.now += timedelta(days=31)
    log = AuditLog.open(directory, clock=clock)
    assert not log.clock_rolled_back
    log.close()


def test_small_clock_adjustment_is_tolerated(rr_home: Path, tmp_path: Path) -> None:
    clock = FakeClock()
    write_sessions(tmp_path / "log", 20, clock=clock)
    clock.now -= timedelta(seconds=30)
    log = AuditLog.open(tmp_path / "log", clock=clock)
    assert not log.clock_rolled_back
    log.close()


def test_rotation_keeps_one_chain(rr_home: Path, tmp_path: Path) -> None:
    directory = tmp_path / "log"
    write_sessions(directory, 300, max_segment_bytes=8 * 1024)
    segments = list_segments(directory)
    assert len(segments) > 3
    result = scan_log(directory)
    assert result.problem is None
    assert result.records == len(all_records(directory))
    segments[1].unlink()
    problem = scan_log(directory).problem
    assert problem is not None
    assert problem.kind == "missing"


def test_checkpoints_every_n_records_and_at_session_end(rr_home: Path, tmp_path: Path) -> None:
    directory = tmp_path / "log"
    log = AuditLog.open(directory)
    session = log.new_session(reader="alice")
    log.append("session_started", session=session)
    for page in range(250):
        log.append("page_viewed", session=session, page=page, zoom=1.0, seconds=1.0)
    log.append("session_ended", session=session, reason="closed")
    log.close()
    records = all_records(directory)
    covered = [r["details"]["covers_seq"] for r in records if r["event"] == "checkpoint"]  # type: ignore[index]
    assert len(covered) >= 3
    assert records[-1]["event"] == "checkpoint"
    assert scan_log(directory).last_checkpoint is not None


def test_tampered_log_blocks_until_acknowledged(rr_home: Path, tmp_path: Path) -> None:
    directory = tmp_path / "log"
    write_sessions(directory, 40)
    segment = list_segments(directory)[0]
    segment.write_bytes(segment.read_bytes().replace(b"budget", b"BUDGET", 1))
    for _ in range(2):
        with pytest.raises(AuditTampered):
            AuditLog.open(directory)
    quarantine = acknowledge_tampered_log(directory, config=load_config(), by="admin")
    assert (quarantine / segment.name).exists()
    log = AuditLog.open(directory)
    log.close()
    acknowledged = [r for r in all_records(directory) if r["event"] == "acknowledged"]
    assert len(acknowledged) == 1
    assert "edited" in str(acknowledged[0]["details"])
    with pytest.raises(UsageError):
        acknowledge_tampered_log(directory, config=load_config(), by="admin")


def test_closed_log_refuses_appends(rr_home: Path, tmp_path: Path) -> None:
    log = AuditLog.open(tmp_path / "log")
    log.close()
    with pytest.raises(AuditUnavailable):
        log.append("focus_lost")
