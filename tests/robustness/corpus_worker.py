"""Worker process for the corpus test: prepare, seal, open and render PDFs, one at a time.

Run as ``python -m tests.robustness.corpus_worker`` from the repository root. It reads one PDF
path per line on stdin and, for each, writes JSON lines to its protocol channel (the original
stdout; anything else the libraries print goes to stderr):

    {"event": "step", "stage": "prepare", "done": 3}      a heartbeat (one per page at least)
    {"event": "result", "status": "opened", ...}           the outcome of the file

``status`` is ``opened`` (every page rendered with its watermark), ``refused`` (a
ReadingRoomError with its safe message) or ``error`` (any other exception: a bug). A crash or a
hang is what the parent sees when no heartbeat arrives in time; it kills and replaces us.
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import IO, Any

import pymupdf
from PySide6.QtGui import QColor, QGuiApplication, QImage

from readingroom.age import ScryptRecipient
from readingroom.config import load_config
from readingroom.errors import ReadingRoomError
from readingroom.gui.rendering.page_images import (
    BAND_HEIGHT_PT,
    _overlay_image,
    render_page_image,
)
from readingroom.keys import PublisherKey
from readingroom.manifest import Manifest
from readingroom.pdf_input import count_pages
from readingroom.policy import Policy
from readingroom.prepare import PrepareOptions, prepare_pdf
from readingroom.review_file import UnlockKeys, open_review, seal_review
from readingroom.trust import TrustStore
from readingroom.viewing.document_model import link_areas, read_document_info
from readingroom.watermark import DEFAULT_WATERMARK_TEMPLATE, WatermarkSpec, build_watermark
from tests.factories import FAST_LOG_N, PASSPHRASE, READER

ZOOM = 1.0
SESSION_CODE = "K7Q2-9XHM-4"
MIN_CHECKED_PIXELS = 20
# Renders are capped at MAX_IMAGE_PIXELS; this much address space is plenty for one file and
# turns a deflate bomb into a MemoryError (or a recorded crash) instead of a swapping machine.
ADDRESS_SPACE_LIMIT = 6 * 1024**3


class Channel:
    """The protocol channel: one JSON object per line, flushed at once."""

    def __init__(self, stream: IO[str]) -> None:
        """Write to ``stream``."""
        self._stream = stream

    def send(self, **message: Any) -> None:
        """Send one message."""
        self._stream.write(json.dumps(message) + "\n")
        self._stream.flush()


class Pipeline:
    """Keys, trust store and watermark shared by every file this worker handles."""

    def __init__(self, home: Path, channel: Channel) -> None:
        """Make a workstation home with a trusted publisher."""
        self.channel = channel
        self.config = load_config(home)
        self.publisher = PublisherKey.generate()
        self.trust = TrustStore.load(self.config.trust_store)
        self.trust.add(self.publisher.public_key(), "Corpus publisher")
        self.watermark: WatermarkSpec = build_watermark(
            DEFAULT_WATERMARK_TEMPLATE,
            reader_name=READER.name,
            reader_id=READER.id,
            organisation=READER.organisation,
            workstation="CORPUS-PC",
            session_code=SESSION_CODE,
            classification="OFFICIAL-SENSITIVE",
            when=self._now(),
        )

    @staticmethod
    def _now() -> Any:
        from datetime import UTC, datetime  # noqa: PLC0415

        return datetime.now(UTC)

    def beat(self, stage: str, done: int = 0) -> None:
        """Tell the parent we are alive and where."""
        self.channel.send(event="step", stage=stage, done=done)

    def handle(self, path: Path) -> dict[str, Any]:
        """Run one PDF through the whole pipeline; return its result record."""
        result: dict[str, Any] = {"file": path.name, "bytes": path.stat().st_size}
        started = time.monotonic()
        try:
            result.update(self._run(path))
            result["status"] = "opened"
        except ReadingRoomError as error:
            result.update(
                status="refused",
                error=type(error).__name__,
                message=str(error),
                reason=error.reason,
            )
        except BaseException as error:  # a bug: anything else must not escape the pipeline
            result.update(
                status="error",
                error=type(error).__name__,
                traceback=traceback.format_exc(limit=8),
            )
        result["seconds"] = round(time.monotonic() - started, 2)
        return result

    def _run(self, path: Path) -> dict[str, Any]:
        data = path.read_bytes()
        self.beat("count")
        page_count = count_pages(data, path.name)
        self.beat("prepare")
        options = PrepareOptions(
            allow_unverifiable_pages=True,
            progress=lambda done, _total: self.beat("prepare", done),
        )
        prepared = prepare_pdf(data, options)
        self.beat("seal")
        manifest = Manifest.new(
            title=path.stem,
            classification="OFFICIAL-SENSITIVE",
            publisher_name="Corpus publisher",
            pdf=prepared.pdf,
            page_count=page_count,
            policy=Policy(reader=READER),
        )
        sealed = seal_review(
            prepared.pdf, manifest, self.publisher, ScryptRecipient(PASSPHRASE, FAST_LOG_N)
        )
        self.beat("open")
        opened = open_review(
            sealed,
            UnlockKeys(passphrase=PASSPHRASE),
            config=self.config,
            trust=self.trust,
            now=self._now(),
        )
        rendered = self._render_all(opened.pdf)
        return {
            "pages": rendered,
            "unverifiable_pages": len(prepared.report.unverifiable_pages),
        }

    def _render_all(self, pdf: bytearray) -> int:
        """Render every page the way the viewer's render worker does; return the page count."""
        try:
            document = pymupdf.open(stream=pdf, filetype="pdf")
        except Exception as exc:
            # The viewer's render worker turns this into DamagedFile; so do we.
            from readingroom.errors import DamagedFile  # noqa: PLC0415

            raise DamagedFile(reason="pdf could not be opened for rendering") from exc
        with document:
            info = read_document_info(document)
            self.beat("render", 0)
            for index in range(len(info.page_sizes)):
                page = document.load_page(index)
                image = render_page_image(page, ZOOM, 1.0, self.watermark)
                link_areas(page, document.page_count)
                check_watermark_band(image, self.watermark)
                self.beat("render", index + 1)
            return len(info.page_sizes)


def check_watermark_band(image: QImage, watermark: WatermarkSpec) -> None:
    """Assert the watermark's top band was composited onto ``image``.

    Where the band is (nearly) opaque, the page pixel must be (nearly) the band's own colour
    whatever the page had under it; the band for this size comes from the renderer's cache.
    """
    if image.isNull():
        raise AssertionError("the rendered page image is empty")
    if image.width() < MIN_CHECKED_PIXELS or image.height() < MIN_CHECKED_PIXELS:
        return  # a page a few pixels across has no room for a readable band
    scale = image.devicePixelRatio()  # zoom is 1.0, so the ratio is the render scale
    overlay = _overlay_image(image.width(), image.height(), round(scale * 1000), watermark)
    rows = min(image.height(), math.ceil(max(2.0, BAND_HEIGHT_PT * scale)))
    step = max(1, image.width() // 97)
    checked = matched = 0
    for y in range(rows):
        for x in range(0, image.width(), step):
            band = overlay.pixelColor(x, y)
            if band.alpha() < 210:
                continue
            checked += 1
            page = QColor(image.pixel(x, y))
            band_rgb = (band.red(), band.green(), band.blue())
            page_rgb = (page.red(), page.green(), page.blue())
            if all(abs(a - b) <= 48 for a, b in zip(band_rgb, page_rgb, strict=True)):
                matched += 1
    if checked == 0 or matched < checked * 0.95:
        raise AssertionError("the watermark band is missing from the rendered page")


def _protocol_stream() -> IO[str]:
    """Keep the real stdout for the protocol; point fd 1 at stderr for everyone else."""
    sys.stdout.flush()
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return protocol


def _limit_memory() -> None:
    try:
        import resource  # noqa: PLC0415
    except ImportError:
        return
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > ADDRESS_SPACE_LIMIT:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))


def main() -> int:
    """Serve paths from stdin until it closes."""
    channel = Channel(_protocol_stream())
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication(["corpus-worker"])
    _limit_memory()
    with tempfile.TemporaryDirectory(prefix="rr-corpus-home-") as home:
        pipeline = Pipeline(Path(home), channel)
        channel.send(event="ready")
        for line in sys.stdin:
            name = line.strip()
            if not name:
                continue
            channel.send(event="start", file=Path(name).name)
            channel.send(event="result", **pipeline.handle(Path(name)))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
