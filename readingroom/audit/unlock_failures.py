"""A failed unlock in the audit log: its category, and the record written before a session.

The category is one of ``events.UNLOCK_FAILURE_REASONS``; only it is recorded, never a
passphrase or anything the reader typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from readingroom.audit import events
from readingroom.errors import (
    CannotUnlock,
    ClockRolledBack,
    DamagedFile,
    Expired,
    KeyFileLocked,
    NotYetValid,
    ReadingRoomError,
    Revoked,
    UntrustedPublisher,
    WorkstationRefused,
)

if TYPE_CHECKING:
    from readingroom.audit import SessionContext
    from readingroom.audit.writer import AuditWriter

# Most specific first: KeyFileLocked is a CannotUnlock, Expired a PolicyRefused...
_UNLOCK_CATEGORIES: tuple[tuple[type[ReadingRoomError], str], ...] = (
    (KeyFileLocked, "wrong passphrase"),
    (Revoked, "revoked"),
    (WorkstationRefused, "not for this workstation"),
    (UntrustedPublisher, "untrusted publisher"),
    (ClockRolledBack, "clock rolled back"),
    (Expired, "expired"),
    (NotYetValid, "not yet valid"),
    (DamagedFile, "damaged file"),
)


def unlock_failure_reason(error: ReadingRoomError) -> str:
    """The audit category (``events.UNLOCK_FAILURE_REASONS``) for a failed unlock.

    The core's ``.reason`` is used when it already is a category; otherwise the error's class
    decides. A wrong passphrase and a file sealed for someone else cannot be told apart (that is
    the point of age), so both are recorded as "wrong passphrase".
    """
    allowed = events.UNLOCK_FAILURE_REASONS
    if error.reason in allowed:
        return error.reason
    for category in allowed:
        if error.reason.startswith(category):
            return category
    for kind, category in _UNLOCK_CATEGORIES:
        if isinstance(error, kind):
            return category
    if isinstance(error, CannotUnlock):
        return "wrong passphrase"
    return "damaged file"


def record_unlock_failed(
    audit: AuditWriter, error: ReadingRoomError, *, session: SessionContext, file: str | None = None
) -> None:
    """Record a failed unlock attempt (before the session has started).

    Args:
        audit: the open audit log.
        error: the core's error; only its category is recorded, never a passphrase.
        session: the context created for this attempt (``audit.new_session``).
        file: the review file's name, so the report can say which file failed to open.

    Raises:
        AuditUnavailable: the record could not be written.
    """
    audit.append("unlock_failed", session=session, reason=unlock_failure_reason(error), file=file)
