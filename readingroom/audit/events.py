"""The audit events, and the reason categories some of them carry.

A typo in an event name would produce records no report knows how to read, so ``append()``
accepts only the names listed here (see docs/audit-log.md for each event's details).
"""

from __future__ import annotations

from collections.abc import Mapping

LOG_CREATED = "log_created"
CHECKPOINT = "checkpoint"
SESSION_STARTED = "session_started"
SESSION_ENDED = "session_ended"
UNLOCK_FAILED = "unlock_failed"
PAGE_VIEWED = "page_viewed"
SEARCH = "search"
DENIED_ACTION = "denied_action"
FOCUS_LOST = "focus_lost"
FOCUS_RETURNED = "focus_returned"
IDLE_LOCKED = "idle_locked"
UNLOCKED = "unlocked"
CLOCK_ROLLBACK = "clock_rollback"
RECOVERED_TORN_TAIL = "recovered_torn_tail"
ACKNOWLEDGED = "acknowledged"
CAPTURE_CHANGED = "capture_changed"
RENDERER_UNCONFINED = "renderer_unconfined"
# A revocation list in revocation_dir was not used (older than one seen, untrusted, damaged).
REVOCATION_LIST_IGNORED = "revocation_list_ignored"
# Sealed impression notes (readingroom.notes): never the text, only hashes, sizes and counts.
NOTES_OPENED = "notes_opened"
NOTES_SAVED = "notes_saved"
NOTES_BLOCKED = "notes_blocked"
NOTES_RELEASED = "notes_released"
NOTES_EVENTS = frozenset({NOTES_OPENED, NOTES_SAVED, NOTES_BLOCKED, NOTES_RELEASED})

# Written by the log itself; callers of append() may not forge them.
INTERNAL_EVENTS = frozenset({LOG_CREATED, CHECKPOINT, RECOVERED_TORN_TAIL, CLOCK_ROLLBACK})

CALLER_EVENTS = frozenset(
    {
        SESSION_STARTED,
        SESSION_ENDED,
        UNLOCK_FAILED,
        PAGE_VIEWED,
        SEARCH,
        DENIED_ACTION,
        FOCUS_LOST,
        FOCUS_RETURNED,
        IDLE_LOCKED,
        UNLOCKED,
        ACKNOWLEDGED,
        CAPTURE_CHANGED,
        RENDERER_UNCONFINED,
        REVOCATION_LIST_IGNORED,
    }
    | NOTES_EVENTS
)

ALL_EVENTS = INTERNAL_EVENTS | CALLER_EVENTS

UNLOCK_FAILURE_REASONS = frozenset(
    {
        "wrong passphrase",
        "not for this reader",
        "not for this workstation",
        "untrusted publisher",
        "damaged file",
        "expired",
        "not yet valid",
        "clock rolled back",
        # The workstation requires screen-capture exclusion and it is not enforced here.
        "capture not enforced",
        # A revocation list of the file's publisher withdraws it (document, file or reader).
        "revoked",
    }
)

SESSION_END_REASONS = frozenset(
    {
        "closed",
        "idle",
        "max time",
        "expired",
        "audit failure",
        "crash recovery",
        "capture not enforced",
        "revoked",
    }
)

DENIED_ACTIONS = frozenset(
    {
        "copy",
        "cut",
        "select-all",
        "print",
        "save",
        "screenshot key",
        "drag",
        "context menu",
        "external link",
    }
)

# Event -> (detail key, allowed values): the categories an auditor filters on stay exact.
_CATEGORY_DETAILS: Mapping[str, tuple[str, frozenset[str]]] = {
    UNLOCK_FAILED: ("reason", UNLOCK_FAILURE_REASONS),
    SESSION_ENDED: ("reason", SESSION_END_REASONS),
    DENIED_ACTION: ("action", DENIED_ACTIONS),
    NOTES_BLOCKED: ("action", frozenset({"paste", "copy", "cut", "drag", "context menu"})),
}


def check_event(event: str, details: Mapping[str, object], *, internal: bool = False) -> None:
    """Refuse an unknown event, or a category detail outside its list.

    Raises:
        ValueError: a programming error in the caller, never a user-facing failure.
    """
    allowed = ALL_EVENTS if internal else CALLER_EVENTS
    if event not in allowed:
        raise ValueError(f"unknown audit event {event!r}")
    category = _CATEGORY_DETAILS.get(event)
    if category is not None:
        key, values = category
        if details.get(key) not in values:
            raise ValueError(f"audit event {event!r} needs {key} in {sorted(values)}")
