"""Shipping to a real PostgreSQL server: idempotent, resumable, append-only, alarms."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from readingroom.audit.storage import list_segments
from readingroom.errors import AuditTampered, CentralUnavailable
from tests.audit.helpers import write_sessions
from tests.fleet.pgcluster import Cluster

psycopg = pytest.importorskip("psycopg")

from readingroom.fleet.ship import ship_log  # noqa: E402


def central_rows(dsn: str) -> list[tuple[str, int, bytes]]:
    with psycopg.connect(dsn) as connection:
        rows = connection.execute(
            "SELECT log_id, seq, line FROM readingroom.records ORDER BY log_id, seq"
        ).fetchall()
    return [(log_id, seq, bytes(line)) for log_id, seq, line in rows]


def local_lines(directory: Path) -> list[bytes]:
    lines: list[bytes] = []
    for segment in list_segments(directory):
        lines.extend(segment.read_bytes().splitlines())
    return lines


def test_ship_stores_every_line_unchanged_and_is_idempotent(
    rr_home: Path, shipper_dsn: str, central: str
) -> None:
    logdir = rr_home / "log"
    write_sessions(logdir, 230)
    first = ship_log(logdir, shipper_dsn, workstation="room-1", batch=50)
    lines = local_lines(logdir)
    assert first.shipped == len(lines) and first.last_seq == len(lines) - 1
    rows = central_rows(central)
    assert [line for _, _, line in rows] == lines
    assert [seq for _, seq, _ in rows] == list(range(len(lines)))
    again = ship_log(logdir, shipper_dsn, workstation="room-1", batch=50)
    assert again.shipped == 0 and central_rows(central) == rows
    write_sessions(logdir, 300)  # more sessions later: only the new records go
    third = ship_log(logdir, shipper_dsn, workstation="room-1", batch=50)
    assert third.shipped == len(local_lines(logdir)) - len(lines)
    assert [line for _, _, line in central_rows(central)] == local_lines(logdir)
    with psycopg.connect(central) as connection:
        (name, fingerprint) = connection.execute(
            "SELECT name, fingerprint FROM readingroom.workstations"
        ).fetchone()
        checkpoints = connection.execute("SELECT count(*) FROM readingroom.checkpoints").fetchone()
    assert name == "room-1" and fingerprint
    assert checkpoints is not None and checkpoints[0] >= 1


def test_the_shipping_role_cannot_change_or_delete_records(
    rr_home: Path, shipper_dsn: str, central: str
) -> None:
    logdir = rr_home / "log"
    write_sessions(logdir, 40)
    ship_log(logdir, shipper_dsn, workstation="room-1")
    with psycopg.connect(shipper_dsn) as connection:
        for statement in (
            "UPDATE readingroom.records SET line = 'x' WHERE seq = 3",
            "DELETE FROM readingroom.records WHERE seq = 3",
            "TRUNCATE readingroom.records",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)
            connection.rollback()
    # Even the owner meets the trigger.
    with (
        psycopg.connect(central) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"),
    ):
        connection.execute("DELETE FROM readingroom.records WHERE seq = 3")
    assert len(central_rows(central)) == len(local_lines(logdir))


def test_a_local_log_rewritten_after_shipping_is_an_alarm(rr_home: Path, shipper_dsn: str) -> None:
    logdir = rr_home / "log"
    write_sessions(logdir, 60)
    ship_log(logdir, shipper_dsn, workstation="room-1")
    segment = list_segments(logdir)[-1]
    lines = segment.read_bytes().splitlines(keepends=True)
    segment.write_bytes(b"".join(lines[:-5]))  # truncated after shipping
    with pytest.raises(AuditTampered, match="truncated"):
        ship_log(logdir, shipper_dsn, workstation="room-1")
    segment.write_bytes(b"".join(lines[:-1]) + lines[-1].replace(b'"seq"', b'"seq" '))
    with pytest.raises(AuditTampered, match="rewritten"):
        ship_log(logdir, shipper_dsn, workstation="room-1")


def test_a_broken_chain_ships_what_verified_then_alarms(
    rr_home: Path, shipper_dsn: str, central: str
) -> None:
    logdir = rr_home / "log"
    write_sessions(logdir, 60)
    segment = list_segments(logdir)[-1]
    lines = segment.read_bytes().splitlines(keepends=True)
    edited = next(index for index in range(30, len(lines)) if b"DOC-7" in lines[index])
    lines[edited] = lines[edited].replace(b"DOC-7", b"DOC-8")
    segment.write_bytes(b"".join(lines))
    with pytest.raises(AuditTampered, match=f"record {edited} does not match"):
        ship_log(logdir, shipper_dsn, workstation="room-1", batch=7)
    assert [seq for _, seq, _ in central_rows(central)] == list(range(edited))


def test_a_database_that_is_down_leaves_the_records_waiting(
    rr_home: Path, pg_cluster: Cluster, shipper_dsn: str, central: str
) -> None:
    logdir = rr_home / "log"
    write_sessions(logdir, 120)
    before = local_lines(logdir)
    pg_cluster.stop()
    try:
        with pytest.raises(CentralUnavailable):
            ship_log(logdir, shipper_dsn, workstation="room-1")
    finally:
        pg_cluster.start()
    assert local_lines(logdir) == before
    result = ship_log(logdir, shipper_dsn, workstation="room-1")
    assert result.shipped == len(before)
    assert [line for _, _, line in central_rows(central)] == before


def test_the_database_restarted_mid_ship_loses_and_duplicates_nothing(
    rr_home: Path, pg_cluster: Cluster, shipper_dsn: str, central: str
) -> None:
    logdir = rr_home / "log"
    write_sessions(logdir, 400)
    lines = local_lines(logdir)

    def restart_after_two_batches(shipped: int, _last_seq: int) -> None:
        if shipped == 100:
            pg_cluster.stop("immediate")  # a crash: whatever was in flight is gone
            pg_cluster.start()

    with pytest.raises(CentralUnavailable):
        ship_log(logdir, shipper_dsn, workstation="room-1", batch=50,
                 progress=restart_after_two_batches)  # fmt: skip
    assert [seq for _, seq, _ in central_rows(central)] == list(range(100))
    result = ship_log(logdir, shipper_dsn, workstation="room-1", batch=50)
    assert result.shipped == len(lines) - 100
    assert [line for _, _, line in central_rows(central)] == lines


def test_two_shippers_at_once_send_each_record_once(
    rr_home: Path, shipper_dsn: str, central: str
) -> None:
    logdir = rr_home / "log"
    write_sessions(logdir, 1200)
    lines = local_lines(logdir)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(
            pool.map(
                lambda _: ship_log(logdir, shipper_dsn, workstation="room-1", batch=40),
                range(2),
            )
        )
    assert sum(result.shipped for result in results) == len(lines)
    assert [line for _, _, line in central_rows(central)] == lines
