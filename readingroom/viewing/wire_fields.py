"""The checks every wire message shares: a frame's exact layout, coordinates, sizes, text.

:mod:`readingroom.viewing.wire` defines the messages; each field it decodes from a frame passes
through one of these checks first, and a frame that fails one raises :class:`WireError`.
"""

from __future__ import annotations

import math
import struct
from typing import Any, Final

from readingroom.viewing.document_model import HighlightRect

# Larger than any real page (PDF's own limit is 14,400 pt, times a user unit); bounds layout.
MAX_PAGE_POINTS: Final = 1_000_000.0


class WireError(ValueError):
    """A frame broke the wire format. The message is fixed and never quotes the frame."""


def unpack_frame(layout: struct.Struct, frame: bytes, kind: bytes) -> tuple[Any, ...]:
    """The fields of ``frame``, which must be exactly one ``layout`` of type ``kind``."""
    if len(frame) != layout.size or frame[:1] != kind:
        raise WireError("unexpected frame")
    return layout.unpack(frame)


def whole_body(body: bytes, layout: struct.Struct) -> bytes:
    """``body``, checked to be a whole number of ``layout`` records."""
    if len(body) % layout.size:
        raise WireError("truncated body")
    return body


def checked_rect(values: tuple[float, ...]) -> HighlightRect:
    """A rectangle of four finite coordinates within the page bound."""
    x0, y0, x1, y1 = (finite(v) for v in values)
    return (x0, y0, x1, y1)


def finite(value: float) -> float:
    """A coordinate, checked finite and within :data:`MAX_PAGE_POINTS`."""
    if not math.isfinite(value) or abs(value) > MAX_PAGE_POINTS:
        raise WireError("coordinate out of range")
    return float(value)


def page_length(value: float) -> float:
    """A page's width or height, checked finite, positive and within the bound."""
    # Not zero: the window divides by page sizes to fit them (MuPDF never reports less than 1).
    if not (math.isfinite(value) and 0.0 < value <= MAX_PAGE_POINTS):
        raise WireError("page size out of range")
    return float(value)


def utf8_text(data: memoryview) -> str:
    """The text of ``data``, which must be valid UTF-8."""
    try:
        return bytes(data).decode("utf-8")
    except UnicodeDecodeError as error:
        raise WireError("text is not UTF-8") from error
