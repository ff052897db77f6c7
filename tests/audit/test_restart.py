"""A log cannot quietly start again: deleted, cut, replaced, unlinked mid-session, second writer.

Each attack ends in a refusal (``AuditTampered`` or ``AuditUnavailable``) and, once an
administrator acknowledges it, in an ``acknowledged`` record naming the finding and who reset it.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from readingroom.audit import AuditLog, scan_log
from readingroom.audit.acknowledge import acknowledge_tampered_log
from readingroom.audit.state import STATE_NAME
from readingroom.audit.storage import list_segments
from readingroom.cli import main
from readingroom.config import load_config
from readingroom.errors import AuditTampered, AuditUnavailable, ExitCode
from tests.audit.helpers import FakeClock, all_records, write_sessions


@pytest.fixture
def logdir(rr_home: Path, tmp_path: Path) -> Path:
    directory = tmp_path / "log"
    write_sessions(directory, 60)
    return directory


def _acknowledged(directory: Path) -> dict[str, object]:
    records = [r for r in all_records(directory) if r["event"] == "acknowledged"]
    assert len(records) == 1
    details = records[0]["details"]
    assert isinstance(details, dict)
    return details


def test_a_deleted_log_is_refused_until_acknowledged(logdir: Path) -> None:
    old_id = scan_log(logdir).log_id
    shutil.rmtree(logdir)
    with pytest.raises(AuditTampered) as caught:
        AuditLog.open(logdir)
    assert caught.value.reason == "log missing"
    acknowledge_tampered_log(logdir, config=load_config(), by="Dana (administrator)")
    details = _acknowledged(logdir)
    assert details["by"] == "Dana (administrator)"
    assert details["previous_log_id"] == old_id
    assert "missing" in str(details["finding"])
    AuditLog.open(logdir).close()  # the new log opens from now on


def test_the_clock_high_water_mark_survives_a_deleted_log(rr_home: Path, tmp_path: Path) -> None:
    directory = tmp_path / "log"
    clock = FakeClock()
    log = AuditLog.open(directory, clock=clock)
    session = log.new_session(reader="alice")
    log.append("session_started", session=session)
    log.append("session_ended", session=session, reason="closed")
    log.close()
    shutil.rmtree(directory)
    acknowledge_tampered_log(directory, config=load_config(), by="admin")
    clock.now -= timedelta(days=30)  # set back to before the expiry date
    log = AuditLog.open(directory, clock=clock)
    assert log.clock_rolled_back
    log.close()
    assert [r for r in all_records(directory) if r["event"] == "clock_rollback"]


def test_log_and_state_deleted_but_the_key_remains(logdir: Path, rr_home: Path) -> None:
    shutil.rmtree(logdir)
    (rr_home / STATE_NAME).unlink()
    with pytest.raises(AuditTampered) as caught:
        AuditLog.open(logdir)
    assert caught.value.reason == "log missing"


def test_a_log_replaced_by_a_fresh_one_is_refused(logdir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    write_sessions(other, 60)
    for segment in list_segments(logdir):
        segment.unlink()
    for segment in list_segments(other):
        shutil.copy(segment, logdir / segment.name)
    assert scan_log(logdir).problem is None  # on its own, the fresh log verifies
    with pytest.raises(AuditTampered) as caught:
        AuditLog.open(logdir)
    assert caught.value.reason == "log replaced"


def test_a_log_cut_short_is_refused(logdir: Path) -> None:
    segment = list_segments(logdir)[0]
    lines = segment.read_bytes().splitlines(keepends=True)
    segment.write_bytes(b"".join(lines[:30]))
    assert scan_log(logdir).problem is None
    with pytest.raises(AuditTampered) as caught:
        AuditLog.open(logdir)
    assert caught.value.reason == "log truncated"


def test_unlinking_the_segment_mid_session_fails_closed(logdir: Path) -> None:
    log = AuditLog.open(logdir)
    session = log.new_session(reader="alice")
    log.append("session_started", session=session)
    segment = list_segments(logdir)[-1]
    segment.unlink()
    with pytest.raises(AuditUnavailable):
        log.append("page_viewed", session=session, page=1)
    with pytest.raises(AuditUnavailable):  # and it stays failed
        log.append("page_viewed", session=session, page=2)
    log.close()
    with pytest.raises(AuditTampered):
        AuditLog.open(logdir)


def test_replacing_the_segment_mid_session_fails_closed(logdir: Path, tmp_path: Path) -> None:
    log = AuditLog.open(logdir)
    session = log.new_session(reader="alice")
    log.append("session_started", session=session)
    segment = list_segments(logdir)[-1]
    copy = tmp_path / "copy.jsonl"
    shutil.copy(segment, copy)
    os.replace(copy, segment)  # same content, another file: later records would be lost
    with pytest.raises(AuditUnavailable):
        log.append("page_viewed", session=session, page=1)
    log.close()


def test_deleting_files_beside_the_log_lets_no_second_writer_in(logdir: Path) -> None:
    first = AuditLog.open(logdir)
    for entry in logdir.iterdir():
        if entry not in list_segments(logdir):
            entry.unlink()  # whatever lock file an attacker might look for
    with pytest.raises(AuditUnavailable):
        AuditLog.open(logdir)
    first.close()
    AuditLog.open(logdir).close()


def test_verify_alarms_on_a_replaced_log_without_checkpoint_option(
    logdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "cp.json"
    assert main(["audit", "checkpoint", str(logdir), "--export", str(exported)]) == 0
    assert main(["audit", "verify", str(logdir)]) == 0
    assert "matches exported checkpoint" in capsys.readouterr().out
    shutil.rmtree(logdir)
    assert main(["audit", "verify", str(logdir)]) == ExitCode.AUDIT_TAMPERED
    assert "is gone" in capsys.readouterr().err
    # A fresh log in its place (state file reset by hand, as a reader with the key could).
    state = json.loads((logdir.parent / "rr-home" / STATE_NAME).read_text())
    for entry in state["logs"].values():
        entry["log_id"], entry["records"] = None, 0
    (logdir.parent / "rr-home" / STATE_NAME).write_text(json.dumps(state))
    write_sessions(logdir, 60)
    assert main(["audit", "verify", str(logdir)]) == ExitCode.AUDIT_TAMPERED
    assert "replaced by another log" in capsys.readouterr().err


def test_verify_alarms_on_a_log_shorter_than_the_exported_checkpoint(
    logdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "checkpoint", str(logdir), "--export", str(tmp_path / "cp")]) == 0
    segment = list_segments(logdir)[0]
    segment.write_bytes(b"".join(segment.read_bytes().splitlines(keepends=True)[:20]))
    assert main(["audit", "verify", str(logdir)]) == ExitCode.AUDIT_TAMPERED
    assert "truncated against checkpoint" in capsys.readouterr().err


def test_printing_the_key_before_the_first_log_does_not_raise_an_alarm(
    rr_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "key"]) == 0
    assert "SHA256:" in capsys.readouterr().out
    AuditLog.open(rr_home / "audit").close()


def _plant(path: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(path)  # opening it would wait for a writer for ever
    elif kind == "endless":
        os.symlink("/dev/zero", path)  # reading it would never end
    else:
        path.mkdir()


@pytest.mark.timeout(60)
@pytest.mark.parametrize("kind", ["fifo", "endless", "folder"])
def test_a_segment_that_is_not_a_file_raises_the_alarm_instead_of_hanging(
    logdir: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _plant(logdir / f"audit-{len(list_segments(logdir)) + 1:06d}.jsonl", kind)
    with pytest.raises(AuditTampered):
        AuditLog.open(logdir)
    assert main(["audit", "verify", str(logdir)]) == ExitCode.AUDIT_TAMPERED
    assert "not a segment" in capsys.readouterr().err
    acknowledge_tampered_log(logdir, config=load_config(), by="Dana (administrator)")
    assert "not a segment" in str(_acknowledged(logdir)["finding"])
    AuditLog.open(logdir).close()


@pytest.mark.timeout(60)
@pytest.mark.parametrize("kind", ["fifo", "endless"])
def test_a_state_file_that_is_not_a_file_is_refused_instead_of_hanging(
    logdir: Path, rr_home: Path, kind: str
) -> None:
    state = rr_home / STATE_NAME
    state.unlink()
    _plant(state, kind)
    with pytest.raises(AuditTampered):
        AuditLog.open(logdir)


@pytest.mark.timeout(60)
def test_an_audit_key_that_is_a_fifo_fails_closed_instead_of_hanging(
    logdir: Path, rr_home: Path
) -> None:
    key = rr_home / "audit-signing.key"
    key.unlink()
    _plant(key, "fifo")
    with pytest.raises(AuditUnavailable):
        AuditLog.open(logdir)


@pytest.mark.parametrize("how", ["truncate", "rewind", "append"])
def test_changing_the_open_segment_mid_session_fails_closed(logdir: Path, how: str) -> None:
    """Same file, same inode: cut to nothing, cut back one record, or written to by another."""
    log = AuditLog.open(logdir)
    session = log.new_session(reader="alice")
    log.append("session_started", session=session)
    log.append("page_viewed", session=session, page=1)
    segment = list_segments(logdir)[-1]
    data = segment.read_bytes()
    if how == "truncate":
        os.truncate(segment, 0)
    elif how == "rewind":
        os.truncate(segment, data.rstrip(b"\n").rfind(b"\n") + 1)  # the last record gone
    else:
        with segment.open("ab") as other:
            other.write(b"\n")
    with pytest.raises(AuditUnavailable):
        log.append("page_viewed", session=session, page=2)
    with pytest.raises(AuditUnavailable):  # and it stays failed
        log.append("page_viewed", session=session, page=3)
    log.close()
    with pytest.raises(AuditTampered):
        AuditLog.open(logdir)
