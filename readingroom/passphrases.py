"""Getting passphrases in, and making new ones.

A passphrase never comes from a command-line argument, where any user could read it in the
process list. It comes from a file, an inherited file descriptor, an environment variable or an
interactive prompt. Only the first line of a file or descriptor is used, without its line ending,
so ``echo 'secret' > file`` works as people expect.

``--...-fd`` is the recommended way to pass a secret from a script: nothing is left on disk or
in the environment. An environment variable is removed from the process environment as soon as
it is read, so no child process (the renderer) inherits it. Passphrases are returned as
``bytearray`` so that the caller can zero them after use (best effort: the text a reader types
into a prompt passes through immutable strings first).
"""

from __future__ import annotations

import argparse
import getpass
import io
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

from readingroom.errors import InputFileError, UsageError
from readingroom.secure_memory import scrub_initial_environment, wipe
from readingroom.wordlist import WORDS

# How a passphrase-protected key file begins (an age file; see keys.is_protected).
AGE_MAGIC = b"age-encryption.org/v1\n"

MAX_PASSPHRASE_BYTES = 4096
GENERATED_WORDS = 6


@dataclass(frozen=True)
class PassphraseSource:
    """Where one passphrase comes from; at most one of the fields is set."""

    file: Path | None = None
    fd: int | None = None
    env: str | None = None

    def is_given(self) -> bool:
        """True when a non-interactive source was named."""
        return self.file is not None or self.fd is not None or self.env is not None


def add_passphrase_options(parser: argparse.ArgumentParser, prefix: str, what: str) -> None:
    """Add ``--PREFIX-file``, ``--PREFIX-fd`` and ``--PREFIX-env`` options to ``parser``."""
    dest = prefix.replace("-", "_")
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        f"--{prefix}-file", dest=f"{dest}_file", type=Path, metavar="FILE",
        help=f"read the {what} from the first line of FILE",
    )  # fmt: skip
    group.add_argument(
        f"--{prefix}-fd", dest=f"{dest}_fd", type=int, metavar="N",
        help=f"read the {what} from inherited file descriptor N",
    )  # fmt: skip
    group.add_argument(
        f"--{prefix}-env", dest=f"{dest}_env", metavar="VAR",
        help=f"read the {what} from environment variable VAR",
    )  # fmt: skip


def source_from_args(args: argparse.Namespace, prefix: str) -> PassphraseSource:
    """The :class:`PassphraseSource` named by the options :func:`add_passphrase_options` added."""
    dest = prefix.replace("-", "_")
    return PassphraseSource(
        file=getattr(args, f"{dest}_file", None),
        fd=getattr(args, f"{dest}_fd", None),
        env=getattr(args, f"{dest}_env", None),
    )


def read_passphrase(source: PassphraseSource, *, prompt: str | None = None) -> bytearray:
    """Read a passphrase from ``source``, or prompt for it on the terminal.

    Args:
        source: the non-interactive source, if any.
        prompt: the prompt to show when no source is given; None means "do not prompt".

    Returns:
        The passphrase as UTF-8 bytes, in a buffer the caller zeroes after use.

    Raises:
        InputFileError: the file cannot be read.
        UsageError: no source and no terminal to prompt on, or an empty passphrase.
    """
    if source.file is not None:
        return read_passphrase_file(source.file)
    if source.fd is not None:
        data = bytearray(MAX_PASSPHRASE_BYTES + 1)
        size = _read_fd(source.fd, data)
        return _first_line(data, f"file descriptor {source.fd}", size)
    if source.env is not None:
        # Removed at once (os.environ.pop also unsets it in the C environment): a child
        # process started later must not inherit the secret.
        value = os.environ.pop(source.env, None)
        # The start-up copy /proc/<pid>/environ shows stays behind: zero it as well.
        scrub_initial_environment(source.env)
        if value is None:
            raise UsageError(f"The environment variable {source.env} is not set.")
        return _first_line(bytearray(value, "utf-8"), f"environment variable {source.env}")
    if prompt is None or not sys.stdin.isatty():
        raise UsageError(
            "A passphrase is needed. Give it with a --...-file, --...-fd or --...-env option, "
            "or run the command in a terminal to be asked for it."
        )
    return _first_line(bytearray(getpass.getpass(prompt), "utf-8"), "the prompt")


def read_passphrase_file(path: Path) -> bytearray:
    """The first line of ``path`` as a passphrase.

    Raises:
        InputFileError: missing or unreadable.
        UsageError: empty.
    """
    try:
        data = bytearray(MAX_PASSPHRASE_BYTES + 1)
        with path.open("rb", buffering=0) as handle:
            size = _read_into(handle, data)
    except FileNotFoundError as exc:
        raise InputFileError(f"The passphrase file {path} does not exist.") from exc
    except OSError as exc:
        raise InputFileError(f"The passphrase file {path} cannot be read.") from exc
    return _first_line(data, f"passphrase file {path}", size)


def generate_passphrase(words: int = GENERATED_WORDS) -> str:
    """A new passphrase of ``words`` random words from the built-in list, joined by hyphens."""
    return "-".join(secrets.choice(WORDS) for _ in range(words))


def _read_fd(fd: int, data: bytearray) -> int:
    try:
        with os.fdopen(fd, "rb", buffering=0, closefd=False) as handle:
            return _read_into(handle, data)
    except OSError as exc:
        raise UsageError(f"File descriptor {fd} cannot be read.") from exc


def _read_into(handle: io.RawIOBase, data: bytearray) -> int:
    # Straight into the caller's buffer: no intermediate bytes object holds the secret.
    size = 0
    with memoryview(data) as view:
        while size < len(data):
            got = handle.readinto(view[size:])
            if not got:
                break
            size += got
    return size


def _first_line(data: bytearray, where: str, size: int | None = None) -> bytearray:
    """A new buffer holding the first line of ``data[:size]``; ``data`` is zeroed.

    The line is copied out rather than cut in place: shrinking a bytearray may move it and leave
    the old block, secret included, to the allocator.
    """
    size = len(data) if size is None else size
    try:
        if size > MAX_PASSPHRASE_BYTES:
            raise UsageError(f"The passphrase in {where} is too long.")
        end = data.find(b"\n", 0, size)
        end = size if end < 0 else end
        if end > 0 and data[end - 1] == ord("\r"):
            end -= 1
        if end == 0:
            raise UsageError(f"The passphrase in {where} is empty.")
        return data[:end]
    finally:
        wipe(data)


def key_file_passphrase(
    args: argparse.Namespace, prefix: str, key_file: Path, prompt: str
) -> bytearray | None:
    """The passphrase of ``key_file``: from ``--PREFIX-file/-fd/-env``, or asked for on the
    terminal only when the file is protected (an unprotected key needs none)."""
    source = source_from_args(args, prefix)
    if source.is_given():
        return read_passphrase(source)
    try:
        with key_file.open("rb") as handle:
            protected = handle.read(len(AGE_MAGIC)) == AGE_MAGIC
    except OSError:
        return None  # loading the key says what is wrong with the file
    return read_passphrase(source, prompt=prompt) if protected else None
