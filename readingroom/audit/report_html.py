"""The audit report as one self-contained HTML file, with a reading timeline per session.

Auditors look rather than read: each session gets an inline SVG timeline (report_timeline.py).
Everything from the log is escaped (reader names and search queries are untrusted text); no
script, no external resource, and a Content-Security-Policy that forbids both.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from readingroom.audit.report import RESTRICTED, page_time_text
from readingroom.audit.report_model import Report
from readingroom.audit.report_timeline import timeline_svg
from readingroom.audit.session_summary import SessionSummary, iso, minutes

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:70em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;
text-align:left;vertical-align:top}.alarm{background:#fdd;border:2px solid #b00;padding:.5em;
margin:.3em 0}section{margin:1.5em 0;border-top:2px solid #444;padding-top:.5em}
.restricted{font-weight:bold;color:#900}
"""


def _table(header: Iterable[str] | None, rows: Iterable[Iterable[object]]) -> str:
    head = "".join(f"<th>{escape(cell)}</th>" for cell in header or ())
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table>{f'<tr>{head}</tr>' if head else ''}{body}</table>"


def _session_html(session: SessionSummary, report: Report) -> str:
    facts = _table(
        None,
        (
            ("Reader", session.reader_text()),
            ("Document", session.document_text()),
            ("Workstation", session.workstation),
            ("Start", iso(session.start)),
            ("End", iso(session.end)),
            ("Length", minutes(session.duration_seconds)),
            ("Ended because", session.end_reason),
            ("Screen capture", session.capture_text()),
            ("Coverage", report.coverage(session).sentence()),
            ("Page time", page_time_text(session)),
            ("Idle, locked, away", session.periods_text()),
        ),
    )
    pages = _table(
        ("Page", "Seconds on screen"),
        ((page, f"{secs:.0f}") for page, secs in session.seconds_per_page().items()),
    )
    events = sorted(
        [(iso(s.time), "search", f"{s.query} ({'?' if s.hits is None else s.hits} hits)")
         for s in session.searches]
        + [(iso(d.time), "denied", d.action + (f" ({d.kind})" if d.kind else ""))
           for d in session.denied]
        + [(iso(p.start), p.kind, f"until {iso(p.end)} ({minutes(p.seconds)})")
           for p in session.periods]
        + [(iso(n.time), f"notes {n.event}", n.text) for n in session.notes]
    )  # fmt: skip
    event_table = _table(("Time (UTC)", "What", "Detail"), events) if events else ""
    return (
        f"<section><h2>Session {escape(session.code)}</h2>{facts}"
        f"{timeline_svg(session)}{event_table}{pages}</section>"
    )


def render_html(report: Report) -> str:
    """The whole report as one HTML document."""
    summary = report.summary
    alarms = "".join(
        f'<div class="alarm">ALARM {escape(alarm.time)} {escape(alarm.event)}: '
        f"{escape(alarm.text)}</div>"
        for alarm in summary.alarms
    )
    header = "".join(f"<p>{escape(line)}</p>" for line in report.header_lines())
    failures = _table(
        ("Time (UTC)", "Reason", "Reader", "Document", "File", "Session"),
        (
            (iso(f.time), f.reason, f.reader or "unknown", f.document or "-", f.file or "-",
             f.code or "-")
            for f in report.unlock_failures
        ),
    )  # fmt: skip
    documents = _table(
        ("Document", "Title", "Sessions", "Readers", "Time on pages", "Coverage"),
        (
            (d.document, d.title, d.sessions, d.readers, minutes(d.reading_seconds),
             d.coverage.sentence())
            for d in report.documents
        ),
    )  # fmt: skip
    readers = _table(
        ("Reader", "Name", "Organisation", "Sessions", "Documents", "Time on pages", "Searches",
         "Denied"),
        (
            (r.reader, r.name, r.organisation, r.sessions, r.documents,
             minutes(r.reading_seconds), r.searches, r.denied)
            for r in report.readers
        ),
    )  # fmt: skip
    body = "".join(_session_html(session, report) for session in report.sessions)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>ReadingRoom audit report</title>"
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        f"<style>{_STYLE}</style></head><body><h1>ReadingRoom audit report</h1>"
        f'<p class="restricted">{escape(RESTRICTED)}</p>{header}{alarms}'
        f"<p>{len(report.sessions)} session(s); {len(report.unlock_failures)} failed unlock(s)."
        f"</p><h2>Failed unlocks</h2>{failures}<h2>Per document (all readers)</h2>{documents}"
        f"<h2>Per reader (all documents)</h2>{readers}{body}</body></html>\n"
    )
