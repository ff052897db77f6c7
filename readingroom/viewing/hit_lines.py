"""Where a search hit's line is on the page, for the picture that shows it in the results list.

The results list shows each hit in its line, cut out of the watermarked page image (never as
text). Two things make a good cut, and both need the page's text geometry, which only the
renderer process holds, so they are worked out here, next to the search:

- **The line's own band.** MuPDF's line boxes are as tall as the font's ascender and descender,
  about 1.4 times the type size, so in a table or any tightly set text they overlap the lines
  above and below, and a crop of that box shows slices of its neighbours. The band used instead
  starts from the line's *ink box* (one type size high, split at the baseline in the font's
  ascender:descender proportion: MuPDF's own "small glyph heights" rule) with a little room
  either side, and stops at the ink box of any line above or below it.
- **Whole words.** A short line is shown whole. On a line longer than ``CONTEXT_WIDTH_PT`` the
  crop is a window of whole words around the hit, so that no word is cut at either edge.

Boxes are ``(x0, y0, x1, y1)`` in PDF points, page space (y down), as MuPDF gives them. Lines
that do not run left to right (vertical or rotated text) are shown as their whole MuPDF box.
This module imports no Qt and no PyMuPDF (it reads the dictionaries of ``extractRAWDICT``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from readingroom.viewing.document_model import HighlightRect

# The most of a long line shown around a hit, in points: at the crop zoom this is about the
# side panel's width, so 10-12 pt type stays readable in the list.
CONTEXT_WIDTH_PT = 220.0
# Room left of a crop's first word and right of its last one, if the gap allows it.
SIDE_PAD_PT = 2.0
# Room above and below the ink box (accents, descenders), if no neighbouring line is there.
BAND_PAD_PT = 1.5
# MuPDF's fallback for fonts that state no ascender.
_DEFAULT_ASCENDER, _DEFAULT_DESCENDER = 0.9, -0.1

# A word's extent on its line: (x0, x1).
Extent = tuple[float, float]


@dataclass(frozen=True)
class LineShape:
    """A line's crop geometry: its box (whole words, own band) and its words' extents."""

    box: HighlightRect
    words: tuple[Extent, ...]
    left_limit: float  # how far left of its first word a crop may go (a neighbour's half-gap)
    right_limit: float


class PageLines:
    """The lines of one page, for the crop geometry of the lines that hold hits."""

    def __init__(self, blocks: Iterable[dict[str, Any]]) -> None:
        """Index every line of the page's ``extractRAWDICT`` blocks by ink box."""
        # Keyed by the line dictionary's id: the caller keeps the blocks alive while searching.
        self._inks: dict[int, HighlightRect] = {}
        for block in blocks:
            for line in block.get("lines", ()):
                self._inks[id(line)] = ink_box(line)
        self._shapes: dict[int, LineShape] = {}

    def shape(self, line: dict[str, Any]) -> LineShape:
        """The crop geometry of ``line`` (one of the blocks' line dictionaries), cached."""
        known = self._shapes.get(id(line))
        if known is None:
            known = self._shapes[id(line)] = self._measure(line)
        return known

    def context(self, line: dict[str, Any], hit: HighlightRect) -> HighlightRect:
        """The part of ``line`` to show around ``hit``: whole words, the line's own band."""
        shape = self.shape(line)
        if not shape.words:
            return shape.box
        first, last = word_window(shape.words, hit[0], hit[2], CONTEXT_WIDTH_PT)
        left = (
            shape.left_limit
            if first == 0
            else (shape.words[first - 1][1] + shape.words[first][0]) / 2
        )
        right = (
            shape.right_limit
            if last == len(shape.words) - 1
            else (shape.words[last][1] + shape.words[last + 1][0]) / 2
        )
        x0 = max(left, shape.words[first][0] - SIDE_PAD_PT)
        x1 = min(right, shape.words[last][1] + SIDE_PAD_PT)
        return (x0, shape.box[1], x1, shape.box[3])

    def _measure(self, line: dict[str, Any]) -> LineShape:
        own = id(line)
        ink = self._inks[own]
        if not _runs_left_to_right(line):
            return LineShape(_box(line["bbox"]), (), ink[0], ink[2])
        words = word_extents(line)
        x0, x1 = (words[0][0], words[-1][1]) if words else (ink[0], ink[2])
        # Only lines that reach into the band at its widest can stop it (most of a page does not).
        reach_top, reach_bottom = ink[1] - BAND_PAD_PT, ink[3] + BAND_PAD_PT
        others = [
            box
            for key, box in self._inks.items()
            if box[3] > reach_top and box[1] < reach_bottom and key != own
        ]
        top, bottom = own_band(ink, (x0 - SIDE_PAD_PT, x1 + SIDE_PAD_PT), others)
        left_limit, right_limit = x0 - SIDE_PAD_PT, x1 + SIDE_PAD_PT
        for other in others:
            if other[1] < bottom and other[3] > top:  # beside it on the same band
                if other[2] <= x0:
                    left_limit = max(left_limit, (other[2] + x0) / 2)
                elif other[0] >= x1:
                    right_limit = min(right_limit, (x1 + other[0]) / 2)
        box = (max(left_limit, x0 - SIDE_PAD_PT), top, min(right_limit, x1 + SIDE_PAD_PT), bottom)
        return LineShape(box, tuple(words), left_limit, right_limit)


def ink_box(line: dict[str, Any]) -> HighlightRect:
    """A line's box one type size high per span (MuPDF's "small glyph heights" rule).

    Falls back to the line's own box for lines not running left to right, and never leaves it.
    """
    box = _box(line["bbox"])
    if not _runs_left_to_right(line):
        return box
    tops: list[float] = []
    bottoms: list[float] = []
    for span in line.get("spans", ()):
        ascender, descender = float(span["ascender"]), float(span["descender"])
        if ascender < 1e-3 or ascender - descender < 1e-3:
            ascender, descender = _DEFAULT_ASCENDER, _DEFAULT_DESCENDER
        size, baseline = float(span["size"]), float(span["origin"][1])
        height = ascender - descender
        tops.append(baseline - size * ascender / height)
        bottoms.append(baseline - size * descender / height)
    if not tops:
        return box
    top, bottom = max(box[1], min(tops)), min(box[3], max(bottoms))
    return box if bottom <= top else (box[0], top, box[2], bottom)


def own_band(
    ink: HighlightRect, span: Extent, others: Sequence[HighlightRect]
) -> tuple[float, float]:
    """The band of ``ink`` (with room) that reaches into no other line above or below it.

    ``others`` are the page's other lines' ink boxes; only those that overlap the horizontal
    ``span`` count. A line whose middle lies within ``ink`` (a superscript set as its own
    line, the next cell of a table row) is beside it, not above or below, and is ignored.
    """
    top, bottom = ink[1] - BAND_PAD_PT, ink[3] + BAND_PAD_PT
    for other in others:
        if other[2] <= span[0] or other[0] >= span[1]:
            continue
        middle = (other[1] + other[3]) / 2
        if middle < ink[1]:
            top = max(top, min(other[3], ink[1]))
        elif middle > ink[3]:
            bottom = min(bottom, max(other[1], ink[3]))
    return top, bottom


def word_extents(line: dict[str, Any]) -> list[Extent]:
    """The horizontal extents of a line's words (runs of characters between white space), by x."""
    words: list[Extent] = []
    start: float | None = None
    end = 0.0
    for span in line.get("spans", ()):
        for char in span.get("chars", ()):
            if not char["c"] or char["c"].isspace():
                if start is not None:
                    words.append((start, end))
                start = None
                continue
            box = char["bbox"]
            if start is None:
                start, end = box[0], box[2]
            else:  # plain comparisons: this loop runs for every character of a line with hits
                start = box[0] if box[0] < start else start
                end = box[2] if box[2] > end else end
    if start is not None:
        words.append((start, end))
    # Left to right on the page, whatever order the characters came in (right-to-left text).
    return sorted((float(x0), float(x1)) for x0, x1 in words)


def word_window(
    words: Sequence[Extent], hit_x0: float, hit_x1: float, width: float
) -> tuple[int, int]:
    """The first and last word (indices) to show around a hit: whole words, about ``width``.

    The whole line when it fits; otherwise the words the hit touches, then words added on the
    narrower side first (so the hit stays near the middle) while the window fits ``width``.
    The words the hit touches are always kept, however wide they are.
    """
    if words[-1][1] - words[0][0] <= width:
        return 0, len(words) - 1
    touched = [i for i, (x0, x1) in enumerate(words) if x0 < hit_x1 and x1 > hit_x0]
    if not touched:  # a hit between words (white space): the nearest word
        middle = (hit_x0 + hit_x1) / 2
        touched = [min(range(len(words)), key=lambda i: abs(sum(words[i]) / 2 - middle))]
    first, last = touched[0], touched[-1]
    while True:
        left_room = words[first][0] - words[first - 1][0] if first > 0 else None
        right_room = words[last + 1][1] - words[last][1] if last + 1 < len(words) else None
        span = words[last][1] - words[first][0]
        grow_left = left_room is not None and span + left_room <= width
        grow_right = right_room is not None and span + right_room <= width
        if grow_left and (not grow_right or hit_x0 - words[first][0] < words[last][1] - hit_x1):
            first -= 1
        elif grow_right:
            last += 1
        else:
            return first, last


def _runs_left_to_right(line: dict[str, Any]) -> bool:
    direction = line.get("dir", (1.0, 0.0))
    return abs(float(direction[1])) < 1e-3 and float(direction[0]) > 0 and not line.get("wmode")


def _box(values: Any) -> HighlightRect:
    x0, y0, x1, y1 = (float(v) for v in values)
    return (x0, y0, x1, y1)
