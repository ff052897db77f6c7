"""Regressions found by fuzzing the audit log (fuzz/targets.py).

The chain hash is unkeyed, so whoever can write the log folder can append records that verify.
Such records must be reported or refused, never crash ``audit report`` or the viewer's start.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from readingroom.audit import AuditLog, scan_log
from readingroom.audit.records import canonical_json
from readingroom.audit.sessions import summarise_log
from readingroom.audit.storage import list_segments
from readingroom.config import WorkstationConfig, load_config
from readingroom.errors import AuditTampered

LINE_START = len(b'{"h":"')
BODY_START = LINE_START + 64 + len(b'","r":')


def _real_log(config: WorkstationConfig) -> Path:
    log = AuditLog.open(config.audit_dir, config=config)
    log.close()
    return config.audit_dir


def _append_verifying(directory: Path, records: list[dict[str, Any]]) -> None:
    """Append records with the right seq and chain hash, as anyone with write access can."""
    segment = list_segments(directory)[-1]
    scan = scan_log(directory)
    assert scan.problem is None
    head, seq = scan.head, scan.records
    lines = []
    for record in records:
        body = canonical_json({**record, "seq": seq})
        head = hashlib.sha256(head + body).digest()
        lines.append(b'{"h":"' + head.hex().encode() + b'","r":' + body + b"}\n")
        seq += 1
    with segment.open("ab") as out:
        out.write(b"".join(lines))
    assert scan_log(directory).problem is None  # the forgery verifies: that is the point


@pytest.fixture
def config(rr_home: Path) -> WorkstationConfig:
    return load_config(rr_home)


def _started(**overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "details": {"code": "K7Q2-9XHM-4"},
        "event": "session_started",
        "mono_ms": 1,
        "session": "0" * 32,
        "time": "2026-01-01T00:00:00.000Z",
        "workstation": "forged",
    }
    record.update(overrides)
    return record


def test_report_lists_a_verifying_but_malformed_record_instead_of_crashing(
    config: WorkstationConfig,
) -> None:
    directory = _real_log(config)
    _append_verifying(directory, [_started(time="2026-13-45T99:00:00.000Z")])
    summary = summarise_log(directory)
    assert summary.scan.problem is None
    assert [alarm.event for alarm in summary.alarms] == ["malformed record"]
    assert summary.sessions == []


def test_opening_a_log_with_an_unparseable_latest_time_is_tampering(
    config: WorkstationConfig,
) -> None:
    directory = _real_log(config)
    _append_verifying(directory, [_started(time="9999-99-99T99:99:99.999Z")])
    with pytest.raises(AuditTampered):
        AuditLog.open(directory, config=config)


def test_crash_recovery_survives_a_session_record_with_odd_fields(
    config: WorkstationConfig,
) -> None:
    directory = _real_log(config)
    _append_verifying(directory, [_started(details=["not", "a", "dict"], reader=7)])
    log = AuditLog.open(directory, config=config)
    log.close()
    records = [
        json.loads(line[BODY_START:-1])
        for path in list_segments(directory)
        for line in path.read_bytes().splitlines()
    ]
    ended = [r for r in records if r["event"] == "session_ended"]
    assert len(ended) == 1 and ended[0]["details"]["reason"] == "crash recovery"
    assert "reader" not in ended[0]
