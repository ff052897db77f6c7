"""Confine this process exactly as the renderer does, then try what a hijacked renderer would.

Run by tests/core/test_renderer_sandbox.py as ``python -I sandbox_probe.py FD`` (also as an
unprivileged user). Writes one line per attempt to FD, the only descriptor it may still write
to: ``name denied <errno name>`` or ``name allowed``.
"""

from __future__ import annotations

import errno
import os
import socket
import sys

from readingroom.viewing.sandbox import confine


def attempts(here: str) -> dict[str, object]:
    return {
        "open_existing_file": lambda: open(here, "rb"),
        "open_for_writing": lambda: open("/tmp/readingroom-sandbox-probe", "wb"),
        "socket_inet": lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM),
        "socket_unix": lambda: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM),
        "execve": lambda: os.execv("/bin/true", ["true"]),
        "fork": os.fork,
        "write_stdout": lambda: os.write(1, b"x"),
        "kill_parent": lambda: os.kill(os.getppid(), 0),
        "ptrace_via_proc": lambda: open(f"/proc/{os.getppid()}/mem", "rb"),
    }


def main() -> None:
    fd = int(sys.argv[1])
    here = os.path.abspath(__file__)
    confine(fd, 0)
    lines = []
    for name, attempt in attempts(here).items():
        try:
            result = attempt()  # type: ignore[operator]
        except OSError as error:
            lines.append(f"{name} denied {errno.errorcode.get(error.errno or 0, '?')}")
            continue
        if name == "fork" and result == 0:
            os._exit(0)
        lines.append(f"{name} allowed")
    os.write(fd, ("\n".join(lines) + "\n").encode())


if __name__ == "__main__":
    main()
