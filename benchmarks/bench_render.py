"""Benchmark: the reading surface's rendering cost, key-to-paint latency and memory.

In one run, on generated documents (and the bundled sample when ``readingroom.sample`` has it):

1. Watermark overhead: for 100 pages of a text document and of a scanned-image document, at
   zoom 1.0 and 2.5, the time of ``render_page_image`` (render + watermark) against a bare
   PyMuPDF ``get_pixmap`` of the same page at the same zoom, measured interleaved in this run.
   Goals: added <= 5 ms per page at 1.0, <= 10 ms at 2.5.
   Then the cost of the renderer process: a render request's round trip (samples over the pipe)
   against the same bare ``get_pixmap`` in this process.
2. Key press to painted page in the real ``DocumentReader`` (offscreen): PgDn through the text
   document (prefetched pages), and cold jumps (End/Home, and far jumps to random pages the way
   an outline entry or a search hit makes them, nothing prefetched, no image of the page left).
   For jumps, two figures: the page on screen (its first watermarked image: the reduced-scale
   preview) and the page sharp (the full-resolution image). Goal: p95 <= 50 ms.
3. Peak resident memory while paging through 1,000 generated pages three times, down and up (in
   a child process, so the other parts do not count): the viewer process, its renderer process,
   and their sum (an upper bound: the two peaks need not coincide; each is the kernel's
   high-water mark). Goal <= 500 MB; the
   endurance test's cap: ``document_reader.RESIDENT_MEMORY_CAP_MB``.

Run: ``.venv/bin/python benchmarks/bench_render.py [--pages 100] [--memory-pages 1000]``
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pymupdf
from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from readingroom.gui.reader.document_reader import RESIDENT_MEMORY_CAP_MB, DocumentReader
from readingroom.gui.rendering.page_images import render_page_image
from readingroom.viewing.renderer_client import RendererClient
from readingroom.watermark import DEFAULT_WATERMARK_TEMPLATE, WatermarkSpec, build_watermark

JUMP_GOAL_MS = 50
MEMORY_GOAL_MB = 500
LOREM = (
    "The review panel examined the records of each agency involved and interviewed the "
    "practitioners who worked with the family during the period under review. "
)


def watermark() -> WatermarkSpec:
    """A realistic session watermark."""
    return build_watermark(
        DEFAULT_WATERMARK_TEMPLATE,
        reader_name="Alex Reader",
        reader_id="R-042",
        organisation="Borough Council",
        workstation="ROOM-PC-3",
        session_code="7K2M-9QXD",
        classification="OFFICIAL-SENSITIVE",
        when=datetime.now(),
    )


def text_pdf(pages: int) -> bytes:
    """Dense A4 text pages with a heading each."""
    document = pymupdf.open()
    for index in range(pages):
        page = document.new_page(width=595, height=842)
        page.insert_text((72, 80), f"Section {index + 1}", fontsize=18)
        page.insert_textbox(pymupdf.Rect(72, 100, 523, 780), LOREM * 14, fontsize=10)
    data: bytes = document.tobytes(garbage=3, deflate=True)
    return data


def scanned_pdf(pages: int) -> bytes:
    """Pages that are one big embedded JPEG each (a 150 dpi "scan" of a text page)."""
    source = pymupdf.open(stream=text_pdf(pages), filetype="pdf")
    document = pymupdf.open()
    for index in range(pages):
        pix = source[index].get_pixmap(dpi=150, alpha=False)
        page = document.new_page(width=595, height=842)
        page.insert_image(page.rect, stream=pix.tobytes("jpeg", jpg_quality=80))
    data: bytes = document.tobytes(garbage=3, deflate=True)
    return data


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def overhead(name: str, pdf: bytes, pages: int, spec: WatermarkSpec) -> None:
    """Print bare vs watermarked render time per page at zoom 1.0 and 2.5."""
    document = pymupdf.open(stream=pdf, filetype="pdf")
    count = min(pages, document.page_count)
    for zoom in (1.0, 2.5):
        render_page_image(document[0], zoom, 1.0, spec)  # warm the watermark overlay cache
        bare_times, ours_times, added = [], [], []
        for index in range(count):
            page = document.load_page(index)
            page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)  # warm MuPDF's store
            bare, ours = float("inf"), float("inf")
            for _ in range(3):  # best of 3, interleaved: least disturbed by other load
                start = time.perf_counter()
                page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
                bare = min(bare, time.perf_counter() - start)
                start = time.perf_counter()
                render_page_image(page, zoom, 1.0, spec)
                ours = min(ours, time.perf_counter() - start)
            bare_times.append(bare)
            ours_times.append(ours)
            added.append(ours - bare)
        print(
            f"  {name:<8} zoom {zoom:.1f}: bare {statistics.median(bare_times) * 1e3:6.1f} ms"
            f"  ours {statistics.median(ours_times) * 1e3:6.1f} ms"
            f"  added median {statistics.median(added) * 1e3:5.1f} ms"
            f" p95 {percentile(added, 0.95) * 1e3:5.1f} ms"
            f"  ratio {sum(ours_times) / sum(bare_times):4.2f}  ({count} pages)"
        )
    document.close()


def pipe_cost(name: str, pdf: bytes, pages: int) -> None:
    """Print a renderer round trip (request, render, samples over the pipe) vs bare get_pixmap."""
    document = pymupdf.open(stream=pdf, filetype="pdf")
    count = min(pages, document.page_count)
    client = RendererClient(pdf, hang_seconds=60.0, open_seconds=60.0, should_stop=lambda: False)
    client.start()
    try:
        for zoom in (1.0, 2.5):
            bare_times, trip_times = [], []
            for index in range(count):
                page = document.load_page(index)
                page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
                client.render(index, zoom, 1.0)  # warm both stores
                bare, trip = float("inf"), float("inf")
                for _ in range(3):
                    start = time.perf_counter()
                    page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
                    bare = min(bare, time.perf_counter() - start)
                    start = time.perf_counter()
                    client.render(index, zoom, 1.0)
                    trip = min(trip, time.perf_counter() - start)
                bare_times.append(bare)
                trip_times.append(trip)
            added = [t - b for t, b in zip(trip_times, bare_times, strict=True)]
            print(
                f"  {name:<8} zoom {zoom:.1f}: bare {statistics.median(bare_times) * 1e3:6.1f} ms"
                f"  via renderer {statistics.median(trip_times) * 1e3:6.1f} ms"
                f"  added median {statistics.median(added) * 1e3:5.1f} ms"
                f" p95 {percentile(added, 0.95) * 1e3:5.1f} ms  ({count} pages)"
            )
    finally:
        client.close()
        document.close()


class PaintWatcher:
    """Records pages painted with their final image (connected once: no disconnect churn),
    and when each page was first painted at all (a preview or another zoom's image)."""

    def __init__(self, reader: DocumentReader) -> None:
        self.painted: set[int] = set()
        self.first_shown: dict[int, float] = {}
        self.loop = QEventLoop()
        reader.view.page_painted.connect(self.record)
        reader.view.page_previewed.connect(self.shown)

    def record(self, page: int) -> None:
        self.painted.add(page)
        self.shown(page)

    def shown(self, page: int) -> None:
        self.first_shown.setdefault(page, time.perf_counter())

    def wait(self, page: int, timeout: float = 10.0) -> float:
        """Process events until ``page`` is painted; return seconds waited."""
        self.painted.clear()
        self.first_shown.clear()
        timer = QElapsedTimer()
        timer.start()
        while page not in self.painted and timer.elapsed() < timeout * 1000:
            self.loop.processEvents()
        return timer.nsecsElapsed() / 1e9


def press(reader: DocumentReader, key: Qt.Key) -> None:
    """Deliver a key press and release to the page view, as the keyboard would."""
    for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
        QApplication.sendEvent(reader.view, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier))


def key_latency(pdf: bytes, spec: WatermarkSpec) -> None:
    """Key press to painted page, PgDn (prefetched) and End/Home (cold)."""
    reader = DocumentReader(bytearray(pdf), spec)
    reader.resize(1000, 900)
    reader.show()
    reader.view.fit_page()
    watcher = PaintWatcher(reader)
    watcher.wait(0)
    steps: list[float] = []
    for _ in range(60):
        timer = time.perf_counter()
        press(reader, Qt.Key.Key_PageDown)
        watcher.wait(reader.current_page())
        steps.append(time.perf_counter() - timer)
        # Let prefetch finish, like a reader who reads the page before moving on.
        deadline = time.perf_counter() + 0.05
        while time.perf_counter() < deadline:
            watcher.loop.processEvents()
    shown: dict[str, list[float]] = {"End/Home": [], "far jump": []}
    sharp: dict[str, list[float]] = {"End/Home": [], "far jump": []}
    targets = random.Random(19).sample(range(reader.page_count()), 20)
    for jump in range(40):
        kind = "End/Home" if jump % 2 == 0 else "far jump"
        reader.view.drop_images()  # keep every jump cold
        timer = time.perf_counter()
        if kind == "End/Home":
            press(reader, Qt.Key.Key_End if jump % 4 == 0 else Qt.Key.Key_Home)
        else:
            reader.jump_to_page(targets[jump // 2])  # what an outline entry or a search hit does
        page = reader.current_page()
        watcher.wait(page)
        sharp[kind].append(time.perf_counter() - timer)
        shown[kind].append(watcher.first_shown.get(page, time.perf_counter()) - timer)
    reader.shutdown()
    reader.deleteLater()
    rows = [("PgDn (prefetched)", steps)]
    for kind, values in shown.items():
        rows += [(f"{kind} (cold) shown", values), (f"{kind} (cold) sharp", sharp[kind])]
    for name, values in rows:
        p95 = percentile(values, 0.95) * 1e3
        print(
            f"  {name:<26} median {statistics.median(values) * 1e3:5.1f} ms"
            f"  p95 {p95:5.1f} ms  ({len(values)} presses)"
            f"  goal p95 <= {JUMP_GOAL_MS} ms: {'met' if p95 <= JUMP_GOAL_MS else 'NOT met'}"
        )


def memory_child(pages: int, rounds: int = 3) -> None:
    """Page through a long document, down and up ``rounds`` times; print peak RSS in MB."""
    spec = watermark()
    reader = DocumentReader(bytearray(text_pdf(pages)), spec)
    reader.resize(1000, 900)
    reader.show()
    reader.view.fit_width()
    watcher = PaintWatcher(reader)
    watcher.wait(0)
    reached = 0
    for _ in range(rounds):
        for key, last in ((Qt.Key.Key_PageDown, pages - 1), (Qt.Key.Key_PageUp, 0)):
            for _ in range(pages * 3):
                if reader.current_page() == last:
                    break
                press(reader, key)
                watcher.wait(reader.current_page())
                reached = max(reached, reader.current_page())
    # The renderer's own high-water mark, read before it ends. (RUSAGE_CHILDREN would also count
    # the moment between fork and exec, when the child still maps the whole viewer.)
    renderer_mb = high_water_mb(reader._worker.renderer_pid())
    reader.shutdown()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{peak_mb:.0f} {renderer_mb:.0f} {reached}")


def high_water_mb(pid: int | None) -> float:
    """VmHWM of process ``pid`` in MB (0 if there is none)."""
    if pid is None:
        return 0.0
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def all_but_memory(options: argparse.Namespace, spec: WatermarkSpec) -> None:
    """Parts 1, 1b and 2."""
    print("1. Watermarked page image vs bare get_pixmap (goal: +5 ms at 1.0, +10 ms at 2.5)")
    text = text_pdf(options.pages)
    overhead("text", text, options.pages, spec)
    overhead("scanned", scanned_pdf(options.pages), options.pages, spec)
    try:
        from readingroom.sample import build_sample_pdf  # noqa: PLC0415 - optional

        overhead("sample", build_sample_pdf(), options.pages, spec)
    except ImportError:
        print("  sample   (readingroom.sample.build_sample_pdf not available)")
    print("1b. Renderer process round trip vs bare get_pixmap in this process")
    pipe_cost("text", text, options.pages)
    print("2. Key press to painted page, real DocumentReader offscreen (goal: p95 <= 50 ms)")
    key_latency(text, spec)


def main() -> None:
    """Run the three parts (or one) and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--memory-pages", type=int, default=1000)
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=("keys", "memory"), help="run one part only")
    options = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    if options.memory_child:
        memory_child(options.memory_child)
        return
    spec = watermark()
    if options.only == "keys":
        print("2. Key press to painted page, real DocumentReader offscreen (goal: p95 <= 50 ms)")
        key_latency(text_pdf(options.pages), spec)
        return
    if options.only != "memory":
        all_but_memory(options, spec)
    print(f"3. Peak resident memory paging through {options.memory_pages} pages three times")
    child = subprocess.run(
        [sys.executable, __file__, "--memory-child", str(options.memory_pages)],
        capture_output=True,
        text=True,
        check=True,
    )
    peak, renderer, reached = child.stdout.split()[-3:]
    total = int(peak) + int(renderer)
    print(
        f"  peak RSS viewer {peak} MB + renderer {renderer} MB = {total} MB"
        f" (goal <= {MEMORY_GOAL_MB} MB: {'met' if total <= MEMORY_GOAL_MB else 'NOT met'};"
        f" endurance cap {RESIDENT_MEMORY_CAP_MB} MB), reached page {int(reached) + 1}"
    )
    del app


if __name__ == "__main__":
    main()
