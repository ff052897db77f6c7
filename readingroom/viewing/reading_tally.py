"""What the reader is told when a session ends: how long they read, how many pages they saw.

Taken from the session's own page time (``ReadingSession.visible_seconds`` and ``pages_seen``,
the same bookkeeping that writes ``page_viewed``), so the summary never claims more reading than
the log holds. Qt-free; the window shows its sentence.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadingTally:
    """The session's reading so far: visible time and the pages that were on screen."""

    page_count: int
    seconds_read: float
    pages_seen: int

    def summary(self) -> str:
        """One plain sentence, e.g. "You read for 12 minutes and saw 5 of 35 pages."."""
        pages = "page" if self.page_count == 1 else "pages"
        return (
            f"You read for {duration_text(self.seconds_read)} and saw "
            f"{self.pages_seen} of {self.page_count} {pages}."
        )


def duration_text(seconds: float) -> str:
    """A reading time in words: "less than a minute", "1 minute", "1 hour 5 minutes"."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return "less than a minute"
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour" + ("s" if hours != 1 else ""))
    if minutes:
        parts.append(f"{minutes} minute" + ("s" if minutes != 1 else ""))
    return " ".join(parts)
