"""The render worker: one thread that owns the document's PyMuPDF objects.

PyMuPDF is not thread-safe, so every PyMuPDF call for a document (opening it, reading the
outline, rendering, links, search) happens on this one thread, from its own
``pymupdf.Document`` opened from the in-memory bytes. The UI thread never touches PyMuPDF.

The UI says what it wants with :meth:`RenderWorker.set_wanted`, which *replaces* the queue of a
channel ("view" before "thumbnails"): pages that scrolled away are cancelled simply by not
being asked for again, and the visible pages come first because the UI lists them first.
Results come back as Qt signals, delivered on the UI thread (queued connections).

What this survives: a Python exception while rendering a page (the page is reported failed,
the worker carries on) and a page that takes forever (the UI stays responsive; pages queued
behind it wait). What it does not survive: a crash inside MuPDF's C code (a segfault) kills
the whole process, window included - a thread cannot contain that; a separate renderer process
could, and is the next step if the threat model demands it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import pymupdf
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from readingroom.errors import DamagedFile
from readingroom.gui.rendering.document_model import DocumentInfo, link_areas, read_document_info
from readingroom.gui.rendering.page_cache import RenderKey
from readingroom.gui.rendering.page_images import HighlightRect, render_page_image
from readingroom.watermark import WatermarkSpec

RenderFunction = Callable[[Any, float, float, WatermarkSpec, Sequence[HighlightRect]], QImage]

VIEW_CHANNEL = "view"
THUMBNAIL_CHANNEL = "thumbnails"
_CHANNEL_ORDER = (VIEW_CHANNEL, THUMBNAIL_CHANNEL)

# How long the UI waits for the document to open before giving up on it.
OPEN_TIMEOUT_SECONDS = 60.0
# Search stops collecting rectangles on a page past this: the page is a hit either way.
MAX_HITS_PER_PAGE = 200
MAX_QUERY_CHARS = 200


class RenderWorker(QObject):
    """Owns the render thread; all methods are called from the UI thread."""

    page_rendered = Signal(object, object)  # RenderKey, QImage
    page_failed = Signal(object)  # RenderKey
    links_found = Signal(int, object)  # page, tuple[LinkArea, ...]
    search_hits_found = Signal(int, int, object)  # generation, page, tuple[HighlightRect, ...]
    search_finished = Signal(int)  # generation

    def __init__(
        self,
        pdf: bytes | bytearray,
        watermark: WatermarkSpec,
        render_function: RenderFunction = render_page_image,
        parent: QObject | None = None,
    ) -> None:
        """Start the thread and open the document on it (see :meth:`wait_until_open`)."""
        super().__init__(parent)
        self._pdf: bytes | bytearray | None = pdf
        self._watermark = watermark
        self._render_function = render_function
        self._condition = threading.Condition()
        self._wanted: dict[str, list[RenderKey]] = {name: [] for name in _CHANNEL_ORDER}
        self._stopping = False
        self._opened = threading.Event()
        self._info: DocumentInfo | None = None
        # Search state, shared with the thread under the condition's lock.
        self._search_generation = 0
        self._search_query = ""
        self._search_next_page = 0
        # Touched only by the thread.
        self._hits: dict[int, tuple[HighlightRect, ...]] = {}
        self._hits_generation = 0
        self._links_sent: set[int] = set()
        self._busy_since: float | None = None
        self._current_key: RenderKey | None = None
        self._thread = threading.Thread(target=self._run, name="readingroom-render", daemon=True)
        self._thread.start()

    def wait_until_open(self, timeout: float = OPEN_TIMEOUT_SECONDS) -> DocumentInfo:
        """Block until the document is open and return its layout information.

        Raises:
            DamagedFile: the PDF could not be opened (or opening it did not finish in time).
        """
        if not self._opened.wait(timeout) or self._info is None:
            raise DamagedFile(reason="pdf could not be opened for rendering")
        return self._info

    def busy_seconds(self) -> float:
        """How long the thread has been on its current job (0 when idle): a hang indicator."""
        started = self._busy_since
        return 0.0 if started is None else time.monotonic() - started

    def current_key(self) -> RenderKey | None:
        """The image being rendered right now, if any."""
        return self._current_key

    def set_wanted(self, channel: str, keys: Sequence[RenderKey]) -> None:
        """Replace ``channel``'s queue with ``keys``, most wanted first."""
        with self._condition:
            self._wanted[channel] = list(keys)
            self._condition.notify()

    def start_search(self, query: str) -> int:
        """Search every page for ``query`` (case-insensitive); return the search's generation.

        Hits arrive through ``search_hits_found`` page by page, then ``search_finished``. Page
        renders keep priority over the search, so scrolling stays quick while it runs.
        """
        with self._condition:
            self._search_generation += 1
            self._search_query = query[:MAX_QUERY_CHARS]
            self._search_next_page = 0
            self._condition.notify()
            return self._search_generation

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stop the thread; wait up to ``timeout`` seconds (a hung render cannot be joined)."""
        with self._condition:
            self._stopping = True
            for queue in self._wanted.values():
                queue.clear()
            self._condition.notify()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def is_running(self) -> bool:
        """Whether the thread is still alive."""
        return self._thread.is_alive()

    # Everything below runs on the render thread.

    def _run(self) -> None:
        try:
            document = pymupdf.open(stream=self._pdf, filetype="pdf")
            self._info = read_document_info(document)
        except Exception:  # Any failure to open is one safe message for the UI.
            self._opened.set()
            return
        finally:
            self._opened.set()
        try:
            self._serve(document)
        finally:
            document.close()
            self._pdf = None

    def _serve(self, document: Any) -> None:
        page_count = document.page_count
        while True:
            with self._condition:
                while not self._stopping and not self._has_work(page_count):
                    self._condition.wait()
                if self._stopping:
                    return
                key = self._next_key()
                search = None
                if key is None:
                    search = (self._search_generation, self._search_query, self._search_next_page)
                    self._search_next_page += 1
            self._current_key = key
            self._busy_since = time.monotonic()
            try:
                if key is not None:
                    self._render(document, key)
                elif search is not None:
                    self._search_page(document, *search)
            finally:
                self._busy_since = None
                self._current_key = None

    def _has_work(self, page_count: int) -> bool:
        if any(self._wanted.values()):
            return True
        return bool(self._search_query) and self._search_next_page < page_count

    def _next_key(self) -> RenderKey | None:
        for channel in _CHANNEL_ORDER:
            queue = self._wanted[channel]
            if queue:
                return queue.pop(0)
        return None

    def _render(self, document: Any, key: RenderKey) -> None:
        try:
            page = document.load_page(key.page)
            highlights: Sequence[HighlightRect] = ()
            if not key.thumbnail and key.highlight_generation:
                highlights = self._highlights(page, key.page, key.highlight_generation)
            image = self._render_function(
                page, key.zoom, key.device_pixel_ratio, self._watermark, highlights
            )
            if key.page not in self._links_sent:
                self._links_sent.add(key.page)
                self.links_found.emit(key.page, link_areas(page, document.page_count))
        except Exception:  # One bad page must not stop the others; the UI shows an error tile.
            self.page_failed.emit(key)
            return
        self.page_rendered.emit(key, image)

    def _highlights(self, page: Any, index: int, generation: int) -> tuple[HighlightRect, ...]:
        """Hits for ``page`` in search ``generation``; searches the page now if not yet done."""
        with self._condition:
            current, query = self._search_generation, self._search_query
        if generation != current or not query:
            return ()
        if self._hits_generation != generation:
            self._hits = {}
            self._hits_generation = generation
        if index not in self._hits:
            self._hits[index] = _search(page, query)
        return self._hits[index]

    def _search_page(self, document: Any, generation: int, query: str, index: int) -> None:
        if self._hits_generation != generation:
            self._hits = {}
            self._hits_generation = generation
        try:
            if index not in self._hits:
                self._hits[index] = _search(document.load_page(index), query)
        except Exception:  # A page that cannot be searched simply has no hits.
            self._hits[index] = ()
        if self._hits[index]:
            self.search_hits_found.emit(generation, index, self._hits[index])
        if index == document.page_count - 1:
            self.search_finished.emit(generation)


def _search(page: Any, query: str) -> tuple[HighlightRect, ...]:
    rects = page.search_for(query)[:MAX_HITS_PER_PAGE]
    return tuple((float(r.x0), float(r.y0), float(r.x1), float(r.y1)) for r in rects)
