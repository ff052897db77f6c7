"""The reader and the reading policy that a review file carries.

The policy lives inside the publisher's signature and inside the encryption, so a reader can
neither read nor change it. Copy, print and export are never permitted: they are not policy
options, and nothing here could turn them on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from readingroom.errors import DamagedFile, Expired, NotYetValid, UsageError

DEFAULT_IDLE_LOCK_MINUTES = 10
DEFAULT_MAX_SESSION_MINUTES = 240
DEFAULT_WATERMARK_TEMPLATE = (
    "{reader_name} · {reader_id}\n{workstation} · {date} {time}\nSession {session_code}"
)
MAX_TEXT_FIELD = 200
# What the reader may write beside the document (issue 15, readingroom.notes): nothing, or
# notes sealed to the custodians named at sealing. A value this version does not know is refused.
NOTES_NONE = "none"
NOTES_SEALED = "sealed"
NOTES_MODES = (NOTES_NONE, NOTES_SEALED)

# "Name <id>" or "Name <id>, Organisation": the organisation after the comma is optional.
_READER_SPEC = re.compile(
    r"^\s*(?P<name>[^<>]+?)\s*<(?P<id>[^<>]+)>\s*(?:,\s*(?P<org>[^<>]*?))?\s*$"
)


@dataclass(frozen=True)
class ReaderIdentity:
    """The one person a review file is sealed for."""

    name: str
    id: str
    organisation: str = ""

    @classmethod
    def parse(cls, spec: str, organisation: str = "") -> ReaderIdentity:
        """Parse ``"Name <id>"`` or ``"Name <id>, Organisation"`` as given to ``seal --reader``.

        ``organisation`` is the default (``--org``) for a spec that does not name its own.

        Raises:
            UsageError: the text is not of that form.
        """
        match = _READER_SPEC.match(spec)
        if not match:
            raise UsageError(
                f'The reader "{spec}" must be written as "Full Name <identifier>" or '
                '"Full Name <identifier>, Organisation", for example '
                '"Alex Morgan <alex.morgan@example.gov.uk>, Ofsted".'
            )
        own = (match["org"] or "").strip()
        reader = cls(match["name"].strip(), match["id"].strip(), own or organisation.strip())
        reader.check()
        return reader

    def check(self) -> None:
        """Refuse empty or over-long fields (they end up in the watermark)."""
        for label, value in (("name", self.name), ("identifier", self.id)):
            if not value or len(value) > MAX_TEXT_FIELD:
                raise UsageError(f"The reader's {label} must be 1 to {MAX_TEXT_FIELD} characters.")
        if len(self.organisation) > MAX_TEXT_FIELD:
            raise UsageError(f"The organisation must be at most {MAX_TEXT_FIELD} characters.")

    def display(self) -> str:
        """``Name (id, organisation)`` for notices and reports."""
        extra = ", ".join(part for part in (self.id, self.organisation) if part)
        return f"{self.name} ({extra})"


@dataclass(frozen=True)
class Policy:
    """What the publisher allows: who, when, for how long, where, and the watermark."""

    reader: ReaderIdentity
    not_before: datetime | None = None
    not_after: datetime | None = None
    idle_lock_minutes: int = DEFAULT_IDLE_LOCK_MINUTES
    max_session_minutes: int = DEFAULT_MAX_SESSION_MINUTES
    watermark_template: str = DEFAULT_WATERMARK_TEMPLATE
    # The age recipients (age1...) of the workstations that may open the file; empty = any.
    workstations: tuple[str, ...] = field(default_factory=tuple)
    # "none" or "sealed"; with "sealed", the custodians' age recipients the notes are sealed to.
    notes: str = NOTES_NONE
    notes_recipients: tuple[str, ...] = field(default_factory=tuple)

    def is_expired(self, now: datetime) -> bool:
        """True once ``now`` is past ``not_after``."""
        return self.not_after is not None and now >= self.not_after

    def check_time(self, now: datetime) -> None:
        """Refuse a file outside its reading period.

        Raises:
            Expired: past ``not_after``.
            NotYetValid: before ``not_before``.
        """
        if self.is_expired(now):
            raise Expired(reason="expired")
        if self.not_before is not None and now < self.not_before:
            raise NotYetValid(reason="not yet valid")

    def to_dict(self) -> dict[str, Any]:
        """The JSON form stored in the manifest."""
        return {
            "reader": {
                "name": self.reader.name,
                "id": self.reader.id,
                "organisation": self.reader.organisation,
            },
            "not_before": _format_time(self.not_before),
            "not_after": _format_time(self.not_after),
            "idle_lock_minutes": self.idle_lock_minutes,
            "max_session_minutes": self.max_session_minutes,
            "watermark_template": self.watermark_template,
            "workstations": list(self.workstations),
        } | _notes_dict(self)

    @classmethod
    def from_dict(cls, data: Any) -> Policy:
        """Rebuild a policy from a decrypted manifest.

        The manifest is authenticated before this runs, so a malformed one means a publisher
        bug or a forged key: either way the file is refused as damaged.

        Raises:
            DamagedFile: a field is missing or of the wrong type.
        """
        try:
            reader = data["reader"]
            policy = cls(
                reader=ReaderIdentity(
                    _text(reader["name"]), _text(reader["id"]), _text(reader["organisation"])
                ),
                not_before=_parse_time(data["not_before"]),
                not_after=_parse_time(data["not_after"]),
                idle_lock_minutes=_minutes(data["idle_lock_minutes"]),
                max_session_minutes=_minutes(data["max_session_minutes"]),
                watermark_template=_text(data["watermark_template"]),
                workstations=tuple(_text(item) for item in data["workstations"]),
                **_notes_fields(data),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DamagedFile(reason="malformed policy") from exc
        return policy


def parse_date_argument(text: str, *, end_of_day: bool) -> datetime:
    """Parse ``YYYY-MM-DD`` (or a full ISO time) from the command line as a UTC time.

    A bare date given as ``--not-after`` means "until the end of that day" (UTC).

    Raises:
        UsageError: not a date.
    """
    try:
        if len(text) == 10:
            day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
            return day.replace(hour=23, minute=59, second=59) if end_of_day else day
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f'"{text}" is not a date (use YYYY-MM-DD).') from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _notes_dict(policy: Policy) -> dict[str, Any]:
    # Absent when notes are off, so a file without notes has the same manifest as before.
    if policy.notes == NOTES_NONE:
        return {}
    return {"notes": policy.notes, "notes_to": list(policy.notes_recipients)}


def _notes_fields(data: Any) -> dict[str, Any]:
    notes = _text(data.get("notes", NOTES_NONE))
    recipients = tuple(_text(item) for item in data.get("notes_to", []))
    if notes not in NOTES_MODES or (notes == NOTES_SEALED) != bool(recipients):
        raise ValueError("notes policy")
    return {"notes": notes, "notes_recipients": recipients}


def _format_time(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat(timespec="seconds")


def _parse_time(value: Any) -> datetime | None:
    if value is None:
        return None
    parsed = datetime.fromisoformat(_text(value))
    if parsed.tzinfo is None:
        raise ValueError("times in a manifest carry a time zone")
    return parsed


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _minutes(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 24 * 60:
        raise ValueError("minutes out of range")
    return value
