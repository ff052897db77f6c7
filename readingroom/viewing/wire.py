"""The wire format between the viewer and its renderer process: framed bytes, never objects.

The renderer parses hostile PDFs, so everything it sends is treated as hostile too. Nothing on
this pipe is pickled in either direction (a pickle executes code when it is loaded). Modelled on
Dangerzone's conversion protocol: a message is one frame, written with
``Connection.send_bytes`` and read with ``Connection.recv_bytes(maxlength)``, made of a type byte
and fixed-size big-endian fields. A message that carries data (the PDF, a page's pixels, the
outline, links, search hits) declares the data's exact length in its header and is followed by
one more frame holding exactly that many bytes. Every field is checked here before anything
uses it: the type, the frame's length, page indexes against the document, counts and sizes
against caps, pixel buffers against width x height x channels, floats for being finite.

Requests (viewer -> renderer), one at a time, each answered before the next is sent::

    D  document   !cQB   max body length, flags (bit 0: refuse to parse unconfined) + the PDF
    R  render     !cIdd  page, zoom, device pixel ratio
    L  links      !cI    page
    S  search     !cIHB  page, query length in bytes, flags (bit 0: match case,
                         bit 1: whole words)                                 + UTF-8 query
    C  cancel     !cI    page: the render in flight is no longer wanted (sent while waiting)

Replies (renderer -> viewer)::

    O  opened     !cIII  page count, outline entries, body length  + page sizes and outline
    P  pixels     !cIIIBd page, width, height, channels (3), scale   + width*height*3 RGB bytes
    K  links      !cII   page, count                               + count x !ddddBid
    H  hits       !cII   page, count                        + count x !ddddddddB
                         (hit box, its line's box, 1: continues the previous match)
    F  failed     !cB    reason (0: this request failed, 1: the sandbox could not be applied,
                         2: cancelled)

A ``cancel`` is the one frame sent while a request is outstanding. The renderer looks for it
between the steps of a render; one that arrives after the reply is read as a request and ignored.

Names of values received from the renderer start with ``untrusted_`` until they are checked.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from typing import Final

from readingroom.viewing.document_model import (
    MAX_OUTLINE_DEPTH,
    MAX_OUTLINE_ENTRIES,
    MAX_OUTLINE_TITLE_CHARS,
    DocumentInfo,
    LinkArea,
    OutlineEntry,
)
from readingroom.viewing.text_search import PLAIN_SEARCH, HitPart, SearchOptions
from readingroom.viewing.wire_fields import (
    WireError,
    checked_rect,
    page_length,
    unpack_frame,
    utf8_text,
    whole_body,
)

DOCUMENT: Final = b"D"
RENDER: Final = b"R"
LINKS: Final = b"L"
SEARCH: Final = b"S"
CANCEL: Final = b"C"
OPENED: Final = b"O"
PIXELS: Final = b"P"
LINK_LIST: Final = b"K"
HITS: Final = b"H"
FAILED: Final = b"F"

FAILED_REQUEST: Final = 0
FAILED_UNCONFINED: Final = 1
FAILED_CANCELLED: Final = 2
FLAG_REQUIRE_CONFINEMENT: Final = 1
FLAG_MATCH_CASE: Final = 1
FLAG_WHOLE_WORDS: Final = 2

# A hostile 20,000 x 20,000 pt page at 400 % would be a 6 GB image. Above this many pixels the
# renderer draws the page at a lower resolution instead (shown scaled up): blurry, but bounded.
MAX_IMAGE_PIXELS: Final = 36_000_000
CHANNELS: Final = 3  # RGB, no alpha
# MuPDF rounds a page's pixel box outwards, so a capped image may be a few rows over the cap.
MAX_PIXEL_COUNT: Final = int(MAX_IMAGE_PIXELS * 1.02)
# A rendered image is within this many pixels of the page's size in points times the scale.
_PIXEL_ROUNDING: Final = 3
MAX_PAGES: Final = 100_000
MAX_LINKS_PER_PAGE: Final = 2_000
MAX_HITS_PER_PAGE: Final = 200
MAX_QUERY_BYTES: Final = 4 * 200
MAX_ZOOM_FACTOR: Final = 64.0  # zoom x device pixel ratio; the window's maximum is far below
HEADER_MAX_BYTES: Final = 64

_DOCUMENT = struct.Struct("!cQB")
_RENDER = struct.Struct("!cIdd")
_LINKS = struct.Struct("!cI")
_SEARCH = struct.Struct("!cIHB")
_CANCEL = struct.Struct("!cI")
_OPENED = struct.Struct("!cIII")
_PIXELS = struct.Struct("!cIIIBd")
_LINK_LIST = struct.Struct("!cII")
_HITS = struct.Struct("!cII")
_FAILED = struct.Struct("!cB")
_SIZE = struct.Struct("!dd")
_OUTLINE_ENTRY = struct.Struct("!HiH")  # level, target page (-1: none), title length
_LINK = struct.Struct("!ddddBid")  # rect, kind, target page, target y
_HIT = struct.Struct("!ddddddddddddB")  # hit box, line box, context box, continues

_LINK_KINDS: Final = ("internal", "uri", "mailto", "file", "launch", "remote")
_MAX_OPENED_BODY: Final = MAX_PAGES * _SIZE.size + MAX_OUTLINE_ENTRIES * (
    _OUTLINE_ENTRY.size + 4 * MAX_OUTLINE_TITLE_CHARS
)


class RemoteFailure(Exception):
    """The renderer answered ``failed``; ``reason`` is FAILED_REQUEST or FAILED_UNCONFINED."""

    def __init__(self, reason: int) -> None:
        """Keep the (checked) reason code."""
        super().__init__("request failed")
        self.reason = reason


@dataclass(frozen=True)
class Request:
    """A checked request, as the renderer reads it (``body_length``: the frame that follows)."""

    kind: bytes
    page: int = 0
    zoom: float = 1.0
    device_pixel_ratio: float = 1.0
    body_length: int = 0
    require_confinement: bool = False
    search_options: SearchOptions = PLAIN_SEARCH


@dataclass(frozen=True)
class PixelsHeader:
    """A checked ``pixels`` header; ``body_length`` is width x height x channels."""

    page: int
    width: int
    height: int
    scale: float

    @property
    def body_length(self) -> int:
        """The exact length of the samples frame that follows."""
        return self.width * self.height * CHANNELS


# ----- the viewer's side: requests out ---------------------------------------------------------


def document_request(length: int, *, require_confinement: bool) -> bytes:
    """The header announcing the PDF (sent next, as one frame of at most ``length`` bytes).

    It may be sent well before the PDF: the renderer confines itself for ``length`` on reading it.
    """
    flags = FLAG_REQUIRE_CONFINEMENT if require_confinement else 0
    return _DOCUMENT.pack(DOCUMENT, length, flags)


def render_request(page: int, zoom: float, device_pixel_ratio: float) -> bytes:
    """Ask for ``page``'s pixels at ``zoom`` on a screen of ``device_pixel_ratio``."""
    return _RENDER.pack(RENDER, page, zoom, device_pixel_ratio)


def cancel_request(page: int) -> bytes:
    """Say that the render of ``page`` in flight is no longer wanted."""
    return _CANCEL.pack(CANCEL, page)


def links_request(page: int) -> bytes:
    """Ask for ``page``'s link areas."""
    return _LINKS.pack(LINKS, page)


def search_request(
    page: int, query: str, options: SearchOptions = PLAIN_SEARCH
) -> tuple[bytes, bytes]:
    """Ask where ``query`` is on ``page``: the header and the UTF-8 query frame."""
    body = query.encode("utf-8")[:MAX_QUERY_BYTES]
    body = body.decode("utf-8", errors="ignore").encode("utf-8")  # no half character at the cut
    flags = (FLAG_MATCH_CASE if options.match_case else 0) | (
        FLAG_WHOLE_WORDS if options.whole_words else 0
    )
    return _SEARCH.pack(SEARCH, page, len(body), flags), body


# ----- the viewer's side: replies in ----------------------------------------------------------


def check_failure(untrusted_header: bytes) -> None:
    """Raise :class:`RemoteFailure` if the header is a ``failed`` reply (reason checked)."""
    if untrusted_header[:1] != FAILED:
        return
    _, reason = unpack_frame(_FAILED, untrusted_header, FAILED)
    if reason not in (FAILED_REQUEST, FAILED_UNCONFINED, FAILED_CANCELLED):
        raise WireError("unknown failure reason")
    raise RemoteFailure(reason)


def parse_opened_header(untrusted_header: bytes) -> tuple[int, int, int]:
    """Check an ``opened`` header; return (page count, outline entries, body length)."""
    check_failure(untrusted_header)
    _, pages, entries, length = unpack_frame(_OPENED, untrusted_header, OPENED)
    if not 1 <= pages <= MAX_PAGES or entries > MAX_OUTLINE_ENTRIES:
        raise WireError("count out of range")
    if not pages * _SIZE.size <= length <= _MAX_OPENED_BODY:
        raise WireError("body length out of range")
    return pages, entries, length


def parse_opened_body(untrusted_body: bytes, pages: int, entries: int) -> DocumentInfo:
    """Decode page sizes and the outline, checking each field."""
    view = memoryview(untrusted_body)
    sizes = []
    for index in range(pages):
        width, height = _SIZE.unpack_from(view, index * _SIZE.size)
        sizes.append((page_length(width), page_length(height)))
    offset = pages * _SIZE.size
    outline = []
    for _ in range(entries):
        if offset + _OUTLINE_ENTRY.size > len(view):
            raise WireError("truncated outline")
        level, target, title_length = _OUTLINE_ENTRY.unpack_from(view, offset)
        offset += _OUTLINE_ENTRY.size
        if not 1 <= level <= MAX_OUTLINE_DEPTH or not -1 <= target < pages:
            raise WireError("outline entry out of range")
        if title_length > 4 * MAX_OUTLINE_TITLE_CHARS or offset + title_length > len(view):
            raise WireError("outline title out of range")
        title = utf8_text(view[offset : offset + title_length])
        if len(title) > MAX_OUTLINE_TITLE_CHARS:
            raise WireError("outline title too long")
        offset += title_length
        outline.append(OutlineEntry(level, title, target))
    if offset != len(view):
        raise WireError("trailing bytes")
    return DocumentInfo(tuple(sizes), tuple(outline))


def parse_pixels_header(
    untrusted_header: bytes,
    *,
    page: int,
    page_size: tuple[float, float],
    zoom: float,
    device_pixel_ratio: float,
) -> PixelsHeader:
    """Check a ``pixels`` header against the request it answers and the page's size."""
    check_failure(untrusted_header)
    _, number, width, height, channels, scale = unpack_frame(_PIXELS, untrusted_header, PIXELS)
    if number != page:
        raise WireError("reply for another page")
    if channels != CHANNELS:
        raise WireError("unexpected channels")
    if not 1 <= width * height <= MAX_PIXEL_COUNT or width == 0 or height == 0:
        raise WireError("image size out of range")
    # The pixel cap may lower the requested scale, never raise it.
    requested = max(zoom * device_pixel_ratio, 0.01)
    if not (math.isfinite(scale) and 0.0 < scale <= requested * (1 + 1e-9)):
        raise WireError("scale out of range")
    for pixels, points in ((width, page_size[0]), (height, page_size[1])):
        if abs(pixels - points * scale) > _PIXEL_ROUNDING:
            raise WireError("image size does not match the page")
    return PixelsHeader(number, width, height, float(scale))


def parse_links_header(untrusted_header: bytes, *, page: int) -> int:
    """Check a ``links`` header; return the body length."""
    count = _list_header(untrusted_header, LINK_LIST, _LINK_LIST, page, MAX_LINKS_PER_PAGE)
    return count * _LINK.size


def parse_links_body(untrusted_body: bytes, *, pages: int) -> tuple[LinkArea, ...]:
    """Decode link areas, checking kinds, rectangles and internal targets."""
    areas = []
    for x0, y0, x1, y1, kind, target, target_y in _LINK.iter_unpack(
        whole_body(untrusted_body, _LINK)
    ):
        rect = checked_rect((x0, y0, x1, y1))
        if kind >= len(_LINK_KINDS) or not math.isfinite(target_y):
            raise WireError("link out of range")
        name = _LINK_KINDS[kind]
        if name == "internal":
            if not 0 <= target < pages:
                raise WireError("link target out of range")
            areas.append(LinkArea(rect, name, target, max(0.0, target_y)))
        else:
            areas.append(LinkArea(rect, name))
    return tuple(areas)


def parse_hits_header(untrusted_header: bytes, *, page: int) -> int:
    """Check a ``hits`` header; return the body length."""
    return _list_header(untrusted_header, HITS, _HITS, page, MAX_HITS_PER_PAGE) * _HIT.size


def parse_hits_body(untrusted_body: bytes) -> tuple[HitPart, ...]:
    """Decode search hits: each one's box, its line's and its context's, whether it continues."""
    parts: list[HitPart] = []
    for values in _HIT.iter_unpack(whole_body(untrusted_body, _HIT)):
        if values[12] > 1 or (values[12] and not parts):
            raise WireError("hit out of range")
        rect, line, context = (
            checked_rect(values[0:4]),
            checked_rect(values[4:8]),
            checked_rect(values[8:12]),
        )
        parts.append(HitPart(rect, line, context, bool(values[12])))
    return tuple(parts)


# ----- the renderer's side ---------------------------------------------------------------------


def parse_request(frame: bytes) -> Request:
    """Decode and check a request frame (the page is checked against the document later)."""
    kind = frame[:1]
    if kind == DOCUMENT:
        _, length, flags = unpack_frame(_DOCUMENT, frame, DOCUMENT)
        return Request(DOCUMENT, body_length=length, require_confinement=bool(flags & 1))
    if kind == RENDER:
        _, page, zoom, ratio = unpack_frame(_RENDER, frame, RENDER)
        if not (math.isfinite(zoom) and math.isfinite(ratio) and zoom * ratio > 0):
            raise WireError("zoom out of range")
        if zoom * ratio > MAX_ZOOM_FACTOR:
            raise WireError("zoom out of range")
        return Request(RENDER, page, zoom, ratio)
    if kind == LINKS:
        _, page = unpack_frame(_LINKS, frame, LINKS)
        return Request(LINKS, page)
    if kind == SEARCH:
        _, page, length, flags = unpack_frame(_SEARCH, frame, SEARCH)
        if length > MAX_QUERY_BYTES:
            raise WireError("query too long")
        options = SearchOptions(
            match_case=bool(flags & FLAG_MATCH_CASE), whole_words=bool(flags & FLAG_WHOLE_WORDS)
        )
        return Request(SEARCH, page, body_length=length, search_options=options)
    if kind == CANCEL:
        _, page = unpack_frame(_CANCEL, frame, CANCEL)
        return Request(CANCEL, page)
    raise WireError("unknown request")


def parse_query(frame: bytes) -> str:
    """Decode a search query frame."""
    return utf8_text(memoryview(frame))


def opened_reply(info: DocumentInfo) -> tuple[bytes, bytes]:
    """The ``opened`` header and body for a document's layout information."""
    parts = [_SIZE.pack(width, height) for width, height in info.page_sizes]
    for entry in info.outline:
        title = entry.title.encode("utf-8", errors="replace")
        parts.append(_OUTLINE_ENTRY.pack(entry.level, entry.page, len(title)))
        parts.append(title)
    body = b"".join(parts)
    return _OPENED.pack(OPENED, len(info.page_sizes), len(info.outline), len(body)), body


def pixels_reply(page: int, width: int, height: int, scale: float) -> bytes:
    """The ``pixels`` header (the RGB samples follow as their own frame)."""
    return _PIXELS.pack(PIXELS, page, width, height, CHANNELS, scale)


def links_reply(page: int, areas: tuple[LinkArea, ...]) -> tuple[bytes, bytes]:
    """The ``links`` header and body."""
    areas = areas[:MAX_LINKS_PER_PAGE]
    body = b"".join(
        _LINK.pack(*a.rect, _LINK_KINDS.index(a.kind), a.target_page, a.target_y) for a in areas
    )
    return _LINK_LIST.pack(LINK_LIST, page, len(areas)), body


def hits_reply(page: int, parts: tuple[HitPart, ...]) -> tuple[bytes, bytes]:
    """The ``hits`` header and body."""
    parts = parts[:MAX_HITS_PER_PAGE]
    body = b"".join(_HIT.pack(*p.rect, *p.line, *p.context, int(p.continues)) for p in parts)
    return _HITS.pack(HITS, page, len(parts)), body


def failed_reply(reason: int = FAILED_REQUEST) -> bytes:
    """The ``failed`` reply."""
    return _FAILED.pack(FAILED, reason)


def _list_header(frame: bytes, kind: bytes, layout: struct.Struct, page: int, cap: int) -> int:
    check_failure(frame)
    _, number, count = unpack_frame(layout, frame, kind)
    if number != page:
        raise WireError("reply for another page")
    if not isinstance(count, int) or count > cap:
        raise WireError("count out of range")
    return count
