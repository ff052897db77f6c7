"""The steps from ``readingroom view FILE`` to the first page, in the order the rules demand.

1. Open the audit log (a log that is unavailable or tampered stops everything here).
2. Unlock: a passphrase file or key file first, else the unlock dialog; every failure is
   recorded as ``unlock_failed``.
3. Write ``session_started`` durably.
4. Show the notice; the reader acknowledges it.
5. Only then build the reading surface, which draws page 1.

Every step is asynchronous (dialogs are opened, not exec'd), so tests drive the same path a
reader does, and every way out runs :meth:`ViewerLauncher._finish` exactly once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from readingroom.age import X25519Identity
from readingroom.audit import AuditLog, SessionContext
from readingroom.capture_state import refuse_unless_enforced
from readingroom.config import WorkstationConfig
from readingroom.display_text import display_text
from readingroom.errors import (
    AuditUnavailable,
    CannotUnlock,
    CaptureNotEnforced,
    DamagedFile,
    PolicyRefused,
    ReadingRoomError,
)
from readingroom.fileio import read_input_file
from readingroom.gui.capture_exclusion import CaptureExclusion, session_capture_status
from readingroom.gui.dialogs.notice_dialog import NoticeDialog, notice_text
from readingroom.gui.dialogs.unlock_dialog import UnlockDialog, growing_delay
from readingroom.gui.main_window import LIMIT_CHECK_MS, ViewerWindow
from readingroom.gui.session_bridge import SessionBridge
from readingroom.keys import load_identity_file, load_workstation_identities
from readingroom.passphrases import PassphraseSource, read_passphrase
from readingroom.reading_session import (
    EndReason,
    ReadingSession,
    record_unlock_failed,
    utc_now,
)
from readingroom.review_file import OpenedReview, UnlockKeys, open_review, verify_reader
from readingroom.trust import TrustStore
from readingroom.watermark import build_watermark

MAX_REVIEW_FILE = 4 * 1024**3
LAYOUT_FILE_NAME = "viewer-layout.ini"


@dataclass(frozen=True)
class ViewRequest:
    """What ``readingroom view`` was asked to open, and with what."""

    path: Path
    passphrase: PassphraseSource = field(default_factory=PassphraseSource)
    identity_file: Path | None = None
    key_passphrase: PassphraseSource = field(default_factory=PassphraseSource)


@dataclass(frozen=True)
class ViewerTuning:
    """Knobs that tests shorten; the defaults are the product's behaviour."""

    delay_for: Callable[[int], float] = growing_delay
    idle_ms: int | None = None  # None: the policy's idle lock
    limit_check_ms: int = LIMIT_CHECK_MS
    clock: Callable[[], datetime] = utc_now


def wipe(buffer: bytearray) -> None:
    """Overwrite a plaintext buffer with zeros (best effort: Python may hold other copies)."""
    buffer[:] = bytes(len(buffer))


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
        self._request = request
        self._config = config
        self._capture = capture
        self._tuning = tuning or ViewerTuning()
        self._kiosk = kiosk
        self._dialog_parent = dialog_parent
        self._audit: AuditLog | None = None
        self._context: SessionContext | None = None
        self._trust: TrustStore | None = None
        self._data = b""
        self._workstation_identities: list[X25519Identity] = []
        self._opened: OpenedReview | None = None
        self._session: ReadingSession | None = None
        self._done = False
        self.exit_code: int | None = None
        self.unlock_dialog: UnlockDialog | None = None
        self.notice_dialog: NoticeDialog | None = None
        self.window: ViewerWindow | None = None
        self.message_box: QMessageBox | None = None

    def is_finished(self) -> bool:
        """True once ``finished`` was emitted (the audit log is closed)."""
        return self._done

    @property
    def session(self) -> ReadingSession | None:
        """The started session, once there is one."""
        return self._session

    # ----- 1 and 2: audit log, then unlock ------------------------------------------------------

    def start(self) -> None:
        """Open the audit log and the file, then unlock (without a prompt if a secret was given)."""
        if self._done:
            return  # stopped before it started
        try:
            self._audit = AuditLog.open(self._config.audit_dir, config=self._config)
            self._context = self._audit.new_session(reader=None)
            # Before anything is decrypted or asked for (recorded as unlock_failed if refused).
            refuse_unless_enforced(
                session_capture_status(self._capture),
                self._config,
                audit=self._audit,
                session=self._context,
            )
            self._trust = TrustStore.load(self._config.trust_store)
            self._data = read_input_file(
                self._request.path, what="review file", limit=MAX_REVIEW_FILE
            )
            self._workstation_identities = list(load_workstation_identities(self._config))
            secret = self._given_secret()
        except ReadingRoomError as error:
            self._fail(error)
            return
        if secret is None:
            self._ask(None)
            return
        try:
            opened = self._attempt(secret)
        except CannotUnlock as error:
            if self._record_failure(error):
                self._ask(error)
            return
        except ReadingRoomError as error:
            self._refused(error)
            return
        self._unlocked(opened)

    def _given_secret(self) -> bytes | None:
        # With a key file, its passphrase (if any) is the secret; an unprotected key file needs
        # none, so it is tried with None before asking anything.
        request = self._request
        if request.identity_file is not None:
            if request.key_passphrase.is_given():
                return read_passphrase(request.key_passphrase)
            return b""
        if request.passphrase.is_given():
            return read_passphrase(request.passphrase)
        return None

    def _unlock_keys(self, secret: bytes) -> UnlockKeys:
        workstation = tuple(self._workstation_identities)
        identity_file = self._request.identity_file
        if identity_file is not None:
            return UnlockKeys(
                identities=load_identity_file(identity_file, secret or None),
                workstation_identities=workstation,
            )
        return UnlockKeys(passphrase=secret, workstation_identities=workstation)

    def _attempt(self, secret: bytes) -> OpenedReview:
        assert self._audit is not None and self._trust is not None
        return open_review(
            self._data,
            self._unlock_keys(secret),
            config=self._config,
            trust=self._trust,
            now=self._tuning.clock(),
            clock_rolled_back=self._audit.clock_rolled_back,
        )

    def _ask(self, error: CannotUnlock | None) -> None:
        if self._request.identity_file is not None:
            heading = "Enter the passphrase of your key file to open this review file."
        else:
            heading = "Enter your passphrase to open this review file."
        key_note = (
            "This workstation's key is used as well."
            if self._workstation_identities
            else "No workstation key is configured on this workstation."
        )
        dialog = UnlockDialog(
            self._attempt,
            heading=heading,
            key_note=key_note,
            delay_for=self._tuning.delay_for,
            parent=self._dialog_parent,
        )
        if error is not None:
            dialog.show_error(str(error))
        dialog.attempt_failed.connect(self._dialog_failure)
        dialog.unlocked.connect(self._unlocked)
        dialog.refused.connect(self._refused)
        dialog.rejected.connect(self._unlock_cancelled)
        self.unlock_dialog = dialog
        dialog.open()

    def _dialog_failure(self, error: ReadingRoomError) -> None:
        if not self._record_failure(error) and self.unlock_dialog is not None:
            dialog, self.unlock_dialog = self.unlock_dialog, None
            dialog.close()

    def _record_failure(self, error: ReadingRoomError) -> bool:
        """Record ``unlock_failed``; on an audit failure, fail closed and return False."""
        if not isinstance(error, CannotUnlock | DamagedFile | PolicyRefused):
            return True  # a usage problem (no such key file...), not an unlock attempt
        assert self._audit is not None and self._context is not None
        try:
            record_unlock_failed(self._audit, error, session=self._context)
        except AuditUnavailable as failure:
            self._fail(failure)
            return False
        return True

    def _refused(self, error: ReadingRoomError) -> None:
        self.unlock_dialog = None
        if self._record_failure(error):
            self._fail(error)

    def _unlock_cancelled(self) -> None:
        # ``rejected`` also follows ``refused``; only a reader's Cancel ends here.
        if self.unlock_dialog is not None and self._opened is None and not self._done:
            self.unlock_dialog = None
            self._finish(0)

    # ----- 3 and 4: session_started, then the notice -------------------------------------------

    def _unlocked(self, opened: object) -> None:
        assert isinstance(opened, OpenedReview)
        assert self._audit is not None and self._context is not None
        self.unlock_dialog = None
        self._opened = opened
        session = ReadingSession(
            opened, self._audit, self._config, context=self._context, clock=self._tuning.clock
        )
        try:
            session.start(capture=session_capture_status(self._capture))
        except (AuditUnavailable, CaptureNotEnforced) as error:
            self._fail(error)
            return
        self._session = session
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
        assert self._opened is not None and self._session is not None
        self.notice_dialog = None
        manifest = self._opened.manifest
        policy = manifest.policy
        try:
            watermark = build_watermark(
                policy.watermark_template,
                reader_name=policy.reader.name,
                reader_id=policy.reader.id,
                organisation=policy.reader.organisation,
                workstation=self._config.workstation_name,
                session_code=self._session.session_code,
                classification=manifest.classification,
                when=self._tuning.clock(),
            )
        except ReadingRoomError as error:
            self._session.end(EndReason.CLOSED)
            self._fail(error)
            return
        # Imported here: the reading surface pulls in PyMuPDF and the render worker, which the
        # unlock and notice steps do not need.
        from readingroom.gui.reader.document_reader import DocumentReader  # noqa: PLC0415

        reader = DocumentReader(self._opened.pdf, watermark)
        # The stricter of the file's policy and the workstation's idle_minutes_max.
        idle_minutes = max(1, self._session.idle_lock_minutes)
        window = ViewerWindow(
            reader,
            SessionBridge(self._session),
            title=f"{display_text(manifest.title, max_chars=80)} \u2014 ReadingRoom",
            layout=QSettings(str(self._config.home / LAYOUT_FILE_NAME), QSettings.Format.IniFormat),
            relock_dialog=self._relock_dialog,
            idle_ms=self._tuning.idle_ms or idle_minutes * 60_000,
            limit_check_ms=self._tuning.limit_check_ms,
            kiosk=self._kiosk,
        )
        if self._capture is not None:
            self._capture.status_changed.connect(window.set_capture_status)
        window.session_finished.connect(self._finish)
        self.window = window
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

    def _relock_dialog(self, parent: QWidget) -> UnlockDialog:
        def check(secret: bytes) -> None:
            # Checked against the reader layer's header only: no second plaintext copy.
            verify_reader(self._data, self._unlock_keys(secret))

        return UnlockDialog(
            check,
            heading="The reading room is locked. Enter your passphrase to continue reading.",
            delay_for=self._tuning.delay_for,
            parent=parent,
        )

    # ----- every way out ------------------------------------------------------------------------

    def stop(self) -> None:
        """End whatever step is under way as Close or Cancel would (a signal, kiosk shutdown).

        An open session is recorded as ended, reason "closed" (even under an idle lock), and
        ``finished`` is emitted before this returns.
        """
        for dialog in (self.unlock_dialog, self.notice_dialog):
            if dialog is not None:
                dialog.reject()
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
        if self._opened is not None:
            wipe(self._opened.pdf)
        self._data = b""
        if self._audit is not None:
            # A failed final checkpoint leaves an uncovered tail that verify reports.
            with contextlib.suppress(AuditUnavailable):
                self._audit.close()
        self.finished.emit(code)
