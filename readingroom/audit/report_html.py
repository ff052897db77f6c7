"""The audit report as one self-contained HTML file, with a reading timeline per session.

Auditors look rather than read: each session gets an inline SVG chart with time across and
page number down, one bar for each stretch a page was on screen. Everything from the log is
escaped (reader names and search queries are untrusted text); no script, no external resource.
"""

from __future__ import annotations

from html import escape

from readingroom.audit.report import session_as_dict
from readingroom.audit.sessions import LogSummary, SessionSummary

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;
text-align:left}.alarm{background:#fdd;border:2px solid #b00;padding:.5em;margin:.3em 0}
section{margin:1.5em 0;border-top:2px solid #444;padding-top:.5em}
"""
WIDTH, ROW, LEFT, TOP = 720, 14, 48, 10


def timeline_svg(session: SessionSummary) -> str:
    """Inline SVG: x is seconds since the session started, y is the page number."""
    if not session.views:
        return "<p>No pages viewed.</p>"
    end = session.end or max(view.until for view in session.views)
    span = max((end - session.start).total_seconds(), 1.0)
    pages = sorted({view.page for view in session.views})
    row_of = {page: index for index, page in enumerate(pages)}
    height = TOP * 2 + ROW * len(pages) + 16
    scale = (WIDTH - LEFT - 10) / span
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'role="img" aria-label="reading timeline">'
    ]
    for page, index in row_of.items():
        y = TOP + index * ROW
        parts.append(f'<text x="4" y="{y + 10}" font-size="10">p{page}</text>')
    for view in session.views:
        finish = (view.until - session.start).total_seconds()
        start = max(finish - view.seconds, 0.0)
        x = LEFT + start * scale
        width = max((finish - start) * scale, 1.0)
        y = TOP + row_of[view.page] * ROW
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{ROW - 3}" fill="#3670b0">'
            f"<title>page {view.page}: {view.seconds:.0f} s</title></rect>"
        )
    axis_y = TOP + ROW * len(pages) + 12
    parts.append(f'<text x="{LEFT}" y="{axis_y}" font-size="10">0 s</text>')
    parts.append(
        f'<text x="{WIDTH - 60}" y="{axis_y}" font-size="10">{span / 60:.1f} min</text></svg>'
    )
    return "".join(parts)


def _session_html(session: SessionSummary) -> str:
    data = session_as_dict(session)
    rows = "".join(
        f"<tr><th>{escape(label)}</th><td>{escape(str(value))}</td></tr>"
        for label, value in (
            ("Session code", data["session_code"]),
            ("Reader", data["reader"]),
            ("Workstation", data["workstation"]),
            ("Document", data["document"]),
            ("Start", data["start"]),
            ("End", data["end"]),
            ("Ended because", data["ended_because"]),
            ("Searches", "; ".join(session.searches) or "-"),
            ("Denied", ", ".join(f"{a} x{n}" for a, n in sorted(session.denied.items())) or "-"),
        )
    )
    pages = "".join(
        f"<tr><td>{page}</td><td>{secs:.0f}</td></tr>"
        for page, secs in session.seconds_per_page().items()
    )
    return (
        f"<section><h2>Session {escape(session.code)}</h2><table>{rows}</table>"
        f"{timeline_svg(session)}"
        f"<table><tr><th>Page</th><th>Seconds visible</th></tr>{pages}</table></section>"
    )


def render_html(summary: LogSummary, sessions: list[SessionSummary]) -> str:
    """The whole report as one HTML document."""
    alarms = "".join(
        f'<div class="alarm">ALARM {escape(alarm.time)} {escape(alarm.event)}: '
        f"{escape(alarm.text)}</div>"
        for alarm in summary.alarms
    )
    status = (
        f"{summary.scan.records:,} records, chain intact"
        if summary.scan.problem is None
        else "THE LOG DOES NOT VERIFY"
    )
    body = "".join(_session_html(session) for session in sessions)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>ReadingRoom audit report</title>"
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        f"<style>{_STYLE}</style></head><body><h1>ReadingRoom audit report</h1>"
        f"<p>RESTRICTED: this report shows who read what and what they searched for.</p>"
        f"<p>{escape(status)}; {len(sessions)} session(s); "
        f"{len(summary.unlock_failures)} failed unlock(s).</p>{alarms}{body}</body></html>\n"
    )
