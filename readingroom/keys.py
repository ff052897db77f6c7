"""Key files: the publisher's Ed25519 signing key, and X25519 keys of workstations and readers.

Every key file is text in the format of ``age-keygen``::

    # created: 2026-11-26T14:03:00Z
    # public key: age1...                  (or rrpub1... for a publisher key)
    AGE-SECRET-KEY-1...                    (or RR-PUBLISHER-SECRET-KEY-1...)

so an unprotected workstation or reader key *is* an age identity file that the age CLI reads.
A protected key file is that same text encrypted with age to a passphrase (an scrypt stanza):
``age -d`` opens it too. Publisher public keys are written ``rrpub1...`` (Bech32 of the 32-byte
Ed25519 key) and identified by their fingerprint, the hex SHA-256 of those 32 bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from nacl.bindings import crypto_core_ed25519_is_valid_point

from readingroom.age import (
    AgeError,
    AgeKeyError,
    AgeNoMatch,
    ScryptIdentity,
    ScryptRecipient,
    X25519Identity,
    bech32,
    decrypt,
    encrypt,
    parse_identity_file,
)
from readingroom.config import WorkstationConfig
from readingroom.errors import (
    InputFileError,
    KeyFileLocked,
    KeyFormatError,
    UsageError,
)
from readingroom.fileio import read_input_file, write_atomically
from readingroom.passphrases import AGE_MAGIC

KeyKind = Literal["publisher", "workstation", "reader"]

PUBLIC_HRP = "rrpub"
SECRET_HRP = "rr-publisher-secret-key-"  # noqa: S105 - a Bech32 prefix, not a secret
MAX_KEY_FILE = 64 * 1024
# Key files are opened by people, not attackers; a moderate work factor keeps unlocking quick.
KEY_FILE_LOG_N = 16


def check_ed25519_public_key(raw: bytes) -> None:
    """Refuse an Ed25519 public key that is not a canonical point of the prime-order subgroup.

    A small-order key (the identity point, for one) lets a single forged signature verify for
    every message, and a non-canonical encoding gives one key two fingerprints. libsodium's
    ``crypto_core_ed25519_is_valid_point`` checks exactly that: canonical ``y``, on the curve,
    not of small order, in the main subgroup.

    Raises:
        KeyFormatError: the key is unsafe or malformed.
    """
    if len(raw) != 32 or not crypto_core_ed25519_is_valid_point(raw):
        raise KeyFormatError(
            "This publisher public key is not a valid Ed25519 key (small order or "
            "non-canonical encoding)."
        )


@dataclass(frozen=True)
class PublisherPublicKey:
    """A publisher's Ed25519 public key (checked by :func:`check_ed25519_public_key`)."""

    raw: bytes

    def __post_init__(self) -> None:
        """Every way of building one (trust store, review-file header, key file) checks it."""
        check_ed25519_public_key(self.raw)

    @classmethod
    def from_string(cls, text: str) -> PublisherPublicKey:
        """Parse ``rrpub1...``.

        Raises:
            KeyFormatError: not a publisher public key.
        """
        message = "This is not a ReadingRoom publisher public key (rrpub1...)."
        try:
            hrp, data = bech32.decode(text.strip())
        except AgeKeyError as exc:
            raise KeyFormatError(message, reason=exc.reason) from None
        if hrp != PUBLIC_HRP or len(data) != 32:
            raise KeyFormatError(message)
        return cls(data)

    @property
    def fingerprint(self) -> str:
        """Hex SHA-256 of the raw key: how files and the trust store name the publisher."""
        return hashlib.sha256(self.raw).hexdigest()

    @property
    def short_fingerprint(self) -> str:
        """The first 64 bits of the fingerprint, grouped for reading aloud."""
        return short_fingerprint(self.fingerprint)

    def verify(self, signature: bytes, message: bytes) -> bool:
        """True when ``signature`` is this key's Ed25519 signature of ``message``."""
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def __str__(self) -> str:
        return bech32.encode(PUBLIC_HRP, self.raw)


def short_fingerprint(fingerprint: str) -> str:
    """``9f3a 77c1 0b2e 41d0`` from a hex fingerprint."""
    head = fingerprint[:16].upper()
    return " ".join(head[i : i + 4] for i in range(0, 16, 4))


class PublisherKey:
    """A publisher's Ed25519 signing key."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private

    @classmethod
    def generate(cls) -> PublisherKey:
        """A fresh random key."""
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_string(cls, text: str) -> PublisherKey:
        """Parse ``RR-PUBLISHER-SECRET-KEY-1...``.

        Raises:
            KeyFormatError: not a publisher secret key.
        """
        message = "This is not a ReadingRoom publisher key."
        try:
            hrp, data = bech32.decode(text.strip().lower())
        except AgeKeyError as exc:
            raise KeyFormatError(message, reason=exc.reason) from None
        if hrp != SECRET_HRP or len(data) != 32:
            raise KeyFormatError(message)
        return cls(Ed25519PrivateKey.from_private_bytes(data))

    def to_string(self) -> str:
        """The secret key text (uppercase Bech32, like age's secret keys)."""
        raw = self._private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return bech32.encode(SECRET_HRP, raw).upper()

    def public_key(self) -> PublisherPublicKey:
        """The matching public key."""
        raw = self._private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return PublisherPublicKey(raw)

    def sign(self, message: bytes) -> bytes:
        """The Ed25519 signature of ``message``."""
        return self._private.sign(message)


@dataclass(frozen=True)
class NewKey:
    """A key just generated: its kind, secret text and public text."""

    kind: KeyKind
    secret: str
    public: str


def generate_key(kind: KeyKind) -> NewKey:
    """Generate a key of ``kind``."""
    if kind == "publisher":
        publisher = PublisherKey.generate()
        return NewKey(kind, publisher.to_string(), str(publisher.public_key()))
    identity = X25519Identity.generate()
    return NewKey(kind, identity.to_string(), identity.recipient().to_string())


def key_file_text(key: NewKey, now: datetime | None = None) -> str:
    """The key file's text, in age-keygen's layout."""
    created = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"# created: {created}\n# public key: {key.public}\n{key.secret}\n"


def write_key_file(
    path: Path, key: NewKey, passphrase: bytes | bytearray | None, *, force: bool = False
) -> None:
    """Write ``key`` to ``path``, encrypted to ``passphrase`` unless it is None.

    Raises:
        InputFileError: the file exists (without ``force``) or cannot be written.
    """
    text = key_file_text(key).encode("utf-8")
    data = (
        text if passphrase is None else encrypt(text, [ScryptRecipient(passphrase, KEY_FILE_LOG_N)])
    )
    write_atomically(path, data, force=force, mode=0o600)


def is_protected(data: bytes) -> bool:
    """True when a key file's bytes are an age-encrypted (passphrase-protected) key."""
    return data.startswith(AGE_MAGIC)


def read_key_text(path: Path, passphrase: bytes | bytearray | None) -> str:
    """The plain text of a key file, decrypting it when it is protected.

    Raises:
        InputFileError: missing or unreadable.
        UsageError: protected, but no passphrase was given.
        KeyFileLocked: the passphrase is wrong.
        KeyFormatError: not a key file.
    """
    data = read_input_file(path, what="key file", limit=MAX_KEY_FILE)
    if is_protected(data):
        if passphrase is None:
            raise UsageError(
                f"The key file {path} is protected by a passphrase. "
                "Give it with --key-passphrase-file (or -fd / -env)."
            )
        identity = ScryptIdentity(passphrase)
        try:
            plain = decrypt(data, [identity])
        except AgeNoMatch as exc:
            raise KeyFileLocked(reason="wrong key file passphrase") from exc
        except AgeError as exc:
            raise KeyFormatError(f"The key file {path} is damaged.", reason=exc.reason) from exc
        finally:
            identity.forget()
        try:
            # The decoded text is an immutable str (the key parsers need one); the decrypted
            # bytes at least are zeroed.
            return plain.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise KeyFormatError(f"The file {path} is not a key file.") from exc
        finally:
            plain[:] = bytes(len(plain))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KeyFormatError(f"The file {path} is not a key file.") from exc


def secret_line(text: str) -> str:
    """The one non-comment line of a key file's text.

    Raises:
        KeyFormatError: none, or more than one.
    """
    lines = [line.strip() for line in text.splitlines()]
    secrets = [line for line in lines if line and not line.startswith("#")]
    if len(secrets) != 1:
        raise KeyFormatError("A key file must hold exactly one key.")
    return secrets[0]


def key_kind_of(secret: str) -> KeyKind | None:
    """``publisher`` or ``workstation`` (for any X25519 key) from the secret text."""
    upper = secret.upper()
    if upper.startswith(SECRET_HRP.upper() + "1"):
        return "publisher"
    if upper.startswith("AGE-SECRET-KEY-1"):
        return "workstation"
    return None


def load_publisher_key(path: Path, passphrase: bytes | bytearray | None) -> PublisherKey:
    """Read a publisher's signing key file.

    Raises:
        InputFileError, UsageError, KeyFileLocked, KeyFormatError: see :func:`read_key_text`.
    """
    secret = secret_line(read_key_text(path, passphrase))
    if key_kind_of(secret) != "publisher":
        raise KeyFormatError(f"The file {path} is not a publisher key.")
    return PublisherKey.from_string(secret)


def load_identity_file(path: Path, passphrase: bytes | bytearray | None) -> list[X25519Identity]:
    """Read a reader or workstation key (ours, or one written by ``age-keygen``).

    Raises:
        InputFileError, UsageError, KeyFileLocked, KeyFormatError: see :func:`read_key_text`.
    """
    text = read_key_text(path, passphrase)
    try:
        return parse_identity_file(text)
    except AgeKeyError as exc:
        if exc.line is None:
            message = f"The file {path} holds no age identity (AGE-SECRET-KEY-1...)."
        else:  # the line number, never the line: it may be a secret key
            message = f"Line {exc.line} of the key file {path} is not a valid age identity."
        raise KeyFormatError(message, reason=exc.reason) from None


def load_workstation_identities(config: WorkstationConfig) -> list[X25519Identity]:
    """The workstation's own keys from its configured location; none if it has no key.

    The workstation key is unprotected on purpose: it proves *where* a file is read, and is
    guarded by file permissions (readable by the reading-room account only), like an SSH host
    key. The reader's passphrase is the factor that proves *who*.

    Raises:
        InputFileError, KeyFormatError: the key file exists but cannot be used.
    """
    if not config.workstation_key.exists():
        return []
    return load_identity_file(config.workstation_key, None)


def public_key_of_file(path: Path, passphrase: bytes | bytearray | None) -> tuple[KeyKind, str]:
    """The kind and public key of a key file, for ``keys show``."""
    secret = secret_line(read_key_text(path, passphrase))
    kind = key_kind_of(secret)
    if kind == "publisher":
        return kind, str(PublisherKey.from_string(secret).public_key())
    if kind is None:
        raise KeyFormatError(f"The file {path} is not a key file.")
    try:
        return kind, X25519Identity.from_string(secret).recipient().to_string()
    except AgeKeyError as exc:
        raise KeyFormatError(f"The file {path} is not a key file.", reason=exc.reason) from None


def read_public_key_argument(text: str) -> PublisherPublicKey:
    """A publisher public key given as ``rrpub1...`` or as a file holding one.

    Raises:
        KeyFormatError: neither.
        InputFileError: the file cannot be read.
    """
    candidate = text.strip()
    if candidate.startswith(PUBLIC_HRP + "1"):
        return PublisherPublicKey.from_string(candidate)
    path = Path(candidate)
    if not path.exists():
        raise InputFileError(f"{text} is neither a publisher public key (rrpub1...) nor a file.")
    content = read_input_file(path, what="public key file", limit=MAX_KEY_FILE)
    for raw_line in content.decode("utf-8", errors="replace").splitlines():
        line = raw_line.strip().removeprefix("# public key:").strip()
        if line.startswith(PUBLIC_HRP + "1"):
            return PublisherPublicKey.from_string(line)
    raise KeyFormatError(f"The file {path} holds no publisher public key (rrpub1...).")
