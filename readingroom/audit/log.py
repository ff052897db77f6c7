"""``AuditLog``: the one writer of a workstation's audit log.

``open`` takes the writer's lock, verifies the whole chain, cuts off a single torn final record,
notices a clock set back, and closes sessions a crash left open. ``append`` returns the record's
seq only after it is on stable storage, and writes signed checkpoints every N records, every T
minutes and at session end. Any write failure raises ``AuditUnavailable`` and the log stays
failed: callers end the session rather than carry on unaudited.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from readingroom.audit import events
from readingroom.audit.checkpoints import Checkpoint, sign_checkpoint
from readingroom.audit.records import (
    GENESIS,
    build_record,
    encode_line,
    format_time,
    normalise_details,
    parse_body,
    parse_time,
)
from readingroom.audit.session import SessionContext
from readingroom.audit.signing import audit_key_path, load_or_create_audit_key, public_key_bytes
from readingroom.audit.state import WorkstationState, check_log_against_state, load_state
from readingroom.audit.storage import (
    DEFAULT_SEGMENT_BYTES,
    SegmentWriter,
    WriterLock,
    cut_torn_tail,
)
from readingroom.audit.verify import ScanResult, scan_log
from readingroom.config import WorkstationConfig, load_config
from readingroom.errors import AuditTampered, AuditUnavailable

Clock = Callable[[], datetime]
LOG_FORMAT = 1
# NTP steps and a laptop's drift are smaller than this; a deliberate rollback is larger.
CLOCK_TOLERANCE = timedelta(minutes=2)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class AuditLog:
    """An open, locked audit log. Build it with :meth:`open`."""

    def __init__(
        self,
        directory: Path,
        *,
        lock: WriterLock,
        key: Ed25519PrivateKey,
        state: WorkstationState,
        config: WorkstationConfig,
        clock: Clock,
        max_segment_bytes: int,
    ) -> None:
        """Use :meth:`open`; this only wires the parts together."""
        self.directory = directory
        self.workstation = config.workstation_name
        self.clock_rolled_back = False
        self.log_id = ""
        self.last_checkpoint: Checkpoint | None = None
        self._lock: WriterLock | None = lock
        self._key = key
        self._state = state
        self._clock = clock
        self._writer = SegmentWriter(directory, max_bytes=max_segment_bytes)
        self._checkpoint_every = config.checkpoint_every_records
        self._checkpoint_interval = timedelta(minutes=config.checkpoint_every_minutes)
        self._head = GENESIS
        self._next_seq = 0
        self._max_time = ""
        self._max_time_checked = False
        self._since_checkpoint = 0
        self._checkpoint_at = time.monotonic()
        self._open_sessions: dict[str, SessionContext] = {}

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        directory: Path | None = None,
        *,
        config: WorkstationConfig | None = None,
        clock: Clock | None = None,
        max_segment_bytes: int = DEFAULT_SEGMENT_BYTES,
    ) -> AuditLog:
        """Open (creating if new) the audit log for writing.

        Args:
            directory: the log folder; ``load_config().audit_dir`` by default.
            config: the workstation configuration (loaded when omitted).
            clock: the wall clock (tests inject one); UTC ``datetime.now`` by default.
            max_segment_bytes: rotate to a new segment file beyond this size.

        Raises:
            AuditUnavailable: the folder, lock, key or a write fails, or another writer has it.
            AuditTampered: the log does not verify; documents must not open until
                ``readingroom audit acknowledge``.
        """
        config = config or load_config()
        directory = directory or config.audit_dir
        lock = _lock_directory(directory)
        try:
            state = load_state(config.home)
            key_existed = audit_key_path(config.home).exists()
            log = cls(
                directory,
                lock=lock,
                key=_load_key(config),
                state=state,
                config=config,
                clock=clock or _utc_now,
                max_segment_bytes=max_segment_bytes,
            )
            scan = scan_log(directory, visit=log._track, allow_torn_tail=True)
            log._resume(scan, key_existed=key_existed)
        except BaseException:
            lock.release()
            raise
        return log

    def _track(self, seq: int, body: bytes) -> None:
        # Follow sessions while open() verifies, to close those a crash left open.
        if b'"event":"session_' not in body:
            return
        record = parse_body(body) or {}
        session_id = record.get("session")
        if not isinstance(session_id, str):
            return
        if record.get("event") == events.SESSION_STARTED:
            self._open_sessions[session_id] = _context_of(record)
        elif record.get("event") == events.SESSION_ENDED:
            self._open_sessions.pop(session_id, None)

    def _resume(self, scan: ScanResult, *, key_existed: bool) -> None:
        if scan.problem is not None:
            raise AuditTampered(
                "The audit log on this workstation does not verify "
                f"({scan.problem.describe()}). Documents cannot be opened until an "
                "administrator has checked it and run 'readingroom audit acknowledge'.",
                reason=scan.problem.kind,
            )
        public_key = public_key_bytes(self._key).hex()
        if scan.public_key is not None and scan.public_key != public_key:
            raise AuditTampered(
                "The audit log was not started with this workstation's audit key. Documents "
                "cannot be opened until an administrator has run 'readingroom audit acknowledge'.",
                reason="key mismatch",
            )
        check_log_against_state(self._state, self.directory, scan, key_existed=key_existed)
        entry = self._state.get(self.directory)
        # The high-water mark outlives an acknowledged (reset) log: a clock set back before it
        # is still a rollback, so an expired file does not open again.
        high_water = max(scan.max_time, entry.high_water if entry else "")
        self._head, self._next_seq, self._max_time = scan.head, scan.records, high_water
        self.last_checkpoint = scan.last_checkpoint
        self.log_id = scan.log_id or secrets.token_hex(16)
        try:
            if scan.torn is not None:
                cut_torn_tail(scan.torn.path, scan.torn.keep)
            self._writer.open_last()
        except OSError as exc:
            raise AuditUnavailable() from exc
        if self._next_seq == 0:
            self._write(
                events.LOG_CREATED,
                {"format": LOG_FORMAT, "log_id": self.log_id, "public_key": public_key},
                None,
            )
            self._save_state()
        if scan.torn is not None:
            fragment = scan.torn.fragment
            self._write(
                events.RECOVERED_TORN_TAIL,
                {
                    "file": scan.torn.path.name,
                    "bytes": len(fragment),
                    "sha256": hashlib.sha256(fragment).hexdigest(),
                },
                None,
            )
        self._check_clock(self._clock())
        for context in list(self._open_sessions.values()):
            self.append(events.SESSION_ENDED, session=context, reason="crash recovery")

    # -- writing ---------------------------------------------------------------------------

    def new_session(
        self,
        *,
        reader: str | None,
        document: str | None = None,
        signature_hash: str | None = None,
    ) -> SessionContext:
        """A new session context for this workstation (nothing is written yet)."""
        return SessionContext.create(
            workstation=self.workstation,
            reader=reader,
            document=document,
            signature_hash=signature_hash,
        )

    def append(self, event: str, *, session: SessionContext | None = None, **details: Any) -> int:
        """Append one event and return its seq once it is durable.

        Args:
            event: one of the names in :mod:`readingroom.audit.events`.
            session: the session the event belongs to (stamps its fields on the record).
            details: the event's details (scalars or lists of scalars; floats become
                ``<key>_milli`` integers).

        Raises:
            AuditUnavailable: the record could not be written durably. The log stays failed.
            ValueError: an unknown event or a bad detail (a bug in the caller).
        """
        if event == events.SESSION_STARTED and session is not None:
            details = {**details, "code": session.code}
        events.check_event(event, details)
        now = self._clock()
        self._check_clock(now)
        fields = session.fields() if session else None
        seq = self._write(event, normalise_details(details), fields, now)
        if session is not None and event == events.SESSION_STARTED:
            self._open_sessions[session.session_id] = session
        ended = session is not None and event == events.SESSION_ENDED
        if ended and session is not None:
            self._open_sessions.pop(session.session_id, None)
        if ended or self._checkpoint_due():
            self.checkpoint()
        return seq

    def checkpoint(self) -> Checkpoint:
        """Sign the current head and append it as a ``checkpoint`` record.

        Raises:
            AuditUnavailable: the checkpoint could not be written durably.
        """
        stamp = format_time(self._clock())
        checkpoint = sign_checkpoint(
            self._key, log_id=self.log_id, seq=self._next_seq - 1, head=self._head, time=stamp
        )
        self._write(events.CHECKPOINT, checkpoint.details(), None)
        self._save_state()
        self.last_checkpoint = checkpoint
        self._since_checkpoint = 0
        self._checkpoint_at = time.monotonic()
        return checkpoint

    def notice_clock(self) -> None:
        """Check the wall clock against the high-water mark now (the service does at hello).

        Raises:
            AuditUnavailable: a ``clock_rollback`` record could not be written.
        """
        self._check_clock(self._clock())

    def checkpoint_if_due(self) -> None:
        """Checkpoint if T minutes passed with records uncovered (call it on a timer)."""
        if self._since_checkpoint and self._checkpoint_due():
            self.checkpoint()

    def close(self) -> None:
        """Checkpoint what is not yet covered, close the files and release the lock."""
        try:
            if self._since_checkpoint and not self._writer.broken:
                self.checkpoint()
            elif not self._writer.broken:
                self._save_state()
        finally:
            self._writer.close()
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def _save_state(self) -> None:
        self._state.advance(
            self.directory, log_id=self.log_id, records=self._next_seq, high_water=self._max_time
        )

    def _checkpoint_due(self) -> bool:
        elapsed = timedelta(seconds=time.monotonic() - self._checkpoint_at)
        return self._since_checkpoint >= self._checkpoint_every or (
            self._since_checkpoint > 0 and elapsed >= self._checkpoint_interval
        )

    def _check_clock(self, now: datetime) -> None:
        # Compare with the latest time ever recorded, not the last record's: otherwise a second
        # session after a rollback would see no jump and an expired file would open again.
        if not self._max_time or self.clock_rolled_back:
            return
        if not self._max_time_checked:
            try:
                parse_time(self._max_time)
            except ValueError as exc:
                # The chain verified, so something other than this writer wrote a record with a
                # time it would never write: that is tampering, not a reason to crash.
                raise AuditTampered(reason="malformed record time") from exc
            self._max_time_checked = True
        # Record times are fixed-width UTC text, so they compare as strings (this runs on every
        # append; parsing the time each time cost a quarter of an append's CPU).
        if format_time(now + CLOCK_TOLERANCE) < self._max_time:
            self.clock_rolled_back = True
            self._write(
                events.CLOCK_ROLLBACK,
                {"latest_recorded": self._max_time, "clock_now": format_time(now)},
                None,
                now,
            )

    def _write(
        self,
        event: str,
        details: dict[str, Any],
        fields: dict[str, str | None] | None,
        now: datetime | None = None,
    ) -> int:
        if self._lock is None:
            raise AuditUnavailable("The audit log has been closed.")
        stamp = format_time(now or self._clock())
        seq = self._next_seq
        record = build_record(
            seq=seq,
            time=stamp,
            mono_ms=time.monotonic_ns() // 1_000_000,
            event=event,
            details=details,
            fields=fields or {"workstation": self.workstation},
        )
        line, digest = encode_line(self._head, record)
        try:
            self._writer.append(line)
        except OSError as exc:
            raise AuditUnavailable(
                f"The audit log in {self.directory} could not be written "
                f"({exc.strerror or 'write failed'}), so the document has been closed.",
                reason="audit failure",
            ) from exc
        self._head, self._next_seq = digest, seq + 1
        self._max_time = max(self._max_time, stamp)
        if event != events.CHECKPOINT:
            self._since_checkpoint += 1
        return seq


def _lock_directory(directory: Path) -> WriterLock:
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise AuditUnavailable(
            f"The audit log folder {directory} cannot be created "
            f"({exc.strerror or 'error'}), so no document can be shown."
        ) from exc
    return WriterLock(directory)


def _load_key(config: WorkstationConfig) -> Ed25519PrivateKey:
    return load_or_create_audit_key(config.home)


def _context_of(record: dict[str, Any]) -> SessionContext:
    # Only strings are carried over into the crash-recovery record: the record verified, but
    # a verified record is not necessarily one this writer wrote.
    details = record.get("details")
    details = details if isinstance(details, dict) else {}

    def text(value: object) -> str | None:
        return value if isinstance(value, str) else None

    return SessionContext(
        session_id=str(record.get("session")),
        code=str(details.get("code", "")),
        reader=text(record.get("reader")),
        workstation=str(record.get("workstation", "")),
        document=text(record.get("document")),
        signature_hash=text(record.get("signature_hash")),
    )
