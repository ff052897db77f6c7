"""The review file (``.rrf``): a signed container around a standard age v1 body.

Layout (docs/format.md is the specification)::

    readingroom-review/v1\\n
    publisher: rrpub1...\\n
    lock: reader\\n                       or  lock: workstation+reader\\n
    label: "<JSON string>"\\n                public, signed (files sealed before it: absent)
    not-before: <ISO 8601 UTC>\\n            optional, public, signed
    not-after: <ISO 8601 UTC>\\n             optional, public, signed
    body: <length of the age body in bytes>\\n
    \\n
    <age v1 file>
    signature: <base64 of a 64-byte Ed25519 signature>\\n

The signature covers everything before the ``signature:`` line and is checked before any
decryption is attempted. With ``lock: workstation+reader`` the age body is encrypted to the
designated workstations, and its plaintext is a second age file encrypted to the reader (a
passphrase or an X25519 key); otherwise the body is that reader layer directly.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from readingroom.age import (
    Identity,
    Recipient,
    ScryptIdentity,
    X25519Identity,
    X25519Recipient,
    check_identities,
)
from readingroom.age import decrypt as age_decrypt
from readingroom.age import encrypt as age_encrypt
from readingroom.config import WorkstationConfig
from readingroom.errors import (
    AgeNoMatch,
    ClockRolledBack,
    DamagedFile,
    ReadingRoomError,
    UntrustedPublisher,
    UsageError,
    WorkstationRefused,
)
from readingroom.keys import PublisherKey, PublisherPublicKey
from readingroom.manifest import Manifest, build_payload, split_payload
from readingroom.review_header import (
    LOCK_READER,
    LOCK_WORKSTATION,
    MAGIC,
    SIGNATURE_PREFIX,
    ParsedFile,
    build_header,
    default_label,
    parse_container,
)
from readingroom.trust import TrustStore

__all__ = ["LOCK_READER", "LOCK_WORKSTATION", "MAGIC"]

FORMAT_VERSION = 1
SIGNATURE_CONTEXT = b"readingroom-review/v1 signature\n"
# The reader's passphrase is stretched with scrypt at 2**18 when sealing; a file may demand at
# most 2**20 (about 1 GiB of memory), so a hostile file cannot exhaust the workstation.
SEAL_SCRYPT_LOG_N = 18
MAX_SCRYPT_LOG_N = 20


@dataclass(frozen=True)
class PublicInfo:
    """What anyone can learn from a review file without a key."""

    format_version: int
    publisher: PublisherPublicKey
    lock: str
    size: int
    signature_valid: bool
    trusted: bool
    # Public, signed facts (None in files sealed before they existed): see review_header.py.
    label: str | None = None
    not_before: datetime | None = None
    not_after: datetime | None = None

    @property
    def publisher_fingerprint(self) -> str:
        """The publisher's fingerprint (hex SHA-256 of the public key)."""
        return self.publisher.fingerprint

    def period_state(self, now: datetime) -> str | None:
        """``"expired"`` or ``"not yet valid"`` from the public header, else None.

        Only a hint for the chooser: opening checks the manifest's (authoritative) period.
        """
        if self.not_after is not None and now >= self.not_after:
            return "expired"
        if self.not_before is not None and now < self.not_before:
            return "not yet valid"
        return None


@dataclass(frozen=True)
class UnlockKeys:
    """What the reader and the workstation bring to open a file."""

    passphrase: bytes | None = None
    identities: Sequence[X25519Identity] = field(default_factory=tuple)
    workstation_identities: Sequence[X25519Identity] = field(default_factory=tuple)


@dataclass
class OpenedReview:
    """A verified, decrypted review file. ``pdf`` is the only plaintext copy: never write it."""

    manifest: Manifest
    pdf: bytearray
    signature_hash: str
    publisher_fingerprint: str
    publisher_trusted: bool


def seal_review(
    pdf: bytes,
    manifest: Manifest,
    publisher: PublisherKey,
    reader: Recipient,
    workstations: Sequence[X25519Recipient] = (),
    *,
    label: str | None = None,
) -> bytes:
    """Seal ``pdf`` for one reader (optionally only on the given workstations) and sign it.

    Args:
        pdf: the document, already checked and prepared.
        manifest: its description and policy (built with :meth:`Manifest.new`).
        publisher: the signing key.
        reader: the reader's passphrase (ScryptRecipient) or X25519 key.
        workstations: the workstations that may open it; empty means any.
        label: the public label (default: "Review file sealed <date>"). Anyone holding the
            file can read it, with the reading period, which is copied from the manifest.

    Returns:
        The complete review file.
    """
    body = age_encrypt(build_payload(manifest, pdf), [reader])
    lock = LOCK_READER
    if workstations:
        body = age_encrypt(body, list(workstations))
        lock = LOCK_WORKSTATION
    header = build_header(
        publisher.public_key(),
        lock,
        len(body),
        label=label if label is not None else default_label(manifest.created),
        not_before=manifest.policy.not_before,
        not_after=manifest.policy.not_after,
    )
    signature = publisher.sign(_signed_message(memoryview(header + body)))
    return b"".join((header, body, SIGNATURE_PREFIX, base64.b64encode(signature), b"\n"))


def read_public_info(data: bytes, trust: TrustStore) -> PublicInfo:
    """Parse the public header and check the signature; decrypt nothing.

    Raises:
        DamagedFile: the file is not a well-formed review file.
    """
    parsed = _parse(data)
    return PublicInfo(
        format_version=FORMAT_VERSION,
        publisher=parsed.publisher,
        lock=parsed.lock,
        size=len(data),
        signature_valid=parsed.publisher.verify(parsed.signature, _signed_message(parsed.signed)),
        trusted=trust.is_trusted(parsed.publisher.fingerprint),
        label=parsed.label,
        not_before=parsed.not_before,
        not_after=parsed.not_after,
    )


def signature_hash(data: bytes) -> str:
    """Hex SHA-256 of the file's signature: how the audit log names this exact file.

    Raises:
        DamagedFile: not a well-formed review file.
    """
    return hashlib.sha256(_parse(data).signature).hexdigest()


def open_review(
    data: bytes,
    unlock: UnlockKeys,
    *,
    config: WorkstationConfig,
    trust: TrustStore,
    now: datetime,
    clock_rolled_back: bool = False,
    enforce_policy: bool = True,
) -> OpenedReview:
    """Verify, decrypt and check the policy of a review file.

    Checks run in this order, and nothing is decrypted before the signature and trust checks
    pass: structure, signature, trusted publisher, workstation layer, reader layer, manifest,
    reading period. ``enforce_policy=False`` (for ``inspect``) skips the trust and reading
    period checks but never the signature.

    Raises:
        DamagedFile: malformed, bad signature, or any authentication failure.
        UntrustedPublisher: the signer is not in the trust store (and the workstation does not
            allow any publisher).
        WorkstationRefused: sealed for other workstations.
        CannotUnlock: wrong passphrase or key, or sealed for another reader.
        ClockRolledBack: the audit log saw the clock go back and the file has an expiry.
        Expired, NotYetValid: outside the reading period.
    """
    parsed = _parse(data)
    if not parsed.publisher.verify(parsed.signature, _signed_message(parsed.signed)):
        raise DamagedFile(reason="damaged file: bad signature")
    trusted = trust.is_trusted(parsed.publisher.fingerprint)
    if enforce_policy and not trusted and not config.allow_any_publisher:
        raise UntrustedPublisher(reason="untrusted publisher")

    reader_layer: bytes | memoryview | bytearray = parsed.body
    if parsed.lock == LOCK_WORKSTATION:
        if not unlock.workstation_identities:
            raise WorkstationRefused(reason="not for this workstation: no workstation key")
        reader_layer = _decrypt(
            parsed.body, list(unlock.workstation_identities), WorkstationRefused,
            "not for this workstation",
        )  # fmt: skip
    identities: list[Identity] = list(unlock.identities)
    if unlock.passphrase is not None:
        identities.append(ScryptIdentity(unlock.passphrase, max_log_n=MAX_SCRYPT_LOG_N))
    if not identities:
        raise UsageError("A passphrase or a reader key is needed to open this file.")
    payload = _decrypt(reader_layer, identities, None, "wrong passphrase or not for this reader")
    del reader_layer
    manifest = split_payload(payload)
    _check_public_period(parsed, manifest)
    if enforce_policy:
        if clock_rolled_back and manifest.policy.not_after is not None:
            raise ClockRolledBack(reason="clock rolled back")
        manifest.policy.check_time(now)
    return OpenedReview(
        manifest=manifest,
        pdf=payload,
        signature_hash=hashlib.sha256(parsed.signature).hexdigest(),
        publisher_fingerprint=parsed.publisher.fingerprint,
        publisher_trusted=trusted,
    )


def verify_reader(data: bytes, unlock: UnlockKeys) -> None:
    """Prove the reader's factor again without decrypting the document a second time.

    The viewer calls this when a reader unlocks after an idle lock: the passphrase (or key) is
    checked against the reader layer's age header (scrypt stanza and header MAC), so no second
    plaintext copy of the document is made. With a workstation lock, the outer layer is
    decrypted to reach the reader layer; its plaintext is itself ciphertext.

    Raises:
        DamagedFile, WorkstationRefused, CannotUnlock: as :func:`open_review`.
    """
    parsed = _parse(data)
    if not parsed.publisher.verify(parsed.signature, _signed_message(parsed.signed)):
        raise DamagedFile(reason="damaged file: bad signature")
    reader_layer = _workstation_layer(parsed, unlock)
    try:
        check_identities(reader_layer, _reader_identities(unlock))
    except AgeNoMatch as exc:
        raise AgeNoMatch(reason="wrong passphrase or not for this reader") from exc
    except DamagedFile as exc:
        raise DamagedFile(reason=f"damaged file: {exc.reason}") from exc


def _check_public_period(parsed: ParsedFile, manifest: Manifest) -> None:
    # The header's period is a signed public copy; the manifest's is authoritative. A publisher
    # whose copies differ produced a damaged file, and a chooser must not show a false date.
    if not parsed.has_public_period:
        return
    policy = manifest.policy
    for public, private in ((parsed.not_before, policy.not_before),
                            (parsed.not_after, policy.not_after)):  # fmt: skip
        if public != (private.replace(microsecond=0) if private else None):
            raise DamagedFile(reason="damaged file: header period differs from the manifest")


def _workstation_layer(parsed: ParsedFile, unlock: UnlockKeys) -> bytes | bytearray | memoryview:
    # With a workstation lock, the body's plaintext is the reader layer (itself ciphertext).
    if parsed.lock != LOCK_WORKSTATION:
        return parsed.body
    if not unlock.workstation_identities:
        raise WorkstationRefused(reason="not for this workstation: no workstation key")
    return _decrypt(
        parsed.body, list(unlock.workstation_identities), WorkstationRefused,
        "not for this workstation",
    )  # fmt: skip


def _reader_identities(unlock: UnlockKeys) -> list[Identity]:
    identities: list[Identity] = list(unlock.identities)
    if unlock.passphrase is not None:
        identities.append(ScryptIdentity(unlock.passphrase, max_log_n=MAX_SCRYPT_LOG_N))
    if not identities:
        raise UsageError("A passphrase or a reader key is needed to open this file.")
    return identities


def _decrypt(
    body: bytes | bytearray | memoryview,
    identities: list[Identity],
    no_match: type[ReadingRoomError] | None,
    no_match_reason: str,
) -> bytearray:
    try:
        return age_decrypt(body, identities)
    except AgeNoMatch as exc:
        if no_match is None:
            raise AgeNoMatch(reason=no_match_reason) from exc
        raise no_match(reason=no_match_reason) from exc
    except DamagedFile as exc:
        # The signature verified, so the publisher signed a broken body: still damaged.
        raise DamagedFile(reason=f"damaged file: {exc.reason}") from exc


def _signed_message(signed: memoryview) -> bytes:
    # Ed25519 over a SHA-256 digest of the file lets a 100 MB file be verified without a
    # second in-memory copy; the context line keeps these signatures from meaning anything
    # in another protocol.
    return SIGNATURE_CONTEXT + hashlib.sha256(signed).digest()


def _parse(data: bytes) -> ParsedFile:
    return parse_container(data)
