"""Shipping after each session (``ship_to``), against a real server and a real audit service.

The service is the real ``readingroom audit serve`` process; the viewer's side is the real
``AuditClient`` the viewer uses. Waiting for the background shipper polls the database (or the
service's journal line) with a generous deadline: nothing here asserts how long anything took.
"""

from __future__ import annotations

import os
import select
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.audit.helpers import write_sessions
from tests.audit.service_helpers import ServiceProcess, short_folder, start_service
from tests.fleet.pgcluster import Cluster
from tests.fleet.test_ship import central_rows, local_lines

psycopg = pytest.importorskip("psycopg")

from readingroom.fleet.auto_ship import AutoShipper  # noqa: E402

DEADLINE_SECONDS = 90.0


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting: {what}")
        time.sleep(0.1)


def shipped_everything(logdir: Path, central: str) -> Callable[[], bool]:
    """True once the central copy is exactly the local log (every line, once, in order)."""

    def check() -> bool:
        return [line for _, _, line in central_rows(central)] == local_lines(logdir)

    return check


def read_service_line(service: ServiceProcess, expected: bytes) -> bytes:
    """The next line of the service's stderr (its journal) containing ``expected``."""
    stream = service.process.stderr
    assert stream is not None
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        ready, _, _ = select.select([stream], [], [], 1.0)
        if ready:
            line = stream.readline()
            if expected in line:
                return line
    pytest.fail(f"the service never said {expected!r}")


@pytest.fixture
def folder() -> Iterator[Path]:
    yield from short_folder()


@pytest.fixture
def shipping_service(folder: Path, shipper_dsn: str) -> Iterator[ServiceProcess]:
    """A real audit service whose workstation configuration has ``ship_to``."""
    home = folder / "home"
    home.mkdir(mode=0o700)
    config = home / "workstation.toml"
    config.write_text(f'workstation_name = "room-7"\nship_to = "{shipper_dsn}"\n')
    config.chmod(0o600)
    running = start_service(home, folder / "audit.sock")
    yield running
    running.stop()


def read_a_session(service: ServiceProcess, pages: int = 3) -> int:
    """What the viewer does for one session; the seq of its ``session_ended``."""
    client = service.client()
    try:
        session = client.new_session(reader="alice", document="DOC-9", signature_hash="cd" * 32)
        client.append("session_started", session=session)
        for page in range(1, pages + 1):
            client.append("page_viewed", session=session, page=page, zoom=1.0, seconds=3.0)
        return client.append("session_ended", session=session, reason="closed")
    finally:
        client.close()


def test_a_session_that_ends_arrives_centrally(
    shipping_service: ServiceProcess, central: str
) -> None:
    ended = read_a_session(shipping_service)
    logdir = shipping_service.logdir
    wait_until(shipped_everything(logdir, central), "the session's records in the database")
    rows = central_rows(central)
    # The session's end, then the checkpoint the log signs after every session, and nothing else.
    assert [seq for _, seq, _ in rows][-2:] == [ended, ended + 1]
    assert b'"event":"checkpoint"' in rows[-1][2]
    assert read_service_line(shipping_service, b"Shipped")
    with psycopg.connect(central) as connection:
        row = connection.execute("SELECT name FROM readingroom.workstations").fetchone()
    assert row is not None and row[0] == "room-7"


@pytest.mark.slow  # the server stopped and started again
def test_with_the_database_down_sessions_end_and_ship_later_without_duplicates(
    shipping_service: ServiceProcess, pg_cluster: Cluster, central: str
) -> None:
    logdir = shipping_service.logdir
    # The service ships what it has when it starts (its log header): let that finish first.
    wait_until(shipped_everything(logdir, central), "the log header in the database")
    pg_cluster.stop()
    try:
        first = read_a_session(shipping_service)  # ends normally: nothing waits on the network
        assert read_service_line(shipping_service, b"Not shipped")
        assert local_lines(logdir)[first]  # the records wait locally
    finally:
        pg_cluster.start()
    assert first not in {seq for _, seq, _ in central_rows(central)}
    second = read_a_session(shipping_service)  # the next session's end ships both
    wait_until(shipped_everything(logdir, central), "both sessions in the database")
    seqs = [seq for _, seq, _ in central_rows(central)]
    assert seqs == list(range(second + 2))  # every record once (and the last checkpoint)


@pytest.mark.slow  # the server stopped and started again
def test_a_database_that_hangs_does_not_hold_up_the_session(
    shipping_service: ServiceProcess, pg_cluster: Cluster, central: str
) -> None:
    """The server frozen (a network that drops packets): appends still return at once."""
    logdir = shipping_service.logdir
    wait_until(shipped_everything(logdir, central), "the log header in the database")
    postmaster = int((pg_cluster.data / "postmaster.pid").read_text().split()[0])
    os.kill(postmaster, signal.SIGSTOP)
    try:
        read_a_session(shipping_service)  # the shipper is stuck connecting meanwhile
        read_a_session(shipping_service)
    finally:
        os.kill(postmaster, signal.SIGCONT)
    final = read_a_session(shipping_service)
    wait_until(shipped_everything(logdir, central), "every session in the database")
    assert [seq for _, seq, _ in central_rows(central)] == list(range(final + 2))


def test_the_shipper_retries_on_its_own_once_the_database_is_back(
    rr_home: Path, pg_cluster: Cluster, shipper_dsn: str, central: str
) -> None:
    logdir = rr_home / "log"
    write_sessions(logdir, 60)
    said: list[str] = []
    shipper = AutoShipper(
        logdir, shipper_dsn, workstation="room-1", report=said.append, retry_seconds=(0.2,)
    )
    pg_cluster.stop()
    try:
        shipper.start()
        wait_until(lambda: shipper.runs >= 1, "a first attempt")
    finally:
        pg_cluster.start()
    try:
        # No further request: the retry alone must catch up.
        wait_until(shipped_everything(logdir, central), "the records after the retry")
    finally:
        shipper.stop()
    assert said[0].startswith("Not shipped: The central audit database cannot be reached")
    assert any(line.startswith(f"Shipped {len(local_lines(logdir))} records") for line in said)


def test_shipping_an_unchanged_log_again_sends_nothing(
    rr_home: Path, shipper_dsn: str, central: str
) -> None:
    logdir = rr_home / "log"
    write_sessions(logdir, 30)
    said: list[str] = []
    shipper = AutoShipper(logdir, shipper_dsn, workstation="room-1", report=said.append)
    shipper.start()
    try:
        wait_until(lambda: shipper.runs >= 1, "the first run")
        rows = central_rows(central)
        shipper.request()
        shipper.request()  # folded into one run, or two: either way nothing new is sent
        wait_until(lambda: shipper.runs >= 2, "the second run")
    finally:
        shipper.stop()
    assert central_rows(central) == rows
    assert len(said) == 1 and said[0].startswith("Shipped")
