"""The audit report's content, computed once for every format: header, sessions, totals.

Answers "who read which review, how closely, and what did they try?": per session the reader,
the document, page coverage (pages seen for at least ``min_seconds``), searches, denied actions
and the periods with no page visible; totals per document across readers and per reader across
documents; the failed unlocks; and a header saying when and how the report was made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from readingroom.audit.session_summary import (
    LogSummary,
    SessionSummary,
    UnlockFailure,
    iso,
)
from readingroom.audit.sessions import Filters, select_sessions, select_unlock_failures

DEFAULT_MIN_SECONDS = 10.0


@dataclass(frozen=True)
class Coverage:
    """Which pages one session (or all sessions of a document) showed long enough to read."""

    seen: tuple[int, ...]
    page_count: int | None
    min_seconds: float

    @property
    def not_seen(self) -> tuple[int, ...]:
        """The document's pages not seen for ``min_seconds`` (empty if the count is unknown)."""
        if self.page_count is None:
            return ()
        seen = set(self.seen)
        return tuple(page for page in range(1, self.page_count + 1) if page not in seen)

    def sentence(self) -> str:
        """``28 of 35 pages seen for at least 10 s; not seen: 3-5, 9``."""
        threshold = f"{self.min_seconds:g} s"
        if self.page_count is None:
            return f"{len(self.seen)} pages seen for at least {threshold} (page count not recorded)"
        text = f"{len(self.seen)} of {self.page_count} pages seen for at least {threshold}"
        missing = self.not_seen
        return f"{text}; not seen: {page_ranges(missing)}" if missing else text


@dataclass(frozen=True)
class DocumentTotal:
    """One document across its readers."""

    document: str
    title: str
    classification: str
    sessions: int
    readers: int
    reading_seconds: float
    coverage: Coverage


@dataclass(frozen=True)
class ReaderTotal:
    """One reader across documents."""

    reader: str
    name: str
    organisation: str
    sessions: int
    documents: int
    reading_seconds: float
    denied: int
    searches: int


@dataclass(frozen=True)
class Report:
    """Everything every report format shows."""

    generated: datetime
    filters: Filters
    verification: str
    verified: bool
    summary: LogSummary
    sessions: list[SessionSummary]
    unlock_failures: list[UnlockFailure]
    documents: list[DocumentTotal]
    readers: list[ReaderTotal]
    min_seconds: float

    def coverage(self, session: SessionSummary) -> Coverage:
        """One session's page coverage."""
        return session_coverage(session, self.min_seconds)

    def header_lines(self) -> list[str]:
        """Generation time, filters, verification: the first lines of every format."""
        return [
            f"Generated: {iso(self.generated)}",
            f"Filters: {self.filters.describe()}",
            f"Log: {self.verification}",
            f"Pages count as seen after {self.min_seconds:g} s on screen.",
        ]


def build_report(
    summary: LogSummary,
    filters: Filters,
    *,
    now: datetime | None = None,
    min_seconds: float = DEFAULT_MIN_SECONDS,
) -> Report:
    """Select and total what the filters ask for."""
    sessions = select_sessions(summary.sessions, filters)
    return Report(
        generated=now or datetime.now(UTC),
        filters=filters,
        verification=describe_verification(summary),
        verified=summary.scan.problem is None,
        summary=summary,
        sessions=sessions,
        unlock_failures=select_unlock_failures(summary, filters),
        documents=_document_totals(sessions, min_seconds),
        readers=_reader_totals(sessions),
        min_seconds=min_seconds,
    )


def describe_verification(summary: LogSummary) -> str:
    """How the chain was checked, in one line."""
    scan = summary.scan
    if scan.problem is not None:
        return f"DOES NOT VERIFY: {scan.problem.describe()}"
    text = f"{scan.records:,} records, hash chain intact from the first record"
    checkpoint = scan.last_checkpoint
    if checkpoint is not None:
        text += f"; last signed checkpoint at seq {checkpoint.seq:,} ({checkpoint.fingerprint})"
    else:
        text += "; no signed checkpoint yet"
    return text + " (not compared with an exported checkpoint: use audit verify --checkpoint)"


def session_coverage(session: SessionSummary, min_seconds: float) -> Coverage:
    """Pages whose total time on screen in ``session`` reached ``min_seconds``."""
    seen = tuple(page for page, secs in session.seconds_per_page().items() if secs >= min_seconds)
    return Coverage(seen, session.page_count, min_seconds)


def page_ranges(pages: tuple[int, ...]) -> str:
    """``1-3, 7, 9-10`` from sorted page numbers."""
    parts: list[str] = []
    index = 0
    while index < len(pages):
        end = index
        while end + 1 < len(pages) and pages[end + 1] == pages[end] + 1:
            end += 1
        first, last = pages[index], pages[end]
        parts.append(str(first) if first == last else f"{first}-{last}")
        index = end + 1
    return ", ".join(parts)


def _document_totals(sessions: list[SessionSummary], min_seconds: float) -> list[DocumentTotal]:
    grouped: dict[str, list[SessionSummary]] = {}
    for session in sessions:
        grouped.setdefault(session.document, []).append(session)
    totals = []
    for document, group in sorted(grouped.items()):
        per_page: dict[int, float] = {}
        for session in group:
            for page, secs in session.seconds_per_page().items():
                per_page[page] = per_page.get(page, 0.0) + secs
        counts = [s.page_count for s in group if s.page_count is not None]
        seen = tuple(page for page, secs in sorted(per_page.items()) if secs >= min_seconds)
        totals.append(
            DocumentTotal(
                document=document,
                title=next((s.title for s in group if s.title), ""),
                classification=next((s.classification for s in group if s.classification), ""),
                sessions=len(group),
                readers=len({s.reader for s in group}),
                reading_seconds=sum(s.reading_seconds for s in group),
                coverage=Coverage(seen, max(counts) if counts else None, min_seconds),
            )
        )
    return totals


def _reader_totals(sessions: list[SessionSummary]) -> list[ReaderTotal]:
    grouped: dict[str, list[SessionSummary]] = {}
    for session in sessions:
        grouped.setdefault(session.reader, []).append(session)
    return [
        ReaderTotal(
            reader=reader,
            name=next((s.reader_name for s in group if s.reader_name), ""),
            organisation=next((s.organisation for s in group if s.organisation), ""),
            sessions=len(group),
            documents=len({s.document for s in group}),
            reading_seconds=sum(s.reading_seconds for s in group),
            denied=sum(len(s.denied) for s in group),
            searches=sum(len(s.searches) for s in group),
        )
        for reader, group in sorted(grouped.items())
    ]
