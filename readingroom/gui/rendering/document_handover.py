"""Getting the document to its renderer early: started during the unlock, handed over at once.

Starting a renderer (a fresh interpreter importing PyMuPDF, then its sandbox) is most of the
wait between a passphrase accepted and page 1. So the launcher starts one as soon as it starts
(:meth:`DocumentHandover.prestart`, bounded by the review file's size), hands it the PDF the
moment ``session_started`` is durable (:meth:`DocumentHandover.hand_over`: the renderer opens it
while the reader reads the notice) and asks for the window when both the notice is acknowledged
and the document is open, in whichever order they come (``ready``). No page is drawn before the
notice: opening the document only lays it out, in the sandboxed renderer.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from readingroom.errors import ReadingRoomError
from readingroom.gui.rendering.render_worker import RenderWorker
from readingroom.viewing.renderer_client import SpawnedRenderer, prestart_renderer
from readingroom.watermark import WatermarkSpec


class DocumentHandover(QObject):
    """Owns the renderer from its early start until the window takes its worker over."""

    ready = Signal(object, object)  # RenderWorker (document open), WatermarkSpec
    failed = Signal(object)  # ReadingRoomError, after the notice was acknowledged

    def __init__(self, *, require_sandbox: bool, parent: QObject | None = None) -> None:
        """Nothing starts until :meth:`prestart` or :meth:`hand_over`."""
        super().__init__(parent)
        self._require_sandbox = require_sandbox
        self._prestarted: SpawnedRenderer | None = None
        self._worker: RenderWorker | None = None
        self._watermark: WatermarkSpec | None = None
        self._notice_acknowledged = False
        self._document_opened = False
        self._error: ReadingRoomError | None = None
        self._closed = False

    def prestart(self, review_file: Path) -> None:
        """Start a renderer for a document no larger than ``review_file`` (on the UI thread:
        the renderer dies with the thread that started it). Failing here costs nothing: the
        hand-over then starts one the ordinary way."""
        if self._closed or self._worker is not None or self._prestarted is not None:
            return
        self._prestarted = prestart_renderer(review_file, require_sandbox=self._require_sandbox)

    def prestarted_pid(self) -> int | None:
        """The process id of the renderer waiting for its document (None once handed over)."""
        return None if self._prestarted is None else self._prestarted.process.pid

    def document_open(self) -> bool:
        """Whether the renderer has opened the handed-over document (the window may lag)."""
        return self._document_opened

    def hand_over(self, pdf: bytes | bytearray, watermark: WatermarkSpec) -> None:
        """Give the renderer the document now; ``ready`` follows the notice and the opening."""
        if self._closed or self._worker is not None:
            return
        prestarted, self._prestarted = self._prestarted, None
        worker = RenderWorker(
            pdf, watermark, require_sandbox=self._require_sandbox, prestarted=prestarted
        )
        self._worker, self._watermark = worker, watermark
        worker.document_opened.connect(lambda _info: self._opened(worker))
        worker.document_failed.connect(lambda error: self._failed(worker, error))
        worker.start()

    def notice_acknowledged(self) -> None:
        """The reader accepted the notice: the window may come once the document is open."""
        self._notice_acknowledged = True
        self._emit_when_ready()

    def close(self) -> None:
        """End whatever is running and not yet taken over (the session ended early)."""
        self._closed = True
        if self._prestarted is not None:
            self._prestarted.close()
            self._prestarted = None
        if self._worker is not None:
            self._worker.shutdown()
            self._worker = None

    def _opened(self, worker: RenderWorker) -> None:
        if worker is self._worker:
            self._document_opened = True
            self._emit_when_ready()

    def _failed(self, worker: RenderWorker, error: ReadingRoomError) -> None:
        if worker is not self._worker:
            return
        self._worker = None
        worker.shutdown()
        self._error = error  # Reported after the notice: one dialog at a time.
        self._emit_when_ready()

    def _emit_when_ready(self) -> None:
        if self._closed or not self._notice_acknowledged:
            return
        if self._error is not None:
            error, self._error = self._error, None
            self.failed.emit(error)
        elif self._document_opened and self._worker is not None:
            worker, self._worker = self._worker, None  # The window owns it from now on.
            self.ready.emit(worker, self._watermark)
