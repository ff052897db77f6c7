"""A throwaway PostgreSQL cluster for the central-audit tests, started by the tests themselves.

``initdb`` runs in a fresh temporary folder as an unprivileged user (the ``postgres`` account
when the tests run as root, as they do in CI; the current user otherwise). The server listens
on a Unix socket in that folder only (no TCP), and is stopped at the end of the session. Each
test gets its own database with the schema applied. Without PostgreSQL's binaries the tests
skip, unless ``READINGROOM_REQUIRE_POSTGRES=1`` (set by .ci/run) makes that a failure.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# The CLI run in-process (the same fixture as the CLI tests).
from tests.cli.conftest import run, workspace  # noqa: F401

REQUIRE_POSTGRES = "READINGROOM_REQUIRE_POSTGRES"
_databases = itertools.count(1)


def _bin_dir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return versions[-1].parent if versions else None


@dataclass
class Cluster:
    """A running throwaway server; ``stop``/``start`` let fault tests take it away."""

    bin_dir: Path
    data: Path
    socket_dir: Path
    run_as: list[str]

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [*self.run_as, str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-w", *args],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        options = f"-k {self.socket_dir} -c listen_addresses='' -c fsync=off"
        self._pg_ctl("-l", str(self.data.parent / "server.log"), "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("-m", mode, "stop")

    def dsn(self, dbname: str = "postgres", user: str = "postgres") -> str:
        return f"host={self.socket_dir} dbname={dbname} user={user}"


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """The session's server (skips, or fails under READINGROOM_REQUIRE_POSTGRES=1, without it)."""
    pytest.importorskip("psycopg")
    bin_dir = _bin_dir()
    if bin_dir is None:
        message = "PostgreSQL's server binaries (initdb, pg_ctl) are not installed"
        if os.environ.get(REQUIRE_POSTGRES) == "1":
            pytest.fail(f"{message}, and {REQUIRE_POSTGRES}=1 requires them")
        pytest.skip(message)
    root = Path(tempfile.mkdtemp(prefix="rrpg-", dir="/tmp"))  # short: socket paths are limited
    run_as: list[str] = []
    if os.geteuid() == 0:
        # The server refuses to run as root: hand the folder to the postgres account.
        account = pwd.getpwnam("postgres")
        os.chown(root, account.pw_uid, account.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data = root / "data"
    subprocess.run(
        [*run_as, str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
         "--no-sync", "-E", "UTF8"],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    cluster = Cluster(bin_dir, data, root, run_as)
    cluster.start()
    try:
        yield cluster
    finally:
        # Already stopped if a fault test failed while the server was down.
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def central(pg_cluster: Cluster) -> str:
    """The DSN of a fresh database with the central schema applied (as its owner)."""
    import psycopg  # noqa: PLC0415 - optional dependency

    from readingroom.fleet.database import init_schema  # noqa: PLC0415

    name = f"rr_test_{os.getpid()}_{next(_databases)}"
    with psycopg.connect(pg_cluster.dsn(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
        # A login for the shipping role, as a deployment would make (roles are cluster-wide).
        admin.execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rr_shipper') "
            "THEN CREATE ROLE rr_shipper LOGIN; END IF; END $$"
        )
    dsn = pg_cluster.dsn(name)
    init_schema(dsn)
    with psycopg.connect(dsn, autocommit=True) as owner:
        owner.execute("GRANT readingroom_ship TO rr_shipper")
    return dsn


@pytest.fixture
def shipper_dsn(central: str) -> str:
    """The same database, logged in as a user that has only the shipping role."""
    return central.replace("user=postgres", "user=rr_shipper")
