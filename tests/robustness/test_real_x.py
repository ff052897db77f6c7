"""The real viewer in a real X session: refused keys, clipboard untouched, watermark on screen.

Needs Xvfb, xdotool, xclip and imagemagick's ``import`` (or x11-apps' ``xwd``); skipped without
them unless READINGROOM_REQUIRE_XSERVER=1 (CI), which turns the skip into a failure.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtGui import QImage

from readingroom.audit.trace_ocr import read_printed_codes, tesseract_available
from readingroom.config import load_config
from readingroom.gui.rendering.page_images import burn_in
from readingroom.watermark import DEFAULT_WATERMARK_TEMPLATE, build_watermark
from tests.audit.helpers import all_records
from tests.factories import PASSPHRASE, READER, seal_fixture
from tests.photo_degrade import blur, rotate
from tests.robustness.conftest import IsolatedEnv
from tests.robustness.test_nothing_on_disk import canary_pdf
from tests.robustness.xserver import (
    Display,
    differing_pixels,
    red_rule,
    skip_unless_x_tools,
    strip_difference,
    xvfb,
)

pytestmark = pytest.mark.xserver
CLIPBOARD_TEXT = "clipboard-before-the-session"
PRIMARY_TEXT = "primary-before-the-session"
PAGE_WIDTH_PT = 595.0  # canary_pdf pages are A4
PAGE_HEIGHT_PT = 842.0


@pytest.fixture
def display() -> Iterator[Display]:
    skip_unless_x_tools()
    with xvfb() as running:
        yield running


def _wait_for_events(
    audit_dir: Path, wanted: set[str], seconds: float = 20.0
) -> list[dict[str, object]]:
    deadline = time.monotonic() + seconds
    while True:
        records = all_records(audit_dir)
        actions = {r["details"].get("action") for r in records if r["event"] == "denied_action"}  # type: ignore[union-attr]
        if wanted <= actions or time.monotonic() > deadline:
            return records
        time.sleep(0.2)


def _reference_page(code: str, scale: float, workstation: str, when: datetime) -> QImage:
    """A white page of the on-screen size with the watermark of session ``code`` burned in."""
    spec = build_watermark(
        DEFAULT_WATERMARK_TEMPLATE, reader_name=READER.name, reader_id=READER.id,
        organisation=READER.organisation, workstation=workstation, session_code=code,
        classification="OFFICIAL-SENSITIVE", when=when,
    )  # fmt: skip
    image = QImage(
        round(PAGE_WIDTH_PT * scale), round(PAGE_HEIGHT_PT * scale), QImage.Format.Format_RGB32
    )
    image.fill(0xFFFFFFFF)
    burn_in(image, scale, spec)
    return image


def _best_alignment(
    screen: QImage, reference: QImage, offset: tuple[int, int], pixels: list[tuple[int, int]]
) -> float:
    """The smallest difference with the reference shifted up to two pixels either way.

    The rule locates the band to within a pixel; the screen's text may sit a pixel off the
    reference's, and one pixel of shift is enough to make matching glyphs look different.
    """
    dx, dy = offset
    return min(
        strip_difference(screen, reference, (dx + sx, dy + sy), range(0), pixels)
        for sx in range(-2, 3)
        for sy in range(-2, 3)
    )


def _reads_as(token: str, code: str) -> bool:
    """Whether an OCR token is ``code`` up to two misread characters (and nearer than others)."""
    read = token.upper().replace("O", "0").replace("I", "1").replace("L", "1")
    wanted = code.replace("-", "")
    wrong = _other_code(code).replace("-", "")
    if len(read) != len(wanted):
        return False
    misses = sum(1 for a, b in zip(read, wanted, strict=True) if a != b)
    other_misses = sum(1 for a, b in zip(read, wrong, strict=True) if a != b)
    return misses <= 2 and misses < other_misses


def _other_code(code: str) -> str:
    """A different code of the same shape (so the band text has the same length)."""
    swap = str.maketrans("0123456789ABCDEFGHJKMNPQRSTVWXYZ", "3456789ABCDEFGHJKMNPQRSTVWXYZ012")
    return code.translate(swap)


def test_the_real_window_refuses_copy_print_menus_and_drags_and_shows_the_session_code(
    display: Display, isolated_env: IsolatedEnv, tmp_path: Path, qapp: object
) -> None:
    sealed = seal_fixture(isolated_env.rr_home, pdf=canary_pdf(), title="Case review")
    review = isolated_env.work / "review.rrf"
    review.write_bytes(sealed.data)
    passphrase = isolated_env.inputs / "passphrase"
    passphrase.write_bytes(PASSPHRASE + b"\n")
    display.set_selection("clipboard", CLIPBOARD_TEXT)
    display.set_selection("primary", PRIMARY_TEXT)
    env = {**isolated_env.env, **display.env(), "QT_QPA_PLATFORM": "xcb"}
    log = (tmp_path / "viewer.log").open("wb")
    viewer = subprocess.Popen(
        [sys.executable, "-m", "readingroom", "view", str(review), "--passphrase-file",
         str(passphrase)],
        cwd=isolated_env.work, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        notice = display.find_window("Before you read")
        display.run("xdotool", "windowfocus", "--sync", notice)
        display.run("xdotool", "key", "Return")
        window = display.find_window("Case review")
        display.run("xdotool", "windowfocus", "--sync", window)

        # The page is on screen: find its band and compare it with renders of the band.
        audit_dir = load_config(isolated_env.rr_home).audit_dir
        started = next(r for r in all_records(audit_dir) if r["event"] == "session_started")
        code = str(started["details"]["code"])  # type: ignore[index]
        # X11 cannot exclude a window from capture, and the record says so.
        assert started["details"]["capture"]["state"] == "unavailable"  # type: ignore[index]
        rule = None
        deadline = time.monotonic() + 30
        while rule is None and time.monotonic() < deadline:
            screen = display.screenshot(tmp_path / "screen.png")
            rule = red_rule(screen)
        assert rule is not None, "no watermark band on screen"
        row, left, right = rule
        scale = (right - left + 1) / PAGE_WIDTH_PT
        workstation = load_config(isolated_env.rr_home).workstation_name
        # The band shows the minute the viewer stamped, a moment after the session record:
        # try that record's minute and the next, in case the clock rolled over in between.
        started_at = datetime.fromisoformat(str(started["time"]).replace("Z", "+00:00"))
        local = started_at.astimezone().replace(tzinfo=None)
        verdicts = []
        for when in (local, local + timedelta(minutes=1)):
            right_band = _reference_page(code, scale, workstation, when)
            wrong_band = _reference_page(_other_code(code), scale, workstation, when)
            ref_rule = red_rule(right_band)
            assert ref_rule is not None
            band_height = ref_rule[0]
            offset = (left - ref_rule[1], row - ref_rule[0])
            # Only where the two candidate bands differ: the code's own glyphs.
            pixels = differing_pixels(right_band, wrong_band, range(0, ref_rule[0]))
            assert len(pixels) > 50, "the two candidate codes should look different"
            verdicts.append({
                "right": _best_alignment(screen, right_band, offset, pixels),
                "wrong": _best_alignment(screen, wrong_band, offset, pixels),
            })  # fmt: skip
        # The viewer's rasteriser and this process's differ (hinting, the view's resampling),
        # so pixels can only say which candidate is nearer; Tesseract then reads the code.
        differences = min(verdicts, key=lambda verdict: verdict["right"])
        assert differences["right"] < differences["wrong"], verdicts
        if tesseract_available():
            with Image.open(tmp_path / "screen.png") as shot:
                band = shot.crop((left, max(0, row - band_height), right + 1, row + 1))
                band = band.resize((band.width * 3, band.height * 3), Image.Resampling.LANCZOS)
            # OCR may misread a character or two, as `trace` allows: the band must read as this
            # session's code, nearer to it than to any other.
            tokens = read_printed_codes(band)
            assert any(_reads_as(token, code) for token in tokens), tokens
        else:
            assert os.environ.get("READINGROOM_REQUIRE_TESSERACT") != "1", "tesseract is missing"

        # The screenshot, photographed badly (tilted and out of focus), is traced by its mark.
        photo = tmp_path / "photo.jpg"
        with Image.open(tmp_path / "screen.png") as shot:
            degraded = blur(rotate(shot.convert("RGB"), random.Random(3)), random.Random(4))
        degraded.save(photo, "JPEG", quality=85)
        traced = subprocess.run(
            [sys.executable, "-m", "readingroom", "trace", "--image", str(photo),
             "--log", str(audit_dir)],
            env=isolated_env.env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert traced.returncode == 0, traced.stderr
        assert f"Mark {code}: decoded from the image." in traced.stdout

        # The reader tries everything; the room refuses and records each attempt.
        for keys in ("ctrl+a", "ctrl+c", "ctrl+p"):
            display.run("xdotool", "key", "--clearmodifiers", keys)
        display.run("xdotool", "mousemove", "--window", window, "500", "300", "click", "3")
        display.run("xdotool", "mousemove", "--window", window, "400", "300", "mousedown", "1",
                    "mousemove", "--window", window, "600", "400",
                    "mousemove", "1270", "1010", "mouseup", "1")  # fmt: skip
        wanted = {"select-all", "copy", "print", "context menu", "drag"}
        records = _wait_for_events(audit_dir, wanted)
        denied = [r["details"]["action"] for r in records if r["event"] == "denied_action"]  # type: ignore[index]
        assert wanted <= set(denied), denied
        assert display.selection("clipboard") == CLIPBOARD_TEXT
        assert display.selection("primary") == PRIMARY_TEXT

        # Ctrl+W asks first, then shows the summary; each answered with Enter.
        display.end_session_with_ctrl_w(window)
        assert viewer.wait(30) == 0
    finally:
        if viewer.poll() is None:
            viewer.kill()
            viewer.wait()
        log.close()
    events = [r["event"] for r in all_records(audit_dir)]
    assert events.count("session_ended") == 1
    assert json.dumps(all_records(audit_dir)).count(CLIPBOARD_TEXT) == 0
