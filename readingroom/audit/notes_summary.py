"""The notes events (issue 15) in a report's words: hashes, sizes and counts, never the text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from readingroom.audit import events


@dataclass(frozen=True)
class NotesEntry:
    """One ``notes_*`` record as a report line."""

    time: datetime
    event: str  # "opened", "saved", "blocked", "released"
    text: str

    def as_dict(self, iso: str) -> dict[str, str]:
        """Plain data for the JSON report (``iso`` is the report's time format)."""
        return {"time": iso, "event": self.event, "detail": self.text}


def notes_entry(event: str, details: dict[str, Any], time: datetime) -> NotesEntry:
    """Describe a notes record (the log's values are shown, cut short, never interpreted)."""
    short = event.removeprefix("notes_")
    digest = _text(details.get("sha256"))[:16]
    if event == events.NOTES_SAVED:
        text = (
            f"{_text(details.get('file'))}: {_int(details.get('size'))} bytes, sha256 {digest}, "
            f"{_int(details.get('pages_referenced'))} page(s) referenced"
        )
    elif event == events.NOTES_OPENED:
        text = f"{_text(details.get('file'))}: {_text(details.get('state'))}"
        if details.get("kept_as"):
            text += (
                f" (unreadable: {_text(details.get('reason'))}; kept as "
                f"{_text(details.get('kept_as'))})"
            )
    elif event == events.NOTES_BLOCKED:
        text = _text(details.get("action"))
    else:
        text = (
            f"{_text(details.get('file'))} (sha256 {digest}) to {_text(details.get('to'))} "
            f"by {_text(details.get('by'))}"
        )
    return NotesEntry(time, short, text)


def _text(value: Any) -> str:
    return "" if value is None else str(value)[:200]


def _int(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else "?"
