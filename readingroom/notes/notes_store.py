"""One reader's notes on one document, kept on this workstation.

Loading continues the notes of earlier sessions when the file decrypts with this review file's
notes key and belongs to this document and reader. Anything else (truncated, altered, another
document's or reader's, unreadable) is *set aside*, never overwritten: it is renamed to
``<name>.kept-<UTC time>.rrn`` beside it, for the custodian, and the reader starts afresh.

Every save writes the whole file atomically (``fileio.write_atomically``): a full disk leaves the
last saved version in place and no partial file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from readingroom.age import X25519Identity, X25519Recipient
from readingroom.errors import InputFileError, NotesNotSaved, NotesUnreadable
from readingroom.fileio import read_input_file, write_atomically
from readingroom.notes.notes_file import (
    MAX_NOTES_FILE_BYTES,
    NOTES_SUFFIX,
    NotesContent,
    notes_file_name,
    open_notes,
    seal_notes,
    sha256_hex,
)


class LoadState(StrEnum):
    """How the notes were found at the start of a session (``notes_opened.state``)."""

    NEW = "new"
    CONTINUED = "continued"
    SET_ASIDE = "set aside"


@dataclass(frozen=True)
class Loaded:
    """The notes a session starts with."""

    state: LoadState
    text: str
    # The earlier file's SHA-256 and size (continued or set aside), for notes_opened.
    sha256: str | None = None
    size: int | None = None
    kept_as: Path | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Saved:
    """One save: what ``notes_saved`` records (never the text)."""

    file: str
    sha256: str
    size: int


@dataclass(frozen=True)
class NotesOwner:
    """Whose notes on what, and who may read them."""

    document_id: str
    reader_id: str
    reader_name: str
    workstation: str
    notes_key: X25519Identity
    custodians: tuple[X25519Recipient, ...]

    def recipients(self) -> list[X25519Recipient]:
        """The notes key's recipient (the room) and every custodian."""
        return [self.notes_key.recipient(), *self.custodians]


class NotesStore:
    """Load-or-start and save one notes file under the workstation's notes folder."""

    def __init__(
        self,
        folder: Path,
        owner: NotesOwner,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """Keep ``owner``'s notes in ``folder`` (created, private, on first save)."""
        self._folder = folder
        self._owner = owner
        self._clock = clock
        self.path = folder / notes_file_name(owner.document_id, owner.reader_id)
        self._content: NotesContent | None = None

    def load(self) -> Loaded:
        """The notes to continue, or an empty start (with an unreadable file set aside).

        Raises:
            NotesNotSaved: an unreadable file could not be set aside (nothing was changed).
        """
        try:
            data = read_input_file(self.path, what="notes file", limit=MAX_NOTES_FILE_BYTES)
        except InputFileError:
            if not self.path.exists():
                return Loaded(LoadState.NEW, "")
            return self._set_aside(None, "unreadable file")
        try:
            content = open_notes(
                data,
                [self._owner.notes_key],
                document_id=self._owner.document_id,
                reader_id=self._owner.reader_id,
            )
        except NotesUnreadable as error:
            return self._set_aside(data, error.reason)
        self._content = content
        return Loaded(LoadState.CONTINUED, content.text, sha256_hex(data), len(data))

    def save(self, text: str, session_code: str) -> Saved:
        """Seal ``text`` and replace the notes file with it, atomically.

        Raises:
            NotesTooLong: over the cap; the file is unchanged.
            NotesNotSaved: the write failed (full disk...); the file is unchanged.
        """
        now = self._clock().replace(microsecond=0)
        owner = self._owner
        previous = self._content or NotesContent(
            owner.document_id, owner.reader_id, owner.reader_name, owner.workstation, now, now, ""
        )
        sessions = previous.sessions
        if session_code not in sessions:
            sessions = (*sessions, session_code)
        content = replace(
            previous, text=text, saved=now, sessions=sessions, workstation=owner.workstation
        )
        data = seal_notes(content, owner.recipients())
        try:
            self._folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_atomically(self.path, data, force=True, mode=0o600)
        except (InputFileError, OSError) as exc:
            raise NotesNotSaved(reason="notes write failed") from exc
        self._content = content
        return Saved(self.path.name, sha256_hex(data), len(data))

    def _set_aside(self, data: bytes | None, reason: str) -> Loaded:
        stamp = self._clock().strftime("%Y%m%dT%H%M%SZ")
        stem = self.path.name.removesuffix(NOTES_SUFFIX)
        for attempt in range(100):
            extra = f"-{attempt}" if attempt else ""
            kept = self.path.with_name(f"{stem}.kept-{stamp}{extra}{NOTES_SUFFIX}")
            try:
                # A hard link cannot replace an existing file: nothing is ever overwritten.
                os.link(self.path, kept)
            except FileExistsError:
                continue
            except OSError as exc:
                raise NotesNotSaved(reason="notes set aside failed") from exc
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)
            return Loaded(
                LoadState.SET_ASIDE,
                "",
                sha256_hex(data) if data is not None else None,
                len(data) if data is not None else None,
                kept_as=kept,
                reason=reason,
            )
        raise NotesNotSaved(reason="notes set aside failed")


def custodian_recipients(texts: Sequence[str]) -> tuple[X25519Recipient, ...]:
    """The policy's ``notes_to`` as recipients (already checked when sealed)."""
    return tuple(X25519Recipient.from_string(text) for text in texts)
