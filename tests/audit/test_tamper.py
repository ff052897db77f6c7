"""Tampering a real log in every way the spec lists: verify must name the first bad record."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from readingroom.audit import AuditLog, scan_log
from readingroom.audit.checkpoints import export_checkpoint, load_exported_checkpoint
from readingroom.audit.records import encode_line, parse_body, split_line
from readingroom.errors import AuditTampered
from tests.audit.helpers import write_sessions

SEGMENT = "audit-000001.jsonl"


@pytest.fixture
def log_200(rr_home: Path, tmp_path: Path) -> Path:
    directory = tmp_path / "log"
    write_sessions(directory, 200)
    lines = (directory / SEGMENT).read_bytes().splitlines(keepends=True)
    assert len(lines) >= 200
    (directory / SEGMENT).write_bytes(b"".join(lines[:200]))
    # Cutting the log is itself the "truncated" attack that the state file catches
    # (tests/audit/test_restart.py); forget the state so these tests start from 200 records.
    (rr_home / "audit-state.json").unlink()
    assert scan_log(directory).problem is None
    return directory


def _lines(directory: Path) -> list[bytes]:
    return (directory / SEGMENT).read_bytes().splitlines(keepends=True)


def _write(directory: Path, lines: list[bytes]) -> None:
    (directory / SEGMENT).write_bytes(b"".join(lines))


@pytest.mark.slow
def test_every_byte_flipped_fails_at_or_before_its_record(log_200: Path) -> None:
    original = (log_200 / SEGMENT).read_bytes()
    target = log_200 / SEGMENT
    line_of = [0] * len(original)
    line = 1
    for offset, byte in enumerate(original):
        line_of[offset] = line
        if byte == 0x0A:
            line += 1
    for offset in range(len(original)):
        flipped = bytearray(original)
        flipped[offset] ^= 0x01  # one bit: the subtlest change ('0'->'1', 'a'->'`', \n->\v)
        # Fed through scan_log's reader instead of 90,000 file writes; a sample goes to disk.
        data = bytes(flipped)
        if offset % 997 == 0:
            target.write_bytes(data)
            problem = scan_log(log_200).problem
        else:
            problem = scan_log(log_200, read=lambda _path, data=data: data).problem
        assert problem is not None, f"flip at byte {offset} went unnoticed"
        assert problem.line <= line_of[offset], (offset, problem.describe())


def test_deleted_record_is_missing(log_200: Path) -> None:
    lines = _lines(log_200)
    del lines[57]
    _write(log_200, lines)
    problem = scan_log(log_200).problem
    assert problem is not None
    assert (problem.kind, problem.line, problem.seq) == ("missing", 58, 57)


def test_duplicated_record(log_200: Path) -> None:
    lines = _lines(log_200)
    lines.insert(58, lines[57])
    _write(log_200, lines)
    problem = scan_log(log_200).problem
    assert problem is not None
    assert (problem.kind, problem.line) == ("duplicated", 59)


def test_swapped_records_are_reordered(log_200: Path) -> None:
    lines = _lines(log_200)
    lines[80], lines[81] = lines[81], lines[80]
    _write(log_200, lines)
    problem = scan_log(log_200).problem
    assert problem is not None
    assert (problem.kind, problem.line, problem.seq) == ("reordered", 81, 80)


def test_inserted_record_is_caught(log_200: Path) -> None:
    lines = _lines(log_200)
    parts = split_line(lines[99].rstrip(b"\n"))
    assert parts is not None
    record = parse_body(parts[1])
    assert record is not None
    record["details"] = {"page": 1, "seconds_milli": 1000, "zoom_milli": 1000}
    forged, _ = encode_line(bytes(32), record)
    lines.insert(99, forged)
    _write(log_200, lines)
    problem = scan_log(log_200).problem
    assert problem is not None
    assert problem.line == 100


def test_edited_record_names_file_line_and_seq(log_200: Path) -> None:
    lines = _lines(log_200)
    index = next(i for i in range(120, 200) if b'"reader":"alice"' in lines[i])
    lines[index] = lines[index].replace(b'"reader":"alice"', b'"reader":"alicf"')
    _write(log_200, lines)
    problem = scan_log(log_200).problem
    assert problem is not None
    assert problem.describe().startswith(f"{SEGMENT} line {index + 1}, seq {index}: edited")


def _rechain(lines: list[bytes], start: int, edit: int) -> list[bytes]:
    """Edit record ``edit`` and recompute every hash after it, as a forger would."""
    result = list(lines[:start])
    previous = bytes.fromhex(split_line(lines[start - 1].rstrip(b"\n"))[0].decode())  # type: ignore[index]
    for index in range(start, len(lines)):
        parts = split_line(lines[index].rstrip(b"\n"))
        assert parts is not None
        record = parse_body(parts[1])
        assert record is not None
        if index == edit:
            record["reader"] = "mallory"
        line, previous = encode_line(previous, record)
        result.append(line)
    return result


def test_forged_record_with_recomputed_chain_fails_on_checkpoint(log_200: Path) -> None:
    lines = _lines(log_200)
    edit = next(i for i, line in enumerate(lines) if b'"reader":"alice"' in line)
    _write(log_200, _rechain(lines, edit, edit))
    problem = scan_log(log_200).problem
    assert problem is not None
    assert problem.kind in ("edited", "bad signature")
    assert "checkpoint" in problem.what


def test_forged_checkpoint_signature_is_refused(log_200: Path) -> None:
    lines = _lines(log_200)
    index = next(i for i, line in enumerate(lines) if b'"event":"checkpoint"' in line)
    parts = split_line(lines[index].rstrip(b"\n"))
    assert parts is not None
    record = parse_body(parts[1])
    assert record is not None
    forger = Ed25519PrivateKey.generate()
    record["details"]["signature"] = forger.sign(b"anything").hex()
    previous = bytes.fromhex(split_line(lines[index - 1].rstrip(b"\n"))[0].decode())  # type: ignore[index]
    forged = list(lines[:index])
    for other in [record] + [
        parse_body(split_line(x.rstrip(b"\n"))[1]) for x in lines[index + 1 :]
    ]:  # type: ignore[index]
        line, previous = encode_line(previous, other)  # type: ignore[arg-type]
        forged.append(line)
    _write(log_200, forged)
    problem = scan_log(log_200).problem
    assert problem is not None
    assert problem.kind == "bad signature"


def test_truncate_then_append_is_caught_by_an_exported_checkpoint(
    log_200: Path, tmp_path: Path
) -> None:
    """journald CVE-2023-31438: cut the tail, keep appending; the chain alone looks fine."""
    log = AuditLog.open(log_200)
    exported = tmp_path / "checkpoint.json"
    export_checkpoint(log.checkpoint(), exported)
    log.close()
    lines = _lines(log_200)
    _write(log_200, lines[:150])
    with pytest.raises(AuditTampered):  # the workstation's state file remembers 201 records...
        AuditLog.open(log_200)
    # ...but a reader who can write the home folder (no audit service) deletes it too.
    (tmp_path / "rr-home" / "audit-state.json").unlink()
    log = AuditLog.open(log_200)  # the log itself cannot tell...
    session = log.new_session(reader="alice")
    log.append("session_started", session=session)
    for page in range(80):
        log.append("page_viewed", session=session, page=page, zoom=1.0, seconds=1.0)
    log.close()
    assert scan_log(log_200).problem is None  # ...which is why checkpoints are exported
    problem = scan_log(log_200, against=load_exported_checkpoint(exported)).problem
    assert problem is not None
    assert problem.kind == "truncated against checkpoint"


def test_truncated_log_shorter_than_checkpoint(log_200: Path, tmp_path: Path) -> None:
    log = AuditLog.open(log_200)
    exported = tmp_path / "checkpoint.json"
    export_checkpoint(log.checkpoint(), exported)
    log.close()
    _write(log_200, _lines(log_200)[:150])
    problem = scan_log(log_200, against=load_exported_checkpoint(exported)).problem
    assert problem is not None
    assert problem.kind == "truncated against checkpoint"
    assert "ends at seq 149" in problem.what


def test_regenerated_log_with_another_key_is_caught(log_200: Path, tmp_path: Path) -> None:
    exported = tmp_path / "checkpoint.json"
    log = AuditLog.open(log_200)
    export_checkpoint(log.checkpoint(), exported)
    log.close()
    shutil.rmtree(log_200)
    (tmp_path / "rr-home" / "audit-signing.key").unlink()
    (tmp_path / "rr-home" / "audit-state.json").unlink()
    write_sessions(log_200, 300)
    problem = scan_log(log_200, against=load_exported_checkpoint(exported)).problem
    assert problem is not None
    assert problem.kind == "bad signature"


def test_open_refuses_a_tampered_log(log_200: Path) -> None:
    lines = _lines(log_200)
    index = next(i for i, line in enumerate(lines) if b"budget" in line)
    lines[index] = lines[index].replace(b"budget", b"budgex")
    _write(log_200, lines)
    with pytest.raises(AuditTampered) as caught:
        AuditLog.open(log_200)
    assert f"line {index + 1}," in str(caught.value)


def test_exported_checkpoint_is_canonical_json(log_200: Path, tmp_path: Path) -> None:
    log = AuditLog.open(log_200)
    checkpoint = log.checkpoint()
    log.close()
    export_checkpoint(checkpoint, tmp_path / "c.json")
    value = json.loads((tmp_path / "c.json").read_text())
    assert value["seq"] == checkpoint.seq
    assert value["fingerprint"].startswith("SHA256:")
