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

The signature covers everything before the ``signature:`` line; it is checked on a second
thread while the body is decrypted, and no plaintext is parsed or returned until it verified.
With ``lock: workstation+reader`` the age body is encrypted to the designated workstations,
and its plaintext is a second age file encrypted to the reader (a passphrase or an X25519 key);
otherwise the body is that reader layer directly (both layers: :mod:`readingroom.review_unlock`).
"""

from __future__ import annotations

import base64
import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from readingroom.age import (
    AgeError,
    Identity,
    Recipient,
    X25519Recipient,
    check_identities,
)
from readingroom.age import encrypt as age_encrypt
from readingroom.config import WorkstationConfig
from readingroom.errors import (
    CannotUnlock,
    ClockRolledBack,
    DamagedFile,
    ReadingRoomError,
    UntrustedPublisher,
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
from readingroom.review_unlock import (
    NOT_FOR_THIS_READER,
    UnlockKeys,
    decrypt_both_layers,
    forget_identities,
    reader_identities,
    unlock_failure,
    workstation_layer,
)
from readingroom.secure_memory import wipe
from readingroom.trust import TrustStore

__all__ = ["LOCK_READER", "LOCK_WORKSTATION", "MAGIC", "UnlockKeys"]

FORMAT_VERSION = 1
SIGNATURE_CONTEXT = b"readingroom-review/v1 signature\n"
# The reader's passphrase is stretched with scrypt at 2**18 when sealing; a file may demand at
# most 2**20 (review_unlock.MAX_SCRYPT_LOG_N), so a hostile file cannot exhaust the workstation.
SEAL_SCRYPT_LOG_N = 18

# The steps of opening a file, as ``progress(step, done, total)`` reports them (fixed, safe text
# a window may show). Decryption and the signature check run at the same time.
STEP_UNLOCKING = "Unlocking\u2026"
STEP_VERIFYING = "Checking the publisher's signature\u2026"
OpenProgress = Callable[[str, int, int], None]


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
    progress: OpenProgress | None = None,
) -> OpenedReview:
    """Verify, decrypt and check the policy of a review file.

    The structure and the trusted publisher are checked first. Then the publisher's signature
    (a SHA-256 pass over the whole file) is checked on a second thread *while* the body is
    decrypted into one preallocated buffer (locked in memory where allowed, kept out of core
    dumps); nothing is returned, and no plaintext is parsed, until both have succeeded. A bad
    signature wins over any decryption failure. Then the manifest and the reading period.
    ``enforce_policy=False`` (for ``inspect``) skips the trust and reading period checks but
    never the signature.

    Args:
        data: the whole review file.
        unlock: the reader's and the workstation's keys.
        config: the workstation configuration.
        trust: the workstation's trust store.
        now: the wall clock.
        clock_rolled_back: the audit log saw the clock go back.
        enforce_policy: False only for ``inspect``.
        progress: called as ``progress(step, done, total)``; whatever it raises (a
            cancellation) stops the opening, and the partial plaintext is zeroed.

    Raises:
        DamagedFile: malformed, bad signature, or any authentication failure.
        UntrustedPublisher: the signer is not in the trust store (and the workstation does not
            allow any publisher).
        WorkstationRefused: sealed for other workstations.
        CannotUnlock: wrong passphrase or key, or sealed for another reader.
        ClockRolledBack: the audit log saw the clock go back and the file has an expiry.
        Expired, NotYetValid: outside the reading period.
        ValueError: neither a passphrase nor a reader key was given (a caller's bug).
    """
    report = progress or _no_progress
    parsed = _parse(data)
    trusted = trust.is_trusted(parsed.publisher.fingerprint)
    if enforce_policy and not trusted and not config.allow_any_publisher:
        raise UntrustedPublisher(reason="untrusted publisher")
    identities = reader_identities(unlock)
    report(STEP_UNLOCKING, 0, 0)
    signature = _SignatureCheck(parsed)
    signature.start()
    try:
        payload = signature.guard(lambda: _decrypt_both_layers(parsed, unlock, identities, report))
    finally:
        forget_identities(identities)
    manifest = split_payload(payload)
    try:
        _check_public_period(parsed, manifest)
        if enforce_policy:
            if clock_rolled_back and manifest.policy.not_after is not None:
                raise ClockRolledBack(reason="clock rolled back")
            manifest.policy.check_time(now)
    except ReadingRoomError:
        wipe(payload)
        raise
    return OpenedReview(
        manifest=manifest,
        pdf=payload,
        signature_hash=hashlib.sha256(parsed.signature).hexdigest(),
        publisher_fingerprint=parsed.publisher.fingerprint,
        publisher_trusted=trusted,
    )


def _no_progress(_step: str, _done: int, _total: int) -> None:
    return None


class _SignatureCheck:
    """The publisher signature, checked on its own thread while the body is decrypted.

    hashlib releases the GIL while it hashes, so the SHA-256 pass and ChaCha20-Poly1305 use
    two cores; the thread only reads the file's bytes, which nothing writes.
    """

    def __init__(self, parsed: ParsedFile) -> None:
        self._parsed = parsed
        self._valid = False
        self._thread = threading.Thread(target=self._run, name="signature check", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        parsed = self._parsed
        self._valid = parsed.publisher.verify(parsed.signature, _signed_message(parsed.signed))

    def guard(self, decrypt: Callable[[], bytearray]) -> bytearray:
        """Run ``decrypt``; return its plaintext only if the signature is valid too."""
        try:
            plaintext = decrypt()
        except BaseException:
            self._thread.join()
            if not self._valid:
                raise DamagedFile(reason="damaged file: bad signature") from None
            raise
        self._thread.join()
        if not self._valid:
            wipe(plaintext)
            raise DamagedFile(reason="damaged file: bad signature")
        return plaintext


def _decrypt_both_layers(
    parsed: ParsedFile, unlock: UnlockKeys, identities: list[Identity], report: OpenProgress
) -> bytearray:
    def decrypting(done: int, total: int) -> None:
        report(STEP_VERIFYING, done, total)

    return decrypt_both_layers(parsed, unlock, identities, decrypting)


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
    identities = reader_identities(unlock)
    try:
        check_identities(workstation_layer(parsed, unlock), identities)
    except AgeError as exc:
        raise unlock_failure(exc, CannotUnlock, NOT_FOR_THIS_READER) from None
    finally:
        forget_identities(identities)


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


def _signed_message(signed: memoryview) -> bytes:
    # Ed25519 over a SHA-256 digest of the file lets a 100 MB file be verified without a
    # second in-memory copy; the context line keeps these signatures from meaning anything
    # in another protocol.
    return SIGNATURE_CONTEXT + hashlib.sha256(signed).digest()


def _parse(data: bytes) -> ParsedFile:
    return parse_container(data)
