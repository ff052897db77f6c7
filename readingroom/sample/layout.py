"""Laying the HTML out on A4 pages, repeated until page numbers and table breaks settle."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pymupdf

from readingroom.sample.constants import (
    BODY,
    CHRONOLOGY_MARK,
    CHRONOLOGY_START,
    EM,
    MAX_LAYOUT_PASSES,
    MIN_ROWS_FIRST_PAGE,
    PAGE,
    PAGE_MARK,
)
from readingroom.sample.markup import chronology


def _lay_out(html_text: str, css: str, *, write: bool) -> tuple[Any, list[Any]]:
    """Lay the HTML out on A4 pages: the document (only if ``write``) and element positions.

    Each position is a pymupdf ElementPosition to which Story.write adds a ``page_num``.
    """
    positions: list[Any] = []
    stream = io.BytesIO()
    writer = pymupdf.DocumentWriter(stream) if write else None
    story = pymupdf.Story(html_text, user_css=css, em=EM)

    def rectfn(rect_num: int, filled: Any) -> tuple[Any, Any, Any]:
        return PAGE, BODY, None

    story.write(writer, rectfn, positionfn=positions.append)
    if writer is None:
        return None, positions
    writer.close()
    return pymupdf.open("pdf", stream.getvalue()), positions


def _render(body: str, rows: list[str], pages: dict[str, int], breaks: Sequence[int]) -> str:
    # Unknown page numbers print as "00", the width most of them will have, so that filling
    # them in rarely changes how a paragraph wraps.
    return _fill_pages(body.replace(CHRONOLOGY_MARK, chronology(rows, frozenset(breaks))), pages)


def _fill_pages(html_text: str, pages: dict[str, int]) -> str:
    return PAGE_MARK.sub(lambda m: str(pages.get(m.group(1), "00")), html_text)


def paginate(body: str, rows: list[str], css: str) -> tuple[Any, list[Any]]:
    """Lay the document out again until its page numbers and chronology breaks are stable."""
    pages: dict[str, int] = {}
    breaks: tuple[int, ...] = ()
    for _ in range(MAX_LAYOUT_PASSES):
        html_text = _render(body, rows, pages, breaks)
        _, positions = _lay_out(html_text, css, write=False)
        pages = _anchor_pages(positions)
        start = next(p for p in positions if p.id == CHRONOLOGY_START and p.open_close & 1)
        filled_rows = [_fill_pages(row, pages) for row in rows]
        settled = _chronology_breaks(filled_rows, css, start.rect[1])
        if settled != breaks:
            breaks = settled
        elif _render(body, rows, pages, breaks) == html_text:
            return _lay_out(html_text, css, write=True)
    raise RuntimeError("the sample document's layout did not settle")


def _chronology_breaks(rows: list[str], css: str, start: float) -> tuple[int, ...]:
    """Find the rows that must start a page, given where on its page the table starts.

    The table is laid out alone, a page at a time, each page starting with the header row; a
    row that does not end on a page starts the next one. A table that would begin with fewer
    than a few rows at the foot of a page starts on the next page instead (a break before row 1).
    """
    breaks: list[int] = []
    index = 0
    top = start - _start_offset(css)
    while index < len(rows):
        fitted = _rows_that_fit(rows[index:], css, top)
        top = BODY.y0
        if index == 0 and not breaks and fitted < min(MIN_ROWS_FIRST_PAGE, len(rows)):
            breaks.append(1)
            continue
        index += max(1, fitted)  # a row taller than a page goes on a page of its own
        if index < len(rows):
            breaks.append(index + 1)
    return tuple(breaks)


def _rows_that_fit(rows: list[str], css: str, top: float) -> int:
    ended = _place(chronology(rows, frozenset()), css, top)
    return sum(1 for p in ended if p.id and p.id[1:].isdigit() and p.open_close & 2)


def _start_offset(css: str) -> float:
    """How far below the top of its area the table's start marker is laid out."""
    placed = _place(chronology([], frozenset()), css, BODY.y0)
    return float(next(p.rect[1] for p in placed if p.id == CHRONOLOGY_START) - BODY.y0)


def _place(html_text: str, css: str, top: float) -> list[Any]:
    """Lay out what fits of ``html_text`` on one page from ``top`` down; return the positions."""
    story = pymupdf.Story(html_text, user_css=css, em=EM)
    story.place(pymupdf.Rect(BODY.x0, top, BODY.x1, BODY.y1))
    positions: list[Any] = []

    def collect(position: Any) -> None:  # Story insists on a Python function, not any callable
        positions.append(position)

    story.element_positions(collect)
    return positions


def _anchor_pages(positions: list[Any]) -> dict[str, int]:
    pages: dict[str, int] = {}
    for position in positions:
        if position.open_close & 1 and position.id:
            pages.setdefault(position.id, position.page_num)
    return pages
