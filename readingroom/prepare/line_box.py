"""The box a text line lives in: its paragraph's column, a table cell's rules, its neighbours.

A ragged line may grow to the right edge of its column (the widest line of the blocks that
start where its block starts), but never past a vertical rule (a table cell's border, less the
cell's own left padding) nor into text standing to its right on the same line (the page number
of a contents line, the next cell of a table drawn without rules).
"""

from __future__ import annotations

from dataclasses import dataclass

from readingroom.prepare.mupdf import Page
from readingroom.prepare.page_text import PageText, TextLine

Box = tuple[float, float, float, float]

# Two blocks start "at the same place" (one column) within this distance.
_SAME_EDGE = 2.0
# The least room kept between a grown line and a rule or another text to its right.
_MIN_CLEARANCE = 1.5
# A cell's padding is read from the rule on its left; one farther off is not its cell's.
_MAX_PADDING = 8.0


@dataclass(frozen=True)
class Limit:
    """How far right a line may reach, and whether a ruled box (a table cell) set it."""

    right: float
    in_box: bool


def _vertical_rules(page: Page) -> list[Box]:
    """Vertical strokes and the left/right edges of rectangles, as thin boxes."""
    rules: list[Box] = []
    try:
        drawings = page.get_cdrawings()
    except Exception:  # no line art we can read: no rules to respect
        return rules
    for drawing in drawings:
        for item in drawing.get("items", ()):
            kind = item[0]
            if kind == "l":
                (x0, y0), (x1, y1) = item[1], item[2]
                if abs(x1 - x0) < 0.5 and abs(y1 - y0) > 2:
                    rules.append((x0, min(y0, y1), x0, max(y0, y1)))
            elif kind == "re":
                x0, y0, x1, y1 = item[1]
                if y1 - y0 > 2 and x1 - x0 > 2:
                    rules.append((x0, y0, x0, y1))
                    rules.append((x1, y0, x1, y1))
                elif y1 - y0 > 2:  # a hairline drawn as a narrow filled rectangle
                    rules.append((x0, y0, x1, y1))
    return rules


class PageBoxes:
    """Computes the right limit of lines on one page (drawings read once, on first need)."""

    def __init__(self, page: Page, page_text: PageText) -> None:
        """Index the page's blocks; the line art is read lazily."""
        self._page = page
        self._lines = [line for line in page_text.lines if line.horizontal]
        self._blocks: dict[int, Box] = {}
        for line in self._lines:
            box = self._blocks.get(line.block)
            self._blocks[line.block] = line.bbox if box is None else _union(box, line.bbox)
        self._rules: list[Box] | None = None

    def block_box(self, block: int) -> Box:
        """The union of the block's horizontal lines."""
        return self._blocks[block]

    def block_lines(self, block: int) -> list[TextLine]:
        """The block's horizontal lines in reading order."""
        return [line for line in self._lines if line.block == block]

    def limit(self, line: TextLine, space: float) -> Limit:
        """How far right ``line`` may be set when it is ragged."""
        _x0, y0, x1, y1 = line.bbox
        block_x0 = self._blocks[line.block][0]
        right = max(box[2] for box in self._blocks.values() if abs(box[0] - block_x0) <= _SAME_EDGE)
        # With margins as wide on the right as on the left, a line alone in its column (a
        # heading, a one-line paragraph) may reach as far as the page's text does.
        leftmost = min(box[0] for box in self._blocks.values())
        right = max(right, float(self._page.rect.x1) - (leftmost - float(self._page.rect.x0)))
        right = min(right, float(self._page.rect.x1) - _MIN_CLEARANCE)
        middle = (y0 + y1) / 2
        for other in self._lines:
            if other.block == line.block:
                continue
            ox0, oy0, _ox1, oy1 = other.bbox
            if oy0 < middle < oy1 and ox0 >= x1 - 0.5:
                right = min(right, ox0 - max(space, _MIN_CLEARANCE))
        in_box = False
        if self._rules is None:
            self._rules = _vertical_rules(self._page)
        padding = min(_MAX_PADDING, max(_MIN_CLEARANCE, self._left_padding(line)))
        for rx0, ry0, _rx1, ry1 in self._rules:
            if ry0 < middle < ry1 and rx0 >= x1 - 0.5 and rx0 - padding < right:
                right = rx0 - padding
                in_box = True
        return Limit(max(right, x1), in_box)

    def _left_padding(self, line: TextLine) -> float:
        """The distance from the nearest rule on the line's left to its text (a cell's padding)."""
        x0, y0, _x1, y1 = line.bbox
        middle = (y0 + y1) / 2
        lefts = [r[2] for r in self._rules or () if r[1] < middle < r[3] and r[2] <= x0 + 0.5]
        return x0 - max(lefts) if lefts else 0.0


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
