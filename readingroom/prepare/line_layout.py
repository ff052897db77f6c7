"""Setting one line's words between its left edge and its right limit.

Pure geometry, no page: given the words' natural widths, the line's ordinary word space and
whether it is justified, place the words. A justified line is spread to its right edge (its
spaces may shrink to 80 % or grow to 145 % of the ordinary space, never more, so no gap can
hint at how long a removed name was); a ragged line is set with the ordinary space and ends
where its words end. A line too long for its width is condensed horizontally, at most 10 %;
what still does not fit is the caller's to carry over to the next line, or, as a last resort,
:func:`set_line` shrinks it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MAX_CONDENSE = 0.9
"""The narrowest horizontal scale a line may be condensed to."""
CONDENSE_BEFORE_CARRY = 0.97
"""A line that could carry words over is condensed only this far first: 10 % shows."""
MAX_STRETCH = 1.45
"""A justified line's spaces grow at most to this multiple of its ordinary word space."""
MIN_SQUEEZE = 0.8
"""A justified line's spaces shrink at most to this multiple before the line is condensed."""

RETYPESET = "retypeset"
CONDENSED = "condensed"
CARRIED = "carried"
SHRUNK = "shrunk"
CELL_OVERFLOW = "cell-overflow"
PASTED = "pasted"
"""Not re-typeset (rotated text, a right-to-left line, glyphs no font here has): label pasted."""


@dataclass(frozen=True)
class Setting:
    """Where each word goes (offset from the line's left edge, before ``scale``) and how."""

    offsets: list[float]
    scale: float
    """Horizontal scale of the whole line (1 or down to :data:`MAX_CONDENSE`)."""
    shrink: float
    """Font size factor (1 unless the line was shrunk as a last resort)."""
    status: str


def _gaps(glued: Sequence[bool]) -> int:
    return sum(1 for index, glue in enumerate(glued) if index and not glue)


def natural_width(widths: Sequence[float], glued: Sequence[bool], space: float) -> float:
    """Width of the words set with the ordinary ``space`` between them."""
    return sum(widths) + space * _gaps(glued)


def _offsets(widths: Sequence[float], glued: Sequence[bool], space: float) -> list[float]:
    offsets: list[float] = []
    x = 0.0
    for index, width in enumerate(widths):
        if index and not glued[index]:
            x += space
        offsets.append(x)
        x += width
    return offsets


def fits(widths: Sequence[float], glued: Sequence[bool], space: float, available: float) -> bool:
    """Whether the words fit in ``available`` at full width (the test for carrying over)."""
    gaps = _gaps(glued)
    return sum(widths) + space * MIN_SQUEEZE * gaps <= available + 1e-6


def set_line(
    widths: Sequence[float],
    glued: Sequence[bool],
    *,
    space: float,
    available: float,
    justified: bool,
    may_overflow: bool,
    condense: float = MAX_CONDENSE,
) -> Setting | None:
    """Place the words, or None when they do not fit even condensed and ``may_overflow`` is
    False (the caller then carries words over to the next line).

    Args:
        widths: each word's natural width at its size.
        glued: for each word, whether it follows the previous one without a space.
        space: the line's ordinary word space.
        available: the width from the line's left edge to its right limit.
        justified: spread the words to ``available`` (within the stretch limits).
        may_overflow: shrink the words when nothing else fits (the last line of a paragraph).
        condense: the narrowest scale to try before giving up (or shrinking).
    """
    gaps = _gaps(glued)
    total = sum(widths)
    natural = total + space * gaps
    if natural <= available + 1e-6:
        if justified and gaps:
            spread = min((available - total) / gaps, space * MAX_STRETCH)
            return Setting(_offsets(widths, glued, spread), 1.0, 1.0, RETYPESET)
        return Setting(_offsets(widths, glued, space), 1.0, 1.0, RETYPESET)
    if justified and gaps and total + space * MIN_SQUEEZE * gaps <= available + 1e-6:
        spread = (available - total) / gaps
        return Setting(_offsets(widths, glued, spread), 1.0, 1.0, RETYPESET)
    squeezed = total + space * (MIN_SQUEEZE if justified else 1.0) * gaps
    spacing = space * (MIN_SQUEEZE if justified else 1.0)
    if squeezed * max(condense, MAX_CONDENSE) <= available + 1e-6:
        return Setting(_offsets(widths, glued, spacing), available / squeezed, 1.0, CONDENSED)
    if not may_overflow:
        return None
    # Last resort: condense fully, then make the type smaller until the line fits.
    shrink = available / (squeezed * MAX_CONDENSE) if squeezed > 0 else 1.0
    return Setting(
        _offsets([w * shrink for w in widths], glued, spacing * shrink),
        MAX_CONDENSE,
        shrink,
        SHRUNK,
    )
