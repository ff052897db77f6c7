"""One reading session: what the viewer records, in order, and when it must stop.

A :class:`ReadingSession` is created after a review file has been unlocked. It owns the session
code (printed in the watermark and in every audit record of the session) and turns what happens
in the viewer into audit records: ``session_started`` (durable before the first page is drawn),
``page_viewed``, ``search``, ``denied_action``, focus and idle-lock events, and exactly one
``session_ended``. It never imports Qt: the GUI is a thin layer that calls it.

Page time is visible time (:mod:`readingroom.page_view_clock`): the GUI says which page
is current (``page_shown``) and when the window first shows it (``pages_on_screen``); the idle
lock, the away curtain and the end stop the clock, and each ``page_viewed`` is one uninterrupted
stretch of a page on screen, at least ``page_view_min_ms`` long.

Failing closed is the caller's job but this class makes it hard to forget: every ``record_*``
method raises :class:`~readingroom.errors.AuditUnavailable` when the log cannot be written, and
after that the session is over (``failed`` is true and further records are ignored).
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from readingroom.audit import events
from readingroom.audit.report_model import DEFAULT_MIN_SECONDS
from readingroom.audit.unlock_failures import unlock_failure_reason
from readingroom.capture_state import (
    CaptureStatus,
    current_os,
    refuse_unless_enforced,
    unavailable_status,
)
from readingroom.errors import (
    AuditUnavailable,
    ReadingRoomError,
)
from readingroom.page_view_clock import Cover, PageView, PageViewClock

if TYPE_CHECKING:
    from readingroom.audit import SessionContext
    from readingroom.audit.writer import AuditWriter
    from readingroom.config import WorkstationConfig
    from readingroom.review_file import OpenedReview


class DeniedAction(StrEnum):
    """Things a reader may try that the room refuses; the values are the audit vocabulary."""

    COPY = "copy"
    CUT = "cut"
    SELECT_ALL = "select-all"
    PRINT = "print"
    SAVE = "save"
    SCREENSHOT_KEY = "screenshot key"
    DRAG = "drag"
    CONTEXT_MENU = "context menu"
    EXTERNAL_LINK = "external link"


class EndReason(StrEnum):
    """Why a session ended, as recorded in ``session_ended``."""

    CLOSED = "closed"
    IDLE = "idle"
    MAX_TIME = "max time"
    EXPIRED = "expired"
    AUDIT_FAILURE = "audit failure"
    # require_capture_exclusion, and a window's capture exclusion is no longer enforced.
    CAPTURE_NOT_ENFORCED = "capture not enforced"
    # A revocation list withdrawing the file arrived during the session.
    REVOKED = "revoked"


def utc_now() -> datetime:
    """The wall clock, timezone-aware (UTC)."""
    return datetime.now(UTC)


class ReadingSession:
    """The audit-side life of one opened review file, from ``start`` to ``end``."""

    def __init__(
        self,
        opened: OpenedReview,
        audit: AuditWriter,
        config: WorkstationConfig,
        *,
        context: SessionContext,
        clock: Callable[[], datetime] = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """Prepare a session; nothing is recorded until :meth:`start`.

        Args:
            opened: the unlocked review file.
            audit: the open audit log.
            config: the workstation configuration (its name goes in the records).
            context: the session's audit context (``audit.new_session``, created before the
                unlock attempt); the reader, document and file identity are filled in here.
            clock: the wall clock, for expiry (injectable for tests).
            monotonic: a clock that never goes back, for the session's length.
        """
        self._opened = opened
        self._audit = audit
        self._config = config
        manifest = opened.manifest
        self._context = dataclasses.replace(
            context,
            reader=manifest.policy.reader.id,
            document=manifest.document_id,
            signature_hash=opened.signature_hash,
        )
        self._clock = clock
        self._monotonic = monotonic
        self._started_at: float | None = None
        self._ended = False
        self._failed = False
        self._pages_recorded = 0
        self._capture_recorded: dict[str, str] | None = None
        self._views = PageViewClock(min_seconds=config.page_view_min_ms / 1000, monotonic=monotonic)
        self._active_since = 0.0  # the start, or the last unlock: an idle period is not older

    @property
    def session_code(self) -> str:
        """The session's code, as printed in the watermark."""
        return self._context.code

    @property
    def context(self) -> SessionContext:
        """The audit context stamped on every record of this session."""
        return self._context

    @property
    def started(self) -> bool:
        """True once ``session_started`` is durable."""
        return self._started_at is not None

    @property
    def ended(self) -> bool:
        """True once the session is over, however it ended."""
        return self._ended

    @property
    def failed(self) -> bool:
        """True when the audit log failed during the session."""
        return self._failed

    @property
    def idle_lock_minutes(self) -> int:
        """The idle lock in force: the stricter of the file's policy and the workstation."""
        return self._config.effective_idle_minutes(self._opened.manifest.policy.idle_lock_minutes)

    @property
    def capture_required(self) -> bool:
        """True when the workstation refuses to show pages unless capture exclusion is enforced."""
        return self._config.require_capture_exclusion

    def start(self, capture: CaptureStatus | None = None) -> str:
        """Write ``session_started`` durably and return the session code.

        Args:
            capture: the screen-capture state in force (``capture`` in the record); None means
                the caller applied no exclusion, recorded as "unavailable".

        Raises:
            AuditUnavailable: the record could not be written; nothing may be shown.
            CaptureNotEnforced: the workstation requires capture exclusion and ``capture`` is
                not "enforced" (the refusal is recorded; no ``session_started``).
        """
        if self._started_at is not None:
            return self._context.code
        capture = capture or unavailable_status(current_os(), "")
        refuse_unless_enforced(capture, self._config, audit=self._audit, session=self._context)
        manifest = self._opened.manifest
        policy = manifest.policy
        self._capture_recorded = capture.record()
        self._append(
            "session_started",
            capture=self._capture_recorded,
            publisher=self._opened.publisher_fingerprint,
            publisher_trusted=self._opened.publisher_trusted,
            classification=manifest.classification,
            title=manifest.title,
            pages=manifest.page_count,
            publisher_name=manifest.publisher_name,
            reader_name=policy.reader.name,
            organisation=policy.reader.organisation,
            not_after=policy.not_after.isoformat() if policy.not_after else None,
        )
        self._started_at = self._active_since = self._monotonic()
        return self._context.code

    @property
    def visible_seconds(self) -> float:
        """Seconds pages were visible to the reader so far (what ``page_viewed`` records)."""
        return self._views.visible_seconds()

    def pages_seen(self, min_seconds: float = DEFAULT_MIN_SECONDS) -> tuple[int, ...]:
        """Page numbers (1-based) visible for at least ``min_seconds`` in all, as reports count."""
        return tuple(page + 1 for page in self._views.pages_seen(min_seconds))

    def pages_on_screen(self) -> None:
        """The window is on screen: the current page's time starts now."""
        self._views.uncover(Cover.NOT_SHOWN)

    def page_shown(self, page_index: int, zoom: float) -> None:
        """``page_index`` (0-based) became current; the page left is recorded if kept."""
        self._record_view(self._views.show_page(page_index, float(zoom)))

    def zoom_changed(self, zoom: float) -> None:
        """The zoom changed; the page's record carries the zoom it was left at."""
        self._views.set_zoom(float(zoom))

    def _record_view(self, view: PageView | None) -> None:
        if view is None or self._ended:
            return
        self._pages_recorded += 1
        self._append(
            "page_viewed",
            page=view.page + 1,
            zoom=view.zoom,
            seconds=view.seconds,
            ended_by=view.ended_by,
        )

    def record_search(self, query: str, hits: int | None = None) -> None:
        """Record a search the reader ran (the query is the reader's own typing).

        ``hits`` is the number of matches found, when the search has finished; the report
        shows it next to the query.
        """
        self._append("search", query=query, hits=hits)

    def record_denied(self, action: DeniedAction, *, kind: str | None = None) -> None:
        """Record a refused action; ``kind`` is a fixed word such as a link kind."""
        self._append("denied_action", action=action.value, kind=kind)

    def record_focus(self, *, lost: bool) -> None:
        """Record that the window lost (curtain down) or regained focus; page time stops."""
        if lost:
            self._record_view(self._views.cover(Cover.AWAY))
            self._append("focus_lost")
        else:
            self._append("focus_returned")
            self._views.uncover(Cover.AWAY)

    def record_idle_locked(self, idle_seconds: float | None = None) -> None:
        """Record that the idle lock covered the page after ``idle_seconds`` without input."""
        self._record_view(self._views.cover(Cover.IDLE_LOCK))
        if idle_seconds is not None:
            # The idle run-up began at the last input, never before the start or last unlock.
            idle_seconds = max(min(idle_seconds, self._monotonic() - self._active_since), 0.0)
        self._append("idle_locked", idle_seconds=idle_seconds)

    def record_unlocked(self) -> None:
        """Record that the reader unlocked the session again after an idle lock."""
        self._append("unlocked")
        self._active_since = self._monotonic()
        self._views.uncover(Cover.IDLE_LOCK)

    def record_capture(self, capture: CaptureStatus) -> None:
        """Record ``capture_changed`` when the capture state differs from the one last recorded.

        A window Qt recreated, or one that reads back less, changes what holds mid-session; the
        audit log must not keep saying what ``session_started`` said.
        """
        if not self.started or capture.record() == self._capture_recorded:
            return
        self._capture_recorded = capture.record()
        self._append("capture_changed", capture=self._capture_recorded)

    def record_unlock_failed(self, error: ReadingRoomError) -> None:
        """Record a failed attempt to unlock an idle-locked session."""
        self._append("unlock_failed", reason=unlock_failure_reason(error))

    def record_renderer_unconfined(self) -> None:
        """Record that the document is rendered by a process without its sandbox."""
        self._append("renderer_unconfined")

    def record_notes(self, event: str, **details: object) -> None:
        """Record one of the notes events (``events.NOTES_EVENTS``; never the notes' text)."""
        if event not in events.NOTES_EVENTS:
            raise ValueError(f"not a notes event: {event!r}")
        self._append(event, **details)

    def limit_reached(self) -> EndReason | None:
        """The reason the session must end now (expiry or maximum length), or None."""
        policy = self._opened.manifest.policy
        if policy.is_expired(self._clock()):
            return EndReason.EXPIRED
        limit = policy.max_session_minutes
        started = self._started_at
        if limit > 0 and started is not None and self._monotonic() - started >= limit * 60:
            return EndReason.MAX_TIME
        return None

    def end(self, reason: EndReason) -> None:
        """Record ``session_ended`` once; later calls do nothing.

        When the audit log already failed, one last attempt is made (it may succeed if the fault
        was transient) but its failure is not raised again: the caller is already failing closed.

        Raises:
            AuditUnavailable: the final record could not be written (only if the log had not
                failed before).
        """
        if self._ended or self._started_at is None:
            self._ended = True
            return
        view, last_view_failed = self._views.stop(), False
        if not self._failed:
            try:
                self._record_view(view)  # the page on screen until now
            except AuditUnavailable:
                last_view_failed, reason = True, EndReason.AUDIT_FAILURE
        self._ended = True
        details: dict[str, object] = {
            "reason": reason.value,
            "seconds": float(self._monotonic() - self._started_at),
            "pages_viewed": self._pages_recorded,
            "visible_seconds": self._views.visible_seconds(),
            "short_views_dropped": self._views.dropped,
            "page_view_min_ms": self._config.page_view_min_ms,
        }
        if self._failed:
            with contextlib.suppress(AuditUnavailable, OSError):
                self._audit.append("session_ended", session=self._context, **details)
            if last_view_failed:
                raise AuditUnavailable(reason="audit append failed")
            return
        try:
            self._audit.append("session_ended", session=self._context, **details)
        except AuditUnavailable:
            self._failed = True
            raise

    def _append(self, event: str, **details: object) -> None:
        # After the end (or after a failure) the GUI may still deliver a queued event, e.g. the
        # last page's time flushed during shutdown: it is dropped, never written after the end.
        if self._ended:
            return
        try:
            self._audit.append(event, session=self._context, **details)
        except AuditUnavailable:
            self._failed = True
            raise
        except OSError as exc:
            # An append that breaks in a way the log did not translate is still a failed append.
            self._failed = True
            raise AuditUnavailable(reason="audit append failed") from exc
