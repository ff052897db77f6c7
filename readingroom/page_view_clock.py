"""Visible reading time: how long each page was on screen to an unlocked, present reader.

The viewer tells a :class:`PageViewClock` which page is shown (and at what zoom) and when
something covers it: the idle lock, the away curtain (the reader left the application), the
ended curtain, or a window not yet on screen. Time only runs while nothing covers the page.

A *view* is one uninterrupted stretch of one page on screen. It ends when another page becomes
current, when a cover comes down, or at :meth:`PageViewClock.stop`; it is kept only if it lasted
at least ``min_seconds`` (a page scrolled past, or shown for a moment while the window was
resized, was not read). Because a view never spans a cover, the audit record written when it
ends (``page_viewed``) says exactly when the page was visible: from ``seconds`` before the
record's time until the record's time.

Qt-free, and the clock is injected, so tests move time by hand instead of sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

DEFAULT_MIN_VIEW_SECONDS = 0.3


class Cover(StrEnum):
    """Why no page is visible; the values name what ended a view in ``page_viewed.ended_by``."""

    IDLE_LOCK = "idle lock"
    AWAY = "away"
    ENDED = "session end"
    NOT_SHOWN = "not shown"  # before the window first reaches the screen


PAGE_CHANGE = "page change"  # ``ended_by`` of a view ended by another page becoming current


@dataclass(frozen=True)
class PageView:
    """One kept view: ``page`` (0-based) at ``zoom`` for ``seconds``, ended by ``ended_by``."""

    page: int
    zoom: float
    seconds: float
    ended_by: str


class PageViewClock:
    """Measures visible time per page, excluding every covered moment and short views."""

    def __init__(
        self,
        *,
        min_seconds: float = DEFAULT_MIN_VIEW_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
        page: int = 0,
        zoom: float = 1.0,
    ) -> None:
        """Start covered (``NOT_SHOWN``) on ``page`` at ``zoom``; nothing runs until uncovered.

        Args:
            min_seconds: views shorter than this are dropped (counted in ``dropped``).
            monotonic: a clock that never goes back, in seconds.
            page: the page current when the window first shows (0-based).
            zoom: its zoom factor.
        """
        if min_seconds < 0:
            raise ValueError("min_seconds must not be negative")
        self._min_seconds = min_seconds
        self._monotonic = monotonic
        self._page = page
        self._zoom = zoom
        self._covers: set[Cover] = {Cover.NOT_SHOWN}
        self._since: float | None = None  # start of the running view; None while covered
        self._page_seconds: dict[int, float] = {}
        self._kept = 0
        self._dropped = 0

    @property
    def min_seconds(self) -> float:
        """The shortest view that is kept."""
        return self._min_seconds

    @property
    def dropped(self) -> int:
        """How many views were shorter than ``min_seconds`` and not kept."""
        return self._dropped

    @property
    def kept(self) -> int:
        """How many views were kept."""
        return self._kept

    def is_running(self) -> bool:
        """True while a page is visible (nothing covers it)."""
        return self._since is not None

    def covers(self) -> frozenset[Cover]:
        """The reasons hiding the page now."""
        return frozenset(self._covers)

    def visible_seconds(self) -> float:
        """Kept visible time so far, plus the running view once it is long enough to keep."""
        return sum(self._page_seconds.values()) + self._running_seconds()

    def page_seconds(self) -> dict[int, float]:
        """Visible time per page (0-based), as :meth:`visible_seconds` counts it."""
        totals = dict(self._page_seconds)
        running = self._running_seconds()
        if running:
            totals[self._page] = totals.get(self._page, 0.0) + running
        return dict(sorted(totals.items()))

    def pages_seen(self, min_seconds: float) -> tuple[int, ...]:
        """0-based pages visible for at least ``min_seconds`` in all, in page order."""
        return tuple(page for page, secs in self.page_seconds().items() if secs >= min_seconds)

    def show_page(self, page: int, zoom: float) -> PageView | None:
        """``page`` became current; returns the view of the previous page if it is kept."""
        if page == self._page:
            self._zoom = zoom
            return None
        ended = self._end_view(PAGE_CHANGE)
        self._page, self._zoom = page, zoom
        self._start_view()
        return ended

    def set_zoom(self, zoom: float) -> None:
        """The zoom changed; the running view goes on (it records the zoom it ended at)."""
        self._zoom = zoom

    def cover(self, reason: Cover) -> PageView | None:
        """``reason`` hides the page; returns the view it ended, if kept."""
        ended = self._end_view(reason.value) if not self._covers else None
        self._covers.add(reason)
        return ended

    def uncover(self, reason: Cover) -> None:
        """``reason`` no longer holds; a new view starts if nothing else covers the page."""
        self._covers.discard(reason)
        self._start_view()

    def stop(self) -> PageView | None:
        """The session is over: end the running view for good (later uncovers start nothing)."""
        return self.cover(Cover.ENDED)

    def _running_seconds(self) -> float:
        if self._since is None:
            return 0.0
        seconds = max(self._monotonic() - self._since, 0.0)
        return seconds if seconds >= self._min_seconds else 0.0

    def _start_view(self) -> None:
        if not self._covers and self._since is None:
            self._since = self._monotonic()

    def _end_view(self, ended_by: str) -> PageView | None:
        since, self._since = self._since, None
        if since is None:
            return None
        seconds = max(self._monotonic() - since, 0.0)
        if seconds < self._min_seconds:
            self._dropped += 1
            return None
        self._kept += 1
        self._page_seconds[self._page] = self._page_seconds.get(self._page, 0.0) + seconds
        return PageView(self._page, self._zoom, seconds, ended_by)
