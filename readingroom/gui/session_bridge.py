"""The Qt face of a :class:`~readingroom.reading_session.ReadingSession`.

Widgets connect their signals to the bridge's slots; the bridge calls the Qt-free session and
turns an :class:`~readingroom.errors.AuditUnavailable` into one ``audit_failed`` signal, so the
window can fail closed in one place instead of wrapping every call.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from readingroom.capture_state import CaptureStatus
from readingroom.errors import AuditUnavailable, ReadingRoomError
from readingroom.reading_session import DeniedAction, EndReason, ReadingSession


class SessionBridge(QObject):
    """Forwards viewer events to the session and re-emits its outcomes as signals."""

    audit_failed = Signal()
    session_ended = Signal(str)  # the EndReason value

    def __init__(self, session: ReadingSession, parent: QObject | None = None) -> None:
        """Wrap an already started ``session``."""
        super().__init__(parent)
        self._session = session
        self._failure_reported = False

    @property
    def session(self) -> ReadingSession:
        """The wrapped session (for its code and idle-lock minutes)."""
        return self._session

    @Slot(int, float, float)
    def record_page_viewed(self, page_index: int, zoom: float, seconds: float) -> None:
        """Slot for ``DocumentReader.page_viewed``."""
        self._guard(lambda: self._session.record_page_viewed(page_index, zoom, seconds))

    @Slot(str, int)
    def record_search(self, query: str, hits: int) -> None:
        """Slot for ``DocumentReader.searched``: the query and its matches (-1: not known)."""
        count = hits if hits >= 0 else None
        self._guard(lambda: self._session.record_search(query, count))

    @Slot(str)
    def record_external_link(self, kind: str) -> None:
        """Slot for ``DocumentReader.external_link_blocked`` (``kind`` is a fixed word)."""
        self._guard(lambda: self._session.record_denied(DeniedAction.EXTERNAL_LINK, kind=kind))

    def record_denied(self, action: DeniedAction) -> None:
        """Record a refused key, menu or drag."""
        self._guard(lambda: self._session.record_denied(action))

    def record_focus(self, *, lost: bool) -> None:
        """Record the curtain going down (lost) or up (returned) for focus."""
        self._guard(lambda: self._session.record_focus(lost=lost))

    def record_idle_locked(self) -> None:
        """Record the idle lock."""
        self._guard(self._session.record_idle_locked)

    def record_unlocked(self) -> None:
        """Record a successful unlock after an idle lock."""
        self._guard(self._session.record_unlocked)

    def record_unlock_failed(self, error: ReadingRoomError) -> None:
        """Record a failed unlock after an idle lock (only the error's category is kept)."""
        self._guard(lambda: self._session.record_unlock_failed(error))

    def record_capture(self, capture: CaptureStatus) -> None:
        """Record a change of the screen-capture state during the session."""
        self._guard(lambda: self._session.record_capture(capture))

    def record_renderer_unconfined(self) -> None:
        """Record that the renderer runs without its sandbox."""
        self._guard(self._session.record_renderer_unconfined)

    def limit_reached(self) -> EndReason | None:
        """Expiry or maximum length reached now, or None."""
        return self._session.limit_reached()

    def end(self, reason: EndReason) -> None:
        """End the session once and emit ``session_ended``."""
        if self._session.ended:
            return
        self._guard(lambda: self._session.end(reason))
        self.session_ended.emit(reason.value)

    def _guard(self, record: Callable[[], None]) -> bool:
        if self._session.failed:
            return False
        try:
            record()
        except AuditUnavailable:
            if not self._failure_reported:
                self._failure_reported = True
                self.audit_failed.emit()
            return False
        return True
