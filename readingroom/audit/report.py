"""The audit report as text, CSV or JSON (HTML is in report_html.py)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from readingroom.audit.sessions import LogSummary, SessionSummary


def _duration(session: SessionSummary) -> str:
    seconds = session.duration_seconds
    if seconds is None:
        return "-"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m{rest:02d}s"


def _iso(session: SessionSummary, *, end: bool = False) -> str:
    moment = session.end if end else session.start
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "-"


def session_as_dict(session: SessionSummary) -> dict[str, Any]:
    """One session as plain JSON-ready data."""
    return {
        "session_code": session.code,
        "session_id": session.session_id,
        "reader": session.reader,
        "workstation": session.workstation,
        "document": session.document,
        "signature_hash": session.signature_hash,
        "start": _iso(session),
        "end": _iso(session, end=True),
        "duration_seconds": session.duration_seconds,
        "ended_because": session.end_reason,
        "pages": {str(page): round(secs, 3) for page, secs in session.seconds_per_page().items()},
        "searches": session.searches,
        "denied": dict(session.denied),
        "focus_lost": session.focus_lost,
        "idle_locks": session.idle_locks,
    }


def render_text(summary: LogSummary, sessions: list[SessionSummary]) -> str:
    """A plain-text report: alarms first, then one block per session."""
    out: list[str] = []
    for alarm in summary.alarms:
        out.append(f"ALARM {alarm.time} {alarm.event}: {alarm.text}".replace("  ", " "))
    if summary.alarms:
        out.append("")
    out.append(f"{len(sessions)} session(s); {len(summary.unlock_failures)} failed unlock(s)")
    for session in sessions:
        out.append("")
        out.extend(session_text_lines(session))
    return "\n".join(out) + "\n"


def session_text_lines(session: SessionSummary) -> list[str]:
    """The text block of one session (also what ``trace`` prints)."""
    lines = [
        f"Session {session.code}  reader {session.reader}  workstation {session.workstation}",
        f"  document {session.document}",
        f"  {_iso(session)} -> {_iso(session, end=True)}  ({_duration(session)}, "
        f"ended: {session.end_reason})",
    ]
    pages = session.seconds_per_page()
    if pages:
        listed = ", ".join(f"p{page} {secs:.0f}s" for page, secs in pages.items())
        lines.append(f"  pages viewed: {listed}")
    if session.searches:
        lines.append("  searches: " + "; ".join(json.dumps(q) for q in session.searches))
    if session.denied:
        denied = ", ".join(f"{action} x{count}" for action, count in sorted(session.denied.items()))
        lines.append(f"  denied: {denied}")
    return lines


def render_csv(sessions: list[SessionSummary]) -> str:
    """One row per session; pages as ``page:seconds`` pairs separated by spaces."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "session_code",
            "reader",
            "workstation",
            "document",
            "start",
            "end",
            "duration_seconds",
            "ended_because",
            "pages_seconds",
            "searches",
            "denied",
        ]
    )
    for session in sessions:
        data = session_as_dict(session)
        writer.writerow(
            [
                data["session_code"],
                data["reader"],
                data["workstation"],
                data["document"],
                data["start"],
                data["end"],
                "" if data["duration_seconds"] is None else f"{data['duration_seconds']:.0f}",
                data["ended_because"],
                " ".join(f"{page}:{secs:.0f}" for page, secs in data["pages"].items()),
                " | ".join(session.searches),
                " ".join(f"{action}:{count}" for action, count in sorted(session.denied.items())),
            ]
        )
    return buffer.getvalue()


def render_json(summary: LogSummary, sessions: list[SessionSummary]) -> str:
    """Alarms, verification status and sessions as one JSON document."""
    document = {
        "verified": summary.scan.problem is None,
        "records": summary.scan.records,
        "alarms": [{"time": a.time, "event": a.event, "text": a.text} for a in summary.alarms],
        "failed_unlocks": summary.unlock_failures,
        "sessions": [session_as_dict(session) for session in sessions],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
