"""Real marked pages and a real log for the ``trace --image`` tests and benchmarks/bench_trace.py.

Pages go through THE burning function (``render_page_image``) on an offscreen QApplication, so
what is traced is exactly what the viewer shows.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pymupdf
from PIL import Image

from readingroom.audit import AuditLog
from readingroom.gui.rendering.page_images import render_page_image
from readingroom.watermark import DEFAULT_WATERMARK_TEMPLATE, WatermarkSpec, build_watermark
from tests.photo_degrade import page_from_qimage

READERS = ("Alex Morgan", "Sam Patel", "Jo Okafor")
# A review-like page: headings and paragraphs across the whole page, as a photo would show.
PARAGRAPH = (
    "The practitioners met on four occasions to discuss the family's circumstances. Social "
    "Worker 1 recorded that the home visit was cancelled and was not rearranged. The health "
    "visitor noted concerns about weight and referred the case to the duty team."
)


def write_log(directory: Path, readers: tuple[str, ...] = READERS) -> list[str]:
    """A real audit log with one session per reader; returns their session codes in order."""
    log = AuditLog.open(directory)
    codes = []
    try:
        for name in readers:
            session = log.new_session(reader=name.lower().replace(" ", "."), document="SCR-1")
            log.append("session_started", session=session, reader_name=name)
            log.append("page_viewed", session=session, page=1, zoom=1.0, seconds=30.0)
            log.append("session_ended", session=session, reason="closed")
            codes.append(session.code)
    finally:
        log.close()
    return codes


def review_pdf() -> bytes:
    """A one-page A4 document with a heading and justified paragraphs."""
    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    page.insert_text((72, 80), "Serious Case Review: Child T", fontsize=18)
    rect = pymupdf.Rect(72, 110, 523, 790)
    page.insert_textbox(rect, "\n\n".join([PARAGRAPH] * 7), fontsize=11, align=3)
    return document.tobytes()


def watermark_for(code: str, reader: str = READERS[0], *, marked: bool = True) -> WatermarkSpec:
    """The watermark a session with ``code`` burns in (optionally without the machine mark)."""
    spec = build_watermark(
        DEFAULT_WATERMARK_TEMPLATE,
        reader_name=reader,
        reader_id="R-042",
        organisation="Borough Council",
        workstation="ROOM-PC-3",
        session_code=code,
        classification="OFFICIAL-SENSITIVE",
        when=datetime(2026, 12, 3, 14, 2),
    )
    assert spec.mark_code == code
    return spec if marked else replace(spec, mark_code=None)


def rendered_page(
    pdf: bytes, spec: WatermarkSpec, zoom: float = 1.5, *, inverted: bool = False
) -> Image.Image:
    """The page as the viewer shows it at ``zoom``, in the inverted mode if ``inverted``.

    A QApplication must exist.
    """
    document = pymupdf.open(stream=pdf, filetype="pdf")
    try:
        return page_from_qimage(render_page_image(document[0], zoom, 1.0, spec, inverted=inverted))
    finally:
        document.close()
