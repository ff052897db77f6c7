"""Run part of a test as another Unix user (the test runs as root): the service or a reader.

``python -m tests.audit.run_as UID GID serve SOCKET`` or
``... reader SOCKET SERVICE_USER HOME SERVICE_PID``.
Everything is imported first and only then are privileges dropped (``setgroups``, ``setgid``,
``setuid``), so the child needs no access to the interpreter's files, which may live under a
root-only folder (``/root/.pyenv``); what the dropped process may touch afterwards is exactly
what its uid may touch.
"""

from __future__ import annotations

# What the service and the client import lazily, loaded while the interpreter's files are
# readable (the stdlib may live under a root-only folder).
import _strptime  # noqa: F401
import fcntl  # noqa: F401
import json
import locale  # noqa: F401
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import readingroom.audit.client
import readingroom.audit.log
import readingroom.audit.service
import readingroom.cli
import readingroom.commands.audit_cmd  # imported before the privileges go
from readingroom.errors import ReadingRoomError


def _drop(uid: int, gid: int) -> None:
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)


def _try(attempt: Callable[[], object]) -> str:
    try:
        attempt()
    except PermissionError:
        return "denied"
    return "allowed"


def _reader(
    socket_path: Path, service_user: str, home: Path, service_pid: int
) -> dict[str, object]:
    logdir = home / "audit"
    segment = logdir / "audit-000001.jsonl"
    result: dict[str, object] = {
        "read key": _try((home / "audit-signing.key").read_bytes),
        "read state": _try((home / "audit-state.json").read_bytes),
        "write folder": _try(lambda: (logdir / "forged.jsonl").write_bytes(b"x")),
        "list folder": _try(lambda: os.listdir(logdir)),
        "unlink segment": _try(segment.unlink),
        "append segment": _try(lambda: segment.open("ab").close()),
        "stop service": _try(lambda: os.kill(service_pid, signal.SIGSTOP)),
    }
    client = readingroom.audit.client.AuditClient.connect(socket_path, service_user=service_user)
    session = client.new_session(reader="alice")
    result["seq"] = client.append("session_started", session=session)
    client.append("session_ended", session=session, reason="closed")
    client.close()
    result["uid"] = os.getuid()
    return result


def main() -> int:
    uid, gid, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    if mode == "serve":
        # argparse reads gettext catalogues lazily: build and parse before dropping.
        args = readingroom.cli.build_parser().parse_args(
            ["audit", "serve", "--socket", sys.argv[4]]
        )
        _drop(uid, gid)
        try:
            return int(args.run(args))
        except ReadingRoomError as error:
            sys.stderr.write(f"{error}\n")
            return error.exit_code
    _drop(uid, gid)
    result = _reader(Path(sys.argv[4]), sys.argv[5], Path(sys.argv[6]), int(sys.argv[7]))
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
