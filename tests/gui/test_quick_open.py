"""Speed without shortcuts: the renderer waits, confined, during the unlock; previews are marked.

Real launcher, real renderer processes, real sealed files, offscreen QApplication.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pymupdf
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from readingroom.gui.reader.document_reader import DocumentReader
from readingroom.gui.reader.page_view import PREVIEW_SCALE
from readingroom.gui.rendering.page_cache import RenderKey
from readingroom.gui.rendering.page_images import BAND_HEIGHT_PT
from readingroom.watermark import WatermarkSpec
from tests.factories import PASSPHRASE
from tests.gui.test_render_page_images import reddish_pixels
from tests.gui.test_session_fixtures import WAIT_MS, Viewer, event_names, write_sealed


def test_the_renderer_starts_during_the_unlock_and_gets_the_document_before_the_notice(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot
) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    launcher = viewer.launch(sealed, with_passphrase_file=False)
    assert launcher.unlock_dialog is not None and launcher.unlock_dialog.isVisible()
    qtbot.waitUntil(
        lambda: launcher.handover is not None and launcher.handover.prestarted_pid() is not None,
        timeout=WAIT_MS,
    )
    assert launcher.handover is not None
    waiting = launcher.handover.prestarted_pid()
    assert waiting is not None and Path(f"/proc/{waiting}").exists()
    assert event_names(sealed.config) == []  # nothing unlocked, nothing recorded yet

    viewer.try_unlock(launcher.unlock_dialog, PASSPHRASE.decode())
    assert launcher.notice_dialog is not None and launcher.notice_dialog.isVisible()
    assert launcher.handover.prestarted_pid() is None  # handed over with the document
    # The renderer opens the document while the reader reads the notice: no window, no page.
    qtbot.waitUntil(launcher.handover.document_open, timeout=WAIT_MS)
    assert launcher.window is None
    assert event_names(sealed.config) == ["session_started"]

    launcher.notice_dialog.accept()
    qtbot.waitUntil(lambda: launcher.window is not None, timeout=WAIT_MS)
    assert launcher.window is not None
    assert launcher.window.reader()._worker.renderer_pid() == waiting  # the prestarted one


def test_cancelling_the_unlock_ends_the_waiting_renderer(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot
) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    launcher = viewer.launch(sealed, with_passphrase_file=False)
    qtbot.waitUntil(
        lambda: launcher.handover is not None and launcher.handover.prestarted_pid() is not None,
        timeout=WAIT_MS,
    )
    assert launcher.handover is not None and launcher.unlock_dialog is not None
    waiting = launcher.handover.prestarted_pid()
    launcher.unlock_dialog.reject()
    assert launcher.is_finished()
    status = Path(f"/proc/{waiting}/status")
    assert not status.exists() or "State:\tZ" in status.read_text()


def test_a_cold_page_is_previewed_at_reduced_scale_with_the_watermark_burned_in(
    qtbot: QtBot, test_pdf: bytes, watermark: WatermarkSpec
) -> None:
    reader = DocumentReader(bytearray(test_pdf), watermark)
    qtbot.addWidget(reader)
    wanted: list[list[RenderKey]] = []
    reader.view.images_wanted.connect(wanted.append)
    arrived: dict[RenderKey, QImage] = {}
    reader._worker.page_rendered.connect(arrived.__setitem__)
    reader.resize(900, 800)
    reader.show()
    last = reader.page_count() - 1
    with qtbot.waitSignal(reader.view.page_painted, timeout=WAIT_MS):
        reader.go_to_page(last)
    asked = next(keys for keys in wanted if keys and keys[0].page == last)
    full_zoom = reader.view.zoom()
    # The preview comes first, then the sharp page.
    assert asked[0].zoom == round(round(full_zoom, 4) * PREVIEW_SCALE, 4)
    assert asked[1].page == last and asked[1].zoom == round(full_zoom, 4)
    qtbot.waitUntil(lambda: asked[0] in arrived, timeout=WAIT_MS)
    preview = arrived[asked[0]]
    scale = asked[0].zoom * asked[0].device_pixel_ratio
    band = max(2, round(BAND_HEIGHT_PT * scale))
    # The preview carries the band top and bottom like every image shown.
    assert reddish_pixels(preview, 0, band) > 5
    assert reddish_pixels(preview, preview.height() - band, preview.height()) > 5
    bare = pymupdf.open(stream=test_pdf, filetype="pdf")[last].get_pixmap(
        matrix=pymupdf.Matrix(scale, scale), alpha=False
    )
    assert (preview.width(), preview.height()) == (bare.width, bare.height)
    reader.shutdown()


_ENUMS_CREATED_BY_A_RENDER = """
import enum, sys
from PySide6.QtGui import QGuiApplication
from readingroom.gui.rendering.page_images import PageSamples, render_page_image, warm_up
from readingroom.watermark import DEFAULT_WATERMARK_TEMPLATE, build_watermark
from datetime import datetime
app = QGuiApplication([])
spec = build_watermark(DEFAULT_WATERMARK_TEMPLATE, reader_name="R", reader_id="1",
    organisation="O", workstation="W", session_code="7K2M-9QXD", classification="OFFICIAL",
    when=datetime.now())
if sys.argv[1] == "warm":
    warm_up(spec)
created = []
original = enum.EnumType._create_
def spy(cls, *args, **kwargs):
    created.append(args[0] if args else kwargs.get("class_name"))
    return original(cls, *args, **kwargs)
enum.EnumType._create_ = spy
page = PageSamples(0, 300, 420, 900, 0.5, bytes([255]) * (300 * 420 * 3))
render_page_image(page, 0.5, 1.0, spec, [(10.0, 10.0, 90.0, 30.0)])
print(len(created))
"""


def test_after_the_warm_up_a_render_creates_no_qt_enum_type() -> None:
    """The render thread must not make Shiboken create enum types (that raced the UI thread
    into a segfault); warm_up, on the UI thread, creates them first. A fresh interpreter each."""

    def created(mode: str) -> int:
        run = subprocess.run(
            [sys.executable, "-c", _ENUMS_CREATED_BY_A_RENDER, mode],
            capture_output=True,
            text=True,
            check=True,
            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
            cwd=Path(__file__).resolve().parents[2],
        )
        return int(run.stdout.split()[-1])

    assert created("cold") > 0  # the spy sees Shiboken's lazy enum types...
    assert created("warm") == 0  # ...and after the warm-up there are none left to create
