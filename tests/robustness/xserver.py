"""A private Xvfb display and the X tools the real-window test drives it with."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

REQUIRED_TOOLS = ("Xvfb", "xdotool", "xclip")
REQUIRE_ENV = "READINGROOM_REQUIRE_XSERVER"


def skip_unless_x_tools() -> None:
    """Skip when a tool is missing, unless CI demands the X tests (then fail)."""
    missing = [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]
    if not (shutil.which("import") or shutil.which("xwd")):
        missing.append("import (imagemagick) or xwd (x11-apps)")
    if not missing:
        return
    message = f"missing: {', '.join(missing)} (apt-get install xvfb xdotool xclip imagemagick)"
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{REQUIRE_ENV}=1 but the X tools are {message}")
    pytest.skip(message)


def _free_display() -> int:
    for number in range(90, 400):
        if (
            not Path(f"/tmp/.X{number}-lock").exists()
            and not Path(f"/tmp/.X11-unix/X{number}").exists()
        ):
            return number
    raise RuntimeError("no free X display number")


@dataclass(frozen=True)
class Display:
    """A running X display."""

    name: str

    def env(self) -> dict[str, str]:
        """Variables that point a client at it."""
        return {"DISPLAY": self.name}

    def run(self, *args: str, stdin: bytes | None = None, check: bool = True) -> str:
        """Run an X tool against this display; return its stdout."""
        result = subprocess.run(
            list(args), input=stdin, capture_output=True, timeout=30, check=False,
            env={**os.environ, "DISPLAY": self.name},
        )  # fmt: skip
        if check and result.returncode != 0:
            raise AssertionError(f"{args[0]} failed: {result.stderr.decode(errors='replace')}")
        return result.stdout.decode("utf-8", errors="replace")

    def set_selection(self, selection: str, text: str) -> None:
        """Own ``selection`` (clipboard, primary) with ``text`` (xclip keeps serving it)."""
        subprocess.run(
            ["xclip", "-selection", selection],
            input=text.encode(), timeout=30, check=True,
            env={**os.environ, "DISPLAY": self.name},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def selection(self, selection: str) -> str:
        """The text the owner of ``selection`` serves now."""
        return self.run("xclip", "-selection", selection, "-o", check=False)

    def end_session_with_ctrl_w(self, window: str) -> None:
        """Press Ctrl+W in the reading window, Enter on the question, then Enter on the ended
        curtain (its summary and Close are part of the reading window, not a box of their own)."""
        self.run("xdotool", "windowfocus", "--sync", window)
        self.run("xdotool", "key", "--clearmodifiers", "ctrl+w")
        self.answer_end_question()
        self.run("xdotool", "windowfocus", "--sync", window)
        self.run("xdotool", "key", "Return")

    def answer_end_question(self, key: str = "Return") -> None:
        """Press ``key`` on "End this reading session?" and wait until the box has gone."""
        title = "End this reading session"
        box = self.find_window(title)
        self.run("xdotool", "windowfocus", "--sync", box)
        self.run("xdotool", "key", key)
        self.wait_until_gone(title)

    def wait_until_gone(self, name: str, seconds: float = 30.0) -> None:
        """Wait until no visible window's title contains ``name``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = self.run("xdotool", "search", "--onlyvisible", "--name", name, check=False)
            if not found.split():
                return
            time.sleep(0.2)
        raise AssertionError(f"the window named {name!r} stayed up")

    def find_window(self, name: str, seconds: float = 30.0) -> str:
        """The id of a visible window whose title contains ``name``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = self.run("xdotool", "search", "--onlyvisible", "--name", name, check=False)
            if found.split():
                return found.split()[0]
            time.sleep(0.2)
        raise AssertionError(f"no window named {name!r} appeared")

    def window_geometry(self, window: str) -> tuple[int, int, int, int]:
        """(x, y, width, height) of ``window`` as the X server has it."""
        shell = self.run("xdotool", "getwindowgeometry", "--shell", window)
        values = dict(line.split("=", 1) for line in shell.split() if "=" in line)
        return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])

    def screenshot(self, path: Path) -> QImage:
        """The whole screen as an image."""
        if shutil.which("import"):
            self.run("import", "-window", "root", f"png:{path}")
        else:
            xwd = path.with_suffix(".xwd")
            self.run("xwd", "-root", "-silent", "-out", str(xwd))
            self.run("convert", str(xwd), f"png:{path}")
        image = QImage(str(path))
        assert not image.isNull(), "the screenshot could not be read"
        return image.convertToFormat(QImage.Format.Format_RGB32)


@contextmanager
def xvfb(width: int = 1280, height: int = 1024) -> Iterator[Display]:
    """Start Xvfb on a free display number; stop it afterwards."""
    number = _free_display()
    process = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    display = Display(f":{number}")
    try:
        deadline = time.monotonic() + 30
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("Xvfb did not start")
            time.sleep(0.1)
        yield display
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def red_rule(image: QImage, *, min_run: int = 200) -> tuple[int, int, int] | None:
    """(row, first x, last x) of the first long horizontal run of the band's red rule."""
    for y in range(image.height()):
        run_start, best = -1, (0, 0)
        for x in range(image.width()):
            colour = QColor(image.pixel(x, y))
            red = colour.red() > 110 and colour.green() < 50 and colour.blue() < 50
            if red and run_start < 0:
                run_start = x
            if (not red or x == image.width() - 1) and run_start >= 0:
                end = x - 1 if not red else x
                if end - run_start > best[1] - best[0]:
                    best = (run_start, end)
                run_start = -1
        if best[1] - best[0] + 1 >= min_run:
            return y, best[0], best[1]
    return None


def strip_difference(
    screen: QImage,
    reference: QImage,
    offset: tuple[int, int],
    rows: range,
    pixels: list[tuple[int, int]] | None = None,
) -> float:
    """Mean absolute grey difference of ``reference`` against ``screen`` at ``offset``.

    Over every pixel of ``rows``, or only over ``pixels`` (reference coordinates) when given.
    """
    dx, dy = offset
    chosen = pixels if pixels is not None else [
        (x, y) for y in rows for x in range(reference.width())
    ]  # fmt: skip
    total = count = 0
    for x, y in chosen:
        sx, sy = x + dx, y + dy
        if not (0 <= sx < screen.width() and 0 <= sy < screen.height()):
            continue
        total += abs(
            QColor(screen.pixel(sx, sy)).lightness() - QColor(reference.pixel(x, y)).lightness()
        )
        count += 1
    return total / max(count, 1)


def differing_pixels(
    first: QImage, second: QImage, rows: range, *, threshold: int = 60
) -> list[tuple[int, int]]:
    """The pixels of ``rows`` where two same-sized images differ clearly in lightness.

    Comparing a screenshot only there asks "which of the two is on screen?" without the
    common parts (and the noise of two font rasterisers) diluting the answer.
    """
    found = []
    for y in rows:
        for x in range(min(first.width(), second.width())):
            a = QColor(first.pixel(x, y)).lightness()
            b = QColor(second.pixel(x, y)).lightness()
            if abs(a - b) >= threshold:
                found.append((x, y))
    return found


WINDOW_MANAGER = "openbox"


@contextmanager
def window_manager(display: Display) -> Iterator[None]:
    """Run a small EWMH window manager (openbox) on ``display``; stop it afterwards.

    Skipped without openbox (or xprop), unless CI demands the X tests (then a failure).
    """
    if shutil.which(WINDOW_MANAGER) is None or shutil.which("xprop") is None:
        message = f"missing: {WINDOW_MANAGER} or xprop (apt-get install {WINDOW_MANAGER} x11-utils)"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but {message}")
        pytest.skip(message)
    process = subprocess.Popen(
        [WINDOW_MANAGER, "--sm-disable"], env={**os.environ, "DISPLAY": display.name},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        # An EWMH manager names its check window on the root once it manages the screen.
        deadline = time.monotonic() + 30
        while "window id" not in display.run(
            "xprop", "-root", "_NET_SUPPORTING_WM_CHECK", check=False
        ):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{WINDOW_MANAGER} did not start")
            time.sleep(0.1)
        yield
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
