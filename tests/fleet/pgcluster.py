"""A throwaway PostgreSQL cluster: ``initdb`` in a temporary folder, a Unix socket only.

Used by the tests' session fixture (conftest.py) and by benchmarks/bench_fleet.py.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def bin_dir() -> Path | None:
    """Where initdb and pg_ctl are (PATH, or Debian's /usr/lib/postgresql/<ver>/bin)."""
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
        options = f"-k {self.socket_dir} -c listen_addresses='' -c fsync=off -c max_connections=300"
        self._pg_ctl("-l", str(self.data.parent / "server.log"), "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("-m", mode, "stop")

    def dsn(self, dbname: str = "postgres", user: str = "postgres") -> str:
        return f"host={self.socket_dir} dbname={dbname} user={user}"

    def remove(self) -> None:
        shutil.rmtree(self.socket_dir, ignore_errors=True)


def new_cluster(binaries: Path) -> Cluster:
    """initdb a new cluster as an unprivileged user and start it."""
    root = Path(tempfile.mkdtemp(prefix="rrpg-", dir="/tmp"))  # short: socket paths are limited
    run_as: list[str] = []
    if os.geteuid() == 0:
        # The server refuses to run as root: hand the folder to the postgres account.
        account = pwd.getpwnam("postgres")
        os.chown(root, account.pw_uid, account.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data = root / "data"
    subprocess.run(
        [*run_as, str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
         "--no-sync", "-E", "UTF8"],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    cluster = Cluster(binaries, data, root, run_as)
    cluster.start()
    return cluster
