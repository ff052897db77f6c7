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
from readingroom.viewing.hit_lines import PageLines

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
    parts: list[HitPart] = []
    blocks = textpage.extractRAWDICT().get("blocks", ())
    page_lines: PageLines | None = None  # only measured on a page with a match
    for block in blocks:
        text, boxes, lines = _block_text(block)
        for match in pattern.finditer(text):
            page_lines = page_lines or PageLines(blocks)
            parts += _match_parts(boxes, lines, match.start(), match.end(), page_lines)
            if len(parts) >= limit:
                return tuple(parts[:limit])
    return tuple(parts)


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


def _match_parts(
    places: list[_Place], lines: list[dict[str, Any]], start: int, end: int, page: PageLines
) -> list[HitPart]:
    by_line: dict[int, HighlightRect] = {}
    for place in places[start:end]:
        if place is None:
            continue
        box, number = _rect(place[0]), place[1]
        known = by_line.get(number)
        by_line[number] = box if known is None else _union(known, box)
    return [
        HitPart(
            rect,
            page.shape(lines[number]).box,
            page.context(lines[number], rect),
            continues=position > 0,
        )
        for position, (number, rect) in enumerate(sorted(by_line.items()))
    ]


def _rect(values: Any) -> HighlightRect:
    x0, y0, x1, y1 = (float(v) for v in values)
    return (x0, y0, x1, y1)


def _union(a: HighlightRect, b: HighlightRect) -> HighlightRect:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
