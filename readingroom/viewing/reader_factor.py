"""What proves the reader: a passphrase, or a key file (protected by a passphrase, or not).

The factor is chosen once, when a session is being opened, from what ``view`` was given. It
decides whether there is anything to ask for, how a secret becomes the
:class:`~readingroom.review_file.UnlockKeys` of an attempt, and whether the reader can be
proved again after an idle lock. An unprotected key file cannot: it is a file anyone who can
read it holds, with nothing to type, so a session opened with one ends at the idle lock. Such
files are refused outright unless the workstation sets ``allow_unprotected_reader_keys``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from readingroom.age import X25519Identity
from readingroom.config import WorkstationConfig
from readingroom.errors import UnprotectedReaderKey
from readingroom.fileio import read_input_file
from readingroom.keys import MAX_KEY_FILE, is_protected, load_identity_file
from readingroom.passphrases import PassphraseSource, read_passphrase
from readingroom.review_file import UnlockKeys


class FactorKind(StrEnum):
    """The kinds of reader factor ``view`` accepts."""

    PASSPHRASE = "passphrase"  # noqa: S105 - the name of a kind, not a secret
    PROTECTED_KEY_FILE = "protected key file"
    UNPROTECTED_KEY_FILE = "unprotected key file"


@dataclass(frozen=True)
class ReaderFactor:
    """The reader's factor for one session."""

    kind: FactorKind
    identity_file: Path | None = None

    @classmethod
    def choose(cls, identity_file: Path | None, config: WorkstationConfig) -> ReaderFactor:
        """The factor for ``view`` given ``identity_file`` (None: the reader's passphrase).

        Raises:
            InputFileError: the key file cannot be read.
            UnprotectedReaderKey: an unprotected key file on a workstation that refuses them.
        """
        if identity_file is None:
            return cls(FactorKind.PASSPHRASE)
        head = read_input_file(identity_file, what="key file", limit=MAX_KEY_FILE)
        if is_protected(head):
            return cls(FactorKind.PROTECTED_KEY_FILE, identity_file)
        if not config.allow_unprotected_reader_keys:
            raise UnprotectedReaderKey(reason="unprotected reader key file")
        return cls(FactorKind.UNPROTECTED_KEY_FILE, identity_file)

    @property
    def renewable(self) -> bool:
        """True when the reader can prove this factor again (after an idle lock)."""
        return self.kind is not FactorKind.UNPROTECTED_KEY_FILE

    @property
    def needs_secret(self) -> bool:
        """True when something must be typed or given (a passphrase, or the key file's)."""
        return self.kind is not FactorKind.UNPROTECTED_KEY_FILE

    def given_secret(
        self, passphrase: PassphraseSource, key_passphrase: PassphraseSource
    ) -> bytearray | None:
        """The secret given without a prompt, or None when the reader must be asked.

        An unprotected key file needs no secret: an empty buffer stands for "nothing to type".

        Raises:
            InputFileError, UsageError: the named source cannot be read or is empty.
        """
        if not self.needs_secret:
            return bytearray()
        source = passphrase if self.kind is FactorKind.PASSPHRASE else key_passphrase
        return read_passphrase(source) if source.is_given() else None

    def unlock_keys(self, secret: bytearray, workstation: Sequence[X25519Identity]) -> UnlockKeys:
        """The keys of one attempt with ``secret`` (the caller zeroes it afterwards).

        Raises:
            KeyFileLocked: the key file's passphrase is wrong.
            InputFileError, UsageError, KeyFormatError: the key file cannot be used.
        """
        if self.identity_file is None:
            return UnlockKeys(passphrase=secret, workstation_identities=tuple(workstation))
        key_passphrase = secret if self.kind is FactorKind.PROTECTED_KEY_FILE else None
        return UnlockKeys(
            identities=load_identity_file(self.identity_file, key_passphrase),
            workstation_identities=tuple(workstation),
        )
