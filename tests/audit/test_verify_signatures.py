"""Checkpoint signatures: libsodium verifies what pyca signed, and ``audit verify`` (no visitor,
signatures settled at the end) finds exactly what the record-by-record check finds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from readingroom.audit import scan_log
from readingroom.audit.records import encode_line, parse_body, split_line
from readingroom.audit.signing import public_key_bytes, verify_signature
from readingroom.audit.verify import ScanResult
from tests.audit.helpers import write_sessions

SEGMENT = "audit-000001.jsonl"


@pytest.fixture
def logdir(rr_home: Path) -> Path:
    directory = rr_home / "log"
    write_sessions(directory, 120)  # a checkpoint after every session: about a dozen
    return directory


def _lines(directory: Path) -> list[bytes]:
    return (directory / SEGMENT).read_bytes().splitlines()


def _checkpoints(lines: list[bytes]) -> list[int]:
    return [i for i, line in enumerate(lines) if b'"event":"checkpoint"' in line]


def _forge_signature(directory: Path, index: int) -> None:
    """Replace checkpoint ``index``'s signature and recompute every hash after it, as a forger
    without the key would (later checkpoints keep their signed heads, which no longer match)."""
    lines = _lines(directory)
    previous = bytes.fromhex(split_line(lines[index - 1])[0].decode())  # type: ignore[index]
    forged = lines[:index]
    for number, line in enumerate(lines[index:], start=index):
        record: dict[str, Any] | None = parse_body(split_line(line)[1])  # type: ignore[index]
        assert record is not None
        if number == index:
            record["details"]["signature"] = Ed25519PrivateKey.generate().sign(b"x").hex()
        encoded, previous = encode_line(previous, record)
        forged.append(encoded.rstrip(b"\n"))
    (directory / SEGMENT).write_bytes(b"".join(line + b"\n" for line in forged))


def _same(left: ScanResult, right: ScanResult) -> None:
    assert left.problem == right.problem
    assert (left.records, left.head, left.last_checkpoint, left.max_time, left.log_id) == (
        right.records,
        right.head,
        right.last_checkpoint,
        right.max_time,
        right.log_id,
    )


def _with_visitor(directory: Path) -> ScanResult:
    """A visitor makes scan_log check each signature as it meets it (the viewer's open)."""
    return scan_log(directory, visit=lambda _seq, _body: None)


def test_an_intact_log_gives_the_same_result_both_ways(logdir: Path) -> None:
    deferred = scan_log(logdir)
    assert deferred.problem is None and deferred.last_checkpoint is not None
    _same(deferred, _with_visitor(logdir))


@pytest.mark.parametrize("which", [0, 3, -1])
def test_a_forged_signature_is_named_as_record_by_record(logdir: Path, which: int) -> None:
    index = _checkpoints(_lines(logdir))[which]
    _forge_signature(logdir, index)
    deferred = scan_log(logdir)
    assert deferred.problem is not None
    assert deferred.problem.kind == "bad signature"
    assert deferred.problem.seq == index
    _same(deferred, _with_visitor(logdir))


def test_libsodium_verifies_what_pyca_signs_and_nothing_else() -> None:
    key = Ed25519PrivateKey.generate()
    public = public_key_bytes(key)
    signature = key.sign(b"message")
    assert verify_signature(public, signature, b"message")
    assert not verify_signature(public, signature, b"messagf")
    assert not verify_signature(public, signature[:-1], b"message")
    assert not verify_signature(public, signature[:-1], b"message"[1:])
    # The identity point: small order, so it would "verify" a forged signature.
    assert not verify_signature(b"\x01" + bytes(31), bytes(64), b"message")
    assert not verify_signature(public[:31], signature, b"message")
