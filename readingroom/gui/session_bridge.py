"""The Qt face of a :class:`~readingroom.reading_session.ReadingSession`.

Widgets connect their signals to the bridge's slots; the bridge calls the Qt-free session and
turns an :class:`~readingroom.errors.AuditUnavailable` into one ``audit_failed`` signal, so the
window can fail closed in one place instead of wrapping every call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from readingroom.capture_state import CaptureStatus
from readingroom.errors import AuditUnavailable, ReadingRoomError
from readingroom.reading_session import DeniedAction, EndReason, ReadingSession

if TYPE_CHECKING:
    from readingroom.gui.reader.page_view import PageView


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

    def follow_pages(self, view: PageView) -> None:
        """Tell the session which page is current, and at what zoom, as ``view`` changes."""
        self._session.page_shown(view.current_page(), view.zoom())
        view.current_page_changed.connect(lambda page: self.page_shown(page, view.zoom()))
        view.zoom_changed.connect(self.zoom_changed)

    def pages_on_screen(self) -> None:
        """The window first reached the screen: page time starts."""
        self._session.pages_on_screen()

    @Slot(int, float)
    def page_shown(self, page_index: int, zoom: float) -> None:
        """The current page changed (the page left is recorded if it was read)."""
        self._guard(lambda: self._session.page_shown(page_index, zoom))

    @Slot(float)
    def zoom_changed(self, zoom: float) -> None:
        """Slot for the page view's ``zoom_changed``."""
        self._session.zoom_changed(zoom)

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

    def record_idle_locked(self, idle_seconds: float | None = None) -> None:
        """Record the idle lock, after ``idle_seconds`` without input."""
        self._guard(lambda: self._session.record_idle_locked(idle_seconds))

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

    def record_notes(self, event: str, **details: object) -> bool:
        """Record a notes event; False when the audit log has failed (the window fails closed)."""
        return self._guard(lambda: self._session.record_notes(event, **details))

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
