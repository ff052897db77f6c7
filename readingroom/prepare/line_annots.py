"""Links and highlights follow the words they covered when a line is re-typeset.

Applying a redaction deletes every link that overlaps it, so the links of the page are read
before and those that went are inserted again, their area moved to the new place of the words
they covered (a link over untouched text comes back where it was). Text-markup annotations
(highlight, underline, strike-out, squiggly) survive redaction; their quads are moved the same
way and their appearance regenerated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from readingroom.prepare.line_words import Box
from readingroom.prepare.mupdf import Page, Rect, pymupdf

Move = tuple[Box, Box]

_MARKUP = (
    pymupdf.PDF_ANNOT_HIGHLIGHT,
    pymupdf.PDF_ANNOT_UNDERLINE,
    pymupdf.PDF_ANNOT_STRIKE_OUT,
    pymupdf.PDF_ANNOT_SQUIGGLY,
)
# A word belongs to an area when at least this share of its old box lies inside the area.
_COVERED = 0.5


def _covered(area: Rect, box: Box) -> bool:
    word = pymupdf.Rect(box)
    if word.is_empty:
        return False
    inside = word & area
    return not inside.is_empty and inside.get_area() >= _COVERED * word.get_area()


def moved_rect(area: Rect, moves: Sequence[Move]) -> Rect:
    """Where ``area`` goes: around the new boxes of the words it covered, same height."""
    covered = [(old, new) for old, new in moves if _covered(area, old)]
    if not covered:
        return pymupdf.Rect(area)
    left = min(old[0] for old, _new in covered)
    x0 = area.x0 if area.x0 < left - 1.0 else min(new[0] for _old, new in covered)
    x1 = max(new[2] for _old, new in covered)
    return pymupdf.Rect(x0, area.y0, max(x1, x0 + 1.0), area.y1)


def _link_key(link: dict[str, Any]) -> tuple[Any, ...]:
    rect = pymupdf.Rect(link["from"])
    return (link.get("kind"), round(rect.x0, 1), round(rect.y0, 1), link.get("page"))


def move_annotations(
    page: Page, links_before: Sequence[dict[str, Any]], moves: Sequence[Move]
) -> None:
    """Re-insert the links redaction removed and move markup quads, after ``moves``."""
    present = {_link_key(link) for link in page.get_links()}
    for link in links_before:
        if _link_key(link) in present:
            continue
        again = {k: v for k, v in link.items() if k not in ("xref", "id", "zoom")}
        again["from"] = moved_rect(pymupdf.Rect(link["from"]), moves)
        page.insert_link(again)
    for annot in page.annots(types=_MARKUP) or []:
        _move_markup(page, annot, moves)


def _move_markup(page: Page, annot: Any, moves: Sequence[Move]) -> None:
    points = list(annot.vertices or [])
    if len(points) < 4 or len(points) % 4:
        return
    quads: list[Rect] = []
    changed = False
    for index in range(0, len(points), 4):
        quad = pymupdf.Quad(*[pymupdf.Point(p) for p in points[index : index + 4]]).rect
        new = moved_rect(quad, moves)
        changed = changed or new != quad
        quads.append(new)
    if not changed:
        return
    to_pdf = ~page.transformation_matrix
    numbers: list[float] = []
    for rect in quads:
        pdf = rect * to_pdf
        numbers += [pdf.x0, pdf.y1, pdf.x1, pdf.y1, pdf.x0, pdf.y0, pdf.x1, pdf.y0]
    values = " ".join(f"{n:.2f}" for n in numbers)
    page.parent.xref_set_key(annot.xref, "QuadPoints", f"[{values}]")
    annot.update()
