"""The workstation's Ed25519 audit key, which signs checkpoints.

The private key lives in ``<READINGROOM_HOME>/audit-signing.key`` (PKCS#8 PEM, mode 0600),
generated the first time a log is opened. Its public key is written into the log's first
record and into every exported checkpoint; auditors compare its fingerprint with one they
recorded when the workstation was set up.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from nacl.bindings import crypto_core_ed25519_is_valid_point, crypto_sign_open
from nacl.exceptions import BadSignatureError

from readingroom.audit.storage import read_regular_file
from readingroom.errors import AuditUnavailable, ConfigurationError, InputFileError
from readingroom.fileio import write_atomically

AUDIT_KEY_NAME = "audit-signing.key"
KEY_LENGTH = 32
SIGNATURE_LENGTH = 64


def audit_key_path(home: Path) -> Path:
    """Where the audit signing key of the workstation lives."""
    return home / AUDIT_KEY_NAME


def load_or_create_audit_key(home: Path) -> Ed25519PrivateKey:
    """Load the audit key, generating and storing it (mode 0600) on first use.

    Raises:
        AuditUnavailable: the key cannot be read or written.
        ConfigurationError: the key file exists but is not an Ed25519 private key.
    """
    path = audit_key_path(home)
    try:
        if path.exists():
            # A FIFO there would hang every start: read it only as a regular file.
            key = serialization.load_pem_private_key(read_regular_file(path), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise ConfigurationError(f"The audit key {path} is not an Ed25519 key.")
            return key
        home.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        write_atomically(path, pem, mode=0o600)
        return key
    except ValueError as exc:
        raise ConfigurationError(f"The audit key {path} cannot be read.") from exc
    except (OSError, InputFileError) as exc:
        raise AuditUnavailable(
            f"The audit signing key {path} cannot be read or created, so no document can be shown."
        ) from exc


def public_key_bytes(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    """The raw 32-byte public key."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(public_key: bytes) -> str:
    """OpenSSH-style fingerprint of a raw public key: ``SHA256:<base64, no padding>``."""
    digest = hashlib.sha256(public_key).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


# Verifying is pure; report, open and verify re-read the same checkpoints, so remember results.
@functools.lru_cache(maxsize=4096)
def verify_signature(public_key: bytes, signature: bytes, message: bytes) -> bool:
    """True when ``signature`` is a valid Ed25519 signature of ``message``.

    A small-order or non-canonical key never verifies: with one, a single signature would
    verify every checkpoint. libsodium verifies (through PyNaCl): a log has a checkpoint every
    hundred records, and its verification costs half of OpenSSL's, which is most of what
    ``audit verify`` spends beyond hashing. It refuses non-canonical signatures as RFC 8032 asks.
    """
    if len(signature) != SIGNATURE_LENGTH or not _usable_key(public_key):
        return False
    try:
        crypto_sign_open(signature + message, public_key)
    except BadSignatureError:
        return False
    return True


# One point check per key instead of one per checkpoint: a log has a single key.
@functools.lru_cache(maxsize=64)
def _usable_key(public_key: bytes) -> bool:
    """True when the key is a canonical point of the main subgroup."""
    return len(public_key) == KEY_LENGTH and crypto_core_ed25519_is_valid_point(public_key)
