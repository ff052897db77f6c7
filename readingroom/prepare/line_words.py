"""A text line as words, after its originals have become labels (and its terms, stamps).

Each line of the page's text layer is cut into words at whitespace. An occurrence's characters
are replaced where it starts by the label's characters, in the style of the first character
they replace ("Smith's" becomes "Social Worker 1's"); where an occurrence runs on to the next
line (a name broken at a line end, hyphenated or not), its characters there are dropped. Each
word remembers the original characters' box (to move links and highlights with it) and whether
it changed, so the line can be rewritten from its first changed word on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from readingroom.prepare.matching import Match
from readingroom.prepare.page_text import PageChar, PageText, TextLine

Box = tuple[float, float, float, float]


@dataclass
class Word:
    """One word to draw: its text, the style of its first character, and where it came from."""

    text: str
    style: PageChar
    """The character whose font, flags, size and colour the word takes."""
    box: Box | None
    """The union of its original characters' boxes (None when the word is wholly new)."""
    changed: bool = False
    stamp: bool = False
    """A redaction term's reason code, drawn white on a black box."""
    space_before: bool = True
    """False when the word was glued to the one before it (punctuation after a name)."""
    labels: list[str] = field(default_factory=list)


@dataclass
class LineWords:
    """One text line as words, and the index of its first changed word (None: unchanged)."""

    line: TextLine
    words: list[Word]
    first_changed: int | None
    baseline: float
    size: float


def _union(a: Box | None, b: Box) -> Box:
    if a is None:
        return b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


class _Builder:
    """Collects characters into words for one line."""

    def __init__(self) -> None:
        self.words: list[Word] = []
        self.current: Word | None = None
        self.glue = False
        self.first_changed: int | None = None

    def mark_changed(self, *, removed: bool) -> None:
        if self.first_changed is None:
            self.first_changed = len(self.words) - (1 if self.current is not None else 0)
        if self.current is not None:
            self.current.changed = True
        elif removed:
            self.glue = True  # the next word follows removed characters directly

    def space(self) -> None:
        self.current = None
        self.glue = False

    def add(self, char: str, style: PageChar, box: Box | None, *, changed: bool) -> None:
        if self.current is None:
            self.current = Word("", style, None, space_before=not self.glue)
            if self.glue:
                self.current.changed = True
            self.glue = False
            self.words.append(self.current)
        self.current.text += char
        if box is not None:
            self.current.box = _union(self.current.box, box)
        if changed:
            self.current.changed = True

    def add_stamp(self, text: str, style: PageChar, box: Box | None, label: str) -> None:
        glued = self.current is not None
        word = Word(text, style, box, changed=True, stamp=True, space_before=not glued)
        word.labels.append(label)
        if self.first_changed is None:
            self.first_changed = len(self.words) - (1 if glued else 0)
        if self.current is not None:
            self.current.changed = True
        self.words.append(word)
        self.current = None
        self.glue = True


def line_words(page_text: PageText, line: TextLine, matches: Sequence[Match]) -> LineWords:
    """The words of ``line`` with every occurrence in ``matches`` replaced or dropped."""
    starts = {m.start: m for m in matches if line.start <= m.start < line.end}
    covered = [m for m in matches if m.start < line.end and m.end > line.start]
    builder = _Builder()
    index = line.start
    baseline = size = 0.0
    while index < line.end:
        match = starts.get(index)
        char = page_text.chars[index]
        if char is not None and not baseline:
            baseline, size = char.origin[1], char.size
        if match is not None and char is not None:
            builder.mark_changed(removed=False)
            target = match.target
            boxes = [c.box for c in page_text.chars[match.start : min(match.end, line.end)] if c]
            box = boxes[0]
            for other in boxes[1:]:
                box = _union(box, other)
            if target.is_redaction:
                builder.add_stamp(target.replacement, char, box, target.replacement)
            else:
                for position, glyph in enumerate(target.replacement):
                    if glyph.isspace():
                        builder.space()
                        continue
                    builder.add(glyph, char, box if position == 0 else None, changed=True)
                    word = builder.current
                    if word is not None and target.replacement not in word.labels:
                        word.labels.append(target.replacement)
            index = min(match.end, line.end)
            continue
        if any(m.start < index < m.end for m in covered):
            builder.mark_changed(
                removed=True
            )  # the rest of an occurrence that started on a line above
            index += 1
            continue
        text = page_text.text[index]
        if char is None or text.isspace():
            builder.space()
        else:
            builder.add(text, char, char.box, changed=False)
        index += 1
    return LineWords(line, builder.words, builder.first_changed, baseline, size)
