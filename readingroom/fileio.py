"""Files written whole or not at all.

Every file ReadingRoom writes (review files, keys, prepared PDFs, exported checkpoints, reports)
goes through :func:`write_atomically`: the bytes go to a temporary file in the destination
folder, are fsynced, and only then renamed over the final name. A crash, a full disk or an
error part-way leaves no half-written file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from readingroom.errors import InputFileError


def check_output_path(path: Path, *, force: bool = False) -> None:
    """Refuse an output path that exists (unless ``force``) or whose folder is missing.

    Raises:
        InputFileError: with a message naming the path the user typed.
    """
    if path.exists() and not force:
        raise InputFileError(f"The output file {path} already exists. Use --force to replace it.")
    if not path.parent.is_dir():
        raise InputFileError(f"The output folder {path.parent} does not exist.")


def write_atomically(path: Path, data: bytes, *, force: bool = False, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` so that the file is either complete or absent.

    Args:
        path: destination.
        data: the complete contents.
        force: replace an existing file.
        mode: permission bits of the new file (private by default).

    Raises:
        InputFileError: the output exists, its folder is missing, or the write failed.
    """
    check_output_path(path, force=force)
    fd, tmp_name = tempfile.mkstemp(prefix=".readingroom-", suffix=".part", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if not force and path.exists():
            raise InputFileError(
                f"The output file {path} already exists. Use --force to replace it."
            )
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise InputFileError(f"Could not write {path}: {exc.strerror or 'write failed'}.") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_directory(path.parent)


def _fsync_directory(folder: Path) -> None:
    # The rename is only durable once the directory entry is on disk (POSIX); Windows has no
    # directory handles to fsync, and there the rename is already durable enough.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_input_file(path: Path, *, what: str = "input file", limit: int | None = None) -> bytes:
    """Read a whole input file, turning OS errors into a safe message.

    Raises:
        InputFileError: missing, unreadable, a folder, or larger than ``limit`` bytes.
    """
    try:
        if path.is_dir():
            raise InputFileError(f"The {what} {path} is a folder, not a file.")
        size = path.stat().st_size
        if limit is not None and size > limit:
            raise InputFileError(f"The {what} {path} is too large.")
        if limit is None:
            return path.read_bytes()
        # The size said nothing for a device or a pipe (/dev/zero reports 0 and never ends).
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise InputFileError(f"The {what} {path} is too large.")
        return data
    except FileNotFoundError as exc:
        raise InputFileError(f"The {what} {path} does not exist.") from exc
    except PermissionError as exc:
        raise InputFileError(f"The {what} {path} cannot be read (permission denied).") from exc
    except OSError as exc:
        raise InputFileError(f"The {what} {path} cannot be read.") from exc
