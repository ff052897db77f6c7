"""Drive the real viewer as a reader would, inside the real ``readingroom view`` process.

Run as ``python -m tests.robustness.viewer_driver FILE.rrf PASSPHRASE_FILE [options]``. It calls
``readingroom.cli.main(["view", ...])`` - the product's own entry point, which hardens the
process (RLIMIT_CORE), opens the audit log, unlocks with the passphrase file and shows the notice
- after scheduling a driver on the event loop that acknowledges the notice with the Return key,
visits every page until it was painted with its final image, searches with the keyboard (Ctrl+F,
typing, Return), optionally scrolls the whole document several times while sampling resident
memory, and closes the window. Nothing here changes the product; it only presses keys and calls
the reading surface's public methods, as the GUI tests do.

The driver's findings go to stdout as one line ``DRIVER-REPORT {json}`` (a pipe, never a file).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from readingroom.cli import main as readingroom_main
from readingroom.gui.dialogs.notice_dialog import NoticeDialog
from readingroom.gui.main_window import ViewerWindow

T = TypeVar("T")
REPORT_PREFIX = "DRIVER-REPORT "
WAIT_SECONDS = 30.0


class DriverError(Exception):
    """The viewer did not reach the state the driver waited for."""


def wait_for(condition: Callable[[], T | None], what: str, seconds: float = WAIT_SECONDS) -> T:
    """Process events until ``condition()`` returns something truthy, and return it."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise DriverError(f"timed out waiting for {what}")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def visible(kind: type[T]) -> T | None:
    """The first visible top-level widget of ``kind``."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, kind) and widget.isVisible():
            return widget
    return None


def resident_mb(reader: Any = None) -> float:
    """Resident memory (VmRSS) of this process plus the reader's renderer process, in MB.

    MuPDF's own caches live in the renderer process, so the viewer's footprint is the sum.
    """
    pids: list[int | str] = ["self"]
    if reader is not None:
        renderer = reader._worker.renderer_pid()
        if renderer is not None:
            pids.append(renderer)
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) / 1024
        except OSError:
            continue  # a renderer being replaced has no status file for a moment
    return total


def peak_mb(reader: Any) -> tuple[float, float]:
    """Peak resident memory (VmHWM) so far of this process and of the reader's renderer, in MB.

    The kernel's high-water marks: unlike samples, they cannot miss a spike between two.
    """
    peaks = []
    for pid in ("self", reader._worker.renderer_pid()):
        value = 0.0
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        value = int(line.split()[1]) / 1024
        except OSError:
            pass  # no renderer right now
        peaks.append(value)
    return peaks[0], peaks[1]


def _render_state(reader: Any, page: int) -> dict[str, Any]:
    """What the reader and its render worker hold for ``page`` (for a failure report)."""
    view, worker = reader.view, reader._worker
    return {
        "page": page,
        "covered": bool(reader.window() and getattr(reader.window(), "is_covered", bool)()),
        "view_failed": page in view._failed,
        "bad_pages": sorted(worker.bad_pages()),
        "restarts": worker.renderer_restarts(),
        "cached": [repr(k) for k in view.cache._images if k.page == page],
        "wanted_key": repr(view._key(page)),
        "queue": {name: [repr(k) for k in keys] for name, keys in worker._wanted.items()},
        "current": repr(worker.current_key()),
        "busy_seconds": worker.busy_seconds(),
        "cache_bytes": [view.cache.size_bytes, view.cache.max_bytes],
    }


class Driver:
    """The steps, run from a timer inside the viewer's event loop."""

    def __init__(self, args: argparse.Namespace) -> None:
        """Remember what to do; the report fills in as steps complete."""
        self.args = args
        self.report: dict[str, Any] = {"steps": []}

    def step(self, name: str) -> None:
        """Note progress (a failure report then says how far it got)."""
        self.report["steps"].append(name)

    def run(self) -> None:
        """Everything, from the notice to the closed window; errors end in the report."""
        try:
            self._run()
        except Exception as error:  # the report says what went wrong; the viewer is closed
            self.report["error"] = f"{type(error).__name__}: {error}"
            self.report["traceback"] = traceback.format_exc()
            for widget in QApplication.topLevelWidgets():
                widget.close()
            QTimer.singleShot(0, lambda: QApplication.exit(99))

    def _run(self) -> None:
        notice = wait_for(lambda: visible(NoticeDialog), "the notice")
        self.step("notice shown")
        QTest.keyClick(notice, Qt.Key.Key_Return)
        window = wait_for(lambda: visible(ViewerWindow), "the viewer window")
        window.activateWindow()
        wait_for(lambda: window.isActiveWindow() and not window.is_covered(), "an uncovered page")
        self.step("window shown")
        self.report["rlimit_core"] = list(resource.getrlimit(resource.RLIMIT_CORE))
        reader = window.reader()
        painted: set[int] = set()
        reader.view.page_painted.connect(painted.add)
        shown: list[int] = []
        reader.current_page_changed.connect(shown.append)
        count = reader.page_count()
        self.report["page_count"] = count
        for page in range(count):
            reader.go_to_page(page)
            wait_for(lambda page=page: page in painted, f"page {page + 1} painted")  # type: ignore[misc]
        self.report["pages_painted"] = len(painted)
        self.step("every page painted")
        if self.args.search:
            self._search(reader, window)
        if self.args.scroll_rounds:
            self._scroll(reader, count, painted)
        self.report["pages_shown"] = 1 + len(shown)
        self.report["resident_mb_end"] = resident_mb()
        window.close()
        self.step("closed")

    def _search(self, reader: Any, window: QWidget) -> None:
        focus = QApplication.focusWidget() or window
        QTest.keyClick(focus, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        field = wait_for(
            lambda: next(
                (e for e in reader.search_bar.findChildren(QLineEdit) if e.isVisible()), None
            ),
            "the search field",
        )
        QTest.keyClicks(field, self.args.search)
        QTest.keyClick(field, Qt.Key.Key_Return)
        # Hits arrive page by page; the status loses its trailing "…" once the search is done.
        status = reader.search_bar.status_label
        wait_for(
            lambda: status.text() and not status.text().endswith(("…", "Searching…")),
            "the search to finish",
        )
        self.report["search_hit_pages"] = list(reader.search_results.pages())
        self.step("searched")

    def _scroll(self, reader: Any, count: int, painted: set[int]) -> None:
        peak = resident_mb(reader)
        samples = []
        for _round in range(self.args.scroll_rounds):
            for order in (range(count), range(count - 1, -1, -1)):
                for page in order:
                    painted.discard(page)
                    reader.go_to_page(page)
                    # At a turn the page does not move, so nothing would repaint it.
                    reader.view.viewport().update()
                    try:
                        wait_for(lambda page=page: page in painted, f"page {page + 1} painted")  # type: ignore[misc]
                    except DriverError as error:
                        raise DriverError(f"{error}: {_render_state(reader, page)}") from None
                    if page % 50 == 0:
                        samples.append(resident_mb(reader))
                    peak = max(peak, resident_mb(reader)) if page % 10 == 0 else peak
        self.report["resident_mb_peak"] = max([peak, *samples])
        self.report["resident_mb_samples"] = samples
        viewer_peak, renderer_peak = peak_mb(reader)
        self.report["peak_mb_viewer"] = viewer_peak
        self.report["peak_mb_renderer"] = renderer_peak
        self.step("scrolled")


def main() -> int:
    """Run ``readingroom view`` with the driver on its event loop; print the report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("passphrase_file")
    parser.add_argument("--search", default="")
    parser.add_argument("--scroll-rounds", type=int, default=0)
    args = parser.parse_args()
    driver = Driver(args)
    # Timers need an application object; the product's application() adopts this one and
    # configures it exactly as it configures its own.
    QApplication([sys.argv[0]])
    QTimer.singleShot(0, driver.run)
    try:
        code = readingroom_main(["view", args.file, "--passphrase-file", args.passphrase_file])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    driver.report["exit_code"] = code
    sys.stdout.write(REPORT_PREFIX + json.dumps(driver.report) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
