"""Central audit trail speed, against a bare COPY measured in the same run.

1. ship: W simulated workstations x R records each (default 200 x 5,000 = 1,000,000), shipped
   concurrently by ``readingroom.fleet.ship.ship_log`` (chain check, resume point, COPY batches)
   vs a bare ``COPY`` of the same rows into the same table, same concurrency (goal <= 2x).
2. central verify over everything shipped: records/s with one process per core, and with one
   process (how it scales with cores).

The logs are generated with bench_audit.build_log (real encoder, signed checkpoints). A
throwaway PostgreSQL cluster is started in /tmp (as for the tests; fsync off on both sides),
unless --dsn names a server whose database may be dropped and recreated.
Usage: python benchmarks/bench_fleet.py [--workstations W] [--records R] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg

from benchmarks.bench_audit import build_log
from readingroom.fleet.central_verify import verify_central
from readingroom.fleet.database import init_schema
from readingroom.fleet.local_log import iter_lines, read_header
from readingroom.fleet.ship import ship_log
from tests.fleet.pgcluster import bin_dir, new_cluster


def _build(args: tuple[Path, int]) -> None:
    build_log(*args)


def _copy_bare(args: tuple[str, Path]) -> int:
    """The baseline: read the same files, COPY the same rows, one transaction per 5,000."""
    dsn, directory = args
    header = read_header(directory)
    lines = list(iter_lines(directory))
    with psycopg.connect(dsn) as connection:
        connection.execute(
            "INSERT INTO readingroom.workstations (log_id, name, public_key, fingerprint) "
            "VALUES (%s, %s, %s, %s)",
            (header.log_id, directory.name, header.public_key, header.fingerprint),
        )
        connection.commit()
        for start in range(0, len(lines), 5000):
            with (
                connection.cursor() as cursor,
                cursor.copy("COPY readingroom.records (log_id, seq, line) FROM STDIN") as copy,
            ):
                for seq in range(start, min(start + 5000, len(lines))):
                    copy.write_row((header.log_id, seq, lines[seq]))
            connection.commit()
    return len(lines)


def _ship(args: tuple[str, Path]) -> int:
    dsn, directory = args
    return ship_log(directory, dsn, workstation=directory.name).shipped


def _fresh_database(admin_dsn: str, name: str) -> str:
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    dsn = admin_dsn.replace("dbname=postgres", f"dbname={name}")
    init_schema(dsn)
    return dsn


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workstations", type=int, default=200)
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=8, help="concurrent shippers")
    parser.add_argument("--dsn", help="an admin DSN with dbname=postgres (default: throwaway)")
    args = parser.parse_args()

    cluster = None
    if args.dsn is None:
        binaries = bin_dir()
        if binaries is None:
            sys.exit("PostgreSQL's server binaries are not installed; pass --dsn")
        cluster = new_cluster(binaries)
        admin = cluster.dsn()
    else:
        admin = args.dsn
    try:
        with tempfile.TemporaryDirectory() as tmp:
            logs = [Path(tmp) / f"room-{n:03d}" for n in range(args.workstations)]
            started = time.perf_counter()
            with ProcessPoolExecutor() as pool:
                list(pool.map(_build, [(log, args.records) for log in logs]))
            total = args.workstations * args.records
            print(f"generated {args.workstations} logs, {total:,} records "
                  f"in {time.perf_counter() - started:.1f} s")  # fmt: skip

            copy_dsn = _fresh_database(admin, "bench_copy")
            started = time.perf_counter()
            with ProcessPoolExecutor(max_workers=args.workers) as pool:
                copied = sum(pool.map(_copy_bare, [(copy_dsn, log) for log in logs]))
            copy_seconds = time.perf_counter() - started

            ship_dsn = _fresh_database(admin, "bench_ship")
            started = time.perf_counter()
            with ProcessPoolExecutor(max_workers=args.workers) as pool:
                shipped = sum(pool.map(_ship, [(ship_dsn, log) for log in logs]))
            ship_seconds = time.perf_counter() - started
            assert shipped == copied == total, (shipped, copied, total)

            started = time.perf_counter()
            verdicts = verify_central(ship_dsn)
            verify_seconds = time.perf_counter() - started
            assert sum(v.records for v in verdicts) == total
            assert not any(v.problems for v in verdicts)
            # The same walk in one process: how central verify scales with cores.
            started = time.perf_counter()
            verify_central(ship_dsn, workers=1)
            single_seconds = time.perf_counter() - started
    finally:
        if cluster is not None:
            cluster.stop("immediate")
            cluster.remove()

    cores = os.cpu_count() or 1
    print(f"bare COPY:      {copied / copy_seconds:>12,.0f} records/s ({copy_seconds:.1f} s)")
    print(f"audit ship:     {shipped / ship_seconds:>12,.0f} records/s ({ship_seconds:.1f} s)")
    print(f"ship / COPY time ratio: {ship_seconds / copy_seconds:.2f}x (goal <= 2x)")
    print(f"central verify: {total / verify_seconds:>12,.0f} records/s ({verify_seconds:.1f} s, "
          f"{min(cores, len(verdicts))} processes on {cores} cores)")  # fmt: skip
    speed_up = single_seconds / verify_seconds
    print(f"central verify, 1 process: {total / single_seconds:>12,.0f} records/s; "
          f"speed-up with {min(cores, len(verdicts))}: {speed_up:.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
