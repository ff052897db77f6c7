"""Key derivations of age v1: HKDF-SHA256 and the header MAC.

Every key in an age file descends from the 16-byte file key through HKDF-SHA256 with a fixed
label: ``"header"`` for the MAC key, ``"payload"`` (salted with the payload nonce) for the STREAM
key, and a per-recipient label for the wrapping keys.
"""

from __future__ import annotations

import hmac
from hashlib import sha256

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

FILE_KEY_SIZE = 16
MAC_SIZE = 32
PAYLOAD_NONCE_SIZE = 16


def hkdf_sha256(ikm: bytes, salt: bytes, info: bytes, length: int = 32) -> bytes:
    """HKDF-SHA256 with ``salt`` (an empty salt is the RFC 5869 default of zeros)."""
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt or None, info=info).derive(ikm)


def header_mac(file_key: bytes, header_without_mac: bytes) -> bytes:
    """The header MAC: HMAC-SHA256 keyed by HKDF(file key, "header") over the header up to
    and including the ``---`` that starts the MAC line."""
    key = hkdf_sha256(file_key, b"", b"header")
    return hmac.new(key, header_without_mac, sha256).digest()


def payload_key(file_key: bytes, nonce: bytes) -> bytes:
    """The STREAM key: HKDF(file key, salt = payload nonce, "payload")."""
    return hkdf_sha256(file_key, nonce, b"payload")
