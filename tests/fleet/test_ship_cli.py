"""`audit ship` from the command line: the ship_to setting, and its refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.audit.helpers import write_sessions
from tests.cli.conftest import Run

pytest.importorskip("psycopg")


def test_ship_uses_the_ship_to_setting(rr_home: Path, run: Run, shipper_dsn: str) -> None:
    logdir = rr_home / "log"
    write_sessions(logdir, 30)
    (rr_home / "workstation.toml").write_text(
        f'ship_to = "{shipper_dsn}"\naudit_dir = "{logdir}"\n'
    )
    code, out, err = run("audit", "ship")
    assert code == 0, err
    assert "Shipped" in out and "central copy ends at seq" in out
    code, out, _ = run("audit", "ship")
    assert code == 0 and "Shipped 0 records" in out


def test_ship_without_a_destination_or_with_a_bad_setting(rr_home: Path, run: Run) -> None:
    write_sessions(rr_home / "log", 10)
    code, _, err = run("audit", "ship", rr_home / "log")
    assert code == 2 and "ship_to" in err
    (rr_home / "workstation.toml").write_text("ship_to = 5\n")
    code, _, err = run("audit", "ship", rr_home / "log")
    assert code == 2 and "ship_to" in err and "must be text" in err
