"""The machine-readable session mark: small QR codes that carry the session code (Qt-free).

The viewer burns a grid of these codes into every page (``gui/rendering/page_images.py``) so that a
photograph of any quarter of a page leads back to one audit session (``readingroom trace
--image``). This module owns what a mark says and where the codes go; it draws nothing.

Why QR: zxing-cpp's QR detector is its most tolerant of rotation, perspective and blur (three
large finder patterns locate the code in a cluttered photo, at any angle), and Reed-Solomon error
correction at level Q recovers 25 % of damaged modules, which is what the glyphs of the text
printed over a code cost. The payload fits the smallest symbol (21 x 21, version 1) in
alphanumeric mode at level Q, so each module can be large for its page area. Data Matrix needs a
quiet L-shaped finder that text over it breaks; Aztec's single bull's-eye is less tolerant of
the text's clutter in zxing-cpp's detector.

Why pale yellow: the codes are multiplied into the page, so black text stays black, and the
yellow's luminance is close to the paper's: a reader, and Tesseract (which thresholds each colour
channel separately, so it sees the blue one too), read the text as before. benchmarks/bench_trace.py
measures that and the decode rate; the blue level below is the darkest that keeps Tesseract's
accuracy within 2 points. The decoder looks at "yellowness" relative to brightness, where black
text and white paper both vanish and only the code remains. A greyscale photograph loses the
mark; the printed session code in the band and the tiles is still there to read.

The payload is ``RR<version>:`` and the session code's nine characters: never the reader's
identity, which the audit log alone maps the code to.
"""

from __future__ import annotations

import math
from functools import lru_cache

import zxingcpp

from readingroom.errors import BadSessionCode
from readingroom.session_code import normalise_session_code

MARK_FORMAT_VERSION = 1
_PREFIX = f"RR{MARK_FORMAT_VERSION}:"
EC_LEVEL = "Q"
# Sizes in PDF points. A 4 pt module is still about 4.7 pixels of a phone photo of the whole
# page: JPEG keeps colour at half resolution, and the decoder needs two colour pixels a module.
MODULE_PT = 4.0
QUIET_MODULES = 1
SYMBOL_MODULES = 21
MARK_SIDE_PT = (SYMBOL_MODULES + 2 * QUIET_MODULES) * MODULE_PT
# The multiplied colour of a dark module: pale enough that Tesseract's per-channel thresholds
# treat it as paper (bench_trace.py part 1), yellow enough to survive JPEG quality 40.
MARK_RGB = (255, 250, 212)
# The grid's steps leave this much slack below the largest step that still guarantees a whole
# code in "any region of roughly a quarter of the page" (see mark_steps).
_STEP_SLACK = 0.9


def mark_payload(code: str) -> str:
    """The text a mark carries for ``code``: ``RR1:`` and the code's nine characters.

    Raises:
        ValueError: ``code`` is not a valid session code (a caller's bug).
    """
    try:
        canonical = normalise_session_code(code)
    except BadSessionCode as error:
        raise ValueError("not a session code") from error
    return _PREFIX + canonical.replace("-", "")


def parse_mark_payload(text: str) -> str | None:
    """The canonical session code a decoded mark carries, or None if it is not a valid mark."""
    if not text.startswith(_PREFIX):
        return None
    try:
        return normalise_session_code(text[len(_PREFIX) :])
    except BadSessionCode:
        return None


@lru_cache(maxsize=8)
def mark_modules(code: str) -> tuple[tuple[bool, ...], ...]:
    """The QR symbol for ``code`` without its quiet zone, row by row; True is a dark module.

    Raises:
        ValueError: ``code`` is not a valid session code.
    """
    symbol = zxingcpp.create_barcode(
        mark_payload(code), zxingcpp.BarcodeFormat.QRCode, ec_level=EC_LEVEL
    )
    image = symbol.to_image(scale=1, add_quiet_zones=False)
    height, width = image.shape[0], image.shape[1]
    # The image is one byte per module, 0 for dark; the stubs do not declare its buffer.
    pixels = bytes(memoryview(image))  # type: ignore[arg-type]
    return tuple(tuple(pixels[y * width + x] < 128 for x in range(width)) for y in range(height))


def mark_steps(page_width: float, page_height: float) -> tuple[float, float]:
    """The horizontal and vertical distance between codes on a page of this size (points).

    A code fits in every half-width x half-height window. On a page tall enough for codes to sit
    that close (A4 portrait and larger), it also fits in every full-width strip a quarter of the
    page high, which is what a photographed paragraph looks like.
    """
    step_x = max(MARK_SIDE_PT, (page_width / 2 - MARK_SIDE_PT) * _STEP_SLACK)
    step_y = (page_height / 4 - MARK_SIDE_PT) * _STEP_SLACK
    if step_y < MARK_SIDE_PT:
        step_y = max(MARK_SIDE_PT, (page_height / 2 - MARK_SIDE_PT) * _STEP_SLACK)
    return step_x, step_y


def covers_quarter_strips(page_height: float) -> bool:
    """Whether the grid also guarantees a code in every full-width quarter-height strip."""
    return (page_height / 4 - MARK_SIDE_PT) * _STEP_SLACK >= MARK_SIDE_PT


def mark_positions(page_width: float, page_height: float) -> list[tuple[float, float]]:
    """Top-left corners (points) of the codes on a page, a grid covering the whole page.

    The grid starts half a step in from the top-left corner, so the codes stay clear of the
    page's edges where a crop is most likely, and continues while a whole code still fits.
    """
    if page_width < MARK_SIDE_PT or page_height < MARK_SIDE_PT:
        return []
    step_x, step_y = mark_steps(page_width, page_height)
    columns = max(1, math.floor((page_width - MARK_SIDE_PT) / step_x) + 1)
    rows = max(1, math.floor((page_height - MARK_SIDE_PT) / step_y) + 1)
    # Centre the grid so the margins left over are equal on both sides.
    left = (page_width - MARK_SIDE_PT - (columns - 1) * step_x) / 2
    top = (page_height - MARK_SIDE_PT - (rows - 1) * step_y) / 2
    return [
        (left + column * step_x, top + row * step_y)
        for row in range(rows)
        for column in range(columns)
    ]
