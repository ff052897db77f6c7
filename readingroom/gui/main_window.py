"""The viewer window: composes the reading surface, the curtain and the room's rules.

The window owns no policy of its own. The :class:`~readingroom.gui.session_bridge.SessionBridge`
records; :class:`~readingroom.gui.room_rules.RoomRules` refuses keys, menus and drags;
:class:`~readingroom.gui.idle_monitor.IdleMonitor` notices inactivity; the window wires them
together and decides what covers the page: the curtain is up whenever at least one reason holds
(the reader left the application, idle lock, session over).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget

from readingroom.capture_state import CaptureStatus
from readingroom.errors import AuditUnavailable, ExitCode
from readingroom.gui.dialogs.unlock_dialog import UnlockDialog
from readingroom.gui.idle_relock import IdleRelock
from readingroom.gui.kiosk_guard import KioskGuard
from readingroom.gui.presence_monitor import PresenceMonitor
from readingroom.gui.reader.reading_toolbar import ReadingToolbar
from readingroom.gui.resources import action_icon
from readingroom.gui.room_rules import RoomRules
from readingroom.gui.session_bridge import SessionBridge
from readingroom.gui.widgets.curtain import Curtain
from readingroom.gui.widgets.curtain_stack import Cover, CurtainStack
from readingroom.gui.window_comforts import WindowComforts, end_shortcuts
from readingroom.gui.window_texts import DENIED_TEXT, ENDED_TEXT, KIOSK_CLOSE_TEXT, UNCONFINED_TEXT
from readingroom.reading_session import DeniedAction, EndReason
from readingroom.viewing.reading_tally import ReadingTally

if TYPE_CHECKING:
    from readingroom.gui.reader.document_reader import DocumentReader

LIMIT_CHECK_MS = 60_000
_GEOMETRY = "window/geometry"
_STATE = "window/state"
DENIED_MESSAGE_MS = 4_000


class ViewerWindow(QMainWindow):
    """One reading session's window."""

    session_finished = Signal(int)  # exit code, once the session has ended and the window closed
    session_ending = Signal()  # before the reader stops and session_ended is written (notes)

    def __init__(
        self,
        reader: DocumentReader,
        bridge: SessionBridge,
        *,
        title: str,
        layout: QSettings,
        relock_dialog: Callable[[QWidget], UnlockDialog],
        idle_ms: int,
        limit_check_ms: int = LIMIT_CHECK_MS,
        kiosk: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """Compose the window around an already started session.

        Args:
            reader: the reading surface (it draws only watermarked page images).
            bridge: the started session.
            title: the window title, already passed through ``display_text``.
            layout: where the window's size and panel layout are kept (not the document).
            relock_dialog: builds the passphrase prompt shown after an idle lock.
            idle_ms: inactivity before the idle lock.
            limit_check_ms: how often expiry and the maximum session length are checked.
            kiosk: frameless and full screen, no way out but ending the session (show it with
                ``showFullScreen``); the window's size is then neither restored nor saved.
            parent: normally None (a top-level window).
        """
        super().__init__(parent)
        self.setObjectName("viewerWindow")
        self.setWindowTitle(title)
        self._reader = reader
        self._bridge = bridge
        self._layout = layout
        self._stopped = False
        self._finished = False
        self._exit_code = int(ExitCode.OK)
        self._focus_given = False
        self._kiosk: KioskGuard | None = None
        if kiosk:
            self._kiosk = KioskGuard(self)
            self._kiosk.close_refused.connect(
                lambda: self.statusBar().showMessage(KIOSK_CLOSE_TEXT, DENIED_MESSAGE_MS)
            )

        self._stack = CurtainStack(reader, self)
        self._stack.curtain.close_clicked.connect(self.close_session)
        self.setCentralWidget(self._stack)
        self._capture_label = QLabel(self)
        self._capture_label.setObjectName("captureStatus")
        self.statusBar().addPermanentWidget(self._capture_label)
        self._build_actions()
        self._presence = PresenceMonitor(self)
        self._presence.reader_left.connect(self._reader_left)
        self._presence.reader_returned.connect(self._reader_returned)

        self._rules = RoomRules(self, self)
        self._rules.action_denied.connect(self._denied)
        self._idle = self._comforts.idle_monitor(idle_ms)
        self._relock = IdleRelock(
            self, self._stack, bridge, self._idle,
            relock_dialog=relock_dialog, end_session=self.end_session,
        )  # fmt: skip
        self._limits = QTimer(self)
        self._limits.setInterval(max(1, limit_check_ms))
        self._limits.timeout.connect(self.check_limits)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._rules)
            app.installEventFilter(self._idle)

        bridge.follow_pages(reader.view)  # the session's clock measures page time
        reader.searched.connect(bridge.record_search)
        reader.external_link_blocked.connect(bridge.record_external_link)
        reader.external_link_blocked.connect(lambda _kind: self._tell(DeniedAction.EXTERNAL_LINK))
        bridge.audit_failed.connect(self._audit_failed)
        self._unconfined_reported = False
        reader.renderer_unconfined.connect(self._renderer_unconfined)
        if not reader.renderer_confined():
            self._renderer_unconfined()
        self._restore_layout()
        self._idle.restart()
        self._limits.start()

    # ----- what tests and the launcher look at ------------------------------------------------

    def exit_code(self) -> int:
        """The process exit code this session deserves (non-zero after an audit failure)."""
        return self._exit_code

    def is_covered(self) -> bool:
        """True while the curtain hides the page."""
        return self._stack.is_covered()

    def reader(self) -> DocumentReader:
        """The reading surface."""
        return self._reader

    def toolbar(self) -> ReadingToolbar:
        """The reading toolbar (page field, zoom indicator, icon buttons)."""
        return self._toolbar

    def curtain(self) -> Curtain:
        """The curtain widget (its message is a fixed viewer sentence)."""
        return self._stack.curtain

    def relock_dialog(self) -> UnlockDialog | None:
        """The passphrase prompt of the current idle lock, if one is up."""
        return self._relock.dialog()

    def set_capture_status(self, status: CaptureStatus | None) -> None:
        """Show what screen-capture protection is really in force on this machine.

        Where the workstation requires capture exclusion, a state other than "enforced" ends
        the session. This runs from the Show event (before the window reaches the screen) and
        whenever a recreated native window reads back less, so no page is shown unprotected.
        """
        if status is None:
            return
        self._capture_label.setText(status.text)
        self._capture_label.setToolTip(status.detail)
        if self._bridge.session.ended:
            return
        self._bridge.record_capture(status)
        if self._bridge.session.capture_required and not status.is_enforced():
            # Before our own showEvent the page has never been on screen: no page time (the
            # session's clock starts at pages_on_screen).
            self.end_session(EndReason.CAPTURE_NOT_ENFORCED)

    def is_kiosk(self) -> bool:
        """True when the window is the kiosk's full-screen, unleavable reading window."""
        return self._kiosk is not None

    def idle_interval_ms(self) -> int:
        """The inactivity before the idle lock, as in force for this session."""
        return self._idle.interval_ms()

    def comforts(self) -> WindowComforts:
        """Asking before ending, the summary, Help, the idle warning, the inverted mode."""
        return self._comforts

    def close_session(self) -> None:
        """End the session (reason "closed") and close the window: the reader's way out."""
        if self._kiosk is not None:
            self._kiosk.permit_close()
        self.close()

    # ----- actions -------------------------------------------------------------------------------

    def _reading_tally(self) -> ReadingTally:
        session = self._bridge.session
        return ReadingTally(
            self._reader.view.page_count(), session.visible_seconds, len(session.pages_seen(0.0))
        )

    def _build_actions(self) -> None:
        self._comforts = WindowComforts(
            self, tally=self._reading_tally, end=lambda: self.end_session(EndReason.CLOSED),
            close=self.close_session, ended=lambda: self._bridge.session.ended,
        )  # fmt: skip
        close = QAction("End session" if self._kiosk else "Close", self)
        close.setShortcuts(end_shortcuts())
        close.triggered.connect(self._comforts.ask_to_end)
        self._full_screen = QAction(action_icon("full-screen"), "Full screen", self)
        self._full_screen.setShortcuts([QKeySequence("F11")])
        self._full_screen.setCheckable(True)
        self._full_screen.toggled.connect(self._set_full_screen)
        document_menu = self.menuBar().addMenu("&Document")
        document_menu.addAction(close)
        view_menu = self.menuBar().addMenu("&View")
        for number, group in enumerate(self._reader.actions_.groups()):
            if number:
                view_menu.addSeparator()
            view_menu.addActions(group)
        self._invert = self._comforts.invert_action(self._reader.view)
        view_menu.addAction(self._invert)
        self._comforts.add_help_menu(self.menuBar())
        self._toolbar = ReadingToolbar(
            self._reader.actions_, self._reader.view, self._reader.jump_to_page, self
        )
        self.addToolBar(self._toolbar)
        if self._kiosk is not None:
            # A floating toolbar would be a window of its own, outside the kiosk's full screen;
            # and there is no full-screen toggle to leave by.
            self._toolbar.setMovable(False)
            self._toolbar.setFloatable(False)
            self._comforts.add_end_button(self._toolbar, close)
            return
        view_menu.addSeparator()
        view_menu.addAction(self._full_screen)
        self.addAction(self._full_screen)

    def _set_full_screen(self, on: bool) -> None:
        if on and not self.isFullScreen():
            self.showFullScreen()
        elif not on and self.isFullScreen():
            self.showNormal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Esc leaves full screen, except in kiosk mode (the reader's search bar takes it first)."""
        if event.key() == Qt.Key.Key_Escape and self.isFullScreen() and self._kiosk is None:
            self._full_screen.setChecked(False)
            event.accept()
            return
        super().keyPressEvent(event)

    # ----- the curtain ---------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Give the page the keyboard once, so PgDn and the arrows work at once after unlock."""
        super().showEvent(event)
        if not self._focus_given:
            self._focus_given = True
            self._reader.view.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
            self._bridge.pages_on_screen()

    def _renderer_unconfined(self) -> None:
        """Say so for the rest of the session, and record it once (workstations that cannot
        accept this set ``require_sandbox``, and then the document never opens)."""
        if self._unconfined_reported:
            return
        self._unconfined_reported = True
        label = QLabel(UNCONFINED_TEXT, self)
        label.setObjectName("rendererUnconfined")
        self.statusBar().addPermanentWidget(label)
        self._bridge.record_renderer_unconfined()

    def _reader_left(self) -> None:
        # Leaving after the session is over is not worth a record (closing hides the window).
        if self._bridge.session.ended:
            return
        self._stack.cover(
            Cover.AWAY, "The page is hidden while you are away from the reading room."
        )
        self._bridge.record_focus(lost=True)

    def _reader_returned(self) -> None:
        if not self._stack.has_cover(Cover.AWAY):
            return
        if not self._bridge.session.ended:
            self._bridge.record_focus(lost=False)
        self._stack.uncover(Cover.AWAY)

    # ----- rules, idle lock, limits, failure ------------------------------------------------

    def _denied(self, action: DeniedAction) -> None:
        self._bridge.record_denied(action)
        self._tell(action)

    def _tell(self, action: DeniedAction) -> None:
        self.statusBar().showMessage(
            f"{DENIED_TEXT[action]} The attempt was recorded.", DENIED_MESSAGE_MS
        )

    def check_limits(self) -> None:
        """End the session if the file expired or the maximum session length is reached."""
        reason = self._bridge.limit_reached()
        if reason is not None:
            self.end_session(reason)

    def end_session(self, reason: EndReason) -> None:
        """Cover the page, stop the reader, record ``session_ended``; the window stays up."""
        if self._bridge.session.ended:
            return
        self._stack.cover(Cover.ENDED, ENDED_TEXT.get(reason, ""), closable=True)
        self._stop_reading()
        self._bridge.end(reason)
        if self._exit_code == int(ExitCode.OK):  # no summary once the log has failed
            self._stack.curtain.set_summary(self._comforts.tally.summary())

    def _audit_failed(self) -> None:
        # Fail closed: cover first, then say why, then end (the final record may fail too).
        self._stack.cover(
            Cover.ENDED, f"{AuditUnavailable()} The reading session has ended.", closable=True
        )
        self._exit_code = int(ExitCode.AUDIT_UNAVAILABLE)
        self._stop_reading()
        self._bridge.end(EndReason.AUDIT_FAILURE)

    def _stop_reading(self) -> None:
        # Re-entered when ending the session fails the audit log: stop only once.
        if self._stopped:
            return
        self._stopped = True
        self.session_ending.emit()
        self._idle.stop()
        self._limits.stop()
        self._relock.close()
        for action in self._reader.reading_actions():
            action.setEnabled(False)
        # Nothing behind the ended curtain answers any more: no page field, zoom or buttons.
        self._toolbar.setEnabled(False)
        self._invert.setEnabled(False)
        self._comforts.session_stopped()
        self._reader.shutdown()

    # ----- closing and layout ---------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Every way out records ``session_ended`` (closing is reason "closed").

        A close the reader asked for through the window system (Alt+F4, the title bar's button)
        asks first; one from the program (a stop signal, the launcher) ends at once.
        """
        if event.spontaneous() and not self._finished and self._comforts.should_ask():
            event.ignore()
            self._comforts.ask_to_end()
            return
        self.end_session(EndReason.CLOSED)
        self._save_layout()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._rules)
            app.removeEventFilter(self._idle)
        event.accept()
        if not self._finished:
            self._finished = True
            self.session_finished.emit(self._exit_code)

    def _restore_layout(self) -> None:
        # In kiosk mode the screen decides the size; a saved desktop geometry would only fight
        # showFullScreen. The toolbar and the reader's panels are restored either way.
        geometry = self._layout.value(_GEOMETRY)
        state = self._layout.value(_STATE)
        if self._kiosk is None:
            if isinstance(geometry, QByteArray) and not geometry.isEmpty():
                self.restoreGeometry(geometry)
            else:
                self.resize(1100, 800)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        self._reader.restore_layout(self._layout)

    def _save_layout(self) -> None:
        if self._kiosk is None:
            self._layout.setValue(_GEOMETRY, self.saveGeometry())
        self._layout.setValue(_STATE, self.saveState())
        self._reader.save_layout(self._layout)
        self._layout.sync()
