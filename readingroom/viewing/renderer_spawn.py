"""Starting a renderer process, possibly ahead of its document (see renderer_client).

A fresh interpreter (``subprocess``, not ``multiprocessing``) with an empty environment, standard
streams on ``/dev/null``, working directory ``/`` and one inherited socket. Its first frame, the
document header, only announces an upper bound for the PDF's size: the renderer confines itself
for that bound on reading it, so a renderer started while the reader is still unlocking waits for
its document already sandboxed.
"""

from __future__ import annotations

import multiprocessing.connection
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection

from readingroom.viewing import wire
from readingroom.viewing.renderer_errors import RendererLost


@dataclass
class SpawnedRenderer:
    """A renderer started ahead of its document (see :func:`spawn_renderer`)."""

    process: subprocess.Popen[bytes]
    connection: Connection
    max_document_bytes: int
    require_sandbox: bool

    def suits(self, document_bytes: int, *, require_sandbox: bool) -> bool:
        """Whether it is still alive, expects a document this large and is sandboxed as asked."""
        return (
            self.process.poll() is None
            and self.max_document_bytes >= document_bytes
            and self.require_sandbox == require_sandbox
        )

    def close(self) -> None:
        """End it unused (the reader cancelled, or it was not needed)."""
        self.connection.close()  # It reads EOF instead of a document and exits.
        end_process(self.process)


def spawn_renderer(
    max_document_bytes: int,
    *,
    require_sandbox: bool,
    command: Callable[[int], list[str]],
) -> SpawnedRenderer:
    """Start a renderer (``command`` builds its command line from its socket's descriptor) and
    announce a document of at most ``max_document_bytes``.

    It warms up, confines itself for that bound and waits for the PDF; nothing is sent that it
    could parse. Call from a thread that outlives the renderer (on Linux it dies with the
    thread that started it): the UI thread, or the render thread.

    Raises:
        RendererLost: the process could not be started.
    """
    parent, child = multiprocessing.connection.Pipe(duplex=True)
    try:
        process = subprocess.Popen(
            command(child.fileno()),
            env={},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(child.fileno(),),
            cwd="/",
        )
    except OSError as error:
        parent.close()
        raise RendererLost("renderer could not start") from error
    finally:
        child.close()  # Only the child holds its end now, so its death reads as EOF here.
    spawned = SpawnedRenderer(process, parent, max_document_bytes, require_sandbox)
    try:
        parent.send_bytes(
            wire.document_request(max_document_bytes, require_confinement=require_sandbox)
        )
    except OSError as error:
        spawned.close()
        raise RendererLost("renderer died") from error
    return spawned


def end_process(process: subprocess.Popen[bytes]) -> None:
    """Terminate, then kill, and reap."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(1.0)
        except subprocess.TimeoutExpired:
            process.kill()
    process.wait()
