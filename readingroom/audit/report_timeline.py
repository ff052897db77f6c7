"""One session's reading timeline as inline SVG: time across, pages down.

Each stretch a page was on screen is a bar in that page's row; periods with no page visible
(idle lock, away) are shaded bands across every row, and so is the inactivity before an idle
lock (the page was visible, no one touched anything); searches and denied actions are marks in
an "events" row at the top. The time axis has ticks at a round interval, labelled in UTC. Every
string from the log is escaped (the renderer adds no script and no external resource).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape

from readingroom.audit.session_summary import PERIOD_IDLE, PERIOD_IDLE_LOCK, SessionSummary, iso

WIDTH = 820
LEFT = 86  # room for the row labels ("Page 123", "Events")
RIGHT = 16
TOP = 8
ROW = 18
BAR = 13
FONT = 12
TICK_STEPS = (10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400)
MAX_TICKS = 8
BAR_COLOUR = "#2f6db5"
PERIOD_COLOURS = {PERIOD_IDLE_LOCK: "#b9b9b9", PERIOD_IDLE: "#c9c3ee"}
AWAY_COLOUR = "#f3c98b"
SEARCH_COLOUR = "#1d7a3a"
DENIED_COLOUR = "#c0272d"


def tick_step(span_seconds: float) -> int:
    """The smallest round interval that gives at most ``MAX_TICKS`` ticks."""
    for step in TICK_STEPS:
        if span_seconds / step <= MAX_TICKS:
            return step
    return TICK_STEPS[-1] * (int(span_seconds // (TICK_STEPS[-1] * MAX_TICKS)) + 1)


def _tick_label(moment: datetime, step: int) -> str:
    return iso(moment)[11:19] if step < 60 else iso(moment)[11:16]


def timeline_svg(session: SessionSummary) -> str:
    """The session's timeline (or a sentence when no page was viewed)."""
    if not session.views and not session.searches and not session.denied:
        return "<p>No pages viewed.</p>"
    start = session.start
    moments = [start, *(v.until for v in session.views), *(s.time for s in session.searches)]
    moments += [d.time for d in session.denied]
    end = session.end or max(moments)
    span = max((end - start).total_seconds(), 1.0)
    scale = (WIDTH - LEFT - RIGHT) / span
    pages = sorted({view.page for view in session.views})
    row_of = {page: index + 1 for index, page in enumerate(pages)}  # row 0: events
    rows = len(pages) + 1
    axis_y = TOP + rows * ROW + 4
    height = axis_y + 61

    def x_at(moment: datetime) -> float:
        return LEFT + max(min((moment - start).total_seconds(), span), 0.0) * scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'font-family="system-ui,sans-serif" font-size="{FONT}" role="img" '
        f'aria-label="reading timeline of session {escape(session.code)}">'
    ]
    for period in session.periods:
        colour = PERIOD_COLOURS.get(period.kind, AWAY_COLOUR)
        x0, x1 = x_at(period.start), x_at(period.end or end)
        parts.append(
            f'<rect x="{x0:.1f}" y="{TOP}" width="{max(x1 - x0, 1.0):.1f}" '
            f'height="{rows * ROW}" fill="{colour}" opacity="0.6"><title>'
            f"{escape(period.kind)}: {iso(period.start)} to {iso(period.end)}</title></rect>"
        )
    parts.append(_row_label("Events", 0))
    for page, row in row_of.items():
        parts.append(_row_label(f"Page {page}", row))
    for view in session.views:
        x0, x1 = x_at(view.since), x_at(view.until)
        y = TOP + row_of[view.page] * ROW + (ROW - BAR) // 2
        parts.append(
            f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 1.5):.1f}" height="{BAR}" '
            f'fill="{BAR_COLOUR}"><title>page {view.page}: {view.seconds:.0f} s, '
            f"{iso(view.since)} to {iso(view.until)}</title></rect>"
        )
    middle = TOP + ROW // 2
    for search in session.searches:
        x = x_at(search.time)
        hits = "hits not recorded" if search.hits is None else f"{search.hits} hits"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{middle}" r="5" fill="{SEARCH_COLOUR}"><title>search '
            f"{iso(search.time)}: {escape(search.query)} ({hits})</title></circle>"
        )
    for denied in session.denied:
        x = x_at(denied.time)
        parts.append(
            f'<path d="M{x - 5:.1f},{middle - 5} l10,10 m0,-10 l-10,10" stroke="{DENIED_COLOUR}" '
            f'stroke-width="2.5"><title>denied {iso(denied.time)}: {escape(denied.action)}'
            "</title></path>"
        )
    parts.extend(_axis(start, span, scale, axis_y))
    parts.append("</svg>")
    return "".join(parts)


def _row_label(text: str, row: int) -> str:
    y = TOP + row * ROW + ROW // 2 + FONT // 2 - 2
    return (
        f'<text x="{LEFT - 6}" y="{y}" text-anchor="end">{escape(text)}</text>'
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + (row + 1) * ROW}" '
        f'y2="{TOP + (row + 1) * ROW}" stroke="#e4e4e4"/>'
    )


def _axis(start: datetime, span: float, scale: float, axis_y: int) -> list[str]:
    step = tick_step(span)
    parts = [f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{axis_y}" y2="{axis_y}" stroke="#444"/>']
    # Ticks at round wall-clock times (every 5 minutes past the hour, not 5 after the start).
    first = start + timedelta(seconds=-start.timestamp() % step)
    moment = first
    while (moment - start).total_seconds() <= span:
        x = LEFT + (moment - start).total_seconds() * scale
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{axis_y}" y2="{axis_y + 5}" stroke="#444"/>'
            f'<text x="{x:.1f}" y="{axis_y + 18}" text-anchor="middle">'
            f"{_tick_label(moment, step)}</text>"
        )
        moment += timedelta(seconds=step)
    parts.append(
        f'<text x="{LEFT}" y="{axis_y + 32}" font-size="{FONT - 1}" fill="#555">'
        f"Time in UTC; the session started at {iso(start)}.</text>"
        f'<text x="{LEFT}" y="{axis_y + 45}" font-size="{FONT - 1}" fill="#555">Blue bar: '
        "page on screen. Green dot: search. Red cross: denied action.</text>"
        f'<text x="{LEFT}" y="{axis_y + 58}" font-size="{FONT - 1}" fill="#555">Grey: locked '
        "(idle lock). Orange: away. Lavender: idle (no input before the lock; the page was "
        "still visible).</text>"
    )
    return parts
