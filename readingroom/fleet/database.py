"""Connecting to the central database, and turning its failures into one safe line.

psycopg's messages can quote the DSN (user, host) or the server's words; they never reach the
user. The SQLSTATE class is kept as the ``reason`` for logs and tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import Any

import psycopg

from readingroom.errors import AuditTampered, CentralUnavailable, UsageError

CONNECT_TIMEOUT_SECONDS = 10
# Rows are tuples of what the columns hold; each query's caller knows its columns.
Connection = psycopg.Connection[tuple[Any, ...]]


@contextmanager
def connect(dsn: str, *, autocommit: bool = False) -> Iterator[Connection]:
    """A connection to ``dsn``; any database failure inside becomes :class:`CentralUnavailable`.

    Raises:
        CentralUnavailable: the server is down or refused us, or a statement failed.
        UsageError: the DSN cannot be parsed.
    """
    try:
        connection = psycopg.connect(
            dsn, autocommit=autocommit, connect_timeout=CONNECT_TIMEOUT_SECONDS
        )
    except psycopg.ProgrammingError as exc:
        raise UsageError("The database address (DSN) cannot be understood.") from exc
    except psycopg.Error as exc:
        raise CentralUnavailable(reason=_reason(exc)) from exc
    try:
        with connection:
            yield connection
    except psycopg.errors.InsufficientPrivilege as exc:
        raise AuditTampered(
            "The central database refused the change: its audit tables are append-only, "
            "or this database user lacks the role it needs (see docs/deployment.md)."
        ) from exc
    except psycopg.Error as exc:
        raise CentralUnavailable(reason=_reason(exc)) from exc


def _reason(exc: psycopg.Error) -> str:
    return f"database error {exc.sqlstate or type(exc).__name__}"


def migrations() -> list[tuple[str, str]]:
    """``(name, SQL)`` of every migration shipped in the package, in name order."""
    folder = resources.files("readingroom.fleet") / "sql"
    files = sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".sql")),
        key=lambda e: e.name,
    )
    return [(entry.name, entry.read_text(encoding="utf-8")) for entry in files]


def init_schema(dsn: str) -> list[str]:
    """Apply the migrations not yet applied, each in its own transaction; their names.

    A table ``readingroom_migrations`` (in the public schema, so it exists before the first
    migration makes ours) remembers what was applied; a second run applies nothing.
    """
    applied: list[str] = []
    with connect(dsn) as connection:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS readingroom_migrations "
            "(name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        connection.commit()
        for name, sql in migrations():
            with connection.transaction():
                # Two administrators running init at once: the second waits, then skips.
                connection.execute("LOCK TABLE readingroom_migrations IN EXCLUSIVE MODE")
                done = connection.execute(
                    "SELECT 1 FROM readingroom_migrations WHERE name = %s", (name,)
                ).fetchone()
                if done is None:
                    connection.execute(sql.encode("utf-8"))
                    connection.execute(
                        "INSERT INTO readingroom_migrations (name) VALUES (%s)", (name,)
                    )
                    applied.append(name)
    return applied
