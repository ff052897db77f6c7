"""The viewer's side of the renderer process: start it, ask it things, time it out, replace it.

One :class:`RendererClient` belongs to one render worker thread and is used only from it (the
UI thread never waits for a renderer). Each request waits for its reply with
``Connection.poll`` in short slices, so the thread also notices a shutdown. A request that takes
longer than the hang limit, a renderer that dies (EOF on the pipe), or a reply that breaks the
wire format (:mod:`readingroom.viewing.wire`, every field checked) costs only that renderer: it
is killed, the caller gets :class:`RendererHung`, :class:`RendererLost` or
:class:`RendererMisbehaved`, and the next request starts a fresh renderer from the same
in-memory PDF bytes.

The renderer is started with :mod:`subprocess`, not ``multiprocessing``: a fresh interpreter
with an empty environment (no passphrase variable, no display, no proxy), standard streams on
``/dev/null`` (MuPDF's messages may quote the document), its working directory ``/`` and one
inherited socket. After it has opened the document, the kernel is asked (``/proc``) whether it
is really confined; :attr:`RendererClient.confined` says so, and with ``require_sandbox`` an
unconfined renderer is refused (:class:`RendererUnconfined`).

Starting a renderer (a fresh interpreter importing PyMuPDF) takes a few hundred milliseconds.
:func:`spawn_renderer` does it ahead of time: the viewer starts one while the reader is still on
the unlock dialog, telling it only an upper bound for the document's size (the review file's
size: the PDF is smaller than the ciphertext that carries it), so it warms up and confines
itself straight away and then waits, sandboxed, for the document. :meth:`RendererClient.start`
adopts it and hands it the PDF the moment there is one.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TypeVar

from readingroom.viewing import wire
from readingroom.viewing.document_model import DocumentInfo, LinkArea
from readingroom.viewing.render_process import RENDERER_FLAG, PageSamples
from readingroom.viewing.renderer_errors import (
    RendererError,
    RendererHung,
    RendererLost,
    RendererMisbehaved,
    RendererStopped,
    RendererUnconfined,
    RequestCancelled,
    RequestFailed,
    remote_failure,
)
from readingroom.viewing.renderer_spawn import SpawnedRenderer, end_process, spawn_renderer
from readingroom.viewing.sandbox import is_confined
from readingroom.viewing.text_search import PLAIN_SEARCH, HitPart, SearchOptions
from readingroom.viewing.wire_fields import WireError

__all__ = [
    "RendererClient",
    "RendererError",
    "RendererHung",
    "RendererLost",
    "RendererMisbehaved",
    "RendererStopped",
    "RendererUnconfined",
    "RequestCancelled",
    "RequestFailed",
    "SpawnedRenderer",
    "prestart_renderer",
    "renderer_command",
    "spawn_renderer",
]

_T = TypeVar("_T")

# How often a waiting request looks up to see whether the viewer is shutting down.
_POLL_SLICE_SECONDS = 0.05
# How often a render looks up to see whether it is still wanted (a reader who jumped away).
_CANCEL_SLICE_SECONDS = 0.004
# A polite exit (the pipe closed) gets this long before the renderer is terminated.
_EXIT_GRACE_SECONDS = 0.5
# A renderer that cannot even open the document twice in a row will not manage a third time.
_MAX_FAILED_STARTS = 2


def renderer_command(pipe_fd: int) -> list[str]:
    """The command line that starts a renderer holding ``pipe_fd`` (frozen bundle or not)."""
    parent = str(os.getpid())
    if getattr(sys, "frozen", False):
        return [sys.executable, RENDERER_FLAG, str(pipe_fd), parent]
    # -I: isolated (no PYTHON* variables, no user site, not the current directory on sys.path).
    return [sys.executable, "-I", "-m", "readingroom.viewing.render_process", str(pipe_fd), parent]


class RendererClient:
    """Runs one renderer process at a time for one document (one thread only)."""

    def __init__(
        self,
        pdf: bytes | bytearray,
        *,
        hang_seconds: float,
        open_seconds: float,
        should_stop: Callable[[], bool],
        require_sandbox: bool = False,
        command: Callable[[int], list[str]] | None = None,
        prestarted: SpawnedRenderer | None = None,
    ) -> None:
        """Remember what is needed to (re)start a renderer; nothing starts until :meth:`start`.

        ``command`` builds the renderer's command line from its socket's descriptor (default
        :func:`renderer_command`); tests use it to start renderers that misbehave.
        ``prestarted``: a renderer from :func:`spawn_renderer`, adopted by the first
        :meth:`start` (this client owns it from now on and ends it in :meth:`close`).
        """
        self._pdf: bytes | bytearray | None = pdf
        self._hang_seconds = hang_seconds
        self._open_seconds = open_seconds
        self._should_stop = should_stop
        self._require_sandbox = require_sandbox
        self._command = command
        self._process: subprocess.Popen[bytes] | None = None
        self._connection: Connection | None = None
        self._page_sizes: tuple[tuple[float, float], ...] = ()
        self._failed_starts = 0
        self._prestarted = prestarted
        self.restarts = 0
        # Whether the last renderer started was confined (seccomp filter and no_new_privs).
        self.confined = False

    @property
    def pid(self) -> int | None:
        """The current renderer's process id (None when none is running)."""
        return self._process.pid if self._process is not None else None

    def start(self) -> DocumentInfo:
        """Start a renderer, send it the PDF and return the document's layout information.

        Raises:
            RendererUnconfined: ``require_sandbox`` and the renderer could not be confined.
            RendererError: the renderer could not open the document (in time).
        """
        if self._pdf is None or self._failed_starts >= _MAX_FAILED_STARTS:
            raise RendererError("renderer unavailable")
        try:
            info = self._open(self._pdf)
        except RendererError:
            self._failed_starts += 1
            self._kill()
            raise
        self._failed_starts = 0
        self._page_sizes = info.page_sizes
        return info

    def render(
        self,
        page: int,
        zoom: float,
        device_pixel_ratio: float,
        still_wanted: Callable[[], bool] | None = None,
    ) -> PageSamples:
        """Bare RGB samples of ``page`` (no watermark yet: see page_images.render_page_image).

        ``still_wanted`` is asked every few milliseconds while the renderer works; once it says
        no, the renderer is told to drop the render (:class:`RequestCancelled`, unless it had
        already finished it).
        """
        self._check_page(page)
        self._send(wire.render_request(page, zoom, device_pixel_ratio))
        deadline = time.monotonic() + self._hang_seconds
        if still_wanted is not None:
            self._wait(deadline, self._canceller(page, still_wanted))
        header = self._reply(
            lambda frame: wire.parse_pixels_header(
                frame,
                page=page,
                page_size=self._page_sizes[page],
                zoom=zoom,
                device_pixel_ratio=device_pixel_ratio,
            ),
            deadline,
        )
        samples = self._body(header.body_length, deadline)
        stride = header.width * wire.CHANNELS
        return PageSamples(page, header.width, header.height, stride, header.scale, samples)

    def links(self, page: int) -> tuple[LinkArea, ...]:
        """The page's links, external targets already reduced to their kind by the renderer."""
        self._check_page(page)
        self._send(wire.links_request(page))
        deadline = time.monotonic() + self._hang_seconds
        length = self._reply(lambda frame: wire.parse_links_header(frame, page=page), deadline)
        body = self._body(length, deadline)
        return self._decode(lambda: wire.parse_links_body(body, pages=len(self._page_sizes)))

    def search(
        self, page: int, query: str, options: SearchOptions = PLAIN_SEARCH
    ) -> tuple[HitPart, ...]:
        """Where ``query`` is on ``page``: each hit's box and its line's box."""
        self._check_page(page)
        self._send(*wire.search_request(page, query, options))
        deadline = time.monotonic() + self._hang_seconds
        length = self._reply(lambda frame: wire.parse_hits_header(frame, page=page), deadline)
        body = self._body(length, deadline)
        return self._decode(lambda: wire.parse_hits_body(body))

    def close(self) -> None:
        """End the renderer: politely when it is idle, at once when it may be stuck."""
        self._pdf = None
        if self._prestarted is not None:
            self._prestarted.close()
            self._prestarted = None
        process, connection = self._process, self._connection
        if process is None or connection is None:
            return
        connection.close()  # The idle renderer reads EOF and exits by itself.
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(_EXIT_GRACE_SECONDS)
        self._kill()

    # Internals.

    def _open(self, pdf: bytes | bytearray) -> DocumentInfo:
        spawned, self._prestarted = self._prestarted, None
        if spawned is not None and not spawned.suits(
            len(pdf), require_sandbox=self._require_sandbox
        ):
            spawned.close()  # Died meanwhile, or told to expect less: start afresh.
            spawned = None
        if spawned is None:
            spawned = spawn_renderer(
                len(pdf),
                require_sandbox=self._require_sandbox,
                command=self._command or renderer_command,
            )
        process, parent = spawned.process, spawned.connection
        self._process, self._connection = process, parent
        self._send(pdf)
        deadline = time.monotonic() + self._open_seconds
        try:
            pages, entries, length = self._reply(wire.parse_opened_header, deadline)
        except RequestFailed as error:
            raise RendererError("pdf could not be opened") from error
        body = self._body(length, deadline)
        info = self._decode(lambda: wire.parse_opened_body(body, pages, entries))
        self.confined = is_confined(process.pid)
        if self._require_sandbox and not self.confined:
            raise RendererUnconfined("renderer not confined")
        return info

    def _check_page(self, page: int) -> None:
        """Start a renderer if none is running, and refuse a page the document does not have."""
        self._ensure_running()
        if not 0 <= page < len(self._page_sizes):
            raise RequestFailed("page out of range")

    def _ensure_running(self) -> None:
        """Replace a renderer that is gone (killed after a hang, or from outside while idle), or
        that sent something nobody asked for."""
        process, connection = self._process, self._connection
        # Between requests the renderer owes nothing: a frame already waiting answers a request
        # never made (or is the EOF of a renderer on its way out). Taking it for the next reply
        # would pair answers with the wrong questions, so that renderer goes.
        idle = connection is None or not connection.poll(0)
        if process is not None and process.poll() is None and idle:
            return
        if process is not None:
            self._kill()
        self.restarts += 1
        self.start()

    def _send(self, header: bytes | bytearray, body: bytes | bytearray | None = None) -> None:
        connection = self._require_connection()
        try:
            connection.send_bytes(header)
            if body is not None:
                connection.send_bytes(body)
        except OSError as error:
            self._kill()
            raise RendererLost("renderer died") from error

    def _reply(self, parse: Callable[[bytes], _T], deadline: float) -> _T:
        """Read one header frame and check it with ``parse``; a ``failed`` reply raises."""
        frame = self._frame(wire.HEADER_MAX_BYTES, deadline)
        try:
            return parse(frame)
        except wire.RemoteFailure as failure:
            if failure.reason == wire.FAILED_UNCONFINED:
                self._kill()
            raise remote_failure(failure.reason) from failure
        except (WireError, IndexError) as error:
            self._kill()
            raise RendererMisbehaved("malformed reply") from error

    def _decode(self, decode: Callable[[], _T]) -> _T:
        try:
            return decode()
        except (WireError, IndexError) as error:
            self._kill()
            raise RendererMisbehaved("malformed reply") from error

    def _body(self, length: int, deadline: float) -> bytes:
        """Receive a body frame of exactly ``length`` bytes (as its header declared)."""
        body = self._frame(length, deadline)
        if len(body) != length:
            self._kill()
            raise RendererMisbehaved("body length differs from its header")
        return body

    def _frame(self, maxlength: int, deadline: float) -> bytes:
        """Receive one frame of at most ``maxlength`` bytes before ``deadline``.

        A renderer that starts a frame and then stalls would block ``recv_bytes`` forever, so a
        watchdog kills it at the deadline (the read then ends with EOF).
        """
        connection = self._require_connection()
        self._wait(deadline)
        process = self._process
        watchdog = threading.Timer(
            max(0.0, deadline - time.monotonic()), self._stop_stalled, args=(process,)
        )
        watchdog.daemon = True
        watchdog.start()
        try:
            frame = connection.recv_bytes(max(maxlength, 1))
        except (EOFError, OSError) as error:  # Died (a segfault in MuPDF), or oversized.
            self._kill()
            if isinstance(error, OSError) and str(error) == "bad message length":
                raise RendererMisbehaved("oversized reply") from error
            raise RendererLost("renderer died") from error
        finally:
            watchdog.cancel()
        return frame

    @staticmethod
    def _stop_stalled(process: subprocess.Popen[bytes] | None) -> None:
        if process is not None and process.poll() is None:
            process.kill()

    def _canceller(self, page: int, still_wanted: Callable[[], bool]) -> Callable[[], None]:
        """A slice callback that sends one ``cancel`` once ``still_wanted`` says no."""
        sent = False

        def check() -> None:
            nonlocal sent
            if not sent and not still_wanted():
                sent = True
                self._send(wire.cancel_request(page))

        return check

    def _wait(self, deadline: float, each_slice: Callable[[], None] | None = None) -> None:
        """Return once a reply (or EOF) is readable; kill the renderer on a hang or shutdown."""
        connection = self._require_connection()
        interval = _POLL_SLICE_SECONDS if each_slice is None else _CANCEL_SLICE_SECONDS
        while True:
            if connection.poll(interval):
                return
            if each_slice is not None:
                each_slice()
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
        if process is not None:
            end_process(process)


def prestart_renderer(review_file: Path, *, require_sandbox: bool) -> SpawnedRenderer | None:
    """:func:`spawn_renderer` for a PDF carried in ``review_file`` (which is larger than it).

    None when the file cannot be measured or no renderer starts: the document then gets a
    renderer started the ordinary way, when it is handed over.
    """
    try:
        bound = review_file.stat().st_size
        if bound <= 0:
            return None
        return spawn_renderer(bound, require_sandbox=require_sandbox, command=renderer_command)
    except (OSError, RendererError):
        return None
