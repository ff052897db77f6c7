"""Passphrase recipients and identities: the ``scrypt`` stanza.

A stanza is ``-> scrypt <base64 16-byte salt> <log2 N>`` with the file key wrapped under
scrypt(passphrase, "age-encryption.org/v1/scrypt" || salt, N, r=8, p=1). The work factor comes
from the file, so an identity refuses one above its cap before spending any time on it: a
hostile file could otherwise demand hours of CPU and gigabytes of memory.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from readingroom.age import b64
from readingroom.age.errors import AgeHeaderError
from readingroom.age.header import Stanza
from readingroom.age.recipients import WRAPPED_KEY_SIZE, unwrap_file_key, wrap_file_key

STANZA_TYPE = "scrypt"
LABEL = b"age-encryption.org/v1/scrypt"
SALT_SIZE = 16
DEFAULT_LOG_N = 18
DEFAULT_MAX_LOG_N = 22
# Decimal without sign or leading zero, at most two digits (anything larger is over every cap).
_LOG_N_PATTERN = re.compile(r"[1-9][0-9]?")
_MAX_SUPPORTED_LOG_N = 30


def _wrap_key(passphrase: bytes | bytearray, salt: bytes, log_n: int) -> bytes:
    kdf = Scrypt(salt=LABEL + salt, length=32, n=1 << log_n, r=8, p=1)
    return kdf.derive(passphrase)


class ScryptRecipient:
    """A passphrase that a file is encrypted to. It must be the file's only recipient."""

    def __init__(self, passphrase: bytes | bytearray, log_n: int = DEFAULT_LOG_N) -> None:
        """Create the recipient.

        Args:
            passphrase: the passphrase bytes (UTF-8 of what the user typed).
            log_n: log2 of scrypt's N; 18 is age's default (about a second).

        Raises:
            ValueError: empty passphrase or a work factor outside 1..30.
        """
        if not passphrase:
            raise ValueError("empty passphrase")
        if not 1 <= log_n <= _MAX_SUPPORTED_LOG_N:
            raise ValueError("scrypt work factor out of range")
        self._passphrase = bytearray(passphrase)  # a copy the owner can zero: forget()
        self._log_n = log_n

    def wrap(self, file_key: bytes) -> list[Stanza]:
        """One scrypt stanza carrying ``file_key``."""
        salt = os.urandom(SALT_SIZE)
        body = wrap_file_key(_wrap_key(self._passphrase, salt, self._log_n), file_key)
        args = (b64.encode(salt).decode("ascii"), str(self._log_n))
        return [Stanza(STANZA_TYPE, args, body)]

    def __repr__(self) -> str:
        return f"ScryptRecipient(log_n={self._log_n})"


class ScryptIdentity:
    """A passphrase that opens scrypt stanzas whose work factor is at most ``max_log_n``."""

    def __init__(self, passphrase: bytes | bytearray, max_log_n: int = DEFAULT_MAX_LOG_N) -> None:
        """Create the identity.

        Args:
            passphrase: the passphrase bytes.
            max_log_n: the highest work factor accepted from a file (22 is age's default).
        """
        self._passphrase = bytearray(passphrase)  # a copy the owner can zero: forget()
        self._max_log_n = max_log_n

    def unwrap(self, stanzas: Sequence[Stanza]) -> bytes | None:
        """The file key from an scrypt stanza opened by this passphrase, or None.

        Raises:
            AgeHeaderError: the stanza breaks the spec (arguments, salt, work factor syntax,
                body size), is not alone, or asks for more work than ``max_log_n``.
        """
        for stanza in stanzas:
            if stanza.type != STANZA_TYPE:
                continue
            if len(stanzas) != 1:
                raise AgeHeaderError(reason="scrypt stanza not alone")
            if len(stanza.args) != 2:
                raise AgeHeaderError(reason="scrypt stanza needs two arguments")
            salt = b64.decode(stanza.args[0].encode("ascii"))
            if len(salt) != SALT_SIZE:
                raise AgeHeaderError(reason="scrypt salt has the wrong size")
            if _LOG_N_PATTERN.fullmatch(stanza.args[1]) is None:
                raise AgeHeaderError(reason="scrypt work factor is malformed")
            log_n = int(stanza.args[1])
            if log_n > self._max_log_n:
                raise AgeHeaderError(reason="scrypt work factor over the cap")
            # Checked here too, before scrypt spends a second on a stanza that cannot be right.
            if len(stanza.body) != WRAPPED_KEY_SIZE:
                raise AgeHeaderError(reason="wrapped file key has the wrong size")
            file_key = unwrap_file_key(_wrap_key(self._passphrase, salt, log_n), stanza.body)
            if file_key is not None:
                return file_key
        return None

    def forget(self) -> None:
        """Zero this identity's copy of the passphrase; it opens nothing afterwards."""
        self._passphrase[:] = bytes(len(self._passphrase))

    def __repr__(self) -> str:
        return f"ScryptIdentity(max_log_n={self._max_log_n})"
