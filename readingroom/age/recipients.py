"""What a recipient and an identity are, and the file-key wrapping they share.

A *recipient* wraps a file key into header stanzas; an *identity* tries to unwrap one of a
header's stanzas. An identity answers ``None`` for "not mine" (a different type, or a tag that
does not verify) and raises :class:`AgeHeaderError` for a stanza of its type that breaks the
spec, as the reference implementation does: a malformed stanza is an attack or a bug, not a
mismatch to skip over.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from readingroom.age.errors import AgeHeaderError
from readingroom.age.header import Stanza
from readingroom.age.kdf import FILE_KEY_SIZE

WRAPPED_KEY_SIZE = FILE_KEY_SIZE + 16
_ZERO_NONCE = bytes(12)


@runtime_checkable
class Recipient(Protocol):
    """Something a file can be encrypted to."""

    def wrap(self, file_key: bytes) -> list[Stanza]:
        """Stanzas that let the matching identity recover ``file_key``."""
        ...


@runtime_checkable
class Identity(Protocol):
    """Something that can open files encrypted to its recipient."""

    def unwrap(self, stanzas: Sequence[Stanza]) -> bytes | None:
        """The file key from the first stanza this identity opens, or None."""
        ...


def wrap_file_key(wrap_key: bytes, file_key: bytes) -> bytes:
    """Encrypt the file key under a one-time wrapping key (so a zero nonce is safe)."""
    return ChaCha20Poly1305(wrap_key).encrypt(_ZERO_NONCE, file_key, None)


def unwrap_file_key(wrap_key: bytes, body: bytes) -> bytes | None:
    """Decrypt a stanza body into the file key; None when the tag does not verify.

    Raises:
        AgeHeaderError: the body is not exactly one wrapped 16-byte key. Checked before
            decrypting, so an oversized "file key" is refused rather than accepted.
    """
    if len(body) != WRAPPED_KEY_SIZE:
        raise AgeHeaderError(reason="wrapped file key has the wrong size")
    try:
        return ChaCha20Poly1305(wrap_key).decrypt(_ZERO_NONCE, body, None)
    except InvalidTag:
        return None
