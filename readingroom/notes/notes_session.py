"""The viewer's notes use case: open, autosave, refuse, and the audit records of each.

Qt-free: the notes panel calls it and shows what it says. ``record(event, **details)`` is the
session's audit recorder; it returns False when the audit log failed (the window then fails
closed). Records carry hashes, sizes and counts, never the text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from readingroom.age import AgeError, X25519Identity
from readingroom.audit import events
from readingroom.config import NOTES_DIR_NAME, WorkstationConfig
from readingroom.errors import NotesNotSaved, NotesTooLong, NotesUnreadable
from readingroom.manifest import Manifest
from readingroom.notes.notes_file import pages_referenced
from readingroom.notes.notes_store import (
    LoadState,
    NotesOwner,
    NotesStore,
    custodian_recipients,
)
from readingroom.policy import NOTES_SEALED

NOT_ALLOWED_TEXT = "Notes are not allowed for this review."
WORKSTATION_OFF_TEXT = "Notes are turned off on this workstation."
SAVED_TEXT = "Notes saved, sealed for the custodian."
BLOCKED_TEXT = {
    "paste": "Pasting into your notes is not allowed. The attempt was recorded.",
    "copy": "Copying out of your notes is not allowed. The attempt was recorded.",
    "cut": "Cutting out of your notes is not allowed. The attempt was recorded.",
    "drag": "Dragging out of your notes is not allowed. The attempt was recorded.",
    "context menu": "There is no context menu in your notes. The attempt was recorded.",
}

Recorder = Callable[..., bool]


class NotesSession:
    """One reading session's notes: available or refused, and read-only after a failed save."""

    def __init__(
        self,
        store: NotesStore | None,
        record: Recorder,
        session_code: str,
        *,
        refusal: str | None = None,
    ) -> None:
        """Use :meth:`for_review`; this wires the parts (``store`` is None when refused)."""
        self._store = store
        self._record = record
        self._session_code = session_code
        self.refusal = refusal if store is None else None
        self.read_only = store is None
        self.message: str | None = self.refusal
        self._saved_text: str | None = None

    @classmethod
    def for_review(
        cls,
        manifest: Manifest,
        config: WorkstationConfig,
        record: Recorder,
        session_code: str,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> NotesSession:
        """The notes this review file's policy and this workstation allow."""
        policy = manifest.policy
        if policy.notes != NOTES_SEALED or manifest.notes_key is None:
            return cls(None, record, session_code, refusal=NOT_ALLOWED_TEXT)
        if not config.allow_notes:
            return cls(None, record, session_code, refusal=WORKSTATION_OFF_TEXT)
        try:
            owner = NotesOwner(
                document_id=manifest.document_id,
                reader_id=policy.reader.id,
                reader_name=policy.reader.name,
                workstation=config.workstation_name,
                notes_key=X25519Identity.from_string(manifest.notes_key),
                custodians=custodian_recipients(policy.notes_recipients),
            )
        except AgeError:
            # The manifest is signed, so this is a publisher's bug: no notes, not a crash.
            return cls(None, record, session_code, refusal=NOT_ALLOWED_TEXT)
        folder = config.notes_dir or config.home / NOTES_DIR_NAME
        return cls(NotesStore(folder, owner, clock=clock), record, session_code)

    @property
    def available(self) -> bool:
        """True when this session may show and keep notes."""
        return self._store is not None

    def open(self) -> str:
        """Load (or start) the notes, record ``notes_opened`` and return the text to show."""
        if self._store is None:
            return ""
        try:
            loaded = self._store.load()
        except NotesNotSaved as error:
            self._go_read_only(str(error))
            return ""
        details: dict[str, object] = {
            "state": loaded.state.value,
            "file": self._store.path.name,
            "sha256": loaded.sha256,
            "size": loaded.size,
        }
        if loaded.state is LoadState.SET_ASIDE:
            self.message = str(NotesUnreadable())
            details |= {"kept_as": loaded.kept_as.name if loaded.kept_as else None}
            details |= {"reason": loaded.reason}
        if not self._record(events.NOTES_OPENED, **details):
            self._go_read_only(None)
            return ""
        self._saved_text = loaded.text
        return loaded.text

    def save(self, text: str) -> bool:
        """Save ``text`` if it changed; False when it was not saved (see :attr:`message`)."""
        if self._store is None or self.read_only:
            return False
        if text == self._saved_text:
            return True
        try:
            saved = self._store.save(text, self._session_code)
        except NotesTooLong as error:
            self.message = str(error)
            return False
        except NotesNotSaved as error:
            self._go_read_only(str(error))
            return False
        self._saved_text = text
        ok = self._record(
            events.NOTES_SAVED,
            file=saved.file,
            sha256=saved.sha256,
            size=saved.size,
            pages_referenced=pages_referenced(text),
        )
        if not ok:
            self._go_read_only(None)
            return False
        self.message = SAVED_TEXT
        return True

    def blocked(self, action: str) -> str:
        """Record a refused paste, copy, cut, drag or context menu; the sentence to show."""
        self._record(events.NOTES_BLOCKED, action=action)
        return BLOCKED_TEXT[action]

    def _go_read_only(self, message: str | None) -> None:
        self.read_only = True
        if message is not None:
            self.message = message
