"""The fuzz targets: one function per parser, each checking what may escape it.

A target takes arbitrary bytes and returns normally when the code under test behaved: it either
accepted the input or refused it with an allowed error. Anything else (another exception, an
assertion) propagates, and the fuzzer reports the input. The same targets run under atheris
(``fuzz/fuzz_*.py``, coverage-guided, ``make fuzz``) and under hypothesis in the test suite
(``tests/robustness/test_fuzz.py``, a bounded run in CI).

Review files: only ``ReadingRoomError`` subclasses may leave ``read_public_info`` /
``open_review``. The first input byte picks how deep the input goes:

- ``0``: the input is a whole review file (stops at the signature, as an attacker's file does);
- ``1``/``2``: the input is the age body of a review file that a trusted publisher signed (a
  broken or malicious publisher), locked to the reader / to workstation+reader, so the age
  header, stanza, MAC, STREAM and manifest parsers are reached;
- ``3``: the input is a decrypted payload (``split_payload``: manifest length, JSON, policy).

Audit logs: ``scan_log`` (what ``audit verify`` runs) and ``summarise_log`` (``audit report``)
document no exceptions: problems are *findings*. ``AuditLog.open`` may raise ``AuditTampered`` or
``AuditUnavailable``. The first byte picks whether the input is the raw segment file or a list of
record bodies that the target chains with correct hashes (the chain is unkeyed, so anyone who can
write the file can do that too), which lets the fuzzer reach the header, checkpoint and session
code behind the chain check.
"""

from __future__ import annotations

import base64
import contextlib
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from readingroom.age import X25519Identity
from readingroom.audit import AuditLog, scan_log
from readingroom.audit.records import GENESIS, chain_hash
from readingroom.audit.report import render_json, render_text
from readingroom.audit.report_csv import render_csv, render_csv_views
from readingroom.audit.report_html import render_html
from readingroom.audit.report_model import build_report
from readingroom.audit.sessions import Filters, summarise_log
from readingroom.audit.storage import SEGMENT_NAME
from readingroom.config import WorkstationConfig, load_config
from readingroom.errors import AuditTampered, AuditUnavailable, DamagedFile, ReadingRoomError
from readingroom.keys import PublisherKey
from readingroom.manifest import split_payload
from readingroom.review_file import (
    LOCK_READER,
    LOCK_WORKSTATION,
    MAGIC,
    SIGNATURE_PREFIX,
    UnlockKeys,
    _signed_message,
    open_review,
    read_public_info,
)
from readingroom.trust import TrustStore

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Workstation:
    """A workstation home with a trusted publisher, a reader key and a workstation key."""

    home: Path
    config: WorkstationConfig
    trust: TrustStore
    publisher: PublisherKey
    reader: X25519Identity
    workstation: X25519Identity


@lru_cache(maxsize=1)
def workstation() -> Workstation:
    """Built once per process (keys are generated; the folder is removed at exit by the OS)."""
    home = Path(tempfile.mkdtemp(prefix="rr-fuzz-"))
    config = load_config(home)
    trust = TrustStore.load(config.trust_store)
    publisher = PublisherKey.generate()
    trust.add(publisher.public_key(), "Fuzz publisher")
    return Workstation(
        home, config, trust, publisher, X25519Identity.generate(), X25519Identity.generate()
    )


def signed_review_file(body: bytes, lock: str, publisher: PublisherKey) -> bytes:
    """A review file around ``body``, correctly signed by ``publisher``."""
    header = b"".join(
        (
            MAGIC,
            b"publisher: %s\n" % str(publisher.public_key()).encode("ascii"),
            b"lock: %s\n" % lock.encode("ascii"),
            b"body: %d\n\n" % len(body),
        )
    )
    signature = publisher.sign(_signed_message(memoryview(header + body)))
    return header + body + SIGNATURE_PREFIX + base64.b64encode(signature) + b"\n"


def review_file_target(data: bytes) -> None:
    """Feed ``data`` to the review-file parsers; only ReadingRoomError may escape them."""
    if not data:
        return
    station = workstation()
    mode, rest = data[0] % 4, data[1:]
    if mode == 3:
        with contextlib.suppress(DamagedFile):
            split_payload(bytearray(rest))
        return
    if mode == 0:
        review = rest
    else:
        lock = LOCK_READER if mode == 1 else LOCK_WORKSTATION
        review = signed_review_file(rest, lock, station.publisher)
    with contextlib.suppress(ReadingRoomError):
        read_public_info(review, station.trust)
    keys = UnlockKeys(identities=[station.reader], workstation_identities=[station.workstation])
    try:
        opened = open_review(review, keys, config=station.config, trust=station.trust, now=NOW)
    except ReadingRoomError:
        return
    # Reaching here needs a body encrypted to our keys: the fuzzer cannot forge one.
    assert len(opened.pdf) == opened.manifest.pdf_size


def chained_log(bodies: list[bytes]) -> bytes:
    """Lines ``{"h":...,"r":BODY}`` with correct chain hashes for arbitrary bodies."""
    head = GENESIS
    lines = []
    for body in bodies:
        head = chain_hash(head, body)
        lines.append(b'{"h":"' + head.hex().encode("ascii") + b'","r":' + body + b"}\n")
    return b"".join(lines)


def audit_log_target(data: bytes, *, open_for_writing: bool = True) -> None:
    """Feed ``data`` as an audit log to verify, report and open; only documented errors escape."""
    if not data:
        return
    station = workstation()
    mode, rest = data[0] % 2, data[1:]
    segment = chained_log(rest.split(b"\n")) if mode == 1 else rest
    with tempfile.TemporaryDirectory(prefix="rr-fuzz-log-") as folder:
        directory = Path(folder)
        (directory / SEGMENT_NAME.format(1)).write_bytes(segment)
        scan = scan_log(directory)
        if scan.problem is not None:
            scan.problem.describe()
        scan_log(directory, allow_torn_tail=True)
        summary = summarise_log(directory)
        report = build_report(summary, Filters())
        for render in (render_text, render_csv, render_csv_views, render_json, render_html):
            render(report)
        if not open_for_writing:
            return
        try:
            log = AuditLog.open(directory, config=station.config)
        except (AuditTampered, AuditUnavailable):
            return
        log.close()
