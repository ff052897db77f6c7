"""The files of one audit log: numbered segments, durable appends, the writer's lock.

A log directory holds ``audit-000001.jsonl``, ``audit-000002.jsonl``... (the chain runs on
across them) and ``audit.lock``. Every append is one ``write`` of a whole line followed by an
fsync (``F_FULLFSYNC`` on macOS, where plain fsync leaves data in the drive cache); a new
segment's directory entry is fsynced too. A failed write or fsync is never retried: the
writer is marked broken and every later append fails (PostgreSQL's "fsyncgate"). After each
append the open segment must still be the file at its path (same device and inode, at least
one link) and exactly as long as this writer made it: a record written into an unlinked,
replaced, truncated or co-written file is not durable evidence.

The writer's lock is an ``flock`` on the log folder itself, so deleting a lock file lets no
second writer in (Windows, which cannot lock a folder, keeps ``audit.lock``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from readingroom.errors import AuditUnavailable

SEGMENT_NAME = "audit-{:06d}.jsonl"
SEGMENT_PATTERN = re.compile(r"audit-(\d{6})\.jsonl")
LOCK_NAME = "audit.lock"
DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024


def list_segments(directory: Path) -> list[Path]:
    """The segment files of a log, in chain order."""
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return []
    numbered = sorted(
        (int(match.group(1)), name)
        for name in names
        if (match := SEGMENT_PATTERN.fullmatch(name)) is not None
    )
    return [directory / name for _, name in numbered]


class NotARegularFile(OSError):
    """A log or state file that is a FIFO, a device or a folder: put there, never written."""


def open_regular_file(path: Path) -> BinaryIO:
    """``path`` opened for reading (unbuffered), refusing anything but a regular file.

    Where the reading account can write the log folder, a FIFO named like a segment would
    block the open for ever, and a link to ``/dev/zero`` would never end: either would hang the
    viewer and ``audit verify`` instead of raising the alarm. ``O_NONBLOCK`` keeps the open of a
    FIFO from waiting (it changes nothing for a regular file); the file type is then checked on
    the open descriptor.

    Raises:
        NotARegularFile: not a regular file.
        OSError: it cannot be opened.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotARegularFile(errno.EINVAL, "not a regular file", str(path))
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb", buffering=0)


def read_regular_file(path: Path) -> bytes:
    """The bytes of ``path``, refusing anything but a regular file (see open_regular_file).

    Raises:
        NotARegularFile: not a regular file.
        OSError: it cannot be read.
    """
    with open_regular_file(path) as handle:
        return handle.read()


def segment_number(path: Path) -> int:
    """The number in a segment's name."""
    match = SEGMENT_PATTERN.fullmatch(path.name)
    if match is None:
        raise ValueError(f"not an audit segment: {path.name}")
    return int(match.group(1))


def full_fsync(fd: int) -> None:
    """Flush a file to stable storage (through the drive cache on macOS)."""
    if sys.platform == "darwin":
        import fcntl  # noqa: PLC0415 - only meaningful on macOS

        fcntl.fcntl(fd, fcntl.F_FULLFSYNC)
    else:
        os.fsync(fd)


def fsync_directory(directory: Path) -> None:
    """Make a created, renamed or truncated entry in ``directory`` durable (POSIX only)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        full_fsync(fd)
    finally:
        os.close(fd)


class WriterLock:
    """An exclusive, non-blocking lock on the log folder: one writer per log directory."""

    def __init__(self, directory: Path) -> None:
        """Take the lock.

        Raises:
            AuditUnavailable: another program holds it, or the folder cannot be opened.
        """
        self._fd: int | None = None
        try:
            if sys.platform == "win32":
                self._fd = os.open(directory / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
            else:
                self._fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as exc:
            raise AuditUnavailable(
                f"The audit log folder {directory} cannot be written "
                f"({exc.strerror or 'error'}), so no document can be shown."
            ) from exc
        assert self._fd is not None
        try:
            _lock_exclusively(self._fd)
        except OSError as exc:
            os.close(self._fd)
            self._fd = None
            raise AuditUnavailable(
                f"The audit log in {directory} is in use by another ReadingRoom program. "
                "Only one may write it at a time; close the other one first."
            ) from exc

    def release(self) -> None:
        """Release the lock (closing the descriptor releases it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _lock_exclusively(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt  # noqa: PLC0415 - Windows only

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl  # noqa: PLC0415 - POSIX only

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


class SegmentWriter:
    """Appends whole lines durably to the newest segment, rotating by size."""

    def __init__(self, directory: Path, *, max_bytes: int = DEFAULT_SEGMENT_BYTES) -> None:
        """Prepare to append to ``directory`` (nothing is opened until the first write)."""
        self.directory = directory
        self.max_bytes = max_bytes
        self._fd: int | None = None
        self._size = 0
        self._number = 0
        self.broken = False

    def open_last(self) -> None:
        """Open the newest existing segment for appending (or nothing if there is none).

        Raises:
            OSError: the segment cannot be opened.
        """
        segments = list_segments(self.directory)
        if segments:
            last = segments[-1]
            self._fd = os.open(last, os.O_WRONLY | os.O_APPEND)
            self._size = os.fstat(self._fd).st_size
            self._number = segment_number(last)

    def append(self, line: bytes) -> None:
        """Write one line and fsync it; rotate first if the segment is full.

        Raises:
            OSError: the write or fsync failed; the writer is now broken.
        """
        if self.broken:
            raise OSError("the audit writer failed earlier and does not retry")
        try:
            if self._fd is None or (self._size + len(line) > self.max_bytes and self._size):
                self._start_segment()
            assert self._fd is not None
            self._write_all(self._fd, line)
            full_fsync(self._fd)
            self._check_still_linked(self._size + len(line))
        except OSError:
            self.broken = True
            raise
        self._size += len(line)

    def _check_still_linked(self, expected_size: int) -> None:
        assert self._fd is not None
        # os.path.join on str: this runs on every append, and pathlib costs as much as the stat.
        path = os.path.join(self.directory, SEGMENT_NAME.format(self._number))
        opened = os.fstat(self._fd)
        try:
            named = os.stat(path)
        except FileNotFoundError:
            named = None
        if (
            opened.st_nlink < 1
            or named is None
            or (named.st_dev, named.st_ino) != (opened.st_dev, opened.st_ino)
        ):
            raise OSError(errno.ESTALE, "the audit segment was removed or replaced")
        # Only this writer appends (it holds the lock): any other size means the open segment
        # was cut short or written to behind its back, and this record may not follow the last.
        if opened.st_size != expected_size:
            raise OSError(errno.ESTALE, "the audit segment was cut or written to by another")

    def _write_all(self, fd: int, line: bytes) -> None:
        written = 0
        try:
            while written < len(line):
                written += os.write(fd, line[written:])
        except OSError:
            # Leave no half line behind (a full disk rarely refuses to shrink a file). If even
            # this fails, the next open() finds a torn tail and recovers it.
            if written:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, self._size)
                    full_fsync(fd)
            raise

    def _start_segment(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self._number += 1
        path = self.directory / SEGMENT_NAME.format(self._number)
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL, 0o600)
        self._size = 0
        fsync_directory(self.directory)

    def close(self) -> None:
        """Close the current segment."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def cut_torn_tail(path: Path, keep: int) -> None:
    """Truncate a segment to ``keep`` bytes (dropping a torn final record) durably.

    Raises:
        OSError: the file cannot be truncated or synced.
    """
    fd = os.open(path, os.O_WRONLY)
    try:
        os.ftruncate(fd, keep)
        full_fsync(fd)
    finally:
        os.close(fd)
