"""The session mark's payload and layout: only the code, and a whole code in any quarter page."""

from __future__ import annotations

import pytest
import zxingcpp

from readingroom.session_code import new_session_code
from readingroom.session_mark import (
    EC_LEVEL,
    MARK_FORMAT_VERSION,
    MARK_SIDE_PT,
    covers_quarter_strips,
    mark_modules,
    mark_payload,
    mark_positions,
    parse_mark_payload,
)

PAGE_SIZES = [(595, 842), (842, 595), (612, 792), (420, 595), (1191, 1684)]


def test_payload_carries_the_version_and_the_code_only() -> None:
    code = new_session_code()
    payload = mark_payload(code)
    assert payload == f"RR{MARK_FORMAT_VERSION}:" + code.replace("-", "")
    assert parse_mark_payload(payload) == code


@pytest.mark.parametrize("text", ["", "RR1:", "RR1:K7Q29XHM7", "RR2:K7Q29XHM6", "K7Q29XHM6"])
def test_foreign_or_damaged_payloads_are_not_marks(text: str) -> None:
    assert parse_mark_payload(text) is None


def test_a_bad_code_is_a_callers_bug() -> None:
    with pytest.raises(ValueError, match="not a session code"):
        mark_payload("K7Q2-9XHM-7")


def test_the_symbol_decodes_to_the_payload() -> None:
    """Draw the module matrix as a bitmap and let zxing-cpp read it back."""
    code = new_session_code()
    modules = mark_modules(code)
    scale, quiet = 4, 4
    side = (len(modules) + 2 * quiet) * scale
    pixels = bytearray([255]) * (side * side)
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    start = ((y + quiet) * scale + dy) * side + (x + quiet) * scale
                    pixels[start : start + scale] = bytes(scale)
    view = memoryview(bytes(pixels)).cast("B", (side, side))
    (barcode,) = zxingcpp.read_barcodes(view)
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    assert barcode.text == mark_payload(code)
    assert barcode.ec_level == EC_LEVEL


def _windows(width: float, height: float) -> list[tuple[float, float, float, float]]:
    """Every half-width x half-height window and full-width quarter-height strip, in 4 pt steps."""
    windows = []
    shapes = [(width / 2, height / 2)]
    if covers_quarter_strips(height):
        shapes.append((width, height / 4))
    for win_w, win_h in shapes:
        y = 0.0
        while y + win_h <= height + 1e-9:
            x = 0.0
            while x + win_w <= width + 1e-9:
                windows.append((x, y, x + win_w, y + win_h))
                x += 4
            y += 4
    return windows


def test_a4_portrait_also_covers_a_photographed_paragraph() -> None:
    assert covers_quarter_strips(842)


@pytest.mark.parametrize(("width", "height"), PAGE_SIZES)
def test_every_quarter_of_the_page_holds_a_whole_code(width: float, height: float) -> None:
    positions = mark_positions(width, height)
    assert positions
    for left, top in positions:
        assert left >= 0 and left + MARK_SIDE_PT <= width
        assert top >= 0 and top + MARK_SIDE_PT <= height
    for x0, y0, x1, y1 in _windows(width, height):
        assert any(
            x0 <= left and left + MARK_SIDE_PT <= x1 and y0 <= top and top + MARK_SIDE_PT <= y1
            for left, top in positions
        ), (x0, y0, x1, y1)
