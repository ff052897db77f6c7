"""Finding the query on a page in the renderer: options, phrases over lines, the wire round trip."""

from __future__ import annotations

import pymupdf
import pytest

from readingroom.viewing import text_search, wire
from readingroom.viewing.text_search import HitPart, SearchOptions, find_on_page, query_pattern
from readingroom.viewing.wire_fields import WireError

LINES = (
    "The Social Worker met the social worker's manager.",
    "Socialising was SOCIAL; a.b is not axb. The last word is social",
    "worker, and that phrase wraps.",
)


@pytest.fixture(scope="module")
def page() -> pymupdf.Page:
    document = pymupdf.open()
    page = document.new_page()
    for number, line in enumerate(LINES):
        page.insert_text((72, 100 + number * 15), line, fontsize=11)
    return page


def _count(page: pymupdf.Page, query: str, **options: bool) -> int:
    parts = find_on_page(page, query, SearchOptions(**options), 200)
    return sum(not part.continues for part in parts)


def test_the_text_flags_are_pymupdfs_search_flags() -> None:
    assert pymupdf.TEXTFLAGS_SEARCH == text_search._TEXT_FLAGS


def test_plain_search_ignores_case_and_finds_parts_of_words(page: pymupdf.Page) -> None:
    assert _count(page, "social") == 5  # Social, social, Socialising, SOCIAL, social


def test_match_case(page: pymupdf.Page) -> None:
    assert _count(page, "social", match_case=True) == 2
    assert _count(page, "Social", match_case=True) == 2  # Social, Socialising


def test_whole_words(page: pymupdf.Page) -> None:
    assert _count(page, "social", whole_words=True) == 4  # not "Socialising"
    assert _count(page, "social", whole_words=True, match_case=True) == 2
    assert _count(page, "work", whole_words=True) == 0


def test_a_phrase_over_two_lines_is_one_match_in_two_parts(page: pymupdf.Page) -> None:
    parts = find_on_page(page, "social   worker,", SearchOptions(), 200)
    assert [part.continues for part in parts] == [False, True]
    first, second = parts
    assert first.rect[1] < second.rect[1]  # one box on each line
    for part in parts:
        x0, y0, x1, y1 = part.rect
        lx0, ly0, lx1, ly1 = part.line
        # The line's box holds the hit across, and its band (one type size and a little room,
        # not the font's whole ascender and descender) runs through the hit's middle.
        assert lx0 <= x0 < x1 <= lx1 and ly0 < (y0 + y1) / 2 < ly1
        assert part.context[0] <= x0 < x1 <= part.context[2]


def test_the_query_is_literal(page: pymupdf.Page) -> None:
    assert _count(page, "a.b") == 1
    assert _count(page, "a.b is not a.b") == 0
    assert query_pattern("  \t ", SearchOptions()) is None
    assert find_on_page(page, "   ", SearchOptions(), 200) == ()


def test_the_limit_caps_the_parts(page: pymupdf.Page) -> None:
    assert len(find_on_page(page, "o", SearchOptions(), 3)) == 3


@pytest.mark.parametrize(
    "options",
    [SearchOptions(), SearchOptions(match_case=True), SearchOptions(True, True)],
)
def test_options_and_hits_survive_the_wire(options: SearchOptions) -> None:
    header, body = wire.search_request(4, "Social worker", options)
    request = wire.parse_request(header)
    assert (request.kind, request.page, request.search_options) == (wire.SEARCH, 4, options)
    assert wire.parse_query(body) == "Social worker"
    parts = (
        HitPart((1.0, 2.0, 3.0, 4.0), (0.0, 2.0, 9.0, 4.0), (0.5, 2.0, 5.0, 4.0)),
        HitPart((1.0, 5.0, 3.0, 7.0), (0.0, 5.0, 9.0, 7.0), (0.5, 5.0, 5.0, 7.0), continues=True),
    )
    header, body = wire.hits_reply(4, parts)
    assert wire.parse_hits_header(header, page=4) == len(body)
    assert wire.parse_hits_body(body) == parts


def test_a_hit_that_continues_nothing_is_refused() -> None:
    _, body = wire.hits_reply(
        0, (HitPart((1, 1, 2, 2), (0, 1, 9, 2), (0, 1, 9, 2), continues=True),)
    )
    with pytest.raises(WireError):
        wire.parse_hits_body(body)
