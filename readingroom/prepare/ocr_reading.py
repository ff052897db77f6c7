"""Reading a page's pixels every way up, in page coordinates, and knowing what was missed.

Tesseract reads only upright, unmirrored text. A scan is often stored sideways and shown upright
by the page's ``/Rotate``, and an image can be drawn turned or mirrored by the matrix that
places it; a reader sees readable text in every case, so every case must be read. Each region
(the whole page for a scan, each word-sized image on a text page) is rendered at the four
quarter turns of its displayed orientation, and, when its image is placed mirrored, at the four
turns of the unmirrored image too, and all the readings are kept: a name read in any of them is
removed. We try the turns rather than use Tesseract's orientation detection (OSD): OSD needs
``osd.traineddata`` and gives up on pages with few characters (exactly the short letter where
one name matters), and it picks one orientation per page while a page can hold two (a rotated
image on an upright scan). The cost is up to four OCR passes per region; the turns stop early
when an upright reading already explains all the region's ink.

Every OCR word is mapped back by the exact inverse of the matrix the pixels were rendered with
(``/Rotate`` included), into the unrotated page coordinates that ``get_text`` and
``add_redact_annot`` use, so the pixels removed are the pixels read.

Fail closed: the reading also measures the ink (pixels that differ clearly from the region's
background) and how much of it lies under no word-shaped word. A region with a significant
amount of ink that OCR does not explain may hold a name OCR cannot see, so the page is not
proven clean (:attr:`Reading.unexplained_ink`). A blank scan has no ink and passes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from readingroom.prepare.mupdf import Page, Rect, pymupdf

OCR_DPI = 300
LANGUAGE = "eng"
_TURNS = (0, 90, 270, 180)
# Ink: a pixel whose grey level differs from the region's background (its median) by more than
# this (of 255). Scanner noise and paper tint stay well under it; printed text is far over it.
_INK_CONTRAST = 80
# The ink is measured at this resolution (enough to see 5 pt text, cheap to count).
_INK_DPI = 72
# Ink outside every word box, in square points, above which a region is not proven clean when
# it is also more than _UNEXPLAINED_SHARE of all its ink. 40 pt^2 is about the ink of a short
# word in 8 pt type; the share lets a signature or a logo beside typed text pass.
_UNEXPLAINED_AREA = 40.0
_UNEXPLAINED_SHARE = 0.5
# The other turns are skipped only when an upright reading leaves no more ink than this (square
# points: less than one letter in 6 pt type), so a small sideways name beside upright text is
# still read at its own turn.
_ALL_READ_AREA = 4.0
# Around each word OCR read, this share of the word's height counts as the word's (Tesseract's
# boxes are tight: ascenders, descenders and anti-aliased edges lie just outside them).
WORD_MARGIN = 0.35


@dataclass
class Reading:
    """What OCR read in a page's images or in the whole rendered page."""

    textpage: Any
    """A TextPage of the page (its own text merged, for a text page) in page coordinates."""
    words: list[tuple[Rect, str]] = field(default_factory=list)
    """Every word OCR read, with its box in page coordinates."""
    unexplained_ink: list[Rect] = field(default_factory=list)
    """Regions holding significant ink under no word: they cannot be proven clean."""


@dataclass(frozen=True)
class _Region:
    clip: Rect
    """In page coordinates (those of the unrotated page, as text and annotations use)."""
    orientations: tuple[Any, ...]
    """Linear matrices from page coordinates to an upright view, in the order to try."""


def read_page(page: Page, *, full: bool, tessdata: str) -> Reading:
    """OCR the whole rendered page (``full``) or each word-sized image on it.

    With ``full=False`` the page's own text is kept in the TextPage and the images' words are
    added to it, so one search covers both.
    """
    regions = list(_regions(page, full=full))
    textpage = None if full else page.get_textpage(clip=_EVERYWHERE, flags=_FLAGS)
    reading = Reading(textpage=textpage)
    for region in regions:
        textpage = _read_region(page, region, reading, tessdata, textpage)
    if textpage is None:  # pragma: no cover - a full read always has one region
        textpage = page.get_textpage(clip=pymupdf.Rect(0, 0, 0, 0), flags=_FLAGS)
    textpage.parent = page  # PyMuPDF checks that a TextPage belongs to the page it reads
    reading.textpage = textpage
    return reading


_FLAGS: int = pymupdf.TEXT_PRESERVE_WHITESPACE & ~pymupdf.TEXT_MEDIABOX_CLIP
# A TextPage keeps only what falls inside its rectangle, by default the OCR page's own, in its
# own coordinates: once turned into the page's, words land outside it and were silently lost
# (the fail-open of a scan shown with /Rotate 270). Nothing is clipped.
_EVERYWHERE = pymupdf.INFINITE_RECT()
MIN_IMAGE_HEIGHT = 6.0
MIN_IMAGE_WIDTH = 16.0


def word_sized(bbox: Rect) -> bool:
    """True when a box is large enough to hold a readable word, either way up."""
    short, long = sorted((bbox.width, bbox.height))
    return bool(short >= MIN_IMAGE_HEIGHT and long >= MIN_IMAGE_WIDTH)


def _regions(page: Page, *, full: bool) -> Iterator[_Region]:
    infos = page.get_image_info()
    displayed = _linear(page.rotation_matrix)
    if full:
        # A scan is usually one image filling the page: after the page as displayed, try that
        # image the way up its own pixels are stored.
        area = page.rect * page.derotation_matrix
        biggest = max(infos, key=lambda i: pymupdf.Rect(i["bbox"]).get_area(), default=None)
        own = displayed
        if biggest is not None and _covers(pymupdf.Rect(biggest["bbox"]), area):
            own = ~_orientation(biggest["transform"])
        yield _Region(clip=area, orientations=_ordered(displayed, own))
        return
    for info in infos:
        bbox = pymupdf.Rect(info["bbox"]) & (page.rect * page.derotation_matrix)
        if bbox.is_empty or not word_sized(bbox):
            continue
        # An image on a text page is tried first the way up its pixels are stored, which undoes
        # a rotating or mirroring placing matrix; then as displayed.
        own = ~_orientation(info["transform"])
        yield _Region(clip=bbox, orientations=_ordered(own, displayed))


def _ordered(first: Any, second: Any) -> tuple[Any, ...]:
    """The four quarter turns of ``first`` and of ``second`` (no repeats: when neither is
    mirrored they are the same four)."""
    candidates = [base * pymupdf.Matrix(turn) for base in (first, second) for turn in _TURNS]
    unique: list[Any] = []
    for matrix in candidates:
        if not any(_same(matrix, seen) for seen in unique):
            unique.append(matrix)
    return tuple(unique)


def _same(a: Any, b: Any) -> bool:
    return all(abs(x - y) < 1e-6 for x, y in zip(tuple(a)[:4], tuple(b)[:4], strict=True))


def _linear(matrix: Any) -> Any:
    a, b, c, d = (round(float(v)) for v in tuple(matrix)[:4])
    return pymupdf.Matrix(a, b, c, d, 0, 0)


def _covers(box: Rect, page: Rect) -> bool:
    return bool((box & page).get_area() >= 0.5 * page.get_area())


def _orientation(transform: Iterable[float]) -> Any:
    """The rotation/mirroring part of an image's placing matrix (scale and shift dropped): the
    identity for an image drawn upright (its matrix maps the unit square with d > 0)."""
    a, b, c, d, _e, _f = (float(v) for v in transform)

    def sign(value: float) -> float:
        return 1.0 if value > 0 else -1.0

    if abs(a) + abs(d) >= abs(b) + abs(c):
        return pymupdf.Matrix(sign(a), 0, 0, sign(d), 0, 0)
    return pymupdf.Matrix(0, sign(b), sign(c), 0, 0, 0)


def _read_region(
    page: Page, region: _Region, reading: Reading, tessdata: str, textpage: Any
) -> Any:
    """Read one region every way up (or until all its ink is read) and add all its words to
    ``textpage``.

    Every reading is kept, not only the one that looks best: a page can hold text in more than
    one orientation (a rotated image on an upright scan), and a name read in any of them must
    go. The readings of the wrong way up are fragments that match no name. The turns stop early
    only when the most upright reading so far explains all the ink (no more than
    ``_ALL_READ_AREA`` left): then no other orientation has anything left to read.
    """
    ink = _Ink(page, region.clip)
    words: list[tuple[Rect, str]] = []
    best: list[tuple[Rect, str]] = []
    best_score = 0
    for orientation in region.orientations:
        ocr_doc, to_page = _ocr(page, region.clip, orientation, tessdata)
        with ocr_doc:
            turn = [
                (pymupdf.Rect(w[:4]) * to_page, str(w[4]))
                for w in ocr_doc[0].get_text("words", flags=_FLAGS)
            ]
            if textpage is None:
                textpage = ocr_doc[0].get_textpage(clip=_EVERYWHERE, flags=_FLAGS, matrix=to_page)
            else:
                ocr_doc[0].extend_textpage(textpage, flags=_FLAGS, matrix=to_page)
        words += turn
        if _shaped(turn) > best_score:
            best, best_score = turn, _shaped(turn)
        if ink.total == 0 or (best and ink.unexplained(_word_boxes(best)) <= _ALL_READ_AREA):
            break
    reading.words.extend(words)
    # Only the upright reading's word-shaped words explain ink: the fragments OCR makes of
    # sideways text, strokes or noise ("a5@", "|", "Lf") must not let an unreadable region
    # pass for a read one; and a reading that is mostly such fragments explains nothing.
    if ink.significant(_word_boxes(best)):
        reading.unexplained_ink.append(region.clip)
    return textpage


def _word_boxes(words: list[tuple[Rect, str]]) -> list[Rect]:
    return [box for box, text in words if _is_word(text)]


# A word as type prints it: lower case after an optional capital, or all capitals, with a
# vowel; or a number. What OCR makes of strokes, rules and noise ("SS", "Lf", "—=", "a5@")
# mostly is not.
_WORD_SHAPE = re.compile(r"(?:[A-Z]?[a-z]{2,}|[A-Z]{2,})|[0-9]+(?:[.,:/-][0-9]+)*")
_VOWEL = re.compile(r"[aeiouyAEIOUY]")


def _shaped(words: list[tuple[Rect, str]]) -> int:
    """How upright a reading looks: its word-shaped words less its fragments."""
    shaped = sum(1 for _, text in words if _is_word(text))
    return 2 * shaped - len(words)


def _is_word(text: str) -> bool:
    core = text.strip(".,:;'\"()!?")
    if not _WORD_SHAPE.fullmatch(core):
        return False
    return core[0].isdigit() or bool(_VOWEL.search(core))


def _render(page: Page, clip: Rect, orientation: Any, dpi: int) -> tuple[Any, Any]:
    """Render ``clip`` (page coordinates) turned by ``orientation``: the pixmap and the matrix
    from its pixels back to page coordinates.

    ``get_pixmap`` applies the page's ``/Rotate`` before our matrix, so our matrix starts by
    undoing it; the pixmap's origin (``pix.x``, ``pix.y``) carries every shift.
    """
    scale = dpi / 72
    matrix = page.derotation_matrix * orientation * pymupdf.Matrix(scale, scale)
    matrix.e = matrix.f = 0
    pix = page.get_pixmap(matrix=matrix, clip=clip * page.rotation_matrix, alpha=False)
    pix.set_dpi(dpi, dpi)
    back = pymupdf.Matrix(1, 0, 0, 1, pix.x, pix.y) * ~matrix * page.derotation_matrix
    return pix, back


def _ocr(page: Page, clip: Rect, orientation: Any, tessdata: str) -> tuple[Any, Any]:
    """OCR ``clip`` turned by ``orientation``: the OCR document and the matrix taking its
    coordinates back to the page's."""
    pix, back = _render(page, clip, orientation, OCR_DPI)
    data = pix.pdfocr_tobytes(compress=False, language=LANGUAGE, tessdata=tessdata)
    ocr_doc = pymupdf.open("pdf", data)
    ocr_rect = ocr_doc[0].rect
    to_pixels = pymupdf.Matrix(pix.width / ocr_rect.width, pix.height / ocr_rect.height)
    return ocr_doc, to_pixels * back


def grown(box: Rect, margin: float = WORD_MARGIN) -> Rect:
    """``box`` grown by ``margin`` times its short side above and below, and by half that
    left and right (a word space is only about a quarter of the height: more would cut into
    the neighbouring words)."""
    pad = min(box.width, box.height) * margin
    return pymupdf.Rect(box.x0 - pad / 2, box.y0 - pad, box.x1 + pad / 2, box.y1 + pad)


class _Ink:
    """The ink of a region (pixels that differ clearly from its background), at 72 dpi."""

    def __init__(self, page: Page, clip: Rect) -> None:
        pix, back = _render(page, clip, pymupdf.Matrix(1, 1), _INK_DPI)
        self._to_pixels = ~back
        if pix.width == 0 or pix.height == 0:
            self._ink = np.zeros((0, 0), dtype=bool)
        else:
            grey = np.frombuffer(pix.samples_mv, dtype=np.uint8).reshape(pix.height, pix.stride)
            # The luminance of each pixel (RGB: the mean is enough to tell ink from paper).
            level = grey[:, : pix.width * pix.n].reshape(pix.height, pix.width, pix.n)
            level = level.mean(axis=2)
            self._ink = np.abs(level - float(np.median(level))) > _INK_CONTRAST
        self.total = int(self._ink.sum())

    def unexplained(self, words: list[Rect]) -> float:
        """The area of ink, in square points, under none of the (grown) ``words``."""
        if self.total == 0:
            return 0.0
        explained = np.zeros_like(self._ink)
        for box in words:
            area = grown(box) * self._to_pixels
            x0, y0 = max(0, int(area.x0)), max(0, int(area.y0))
            x1, y1 = int(np.ceil(area.x1)), int(np.ceil(area.y1))
            if x1 > x0 and y1 > y0:
                explained[y0:y1, x0:x1] = True
        scale = _INK_DPI / 72
        return int((self._ink & ~explained).sum()) / (scale * scale)

    def significant(self, words: list[Rect]) -> bool:
        """True when the ink ``words`` leave unexplained is too much to call the region read."""
        area = self.unexplained(words)
        scale = _INK_DPI / 72
        share = area * scale * scale / self.total if self.total else 0.0
        return area > _UNEXPLAINED_AREA and share > _UNEXPLAINED_SHARE
