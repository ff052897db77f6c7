"""A real ``readingroom audit serve`` process for tests, on a socket in a short private path."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from readingroom.audit.client import AuditClient

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0


@dataclass
class ServiceProcess:
    """A running service: its process, socket, home (key, state) and log folder."""

    process: subprocess.Popen[bytes]
    socket: Path
    home: Path
    service_user: str

    @property
    def logdir(self) -> Path:
        """The log folder (the default one under the service's home)."""
        return self.home / "audit"

    def client(self) -> AuditClient:
        """A client as the viewer makes one."""
        return AuditClient.connect(self.socket, service_user=self.service_user)

    def stop(self, signum: int = signal.SIGTERM) -> int:
        """Signal the service and wait for it to exit."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        return self.process.wait(timeout=60)


def start_service(
    home: Path, socket: Path, *, prefix: Sequence[str] = (), service_user: str | None = None
) -> ServiceProcess:
    """Start the service (``prefix`` runs it as another user) and wait until it listens."""
    env = {**os.environ, "READINGROOM_HOME": str(home), "PYTHONPATH": str(REPO)}
    command = [*prefix, "serve", str(socket)] if prefix else None
    argv = command or [
        sys.executable,
        "-m",
        "readingroom",
        "audit",
        "serve",
        "--socket",
        str(socket),
    ]
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    line = process.stdout.readline()
    if b"running" not in line:
        process.kill()
        _, err = process.communicate(timeout=START_TIMEOUT)
        raise AssertionError(f"the audit service did not start: {err.decode(errors='replace')}")
    user = service_user or pwd.getpwuid(os.getuid()).pw_name
    return ServiceProcess(process, socket, home, user)


def short_folder() -> Iterator[Path]:
    """A folder with a short path (Unix socket paths are limited to 107 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="rr-audit-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def wait_for_exit(process: subprocess.Popen[bytes], seconds: float = 30.0) -> None:
    """Wait for a process killed by the test (without a timing assertion)."""
    deadline = time.monotonic() + seconds
    while process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
