"""What can go wrong with a request to the renderer process: one exception class per outcome.

Each message is fixed and carries no document content. :class:`RendererLost` and its subclasses
mean the renderer was killed and the next request starts a fresh one
(:mod:`readingroom.viewing.renderer_client`).
"""

from __future__ import annotations

from readingroom.viewing import wire


class RendererError(Exception):
    """A request got no answer; the message is fixed and carries no document content."""


class RendererLost(RendererError):
    """The renderer hung or died on this request and was killed; the next one starts afresh."""


class RendererStopped(RendererError):
    """The viewer is shutting down; the request was abandoned."""


class RendererHung(RendererLost):
    """The renderer did not answer within the hang limit (it was killed)."""


class RendererMisbehaved(RendererLost):
    """The renderer's reply broke the wire format (it was killed; the page is not retried)."""


class RendererUnconfined(RendererError):
    """The sandbox could not be applied and the workstation requires it (nothing was parsed)."""


class RequestFailed(RendererError):
    """The renderer answered that this request failed (for example a broken page)."""


class RequestCancelled(RendererError):
    """The render was cancelled (no longer wanted) before the renderer finished it."""


def remote_failure(reason: int) -> RendererError:
    """The error for a ``failed`` reply with the (checked) ``reason``."""
    if reason == wire.FAILED_UNCONFINED:
        return RendererUnconfined("renderer not confined")
    if reason == wire.FAILED_CANCELLED:
        return RequestCancelled("cancelled")
    return RequestFailed("request failed")
