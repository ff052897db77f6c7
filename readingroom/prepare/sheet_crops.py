"""The pictures of the review sheet: each occurrence's line, drawn before and after preparing.

While ``prepare`` works through the pages, :class:`OccurrenceRecorder` is handed each page just
before its names are replaced. It finds the occurrences exactly as the replacement does (same
page text, same matcher, same "no box, no occurrence" rule), so the sheet lists one entry per
occurrence the report counts on the pages, and renders the lines each one touches from the
still untouched page. Once the prepared PDF is verified, :func:`render_after` draws the same
areas from it. Areas are kept in unrotated page coordinates (those of the text extraction);
the crops are drawn so the line reads left to right, however the page is rotated and whichever
way the text runs on it (a sideways scan's OCR lines run up the unrotated page).

The pictures show the originals: they exist only in memory and in the sheet the custodian
asked for.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from readingroom.prepare.matching import Matcher
from readingroom.prepare.mupdf import Page, Rect, pymupdf
from readingroom.prepare.page_text import PageText, extract_page_text, pieces_of

ZOOM = 2.0
"""Pixels per point of a crop: small type stays legible without making the sheet huge."""
_MAX_WIDTH_PX = 1800
_MAX_HEIGHT_PX = 480
"""A line set in huge type (or a "line" spanning a page) is drawn smaller, never larger."""
_MARGIN_X = 6.0
_MARGIN_Y_SHARE = 0.35
"""Context around the lines: a little of the lines above and below, in share of a line."""


@dataclass(frozen=True)
class Occurrence:
    """One replaced or redacted occurrence on a page, with its picture before preparing."""

    page: int
    """1-based page number."""
    label: str
    """The label that replaces it, or the stamp printed on its black box."""
    is_redaction: bool
    found_by: str
    """"page text" or "OCR": where the replacement found it (the report's place)."""
    area: tuple[float, float, float, float]
    """The lines it touches, with some context, in unrotated page coordinates; may be empty
    when the text was placed outside the visible page (then there is nothing to draw)."""
    before_png: bytes | None
    turn: int = 0
    """Quarter turns (degrees, clockwise on the page) that make the line read left to right."""
    marks: tuple[tuple[float, float, float, float], ...] = ()
    """Where the occurrence itself is (one box per line), as shares (0..1) of ``area``: the
    sheet outlines them in the draft's picture, so a line with two names shows which one this
    entry is about (not in the prepared one: a re-typeset line moves its words)."""


class OccurrenceRecorder:
    """Collects the occurrences of every page handed to :meth:`record_page`, in page order."""

    def __init__(self) -> None:
        """Start with no occurrences."""
        self.occurrences: list[Occurrence] = []

    def record_page(
        self, page: Page, matcher: Matcher, *, textpage: Any = None, place: str = "page text"
    ) -> None:
        """Find the occurrences on ``page`` as the replacement will, and draw their lines.

        Call it right before ``replace_on_page`` with the same ``textpage`` (an OCR TextPage, or
        None for the page's own text) so both see the same words on the same, untouched page.
        """
        page_text = extract_page_text(page, textpage)
        lines: dict[int, _Line] | None = None
        crops: _PageCrops | None = None
        for match in matcher.find(page_text.text):
            pieces = pieces_of(page_text.chars[match.start : match.end])
            if not pieces:
                continue
            if lines is None or crops is None:
                lines, crops = _lines(page_text), _PageCrops(page)
            turn = lines[pieces[0].first.line].turn
            area = _context_area(page, [lines[p.first.line].box for p in pieces], turn)
            self.occurrences.append(
                Occurrence(
                    page=page.number + 1,
                    label=match.target.replacement,
                    is_redaction=match.target.is_redaction,
                    found_by=place,
                    area=(area.x0, area.y0, area.x1, area.y1),
                    before_png=crops.png(area, turn),
                    turn=turn,
                    marks=tuple(_share_of(piece.rect, area, turn) for piece in pieces),
                )
            )


def render_after(
    pdf: bytes,
    occurrences: list[Occurrence],
    progress: Callable[[int], None] | None = None,
) -> list[bytes | None]:
    """Draw each occurrence's area from the prepared ``pdf``; one entry per occurrence.

    ``progress(done)`` is called with the number of pages done.
    """
    doc = pymupdf.open(stream=pdf, filetype="pdf")
    try:
        pictures: list[bytes | None] = []
        current = -1
        crops: _PageCrops | None = None
        for occurrence in occurrences:
            if occurrence.page != current:
                current = occurrence.page
                in_range = 0 < current <= doc.page_count
                crops = _PageCrops(doc[current - 1]) if in_range else None
                if progress is not None:
                    progress(current)
            area = pymupdf.Rect(occurrence.area)
            pictures.append(None if crops is None else crops.png(area, occurrence.turn))
        if progress is not None:
            progress(doc.page_count)
        return pictures
    finally:
        doc.close()


class _PageCrops:
    """One page's pictures: the page interpreted once, each area drawn once."""

    def __init__(self, page: Page) -> None:
        self._page = page
        # A display list is ten times faster than running the page again for each picture.
        self._drawing: Any = page.get_displaylist()
        self._drawn: dict[tuple[float, float, float, float, int], bytes | None] = {}

    def png(self, area: Rect, turn: int) -> bytes | None:
        """The picture of ``area``; two names on one line share one."""
        key = (area.x0, area.y0, area.x1, area.y1, turn)
        if key not in self._drawn:
            self._drawn[key] = crop_png(self._page, area, self._drawing, turn=turn)
        return self._drawn[key]


def crop_png(page: Page, area: Rect, drawing: Any = None, *, turn: int = 0) -> bytes | None:
    """Render ``area`` (unrotated page coordinates) of ``page``, turned by ``turn``, as PNG.

    ``drawing`` is the page's display list, if the caller made one. A picture with no colour
    is stored in grey. Returns None when the area lies outside the page (nothing is drawn).
    """
    if area.is_empty or area.is_infinite:
        return None
    reading = area * pymupdf.Matrix(turn)
    # Pixel edges are rounded outwards: keep two pixels for that under each limit.
    zoom = min(ZOOM, (_MAX_WIDTH_PX - 2) / reading.width, (_MAX_HEIGHT_PX - 2) / reading.height)
    # The clip is in the rotated page's coordinates: the derotation takes it back to the
    # unrotated page (where the text extraction's boxes are), the turn makes the line read
    # left to right.
    matrix = page.derotation_matrix * pymupdf.Matrix(turn) * pymupdf.Matrix(zoom, zoom)
    source = page if drawing is None else drawing
    pixmap = source.get_pixmap(matrix=matrix, clip=area * page.rotation_matrix, alpha=False)
    if pixmap.width < 1 or pixmap.height < 1:
        return None
    samples = pixmap.samples
    if samples[0::3] == samples[1::3] == samples[2::3]:
        # Black text on white: one channel instead of three halves the PNG and the time it
        # takes to encode; a line with any colour keeps all of it.
        pixmap = pymupdf.Pixmap(pymupdf.csGRAY, pixmap)
    return bytes(pixmap.tobytes("png"))


def _share_of(rect: Rect, area: Rect, turn: int) -> tuple[float, float, float, float]:
    """``rect`` as shares of ``area`` turned by ``turn`` (left, top, width, height), in 0..1."""
    if area.is_empty:
        return (0.0, 0.0, 0.0, 0.0)
    rect, area = rect * pymupdf.Matrix(turn), area * pymupdf.Matrix(turn)
    left = min(1.0, max(0.0, (rect.x0 - area.x0) / area.width))
    top = min(1.0, max(0.0, (rect.y0 - area.y0) / area.height))
    right = min(1.0, max(0.0, (rect.x1 - area.x0) / area.width))
    bottom = min(1.0, max(0.0, (rect.y1 - area.y0) / area.height))
    return (left, top, right - left, bottom - top)


@dataclass(frozen=True)
class _Line:
    box: Rect
    turn: int


def _lines(page_text: PageText) -> dict[int, _Line]:
    """Every line of the page (its box and reading turn), by the index its characters carry."""
    boxes: dict[int, list[float]] = {}
    ends: dict[int, list[tuple[float, float]]] = {}
    for char in page_text.chars:
        if char is None:
            continue
        box = boxes.get(char.line)
        if box is None:
            boxes[char.line] = list(char.box)
            ends[char.line] = [char.origin, char.origin]
        else:
            box[0], box[1] = min(box[0], char.box[0]), min(box[1], char.box[1])
            box[2], box[3] = max(box[2], char.box[2]), max(box[3], char.box[3])
            ends[char.line][1] = char.origin
    return {line: _Line(pymupdf.Rect(box), _turn(*ends[line])) for line, box in boxes.items()}


def _turn(start: tuple[float, float], end: tuple[float, float]) -> int:
    """The quarter turn that makes text running from ``start`` to ``end`` run left to right."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    if abs(dx) < 1e-6 and abs(dy) < 1e-6:
        return 0  # one character: no direction to read, keep the page's
    return int(-round(math.degrees(math.atan2(dy, dx)) / 90) * 90) % 360


def _context_area(page: Page, lines: list[Rect], turn: int) -> Rect:
    """The union of ``lines`` with a margin, cut to the page (unrotated coordinates).

    The margin is taken along and across the line as it reads (``turn``), so a line running up
    the page gets its context above and below in reading terms, not on the page.
    """
    into = pymupdf.Matrix(turn)
    area = pymupdf.Rect(lines[0]) * into
    for line in lines[1:]:
        area |= line * into
    height = max((line * into).height for line in lines)
    margin_y = height * _MARGIN_Y_SHARE
    area = pymupdf.Rect(
        area.x0 - _MARGIN_X, area.y0 - margin_y, area.x1 + _MARGIN_X, area.y1 + margin_y
    )
    area = area * ~into
    unrotated = page.rect * page.derotation_matrix
    return area & unrotated
