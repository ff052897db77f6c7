"""Audit log speed, against baselines measured in the same run.

1. append() of a typical page_viewed record vs a bare write+fsync of the same bytes (goal <= 1.5x),
   in-process and through the audit service (``readingroom audit serve``, a real process on a
   Unix socket; the append returns after the service's fsync)
2. verify throughput over a generated 1,000,000-record log (goal >= 300,000 records/s, one core),
   against a bare SHA-256 chain loop over the same bodies
3. report over the same log

The big log is built directly with the same canonical encoder and checkpoint signer (no fsync
per record) - see build_log(). Usage: python benchmarks/bench_audit.py [--records N]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pwd
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from readingroom.audit import AuditLog, scan_log
from readingroom.audit.checkpoints import sign_checkpoint
from readingroom.audit.client import AuditClient
from readingroom.audit.records import BODY_START, GENESIS, build_record, encode_line, format_time
from readingroom.audit.sessions import summarise_log
from readingroom.audit.signing import public_key_bytes, verify_signature
from readingroom.audit.storage import DEFAULT_SEGMENT_BYTES, SEGMENT_NAME, list_segments


def start_service(folder: Path) -> tuple[subprocess.Popen[bytes], Path]:
    """A real audit service with its own home, on a socket in ``folder``."""
    socket_path = folder / "audit.sock"
    env = {**os.environ, "READINGROOM_HOME": str(folder / "service-home")}
    process = subprocess.Popen(
        [sys.executable, "-m", "readingroom", "audit", "serve", "--socket", str(socket_path)],
        env=env,
        stdout=subprocess.PIPE,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert process.stdout is not None and b"running" in process.stdout.readline()
    return process, socket_path


def bench_append(folder: Path, count: int) -> tuple[float, float, float]:
    """Interleave blocks of in-process append(), service append() and bare write+fsync, so
    disk drift hits all three alike. Returns seconds per record for each."""
    log = AuditLog.open(folder / "append-log")
    session = log.new_session(
        reader="alice@example.org", document="SCR-2024-017", signature_hash="ab" * 32
    )
    log.append("session_started", session=session)
    log.append("page_viewed", session=session, page=1, zoom=1.25, seconds=12.5)
    line = (folder / "append-log" / SEGMENT_NAME.format(1)).read_bytes().splitlines()[-1] + b"\n"
    process, socket_path = start_service(folder)
    client = AuditClient.connect(socket_path, service_user=pwd.getpwuid(os.getuid()).pw_name)
    remote = client.new_session(
        reader="alice@example.org", document="SCR-2024-017", signature_hash="ab" * 32
    )
    client.append("session_started", session=remote)
    fd = os.open(folder / "baseline.bin", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    appending = serving = writing = 0.0
    for block in range(count // 100):
        start = time.perf_counter()
        for page in range(100):
            log.append("page_viewed", session=session, page=page + block, zoom=1.25, seconds=12.5)
        appending += time.perf_counter() - start
        start = time.perf_counter()
        for page in range(100):
            client.append("page_viewed", session=remote, page=page + block, zoom=1.25, seconds=12.5)
        serving += time.perf_counter() - start
        start = time.perf_counter()
        for _ in range(100):
            os.write(fd, line)
            os.fsync(fd)
        writing += time.perf_counter() - start
    os.close(fd)
    log.close()
    client.append("session_ended", session=remote, reason="closed")
    client.close()
    process.terminate()
    process.wait()
    blocks = (count // 100) * 100
    return appending / blocks, serving / blocks, writing / blocks


def build_log(directory: Path, records: int) -> None:
    """A realistic log: sessions of ~50 page views with searches, checkpoint every 100."""
    directory.mkdir()
    key = Ed25519PrivateKey.generate()
    log_id = secrets.token_hex(16)
    moment = datetime(2025, 1, 1, tzinfo=UTC)
    head, seq, number, size, since = GENESIS, 0, 1, 0, 0
    out = open(directory / SEGMENT_NAME.format(number), "wb")  # noqa: SIM115
    session: dict[str, str | None] = {"workstation": "Reading room 2"}

    def emit(event: str, details: dict[str, object], fields: dict[str, str | None]) -> None:
        nonlocal head, seq, out, number, size, moment
        moment += timedelta(seconds=7)
        record = build_record(
            seq=seq,
            time=format_time(moment),
            mono_ms=seq * 7000,
            event=event,
            details=details,
            fields=fields,
        )
        line, head = encode_line(head, record)
        if size + len(line) > DEFAULT_SEGMENT_BYTES:
            out.close()
            number += 1
            out = open(directory / SEGMENT_NAME.format(number), "wb")  # noqa: SIM115
            size = 0
        out.write(line)
        size += len(line)
        seq += 1

    base = {"workstation": "Reading room 2"}
    emit(
        "log_created",
        {"format": 1, "log_id": log_id, "public_key": public_key_bytes(key).hex()},
        base,
    )
    while seq < records:
        if seq % 50 == 1:
            session = {
                "session": secrets.token_hex(16),
                "reader": f"reader{seq % 17}@example.org",
                "document": f"SCR-2024-{seq % 23:03d}",
                "signature_hash": secrets.token_hex(32),
                "workstation": "Reading room 2",
            }
            emit("session_started", {"code": "K7Q2-9XHM-4"}, session)
        elif seq % 50 == 0:
            emit("session_ended", {"reason": "closed"}, session)
        elif seq % 13 == 0:
            emit("search", {"query": "budget review"}, session)
        else:
            emit(
                "page_viewed",
                {"page": seq % 40 + 1, "seconds_milli": 12500, "zoom_milli": 1250},
                session,
            )
        since += 1
        if since >= 100:
            checkpoint = sign_checkpoint(
                key, log_id=log_id, seq=seq - 1, head=head, time=format_time(moment)
            )
            emit("checkpoint", checkpoint.details(), base)
            since = 0
    out.close()


def report_append(folder: Path, count: int) -> None:
    """Print the append figures (goal <= 1.5x a bare write+fsync)."""
    per_append, per_service, per_write = bench_append(folder, count)
    print(
        f"append: {per_append * 1e6:,.0f} us/record in-process, "
        f"{per_service * 1e6:,.0f} us through the service; "
        f"bare write+fsync {per_write * 1e6:,.0f} us; "
        f"ratios {per_append / per_write:.2f}x in-process, "
        f"{per_service / per_write:.2f}x service (goal <= 1.5x)"
    )


def bench_verify(directory: Path) -> tuple[float, float, int]:
    """CPU seconds for scan_log and for a bare loop that only chains SHA-256 over the same
    bodies (the least any chain check must do); best of three each, interleaved.

    CPU time of this one process, not wall time: the goal is per core, and the machine is shared.
    """
    bodies = [
        line[BODY_START:-1]
        for path in list_segments(directory)
        for line in path.read_bytes().split(b"\n")[:-1]
    ]

    def bare_chain() -> None:
        head, sha256 = GENESIS, hashlib.sha256
        for body in bodies:
            head = sha256(head + body).digest()

    verify = bare = 1e9
    records = 0
    for _ in range(3):
        verify_signature.cache_clear()  # as in a fresh `audit verify` process
        start = time.process_time()
        result = scan_log(directory)
        verify = min(verify, time.process_time() - start)
        assert result.problem is None, result.problem
        records = result.records
        start = time.process_time()
        bare_chain()
        bare = min(bare, time.process_time() - start)
    return verify, bare, records


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--appends", type=int, default=2000)
    parser.add_argument("--skip-append", action="store_true", help="only verify and report")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        folder = Path(tmp)
        os.environ["READINGROOM_HOME"] = str(folder / "home")
        if not args.skip_append:
            report_append(folder, args.appends)
        start = time.perf_counter()
        build_log(folder / "big", args.records)
        size = sum(p.stat().st_size for p in (folder / "big").iterdir())
        print(
            f"generated {args.records:,} records ({size / 1e6:,.0f} MB) "
            f"in {time.perf_counter() - start:.1f} s"
        )
        verify, bare, records = bench_verify(folder / "big")
        print(
            f"verify: {records:,} records at {records / verify:,.0f} records/s of CPU "
            f"(goal >= 300,000 per core); a bare SHA-256 chain loop over the same bodies "
            f"{records / bare:,.0f} records/s: verify costs {verify / bare:.2f}x that"
        )
        start = time.perf_counter()
        summary = summarise_log(folder / "big")
        elapsed = time.perf_counter() - start
        print(
            f"report: {len(summary.sessions):,} sessions from {summary.scan.records:,} records in "
            f"{elapsed:.2f} s = {summary.scan.records / elapsed:,.0f} records/s"
        )


if __name__ == "__main__":
    main()
