"""Process hardening shared by the viewer and its renderer process (Qt-free)."""

from __future__ import annotations


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
