"""The renderer process: every PyMuPDF call for an open document runs here, away from the window.

MuPDF parses hostile input in C. A page can make it loop forever while holding the GIL (then no
Python thread in the same process runs again, not even a signal handler) or crash outright, so
the viewer keeps MuPDF in a separate process started with the ``spawn`` method (``fork`` from a
multi-threaded Qt process is unsafe). This module is what that process runs; it imports no Qt,
only PyMuPDF and :mod:`document_model`, so the child stays small and Qt-free.

The protocol on one :class:`multiprocessing.connection.Connection`, one request at a time:

* parent -> child: the PDF bytes (``send_bytes``: the PDF lives in pipe buffers and memory only,
  never in a file), then pickled requests ``(kind, page, *arguments)``.
* child -> parent: first ``("ok", DocumentInfo)`` or ``("error",)``; then for each request
  ``("ok", result)`` or ``("error",)``. A render's result is its header
  ``(width, height, stride, scale)``, followed by the RGB samples as one raw ``send_bytes``
  message, so the ~6 MB of pixels are never pickled.

External link targets are reduced to their kind here (:func:`document_model.link_areas`), so a
URI never even reaches the viewer process. Watermarking happens in the parent
(``page_images.render_page_image``): a child cannot hand the window an unmarked page.
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

from readingroom.gui.rendering.document_model import (
    HighlightRect,
    link_areas,
    read_document_info,
)
from readingroom.hardening import disable_core_dumps

REQUEST_LINKS = "links"
REQUEST_RENDER = "render"
REQUEST_SEARCH = "search"

# A hostile 20,000 x 20,000 pt page at 400 % would be a 6 GB image. Above this many pixels the
# page is rendered at a lower resolution instead (and drawn scaled up): blurry, but bounded.
MAX_IMAGE_PIXELS = 36_000_000
# Search stops collecting rectangles on a page past this: the page is a hit either way.
MAX_HITS_PER_PAGE = 200

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


def search_page(page: Any, query: str) -> tuple[HighlightRect, ...]:
    """Rectangles of ``query`` (case-insensitive) on a ``pymupdf.Page``, at most a few hundred."""
    rects = page.search_for(query)[:MAX_HITS_PER_PAGE]
    return tuple((float(r.x0), float(r.y0), float(r.x1), float(r.y1)) for r in rects)


def run_renderer(connection: Connection, parent_pid: int) -> None:
    """The child's entry point: receive the PDF, open it, answer requests until the pipe closes."""
    # Inherited from the viewer already; set again for renderers started by tests or benchmarks.
    disable_core_dumps()
    _die_with_parent(parent_pid)
    try:
        pdf = connection.recv_bytes()
        document = pymupdf.open(stream=pdf, filetype="pdf")
        info = read_document_info(document)
    except Exception:  # Whatever went wrong, the parent shows one safe message.
        _reply(connection, ("error",))
        return
    del pdf  # The document keeps what it needs.
    connection.send(("ok", info))
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):  # The viewer closed the pipe (or is gone): done.
            break
        try:
            _answer(connection, document, request)
        except (BrokenPipeError, ConnectionResetError):
            break
        except Exception:  # One bad page or request must not end the renderer.
            _reply(connection, ("error",))
    document.close()


def _answer(connection: Connection, document: Any, request: tuple[Any, ...]) -> None:
    kind, index = request[0], int(request[1])
    page = document.load_page(index)
    if kind == REQUEST_RENDER:
        rendered = rasterize_page(page, float(request[2]), float(request[3]))
        connection.send(("ok", (rendered.width, rendered.height, rendered.stride, rendered.scale)))
        # Straight from MuPDF's buffer into the pipe: no pickling, no copy.
        connection.send_bytes(rendered.samples)
    elif kind == REQUEST_LINKS:
        connection.send(("ok", link_areas(page, document.page_count)))
    elif kind == REQUEST_SEARCH:
        connection.send(("ok", search_page(page, str(request[2]))))
    else:
        raise ValueError("unknown request")


def _reply(connection: Connection, message: tuple[Any, ...]) -> None:
    # The parent may be gone or have given up on us; then there is nobody to tell.
    with contextlib.suppress(OSError):
        connection.send(message)


def _die_with_parent(parent_pid: int) -> None:
    """On Linux, have the kernel kill this process when the viewer's render thread ends.

    Otherwise a renderer stuck in MuPDF would outlive a viewer that was killed with -9, holding
    the decrypted PDF in memory and spinning a core. (PDEATHSIG fires when the *thread* that
    started us exits: that is the render thread, and the renderer's life is its life anyway.)
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes  # noqa: PLC0415 - Linux only

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:  # The parent died before the prctl took effect.
        os._exit(0)
