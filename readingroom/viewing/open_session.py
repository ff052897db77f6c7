"""Opening a review file for one reading session, without Qt.

The steps, in the order the rules demand; the viewer (``gui/viewer_launcher.py``) shows its
dialogs between them and runs the slow ones on a worker thread, passing a ``progress`` callable:

1. :meth:`SessionOpener.prepare`: open the audit log (which verifies it), the trust store, the
   file and the workstation keys, and choose the reader's factor. A log that is unavailable or
   tampered stops everything here.
2. :meth:`SessionOpener.attempt`: one unlock attempt. What counts as an attempt (a wrong
   passphrase or key, a damaged or refused file) is recorded ``unlock_failed`` before the error
   is raised; a usage problem (no such key file) is not an attempt.
3. :meth:`SessionOpener.start_session`: ``session_started``, durable before any page exists.
4. :meth:`SessionOpener.watermark`: the watermark burnt into every page.
5. :meth:`SessionOpener.prove_factor_again`: after an idle lock; a session whose factor cannot
   be proved again (an unprotected key file) ends instead.
6. :meth:`SessionOpener.close`: zero the plaintext, close the log.

Every secret passed in is zeroed when the call returns, whatever happens.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from readingroom.age import X25519Identity
from readingroom.audit import SessionContext
from readingroom.audit.unlock_failures import record_unlock_failed
from readingroom.audit.writer import AuditWriter, open_audit_writer
from readingroom.capture_state import CaptureStatus, refuse_unless_enforced
from readingroom.config import WorkstationConfig
from readingroom.errors import (
    AuditUnavailable,
    CannotUnlock,
    DamagedFile,
    FactorNotRenewable,
    PolicyRefused,
    Revoked,
)
from readingroom.fileio import read_input_file
from readingroom.keys import load_workstation_identities
from readingroom.passphrases import PassphraseSource
from readingroom.reading_session import ReadingSession, utc_now
from readingroom.review_file import OpenedReview, open_review, verify_reader
from readingroom.review_folder import ReviewEntry, review_entry
from readingroom.revocation import LoadedRevocations, load_workstation_revocations
from readingroom.secure_memory import wipe
from readingroom.trust import TrustStore
from readingroom.viewing.reader_factor import ReaderFactor
from readingroom.watermark import WatermarkSpec, build_watermark

MAX_REVIEW_FILE = 4 * 1024**3
STEP_AUDIT = "Checking the audit log\u2026"
STEP_READING = "Reading the review file\u2026"
STEP_KEY_FILE = "Unlocking your key file\u2026"
STEP_PROVING = "Checking your passphrase\u2026"

# progress(step, done, total): ``step`` is fixed, safe text; total 0 means "no measure".
Progress = Callable[[str, int, int], None]


def no_progress(_step: str, _done: int, _total: int) -> None:
    """A progress callable that shows nothing."""


class Cancelled(Exception):
    """Raised by a progress callable to stop an opening the reader cancelled."""


@dataclass(frozen=True)
class ViewRequest:
    """What ``readingroom view`` was asked to open, and with what."""

    path: Path
    passphrase: PassphraseSource = field(default_factory=PassphraseSource)
    identity_file: Path | None = None
    key_passphrase: PassphraseSource = field(default_factory=PassphraseSource)


class SessionOpener:
    """Opens one review file for one session; see the module's steps."""

    def __init__(
        self,
        request: ViewRequest,
        config: WorkstationConfig,
        *,
        clock: Callable[[], datetime] = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """Prepare; nothing is read until :meth:`prepare` (``monotonic``: page time's clock)."""
        self._request = request
        self._config = config
        self._clock = clock
        self._monotonic = monotonic
        self._audit: AuditWriter | None = None
        self._capture: CaptureStatus | None = None
        self._context: SessionContext | None = None
        self._trust: TrustStore | None = None
        self._data = b""
        self._workstation: list[X25519Identity] = []
        self._factor: ReaderFactor | None = None
        self._opened: OpenedReview | None = None
        self.public_entry: ReviewEntry | None = None

    @property
    def audit(self) -> AuditWriter | None:
        """The open audit log, once :meth:`prepare` has opened it."""
        return self._audit

    @property
    def factor(self) -> ReaderFactor:
        """The reader's factor (after :meth:`prepare`)."""
        assert self._factor is not None, "prepare() first"
        return self._factor

    @property
    def has_workstation_key(self) -> bool:
        """True when this workstation has a key of its own."""
        return bool(self._workstation)

    def prepare(
        self, progress: Progress = no_progress, *, capture: CaptureStatus | None = None
    ) -> bytearray | None:
        """Open the audit log, trust store, file and keys; return the secret given, if any.

        ``capture`` is the screen-capture state probed by the viewer: with
        ``require_capture_exclusion`` set, anything but "enforced" refuses here, before the file
        is read (recorded as ``unlock_failed``), and it is written in ``session_started``.

        Returns:
            The secret given without a prompt (an empty buffer when none is needed), or None
            when the reader must be asked.

        Raises:
            AuditUnavailable, AuditTampered: no document may be shown.
            CaptureNotEnforced: the workstation requires capture exclusion it does not have.
            InputFileError, UsageError, ConfigurationError: the file, a key or a secret source
                cannot be used.
            UnprotectedReaderKey: see :class:`ReaderFactor`.
        """
        progress(STEP_AUDIT, 0, 0)
        self._audit = open_audit_writer(self._config)
        self._context = self._audit.new_session(reader=None)
        self._capture = capture
        if capture is not None:
            refuse_unless_enforced(capture, self._config, audit=self._audit, session=self._context)
        self._trust = TrustStore.load(self._config.trust_store)
        progress(STEP_READING, 0, 0)
        self._data = read_input_file(self._request.path, what="review file", limit=MAX_REVIEW_FILE)
        # What the unlock dialog says is being opened: the public header only, nothing decrypted.
        self.public_entry = review_entry(self._request.path, self._data, self._trust, self._clock())
        self._workstation = list(load_workstation_identities(self._config))
        self._factor = ReaderFactor.choose(self._request.identity_file, self._config)
        return self._factor.given_secret(self._request.passphrase, self._request.key_passphrase)

    def attempt(self, secret: bytearray, progress: Progress = no_progress) -> OpenedReview:
        """Try to open the file with ``secret``; a failed attempt is recorded, then raised.

        Raises:
            CannotUnlock, DamagedFile, PolicyRefused: recorded as ``unlock_failed``.
            AuditUnavailable: that record could not be written (fail closed).
            Cancelled: ``progress`` raised it; nothing is recorded, nothing is kept.
            InputFileError, UsageError: a key file cannot be used (not an attempt).
        """
        assert self._audit is not None and self._context is not None and self._trust is not None
        try:
            if self._factor is not None and self._factor.identity_file is not None:
                progress(STEP_KEY_FILE, 0, 0)
            keys = self.factor.unlock_keys(secret, self._workstation)
            opened = open_review(
                self._data, keys, config=self._config, trust=self._trust, now=self._clock(),
                clock_rolled_back=self._audit.clock_rolled_back, progress=progress,
            )  # fmt: skip
            self._refuse_if_revoked(opened)
        except (CannotUnlock, DamagedFile, PolicyRefused) as error:
            record_unlock_failed(
                self._audit, error, session=self._context, file=self._request.path.name
            )
            raise
        finally:
            wipe(secret)
        try:
            progress(STEP_READING, 1, 1)  # the last chance to cancel before a session starts
        except Cancelled:
            wipe(opened.pdf)
            raise
        self._opened = opened
        return opened

    def _refuse_if_revoked(self, opened: OpenedReview) -> None:
        # The document id and reader are in the encrypted manifest, so this runs after
        # decryption, before anything is shown; the plaintext is zeroed on refusal. Lists that
        # were not used (older than one already seen, untrusted, damaged) are recorded.
        assert self._audit is not None and self._trust is not None
        revocations = load_workstation_revocations(self._config, self._trust)
        for name, why in revocations.ignored:
            self._audit.append("revocation_list_ignored", session=self._context, file=name, why=why)
        try:
            _check_not_revoked(revocations, opened)
        except Revoked:
            wipe(opened.pdf)
            raise

    def is_revoked_now(self) -> bool:
        """Read the revocation lists again: has the open file been withdrawn since it opened?"""
        if self._opened is None or self._trust is None:
            return False
        try:
            _check_not_revoked(
                load_workstation_revocations(self._config, self._trust), self._opened
            )
        except Revoked:
            return True
        return False

    def start_session(self, opened: OpenedReview) -> ReadingSession:
        """Write ``session_started`` durably and return the started session.

        Raises:
            AuditUnavailable: nothing may be shown.
        """
        assert self._audit is not None and self._context is not None
        session = ReadingSession(
            opened,
            self._audit,
            self._config,
            context=self._context,
            clock=self._clock,
            monotonic=self._monotonic,
        )
        session.start(capture=self._capture)
        return session

    def watermark(self, opened: OpenedReview, session: ReadingSession) -> WatermarkSpec:
        """The watermark of this session: reader, workstation, session code, time.

        Raises:
            ReadingRoomError: the file's watermark template is unusable.
        """
        manifest = opened.manifest
        policy = manifest.policy
        return build_watermark(
            policy.watermark_template,
            reader_name=policy.reader.name,
            reader_id=policy.reader.id,
            organisation=policy.reader.organisation,
            workstation=self._config.workstation_name,
            session_code=session.session_code,
            classification=manifest.classification,
            when=self._clock(),
        )

    def prove_factor_again(self, secret: bytearray, progress: Progress = no_progress) -> None:
        """Check the reader's factor after an idle lock, decrypting no document.

        Raises:
            FactorNotRenewable: the session was opened with an unprotected key file: whatever
                was typed, it cannot resume.
            CannotUnlock, DamagedFile, WorkstationRefused: as :meth:`attempt` (the caller
                records the failure in the session).
        """
        try:
            if not self.factor.renewable:
                raise FactorNotRenewable(reason="unprotected key file cannot be proved again")
            progress(STEP_PROVING, 0, 0)
            verify_reader(self._data, self.factor.unlock_keys(secret, self._workstation))
        finally:
            wipe(secret)

    def close(self) -> None:
        """Zero the plaintext, drop the file, close the audit log (a failed final checkpoint
        leaves an uncovered tail that ``audit verify`` reports)."""
        if self._opened is not None:
            wipe(self._opened.pdf)
        self._data = b""
        if self._audit is not None:
            with contextlib.suppress(AuditUnavailable):
                self._audit.close()


def _check_not_revoked(revocations: LoadedRevocations, opened: OpenedReview) -> None:
    revocations.check(
        opened.publisher_fingerprint,
        opened.manifest.document_id,
        opened.signature_hash,
        opened.manifest.policy.reader.id,
    )
