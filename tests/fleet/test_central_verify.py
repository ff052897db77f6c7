"""Central verify and `audit verify --against` on a real server, through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readingroom.audit.signing import audit_key_path
from readingroom.audit.state import STATE_NAME
from readingroom.audit.storage import list_segments
from tests.audit.helpers import write_sessions
from tests.cli.conftest import Run

psycopg = pytest.importorskip("psycopg")


def as_superuser(dsn: str, *statements: str) -> None:
    """Tamper the way only a superuser can: with the append-only trigger switched off."""
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute("SET session_replication_role = replica")
        for statement in statements:
            connection.execute(statement)


@pytest.fixture
def two_rooms(rr_home: Path, run: Run, shipper_dsn: str) -> tuple[Path, Path]:
    """Two workstations' logs (their own audit keys), both shipped."""
    rooms = []
    for name in ("room-a", "room-b"):
        home = rr_home / name
        home.mkdir()
        (home / "workstation.toml").write_text(f'workstation_name = "{name}"\n')
        from readingroom.config import load_config  # noqa: PLC0415

        write_sessions(home / "log", 150, config=load_config(home))
        rooms.append(home / "log")
    for logdir in rooms:
        code, out, err = run("audit", "ship", "--to", shipper_dsn, logdir)
        assert code == 0, err
        assert "Shipped" in out
    return rooms[0], rooms[1]


def test_central_verify_passes_for_untouched_logs(
    two_rooms: tuple[Path, Path], run: Run, central: str
) -> None:
    code, out, err = run("audit", "central", "verify", "--dsn", central, "--workers", "2")
    assert code == 0, err + out
    assert out.count(", intact") == 2 and "2 logs" in out and "0 with problems" in out


def test_central_verify_catches_an_edited_row(
    two_rooms: tuple[Path, Path], run: Run, central: str
) -> None:
    as_superuser(
        central,
        "UPDATE readingroom.records SET line = convert_to(replace(convert_from(line, 'UTF8'), "
        "'DOC-7', 'DOC-8'), 'UTF8') "
        "WHERE seq = 25 AND log_id = (SELECT min(log_id) FROM readingroom.records)",
    )
    code, out, _ = run("audit", "central", "verify", "--dsn", central)
    assert code == 8
    assert "seq 25: the record does not match its chain hash (edited)" in out
    assert out.count(", intact") == 1


def test_central_verify_reports_deleted_rows_as_gaps(
    two_rooms: tuple[Path, Path], run: Run, central: str
) -> None:
    as_superuser(central, "DELETE FROM readingroom.records WHERE seq BETWEEN 40 AND 42")
    code, out, _ = run("audit", "central", "verify", "--dsn", central)
    assert code == 8
    assert out.count("gap: records 40 to 42 are missing") == 2


def test_central_verify_sees_the_tail_cut_by_its_checkpoints(
    two_rooms: tuple[Path, Path], run: Run, central: str
) -> None:
    as_superuser(central, "DELETE FROM readingroom.records WHERE seq >= 100")
    code, out, _ = run("audit", "central", "verify", "--dsn", central)
    assert code == 8
    assert "records were removed" in out


def test_verify_against_the_central_copy(
    two_rooms: tuple[Path, Path], run: Run, central: str
) -> None:
    logdir = two_rooms[0]
    code, out, err = run("audit", "verify", logdir, "--against", central)
    assert code == 0, err
    assert "matches the central copy up to seq" in out
    # Truncated after shipping (cleanly, at a line boundary: the local chain still verifies).
    segment = list_segments(logdir)[-1]
    original = segment.read_bytes()
    lines = original.splitlines(keepends=True)
    segment.write_bytes(b"".join(lines[:-10]))
    code, _, err = run("audit", "verify", logdir, "--against", central)
    assert code == 8 and "truncated after shipping" in err
    # Restarted: a brand-new log. The workstation itself refuses to start over while its state
    # file remembers the old log; a reader who deleted that too is caught by the central copy.
    segment.unlink()
    (logdir.parent / STATE_NAME).unlink()
    audit_key_path(logdir.parent).unlink()
    write_sessions(logdir, 20, config=_config_of(logdir))
    code, _, err = run("audit", "verify", logdir, "--against", central)
    assert code == 8 and "restarted after shipping" in err


def _config_of(logdir: Path):  # type: ignore[no-untyped-def]
    from readingroom.config import load_config  # noqa: PLC0415

    return load_config(logdir.parent)


def test_central_init_is_repeatable_and_errors_are_one_line(
    central: str, run: Run, rr_home: Path
) -> None:
    code, out, _ = run("audit", "central", "init", "--dsn", central)
    assert code == 0 and "up to date" in out
    write_sessions(rr_home / "log", 20)
    code, _, err = run("audit", "ship", "--to", "host=/nonexistent dbname=x", rr_home / "log")
    assert code == 7
    assert err.count("\n") == 1 and "cannot be reached" in err and "nonexistent" not in err


def test_report_across_every_workstation(
    two_rooms: tuple[Path, Path], run: Run, central: str
) -> None:
    local_sessions = 0
    for logdir in two_rooms:
        code, out, err = run("audit", "report", logdir, "--format", "json")
        assert code == 0, err
        local_sessions += len(json.loads(out)["sessions"])
    code, out, err = run("audit", "report", "--dsn", central, "--format", "json",
                         "--document", "DOC-7")  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    assert len(report["sessions"]) == local_sessions > 0
    assert {s["workstation"] for s in report["sessions"]} == {"room-a", "room-b"}
    code, out, _ = run("audit", "report", "--dsn", central)
    assert code == 0 and "from 2 workstation logs in the central database" in out
    as_superuser(central, "DELETE FROM readingroom.records WHERE seq = 30")
    code, out, _ = run("audit", "report", "--dsn", central)
    assert code == 8 and "DOES NOT VERIFY" in out and "gap: records 30 are missing" in out
