"""The render worker: one thread that talks to the document's renderer process.

Every PyMuPDF call for a document (opening it, reading the outline, rendering, links, search)
happens in a separate renderer process (render_process.py), which gets the PDF bytes over a
pipe. This thread sends it one request at a time through a :class:`RendererClient`, turns the
bare samples it gets back into watermarked images with ``render_page_image`` (the watermark is
burned in here, in the viewer process) and reports results as Qt signals, delivered on the UI
thread (queued connections). The UI thread never touches PyMuPDF nor waits for the renderer.

The UI says what it wants with :meth:`RenderWorker.set_wanted`, which *replaces* the queue of a
channel ("view" before "thumbnails"): pages that scrolled away are cancelled simply by not
being asked for again, and the visible pages come first because the UI lists them first. The
render in flight is cancelled too when the new list leaves it out: the renderer is told to drop
it (``wire`` ``cancel``), and samples that arrive anyway are not turned into an image.

What this survives: a Python exception while rendering a page (the page is reported failed, the
renderer carries on), and - because MuPDF runs in another process - a page on which MuPDF hangs
(even holding the GIL) or crashes: after ``hang_seconds``, or at once when the renderer dies,
the renderer is killed and a fresh one takes over the rest of the queue. A page that hung a
renderer, or killed two in a row, is reported failed and remembered as bad (never asked for
again). The window never freezes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from readingroom.errors import DamagedFile, ReadingRoomError, RendererNotContained
from readingroom.gui.rendering.page_cache import RenderKey
from readingroom.gui.rendering.page_images import PageSamples, render_page_image, warm_up
from readingroom.gui.rendering.render_search import DocumentSearch, SearchJob
from readingroom.viewing.document_model import DocumentInfo, HighlightRect
from readingroom.viewing.renderer_client import (
    RendererClient,
    RendererError,
    RendererHung,
    RendererLost,
    RendererMisbehaved,
    RendererStopped,
    RendererUnconfined,
    RequestCancelled,
    SpawnedRenderer,
)
from readingroom.viewing.text_search import PLAIN_SEARCH, SearchOptions
from readingroom.viewing.wire import MAX_HITS_PER_PAGE
from readingroom.watermark import WatermarkSpec

# Runs in the viewer process: bare samples from the renderer in, a watermarked QImage out.
RenderFunction = Callable[
    [PageSamples, float, float, WatermarkSpec, Sequence[HighlightRect]], QImage
]

VIEW_CHANNEL = "view"
THUMBNAIL_CHANNEL = "thumbnails"
CROP_CHANNEL = "crops"  # page images that search results cut their context crops from
_CHANNEL_ORDER = (VIEW_CHANNEL, CROP_CHANNEL, THUMBNAIL_CHANNEL)

# How long the UI waits for the document to open before giving up on it.
OPEN_TIMEOUT_SECONDS = 60.0
# A request (render, links, search of one page) that runs longer than this is treated as hung:
# the renderer is killed and the page shown as failed. Ordinary pages take well under a second.
RENDER_HANG_SECONDS = 15.0

__all__ = [
    "CROP_CHANNEL",
    "MAX_HITS_PER_PAGE",
    "RENDER_HANG_SECONDS",
    "THUMBNAIL_CHANNEL",
    "VIEW_CHANNEL",
    "RenderFunction",
    "RenderWorker",
]


class RenderWorker(QObject):
    """Owns the render thread; all methods are called from the UI thread."""

    page_rendered = Signal(object, object)  # RenderKey, QImage
    page_failed = Signal(object)  # RenderKey
    links_found = Signal(int, object)  # page, tuple[LinkArea, ...]
    search_hits_found = Signal(int, int, object)  # generation, page, tuple[HitPart, ...]
    search_finished = Signal(int)  # generation
    # The document is open in a renderer (emitted once, from the render thread); or it is not.
    document_opened = Signal(object)  # DocumentInfo
    document_failed = Signal(object)  # ReadingRoomError, a safe message
    # A renderer (the first, or a replacement) runs without its sandbox.
    renderer_unconfined = Signal()

    def __init__(
        self,
        pdf: bytes | bytearray,
        watermark: WatermarkSpec,
        render_function: RenderFunction = render_page_image,
        parent: QObject | None = None,
        *,
        hang_seconds: float = RENDER_HANG_SECONDS,
        require_sandbox: bool = False,
        prestarted: SpawnedRenderer | None = None,
    ) -> None:
        """Prepare the thread; :meth:`start` starts it (connect the signals first).

        The thread starts the renderer and opens the document in it; the UI thread does not
        wait: ``document_opened`` or ``document_failed`` follows.
        ``render_function`` exists for tests (a parent-side renderer that fails or hangs).
        ``require_sandbox``: refuse to open the document in a renderer that cannot be confined.
        ``prestarted``: a renderer already started (``spawn_renderer``) for this document, so
        opening skips the interpreter's start-up.
        """
        super().__init__(parent)
        self._renderer = RendererClient(
            pdf,
            hang_seconds=hang_seconds,
            open_seconds=OPEN_TIMEOUT_SECONDS,
            should_stop=lambda: self._stopping,
            require_sandbox=require_sandbox,
            prestarted=prestarted,
        )
        self._watermark = watermark
        self._render_function = render_function
        self._condition = threading.Condition()
        self._wanted: dict[str, list[RenderKey]] = {name: [] for name in _CHANNEL_ORDER}
        self._stopping = False
        self._opened = threading.Event()
        self._info: DocumentInfo | None = None
        self._open_error: ReadingRoomError | None = None
        self._unconfined_reported = False
        # Search state: what is asked is shared with the thread under the condition's lock.
        self._search = DocumentSearch()
        # Touched only by the thread.
        self._links_sent: set[int] = set()
        # Pages on which the renderer hung or died: never sent to a renderer again.
        self._bad_pages: set[int] = set()
        self._page_count = 0
        self._busy_since: float | None = None
        self._current_key: RenderKey | None = None
        # The render in flight was left out of a newer wanted list (under the condition's lock).
        self._current_stale = False
        self._thread = threading.Thread(target=self._run, name="readingroom-render", daemon=True)

    def start(self) -> None:
        """Start the render thread (once)."""
        if not self._thread.is_alive() and not self._opened.is_set():
            warm_up(self._watermark)  # on this (the UI) thread: see page_images.warm_up
            self._thread.start()

    def wait_until_open(self, timeout: float = OPEN_TIMEOUT_SECONDS) -> DocumentInfo:
        """Block until the document is open and return its layout information.

        Returns at once once ``document_opened`` has been emitted; a window should wait for
        that signal rather than call this on the UI thread before it.

        Raises:
            RendererNotContained: the sandbox is required and could not be applied.
            DamagedFile: the PDF could not be opened (or opening it did not finish in time).
        """
        if not self._opened.wait(timeout):
            raise DamagedFile(reason="pdf could not be opened for rendering")
        if self._open_error is not None:
            raise self._open_error
        if self._info is None:
            raise DamagedFile(reason="pdf could not be opened for rendering")
        return self._info

    def renderer_confined(self) -> bool:
        """Whether the current (or last) renderer runs in its sandbox, as the kernel reports."""
        return self._renderer.confined

    def renderer_pid(self) -> int | None:
        """The renderer process's id right now (None between renderers or after shutdown)."""
        return self._renderer.pid

    def renderer_restarts(self) -> int:
        """How many times a lost renderer has been replaced."""
        return self._renderer.restarts

    def bad_pages(self) -> frozenset[int]:
        """Pages on which a renderer hung or died (they are shown failed, never retried)."""
        return frozenset(self._bad_pages)

    def busy_seconds(self) -> float:
        """How long the thread has been on its current job (0 when idle)."""
        started = self._busy_since
        return 0.0 if started is None else time.monotonic() - started

    def current_key(self) -> RenderKey | None:
        """The image being rendered right now, if any."""
        return self._current_key

    def set_wanted(self, channel: str, keys: Sequence[RenderKey]) -> None:
        """Replace ``channel``'s queue with ``keys``, most wanted first."""
        with self._condition:
            self._wanted[channel] = list(keys)
            current = self._current_key
            if current is not None and _channel(current) == channel and current not in keys:
                self._current_stale = True
            self._condition.notify()

    def start_search(
        self, query: str, options: SearchOptions = PLAIN_SEARCH, start_page: int = 0
    ) -> int:
        """Search every page for ``query``; return the search's generation.

        Pages are searched from ``start_page`` to the end, then from the first page round to it
        (as Okular does). Hits arrive through ``search_hits_found`` page by page, then
        ``search_finished``. Page renders keep priority over the search, so scrolling stays
        quick while it runs.
        """
        with self._condition:
            generation = self._search.restart(query, options, start_page, self._page_count)
            self._condition.notify()
            return generation

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stop the thread and end the renderer (killed at once if it is busy or stuck).

        A request in flight is abandoned within a fraction of a second; only a parent-side
        ``render_function`` that never returns could keep the thread past ``timeout``.
        """
        with self._condition:
            self._stopping = True
            for queue in self._wanted.values():
                queue.clear()
            self._condition.notify()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def is_running(self) -> bool:
        """Whether the thread (or its renderer process) is still alive."""
        return self._thread.is_alive() or self._renderer.pid is not None

    # Everything below runs on the render thread.

    def _run(self) -> None:
        try:
            info = self._renderer.start()
        except RendererUnconfined:
            self._open_error = RendererNotContained(reason="renderer not confined")
        except RendererError:  # Any failure to open is one safe message for the UI.
            self._open_error = DamagedFile(reason="pdf could not be opened for rendering")
        else:
            self._info = info
            self._page_count = len(info.page_sizes)
        self._opened.set()
        if self._open_error is not None:
            self.document_failed.emit(self._open_error)
            self._renderer.close()
            return
        self._report_confinement()
        self.document_opened.emit(info)
        try:
            self._serve()
        except RendererStopped:
            pass
        finally:
            self._renderer.close()

    def _report_confinement(self) -> None:
        """Say once per document that a renderer runs unconfined (the first, or a replacement)."""
        if self._unconfined_reported or self._renderer.pid is None or self._renderer.confined:
            return
        self._unconfined_reported = True
        self.renderer_unconfined.emit()

    def _serve(self) -> None:
        while True:
            with self._condition:
                while not self._stopping and not self._has_work():
                    self._condition.wait()
                if self._stopping:
                    return
                key = self._next_key()
                self._current_key = key
                self._current_stale = False
                search = None if key is not None else self._search.take_job(self._page_count)
            self._busy_since = time.monotonic()
            try:
                if key is not None:
                    self._render(key)
                elif search is not None:
                    self._search_page(search)
            finally:
                self._busy_since = None
                self._current_key = None
            self._report_confinement()

    def _has_work(self) -> bool:
        if any(self._wanted.values()):
            return True
        return self._search.has_work(self._page_count)

    def _next_key(self) -> RenderKey | None:
        for channel in _CHANNEL_ORDER:
            queue = self._wanted[channel]
            if queue:
                return queue.pop(0)
        return None

    def _render(self, key: RenderKey) -> None:
        if key.page in self._bad_pages:
            self.page_failed.emit(key)
            return
        try:
            highlights: Sequence[HighlightRect] = ()
            if not key.thumbnail and key.highlight_generation:
                highlights = self._highlights(key.page, key.highlight_generation)
            samples = self._render_samples(key)
            if not self._still_wanted():
                return  # The reader moved on while it travelled: no image to make.
            image = self._render_function(
                samples, key.zoom, key.device_pixel_ratio, self._watermark, highlights,
                **({"inverted": True} if key.inverted else {}),
            )  # fmt: skip
            del samples
        except RendererStopped:
            raise
        except RequestCancelled:
            return  # Not failed: asked for again if the reader comes back.
        except RendererLost:
            self._bad_pages.add(key.page)
            self.page_failed.emit(key)
            return
        except Exception:  # One bad page must not stop the others; the UI shows an error tile.
            self.page_failed.emit(key)
            return
        # The image first: the reader waits for it, nobody waits for the links.
        self.page_rendered.emit(key, image)
        if key.page not in self._links_sent:
            self._links_sent.add(key.page)  # Asked once: a page whose links hang costs once.
            self._send_links(key.page)

    def _render_samples(self, key: RenderKey) -> PageSamples:
        """Ask the renderer for ``key``; a renderer that *died* on it gets one more try.

        A death may not be the page's fault (the kernel's OOM killer, a kill from outside), so
        a fresh renderer tries again; a page that kills two renderers, hangs one (retrying
        would cost another full hang limit) or makes one break the wire format (a renderer that
        lies is not given a second chance to) is given up on.
        """
        try:
            return self._renderer.render(
                key.page, key.zoom, key.device_pixel_ratio, self._still_wanted
            )
        except (RendererHung, RendererMisbehaved):
            raise
        except RendererLost:
            return self._renderer.render(
                key.page, key.zoom, key.device_pixel_ratio, self._still_wanted
            )

    def _still_wanted(self) -> bool:
        with self._condition:
            return not self._current_stale and not self._stopping

    def _send_links(self, index: int) -> None:
        try:
            self.links_found.emit(index, self._renderer.links(index))
        except RendererStopped:
            raise
        except RendererError:  # The page still shows; it just has no clickable links.
            pass

    def _highlights(self, index: int, generation: int) -> tuple[HighlightRect, ...]:
        """Hits for page ``index`` in search ``generation``; searches the page now if not done."""
        with self._condition:
            asked = self._search.asked()
        if generation != asked[0] or not asked[1]:
            return ()
        return self._search.highlights(self._renderer, index, asked)

    def _search_page(self, job: SearchJob) -> None:
        hits = self._search.search_page(self._renderer, job, self._bad_pages)
        if hits:
            self.search_hits_found.emit(job.generation, job.page, hits)
        if job.last:
            self.search_finished.emit(job.generation)


def _channel(key: RenderKey) -> str:
    return THUMBNAIL_CHANNEL if key.thumbnail else VIEW_CHANNEL
