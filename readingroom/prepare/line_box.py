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

# A paragraph's first line may be indented (or outdented) by up to this much.
_MAX_INDENT = 24.0
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


def _rules(page: Page) -> tuple[list[Box], list[Box]]:
    """Vertical and horizontal strokes, and the edges of rectangles, as thin boxes."""
    vertical: list[Box] = []
    horizontal: list[Box] = []
    try:
        drawings = page.get_cdrawings()
    except Exception:  # no line art we can read: no rules to respect
        return vertical, horizontal
    for drawing in drawings:
        for item in drawing.get("items", ()):
            kind = item[0]
            if kind == "l":
                (x0, y0), (x1, y1) = item[1], item[2]
                if abs(x1 - x0) < 0.5 and abs(y1 - y0) > 2:
                    vertical.append((x0, min(y0, y1), x0, max(y0, y1)))
                elif abs(y1 - y0) < 0.5 and abs(x1 - x0) > 2:
                    horizontal.append((min(x0, x1), y0, max(x0, x1), y0))
            elif kind == "re":
                x0, y0, x1, y1 = item[1]
                if y1 - y0 > 2:  # a cell's sides, or a hairline drawn as a narrow rectangle
                    vertical += [(x0, y0, x0, y1), (x1, y0, x1, y1)]
                if x1 - x0 > 2:
                    horizontal += [(x0, y0, x1, y0), (x0, y1, x1, y1)]
    return vertical, horizontal


def _same_paragraph(above: TextLine, below: TextLine) -> bool:
    """Whether ``below`` continues ``above``'s paragraph (not a cell beside it)."""
    ax0, ay0, ax1, ay1 = above.bbox
    bx0, by0, bx1, _by1 = below.bbox
    height = max(ay1 - ay0, 1.0)
    return (
        by0 > ay0 + 0.5 * height
        and by0 - ay1 < 0.8 * height
        and abs(bx0 - ax0) < _MAX_INDENT
        and min(ax1, bx1) > max(ax0, bx0)
    )


class PageBoxes:
    """Computes the right limit of lines on one page (drawings read once, on first need)."""

    def __init__(self, page: Page, page_text: PageText) -> None:
        """Index the page's blocks; the line art is read lazily."""
        self._page = page
        self._lines = [line for line in page_text.lines if line.horizontal]
        # A text block can hold a whole table row: its paragraphs are runs of lines that
        # follow each other down one column.
        self._paragraph: dict[int, int] = {}
        self._members: list[list[TextLine]] = []
        previous: TextLine | None = None
        for line in self._lines:
            if previous is None or previous.block != line.block:
                candidates: list[list[TextLine]] = []
            joined = next((p for p in reversed(candidates) if _same_paragraph(p[-1], line)), None)
            if joined is None:
                joined = []
                candidates.append(joined)
                self._members.append(joined)
                self._paragraph[line.start] = len(self._members) - 1
            else:
                self._paragraph[line.start] = self._paragraph[joined[0].start]
            joined.append(line)
            previous = line
        self._blocks: dict[int, Box] = {}
        for number, members in enumerate(self._members):
            box = members[0].bbox
            for member in members[1:]:
                box = _union(box, member.bbox)
            self._blocks[number] = box
        self._rules: tuple[list[Box], list[Box]] | None = None

    def paragraph(self, line: TextLine) -> int:
        """The number of the paragraph ``line`` belongs to."""
        return self._paragraph[line.start]

    def block_box(self, paragraph: int) -> Box:
        """The union of the paragraph's lines."""
        return self._blocks[paragraph]

    def block_lines(self, paragraph: int) -> list[TextLine]:
        """The paragraph's lines in reading order."""
        return list(self._members[paragraph])

    def adopt(self, new: TextLine, like: TextLine) -> None:
        """Count a line added under ``like`` as part of its paragraph."""
        self._paragraph[new.start] = self._paragraph[like.start]

    def room_below(self, line: TextLine, pitch: float, right: float) -> bool:
        """Whether a new line fits under ``line``: no text, rule or page edge in the way."""
        x0, y0, _x1, y1 = line.bbox
        top, bottom = y0 + pitch, y1 + pitch
        if bottom > float(self._page.rect.y1) - _MIN_CLEARANCE:
            return False
        for other in self._lines:
            ox0, oy0, ox1, oy1 = other.bbox
            crosses = oy0 < bottom - 0.5 and oy1 > top + 0.5 and ox0 < right and ox1 > x0
            if other is not line and crosses:
                return False
        if self._rules is None:
            self._rules = _rules(self._page)
        return not any(
            y1 - 0.5 < ry < bottom + 0.5 and rx0 < right and rx1 > x0
            for rx0, ry, rx1, _ry in self._rules[1]
        )

    def limit(self, line: TextLine, space: float) -> Limit:
        """How far right ``line`` may be set when it is ragged."""
        _x0, y0, x1, y1 = line.bbox
        block_x0 = self._blocks[self._paragraph[line.start]][0]
        right = max(box[2] for box in self._blocks.values() if abs(box[0] - block_x0) <= _SAME_EDGE)
        # With margins as wide on the right as on the left, a line alone in its column (a
        # heading, a one-line paragraph) may reach as far as the page's text does.
        leftmost = min(box[0] for box in self._blocks.values())
        right = max(right, float(self._page.rect.x1) - (leftmost - float(self._page.rect.x0)))
        right = min(right, float(self._page.rect.x1) - _MIN_CLEARANCE)
        middle = (y0 + y1) / 2
        for other in self._lines:
            if self._paragraph[other.start] == self._paragraph[line.start]:
                continue
            ox0, oy0, _ox1, oy1 = other.bbox
            if oy0 < middle < oy1 and ox0 >= x1 - 0.5:
                right = min(right, ox0 - max(space, _MIN_CLEARANCE))
        in_box = False
        if self._rules is None:
            self._rules = _rules(self._page)
        padding = min(_MAX_PADDING, max(_MIN_CLEARANCE, self._left_padding(line)))
        for rx0, ry0, _rx1, ry1 in self._rules[0]:
            if ry0 < middle < ry1 and rx0 >= x1 - 0.5 and rx0 - padding < right:
                right = rx0 - padding
                in_box = True
        return Limit(max(right, x1), in_box)

    def _left_padding(self, line: TextLine) -> float:
        """The distance from the nearest rule on the line's left to its text (a cell's padding)."""
        x0, y0, _x1, y1 = line.bbox
        middle = (y0 + y1) / 2
        rules = self._rules[0] if self._rules else []
        lefts = [r[2] for r in rules if r[1] < middle < r[3] and r[2] <= x0 + 0.5]
        return x0 - max(lefts) if lefts else 0.0


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
