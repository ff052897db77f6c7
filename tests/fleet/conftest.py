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
import subprocess
from collections.abc import Iterator

import pytest

# The CLI run in-process (the same fixture as the CLI tests).
from tests.cli.conftest import run, workspace  # noqa: F401
from tests.fleet.pgcluster import Cluster, bin_dir, new_cluster

REQUIRE_POSTGRES = "READINGROOM_REQUIRE_POSTGRES"
_databases = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """The session's server (skips, or fails under READINGROOM_REQUIRE_POSTGRES=1, without it)."""
    pytest.importorskip("psycopg")
    binaries = bin_dir()
    if binaries is None:
        message = "PostgreSQL's server binaries (initdb, pg_ctl) are not installed"
        if os.environ.get(REQUIRE_POSTGRES) == "1":
            pytest.fail(f"{message}, and {REQUIRE_POSTGRES}=1 requires them")
        pytest.skip(message)
    cluster = new_cluster(binaries)
    try:
        yield cluster
    finally:
        # Already stopped if a fault test failed while the server was down.
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.stop("immediate")
        cluster.remove()


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
