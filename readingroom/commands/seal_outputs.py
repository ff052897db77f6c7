"""How each reader of ``seal`` unlocks their file, and where the files (and passphrases) go.

Every reader gets a secret of their own: with several readers a shared passphrase is refused,
because each reader could then open the others' files (watermarked in another person's name).
Sealed files are named by document id and the start of the file's signature hash (the same
hash the audit log records), never by the reader: a kiosk folder lists file names to everyone.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from readingroom.age import Recipient, ScryptRecipient, X25519Recipient
from readingroom.errors import InputFileError, UsageError
from readingroom.fileio import check_output_path, write_atomically
from readingroom.passphrases import generate_passphrase, read_passphrase, source_from_args
from readingroom.policy import ReaderIdentity
from readingroom.review_file import signature_hash

REVIEW_SUFFIX = ".rrf"
PASSPHRASE_SUFFIX = ".passphrase"  # noqa: S105 (a file name ending, not a secret)
SHORT_HASH_CHARS = 8


@dataclass(frozen=True)
class Unlock:
    """One reader's recipient, and the passphrase generated for them (if any)."""

    reader: ReaderIdentity
    recipient: Recipient
    new_passphrase: str | None


@dataclass(frozen=True)
class OutputPlan:
    """Either one named file (``-o doc.rrf``, one reader) or a folder of named-by-id files."""

    file: Path | None
    folder: Path | None

    def path_for(self, document_id: str, sealed: bytes) -> Path:
        """Where one sealed file goes."""
        if self.file is not None:
            return self.file
        assert self.folder is not None
        return self.folder / sealed_file_name(document_id, sealed)


def sealed_file_name(document_id: str, sealed: bytes) -> str:
    """``<document id>-<first 8 hex of the signature hash>.rrf``: no reader in the name."""
    return f"{document_id}-{signature_hash(sealed)[:SHORT_HASH_CHARS]}{REVIEW_SUFFIX}"


def plan_output(output: Path, readers: int, *, force: bool) -> OutputPlan:
    """Read ``-o``: a ``.rrf`` file name (one reader only) or a folder, created if missing.

    Raises:
        UsageError: a file name given for several readers.
        InputFileError: the file exists (without ``force``), its folder is missing, or the
            folder path is a file.
    """
    if output.suffix.lower() == REVIEW_SUFFIX and not output.is_dir():
        if readers > 1:
            raise UsageError("With several readers, -o names a folder (one file per reader).")
        check_output_path(output, force=force)
        return OutputPlan(file=output, folder=None)
    if output.exists() and not output.is_dir():
        raise InputFileError(f"The output folder {output} is a file.")
    return OutputPlan(file=None, folder=output)


def make_folder(folder: Path, *, private: bool = False) -> None:
    """Create an output folder (and its parents) if missing.

    Raises:
        InputFileError: it cannot be created.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700 if private else 0o755)
    except OSError as exc:
        raise InputFileError(f"The output folder {folder} cannot be created.") from exc


def plan_unlocks(
    args: argparse.Namespace, readers: list[ReaderIdentity], *, log_n: int
) -> list[Unlock]:
    """Each reader's recipient, from exactly one of the three ways to give it.

    ``log_n`` is the scrypt work factor for passphrases.

    Raises:
        UsageError: none or several ways given, a shared passphrase for several readers, or
            the number of ``--reader-key`` options differs from the number of readers.
    """
    source = source_from_args(args, "passphrase")
    chosen = sum((bool(args.new_passphrase), bool(args.reader_key), source.is_given()))
    if chosen != 1:
        raise UsageError(
            "Say how the reader unlocks the file: one of --passphrase-file (or -fd / -env), "
            "--new-passphrase or --reader-key."
        )
    if source.is_given() and len(readers) > 1:
        raise UsageError(
            "Several readers cannot share one passphrase (each could open the others' files): "
            "use --new-passphrase, or one --reader-key per reader."
        )
    if args.reader_key and len(args.reader_key) != len(readers):
        raise UsageError("Give one --reader-key for each reader, in the same order.")
    if args.passphrase_out is not None and not args.new_passphrase:
        raise UsageError("--passphrase-out needs --new-passphrase.")
    shared = read_passphrase(source) if source.is_given() else None
    unlocks = []
    for index, reader in enumerate(readers):
        new_passphrase = generate_passphrase() if args.new_passphrase else None
        recipient: Recipient
        if args.reader_key:
            recipient = X25519Recipient.from_string(args.reader_key[index])
        else:
            secret = new_passphrase.encode() if new_passphrase else shared
            assert secret is not None
            recipient = ScryptRecipient(secret, log_n)
        unlocks.append(Unlock(reader, recipient, new_passphrase))
    return unlocks


def write_passphrase_file(folder: Path, sealed_path: Path, passphrase: str) -> Path:
    """Write one reader's new passphrase to ``<folder>/<sealed file stem>.passphrase`` (0600)."""
    path = folder / (sealed_path.stem + PASSPHRASE_SUFFIX)
    write_atomically(path, (passphrase + "\n").encode("utf-8"), mode=0o600)
    return path
