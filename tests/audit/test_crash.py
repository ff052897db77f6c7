"""kill -9 during appends: every acknowledged record survives and the log still verifies."""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from readingroom.audit import AuditLog, scan_log
from tests.audit.helpers import all_records
from tests.conftest import REPO_ROOT

# The child opens the log (recovering whatever the last kill left), starts a session and
# appends page views as fast as it can, printing each seq only after append() returned.
CHILD = """
import sys
from pathlib import Path
from readingroom.audit import AuditLog
log = AuditLog.open(Path(sys.argv[1]))
session = log.new_session(reader="crash-test", document="DOC-K")
log.append("session_started", session=session)
print("ready", flush=True)
n = 0
while True:
    n += 1
    seq = log.append("page_viewed", session=session, page=n, zoom=1.0, seconds=0.5)
    print(seq, n, flush=True)
"""

KILLS = 200


def _read_all(pipe: int) -> bytes:
    chunks = []
    while chunk := os.read(pipe, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.slow
def test_kill_minus_nine_loses_nothing_acknowledged(rr_home: Path, tmp_path: Path) -> None:
    directory = tmp_path / "log"
    rng = random.Random(20240601)
    acknowledged: dict[int, int] = {}  # seq -> the page number the child wrote there
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(directory)], stdout=subprocess.PIPE, env=env
        )
        assert child.stdout is not None
        fd = child.stdout.fileno()
        buffer = b""
        while b"\n" not in buffer:  # wait until it is appending, then kill at a random moment
            ready, _, _ = select.select([fd], [], [], 60)
            assert ready, "child did not start"
            buffer += os.read(fd, 4096)
        time.sleep(rng.uniform(0, 0.03))
        child.send_signal(signal.SIGKILL)
        child.wait()
        buffer += _read_all(fd)
        child.stdout.close()
        # A line cut short by the kill acknowledges nothing: only whole lines count.
        for line in buffer.decode().split("\n")[1:-1]:
            seq, page = line.split()
            acknowledged[int(seq)] = int(page)
    log = AuditLog.open(directory)
    log.close()
    result = scan_log(directory)
    assert result.problem is None
    records = all_records(directory)
    for seq, page in acknowledged.items():
        assert records[seq]["seq"] == seq
        assert records[seq]["event"] == "page_viewed"
        assert records[seq]["details"]["page"] == page  # type: ignore[index]
    torn = [r for r in records if r["event"] == "recovered_torn_tail"]
    assert len(torn) <= KILLS
    recovered = [r for r in records if r["details"].get("reason") == "crash recovery"]  # type: ignore[union-attr]
    assert len(recovered) == KILLS
    assert len(acknowledged) > KILLS
