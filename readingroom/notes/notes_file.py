"""The notes file (``.rrn``): an age file sealed to the custodians and to a per-file notes key.

The plaintext is::

    readingroom-notes/v1\\n
    <canonical JSON: document_id, reader_id, reader_name, workstation, created, saved,
     sessions (the session codes that saved it), text>

The age layer authenticates every byte (header MAC, STREAM chunks), so a truncated or altered
file fails to decrypt. The document and reader inside are checked against what the opener
expects, so a file from another document or reader is refused even by someone holding a key.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from readingroom.age import AgeError, Identity, X25519Recipient, decrypt, encrypt
from readingroom.errors import NotesTooLong, NotesUnreadable

NOTES_MAGIC = b"readingroom-notes/v1\n"
NOTES_SUFFIX = ".rrn"
# The reader's words, UTF-8: a cap a reader meets only by pasting (which is refused) or by
# hours of typing, and which keeps a save well under a second.
MAX_NOTES_TEXT_BYTES = 1024 * 1024
# The JSON around the text, with generous room for the session list.
MAX_NOTES_FILE_BYTES = 4 * MAX_NOTES_TEXT_BYTES
_PAGE_MARK = re.compile(r"\bp\. (\d{1,6}) \u2014")
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def notes_file_name(document_id: str, reader_id: str) -> str:
    """``<document-id>--<reader-id-hash>.rrn``: the reader appears only as a hash.

    A document id that is not a plain token (ours are UUIDs) is hashed too, so no name built
    here can leave the notes folder.
    """
    document = document_id if _SAFE_ID.match(document_id) else _short_hash(document_id)
    return f"{document}--{_short_hash(reader_id)}{NOTES_SUFFIX}"


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def pages_referenced(text: str) -> int:
    """How many distinct pages the notes cite as "p. N —" (for the audit record)."""
    return len({int(number) for number in _PAGE_MARK.findall(text)})


@dataclass(frozen=True)
class NotesContent:
    """What a notes file holds, decrypted."""

    document_id: str
    reader_id: str
    reader_name: str
    workstation: str
    created: datetime
    saved: datetime
    text: str
    sessions: tuple[str, ...] = field(default_factory=tuple)

    def to_plaintext(self) -> bytes:
        """The magic line and canonical JSON.

        Raises:
            NotesTooLong: the text is over :data:`MAX_NOTES_TEXT_BYTES`.
        """
        if len(self.text.encode("utf-8")) > MAX_NOTES_TEXT_BYTES:
            raise NotesTooLong()
        data = {
            "document_id": self.document_id,
            "reader_id": self.reader_id,
            "reader_name": self.reader_name,
            "workstation": self.workstation,
            "created": _iso(self.created),
            "saved": _iso(self.saved),
            "sessions": list(self.sessions),
            "text": self.text,
        }
        body = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return NOTES_MAGIC + body.encode("utf-8")

    @classmethod
    def from_plaintext(cls, plain: bytes | bytearray) -> NotesContent:
        """Parse decrypted notes.

        Raises:
            NotesUnreadable: not notes of this format.
        """
        if not plain.startswith(NOTES_MAGIC):
            raise NotesUnreadable(reason="notes magic")
        try:
            data: Any = json.loads(bytes(plain[len(NOTES_MAGIC) :]).decode("utf-8"))
            sessions = data["sessions"]
            if not isinstance(sessions, list):
                raise TypeError("sessions")
            return cls(
                document_id=_text(data["document_id"]),
                reader_id=_text(data["reader_id"]),
                reader_name=_text(data["reader_name"]),
                workstation=_text(data["workstation"]),
                created=_time(data["created"]),
                saved=_time(data["saved"]),
                text=_text(data["text"]),
                sessions=tuple(_text(code) for code in sessions),
            )
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise NotesUnreadable(reason="notes content") from exc


def seal_notes(content: NotesContent, recipients: Sequence[X25519Recipient]) -> bytes:
    """Encrypt ``content`` to the notes key's recipient and the custodians'.

    Raises:
        NotesTooLong: the text is over the cap.
    """
    plain = bytearray(content.to_plaintext())
    try:
        return encrypt(plain, list(recipients))
    finally:
        plain[:] = bytes(len(plain))


def open_notes(
    data: bytes,
    identities: Sequence[Identity],
    *,
    document_id: str | None = None,
    reader_id: str | None = None,
) -> NotesContent:
    """Decrypt and parse a notes file; check its document and reader when they are given.

    Raises:
        NotesUnreadable: not for these keys, truncated, altered, too large, not notes, or
            another document's or reader's notes (``reason`` says which, for the audit log).
    """
    if len(data) > MAX_NOTES_FILE_BYTES:
        raise NotesUnreadable(reason="too large")
    try:
        plain = decrypt(data, list(identities))
    except AgeError as exc:
        raise NotesUnreadable(reason=f"not readable: {exc.reason}") from exc
    try:
        content = NotesContent.from_plaintext(plain)
    finally:
        plain[:] = bytes(len(plain))
    if document_id is not None and content.document_id != document_id:
        raise NotesUnreadable(reason="another document")
    if reader_id is not None and content.reader_id != reader_id:
        raise NotesUnreadable(reason="another reader")
    return content


def sha256_hex(data: bytes) -> str:
    """The hex SHA-256 of a notes file, as ``notes_saved`` records it."""
    return hashlib.sha256(data).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _time(value: Any) -> datetime:
    parsed = datetime.fromisoformat(_text(value))
    if parsed.tzinfo is None:
        raise ValueError("notes times carry a time zone")
    return parsed


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value
