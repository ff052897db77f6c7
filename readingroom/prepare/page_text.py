"""A page's text as one string in which every character remembers where it is on the page.

PyMuPDF's ``rawdict`` extraction gives each character its box and baseline origin. Lines are
joined with ``\\n`` so the matcher can find names split across a line break, and each character
keeps the index of its line so one occurrence can be cut into one rectangle per line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from readingroom.prepare.mupdf import Page, Rect, pymupdf

# Ligatures are expanded so "Griffin" set with an "ffi" glyph still matches; the media box is not
# clipped so text placed off the visible page (a classic hiding place) is found as well.
EXTRACT_FLAGS: int = (
    pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_ACCURATE_BBOXES
) & ~pymupdf.TEXT_MEDIABOX_CLIP


@dataclass(frozen=True)
class PageChar:
    """One character on the page (``None`` entries in :class:`PageText` are separators)."""

    box: tuple[float, float, float, float]
    """x0, y0, x1, y1: a plain tuple, because a Rect per character is slow to build."""
    origin: tuple[float, float]
    size: float
    color: int
    line: int
    horizontal: bool
    font: str = ""
    """The span's font name as PyMuPDF reports it (no subset prefix)."""
    flags: int = 0
    """The span's font flags (PyMuPDF's ``TEXT_FONT_*`` bits: bold, italic, serif, mono)."""


@dataclass(frozen=True)
class TextLine:
    """One line of the text layer: its box, its block (paragraph) and its characters.

    ``start`` and ``end`` index :attr:`PageText.text` (and ``chars``); ``end`` is the index of
    the line's ``\n`` separator.
    """

    block: int
    bbox: tuple[float, float, float, float]
    horizontal: bool
    start: int
    end: int


@dataclass
class PageText:
    """The page's text (``text``) and, for each of its characters, its place (``chars``)."""

    text: str
    chars: list[PageChar | None]
    lines: list[TextLine] = field(default_factory=list)


def extract_page_text(page: Page, textpage: Any = None) -> PageText:
    """Extract the page's characters with their positions, lines separated by ``\\n``.

    ``textpage`` is an OCR TextPage (:mod:`readingroom.prepare.ocr`) to read instead of the
    page's own text layer.
    """
    raw: dict[str, Any] = page.get_text("rawdict", flags=EXTRACT_FLAGS, textpage=textpage)
    pieces: list[str] = []
    chars: list[PageChar | None] = []
    lines: list[TextLine] = []
    line_index = 0
    for block_index, block in enumerate(raw.get("blocks", [])):
        if block.get("type") != 0:
            continue
        for line in block.get("lines", []):
            direction = line.get("dir", (1.0, 0.0))
            horizontal = abs(float(direction[1])) < 1e-3 and float(direction[0]) > 0
            line_start = len(chars)
            for span in line.get("spans", []):
                size = float(span.get("size", 10.0))
                color = int(span.get("color", 0))
                font = str(span.get("font", ""))
                flags = int(span.get("flags", 0))
                for char in span.get("chars", []):
                    glyph = str(char.get("c", ""))
                    if len(glyph) != 1:
                        continue
                    origin = char.get("origin", (0.0, 0.0))
                    pieces.append(glyph)
                    chars.append(
                        PageChar(
                            box=_box(char["bbox"]),
                            origin=(float(origin[0]), float(origin[1])),
                            size=size,
                            color=color,
                            line=line_index,
                            horizontal=horizontal,
                            font=font,
                            flags=flags,
                        )
                    )
            lines.append(
                TextLine(
                    block=block_index,
                    bbox=_box(line.get("bbox", (0.0, 0.0, 0.0, 0.0))),
                    horizontal=horizontal,
                    start=line_start,
                    end=len(chars),
                )
            )
            pieces.append("\n")
            chars.append(None)
            line_index += 1
    return PageText(text="".join(pieces), chars=chars, lines=lines)


@dataclass(frozen=True)
class LinePiece:
    """The part of one occurrence that lies on one line: its rectangle and first character."""

    rect: Rect
    first: PageChar


def pieces_of(chars: Sequence[PageChar | None]) -> list[LinePiece]:
    """Group an occurrence's characters by line: one rectangle per line it touches."""
    pieces: list[LinePiece] = []
    current_line = -1
    for char in chars:
        if char is None or char.box[2] <= char.box[0] or char.box[3] <= char.box[1]:
            continue
        rect = pymupdf.Rect(char.box)
        if char.line != current_line:
            pieces.append(LinePiece(rect=rect, first=char))
            current_line = char.line
        else:
            last = pieces[-1]
            pieces[-1] = LinePiece(rect=last.rect | rect, first=last.first)
    return pieces


def _box(bbox: Sequence[float]) -> tuple[float, float, float, float]:
    return (float(bbox[0]), float(bbox[1]), float(bbox[2]), float(bbox[3]))


def color_tuple(srgb: int) -> tuple[float, float, float]:
    """Turn PyMuPDF's packed sRGB integer into an (r, g, b) tuple of floats."""
    return ((srgb >> 16 & 255) / 255.0, (srgb >> 8 & 255) / 255.0, (srgb & 255) / 255.0)
