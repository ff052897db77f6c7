"""Without the fleet extra, the central commands say so in one line; the rest still works."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys
sys.modules["psycopg"] = None  # what an install without the fleet extra looks like
from readingroom.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_central_commands_need_the_fleet_extra(tmp_path: Path) -> None:
    env = {"READINGROOM_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for argv in (
        ["audit", "ship", "--to", "host=/nowhere"],
        ["audit", "central", "verify", "--dsn", "host=/nowhere"],
        ["revocations", "pull", "--from", "host=/nowhere"],
    ):
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, *argv], capture_output=True, text=True, env=env
        )
        assert done.returncode == 2, done.stderr
        assert "pip install 'readingroom[fleet]'" in done.stderr
        assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, "audit", "key"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0 and "ed25519:" in done.stdout
