"""The audit report as text or JSON (CSV is in report_csv.py, HTML in report_html.py).

All times are ISO 8601 UTC (``2026-12-03T10:20:03Z``). The log is restricted and so is this
report: it names readers and documents and repeats what readers searched for.
"""

from __future__ import annotations

import json
from typing import Any

from readingroom.audit.report_model import Report, session_coverage
from readingroom.audit.session_summary import (
    PERIOD_AWAY,
    PERIOD_IDLE,
    PERIOD_IDLE_LOCK,
    SessionSummary,
    UnlockFailure,
    iso,
    minutes,
)
from readingroom.display_text import display_text

RESTRICTED = "RESTRICTED: this report shows who read what and what they searched for."


def _clean(text: str) -> str:
    # Untrusted text from the log, on a terminal: no control characters or bidi overrides.
    return display_text(text, max_chars=300)


def session_as_dict(session: SessionSummary, min_seconds: float) -> dict[str, Any]:
    """One session as plain JSON-ready data."""
    coverage = session_coverage(session, min_seconds)
    return {
        "session_code": session.code,
        "session_id": session.session_id,
        "reader": session.reader,
        "reader_name": session.reader_name,
        "organisation": session.organisation,
        "workstation": session.workstation,
        "document": session.document,
        "title": session.title,
        "classification": session.classification,
        "signature_hash": session.signature_hash,
        "capture": session.capture,
        "start": iso(session.start),
        "end": iso(session.end),
        "duration_seconds": session.duration_seconds,
        "reading_seconds": round(session.reading_seconds, 3),
        "ended_because": session.end_reason,
        "page_count": session.page_count,
        "pages": {str(page): round(secs, 3) for page, secs in session.seconds_per_page().items()},
        "pages_seen": list(coverage.seen),
        "pages_not_seen": list(coverage.not_seen),
        "coverage": coverage.sentence(),
        "page_views": [
            {
                "page": v.page,
                "from": iso(v.since),
                "until": iso(v.until),
                "seconds": v.seconds,
                "visible_seconds": round(session.visible_seconds(v), 3),
                "ended_by": v.ended_by or None,
            }
            for v in session.views
        ],
        "idle_seconds": session.period_seconds(PERIOD_IDLE),
        "locked_seconds": session.period_seconds(PERIOD_IDLE_LOCK),
        "away_seconds": session.period_seconds(PERIOD_AWAY),
        "short_views_dropped": session.short_views_dropped,
        "page_view_min_ms": session.page_view_min_ms,
        "searches": [
            {"time": iso(s.time), "query": s.query, "hits": s.hits} for s in session.searches
        ],
        "denied": [
            {"time": iso(d.time), "action": d.action, "kind": d.kind} for d in session.denied
        ],
        "periods": [
            {"kind": p.kind, "start": iso(p.start), "end": iso(p.end), "seconds": p.seconds}
            for p in session.periods
        ],
        "focus_lost": session.focus_lost,
        "idle_locks": session.idle_locks,
        "notes": [entry.as_dict(iso(entry.time)) for entry in session.notes],
    }


def failure_as_dict(failure: UnlockFailure) -> dict[str, Any]:
    """One failed unlock as plain data."""
    return {
        "time": iso(failure.time),
        "reason": failure.reason,
        "reader": failure.reader or None,
        "document": failure.document or None,
        "file": failure.file or None,
        "session_code": failure.code or None,
    }


def session_text_lines(session: SessionSummary, min_seconds: float = 10.0) -> list[str]:
    """The text block of one session (also what ``trace`` prints)."""
    lines = [
        f"Session {session.code}",
        f"  reader       {_clean(session.reader_text())}",
        f"  document     {_clean(session.document_text())}",
        f"  workstation  {_clean(session.workstation)}",
        f"  time         {iso(session.start)} -> {iso(session.end)} "
        f"({minutes(session.duration_seconds)}, ended: {_clean(session.end_reason)})",
        f"  capture      {_clean(session.capture_text())}",
        f"  coverage     {session_coverage(session, min_seconds).sentence()}",
        f"  page time    {page_time_text(session)}",
        f"  periods      {session.periods_text()}",
    ]
    pages = session.seconds_per_page()
    if pages:
        listed = ", ".join(f"p{page} {secs:.0f}s" for page, secs in pages.items())
        lines.append(f"  time on page {listed}")
    for period in session.periods:
        lines.append(
            f"  {period.kind:<12} {iso(period.start)} -> {iso(period.end)} "
            f"({minutes(period.seconds)})"
        )
    for search in session.searches:
        hits = "hits not recorded" if search.hits is None else f"{search.hits} hits"
        lines.append(f"  search       {iso(search.time)} {json.dumps(search.query)} ({hits})")
    for denied in session.denied:
        kind = f" ({_clean(denied.kind)})" if denied.kind else ""
        lines.append(f"  denied       {iso(denied.time)} {_clean(denied.action)}{kind}")
    for entry in session.notes:
        lines.append(f"  notes        {iso(entry.time)} {entry.event} {_clean(entry.text)}")
    return lines


def page_time_text(session: SessionSummary) -> str:
    """``3m10s visible to the reader; 4 views under 300 ms not recorded``."""
    text = f"{minutes(session.reading_seconds)} visible to the reader"
    if session.short_views_dropped is not None:
        limit = f"{session.page_view_min_ms} ms" if session.page_view_min_ms is not None else "?"
        text += f"; {session.short_views_dropped} views under {limit} not recorded"
    return text


def render_text(report: Report) -> str:
    """A plain-text report: header, alarms, failed unlocks, totals, then one block per session."""
    out = ["ReadingRoom audit report", RESTRICTED, *report.header_lines(), ""]
    for alarm in report.summary.alarms:
        out.append(f"ALARM {alarm.time} {alarm.event}: {_clean(alarm.text)}".replace("  ", " "))
    out.append(f"{len(report.sessions)} session(s); {len(report.unlock_failures)} failed unlock(s)")
    if report.unlock_failures:
        out += ["", "Failed unlocks:"]
        for failure in report.unlock_failures:
            out.append(
                f"  {iso(failure.time)}  {failure.reason}  reader: "
                f"{_clean(failure.reader) or 'unknown'}  file: {_clean(failure.file) or '-'}"
            )
    if report.documents:
        out += ["", "Per document (all readers):"]
        for doc in report.documents:
            title = f'"{_clean(doc.title)}" ' if doc.title else ""
            out.append(
                f"  {title}({_clean(doc.document)}): {doc.sessions} session(s), "
                f"{doc.readers} reader(s), {minutes(doc.reading_seconds)} on pages; "
                f"{doc.coverage.sentence()}"
            )
    if report.readers:
        out += ["", "Per reader (all documents):"]
        for reader in report.readers:
            name = f"{_clean(reader.name)} " if reader.name else ""
            org = f", {_clean(reader.organisation)}" if reader.organisation else ""
            out.append(
                f"  {name}<{_clean(reader.reader)}>{org}: {reader.sessions} session(s), "
                f"{reader.documents} document(s), {minutes(reader.reading_seconds)} on pages, "
                f"{reader.searches} search(es), {reader.denied} denied action(s)"
            )
    if report.summary.notes_releases:
        out += ["", "Notes released:"]
        for entry in report.summary.notes_releases:
            out.append(f"  {iso(entry.time)}  {_clean(entry.text)}")
    for session in report.sessions:
        out.append("")
        out.extend(session_text_lines(session, report.min_seconds))
    return "\n".join(out) + "\n"


def render_json(report: Report) -> str:
    """Header, alarms, failed unlocks, totals and sessions as one JSON document."""
    document = {
        "generated": iso(report.generated),
        "filters": {
            "reader": report.filters.reader,
            "document": report.filters.document,
            "since": iso(report.filters.since) if report.filters.since else None,
        },
        "verified": report.verified,
        "verification": report.verification,
        "records": report.summary.scan.records,
        "min_seconds": report.min_seconds,
        "alarms": [
            {"time": a.time, "event": a.event, "text": a.text} for a in report.summary.alarms
        ],
        "failed_unlocks": [failure_as_dict(f) for f in report.unlock_failures],
        "notes_released": [n.as_dict(iso(n.time)) for n in report.summary.notes_releases],
        "documents": [
            {
                "document": d.document,
                "title": d.title,
                "classification": d.classification,
                "sessions": d.sessions,
                "readers": d.readers,
                "reading_seconds": round(d.reading_seconds, 3),
                "coverage": d.coverage.sentence(),
                "pages_seen": list(d.coverage.seen),
                "pages_not_seen": list(d.coverage.not_seen),
            }
            for d in report.documents
        ],
        "readers": [
            {
                "reader": r.reader,
                "name": r.name,
                "organisation": r.organisation,
                "sessions": r.sessions,
                "documents": r.documents,
                "reading_seconds": round(r.reading_seconds, 3),
                "searches": r.searches,
                "denied": r.denied,
            }
            for r in report.readers
        ],
        "sessions": [session_as_dict(s, report.min_seconds) for s in report.sessions],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
