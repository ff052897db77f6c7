"""The page cache's budget follows the zoom and the screen, within its bounds."""

from __future__ import annotations

from readingroom.viewing.memory_budget import (
    MAX_PAGE_CACHE_BYTES,
    MIN_PAGE_CACHE_BYTES,
    PAGES_KEPT,
    largest_page,
    page_cache_bytes,
    page_image_bytes,
)
from readingroom.viewing.wire import MAX_IMAGE_PIXELS

A4 = (595.0, 842.0)


def test_the_budget_is_a_dozen_of_the_largest_page_at_this_zoom() -> None:
    sizes = (A4, (842.0, 1191.0), (300.0, 300.0))
    assert largest_page(sizes) == (842.0, 1191.0)
    at_150 = page_cache_bytes(largest_page(sizes), 1.5, 1.0)
    assert abs(at_150 - PAGES_KEPT * (842 * 1.5) * (1191 * 1.5) * 4) <= PAGES_KEPT * 4
    # Twice the ratio (a HiDPI screen) is four times the pixels, until the ceiling.
    assert page_cache_bytes(A4, 1.2, 2.0) > 3.99 * page_cache_bytes(A4, 1.2, 1.0)
    assert page_cache_bytes(A4, 4.0, 2.0) == MAX_PAGE_CACHE_BYTES
    assert page_cache_bytes(A4, 0.1, 1.0) == MIN_PAGE_CACHE_BYTES
    assert page_cache_bytes(largest_page(()), 1.0, 1.0) == MIN_PAGE_CACHE_BYTES


def test_one_image_never_exceeds_the_renderers_pixel_cap_nor_the_ceiling() -> None:
    huge = (14_400.0, 14_400.0)
    assert page_image_bytes(huge, 4.0, 2.0) == MAX_IMAGE_PIXELS * 4
    assert page_image_bytes(huge, 4.0, 2.0) < MAX_PAGE_CACHE_BYTES  # it can always be cached
