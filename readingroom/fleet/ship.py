"""Shipping a workstation's log to the central database: idempotent, resumable, in batches.

Where to start is asked of the database, not remembered locally: the central copy's last
record for this log must be byte for byte the local record with that seq (else the local log
was rewritten, truncated or restarted after shipping: an alarm), and its stored hash anchors
the chain check of everything sent after it. Each batch is one transaction, so an interruption
(server restart, network cut, the process killed) loses at most the batch in flight, which the
next run sends again. ``(log_id, seq)`` is the primary key: a batch that meets rows another
shipper already sent falls back to ``INSERT ... ON CONFLICT DO NOTHING`` and then checks those
rows are the same bytes.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from readingroom.audit.checkpoints import checkpoint_from_details
from readingroom.audit.records import GENESIS, body_seq, parse_body, split_line
from readingroom.errors import AuditTampered
from readingroom.fleet.database import Connection, connect
from readingroom.fleet.local_log import LogHeader, iter_lines, read_header

DEFAULT_BATCH = 5000
_CHECKPOINT_MARK = b'"event":"checkpoint"'
# Called with (records shipped so far in this run, last seq shipped).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ShipResult:
    """What one run shipped."""

    log_id: str
    shipped: int
    last_seq: int


def ship_log(
    directory: Path,
    dsn: str,
    *,
    workstation: str,
    batch: int = DEFAULT_BATCH,
    progress: Progress | None = None,
) -> ShipResult:
    """Send every local record the central database does not have yet.

    Raises:
        AuditTampered: the local log disagrees with what it shipped, or its chain breaks in
            the part not yet shipped (what verified before the break is shipped first).
        CentralUnavailable: the database is down or refused us (records wait locally).
    """
    header = read_header(directory)
    shipped = 0
    # Autocommit: each batch is an explicit transaction, and nothing else holds one open.
    with connect(dsn, autocommit=True) as connection:
        _register(connection, header, workstation)
        last_seq, head = _central_head(connection, header.log_id)
        pending: list[tuple[int, bytes, bytes]] = []
        problem: str | None = None
        lines = iter_lines(directory)
        if last_seq >= 0:
            problem = _match_shipped(lines, last_seq, connection, header.log_id)
        for seq, line, body in _verified(lines if problem is None else iter(()), last_seq, head):
            if seq < 0:
                problem = body.decode("ascii")
                break
            pending.append((seq, line, body))
            if len(pending) >= batch:
                shipped += _send(connection, header.log_id, pending)
                last_seq = pending[-1][0]
                pending = []
                if progress is not None:
                    progress(shipped, last_seq)
        if pending:
            shipped += _send(connection, header.log_id, pending)
            last_seq = pending[-1][0]
            if progress is not None:
                progress(shipped, last_seq)
    if problem is not None:
        raise AuditTampered(f"The audit log was not shipped past seq {last_seq:,}: {problem}.")
    return ShipResult(header.log_id, shipped, last_seq)


def _register(connection: Connection, header: LogHeader, name: str) -> None:
    """Register the log on first contact; later, its audit key must be the registered one."""
    with connection.transaction():
        connection.execute(
            "INSERT INTO readingroom.workstations (log_id, name, public_key, fingerprint) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT (log_id) DO NOTHING",
            (header.log_id, name, header.public_key, header.fingerprint),
        )
        row = connection.execute(
            "SELECT public_key FROM readingroom.workstations WHERE log_id = %s", (header.log_id,)
        ).fetchone()
        if row is None or row[0] != header.public_key:
            raise AuditTampered(
                "The audit log's key is not the one the central database registered for it."
            )
        connection.execute(
            "UPDATE readingroom.workstations SET last_seen = now() WHERE log_id = %s",
            (header.log_id,),
        )


def _central_head(connection: Connection, log_id: str) -> tuple[int, bytes]:
    """The last seq the database holds for this log (-1: none) and its chain hash."""
    row = connection.execute(
        "SELECT seq, line FROM readingroom.records WHERE log_id = %s ORDER BY seq DESC LIMIT 1",
        (log_id,),
    ).fetchone()
    connection.commit()
    if row is None:
        return -1, GENESIS
    seq, line = row
    assert isinstance(seq, int) and isinstance(line, bytes)
    parts = split_line(line)
    try:
        return seq, bytes.fromhex(parts[0].decode("ascii")) if parts else b""
    except ValueError:
        return seq, b""  # a damaged central row: nothing local will chain onto it


def _match_shipped(
    lines: Iterator[bytes],
    last_seq: int,
    connection: Connection,
    log_id: str,
) -> str | None:
    """Advance ``lines`` past ``last_seq``; why the local log disagrees with the central one."""
    local: bytes | None = None
    for index, line in enumerate(lines):
        if index == last_seq:
            local = line
            break
    if local is None:
        return "the local log is shorter than what it already shipped (truncated)"
    row = connection.execute(
        "SELECT line FROM readingroom.records WHERE log_id = %s AND seq = %s", (log_id, last_seq)
    ).fetchone()
    connection.commit()
    if row is None or not isinstance(row[0], bytes) or not hmac.compare_digest(row[0], local):
        return f"local record {last_seq:,} differs from the shipped one (rewritten)"
    return None


def _verified(
    lines: Iterator[bytes], last_seq: int, head: bytes
) -> Iterator[tuple[int, bytes, bytes]]:
    """``(seq, line, body)`` of each record that chains on; ``(-1, b"", why)`` at a break."""
    expected = last_seq + 1
    sha256 = hashlib.sha256
    for line in lines:
        parts = split_line(line)
        if parts is None:
            yield -1, b"", f"record {expected:,} is malformed".encode()
            return
        stored, body = parts
        if body_seq(body) != expected:
            yield -1, b"", f"record {expected:,} is missing or out of order".encode()
            return
        digest = sha256(head + body).digest()
        if not hmac.compare_digest(digest.hex().encode("ascii"), stored):
            yield -1, b"", f"record {expected:,} does not match its chain hash".encode()
            return
        yield expected, line, body
        head = digest
        expected += 1


def _send(
    connection: Connection,
    log_id: str,
    rows: list[tuple[int, bytes, bytes]],
) -> int:
    """One batch in one transaction; the number of rows that were new."""
    checkpoints = _checkpoints(log_id, rows)
    try:
        with connection.transaction(), connection.cursor() as cursor:
            with cursor.copy("COPY readingroom.records (log_id, seq, line) FROM STDIN") as copy:
                for seq, line, _body in rows:
                    copy.write_row((log_id, seq, line))
            _insert_checkpoints(cursor, checkpoints)
        return len(rows)
    except psycopg.errors.UniqueViolation:
        return _send_overlapping(connection, log_id, rows, checkpoints)


def _send_overlapping(
    connection: Connection,
    log_id: str,
    rows: list[tuple[int, bytes, bytes]],
    checkpoints: list[tuple[str, int, str, str, str]],
) -> int:
    """Another shipper sent some of these rows: add the rest, and check the overlap is ours."""
    with connection.transaction(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE incoming (seq bigint, line bytea) ON COMMIT DROP")
        with cursor.copy("COPY incoming (seq, line) FROM STDIN") as copy:
            for seq, line, _body in rows:
                copy.write_row((seq, line))
        cursor.execute(
            "INSERT INTO readingroom.records (log_id, seq, line) "
            "SELECT %s, seq, line FROM incoming ON CONFLICT (log_id, seq) DO NOTHING",
            (log_id,),
        )
        added = cursor.rowcount
        cursor.execute(
            "SELECT count(*) FROM incoming JOIN readingroom.records r "
            "ON r.log_id = %s AND r.seq = incoming.seq WHERE r.line <> incoming.line",
            (log_id,),
        )
        differing = cursor.fetchone()
        if differing is None or differing[0] != 0:
            raise AuditTampered(
                "The central database holds different records under this log's seqs: two "
                "workstations share a log id, or the local log was rewritten."
            )
        _insert_checkpoints(cursor, checkpoints)
    return max(added, 0)


def _checkpoints(
    log_id: str, rows: list[tuple[int, bytes, bytes]]
) -> list[tuple[str, int, str, str, str]]:
    found: list[tuple[str, int, str, str, str]] = []
    for _seq, _line, body in rows:
        if _CHECKPOINT_MARK not in body:
            continue
        record = parse_body(body)
        details = record.get("details") if record else None
        if not record or record.get("event") != "checkpoint" or not isinstance(details, dict):
            continue
        # The key is checked by central verify against the registered one.
        checkpoint = checkpoint_from_details(details, "")
        if checkpoint is not None and checkpoint.log_id == log_id:
            found.append(
                (log_id, checkpoint.seq, checkpoint.head, checkpoint.time, checkpoint.signature)
            )
    return found


def _insert_checkpoints(
    cursor: psycopg.Cursor[tuple[Any, ...]], checkpoints: list[tuple[str, int, str, str, str]]
) -> None:
    if checkpoints:
        cursor.executemany(
            "INSERT INTO readingroom.checkpoints (log_id, covers_seq, head, time, signature) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (log_id, covers_seq) DO NOTHING",
            checkpoints,
        )
