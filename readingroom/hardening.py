"""Process hardening shared by the viewer and its renderer process (Qt-free)."""

from __future__ import annotations

import sys

_PR_SET_DUMPABLE = 4  # from <linux/prctl.h>


def disable_core_dumps() -> None:
    """Set RLIMIT_CORE to 0 so a crash cannot write the plaintext to a core file (POSIX).

    The hard limit goes to 0 as well, so nothing later in the process can raise it again. Where
    the hard limit cannot be lowered, the soft limit still is.
    """
    try:
        import resource  # noqa: PLC0415 - POSIX only
    except ImportError:
        return
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        _, hard = resource.getrlimit(resource.RLIMIT_CORE)
        resource.setrlimit(resource.RLIMIT_CORE, (0, hard))


def make_undumpable() -> bool:
    """Linux: ``PR_SET_DUMPABLE 0``, so another process of the same user cannot attach to this
    one or read its memory through /proc (the decrypted PDF, the audit key). Also no core dump.

    Returns whether it took effect (False elsewhere than Linux).
    """
    return linux_prctl(_PR_SET_DUMPABLE, 0)


def linux_prctl(option: int, value: int) -> bool:
    """Call ``prctl(option, value, 0, 0, 0)`` on Linux; return whether it succeeded."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes  # noqa: PLC0415 - Linux only

        libc = ctypes.CDLL(None, use_errno=True)
        result: int = libc.prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):
        return False
    return result == 0
