"""Which lines the line rewrite can set faithfully, and which occurrences it leaves pasted.

A line is rewritten only if it is horizontal, reads left to right and every character can be
drawn by a font here (the base-14 stand-in or the document's own embedded font). An occurrence
on any other line is pasted the old way, and so is every occurrence sharing a line with it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

from readingroom.prepare.font_match import FontBook, style_of
from readingroom.prepare.matching import Match
from readingroom.prepare.mupdf import Page
from readingroom.prepare.page_text import PageText, TextLine

_RTL = frozenset(("R", "AL", "AN", "RLE", "RLO", "RLI"))


class SettableLines:
    """Answers, per line of one page, whether it can be rewritten; remembers each glyph's answer."""

    def __init__(self, page: Page, page_text: PageText, fonts: FontBook) -> None:
        self.page = page
        self.text = page_text
        self.fonts = fonts
        self._drawable: dict[tuple[str, int, str], bool] = {}

    def __call__(self, line: TextLine) -> bool:
        """Whether the line can be rewritten faithfully by the line rewrite."""
        if not line.horizontal:
            return False
        for index in range(line.start, line.end):
            char = self.text.chars[index]
            if char is None:
                continue
            key = (char.font, char.flags, self.text.text[index])
            known = self._drawable.get(key)
            if known is None:
                known = self._drawable[key] = self._can_draw(*key)
            if not known:
                return False
        return True

    def _can_draw(self, font: str, flags: int, glyph: str) -> bool:
        if unicodedata.bidirectional(glyph) in _RTL:
            return False
        if self.fonts.covers(self.fonts.base14(style_of(font, flags)), glyph):
            return True
        own = self.fonts.embedded(self.page, font)
        return own is not None and self.fonts.covers(own, glyph)


def lines_touched(page_text: PageText, match: Match) -> list[TextLine]:
    """The text lines an occurrence spans (a name can break across lines)."""
    return [line for line in page_text.lines if line.start < match.end and match.start < line.end]


def split_pasted(
    matches: Sequence[Match],
    touched: dict[int, list[TextLine]],
    settable: Callable[[TextLine], bool],
) -> tuple[list[Match], list[Match]]:
    """Split ``matches`` into those to paste the old way and those to rewrite.

    Args:
        matches: the page's occurrences.
        touched: each occurrence's lines, by ``id(match)`` (see :func:`lines_touched`).
        settable: whether a line can be rewritten.

    Returns:
        The matches to paste (on a line that cannot be rewritten, or sharing a line with one
        that is pasted), then the rest, each in the order of ``matches``.
    """
    pasted_lines = {
        line.start for lines in touched.values() for line in lines if not settable(line)
    }
    pasted_ids: set[int] = set()
    grew = True
    while grew:  # a pasted match pastes every line it touches, and every match on those
        grew = False
        for match in matches:
            lines = touched[id(match)]
            if id(match) not in pasted_ids and any(line.start in pasted_lines for line in lines):
                pasted_ids.add(id(match))
                pasted_lines |= {line.start for line in lines}
                grew = True
    pasted = [m for m in matches if id(m) in pasted_ids]
    return pasted, [m for m in matches if id(m) not in pasted_ids]
