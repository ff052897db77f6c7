"""Fixtures for the reading-surface tests: a generated PDF with an outline, links and a canary."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from readingroom.gui.reader.document_reader import DocumentReader
from readingroom.watermark import DEFAULT_WATERMARK_TEMPLATE, WatermarkSpec, build_watermark
from tests.gui.sample_pdf import build_test_pdf
from tests.gui.test_session_fixtures import Sealed, Viewer, write_sealed


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
        session_code="7K2M-9QXD-E",
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


@pytest.fixture
def viewer(qtbot: QtBot) -> Iterator[Viewer]:
    """Opens viewers through the real launcher; closes every window it opened afterwards."""
    helper = Viewer(qtbot)
    yield helper
    helper.close_all()


@pytest.fixture
def sealed(rr_home: Path, tmp_path: Path) -> Sealed:
    """A real sealed review file (and its keys) under the test's READINGROOM_HOME."""
    return write_sealed(rr_home, tmp_path)
