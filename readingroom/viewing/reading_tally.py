"""What the reader is told when a session ends: how long they read, how many pages they saw.

Fed with the same page views the audit log records (``page_viewed``: page and seconds), so the
summary never claims more reading than the log holds. Qt-free; the window shows its sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ReadingTally:
    """Seconds per page, added up as the page views are recorded."""

    page_count: int
    seconds_by_page: dict[int, float] = field(default_factory=dict)

    def add(self, page_index: int, seconds: float) -> None:
        """Count ``seconds`` more on ``page_index`` (0-based); a view of no time is not a view."""
        if 0 <= page_index < self.page_count and seconds > 0:
            self.seconds_by_page[page_index] = self.seconds_by_page.get(page_index, 0.0) + seconds

    @property
    def pages_seen(self) -> int:
        """How many different pages were on screen at all."""
        return len(self.seconds_by_page)

    @property
    def seconds_read(self) -> float:
        """The time pages were on screen, all pages together."""
        return sum(self.seconds_by_page.values())

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
