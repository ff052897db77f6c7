"""The renderer's per-page MuPDF state: display lists reused, then released on schedule."""

from __future__ import annotations

import pymupdf

from readingroom.viewing.page_memory import KEPT_DISPLAY_LISTS, RELEASE_EVERY, PageMemory
from readingroom.viewing.render_process import rasterize_display_list, rasterize_page
from tests.gui.sample_pdf import build_test_pdf


def test_a_display_list_renders_the_same_pixels_as_the_page() -> None:
    document = pymupdf.open(stream=build_test_pdf(), filetype="pdf")
    memory = PageMemory(document)
    for zoom in (1.0 / 3, 1.0, 2.5):
        from_list = rasterize_display_list(memory.display_list(1), 1, zoom, 1.0)
        direct = rasterize_page(document.load_page(1), zoom, 1.0)
        assert (from_list.width, from_list.height, from_list.scale) == (
            direct.width,
            direct.height,
            direct.scale,
        )
        assert bytes(from_list.samples) == bytes(direct.samples)


def test_lists_are_kept_for_the_last_pages_and_everything_is_released_regularly() -> None:
    document = pymupdf.open(stream=build_test_pdf(), filetype="pdf")
    memory = PageMemory(document)
    first = memory.display_list(0)
    assert memory.display_list(0) is first  # the preview's refinement reuses it
    assert document.page_count > KEPT_DISPLAY_LISTS
    for number in range(1, KEPT_DISPLAY_LISTS + 1):
        memory.display_list(number)
    assert memory.display_list(0) is not first  # the oldest was dropped
    kept = memory.display_list(1)
    for _ in range(RELEASE_EVERY - 1):
        memory.rendered()
    assert memory.releases == 0 and memory.display_list(1) is kept
    memory.rendered()
    assert memory.releases == 1
    assert memory.display_list(1) is not kept  # recorded afresh after the release
