"""The steps from ``readingroom view FILE`` to the first page, as a sequence of dialogs.

The work of each step is the Qt-free use case :class:`~readingroom.viewing.open_session.
SessionOpener`; this class only decides which dialog comes next and runs the slow steps on a
worker (:class:`~readingroom.gui.background_task.BackgroundTask`), showing their progress:

1. Open the audit log, the file and the keys (a log that is unavailable or tampered stops
   everything here); with a passphrase or key file given, try it at once.
2. Otherwise, or after a failed attempt, the unlock dialog (each failure is recorded as
   ``unlock_failed`` by the use case).
3. Write ``session_started`` durably.
4. Hand the document to the renderer (started, and confined, during steps 1 and 2: see
   ``gui.rendering.document_handover``) and show the notice; the reader acknowledges it.
5. Once the notice is acknowledged and the renderer has opened the document (on the render
   thread: the UI thread never waits for it), build the reading surface, which draws page 1
   (``gui.session_window``).

Every step is asynchronous (dialogs are opened, not exec'd; the work runs on a worker), so the
window keeps painting and tests drive the same path a reader does, and every way out runs
:meth:`ViewerLauncher._finish` exactly once.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from readingroom.config import WorkstationConfig
from readingroom.errors import (
    AuditUnavailable,
    CannotUnlock,
    CaptureNotEnforced,
    ReadingRoomError,
)
from readingroom.gui.background_task import BackgroundTask
from readingroom.gui.capture_exclusion import CaptureExclusion, session_capture_status
from readingroom.gui.dialogs.notice_dialog import NoticeDialog, notice_text
from readingroom.gui.dialogs.opening_progress import (
    PROGRESS_DELAY_MS,
    opening_progress_dialog,
    show_opening_step,
)
from readingroom.gui.dialogs.unlock_dialog import UnlockDialog, growing_delay
from readingroom.gui.dialogs.unlock_prompts import unlock_prompt
from readingroom.gui.main_window import LIMIT_CHECK_MS, ViewerWindow
from readingroom.gui.revocation_watch import RevocationWatch
from readingroom.gui.session_window import LAYOUT_FILE_NAME, build_session_window
from readingroom.reading_session import EndReason, ReadingSession, utc_now
from readingroom.review_file import OpenedReview
from readingroom.secure_memory import wipe
from readingroom.viewing.open_session import (
    Cancelled,
    Progress,
    SessionOpener,
    ViewRequest,
)

if TYPE_CHECKING:
    from readingroom.gui.reader.notes_panel import NotesPanel
    from readingroom.gui.rendering.document_handover import DocumentHandover
    from readingroom.gui.rendering.render_worker import RenderWorker
    from readingroom.watermark import WatermarkSpec

__all__ = ["LAYOUT_FILE_NAME", "ViewRequest", "ViewerLauncher", "ViewerTuning"]


@dataclass(frozen=True)
class ViewerTuning:
    """Knobs that tests shorten; the defaults are the product's behaviour."""

    delay_for: Callable[[int], float] = growing_delay
    idle_ms: int | None = None  # None: the policy's idle lock
    limit_check_ms: int = LIMIT_CHECK_MS
    clock: Callable[[], datetime] = utc_now
    monotonic: Callable[[], float] = time.monotonic  # the session's length and page time


class ViewerLauncher(QObject):
    """Runs one ``view`` from the audit log to the closed window; emits ``finished(code)``."""

    finished = Signal(int)
    failed = Signal(str)  # the safe message of an error that stopped the viewer
    window_shown = Signal()  # the reading window is up (the kiosk hides its chooser)

    def __init__(
        self,
        request: ViewRequest,
        config: WorkstationConfig,
        *,
        capture: CaptureExclusion | None = None,
        tuning: ViewerTuning | None = None,
        kiosk: bool = False,
        dialog_parent: QWidget | None = None,
        parent: QObject | None = None,
    ) -> None:
        """Prepare; nothing happens until :meth:`start`.

        ``kiosk`` makes the reading window the kiosk's (full screen, no way out but ending the
        session); ``dialog_parent`` is the window the unlock and notice dialogs and error
        messages belong to (the kiosk's chooser), so they stay above it.
        """
        super().__init__(parent)
        self._config = config
        self._capture = capture
        self._tuning = tuning or ViewerTuning()
        self._kiosk = kiosk
        self._dialog_parent = dialog_parent
        self._opener = SessionOpener(
            request, config, clock=self._tuning.clock, monotonic=self._tuning.monotonic
        )
        self._task: BackgroundTask | None = None
        self._opened: OpenedReview | None = None
        self._session: ReadingSession | None = None
        self._done = False
        self.exit_code: int | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.unlock_dialog: UnlockDialog | None = None
        self.notice_dialog: NoticeDialog | None = None
        self.window: ViewerWindow | None = None
        self.message_box: QMessageBox | None = None
        self.revocation_watch: RevocationWatch | None = None
        self.notes_panel: NotesPanel | None = None
        # The renderer from its early start until the window takes its worker over.
        self._review_path = request.path
        self.handover: DocumentHandover | None = None

    def is_finished(self) -> bool:
        """True once ``finished`` was emitted (the audit log is closed)."""
        return self._done

    def is_busy(self) -> bool:
        """True while work runs on a worker (opening, or an attempt in the unlock dialog)."""
        dialog = self.unlock_dialog
        return self._task is not None or (dialog is not None and dialog.is_busy())

    @property
    def session(self) -> ReadingSession | None:
        """The started session, once there is one."""
        return self._session

    # ----- 1 and 2: audit log, file and keys, then unlock ---------------------------------------

    def start(self) -> None:
        """Open the audit log and the file on a worker, then unlock (prompting if needed)."""
        if self._done:
            return  # stopped before it started
        opener = self._opener
        # Probed here, on the UI thread (it makes a hidden native window); checked by the
        # opener before anything is read or asked for.
        capture = session_capture_status(self._capture)

        def prepare_and_try(progress: Progress) -> object:
            secret = opener.prepare(progress, capture=capture)
            return None if secret is None else opener.attempt(secret, progress)

        task = BackgroundTask(prepare_and_try, self)
        dialog = opening_progress_dialog(self._dialog_parent)
        dialog.canceled.connect(task.cancel)
        task.progressed.connect(self._show_opening_progress)
        task.succeeded.connect(self._opening_succeeded)
        task.failed.connect(self._opening_failed)
        self.progress_dialog = dialog
        self._task = task
        task.start()
        # Shown only if the work lasts longer than this: no flash for a fast open. (Its own
        # auto-show needs value updates, and scrypt reports none.)
        QTimer.singleShot(PROGRESS_DELAY_MS, self._reveal_progress)
        QTimer.singleShot(0, self._prestart_renderer)

    def _prestart_renderer(self) -> None:
        if self._done or self.handover is not None:
            return
        # Imported here: it pulls in PyMuPDF, on the UI thread while the opening task works.
        from readingroom.gui.rendering.document_handover import DocumentHandover  # noqa: PLC0415

        handover = DocumentHandover(require_sandbox=self._config.require_sandbox, parent=self)
        handover.ready.connect(self._build_window)
        handover.failed.connect(self._fail)
        self.handover = handover
        handover.prestart(self._review_path)

    def _reveal_progress(self) -> None:
        if self._task is not None and self.progress_dialog is not None:
            self.progress_dialog.open()

    def _show_opening_progress(self, step: str, done: int, total: int) -> None:
        dialog = self.progress_dialog
        if dialog is not None:
            show_opening_step(dialog, step, done, total)

    def _end_opening_task(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.wait()
            task.deleteLater()
        if self.progress_dialog is not None:
            dialog, self.progress_dialog = self.progress_dialog, None
            dialog.close()
            dialog.deleteLater()

    def _opening_succeeded(self, result: object) -> None:
        self._end_opening_task()
        if self._done:
            self._discard(result)
            return
        if result is None:
            self._ask(None)
        else:
            self._unlocked(result)

    def _opening_failed(self, error: Exception) -> None:
        self._end_opening_task()
        if self._done:
            return
        if isinstance(error, Cancelled):
            self._finish(0)
        elif isinstance(error, CannotUnlock):
            self._ask(error)  # already recorded; the reader may try again
        elif isinstance(error, ReadingRoomError):
            self._fail(error)
        else:
            self._fail(ReadingRoomError())  # a bug: the generic safe message, never its text

    def _discard(self, result: object) -> None:
        if isinstance(result, OpenedReview):
            wipe(result.pdf)

    def _ask(self, error: CannotUnlock | None) -> None:
        dialog = unlock_prompt(
            self._opener,
            error,
            delay_for=self._tuning.delay_for,
            discard=self._discard,
            parent=self._dialog_parent,
        )
        dialog.unlocked.connect(self._unlocked)
        dialog.refused.connect(self._refused)
        dialog.rejected.connect(self._unlock_cancelled)
        self.unlock_dialog = dialog
        dialog.open()

    def _refused(self, error: ReadingRoomError) -> None:
        # Already recorded by the use case when it was an attempt; here it only stops.
        self.unlock_dialog = None
        self._fail(error)

    def _unlock_cancelled(self) -> None:
        # ``rejected`` also follows ``refused``; only a reader's Cancel ends here.
        if self.unlock_dialog is not None and self._opened is None and not self._done:
            self.unlock_dialog = None
            self._finish(0)

    # ----- 3 and 4: session_started, then the notice -------------------------------------------

    def _unlocked(self, opened: object) -> None:
        assert isinstance(opened, OpenedReview)
        if self._done:  # stopped meanwhile: never start a session after the end
            wipe(opened.pdf)
            return
        self.unlock_dialog = None
        self._opened = opened
        try:
            session = self._opener.start_session(opened)
        except (AuditUnavailable, CaptureNotEnforced) as error:
            self._fail(error)
            return
        self._session = session
        try:
            watermark = self._opener.watermark(opened, session)
        except ReadingRoomError as error:
            session.end(EndReason.CLOSED)
            self._fail(error)
            return
        self._prestart_renderer()  # (if the timer has not yet)
        assert self.handover is not None
        self.handover.hand_over(opened.pdf, watermark)
        dialog = NoticeDialog(notice_text(opened, session.session_code), self._dialog_parent)
        dialog.accepted.connect(self._show_window)
        dialog.rejected.connect(self._notice_declined)
        self.notice_dialog = dialog
        dialog.open()
        dialog.activateWindow()

    def _notice_declined(self) -> None:
        self.notice_dialog = None
        if self._session is not None:
            try:
                self._session.end(EndReason.CLOSED)
            except AuditUnavailable as error:
                self._fail(error)
                return
        self._finish(0)

    # ----- 5: the window ----------------------------------------------------------------------

    def _show_window(self) -> None:
        self.notice_dialog = None
        assert self.handover is not None
        self.handover.notice_acknowledged()  # ``ready`` builds the window, or ``failed``

    def _build_window(self, worker: RenderWorker, watermark: WatermarkSpec) -> None:
        if self._done:
            worker.shutdown()  # Stopped while the renderer was opening the document.
            return
        assert self._opened is not None and self._session is not None
        built = build_session_window(
            self._opened,
            self._session,
            self._opener,
            worker,
            watermark,
            config=self._config,
            capture=self._capture,
            kiosk=self._kiosk,
            idle_ms=self._tuning.idle_ms,
            limit_check_ms=self._tuning.limit_check_ms,
            delay_for=self._tuning.delay_for,
            finish=self._finish,
            owner=self,
        )
        window = self.window = built.window
        self.notes_panel = built.notes_panel
        self.revocation_watch = built.revocation_watch
        if self._kiosk:
            window.showFullScreen()
        else:
            window.show()
        # Without a window manager (bare X, some kiosks) nothing else activates the window, and
        # Qt fires no shortcut (Ctrl+G, Ctrl++, Alt+Left...) for a window that is not active.
        window.raise_()
        window.activateWindow()
        self.window_shown.emit()
        if self._capture is not None:
            window.set_capture_status(self._capture.status())
        window.check_limits()

    # ----- every way out ------------------------------------------------------------------------

    def stop(self) -> None:
        """End whatever step is under way as Close or Cancel would (a signal, kiosk shutdown).

        An open session is recorded as ended, reason "closed" (even under an idle lock), and
        ``finished`` is emitted before this returns.
        """
        if self._task is not None:
            self._task.cancel()
            self._end_opening_task()
        if self.unlock_dialog is not None:
            self.unlock_dialog.stop_now()
        if self.notice_dialog is not None:
            self.notice_dialog.reject()
        if self.window is not None and not self._done:
            self.window.close_session()  # closes an idle-lock prompt without "cancelled"
        if self.message_box is not None:
            self.message_box.done(0)
        if not self._done:
            self._finish(self.exit_code or 0)

    def _fail(self, error: ReadingRoomError) -> None:
        """Show ``str(error)`` (a safe, fixed message) and finish with its exit code."""
        if self.message_box is not None or self._done:
            return
        if self._session is not None and not self._session.ended:
            # Already failing; if this last record fails too, the next start's crash recovery
            # closes the session in the log.
            with contextlib.suppress(AuditUnavailable):
                self._session.end(EndReason.CLOSED)
        self.failed.emit(str(error))
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "ReadingRoom",
            str(error),
            QMessageBox.StandardButton.Ok,
            self._dialog_parent,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.finished.connect(lambda _result: self._finish(error.exit_code))
        self.message_box = box
        self.exit_code = error.exit_code
        box.open()

    def _finish(self, code: int) -> None:
        if self._done:
            return
        self._done = True
        self.exit_code = code
        if self.handover is not None:
            self.handover.close()
        self._opener.close()
        self.finished.emit(code)
