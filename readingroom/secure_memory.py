"""Keeping a plaintext buffer out of swap and core dumps, with the kernel's own calls.

``mlock`` keeps the pages of the decrypted document in RAM (never written to swap) where the
process's ``RLIMIT_MEMLOCK`` allows; ``madvise(MADV_DONTDUMP)`` leaves them out of any core
dump. Both are best effort and Linux/POSIX only: the caller learns whether the lock took. The
calls act on whole pages, so the range is widened to the pages the buffer touches; those extra
bytes belong to this process's heap anyway. The lock ends when the buffer is freed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import mmap
import sys
from dataclasses import dataclass
from pathlib import Path

_MADV_DONTDUMP = 16  # linux/mman.h; mmap.MADV_DONTDUMP is the same value where defined


@dataclass(frozen=True)
class Protection:
    """What :func:`protect` achieved for one buffer."""

    locked: bool
    excluded_from_dumps: bool


def _libc() -> ctypes.CDLL | None:
    if sys.platform != "linux":
        return None
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name, use_errno=True) if name else None


def _page_range(buffer: bytearray) -> tuple[int, int]:
    address = ctypes.addressof((ctypes.c_char * len(buffer)).from_buffer(buffer))
    page = mmap.PAGESIZE
    start = address - address % page
    end = -(-(address + len(buffer)) // page) * page
    return start, end - start


def protect(buffer: bytearray) -> Protection:
    """Lock ``buffer``'s pages in memory and exclude them from core dumps, where allowed.

    Call it before any plaintext is written into the buffer. Never raises for a refusal
    (an ``RLIMIT_MEMLOCK`` too small for the document is the common case for a normal user).
    """
    libc = _libc()
    if libc is None or not buffer:
        return Protection(locked=False, excluded_from_dumps=False)
    start, length = _page_range(buffer)
    libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    libc.mlock.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    excluded = libc.madvise(start, length, _MADV_DONTDUMP) == 0
    locked = libc.mlock(start, length) == 0
    return Protection(locked=locked, excluded_from_dumps=excluded)


def protected_bytearray(size: int) -> bytearray:
    """A zero-filled ``bytearray`` of ``size`` bytes, passed through :func:`protect`."""
    buffer = bytearray(size)
    protect(buffer)
    return buffer


def wipe(buffer: bytearray) -> None:
    """Overwrite ``buffer`` with zeros (best effort: Python may hold other copies)."""
    buffer[:] = bytes(len(buffer))


def page_is_locked(buffer: bytearray) -> bool:
    """True when the first page of ``buffer`` is locked (``/proc/self/smaps``; Linux, tests)."""
    start, _ = _page_range(buffer)
    try:
        with open("/proc/self/smaps", encoding="ascii", errors="replace") as smaps:
            text = smaps.read()
    except OSError:
        return False
    inside = False
    for line in text.splitlines():
        head = line.split(" ", 1)[0]
        if "-" in head and ":" not in head:
            low, high = (int(part, 16) for part in head.split("-"))
            inside = low <= start < high
        elif inside and line.startswith("Locked:"):
            return int(line.split()[1]) > 0
    return False


__all__ = ["Protection", "page_is_locked", "protect", "protected_bytearray", "wipe"]


def scrub_initial_environment(name: str) -> bool:
    """Zero ``name``'s value in the environment block the process was started with (Linux).

    ``os.environ.pop`` (``unsetenv``) only drops the C pointer: the bytes stay where ``execve``
    put them, at the top of the stack, and ``/proc/<pid>/environ`` (readable by root, or by the
    same user while the process is dumpable) shows them for the life of the process. Nothing
    points at that copy once the variable is unset, so overwriting it is safe.

    Returns:
        True when a value was found and zeroed.
    """
    if sys.platform != "linux":
        return False
    try:
        # Fields 50 and 51 of /proc/self/stat (Linux 3.5+): where the block starts and ends.
        fields = Path("/proc/self/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        start, end = int(fields[47]), int(fields[48])
        block = Path("/proc/self/environ").read_bytes()
    except (OSError, ValueError, IndexError):
        return False
    prefix = name.encode("utf-8", errors="surrogateescape") + b"="
    scrubbed = False
    offset = 0
    for entry in block.split(b"\0"):
        if entry.startswith(prefix) and start + offset + len(entry) <= end:
            ctypes.memset(start + offset + len(prefix), 0, len(entry) - len(prefix))
            scrubbed = True
        offset += len(entry) + 1
    return scrubbed
