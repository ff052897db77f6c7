"""Signed checkpoints: ``(log id, seq, head hash, time)`` signed with the audit key.

A checkpoint is written into the log itself (event ``checkpoint``, covering the record just
before it) and can be exported to a file kept elsewhere. A hash chain alone cannot show that its
tail was cut off and new records appended (journald, CVE-2023-31438); an exported checkpoint
can, because the record it names must still be there with the same hash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from readingroom.audit.records import canonical_json
from readingroom.audit.signing import fingerprint, public_key_bytes, verify_signature
from readingroom.errors import InputFileError
from readingroom.fileio import read_input_file, write_atomically

SIGNING_CONTEXT = b"readingroom-audit-checkpoint-v1\n"
EXPORT_FORMAT = "readingroom-audit-checkpoint/1"


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement that record ``seq`` of log ``log_id`` has chain hash ``head``."""

    log_id: str
    seq: int
    head: str
    time: str
    signature: str
    public_key: str

    @property
    def fingerprint(self) -> str:
        """Fingerprint of the key that signed it."""
        return fingerprint(bytes.fromhex(self.public_key))

    def is_signed(self) -> bool:
        """True when the signature verifies with the checkpoint's own public key."""
        try:
            key = bytes.fromhex(self.public_key)
            signature = bytes.fromhex(self.signature)
        except ValueError:
            return False
        return verify_signature(
            key, signature, signed_message(self.log_id, self.seq, self.head, self.time)
        )

    def details(self) -> dict[str, Any]:
        """The details of the in-log ``checkpoint`` record (the key is in the header)."""
        return {
            "covers_seq": self.seq,
            "head": self.head,
            "log_id": self.log_id,
            "signature": self.signature,
            "time": self.time,
        }

    def to_export(self) -> bytes:
        """The exported file's bytes (canonical JSON and a newline)."""
        return (
            canonical_json(
                {
                    "fingerprint": self.fingerprint,
                    "format": EXPORT_FORMAT,
                    "head": self.head,
                    "log_id": self.log_id,
                    "public_key": self.public_key,
                    "seq": self.seq,
                    "signature": self.signature,
                    "time": self.time,
                }
            )
            + b"\n"
        )


def signed_message(log_id: str, seq: int, head: str, time: str) -> bytes:
    """The exact bytes an audit key signs for a checkpoint."""
    return SIGNING_CONTEXT + canonical_json(
        {"head": head, "log_id": log_id, "seq": seq, "time": time}
    )


def sign_checkpoint(
    key: Ed25519PrivateKey, *, log_id: str, seq: int, head: bytes, time: str
) -> Checkpoint:
    """Sign the head of the chain at ``seq``."""
    head_hex = head.hex()
    signature = key.sign(signed_message(log_id, seq, head_hex, time))
    return Checkpoint(
        log_id=log_id,
        seq=seq,
        head=head_hex,
        time=time,
        signature=signature.hex(),
        public_key=public_key_bytes(key).hex(),
    )


def checkpoint_from_details(details: dict[str, Any], public_key: str) -> Checkpoint | None:
    """Rebuild a checkpoint from an in-log record's details, or None if they are malformed."""
    try:
        return Checkpoint(
            log_id=str(details["log_id"]),
            seq=int(details["covers_seq"]),
            head=str(details["head"]),
            time=str(details["time"]),
            signature=str(details["signature"]),
            public_key=public_key,
        )
    except (KeyError, TypeError, ValueError):
        return None


def export_checkpoint(checkpoint: Checkpoint, path: Path, *, force: bool = False) -> None:
    """Write a checkpoint to a file for safe keeping elsewhere.

    Raises:
        InputFileError: the file exists (without ``force``) or cannot be written.
    """
    write_atomically(path, checkpoint.to_export(), force=force, mode=0o644)


def load_exported_checkpoint(path: Path) -> Checkpoint:
    """Read a checkpoint file written by :func:`export_checkpoint`.

    Raises:
        InputFileError: missing, unreadable, or not a checkpoint file.
    """
    data = read_input_file(path, what="checkpoint file", limit=64 * 1024)
    try:
        return checkpoint_from_export(json.loads(data))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputFileError(f"The file {path} is not a ReadingRoom audit checkpoint.") from exc


def checkpoint_from_export(value: dict[str, Any]) -> Checkpoint:
    """A checkpoint from the parsed JSON of an exported file.

    Raises:
        ValueError, KeyError, TypeError, AttributeError: not an exported checkpoint.
    """
    if value.get("format") != EXPORT_FORMAT:
        raise ValueError("format")
    return Checkpoint(
        log_id=str(value["log_id"]),
        seq=int(value["seq"]),
        head=str(value["head"]),
        time=str(value["time"]),
        signature=str(value["signature"]),
        public_key=str(value["public_key"]),
    )
