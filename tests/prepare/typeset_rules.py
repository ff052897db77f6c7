"""The measured rules of re-typesetting, read from the OUTPUT's word boxes (PyMuPDF).

For every occurrence of a label on a page: the label's size is at least 90 % of its
neighbours' on the same line, its font is of the same class (serif/sans/mono), and no gap on
that line is wider than 1.5 times the line's word space. A line is a run of words on one
baseline between two vertical rules (a table row is cut into its cells). The word space is the
median gap of the line when it has at least three, else the median gap of the page's lines.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from statistics import median

import pymupdf

from readingroom.prepare.font_match import style_of


@dataclass(frozen=True)
class OutWord:
    text: str
    box: tuple[float, float, float, float]
    size: float
    family: str


def _spans(page: pymupdf.Page) -> list[tuple[pymupdf.Rect, float, str]]:
    found = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                family = style_of(span["font"], span["flags"]).family
                found.append((pymupdf.Rect(span["bbox"]), float(span["size"]), family))
    return found


def _words(page: pymupdf.Page) -> list[OutWord]:
    spans = _spans(page)
    words = []
    for x0, y0, x1, y1, text, *_ in page.get_text("words"):
        centre = pymupdf.Point((x0 + x1) / 2, (y0 + y1) / 2)
        owner = next(((s, f) for r, s, f in spans if centre in r), (0.0, "?"))
        words.append(OutWord(text, (x0, y0, x1, y1), owner[0], owner[1]))
    return words


def _rules(page: pymupdf.Page) -> list[tuple[float, float, float]]:
    rules = []
    for drawing in page.get_drawings():
        for item in drawing["items"]:
            if item[0] == "l" and abs(item[1].x - item[2].x) < 0.5:
                rules.append((item[1].x, min(item[1].y, item[2].y), max(item[1].y, item[2].y)))
            elif item[0] == "re":
                rect = item[1]
                rules += [(rect.x0, rect.y0, rect.y1), (rect.x1, rect.y0, rect.y1)]
    return rules


def visual_lines(page: pymupdf.Page) -> list[list[OutWord]]:
    """Words grouped by baseline band, cut at vertical rules, left to right."""
    lines: list[list[OutWord]] = []
    for word in sorted(_words(page), key=lambda w: (w.box[3], w.box[0])):
        for line in lines:
            ref = line[0].box
            overlap = min(ref[3], word.box[3]) - max(ref[1], word.box[1])
            if overlap >= 0.6 * min(ref[3] - ref[1], word.box[3] - word.box[1]):
                line.append(word)
                break
        else:
            lines.append([word])
    rules = _rules(page)
    cut: list[list[OutWord]] = []
    for line in lines:
        line.sort(key=lambda w: w.box[0])
        middle = (line[0].box[1] + line[0].box[3]) / 2
        current = [line[0]]
        for before, word in itertools.pairwise(line):
            if any(y0 < middle < y1 and before.box[2] <= x <= word.box[0] for x, y0, y1 in rules):
                cut.append(current)
                current = []
            current.append(word)
        cut.append(current)
    return cut


def _bare(token: str) -> str:
    return re.sub(r"^\W+|(?:'s)?\W*$", "", token)


def _occurrences(line: list[OutWord], label: str) -> list[range]:
    tokens = label.split()
    found = []
    for start in range(len(line) - len(tokens) + 1):
        texts = [_bare(w.text) for w in line[start : start + len(tokens)]]
        if texts == [_bare(t) for t in tokens]:
            found.append(range(start, start + len(tokens)))
    return found


# A list item's marker ("•", "3.", "(b)") stands apart from its text by the list's indent.
_MARKER = re.compile(r"^(?:[^\w\s]|\(?\w{1,3}[.)])$")


def _gaps(line: list[OutWord]) -> list[float]:
    return [
        b.box[0] - a.box[2]
        for a, b in itertools.pairwise(line)
        if not (a is line[0] and _MARKER.match(a.text))
    ]


Excused = dict[int, list[pymupdf.Rect]]


def check_typeset_rules(pdf: bytes, labels: set[str], excused: Excused | None = None) -> int:
    """Assert the rules for every label occurrence in ``pdf``; return how many were measured.

    ``excused`` (1-based page -> boxes) are lines the report flags as overflowing their cell.
    """
    failures = typeset_failures(pdf, labels, excused or {})
    assert not failures[1], failures[1][:10]
    return failures[0]


def _near(line: list[OutWord], lines: list[list[OutWord]]) -> list[OutWord]:
    """The words of the lines just above and below ``line`` that overlap it sideways."""
    x0, x1 = line[0].box[0], line[-1].box[2]
    top, bottom = line[0].box[1], line[0].box[3]
    height = bottom - top
    return [
        word
        for other in lines
        if other is not line
        and abs(other[0].box[1] - top) < 1.8 * height
        and other[0].box[0] < x1
        and other[-1].box[2] > x0
        for word in other
    ]


def typeset_failures(pdf: bytes, labels: set[str], excused: Excused) -> tuple[int, list[str]]:
    """How many label occurrences were measured, and each broken rule."""
    broken: list[str] = []
    doc = pymupdf.open(stream=pdf, filetype="pdf")
    measured = 0
    for page in doc:
        lines = visual_lines(page)
        page_gaps = [g for line in lines for g in _gaps(line) if g > 0]
        page_space = median(page_gaps) if page_gaps else 3.0
        for line in lines:
            for label in labels:
                for span in _occurrences(line, label):
                    measured += 1
                    where = f"{label!r} on page {page.number + 1}"
                    own = [line[i] for i in span]
                    box = own[0].box
                    centre = pymupdf.Point((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
                    if any(centre in area for area in excused.get(page.number + 1, [])):
                        continue
                    others = [w for i, w in enumerate(line) if i not in span and w.size]
                    others += [w for w in _near(line, lines) if w.size]
                    if others:
                        size = median(w.size for w in others)
                        if min(w.size for w in own) < 0.9 * size:
                            broken.append(f"small {where}")
                        if own[0].family not in {w.family for w in others}:
                            broken.append(f"font class of {where}")
                    gaps = [g for g in _gaps(line) if g > 0]
                    space = median(gaps) if len(gaps) >= 3 else page_space
                    if max(gaps, default=0) > 1.5 * space + 0.5:
                        text = " ".join(w.text for w in line)
                        broken.append(
                            f"gap on line of {where}: {text} {[round(g, 1) for g in gaps]}"
                        )
    return measured, broken
