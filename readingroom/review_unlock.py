"""Unlocking a review file's age layers with the reader's and the workstation's keys.

:func:`readingroom.review_file.open_review` and ``verify_reader`` use these: the workstation
layer (a ``workstation+reader`` lock) is decrypted with the workstation's keys, the reader
layer with the reader's passphrase or key, and an age failure becomes the user-facing error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from readingroom.age import AgeError, AgeNoMatch, Identity, ScryptIdentity, X25519Identity
from readingroom.age import decrypt as age_decrypt
from readingroom.errors import CannotUnlock, DamagedFile, ReadingRoomError, WorkstationRefused
from readingroom.review_header import LOCK_WORKSTATION, ParsedFile
from readingroom.secure_memory import protected_bytearray, wipe

# A file may demand scrypt at most 2**20 (about 1 GiB of memory), so a hostile file cannot
# exhaust the workstation.
MAX_SCRYPT_LOG_N = 20
NOT_FOR_THIS_READER = "wrong passphrase or not for this reader"


@dataclass(frozen=True)
class UnlockKeys:
    """What the reader and the workstation bring to open a file."""

    passphrase: bytes | bytearray | None = None
    identities: Sequence[X25519Identity] = field(default_factory=tuple)
    workstation_identities: Sequence[X25519Identity] = field(default_factory=tuple)


def decrypt_both_layers(
    parsed: ParsedFile,
    unlock: UnlockKeys,
    identities: list[Identity],
    decrypting: Callable[[int, int], None],
) -> bytearray:
    """The document's payload: the workstation layer (if any), then the reader layer.

    The plaintext goes into a protected buffer; ``decrypting(done, total)`` reports progress.
    """
    reader_layer = workstation_layer(parsed, unlock)
    try:
        return decrypt_layer(
            reader_layer, identities, CannotUnlock, NOT_FOR_THIS_READER,
            progress=decrypting, allocate=protected_bytearray,
        )  # fmt: skip
    finally:
        if isinstance(reader_layer, bytearray):
            wipe(reader_layer)  # the workstation layer's plaintext: ciphertext, but no need


def forget_identities(identities: list[Identity]) -> None:
    """Zero the passphrase copies held by ``identities``."""
    # Our copies of the passphrase are zeroed as soon as the attempt is over.
    for identity in identities:
        if isinstance(identity, ScryptIdentity):
            identity.forget()


def workstation_layer(parsed: ParsedFile, unlock: UnlockKeys) -> bytes | bytearray | memoryview:
    """The reader layer: the body itself, or the workstation layer's plaintext."""
    # With a workstation lock, the body's plaintext is the reader layer (itself ciphertext).
    if parsed.lock != LOCK_WORKSTATION:
        return parsed.body
    if not unlock.workstation_identities:
        raise WorkstationRefused(reason="not for this workstation: no workstation key")
    return decrypt_layer(
        parsed.body, list(unlock.workstation_identities), WorkstationRefused,
        "not for this workstation",
    )  # fmt: skip


def reader_identities(unlock: UnlockKeys) -> list[Identity]:
    """The reader's keys as age identities (a passphrase becomes a bounded scrypt identity)."""
    identities: list[Identity] = list(unlock.identities)
    if unlock.passphrase is not None:
        identities.append(ScryptIdentity(unlock.passphrase, max_log_n=MAX_SCRYPT_LOG_N))
    if not identities:
        raise ValueError("a passphrase or a reader key is needed to open a review file")
    return identities


def decrypt_layer(
    body: bytes | bytearray | memoryview,
    identities: list[Identity],
    no_match: type[ReadingRoomError],
    no_match_reason: str,
    *,
    progress: Callable[[int, int], None] | None = None,
    allocate: Callable[[int], bytearray] = bytearray,
) -> bytearray:
    """Decrypt one age layer; a failure becomes ``no_match`` or :class:`DamagedFile`."""
    try:
        return age_decrypt(body, identities, progress=progress, allocate=allocate)
    except AgeError as exc:
        raise unlock_failure(exc, no_match, no_match_reason) from None


def unlock_failure(
    error: AgeError, no_match: type[ReadingRoomError], no_match_reason: str
) -> ReadingRoomError:
    """The user-facing error for an age failure."""
    # The age layer says which rule failed; here it becomes the user-facing class, with the
    # audit log's category in `reason`. A signed body that does not decrypt is still damaged.
    if isinstance(error, AgeNoMatch):
        return no_match(reason=no_match_reason)
    return DamagedFile(reason=f"damaged file: {error.reason}")
