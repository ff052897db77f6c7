"""The viewer's side of the wire: a renderer that lies fails its page only, never the viewer.

Each hostile reply comes from a real process (tests/core/hostile_renderer.py) that speaks the
format correctly for pages 0 and 2 and breaks it on page 1: the client refuses the reply,
kills that renderer, and a fresh one renders the next page.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from readingroom.viewing import wire
from readingroom.viewing.document_model import DocumentInfo, LinkArea, OutlineEntry
from readingroom.viewing.renderer_client import (
    RendererClient,
    RendererError,
    RendererLost,
    RendererMisbehaved,
)
from readingroom.viewing.text_search import HitPart
from readingroom.viewing.wire_fields import WireError

HOSTILE = Path(__file__).with_name("hostile_renderer.py")

RENDER_MODES = [
    "wrong_type",
    "pickled_reply",
    "short_header",
    "oversized_header",
    "short_body",
    "long_body",
    "huge_image",
    "other_page",
    "four_channels",
    "nan_scale",
    "scale_above_request",
    "size_not_the_page",
    "unknown_failure",
    "dies_mid_frame",
    "stalls_mid_frame",
    "negative_length",
    "huge_length",
    "length_prefix_max",
]
LINK_MODES = ["link_unknown_kind", "link_to_missing_page"]
SEARCH_MODES = ["too_many_hits", "hit_not_finite", "hits_body_truncated", "hit_continues_nothing"]
OPEN_MODES = [
    "opened_title_not_utf8",
    "opened_no_pages",
    "opened_negative_size",
    "opened_zero_width",
    "opened_trailing_bytes",
]


def _client(mode: str) -> RendererClient:
    def command(fd: int) -> list[str]:
        return [sys.executable, "-I", str(HOSTILE), mode, str(fd)]

    # The hang limit only matters for the renderer that stalls mid-frame.
    return RendererClient(
        b"%PDF-1.7 not parsed by the hostile renderer",
        hang_seconds=3.0,
        open_seconds=60.0,
        should_stop=lambda: False,
        command=command,
    )


def _assert_only_page_one_fails(client: RendererClient, ask_page_one: object) -> None:
    client.start()
    good = client.render(0, 1.0, 1.0)
    assert (good.width, good.height, len(good.samples)) == (100, 50, 100 * 50 * 3)
    first = client.pid
    with pytest.raises(RendererLost):  # RendererMisbehaved, or RendererHung for the stall
        ask_page_one()  # type: ignore[operator]
    assert client.pid is None  # that renderer was killed
    after = client.render(2, 1.0, 1.0)  # a fresh renderer carries on
    assert after.number == 2 and bytes(after.samples) == b"\x80" * (100 * 50 * 3)
    assert client.pid not in (None, first)
    assert client.restarts == 1


@pytest.mark.parametrize("mode", RENDER_MODES)
def test_a_malformed_pixels_reply_fails_that_page_only(mode: str) -> None:
    client = _client(mode)
    try:
        _assert_only_page_one_fails(client, lambda: client.render(1, 1.0, 1.0))
    finally:
        client.close()


@pytest.mark.parametrize("mode", LINK_MODES)
def test_a_malformed_links_reply_fails_that_page_only(mode: str) -> None:
    client = _client(mode)
    try:
        client.start()
        assert client.links(0) == (LinkArea((1.0, 1.0, 5.0, 5.0), "uri"),)
        with pytest.raises(RendererMisbehaved):
            client.links(1)
        assert client.links(2) == (LinkArea((1.0, 1.0, 5.0, 5.0), "uri"),)
    finally:
        client.close()


@pytest.mark.parametrize("mode", SEARCH_MODES)
def test_a_malformed_search_reply_fails_that_page_only(mode: str) -> None:
    client = _client(mode)
    try:
        client.start()
        with pytest.raises(RendererMisbehaved):
            client.search(1, "name")
        assert client.search(2, "name") == (
            HitPart((1.0, 1.0, 2.0, 2.0), (0.0, 1.0, 9.0, 2.0), (0.0, 1.0, 9.0, 2.0)),
        )
    finally:
        client.close()


@pytest.mark.parametrize("mode", OPEN_MODES)
def test_a_malformed_opened_reply_means_the_document_does_not_open(mode: str) -> None:
    client = _client(mode)
    try:
        with pytest.raises(RendererError):
            client.start()
        assert client.pid is None
    finally:
        client.close()


def test_a_reply_to_a_request_never_made_is_never_taken_for_an_answer() -> None:
    """Each good reply is followed by 0x01 pixels for every page that nobody asked for."""
    client = _client("unsolicited_reply")
    try:
        client.start()
        client.render(0, 1.0, 1.0)
        for page in (0, 1, 2):
            before = client.pid
            connection = client._connection
            assert connection is not None and connection.poll(30)  # the stale frames are there
            samples = client.render(page, 1.0, 1.0)
            assert samples.number == page
            assert bytes(samples.samples) == b"\x80" * (100 * 50 * 3)  # never the stale 0x01
            assert client.pid not in (None, before)  # the renderer that spoke out of turn went
        assert client.restarts == 3
    finally:
        client.close()


def test_a_page_the_document_does_not_have_is_not_asked_for() -> None:
    client = _client("wrong_type")
    try:
        client.start()
        with pytest.raises(RendererError):
            client.render(3, 1.0, 1.0)
        assert client.restarts == 0
    finally:
        client.close()


def test_replies_round_trip_through_the_format() -> None:
    info = DocumentInfo(
        ((595.0, 842.0), (842.0, 595.0)),
        (OutlineEntry(1, "Chapter \u00e9", 0), OutlineEntry(2, "Sub", -1)),
    )
    header, body = wire.opened_reply(info)
    pages, entries, length = wire.parse_opened_header(header)
    assert length == len(body)
    assert wire.parse_opened_body(body, pages, entries) == info
    areas = (LinkArea((1.0, 2.0, 3.0, 4.0), "internal", 1, 20.0), LinkArea((0, 0, 1, 1), "mailto"))
    header, body = wire.links_reply(0, areas)
    assert wire.parse_links_header(header, page=0) == len(body)
    assert wire.parse_links_body(body, pages=2) == areas
    request = wire.parse_request(wire.render_request(1, 1.5, 2.0))
    assert (request.kind, request.page, request.zoom, request.device_pixel_ratio) == (
        wire.RENDER,
        1,
        1.5,
        2.0,
    )


def test_requests_the_viewer_never_sends_are_refused_by_the_renderer() -> None:
    for frame in (b"", b"X", wire.render_request(0, float("inf"), 1.0), b"R" + bytes(3)):
        with pytest.raises(WireError):
            wire.parse_request(frame)
    with pytest.raises(WireError):
        wire.parse_request(wire.render_request(0, 100.0, 1.0))  # beyond any zoom


def test_no_pickle_anywhere_in_the_package() -> None:
    """Nothing in readingroom/ imports pickle or receives objects from a Connection."""
    package = Path(__file__).resolve().parents[2] / "readingroom"
    offenders = []
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in ("import pickle", "from pickle", ".recv()", "_ForkingPickler", "cPickle"):
            if needle in text:
                offenders.append(f"{path.relative_to(package)}: {needle}")
    assert offenders == []
