"""What one walk over the audit log yields: sessions, failed unlocks and alarms, as plain data.

Built by :mod:`readingroom.audit.sessions`; read by the reports and ``trace``. Every string here
came from the log and is untrusted text (a reader's search, a name from a review file): the
renderers escape or neutralise it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from readingroom.audit.notes_summary import NotesEntry
from readingroom.audit.verify import ScanResult

# A session_started record's "capture" field (issue 18): the screen-capture protection state.
CAPTURE_STATES = ("enforced", "requested_not_enforced", "partial", "unavailable")
PERIOD_IDLE_LOCK = "locked (idle)"
PERIOD_AWAY = "away"
# The inactivity that brought the idle lock down (idle_locked's idle_seconds): the page was
# still visible, but no one touched the keyboard or the mouse.
PERIOD_IDLE = "idle (no input)"
# No page was visible to the reader during these: a page_viewed record written before
# ended_by existed may still span one, and its time in it is not reading time.
HIDDEN_PERIODS = frozenset({PERIOD_IDLE_LOCK, PERIOD_AWAY})


def iso(moment: datetime | None) -> str:
    """The one time format of every report: ISO 8601 UTC to the second, or ``-``."""
    if moment is None:
        return "-"
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class PageView:
    """One ``page_viewed`` record: a page stopped being visible at ``until``.

    ``ended_by`` (page change, idle lock, away, session end) is empty in records written before
    page time became visible time; such a view may span an idle lock or an away period.
    """

    page: int
    seconds: float
    until: datetime
    ended_by: str = ""

    @property
    def since(self) -> datetime:
        """When the page came on screen."""
        return self.until - timedelta(seconds=self.seconds)


@dataclass
class Search:
    """One search: when, what (the reader's own typing) and how many hits, if recorded."""

    time: datetime
    query: str
    hits: int | None = None


@dataclass
class Denied:
    """One refused action, with the kind word some actions carry (e.g. a link's kind)."""

    time: datetime
    action: str
    kind: str = ""


@dataclass
class Period:
    """A stretch with no page visible to the reader: under the idle lock, or away."""

    kind: str
    start: datetime
    end: datetime | None = None

    @property
    def seconds(self) -> float | None:
        """Its length (None while still open)."""
        return (self.end - self.start).total_seconds() if self.end else None


@dataclass
class SessionSummary:
    """One session, from ``session_started`` to ``session_ended``."""

    session_id: str
    code: str
    reader: str
    workstation: str
    document: str
    signature_hash: str
    start: datetime
    reader_name: str = ""
    organisation: str = ""
    title: str = ""
    classification: str = ""
    page_count: int | None = None
    capture: dict[str, str] | None = None
    end: datetime | None = None
    end_reason: str = "still open"
    views: list[PageView] = field(default_factory=list)
    searches: list[Search] = field(default_factory=list)
    denied: list[Denied] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    # From session_ended (None in older logs): views shorter than page_view_min_ms, not recorded.
    short_views_dropped: int | None = None
    page_view_min_ms: int | None = None
    notes: list[NotesEntry] = field(default_factory=list)

    @property
    def duration_seconds(self) -> float | None:
        """Seconds from start to end (None while still open)."""
        return (self.end - self.start).total_seconds() if self.end else None

    @property
    def reading_seconds(self) -> float:
        """Seconds pages were visible to the reader, summed over every view."""
        return sum(self.visible_seconds(view) for view in self.views)

    def visible_seconds(self, view: PageView) -> float:
        """The view's time on screen, less any idle lock or away period it spans (older logs)."""
        if view.ended_by:
            return view.seconds  # written by a viewer that already stops the clock under them
        hidden = [
            (max(p.start, view.since), min(p.end or view.until, view.until))
            for p in self.periods
            if p.kind in HIDDEN_PERIODS
        ]
        return max(view.seconds - _covered_seconds(hidden), 0.0)

    def period_seconds(self, kind: str) -> float:
        """Total length of the closed periods of ``kind``."""
        return sum(p.seconds or 0.0 for p in self.periods if p.kind == kind)

    def periods_text(self) -> str:
        """``idle (no input) 10m00s, locked (idle) 2m00s, away 0m30s``."""
        kinds = (PERIOD_IDLE, PERIOD_IDLE_LOCK, PERIOD_AWAY)
        return ", ".join(f"{kind} {minutes(self.period_seconds(kind))}" for kind in kinds)

    @property
    def idle_locks(self) -> int:
        """How many times the idle lock came down."""
        return sum(1 for period in self.periods if period.kind == PERIOD_IDLE_LOCK)

    @property
    def focus_lost(self) -> int:
        """How many times the reader left the window (the curtain came down)."""
        return sum(1 for period in self.periods if period.kind == PERIOD_AWAY)

    def seconds_per_page(self) -> dict[int, float]:
        """Total seconds each page was visible, by page number."""
        totals: dict[int, float] = {}
        for view in self.views:
            totals[view.page] = totals.get(view.page, 0.0) + self.visible_seconds(view)
        return dict(sorted(totals.items()))

    def reader_text(self) -> str:
        """``Name <id>, Organisation`` as far as the log knows them."""
        text = f"{self.reader_name} <{self.reader}>" if self.reader_name else self.reader
        return f"{text}, {self.organisation}" if self.organisation else text

    def document_text(self) -> str:
        """``"Title" [CLASSIFICATION] (id)`` as far as the log knows them."""
        parts = [f'"{self.title}"'] if self.title else []
        if self.classification:
            parts.append(f"[{self.classification}]")
        parts.append(f"({self.document})" if parts else self.document)
        return " ".join(parts)

    def capture_text(self) -> str:
        """The screen-capture protection state recorded at the start, or ``not recorded``."""
        if not self.capture:
            return "not recorded"
        state = self.capture.get("state", "?")
        system = self.capture.get("os", "")
        return f"{state} ({system})" if system else state


def _covered_seconds(spans: list[tuple[datetime, datetime]]) -> float:
    # Periods may overlap (the idle lock can fall while the reader is away): count once.
    total, reach = 0.0, None
    for start, end in sorted(spans):
        begin = max(start, reach) if reach is not None else start
        if end > begin:
            total += (end - begin).total_seconds()
            reach = end
    return total


def minutes(seconds: float | None) -> str:
    """``12m05s`` (or ``-``)."""
    if seconds is None:
        return "-"
    whole, rest = divmod(round(seconds), 60)
    return f"{whole}m{rest:02d}s"


@dataclass
class UnlockFailure:
    """One ``unlock_failed`` record: before a session (reader unknown) or at an idle lock."""

    time: datetime
    reason: str
    reader: str
    document: str
    file: str
    code: str


@dataclass(frozen=True)
class Alarm:
    """Something an auditor must see first: tampering, recovery, a clock set back."""

    time: str
    event: str
    text: str


@dataclass
class LogSummary:
    """Everything a report needs from one walk over the log."""

    scan: ScanResult
    sessions: list[SessionSummary]
    alarms: list[Alarm]
    unlock_failures: list[UnlockFailure]
    # ``notes release --log`` records belong to no session.
    notes_releases: list[NotesEntry] = field(default_factory=list)
