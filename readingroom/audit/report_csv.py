"""The audit report as CSV: one row per session, or one row per page view.

Every cell passes through :func:`neutralise_cell`. A reader types search text, and names and
titles come from review files; a spreadsheet runs a cell starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return as a formula (``=HYPERLINK(...)`` sends data to a web site when the
auditor clicks it), so such a cell is prefixed with an apostrophe, which spreadsheets show as
text (OWASP's advice on CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from readingroom.audit.report_model import Report
from readingroom.audit.session_summary import PERIOD_AWAY, PERIOD_IDLE, PERIOD_IDLE_LOCK, iso

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

SESSION_COLUMNS = (
    "session_code",
    "reader",
    "reader_name",
    "organisation",
    "workstation",
    "document",
    "title",
    "classification",
    "capture",
    "start",
    "end",
    "duration_seconds",
    "reading_seconds",
    "ended_because",
    "page_count",
    "pages_seen",
    "pages_not_seen",
    "pages_seconds",
    "searches",
    "search_times_hits",
    "denied",
    "idle_locks",
    "away",
    "idle_seconds",
    "locked_seconds",
    "away_seconds",
    "periods",
    "short_views_dropped",
)

VIEW_COLUMNS = (
    "session_code",
    "reader",
    "reader_name",
    "organisation",
    "document",
    "title",
    "page",
    "from",
    "until",
    "seconds",
    "visible_seconds",
    "ended_by",
)


def neutralise_cell(value: object) -> str:
    """The cell's text, made inert if a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _write(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise_cell(cell) for cell in row])
    return buffer.getvalue()


def render_csv(report: Report) -> str:
    """One row per session; pages as ``page:seconds`` pairs; searches as queries joined by
    `` | `` with their ``time:hits`` in the next column (``?`` when the hits were not recorded)."""
    rows = []
    for s in report.sessions:
        coverage = report.coverage(s)
        rows.append(
            (
                s.code,
                s.reader,
                s.reader_name,
                s.organisation,
                s.workstation,
                s.document,
                s.title,
                s.classification,
                s.capture_text(),
                iso(s.start),
                iso(s.end),
                "" if s.duration_seconds is None else f"{s.duration_seconds:.0f}",
                f"{s.reading_seconds:.0f}",
                s.end_reason,
                "" if s.page_count is None else s.page_count,
                " ".join(map(str, coverage.seen)),
                " ".join(map(str, coverage.not_seen)),
                " ".join(f"{page}:{secs:.0f}" for page, secs in s.seconds_per_page().items()),
                " | ".join(q.query for q in s.searches),
                " ".join(f"{iso(q.time)}:{'?' if q.hits is None else q.hits}" for q in s.searches),
                " | ".join(f"{iso(d.time)} {d.action}" for d in s.denied),
                s.idle_locks,
                s.focus_lost,
                f"{s.period_seconds(PERIOD_IDLE):.0f}",
                f"{s.period_seconds(PERIOD_IDLE_LOCK):.0f}",
                f"{s.period_seconds(PERIOD_AWAY):.0f}",
                " | ".join(f"{p.kind} {iso(p.start)} {iso(p.end)}" for p in s.periods),
                "" if s.short_views_dropped is None else s.short_views_dropped,
            )
        )
    return _write(SESSION_COLUMNS, rows)


def render_csv_views(report: Report) -> str:
    """One row per page view: which page, from when until when, for how many seconds."""
    rows = [
        (
            s.code,
            s.reader,
            s.reader_name,
            s.organisation,
            s.document,
            s.title,
            view.page,
            iso(view.since),
            iso(view.until),
            f"{view.seconds:.1f}",
            f"{s.visible_seconds(view):.1f}",
            view.ended_by,
        )
        for s in report.sessions
        for view in s.views
    ]
    return _write(VIEW_COLUMNS, rows)
