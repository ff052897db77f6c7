"""The renderer process: every PyMuPDF call for an open document runs here, away from the window.

MuPDF parses hostile input in C. A page can make it loop forever while holding the GIL or crash
outright, and a memory-corruption bug could run code, so the viewer keeps MuPDF in a separate,
contained process. The viewer starts it as a fresh interpreter (``python -I -m
readingroom.viewing.render_process FD PARENT``, or the frozen bundle with
:data:`RENDERER_FLAG`) with an empty environment, its standard streams on ``/dev/null`` and one
inherited socket, FD. Nothing is pickled: no ``multiprocessing`` bootstrap, and the document and
every request and reply travel in the framed format of :mod:`readingroom.viewing.wire`.

In order: core dumps off and the process made undumpable, MuPDF's own error and warning output
off, PyMuPDF warmed up (its lazy imports done while files can still be opened); then it reads the
document's header (an upper bound for its size), confines itself
(:func:`readingroom.viewing.sandbox.confine`), receives the document and only then lets MuPDF
parse it. The viewer may send the header long before the document (see
``renderer_client.spawn_renderer``). If the sandbox cannot be applied and the viewer asked for
it to be required, it says so and exits without parsing.

External link targets are reduced to their kind here (``document_model.link_areas``), so a URI
never reaches the viewer. Watermarking happens in the viewer (``page_images.render_page_image``):
a renderer cannot hand the window an unmarked page.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import sys
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import pymupdf

from readingroom.hardening import disable_core_dumps, linux_prctl, make_undumpable
from readingroom.viewing import wire
from readingroom.viewing.document_model import link_areas, read_document_info
from readingroom.viewing.page_memory import PageMemory
from readingroom.viewing.sandbox import SandboxUnavailable, confine
from readingroom.viewing.text_search import PLAIN_SEARCH, HitPart, SearchOptions, find_on_page
from readingroom.viewing.wire import MAX_HITS_PER_PAGE, MAX_IMAGE_PIXELS
from readingroom.viewing.wire_fields import WireError

# The frozen bundle's executable runs the renderer when this is its first argument.
RENDERER_FLAG = "--readingroom-renderer"

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


@dataclass(frozen=True)
class PageSamples:
    """A rendered page before the watermark: RGB888 rows, ``stride`` bytes apart.

    ``scale`` is device pixels per PDF point actually used (the pixel cap may lower it).
    """

    number: int
    width: int
    height: int
    stride: int
    scale: float
    samples: bytes | memoryview
    # Keeps a PyMuPDF pixmap alive while ``samples`` is a view of its memory (in-process use).
    owner: object = field(default=None, repr=False, compare=False)


def raster_scale(
    width_pt: float, height_pt: float, zoom: float, device_pixel_ratio: float
) -> float:
    """Device pixels per point for a page of that size, capped at :data:`MAX_IMAGE_PIXELS`."""
    scale = max(zoom * device_pixel_ratio, 0.01)
    pixels = width_pt * height_pt * scale * scale
    if pixels > MAX_IMAGE_PIXELS:
        scale *= math.sqrt(MAX_IMAGE_PIXELS / pixels)
    return scale


def rasterize_page(page: Any, zoom: float, device_pixel_ratio: float) -> PageSamples:
    """Render a ``pymupdf.Page`` without any watermark (only ever shown via render_page_image)."""
    rect = page.rect
    scale = raster_scale(rect.width, rect.height, zoom, device_pixel_ratio)
    pix = page.get_pixmap(matrix=(scale, 0, 0, scale, 0, 0), alpha=False)
    return PageSamples(
        page.number, pix.width, pix.height, pix.stride, scale, pix.samples_mv, owner=pix
    )


def rasterize_display_list(
    recorded: Any, number: int, zoom: float, device_pixel_ratio: float
) -> PageSamples:
    """:func:`rasterize_page` from a page's ``pymupdf.DisplayList`` (no re-interpretation)."""
    rect = recorded.rect
    scale = raster_scale(rect.width, rect.height, zoom, device_pixel_ratio)
    pix = recorded.get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False)
    return PageSamples(number, pix.width, pix.height, pix.stride, scale, pix.samples_mv, owner=pix)


def search_page(
    page: Any, query: str, options: SearchOptions = PLAIN_SEARCH
) -> tuple[HitPart, ...]:
    """Where ``query`` is on a ``pymupdf.Page`` (boxes only), at most a few hundred parts."""
    return find_on_page(page, query, options, MAX_HITS_PER_PAGE)


def main(argv: list[str] | None = None) -> None:
    """The renderer executable's entry point: ``FD PARENT_PID``."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == [RENDERER_FLAG]:
        args = args[1:]
    run_renderer(int(args[0]), int(args[1]))


def run_renderer(pipe_fd: int, parent_pid: int) -> None:
    """Receive the PDF, confine this process, open the PDF, answer requests until EOF."""
    disable_core_dumps()
    make_undumpable()
    _die_with_parent(parent_pid)
    # MuPDF prints warnings that may quote document strings; stderr is /dev/null anyway.
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    _warm_up()
    connection = Connection(pipe_fd)
    try:
        request = wire.parse_request(connection.recv_bytes(wire.HEADER_MAX_BYTES))
    except (EOFError, OSError, WireError):  # The viewer went away, or is not the viewer.
        return
    if request.kind != wire.DOCUMENT:
        return
    # Confined for the announced bound before the PDF arrives: a renderer started ahead of
    # time (while the reader unlocks) waits for its document already sandboxed.
    try:
        confine(pipe_fd, request.body_length)
        confined = True
    except SandboxUnavailable:
        confined = False
    try:
        pdf = connection.recv_bytes(request.body_length)  # at most the announced bound
    except (EOFError, OSError):  # The viewer went away (or never needed us), or sent too much.
        return
    if request.require_confinement and not confined:
        _send(connection, wire.failed_reply(wire.FAILED_UNCONFINED))
        return
    try:
        document = pymupdf.open(stream=pdf, filetype="pdf")
        info = read_document_info(document)
    except Exception:  # Whatever went wrong, the viewer shows one safe message.
        _send(connection, wire.failed_reply())
        return
    del pdf  # The document keeps what it needs.
    _send(connection, *wire.opened_reply(info))
    _serve(connection, document)
    document.close()


def _serve(connection: Connection, document: Any) -> None:
    memory = PageMemory(document)
    while True:
        try:
            request = wire.parse_request(connection.recv_bytes(wire.HEADER_MAX_BYTES))
            if request.kind == wire.CANCEL:
                continue  # It came after its render was answered: nothing left to cancel.
            query = ""
            if request.kind == wire.SEARCH:
                query = wire.parse_query(connection.recv_bytes(request.body_length))
        except (EOFError, OSError, WireError):  # The viewer closed the pipe: done.
            return
        try:
            _answer(connection, document, memory, request, query)
        except (BrokenPipeError, ConnectionResetError):
            return
        except Exception:  # One bad page or request must not end the renderer.
            _send(connection, wire.failed_reply())


def _answer(
    connection: Connection, document: Any, memory: PageMemory, request: wire.Request, query: str
) -> None:
    if not 0 <= request.page < document.page_count:
        raise ValueError("page out of range")
    if request.kind == wire.RENDER:
        # A cancel is looked for before each costly step: interpreting, rasterising, sending.
        recorded = memory.display_list(request.page)
        if _cancelled(connection):
            return
        rendered = rasterize_display_list(
            recorded, request.page, request.zoom, request.device_pixel_ratio
        )
        memory.rendered()
        if rendered.stride != rendered.width * wire.CHANNELS:
            raise ValueError("unexpected pixmap layout")
        if _cancelled(connection):
            return
        header = wire.pixels_reply(request.page, rendered.width, rendered.height, rendered.scale)
        # Straight from MuPDF's buffer into the pipe: no copy.
        connection.send_bytes(header)
        connection.send_bytes(rendered.samples)
        return
    page = document.load_page(request.page)
    if request.kind == wire.LINKS:
        areas = link_areas(page, document.page_count)
        _write(connection, *wire.links_reply(request.page, areas))
    elif request.kind == wire.SEARCH:
        hits = search_page(page, query, request.search_options)
        _write(connection, *wire.hits_reply(request.page, hits))
    else:
        raise ValueError("unexpected request")


def _cancelled(connection: Connection) -> bool:
    """Whether the viewer sent ``cancel`` for the render in flight (then it is answered so)."""
    if not connection.poll(0):
        return False
    if wire.parse_request(connection.recv_bytes(wire.HEADER_MAX_BYTES)).kind != wire.CANCEL:
        raise ValueError("request while another is in flight")
    _write(connection, wire.failed_reply(wire.FAILED_CANCELLED))
    return True


def _write(connection: Connection, header: bytes, body: bytes | None = None) -> None:
    """Send one message: its header frame, then its body frame when it has one."""
    connection.send_bytes(header)
    if body is not None:
        connection.send_bytes(body)


def _send(connection: Connection, header: bytes, body: bytes | None = None) -> None:
    # The viewer may be gone or have given up on us; then there is nobody to tell.
    with contextlib.suppress(OSError):
        _write(connection, header, body)


def _warm_up() -> None:
    """Exercise every PyMuPDF call the renderer makes on a tiny page of our own, so that any
    module PyMuPDF imports lazily is imported now: once confined, no file can be opened."""
    document = pymupdf.open()
    page = document.new_page(width=72, height=72)
    page.insert_text((10, 30), "warm")
    page.insert_link({"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(0, 0, 9, 9), "uri": "x:"})
    document.set_toc([[1, "warm", 1]])
    page = document.load_page(0)
    read_document_info(document)
    link_areas(page, document.page_count)
    search_page(page, "warm", SearchOptions(match_case=True, whole_words=True))
    rasterize_page(page, 1.0, 1.0)
    memory = PageMemory(document)
    rasterize_display_list(memory.display_list(0), 0, 1.0, 1.0)
    memory.release()
    document.close()


def _die_with_parent(parent_pid: int) -> None:
    """On Linux, have the kernel kill this process when the viewer's render thread ends.

    Otherwise a renderer stuck in MuPDF would outlive a viewer that was killed with -9, holding
    the decrypted PDF in memory and spinning a core. (PDEATHSIG fires when the *thread* that
    started us exits: that is the render thread, and the renderer's life is its life anyway.)
    """
    if not linux_prctl(_PR_SET_PDEATHSIG, signal.SIGKILL):
        return
    if os.getppid() != parent_pid:  # The parent died before the prctl took effect.
        os._exit(0)


if __name__ == "__main__":
    main()
