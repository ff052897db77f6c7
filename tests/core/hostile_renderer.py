"""A renderer that speaks the wire format until page 1, then breaks it in one way (argv[1]).

Run by tests/core/test_renderer_wire.py as ``python -I hostile_renderer.py MODE FD``, in place
of the real renderer: what a renderer taken over by a hostile PDF could send.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
import time
from multiprocessing.connection import Connection

from readingroom.viewing import wire
from readingroom.viewing.document_model import DocumentInfo, LinkArea, OutlineEntry
from readingroom.viewing.text_search import HitPart

PAGE_POINTS = (100.0, 50.0)  # at zoom 1: 100 x 50 pixels
PAGES = 3
BAD_PAGE = 1
GOOD_SAMPLES = b"\x80" * (100 * 50 * 3)


def _pixels(page: int, width: int = 100, height: int = 50, channels: int = 3, scale: float = 1.0):
    return struct.pack("!cIIIBd", wire.PIXELS, page, width, height, channels, scale)


def _raw_frame_start(fd: int, claimed: int, sent: bytes) -> None:
    """The start of a frame: a length prefix claiming ``claimed`` bytes, then only ``sent``."""
    os.write(fd, struct.pack("!i", claimed) + sent)


def misbehave(mode: str, connection: Connection, fd: int, request: wire.Request) -> None:
    send = connection.send_bytes
    if mode == "wrong_type":
        send(b"Z" + bytes(29))
    elif mode == "pickled_reply":  # what the old protocol sent; never unpickled now
        send(pickle.dumps(("ok", (100, 50, 300, 1.0))))
    elif mode == "short_header":
        send(_pixels(request.page)[:-1])
    elif mode == "oversized_header":
        send(wire.PIXELS + bytes(wire.HEADER_MAX_BYTES + 1))
    elif mode == "short_body":
        send(_pixels(request.page))
        send(GOOD_SAMPLES[:-1])
    elif mode == "long_body":
        send(_pixels(request.page))
        send(GOOD_SAMPLES + b"\0")
    elif mode == "huge_image":
        send(_pixels(request.page, 60_000, 60_000))
    elif mode == "other_page":
        send(_pixels(request.page + 1))
    elif mode == "four_channels":
        send(_pixels(request.page, channels=4))
    elif mode == "nan_scale":
        send(_pixels(request.page, scale=float("nan")))
    elif mode == "scale_above_request":
        send(_pixels(request.page, 200, 100, scale=2.0))
    elif mode == "size_not_the_page":
        send(_pixels(request.page, 300, 17))
    elif mode == "unknown_failure":
        send(struct.pack("!cB", wire.FAILED, 9))
    elif mode == "dies_mid_frame":
        send(_pixels(request.page))
        _raw_frame_start(fd, len(GOOD_SAMPLES), GOOD_SAMPLES[:1000])
        os._exit(0)
    elif mode == "stalls_mid_frame":
        send(_pixels(request.page))
        _raw_frame_start(fd, len(GOOD_SAMPLES), GOOD_SAMPLES[:1000])
        time.sleep(600)
    elif mode == "negative_length":  # a length prefix below zero (read as an empty frame)
        os.write(fd, struct.pack("!i", -7) + _pixels(request.page))
    elif mode == "huge_length":  # the 8-byte length form, claiming 4 EiB
        os.write(fd, struct.pack("!i", -1) + struct.pack("!Q", 2**62) + bytes(64))
    elif mode == "length_prefix_max":  # 2 GiB claimed, a few bytes sent
        os.write(fd, struct.pack("!i", 2**31 - 1) + bytes(64))
        time.sleep(600)
    elif mode == "link_unknown_kind":
        send(struct.pack("!cII", wire.LINK_LIST, request.page, 1))
        send(struct.pack("!ddddBid", 0, 0, 10, 10, 77, -1, 0.0))
    elif mode == "link_to_missing_page":
        send(struct.pack("!cII", wire.LINK_LIST, request.page, 1))
        send(struct.pack("!ddddBid", 0, 0, 10, 10, 0, PAGES, 0.0))
    elif mode == "too_many_hits":
        count = wire.MAX_HITS_PER_PAGE + 1
        send(struct.pack("!cII", wire.HITS, request.page, count))
        send(struct.pack("!ddddddddddddB", 1, 1, 2, 2, 0, 1, 9, 2, 0, 1, 9, 2, 0) * count)
    elif mode == "hit_not_finite":
        send(struct.pack("!cII", wire.HITS, request.page, 1))
        send(struct.pack("!ddddddddddddB", 1, float("inf"), 2, 2, 0, 1, 9, 2, 0, 1, 9, 2, 0))
    elif mode == "hits_body_truncated":
        send(struct.pack("!cII", wire.HITS, request.page, 2))
        send(struct.pack("!ddddddddddddB", 1, 1, 2, 2, 0, 1, 9, 2, 0, 1, 9, 2, 0))
    elif mode == "hit_continues_nothing":
        send(struct.pack("!cII", wire.HITS, request.page, 1))
        send(struct.pack("!ddddddddddddB", 1, 1, 2, 2, 0, 1, 9, 2, 0, 1, 9, 2, 1))
    else:
        raise SystemExit(f"unknown mode {mode}")


def answer(connection: Connection, request: wire.Request, mode: str = "") -> None:
    if request.kind == wire.RENDER:
        connection.send_bytes(_pixels(request.page))
        connection.send_bytes(GOOD_SAMPLES)
        if mode == "unsolicited_reply":  # answers to requests the viewer never made
            for page in range(PAGES):
                connection.send_bytes(_pixels(page))
                connection.send_bytes(b"\x01" * len(GOOD_SAMPLES))
    elif request.kind == wire.LINKS:
        header, body = wire.links_reply(request.page, (LinkArea((1, 1, 5, 5), "uri"),))
        connection.send_bytes(header)
        connection.send_bytes(body)
    else:
        hit = HitPart((1.0, 1.0, 2.0, 2.0), (0.0, 1.0, 9.0, 2.0), (0.0, 1.0, 9.0, 2.0))
        header, body = wire.hits_reply(request.page, (hit,))
        connection.send_bytes(header)
        connection.send_bytes(body)


def opened(mode: str, connection: Connection) -> None:
    info = DocumentInfo((PAGE_POINTS,) * PAGES, (OutlineEntry(1, "Part one", 0),))
    header, body = wire.opened_reply(info)
    if mode == "opened_title_not_utf8":
        body = body.replace(b"Part one", b"Part \xff\xfe\xfd")
    elif mode == "opened_no_pages":
        header = struct.pack("!cIII", wire.OPENED, 0, 1, len(body))
    elif mode == "opened_negative_size":
        body = struct.pack("!dd", -1.0, 50.0) + body[16:]
    elif mode == "opened_zero_width":  # the window divides by page widths to fit them
        body = struct.pack("!dd", 0.0, 50.0) + body[16:]
    elif mode == "opened_trailing_bytes":
        body += b"\0"
        header = struct.pack("!cIII", wire.OPENED, PAGES, 1, len(body))
    connection.send_bytes(header)
    connection.send_bytes(body)


def main() -> None:
    mode, fd = sys.argv[1], int(sys.argv[2])
    connection = Connection(fd)
    request = wire.parse_request(connection.recv_bytes(wire.HEADER_MAX_BYTES))
    connection.recv_bytes(request.body_length)
    opened(mode, connection)
    while True:
        try:
            request = wire.parse_request(connection.recv_bytes(wire.HEADER_MAX_BYTES))
        except EOFError:
            return
        if request.kind == wire.SEARCH:
            connection.recv_bytes(request.body_length)
        if request.page == BAD_PAGE and not mode.startswith(("opened_", "unsolicited_")):
            misbehave(mode, connection, fd, request)
        else:
            answer(connection, request, mode)


if __name__ == "__main__":
    main()
