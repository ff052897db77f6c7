"""A photo of the real viewer in its inverted (dark) mode leads back to the session (#17).

The inverted mode inverts the page, session mark included, before the watermark is burned in;
``trace --image`` inverts the photo back to find the mark. Here the real viewer runs on Xvfb,
the reader presses Ctrl+I, and a screenshot of the dark page, rotated and blurred like a photo,
is traced by ``readingroom trace --image``. Needs Xvfb, xdotool, xclip and imagemagick; skipped
without them unless READINGROOM_REQUIRE_XSERVER=1 (CI). Set READINGROOM_SCREENSHOTS to a folder
to keep the screenshot.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageStat

from readingroom.audit.trace_image import _views_of
from readingroom.config import load_config
from tests.audit.helpers import all_records
from tests.factories import PASSPHRASE, seal_fixture
from tests.photo_degrade import blur, rotate
from tests.robustness.conftest import IsolatedEnv
from tests.robustness.test_nothing_on_disk import canary_pdf
from tests.robustness.xserver import skip_unless_x_tools, xvfb

pytestmark = pytest.mark.xserver
TITLE = "Case review"


def _page_brightness(screenshot: Path, geometry: tuple[int, int, int, int]) -> float:
    """Mean grey level of the middle of the reading window (where the page is)."""
    x, y, width, height = geometry
    with Image.open(screenshot) as shot:
        middle = shot.convert("L").crop(
            (x + width // 3, y + height // 3, x + 2 * width // 3, y + 2 * height // 3)
        )
        return float(ImageStat.Stat(middle).mean[0])


def test_a_photo_of_the_real_viewer_in_the_inverted_mode_is_traced(
    isolated_env: IsolatedEnv, tmp_path: Path, qapp: object
) -> None:
    skip_unless_x_tools()
    sealed = seal_fixture(isolated_env.rr_home, pdf=canary_pdf(), title=TITLE)
    review = isolated_env.work / "review.rrf"
    review.write_bytes(sealed.data)
    passphrase = isolated_env.inputs / "passphrase"
    passphrase.write_bytes(PASSPHRASE + b"\n")
    audit_dir = load_config(isolated_env.rr_home).audit_dir
    with xvfb() as display:
        log = (tmp_path / "viewer.log").open("wb")
        viewer = subprocess.Popen(
            [sys.executable, "-m", "readingroom", "view", str(review), "--passphrase-file",
             str(passphrase)],
            cwd=isolated_env.work, env={**isolated_env.env, **display.env(),
                                        "QT_QPA_PLATFORM": "xcb"},
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            notice = display.find_window("Before you read")
            display.run("xdotool", "windowfocus", "--sync", notice)
            display.run("xdotool", "key", "Return")
            window = display.find_window(TITLE)
            geometry = display.window_geometry(window)
            display.run("xdotool", "windowfocus", "--sync", window)
            display.run("xdotool", "key", "--clearmodifiers", "ctrl+i")
            screen = tmp_path / "screen.png"
            # Wait for the dark page: the view re-renders off the UI thread.
            deadline = time.monotonic() + 30
            while True:
                display.screenshot(screen)
                brightness = _page_brightness(screen, geometry)
                if brightness < 100 or time.monotonic() > deadline:
                    break
                time.sleep(0.3)
            assert brightness < 100, "the page was not shown inverted"
            kept = os.environ.get("READINGROOM_SCREENSHOTS")
            if kept:
                shutil.copy(screen, Path(kept) / "viewer-inverted.png")

            photo = tmp_path / "photo.jpg"
            x, y, width, height = geometry
            with Image.open(screen) as shot:
                # The page only: the side panel's thumbnails are drawn in the normal mode.
                page = shot.convert("RGB").crop((x + width * 3 // 10, y, x + width, y + height))
                degraded = blur(rotate(page, random.Random(5)), random.Random(6))
            degraded.save(photo, "JPEG", quality=85)
            with Image.open(photo) as taken:
                # Nothing decodes in the photo as taken: it is the inverted views that trace it.
                assert not any(
                    zxingcpp.read_barcodes(view) for view in _views_of(taken.convert("RGB"))
                )
            traced = subprocess.run(
                [sys.executable, "-m", "readingroom", "trace", "--image", str(photo),
                 "--log", str(audit_dir)],
                env=isolated_env.env, capture_output=True, text=True, timeout=120, check=False,
            )  # fmt: skip
            started = next(r for r in all_records(audit_dir) if r["event"] == "session_started")
            code = str(started["details"]["code"])  # type: ignore[index]
            assert traced.returncode == 0, traced.stderr
            assert f"Mark {code}: decoded from the image." in traced.stdout

            display.end_session_with_ctrl_w(window)
            assert viewer.wait(30) == 0
        finally:
            if viewer.poll() is None:
                viewer.kill()
                viewer.wait()
            log.close()
    events = [str(r["event"]) for r in all_records(audit_dir)]
    assert events.count("session_ended") == 1
