"""age v1 (https://c2sp.org/age) on pyca/cryptography: X25519 and scrypt recipients.

Binary files only (no ASCII armour). Modules: ``bech32`` and ``b64`` (encodings), ``header``
(the text header), ``kdf`` (HKDF and the header MAC), ``recipients`` (the protocols),
``x25519`` and ``scrypt`` (stanza types), ``stream`` (the payload), ``codec`` (whole files),
``identity_file`` (age-keygen files), ``errors`` (failures, without user-facing wording).
"""

from readingroom.age.codec import check_identities, decrypt, encrypt, iter_decrypt
from readingroom.age.errors import (
    AgeError,
    AgeHeaderError,
    AgeHmacError,
    AgeKeyError,
    AgeNoMatch,
    AgePayloadError,
)
from readingroom.age.identity_file import parse_identity_file
from readingroom.age.recipients import Identity, Recipient
from readingroom.age.scrypt import ScryptIdentity, ScryptRecipient
from readingroom.age.x25519 import X25519Identity, X25519Recipient

__all__ = [
    "AgeError",
    "AgeHeaderError",
    "AgeHmacError",
    "AgeKeyError",
    "AgeNoMatch",
    "AgePayloadError",
    "Identity",
    "Recipient",
    "ScryptIdentity",
    "ScryptRecipient",
    "X25519Identity",
    "X25519Recipient",
    "check_identities",
    "decrypt",
    "encrypt",
    "iter_decrypt",
    "parse_identity_file",
]
