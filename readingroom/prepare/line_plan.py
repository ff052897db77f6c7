"""A page's plan of rewritten lines, and drawing it: the words placed, the runs they join into.

:mod:`readingroom.prepare.line_typeset` decides where each word goes; this module holds the
result (:class:`PagePlan`) and draws it on the page once the redactions that erase the old
words are applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from readingroom.prepare.font_match import FontBook
from readingroom.prepare.line_words import Box, Word
from readingroom.prepare.matching import Match
from readingroom.prepare.mupdf import Page, Rect, pymupdf
from readingroom.prepare.page_text import color_tuple

# A stamp (a redaction term's reason code) is set smaller than the text, on a black box, in
# Helvetica (a base-14 reference: no font program is embedded for it).
STAMP_TEXT = 0.8
STAMP_PAD = 0.2


@dataclass
class Placed:
    """One word where it is drawn: left edge, baseline, size and font."""

    word: Word
    x: float
    baseline: float
    size: float
    font: pymupdf.Font
    width: float
    joins: str | None = None
    """How the word continues the previous one's text run ("" glued, " " a natural space),
    or None when it starts a run of its own: one TextWriter call per run, not per word."""

    def box(self, x0: float, scale: float) -> Box:
        """The word's new box on the page, after the line's horizontal ``scale`` about ``x0``."""
        left = x0 + (self.x - x0) * scale
        return (left, self.baseline - self.size * 0.8, left + self.width * scale, self.baseline)


@dataclass
class RewrittenLine:
    """A line erased from ``erase`` and drawn again: its words, scale and status."""

    erase: Rect
    x0: float
    baseline: float
    scale: float
    placed: list[Placed]
    status: str

    @property
    def labels(self) -> list[str]:
        """The labels the line now shows (for the report)."""
        seen: list[str] = []
        for placed in self.placed:
            seen += [label for label in placed.word.labels if label not in seen]
        return seen


@dataclass
class PagePlan:
    """What to erase and draw on one page, and the occurrences left to the old way."""

    lines: list[RewrittenLine] = field(default_factory=list)
    pasted: list[Match] = field(default_factory=list)

    def moves(self) -> list[tuple[Box, Box]]:
        """Each rewritten word's old box and new box (to move links and highlights with it)."""
        return [
            (placed.word.box, placed.box(line.x0, line.scale))
            for line in self.lines
            for placed in line.placed
            if placed.word.box is not None
        ]

    def draw(self, page: Page, fonts: FontBook) -> None:
        """Draw every rewritten line (after the redactions are applied)."""
        if not self.lines:
            return
        shape = page.new_shape()
        for line in self.lines:
            _draw_line(page, shape, line, fonts)
        shape.commit(overlay=True)


def _runs(line: RewrittenLine) -> list[tuple[Placed, str]]:
    """The line's words joined into runs of one font, size and colour where spaces allow."""
    runs: list[tuple[Placed, str]] = []
    for placed in line.placed:
        if placed.joins is not None and runs:
            first, text = runs[-1]
            runs[-1] = (first, text + placed.joins + placed.word.text)
        else:
            runs.append((placed, placed.word.text))
    return runs


def _draw_line(page: Page, shape: Any, line: RewrittenLine, fonts: FontBook) -> None:
    morph = None
    if line.scale < 1.0:
        morph = (pymupdf.Point(line.x0, line.baseline), pymupdf.Matrix(line.scale, 1.0))
    writers: dict[int, pymupdf.TextWriter] = {}
    for first, text in _runs(line):
        color = first.word.style.color
        if first.word.stamp:
            x0, _y0, x1, _y1 = first.box(line.x0, line.scale)
            top, bottom = first.baseline - first.size * 0.85, first.baseline + first.size * 0.2
            shape.draw_rect(pymupdf.Rect(x0, top, x1, bottom))
            shape.finish(color=None, fill=(0, 0, 0))
            pad = first.size * STAMP_PAD
            shape.insert_text(
                (first.x + pad, first.baseline - first.size * 0.05),
                text,
                fontsize=first.size * STAMP_TEXT,
                fontname="helv",
                color=(1, 1, 1),
                morph=morph,
            )
            continue
        code = fonts.base14_code(first.font)
        if code is not None:
            shape.insert_text(
                (first.x, first.baseline),
                text,
                fontsize=first.size,
                fontname=code,
                color=color_tuple(color),
                morph=morph,
            )
            continue
        if color not in writers:
            writers[color] = pymupdf.TextWriter(page.rect)
        writers[color].append((first.x, first.baseline), text, font=first.font, fontsize=first.size)
    for color, writer in writers.items():
        writer.write_text(page, color=color_tuple(color), morph=morph)
