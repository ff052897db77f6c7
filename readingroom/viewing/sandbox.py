"""Containing the renderer process (Linux): no new privileges, a seccomp allow-list, limits.

The renderer applies this to itself after it has imported PyMuPDF and read the document's
header (its size bound), before the document itself arrives and MuPDF parses a byte of it.
From then on it can only compute and talk over the one pipe it already holds: every system
call not on :data:`ALLOWED_SYSCALLS` fails with ``EPERM`` (so no ``open``, no ``socket``, no
``execve``, no ``ptrace``, no new process), ``read`` and ``write`` work on the pipe's descriptor
only, and ``RLIMIT_AS`` bounds its memory.

Why seccomp through libseccomp (the ``pyseccomp`` ctypes binding, API-compatible with
libseccomp's own Python module) and not Landlock: the renderer needs no file at all once it
holds the document, so an allow-list of system calls already denies every path; Landlock would
only add path rules on top of a filter that refuses ``openat`` outright, it needs an LSM that
many kernels (this project's CI among them) do not enable, and its Python binding is a
pre-release. libseccomp is the library systemd, Docker and Flatpak build their filters with; it
compiles the list into BPF for the running architecture and kills the process on a system call
from any other architecture (the x32/ia32 bypass).
"""

from __future__ import annotations

import errno
import os
import resource
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from readingroom.hardening import linux_prctl

_PR_SET_NO_NEW_PRIVS = 38  # from <linux/prctl.h>

# What a renderer holding its document in memory needs: memory, its one pipe, time, signals
# (Python's own handling of them), randomness (hash seeds) and exiting. Names that do not exist
# on the running architecture are skipped.
ALLOWED_SYSCALLS = (
    "brk",
    "mmap",
    "munmap",
    "mremap",
    "mprotect",
    "madvise",
    "futex",
    # Looking, without blocking, for a ``cancel`` on the pipe (the only descriptor it has).
    "poll",
    "ppoll",
    "sched_yield",
    "getrandom",
    "clock_gettime",
    "clock_getres",
    "gettimeofday",
    "nanosleep",
    "clock_nanosleep",
    "rt_sigreturn",
    "rt_sigprocmask",
    "rt_sigaction",
    "sigaltstack",
    "restart_syscall",
    "getpid",
    "gettid",
    "getppid",
    "fstat",
    "newfstatat",
    "lseek",
    "close",
    "exit",
    "exit_group",
)
# Allowed only on the pipe's descriptor.
PIPE_SYSCALLS = ("read", "write")

# Address space for everything beyond what the process has mapped when it confines itself:
# MuPDF's store (256 MB), one capped page image (~110 MB) and fonts, with room to spare. A
# hostile PDF that wants more fails its page (MemoryError) instead of exhausting the machine.
ADDRESS_SPACE_HEADROOM = 3 * 1024**3


class SandboxUnavailable(Exception):
    """The sandbox could not be applied; the message is fixed (no document content)."""


def confine(pipe_fd: int, document_bytes: int) -> None:
    """Apply no_new_privs, RLIMIT_AS and the seccomp filter to this process, in that order.

    Raises:
        SandboxUnavailable: not Linux, or a step failed. Steps applied before the failure stay
            applied (each only takes rights away).
    """
    if not sys.platform.startswith("linux"):
        raise SandboxUnavailable("no sandbox on this platform")
    # Imported here: loading libseccomp opens files, which is fine now and impossible later.
    try:
        import pyseccomp  # noqa: PLC0415
    except (ImportError, RuntimeError, OSError) as error:  # RuntimeError: libseccomp missing
        raise SandboxUnavailable("libseccomp unavailable") from error
    # Required by the kernel for an unprivileged process to load a filter; also means no
    # set-uid program could ever give this process more rights.
    if not linux_prctl(_PR_SET_NO_NEW_PRIVS, 1):
        raise SandboxUnavailable("no_new_privs refused")
    limit = _mapped_bytes() + 2 * document_bytes + ADDRESS_SPACE_HEADROOM
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError) as error:
        raise SandboxUnavailable("address-space limit refused") from error
    try:
        syscall_filter = pyseccomp.SyscallFilter(pyseccomp.ERRNO(errno.EPERM))
        for name in _known(pyseccomp, ALLOWED_SYSCALLS):
            syscall_filter.add_rule(pyseccomp.ALLOW, name)
        for name in _known(pyseccomp, PIPE_SYSCALLS):
            syscall_filter.add_rule(pyseccomp.ALLOW, name, pyseccomp.Arg(0, pyseccomp.EQ, pipe_fd))
        syscall_filter.load()
    except (OSError, ValueError, RuntimeError) as error:
        raise SandboxUnavailable("seccomp filter refused") from error


def is_confined(pid: int) -> bool:
    """Whether ``/proc/<pid>/status`` shows ``NoNewPrivs: 1`` and ``Seccomp: 2`` (filter mode).

    The viewer asks the kernel rather than trusting the renderer's word.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return fields.get("NoNewPrivs", "").strip() == "1" and fields.get("Seccomp", "").strip() == "2"


def _known(pyseccomp: Any, names: Iterable[str]) -> list[str]:
    arch = pyseccomp.system_arch()
    # libseccomp answers a negative number for a name the architecture does not have.
    return [name for name in names if pyseccomp.resolve_syscall(arch, name) >= 0]


def _mapped_bytes() -> int:
    """This process's current virtual size (the first field of /proc/self/statm, in pages)."""
    try:
        pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return 1024**3
    return pages * os.sysconf("SC_PAGE_SIZE")
