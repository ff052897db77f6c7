"""The renderer process: Qt-free, no core dumps, the PDF only in memory, pixels only watermarked."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from readingroom.gui.reader.document_reader import DocumentReader
from readingroom.gui.rendering.page_images import PageSamples, render_page_image
from readingroom.gui.rendering.renderer_client import RendererClient
from readingroom.watermark import WatermarkSpec
from tests.gui.test_render_page_images import _bare, changed_tile_fraction, reddish_pixels

REPO = Path(__file__).resolve().parents[2]
LINUX = sys.platform.startswith("linux")


def test_renderer_modules_import_without_qt() -> None:
    blocked = (
        "import sys; sys.modules['PySide6'] = None; sys.modules['shiboken6'] = None; "
        "import readingroom.gui.rendering.render_process, readingroom.gui.rendering.renderer_client"
    )
    subprocess.run([sys.executable, "-c", blocked], cwd=REPO, check=True, timeout=60)


def _client(pdf: bytes) -> RendererClient:
    return RendererClient(pdf, hang_seconds=30.0, open_seconds=60.0, should_stop=lambda: False)


@pytest.mark.skipif(not LINUX, reason="reads /proc")
def test_renderer_cannot_dump_core_and_holds_no_file(test_pdf: bytes) -> None:
    client = _client(test_pdf)
    try:
        info = client.start()
        assert len(info.page_sizes) > 0
        pid = client.pid
        assert pid is not None and pid != os.getpid()
        limits = Path(f"/proc/{pid}/limits").read_text()
        core = next(line for line in limits.splitlines() if line.startswith("Max core file size"))
        assert core.split()[4:6] == ["0", "0"], core  # soft and hard
        # The PDF came through a pipe: beyond the standard streams it inherits (which pytest
        # points at its capture files), the renderer has no file open but /dev nodes.
        fds = [fd for fd in os.listdir(f"/proc/{pid}/fd") if int(fd) > 2]
        targets = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in fds]
        assert any(t.startswith("socket:") or t.startswith("pipe:") for t in targets), targets
        files = [t for t in targets if t.startswith("/") and not t.startswith("/dev/")]
        assert files == [], files
    finally:
        client.close()
    assert client.pid is None


def test_samples_from_the_renderer_are_shown_only_watermarked(
    qtbot: QtBot, test_pdf: bytes, watermark: WatermarkSpec
) -> None:
    import pymupdf  # noqa: PLC0415 - the bare baseline only

    client = _client(test_pdf)
    try:
        client.start()
        samples = client.render(0, 1.0, 1.0)
        search = client.search(0, "the")
        links = client.links(0)
    finally:
        client.close()
    assert isinstance(samples, PageSamples) and samples.number == 0
    assert isinstance(search, tuple) and isinstance(links, tuple)
    image = render_page_image(samples, 1.0, 1.0, watermark)
    document = pymupdf.open(stream=test_pdf, filetype="pdf")
    bare = _bare(document[0], 1.0)
    document.close()
    assert changed_tile_fraction(image, bare) >= 0.8
    assert reddish_pixels(image, 0, 15) > 20


def test_malformed_samples_are_refused(qtbot: QtBot, watermark: WatermarkSpec) -> None:
    lying = PageSamples(0, 1000, 1000, 3000, 1.0, b"\0" * 3000)  # claims more rows than it has
    with pytest.raises(ValueError):
        render_page_image(lying, 1.0, 1.0, watermark)


def test_reader_search_and_links_go_through_the_renderer(
    qtbot: QtBot, make_reader: Callable[..., DocumentReader]
) -> None:
    reader = make_reader()
    reader.run_search("the")
    qtbot.waitUntil(lambda: "hit" in reader.search_bar.status_label.text(), timeout=20_000)
    assert reader._worker.renderer_pid() is not None
