"""Fixtures for the reading-surface tests: a generated PDF with an outline, links and a canary."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime

import pymupdf
import pytest

from readingroom.gui.document_reader import DocumentReader
from readingroom.watermark import DEFAULT_WATERMARK_TEMPLATE, WatermarkSpec, build_watermark

# A word that appears in the page text, the outline titles and the metadata. If it ever shows up
# in a widget's text, tooltip, accessible name, window title or an item model, text leaked.
CANARY = "Zanzibarquux"
PAGE_COUNT = 12
# Pages (0-based) whose body mentions the search word, and how many times.
SEARCH_WORD = "marmalade"
SEARCH_PAGES = {3: 1, 7: 2, 10: 1}
LINK_SOURCE_PAGE = 1
LINK_TARGET_PAGE = 8
EXTERNAL_LINK_RECT = pymupdf.Rect(72, 300, 300, 320)
INTERNAL_LINK_RECT = pymupdf.Rect(72, 250, 300, 270)


def build_test_pdf(page_count: int = PAGE_COUNT) -> bytes:
    """A document with headings, body text, a canary, an outline and both kinds of links."""
    document = pymupdf.open()
    for index in range(page_count):
        page = document.new_page(width=595, height=842)
        page.insert_text((72, 90), f"Chapter {index + 1}: {CANARY} heading", fontsize=20)
        for line in range(30):
            page.insert_text(
                (72, 130 + line * 20),
                f"Line {line} of page {index + 1} about {CANARY} and the review findings.",
                fontsize=11,
            )
        for hit in range(SEARCH_PAGES.get(index, 0)):
            page.insert_text((350, 200 + hit * 40), f"{SEARCH_WORD} jar", fontsize=12)
    source = document[LINK_SOURCE_PAGE]
    source.insert_link(
        {
            "kind": pymupdf.LINK_GOTO,
            "from": INTERNAL_LINK_RECT,
            "page": LINK_TARGET_PAGE,
            "to": pymupdf.Point(0, 0),
        }
    )
    source.insert_link(
        {
            "kind": pymupdf.LINK_URI,
            "from": EXTERNAL_LINK_RECT,
            "uri": f"https://example.invalid/{CANARY}",
        }
    )
    document.set_toc(
        [
            [1, f"Part one {CANARY}", 1],
            [2, f"Section A {CANARY}", 2],
            [2, "Section B", 4],
            [1, "Part two", 7],
            [2, "Section C", 9],
        ]
    )
    document.set_metadata({"title": f"Title {CANARY}", "subject": CANARY})
    data: bytes = document.tobytes()
    document.close()
    return data


@pytest.fixture(scope="session")
def test_pdf() -> bytes:
    """The bytes of :func:`build_test_pdf` (built once)."""
    return build_test_pdf()


@pytest.fixture
def watermark() -> WatermarkSpec:
    """A watermark as a real session would build it."""
    return build_watermark(
        DEFAULT_WATERMARK_TEMPLATE,
        reader_name="Alex Reader",
        reader_id="R-042",
        organisation="Borough Council",
        workstation="ROOM-PC-3",
        session_code="7K2M-9QXD",
        classification="OFFICIAL-SENSITIVE",
        when=datetime(2025, 3, 14, 9, 26),
    )


@pytest.fixture(autouse=True)
def no_leaked_render_threads() -> Iterator[None]:
    """Fail a test that leaves a render thread running (every reader must be shut down)."""
    yield
    leaked = [t for t in threading.enumerate() if t.name == "readingroom-render" and t.is_alive()]
    for thread in leaked:
        thread.join(5)
    assert not [t for t in leaked if t.is_alive()], "a render thread was left running"


@pytest.fixture
def make_reader(
    qtbot: object, test_pdf: bytes, watermark: WatermarkSpec
) -> Iterator[Callable[..., DocumentReader]]:
    """Build a shown DocumentReader (600x800) on the test PDF; shut down at teardown."""
    readers: list[DocumentReader] = []

    def make(pdf: bytes | None = None, **options: object) -> DocumentReader:
        reader = DocumentReader(bytearray(pdf or test_pdf), watermark, **options)  # type: ignore[arg-type]
        qtbot.addWidget(reader)  # type: ignore[attr-defined]
        readers.append(reader)
        reader.resize(800, 900)
        reader.show()
        qtbot.waitExposed(reader)  # type: ignore[attr-defined]
        return reader

    yield make
    for reader in readers:
        reader.shutdown()
