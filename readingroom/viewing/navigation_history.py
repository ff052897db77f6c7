"""Back/forward history of jumps (links, outline, go to page, search hits). Qt-free."""

from __future__ import annotations

from dataclasses import dataclass

MAX_HISTORY = 100


@dataclass(frozen=True)
class Place:
    """A reading position: a page and how far down it, in PDF points."""

    page: int
    y_points: float = 0.0


class NavigationHistory:
    """Two stacks, like a web browser's: a jump clears Forward."""

    def __init__(self) -> None:
        """Start with nothing to go back or forward to."""
        self._back: list[Place] = []
        self._forward: list[Place] = []

    def push(self, here: Place) -> None:
        """Remember ``here`` before a jump."""
        self._back.append(here)
        del self._back[:-MAX_HISTORY]
        self._forward.clear()

    def back(self, here: Place) -> Place | None:
        """The place to return to (``here`` becomes Forward's), or None."""
        if not self._back:
            return None
        self._forward.append(here)
        return self._back.pop()

    def forward(self, here: Place) -> Place | None:
        """The place Back left (``here`` goes back on Back's stack), or None."""
        if not self._forward:
            return None
        self._back.append(here)
        return self._forward.pop()

    def can_go_back(self) -> bool:
        """Whether Back has somewhere to go."""
        return bool(self._back)

    def can_go_forward(self) -> bool:
        """Whether Forward has somewhere to go."""
        return bool(self._forward)
