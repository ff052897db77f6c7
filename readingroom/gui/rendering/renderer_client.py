"""The viewer's side of the renderer process: start it, ask it things, time it out, replace it.

One :class:`RendererClient` belongs to one render worker thread and is used only from it. Each
request waits for its reply with ``Connection.poll`` in short slices, so the thread also notices
a shutdown. A request that takes longer than the hang limit, or a renderer that dies (EOF on the
pipe), costs only that renderer: it is killed (terminate, then kill), the caller gets
:class:`RendererHung` or :class:`RendererLost`, and the next request starts a fresh renderer
from the same in-memory PDF bytes. A renderer that is already dead when a request is made
(killed from outside while idle) is replaced before the request is sent.

Qt-free, like the child's module (render_process.py).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from readingroom.gui.rendering.document_model import DocumentInfo, HighlightRect, LinkArea
from readingroom.gui.rendering.render_process import (
    MAX_IMAGE_PIXELS,
    REQUEST_LINKS,
    REQUEST_RENDER,
    REQUEST_SEARCH,
    PageSamples,
    run_renderer,
)

# How often a waiting request looks up to see whether the viewer is shutting down.
_POLL_SLICE_SECONDS = 0.05
# A polite exit (the pipe closed) gets this long before the renderer is terminated.
_EXIT_GRACE_SECONDS = 0.5
# RGB samples never exceed the pixel cap (plus row padding and rounding): refuse anything larger.
_MAX_SAMPLE_BYTES = int(MAX_IMAGE_PIXELS * 1.02) * 4
# A renderer that cannot even open the document twice in a row will not manage a third time.
_MAX_FAILED_STARTS = 2


class RendererError(Exception):
    """A request got no answer; the message is fixed and carries no document content."""


class RendererStopped(RendererError):
    """The viewer is shutting down; the request was abandoned."""


class RendererLost(RendererError):
    """The renderer hung or died on this request and was killed; the next one starts afresh."""


class RendererHung(RendererLost):
    """The renderer did not answer within the hang limit (it was killed)."""


class RequestFailed(RendererError):
    """The renderer answered that this request failed (for example a broken page)."""


class RendererClient:
    """Runs one renderer process at a time for one document (one thread only)."""

    def __init__(
        self,
        pdf: bytes | bytearray,
        *,
        hang_seconds: float,
        open_seconds: float,
        should_stop: Callable[[], bool],
    ) -> None:
        """Remember what is needed to (re)start a renderer; nothing starts until :meth:`start`."""
        self._pdf: bytes | bytearray | None = pdf
        self._hang_seconds = hang_seconds
        self._open_seconds = open_seconds
        self._should_stop = should_stop
        self._context = multiprocessing.get_context("spawn")
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self._failed_starts = 0
        self.restarts = 0

    @property
    def pid(self) -> int | None:
        """The current renderer's process id (None when none is running)."""
        return self._process.pid if self._process is not None else None

    def start(self) -> DocumentInfo:
        """Start a renderer, send it the PDF and return the document's layout information.

        Raises:
            RendererError: the renderer could not open the document (in time).
        """
        if self._pdf is None or self._failed_starts >= _MAX_FAILED_STARTS:
            raise RendererError("renderer unavailable")
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=run_renderer,
            args=(child, os.getpid()),
            name="readingroom-renderer",
            daemon=True,  # multiprocessing's exit handler ends it if the viewer exits first.
        )
        process.start()
        child.close()  # Only the child holds its end now, so its death reads as EOF here.
        self._process, self._connection = process, parent
        try:
            parent.send_bytes(self._pdf)
            reply = self._receive(self._open_seconds)
        except RendererError:
            self._failed_starts += 1
            raise
        except OSError as error:
            self._failed_starts += 1
            self._kill()
            raise RendererLost("renderer died") from error
        if not (
            isinstance(reply, tuple) and reply[0] == "ok" and isinstance(reply[1], DocumentInfo)
        ):
            self._failed_starts += 1
            self._kill()
            raise RendererError("pdf could not be opened")
        self._failed_starts = 0
        return reply[1]

    def render(self, page: int, zoom: float, device_pixel_ratio: float) -> PageSamples:
        """Bare RGB samples of ``page`` (no watermark yet: see page_images.render_page_image)."""
        header = self._request((REQUEST_RENDER, page, zoom, device_pixel_ratio))
        width, height, stride, scale = header
        connection = self._require_connection()
        self._wait(time.monotonic() + self._hang_seconds)
        try:
            samples = connection.recv_bytes(_MAX_SAMPLE_BYTES)
        except (EOFError, OSError) as error:  # Died mid-message, or sent something oversized.
            self._kill()
            raise RendererLost("renderer died") from error
        return PageSamples(int(page), int(width), int(height), int(stride), float(scale), samples)

    def links(self, page: int) -> tuple[LinkArea, ...]:
        """The page's links, external targets already reduced to their kind by the renderer."""
        areas = self._request((REQUEST_LINKS, page))
        if not isinstance(areas, tuple) or not all(isinstance(a, LinkArea) for a in areas):
            raise RequestFailed("malformed reply")
        return areas

    def search(self, page: int, query: str) -> tuple[HighlightRect, ...]:
        """Rectangles of ``query`` on ``page``."""
        rects = self._request((REQUEST_SEARCH, page, query))
        if not isinstance(rects, tuple):
            raise RequestFailed("malformed reply")
        return tuple((float(a), float(b), float(c), float(d)) for a, b, c, d in rects)

    def close(self) -> None:
        """End the renderer: politely when it is idle, at once when it may be stuck."""
        self._pdf = None
        process, connection = self._process, self._connection
        if process is None or connection is None:
            return
        connection.close()  # The idle renderer reads EOF and exits by itself.
        process.join(_EXIT_GRACE_SECONDS)
        self._kill()

    # Internals.

    def _request(self, request: tuple[Any, ...]) -> Any:
        self._ensure_running()
        connection = self._require_connection()
        try:
            connection.send(request)
        except OSError as error:
            self._kill()
            raise RendererLost("renderer died") from error
        reply = self._receive(self._hang_seconds)
        if not isinstance(reply, tuple) or not reply:
            self._kill()
            raise RendererLost("malformed reply")
        if reply[0] != "ok":
            raise RequestFailed("request failed")
        return reply[1]

    def _ensure_running(self) -> None:
        """Replace a renderer that is gone (killed after a hang, or from outside while idle)."""
        process = self._process
        if process is not None and process.is_alive():
            return
        if process is not None:
            self._kill()
        self.restarts += 1
        self.start()

    def _receive(self, seconds: float) -> Any:
        connection = self._require_connection()
        self._wait(time.monotonic() + seconds)
        try:
            return connection.recv()
        except (EOFError, OSError) as error:  # It crashed (a segfault in MuPDF, a kill -9).
            self._kill()
            raise RendererLost("renderer died") from error
        except Exception as error:  # It sent something that does not unpickle.
            self._kill()
            raise RendererLost("malformed reply") from error

    def _wait(self, deadline: float) -> None:
        """Return once a reply (or EOF) is readable; kill the renderer on a hang or shutdown."""
        connection = self._require_connection()
        while True:
            if connection.poll(_POLL_SLICE_SECONDS):
                return
            if self._should_stop():
                self._kill()
                raise RendererStopped("stopping")
            if time.monotonic() >= deadline:
                self._kill()
                raise RendererHung("renderer hung")

    def _require_connection(self) -> Connection:
        if self._connection is None:
            raise RendererLost("no renderer")
        return self._connection

    def _kill(self) -> None:
        """Terminate (then kill) the renderer and forget it. A hung MuPDF ignores nothing:
        SIGTERM's default action ends the process even while it holds the GIL."""
        process, connection = self._process, self._connection
        self._process = self._connection = None
        if connection is not None:
            connection.close()
        if process is None:
            return
        if process.is_alive():
            process.terminate()
            process.join(1.0)
        if process.is_alive():
            process.kill()
        process.join()
        process.close()
