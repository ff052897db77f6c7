"""Central verification: every log's chain in the database, its checkpoints, its gaps.

Each log is walked in seq order from a server-side cursor, in its own process (one per core:
SHA-256 over short records holds the GIL, so threads would not scale). The walk recomputes every
hash from the stored bytes, checks the header's audit key is the one registered on first
contact and every checkpoint's signature against that key, and goes on after a problem (taking
the stored hash as the new anchor) so that one report names every gap and every edited record.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from readingroom.audit import events
from readingroom.audit.checkpoints import Checkpoint, checkpoint_from_details
from readingroom.audit.records import GENESIS, body_seq, parse_body, split_line
from readingroom.fleet.database import connect

MAX_PROBLEMS_PER_LOG = 20
FETCH_ROWS = 20_000
_CHECKPOINT_MARK = b'"event":"checkpoint"'


@dataclass
class LogVerdict:
    """What central verification found for one workstation log."""

    log_id: str
    name: str
    fingerprint: str
    records: int = 0
    last_seq: int = -1
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)

    def problem(self, text: str) -> None:
        """Note a problem (the first few per log; the count says there were more)."""
        if len(self.problems) < MAX_PROBLEMS_PER_LOG:
            self.problems.append(text)


def verify_central(
    dsn: str,
    *,
    workers: int | None = None,
    progress: Callable[[LogVerdict], None] | None = None,
) -> list[LogVerdict]:
    """Verify every log the central database holds, in parallel across logs.

    Raises:
        CentralUnavailable: the database cannot be reached.
    """
    with connect(dsn) as connection:
        logs = [
            (str(log_id), str(name), str(fp), str(key))
            for log_id, name, fp, key in connection.execute(
                "SELECT log_id, name, fingerprint, public_key FROM readingroom.workstations "
                "ORDER BY name, first_seen"
            ).fetchall()
        ]
    count = max(1, min(workers or os.cpu_count() or 1, len(logs) or 1))
    verdicts: list[LogVerdict] = []
    if count == 1:
        for log in logs:
            verdicts.append(verify_one(dsn, *log))
            if progress is not None:
                progress(verdicts[-1])
        return verdicts
    with ProcessPoolExecutor(max_workers=count) as pool:
        for verdict in pool.map(verify_one, *zip(*([dsn, *log] for log in logs), strict=True)):
            verdicts.append(verdict)
            if progress is not None:
                progress(verdict)
    return verdicts


def verify_one(dsn: str, log_id: str, name: str, fingerprint: str, public_key: str) -> LogVerdict:
    """Walk one log's central records and checkpoints."""
    verdict = LogVerdict(log_id, name, fingerprint)
    with connect(dsn) as connection:
        signed = {
            int(covers): Checkpoint(log_id, int(covers), str(head), str(time), str(sig), public_key)
            for covers, head, time, sig in connection.execute(
                "SELECT covers_seq, head, time, signature FROM readingroom.checkpoints "
                "WHERE log_id = %s",
                (log_id,),
            ).fetchall()
        }
        walk = _Walk(verdict, public_key, signed)
        with connection.cursor(name="records") as cursor:
            cursor.itersize = FETCH_ROWS
            cursor.execute(
                "SELECT seq, line FROM readingroom.records WHERE log_id = %s ORDER BY seq",
                (log_id,),
            )
            for seq, line in cursor:
                walk.record(int(seq), bytes(line))
    for covers, checkpoint in sorted(signed.items()):
        if not checkpoint.is_signed():
            verdict.problem(f"checkpoint at seq {covers:,}: the signature is not valid")
        elif covers > verdict.last_seq:
            verdict.problem(
                f"a signed checkpoint covers seq {covers:,} but the central copy ends at "
                f"{verdict.last_seq:,}: records were removed"
            )
        elif covers not in walk.heads_seen:
            verdict.problem(f"checkpoint at seq {covers:,}: the record it covers is missing")
        elif walk.heads_seen[covers] != checkpoint.head:
            verdict.problem(f"checkpoint at seq {covers:,}: does not match the chain")
    verdict.checkpoints = len(signed)
    return verdict


class _Walk:
    def __init__(self, verdict: LogVerdict, public_key: str, signed: dict[int, Checkpoint]):
        self.verdict = verdict
        self.public_key = public_key
        self.signed = signed
        self.heads_seen: dict[int, str] = {}
        self.head: bytes | None = GENESIS
        self.expected = 0

    def record(self, seq: int, line: bytes) -> None:
        verdict = self.verdict
        if seq != self.expected:
            end = f" to {seq - 1:,}" if seq - 1 > self.expected else ""
            verdict.problem(f"gap: records {self.expected:,}{end} are missing")
            self.head = None  # nothing to chain from: anchor on this record's stored hash
        self.expected = seq + 1
        verdict.records += 1
        verdict.last_seq = seq
        parts = split_line(line)
        if parts is None:
            verdict.problem(f"seq {seq:,}: the stored line is not an audit record")
            self.head = None
            return
        stored, body = parts
        if body_seq(body) != seq:
            verdict.problem(f"seq {seq:,}: the record inside says another seq")
        digest = hashlib.sha256(self.head + body).digest() if self.head is not None else None
        if digest is not None and digest.hex().encode("ascii") != stored:
            verdict.problem(f"seq {seq:,}: the record does not match its chain hash (edited)")
        try:
            self.head = bytes.fromhex(stored.decode("ascii"))
        except ValueError:
            self.head = None
        if seq in self.signed:
            self.heads_seen[seq] = stored.decode("ascii", "replace")
        if seq == 0:
            self._header(body)
        if _CHECKPOINT_MARK in body:
            self._checkpoint(seq, body)

    def _header(self, body: bytes) -> None:
        record = parse_body(body)
        details = record.get("details") if record else None
        if not record or record.get("event") != events.LOG_CREATED or not isinstance(details, dict):
            self.verdict.problem("seq 0: not a log header")
        elif details.get("public_key") != self.public_key:
            self.verdict.problem("seq 0: the header's audit key is not the registered one")
        elif details.get("log_id") != self.verdict.log_id:
            self.verdict.problem("seq 0: the header names another log")

    def _checkpoint(self, seq: int, body: bytes) -> None:
        record = parse_body(body)
        if not record or record.get("event") != events.CHECKPOINT:
            return
        details = record.get("details")
        checkpoint = (
            checkpoint_from_details(details, self.public_key) if isinstance(details, dict) else None
        )
        if checkpoint is None or checkpoint.seq != seq - 1:
            self.verdict.problem(f"seq {seq:,}: malformed checkpoint record")
        elif not checkpoint.is_signed():
            self.verdict.problem(f"seq {seq:,}: checkpoint not signed by the registered audit key")
