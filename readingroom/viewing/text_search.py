"""Finding the reader's query on one page, in the renderer process: rectangles out, never text.

PyMuPDF's ``search_for`` is always case-insensitive and knows nothing of words, so the reader's
"Match case" and "Whole words" options are applied here, to the characters MuPDF extracts (with
its search flags: ligatures expanded, hyphenated line ends joined) and with Python's ``re``.
Lines of one text block are joined with a space, so a phrase that wraps onto the next line is
still found (one rectangle per line it touches). Each rectangle travels with the box of its
line and the window of whole words around it (viewing/hit_lines.py: the line's own band,
never reaching into the lines above and below): the viewer crops that window out of a
watermarked page image to show the hit in context, which is how the results list shows
context without ever holding the text.

This module imports no Qt and no PyMuPDF (the page arrives as an object from the caller).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from readingroom.viewing.document_model import HighlightRect
from readingroom.viewing.hit_lines import CONTEXT_WIDTH_PT, PageLines

# search_for's own flags: ligatures expanded, dehyphenation, whitespace kept as characters.
_TEXT_FLAGS = 210  # pymupdf.TEXTFLAGS_SEARCH (checked by tests/core/test_text_search.py)


@dataclass(frozen=True)
class SearchOptions:
    """How to match: case-sensitively and/or whole words only (both off: like Okular's default)."""

    match_case: bool = False
    whole_words: bool = False


# Neither option: case-insensitive, anywhere in a word (what search_for did before the options).
PLAIN_SEARCH = SearchOptions()


@dataclass(frozen=True)
class HitPart:
    """One line's part of a match: its box, its line's, its context's, whether it continues one.

    ``line`` is the whole line (its words, in its own band) and is the same box for every hit
    on that line; ``context`` is the part of it a result shows: the whole line, or a window of
    whole words around the hit on a long line (viewing/hit_lines.py).
    """

    rect: HighlightRect
    line: HighlightRect
    context: HighlightRect
    continues: bool = False


def query_pattern(query: str, options: SearchOptions) -> re.Pattern[str] | None:
    """The regular expression for ``query``: literal words, any run of spaces between them."""
    words = query.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(word) for word in words)
    if options.whole_words:
        pattern = rf"(?<!\w){pattern}(?!\w)"
    return re.compile(pattern, 0 if options.match_case else re.IGNORECASE)


def find_on_page(page: Any, query: str, options: SearchOptions, limit: int) -> tuple[HitPart, ...]:
    """Where ``query`` is on a ``pymupdf.Page``: at most ``limit`` parts, in reading order."""
    pattern = query_pattern(query, options)
    if pattern is None:
        return ()
    textpage = page.get_textpage(flags=_TEXT_FLAGS)
    # Character boxes cost four times what the page's plain text does, and most pages of a
    # review do not hold a given name or term: look at the plain text first. (Its lines end in
    # newlines where ours are joined by a space; the pattern takes any whitespace for either.)
    if pattern.search(textpage.extractText()) is None:
        return ()
    found: list[_Found] = []
    blocks = textpage.extractRAWDICT().get("blocks", ())
    for block in blocks:
        text, boxes, lines = _block_text(block)
        for match in pattern.finditer(text):
            found += _match_parts(boxes, lines, match.start(), match.end())
            if len(found) >= limit:
                return _with_lines(found[:limit], PageLines(blocks))
    return _with_lines(found, PageLines(blocks)) if found else ()


# A character's place: its box as MuPDF gave it and the index of its line in the block (None
# for the space that joins two lines). Boxes are converted only for the characters of a match:
# a page has thousands of characters and this loop is most of a search's time.
_Place = tuple[Any, int] | None


def _block_text(block: dict[str, Any]) -> tuple[str, list[_Place], list[dict[str, Any]]]:
    chars: list[str] = []
    places: list[_Place] = []
    lines: list[dict[str, Any]] = []
    for line in block.get("lines", ()):
        if lines:
            chars.append(" ")
            places.append(None)
        number = len(lines)
        lines.append(line)
        for span in line.get("spans", ()):
            for char in span.get("chars", ()):
                chars.append(char["c"][:1] or " ")
                places.append((char["bbox"], number))
    return "".join(chars), places, lines


# One line's part of a match before its line is measured: the line, the part's box, continues.
_Found = tuple[dict[str, Any], HighlightRect, bool]


def _match_parts(
    places: list[_Place], lines: list[dict[str, Any]], start: int, end: int
) -> list[_Found]:
    by_line: dict[int, HighlightRect] = {}
    for place in places[start:end]:
        if place is None:
            continue
        box, number = _rect(place[0]), place[1]
        known = by_line.get(number)
        by_line[number] = box if known is None else _union(known, box)
    return [
        (lines[number], rect, position > 0)
        for position, (number, rect) in enumerate(sorted(by_line.items()))
    ]


def _with_lines(found: list[_Found], page: PageLines) -> tuple[HitPart, ...]:
    """The parts with their line's box and one context for all the hits on each line.

    The results list shows a line once, so its hits share one window: around all of them when
    they fit in it, else around the line's first hit (the row says how many hits it holds).
    """
    parts: list[HitPart] = []
    start = 0
    while start < len(found):
        line = found[start][0]
        end = start
        while end < len(found) and found[end][0] is line:
            end += 1
        rects = [rect for _, rect, _ in found[start:end]]
        span = (min(r[0] for r in rects), rects[0][1], max(r[2] for r in rects), rects[0][3])
        if span[2] - span[0] > CONTEXT_WIDTH_PT:
            starts = [rect for _, rect, continues in found[start:end] if not continues]
            span = (starts or rects)[0]
        context = page.context(line, span)
        box = page.shape(line).box
        parts += [HitPart(rect, box, context, continues) for _, rect, continues in found[start:end]]
        start = end
    return tuple(parts)


def _rect(values: Any) -> HighlightRect:
    x0, y0, x1, y1 = (float(v) for v in values)
    return (x0, y0, x1, y1)


def _union(a: HighlightRect, b: HighlightRect) -> HighlightRect:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
