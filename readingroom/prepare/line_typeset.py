"""Re-typesetting the lines that hold a replaced name, so the label reads as part of the text.

For each paragraph (a text block) with an occurrence, every changed line is rewritten from its
first changed word to its end (the whole line when it is justified): the words are erased by a
redaction and drawn again, labels included, in the font of the text they stand in (see
:mod:`readingroom.prepare.font_match`), at its size, colour and baseline, spaced by
:mod:`readingroom.prepare.line_layout` inside the box :mod:`readingroom.prepare.line_box` finds.
A line too long even condensed carries its last words over to the next line of the paragraph,
which is then rewritten whole; the paragraph's last line shrinks as a last resort.

Lines this cannot rewrite faithfully (rotated text, right-to-left scripts, characters no font
here can draw) are left to the old way: the label pasted over the gap, reported as "pasted".
The plan this makes, and drawing it, are in :mod:`readingroom.prepare.line_plan`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from statistics import median

from readingroom.prepare import line_layout
from readingroom.prepare.font_match import FontBook, style_of
from readingroom.prepare.line_box import PageBoxes
from readingroom.prepare.line_plan import STAMP_PAD, STAMP_TEXT, PagePlan, Placed, RewrittenLine
from readingroom.prepare.line_settable import SettableLines, lines_touched, split_pasted
from readingroom.prepare.line_words import LineWords, Word, line_words
from readingroom.prepare.matching import Match
from readingroom.prepare.mupdf import Page, pymupdf
from readingroom.prepare.page_text import PageText, TextLine

# Erasing the rest of a line must not touch the lines above and below: the band is trimmed.
_VERTICAL_TRIM = 0.15


class _Typesetter:
    """Plans one page: which lines change, how each is set, what carries over."""

    def __init__(self, page: Page, page_text: PageText, fonts: FontBook) -> None:
        self.page = page
        self.text = page_text
        self.fonts = fonts
        self.boxes = PageBoxes(page, page_text)
        self.settable = SettableLines(page, page_text, fonts)
        self._fonts: dict[tuple[str, int, str], pymupdf.Font] = {}
        self._new_lines = 0  # new lines get negative numbers where text lines have offsets

    def font(self, word: Word) -> pymupdf.Font:
        key = (word.style.font, word.style.flags, word.text)
        font = self._fonts.get(key)
        if font is None:
            style = style_of(word.style.font, word.style.flags)
            font = self.fonts.font_for(self.page, word.style.font, style, word.text)
            self._fonts[key] = font
        return font

    def width(self, word: Word, size: float) -> float:
        if word.stamp:
            stamp = self.fonts.base14(style_of("Helvetica", 0))
            text = self.fonts.width(stamp, word.text, size * STAMP_TEXT)
            return text + 2 * size * STAMP_PAD
        return self.fonts.width(self.font(word), word.text, size)

    def ordinary_space(self, words: Sequence[Word], size: float, font: pymupdf.Font) -> float:
        """The line's usual word space: the median gap between its original words."""
        gaps = [
            b.box[0] - a.box[2]
            for a, b in itertools.pairwise(words)
            if a.box is not None
            and b.box is not None
            and b.space_before
            and not b.changed
            and not a.changed
            and b.box[0] > a.box[2]
        ]
        natural = self.fonts.width(font, " ", size) or size * 0.25
        if not gaps:
            return natural
        return min(max(median(gaps), natural * 0.5), natural * 2.5)

    def justified(self, lw: LineWords, block: list[TextLine], space: float) -> bool:
        """A line of a paragraph set flush to both edges (never its last line)."""
        if lw.line is block[-1] or len(block) < 2:
            return False
        right = self.boxes.block_box(self.boxes.paragraph(lw.line))[2]
        if lw.line.bbox[2] < right - 1.0:
            return False
        natural = self.fonts.width(self.font(lw.words[0]), " ", lw.size) if lw.words else 0
        flush = sum(1 for line in block[:-1] if line.bbox[2] >= right - 1.0)
        return space > natural * 1.05 or flush >= 2

    def plan_block(
        self, block: list[TextLine], changed: dict[int, LineWords], plan: PagePlan
    ) -> None:
        """Rewrite the changed lines of one paragraph, carrying overflow down its lines."""
        original = [line for line in block if line.start >= 0]
        for above, below in itertools.pairwise(original):
            upper, lower = changed.get(above.start), changed.get(below.start)
            if upper is None or lower is None or not lower.words:
                continue
            if not lower.words[0].space_before and lower.words[0].changed:
                # "Acacia / Road, who": the comma after a name's second half goes up with
                # the label rather than start the next line.
                upper.words.append(lower.words.pop(0))
        planned = PagePlan()
        self.flow_block(block, changed, planned)
        last = planned.lines[-1].status if planned.lines else line_layout.RETYPESET
        if last in (line_layout.SHRUNK, line_layout.CELL_OVERFLOW) and len(original) > 1:
            # The last line could not carry on: use the room the lines above it have spare.
            reflowed = self.reflow(original, changed)
            if reflowed is not None:
                planned.lines = reflowed
        plan.lines += planned.lines

    def reflow(
        self, block: list[TextLine], changed: dict[int, LineWords]
    ) -> list[RewrittenLine] | None:
        """Set the whole paragraph again, ragged, line by line; None if it does not fit."""
        lines = [changed.get(line.start) or line_words(self.text, line, ()) for line in block]
        words = [word for lw in lines for word in lw.words]
        out: list[RewrittenLine] = []
        for lw in lines:
            if not words:
                out.append(self.erase_only(lw.line))
                continue
            size = lw.size or words[0].style.size
            space = self.fonts.width(self.font(words[0]), " ", size) or size * 0.25
            available = self.boxes.limit(lw.line, space).right - lw.line.bbox[0]
            taken = 1
            total = self.width(words[0], words[0].style.size)
            while taken < len(words):
                word = words[taken]
                extra = self.width(word, word.style.size) + (space if word.space_before else 0)
                if total + extra > available:
                    break
                total += extra
                taken += 1
            line_set = words[:taken]
            words = words[taken:]
            setting = line_layout.set_line(
                [self.width(w, w.style.size) for w in line_set],
                [not w.space_before for w in line_set],
                space=space,
                available=available,
                justified=False,
                may_overflow=False,
            )
            if setting is None or setting.status != line_layout.RETYPESET:
                return None
            out.append(
                self.place(
                    lw.line, lw, line_set, setting, x0=lw.line.bbox[0], status=line_layout.CARRIED
                )
            )
        return None if words else out

    def flow_block(
        self, block: list[TextLine], changed: dict[int, LineWords], plan: PagePlan
    ) -> None:
        """Rewrite lines from the first changed word on, carrying overflow down the lines."""
        carry: list[Word] = []
        for index, line in enumerate(block):
            lw = changed.get(line.start)
            if lw is None:
                if not carry:
                    continue
                lw = line_words(self.text, line, ())
            carried_in = bool(carry)
            if carry and lw.words and carry[-1].text.endswith("-"):
                lw.words[0].space_before = False  # a word broken at the line end stays whole
            sample = lw.words[0] if lw.words else (carry[0] if carry else None)
            if sample is None:
                # Nothing is left on the line (a name's second half): erase it, draw nothing.
                plan.lines.append(self.erase_only(line))
                continue
            size = lw.size or sample.style.size
            space = self.ordinary_space(lw.words, size, self.font(sample))
            justified = self.justified(lw, block, space)
            if not justified:
                # Ragged text is set with the font's own space, so words join into one run.
                space = self.fonts.width(self.font(sample), " ", size) or space
            start = 0 if (justified or carry) else (lw.first_changed or 0)
            segment = carry + lw.words[start:]
            first_box = lw.words[start].box if start < len(lw.words) else None
            x0 = line.bbox[0] if (carry or first_box is None or start == 0) else first_box[0]
            limit = self.boxes.limit(line, space)
            right = line.bbox[2] if justified else limit.right
            following = block[index + 1] if index + 1 < len(block) else None
            if following is None:
                following = self.new_line_below(block, lw, right)
                if following is not None:
                    block.append(following)
                    changed[following.start] = LineWords(
                        following, [], None, lw.baseline + self.pitch(block, lw), lw.size
                    )
            can_carry = following is not None and self.settable(following)
            if justified and following is not None and can_carry:
                pulled = self.pull_back(segment, space, right - x0, following, changed)
                segment += pulled
                carried_in = carried_in or bool(pulled)
            setting, carry = self.set_segment(segment, space, right - x0, justified, can_carry)
            status = setting.status
            if (carry or carried_in) and status in (line_layout.RETYPESET, line_layout.CONDENSED):
                status = line_layout.CARRIED
            if status == line_layout.SHRUNK and limit.in_box:
                status = line_layout.CELL_OVERFLOW
            kept = segment[: len(segment) - len(carry)]
            plan.lines.append(self.place(line, lw, kept, setting, x0=x0, status=status))

    def pitch(self, block: list[TextLine], lw: LineWords) -> float:
        """The distance between the baselines of the paragraph's lines."""
        index = block.index(lw.line)
        if index:
            return lw.line.bbox[1] - block[index - 1].bbox[1]
        top, bottom = lw.line.bbox[1], lw.line.bbox[3]
        return (bottom - top) * 1.15

    def new_line_below(self, block: list[TextLine], lw: LineWords, right: float) -> TextLine | None:
        """A new last line for the paragraph, if the space under it is empty (a table cell's
        spare room, the gap before the next paragraph is not: that one is kept)."""
        pitch = self.pitch(block, lw)
        if not self.boxes.room_below(lw.line, pitch, right):
            return None
        self._new_lines -= 1
        x0, y0, x1, y1 = lw.line.bbox
        box = (x0 if len(block) == 1 else block[1].bbox[0], y0 + pitch, x1, y1 + pitch)
        line = TextLine(lw.line.block, box, True, self._new_lines, self._new_lines)
        self.boxes.adopt(line, lw.line)
        return line

    def pull_back(
        self,
        segment: list[Word],
        space: float,
        available: float,
        following: TextLine,
        changed: dict[int, LineWords],
    ) -> list[Word]:
        """Words taken back from the next line when a justified line would spread too wide.

        The next line then starts with what is left and is rewritten whole.
        """
        widths = [self.width(word, word.style.size) for word in segment]
        glued = [not word.space_before for word in segment]
        gaps = sum(1 for i, glue in enumerate(glued) if i and not glue)
        if not gaps or sum(widths) + space * line_layout.MAX_STRETCH * gaps >= available:
            return []
        lw = changed.get(following.start) or line_words(self.text, following, ())
        pulled: list[Word] = []
        total = line_layout.natural_width(widths, glued, space)
        while lw.words:
            word = lw.words[0]
            extra = self.width(word, word.style.size) + (space if word.space_before else 0)
            if total + extra > available:
                break
            if segment and not pulled and segment[-1].text.endswith("-"):
                word.space_before = False  # the second half of a word broken at the line end
            pulled.append(lw.words.pop(0))
            total += extra
            gaps += 1
            if (
                sum(widths)
                + sum(self.width(w, w.style.size) for w in pulled)
                + (space * line_layout.MAX_STRETCH * gaps)
                >= available
            ):
                break
        if pulled:
            lw.first_changed = 0
            changed[following.start] = lw
        return pulled

    def set_segment(
        self, words: list[Word], space: float, available: float, justified: bool, can_carry: bool
    ) -> tuple[line_layout.Setting, list[Word]]:
        """Set the words; what does not fit even condensed goes to the next line (returned)."""
        kept = list(words)
        moved: list[Word] = []
        while True:
            widths = [self.width(word, word.style.size) for word in kept]
            glued = [not word.space_before for word in kept]
            alone = len(kept) <= 1
            setting = line_layout.set_line(
                widths,
                glued,
                space=space,
                available=available,
                justified=justified,
                may_overflow=alone or not can_carry,
                condense=line_layout.MAX_CONDENSE
                if alone or not can_carry
                else line_layout.CONDENSE_BEFORE_CARRY,
            )
            # Once words are carried, carry enough that the rest needs no condensing.
            if setting is not None and (
                not moved or alone or setting.status == line_layout.RETYPESET
            ):
                return setting, moved
            while len(kept) > 1:
                word = kept.pop()
                moved.insert(0, word)
                if word.space_before:
                    break  # a word glued to the one before it goes with it

    def place(
        self,
        line: TextLine,
        lw: LineWords,
        words: list[Word],
        setting: line_layout.Setting,
        *,
        x0: float,
        status: str,
    ) -> RewrittenLine:
        """Turn a setting into positioned words, and the area to erase first."""
        baseline = lw.baseline or line.bbox[3] - (line.bbox[3] - line.bbox[1]) * 0.25
        placed: list[Placed] = []
        for word, offset in zip(words, setting.offsets, strict=True):
            size = word.style.size * setting.shrink
            own = word.style.origin[1]
            # Superscripts keep their own raise; a word from the line above takes this baseline.
            y = own if abs(own - baseline) < word.style.size * 0.5 else baseline
            font = self.stamp_font() if word.stamp else self.font(word)
            here = Placed(word, x0 + offset, y, size, font, self.width(word, size))
            here.joins = self.joins(placed[-1], here) if placed else None
            placed.append(here)
        erase = self.erase_only(line, x0)
        return RewrittenLine(erase.erase, x0, baseline, setting.scale, placed, status)

    def joins(self, before: Placed, word: Placed) -> str | None:
        """The text that joins ``word`` to the run ``before`` ends, if it can be one run."""
        if word.word.stamp or before.word.stamp or word.font is not before.font:
            return None
        if (word.size, word.baseline, word.word.style.color) != (
            before.size,
            before.baseline,
            before.word.style.color,
        ):
            return None
        gap = word.x - (before.x + before.width)
        if not word.word.space_before:
            return "" if abs(gap) < 0.01 else None
        return " " if abs(gap - self.fonts.width(word.font, " ", word.size)) < 0.01 else None

    def erase_only(self, line: TextLine, x0: float | None = None) -> RewrittenLine:
        """A line (from ``x0`` on) to erase; nothing drawn unless words are added."""
        left, top, right, bottom = line.bbox
        trim = (bottom - top) * _VERTICAL_TRIM
        start = left if x0 is None else min(x0, right)
        rect = pymupdf.Rect(start - 0.3, top + trim, right + 0.3, bottom - trim)
        return RewrittenLine(rect, start, bottom, 1.0, [], line_layout.RETYPESET)

    def stamp_font(self) -> pymupdf.Font:
        return self.fonts.base14(style_of("Helvetica", 0))


def plan_page(
    page: Page, page_text: PageText, matches: Sequence[Match], fonts: FontBook
) -> PagePlan:
    """Plan the re-typesetting of every line ``matches`` touch on ``page``.

    Returns:
        The lines to erase and draw, and the matches to paste the old way (lines this module
        cannot rewrite, and every match sharing a line with one of them).
    """
    setter = _Typesetter(page, page_text, fonts)
    touched = {id(match): lines_touched(page_text, match) for match in matches}
    pasted, kept = split_pasted(matches, touched, setter.settable)
    plan = PagePlan(pasted=pasted)
    blocks: dict[int, dict[int, LineWords]] = {}
    for match in kept:
        for line in touched[id(match)]:
            block = blocks.setdefault(setter.boxes.paragraph(line), {})
            if line.start not in block:
                block[line.start] = line_words(page_text, line, kept)
    for block_number, changed in sorted(blocks.items()):
        setter.plan_block(setter.boxes.block_lines(block_number), changed, plan)
    return plan
