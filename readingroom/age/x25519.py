"""X25519 recipients (``age1...``) and identities (``AGE-SECRET-KEY-1...``).

A stanza is ``-> X25519 <ephemeral share>`` with the file key wrapped under
HKDF(shared secret, salt = share || recipient, "age-encryption.org/v1/X25519").
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from readingroom.age import b64, bech32
from readingroom.age.errors import AgeHeaderError, AgeKeyError
from readingroom.age.header import Stanza
from readingroom.age.kdf import hkdf_sha256
from readingroom.age.recipients import unwrap_file_key, wrap_file_key

STANZA_TYPE = "X25519"
LABEL = b"age-encryption.org/v1/X25519"
RECIPIENT_HRP = "age"
IDENTITY_HRP = "age-secret-key-"
KEY_SIZE = 32


def _public_bytes(key: X25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _shared_secret(private: X25519PrivateKey, public: X25519PublicKey) -> bytes:
    # A low-order point gives the all-zero secret, which any attacker can predict; the spec
    # says to refuse it. OpenSSL already refuses it (ValueError); the explicit check stays in
    # case a backend does not.
    try:
        secret = private.exchange(public)
    except ValueError:
        raise AgeHeaderError(reason="X25519 share gives an all-zero secret") from None
    if not any(secret):
        raise AgeHeaderError(reason="X25519 share gives an all-zero secret")
    return secret


class X25519Recipient:
    """An X25519 public key that files can be encrypted to."""

    def __init__(self, public_key: X25519PublicKey) -> None:
        """Wrap a public key (use :meth:`from_string` for ``age1...`` strings)."""
        self._key = public_key
        self._bytes = _public_bytes(public_key)

    @classmethod
    def from_string(cls, text: str) -> X25519Recipient:
        """Parse an ``age1...`` recipient string.

        Raises:
            AgeKeyError: not a valid lowercase Bech32 ``age`` key of 32 bytes.
        """
        if text != text.lower():
            raise AgeKeyError(reason="recipient not lowercase")
        hrp, data = bech32.decode(text)
        if hrp != RECIPIENT_HRP or len(data) != KEY_SIZE:
            raise AgeKeyError(reason="not an X25519 recipient")
        return cls(X25519PublicKey.from_public_bytes(data))

    def to_string(self) -> str:
        """The ``age1...`` string."""
        return bech32.encode(RECIPIENT_HRP, self._bytes)

    def wrap(self, file_key: bytes) -> list[Stanza]:
        """One X25519 stanza carrying ``file_key`` for this recipient."""
        ephemeral = X25519PrivateKey.generate()
        share = _public_bytes(ephemeral.public_key())
        secret = _shared_secret(ephemeral, self._key)
        wrap_key = hkdf_sha256(secret, share + self._bytes, LABEL)
        body = wrap_file_key(wrap_key, file_key)
        return [Stanza(STANZA_TYPE, (b64.encode(share).decode("ascii"),), body)]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, X25519Recipient) and hmac.compare_digest(self._bytes, other._bytes)

    def __hash__(self) -> int:
        return hash(self._bytes)

    def __repr__(self) -> str:
        return f"X25519Recipient({self.to_string()!r})"


class X25519Identity:
    """An X25519 private key that opens files encrypted to its recipient."""

    def __init__(self, private_key: X25519PrivateKey) -> None:
        """Wrap a private key (use :meth:`generate` or :meth:`from_string`)."""
        self._key = private_key
        self._recipient = X25519Recipient(private_key.public_key())

    @classmethod
    def generate(cls) -> X25519Identity:
        """A new random identity."""
        return cls(X25519PrivateKey.generate())

    @classmethod
    def from_string(cls, text: str) -> X25519Identity:
        """Parse an ``AGE-SECRET-KEY-1...`` identity string.

        Raises:
            AgeKeyError: not a valid uppercase Bech32 age secret key of 32 bytes.
        """
        if text != text.upper():
            raise AgeKeyError(reason="identity not uppercase")
        hrp, data = bech32.decode(text)
        if hrp != IDENTITY_HRP or len(data) != KEY_SIZE:
            raise AgeKeyError(reason="not an X25519 identity")
        return cls(X25519PrivateKey.from_private_bytes(data))

    def to_string(self) -> str:
        """The ``AGE-SECRET-KEY-1...`` string. It is a secret: never log it."""
        raw = self._key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return bech32.encode(IDENTITY_HRP, raw).upper()

    def recipient(self) -> X25519Recipient:
        """The public recipient of this identity."""
        return self._recipient

    def unwrap(self, stanzas: Sequence[Stanza]) -> bytes | None:
        """The file key from the first X25519 stanza addressed to this identity, or None.

        Raises:
            AgeHeaderError: an X25519 stanza breaks the spec (argument count, share encoding or
                size, low-order share, body size).
        """
        for stanza in stanzas:
            if stanza.type != STANZA_TYPE:
                continue
            if len(stanza.args) != 1:
                raise AgeHeaderError(reason="X25519 stanza needs one argument")
            share = b64.decode(stanza.args[0].encode("ascii"))
            if len(share) != KEY_SIZE:
                raise AgeHeaderError(reason="X25519 share has the wrong size")
            secret = _shared_secret(self._key, X25519PublicKey.from_public_bytes(share))
            wrap_key = hkdf_sha256(secret, share + self._recipient._bytes, LABEL)
            file_key = unwrap_file_key(wrap_key, stanza.body)
            if file_key is not None:
                return file_key
        return None

    def __repr__(self) -> str:
        # Never show the secret, even in a debugger or a log.
        return f"X25519Identity(recipient={self._recipient.to_string()!r})"
