"""Progress on stderr for long commands, shown only when stderr is a terminal.

Core functions take a plain ``progress(done, total)`` callable; this module draws it for the
CLI. The GUI wraps the same callables in a QObject that re-emits them as signals.
"""

from __future__ import annotations

import sys
from typing import TextIO

BAR_WIDTH = 30


class TerminalProgress:
    """A one-line progress bar with a step label, redrawn in place."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr
        self._enabled = self._stream.isatty()
        self._label = ""

    def step(self, label: str) -> None:
        """Start a new step (shown before its bar)."""
        self._label = label
        self(0, 1)

    def __call__(self, done: int, total: int) -> None:
        """Draw ``done`` of ``total``."""
        if not self._enabled:
            return
        fraction = 0.0 if total <= 0 else min(1.0, done / total)
        filled = int(BAR_WIDTH * fraction)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self._stream.write(f"\r{self._label:<28} [{bar}] {fraction:4.0%}")
        self._stream.flush()

    def finish(self) -> None:
        """End the line."""
        if self._enabled:
            self._stream.write("\n")
            self._stream.flush()
