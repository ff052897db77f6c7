"""The idle lock of a reading window: cover the page, ask for the factor again, lift or end.

After a period of inactivity the page goes behind the curtain and ``idle_locked`` is recorded;
a prompt (built by the launcher, see ``gui.dialogs.unlock_prompts.relock_prompt``) asks for the
session's factor again. Proving it lifts the curtain; a refusal or Cancel ends the session.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from readingroom.errors import Expired, ReadingRoomError
from readingroom.gui.dialogs.unlock_dialog import UnlockDialog
from readingroom.gui.idle_monitor import IdleMonitor
from readingroom.gui.session_bridge import SessionBridge
from readingroom.gui.widgets.curtain_stack import Cover, CurtainStack
from readingroom.reading_session import EndReason

LOCKED_TEXT = "Locked after a period of inactivity. Enter your passphrase."


class IdleRelock:
    """Locks ``window`` when ``idle`` times out and runs the prompt that unlocks it."""

    def __init__(
        self,
        window: QWidget,
        stack: CurtainStack,
        bridge: SessionBridge,
        idle: IdleMonitor,
        *,
        relock_dialog: Callable[[QWidget], UnlockDialog],
        end_session: Callable[[EndReason], None],
    ) -> None:
        """Wire to ``idle``'s time-out; ``end_session`` ends the window's session."""
        self._window = window
        self._stack = stack
        self._bridge = bridge
        self._idle = idle
        self._relock_dialog = relock_dialog
        self._end_session = end_session
        self._relock: UnlockDialog | None = None
        idle.idle_timed_out.connect(self.lock)

    def dialog(self) -> UnlockDialog | None:
        """The passphrase prompt of the current idle lock, if one is up."""
        return self._relock

    def lock(self) -> None:
        """Cover the page, record the lock and ask for the factor (once; not after the end)."""
        if self._stack.has_cover(Cover.ENDED) or self._relock is not None:
            return
        self._stack.cover(Cover.IDLE, LOCKED_TEXT)
        self._bridge.record_idle_locked(self._idle.interval_ms() / 1000)
        if self._stack.has_cover(Cover.ENDED):
            return  # the audit log failed while locking
        dialog = self._relock_dialog(self._window)
        dialog.unlocked.connect(self._relocked)
        dialog.attempt_failed.connect(self._bridge.record_unlock_failed)
        dialog.refused.connect(self._relock_refused)
        dialog.rejected.connect(self._relock_cancelled)
        self._relock = dialog
        dialog.open()

    def close(self) -> None:
        """Close a prompt that is up (the session is ending)."""
        if self._relock is not None:
            dialog, self._relock = self._relock, None
            dialog.close()

    def _relocked(self, _result: object) -> None:
        self._relock = None
        self._bridge.record_unlocked()
        if not self._stack.has_cover(Cover.ENDED):
            self._stack.uncover(Cover.IDLE)
            self._idle.restart()
        # Give the keyboard back to the page: without a window manager (a bare X server, some
        # kiosks) nothing else does once the prompt closes, and shortcuts need an active window.
        self._window.activateWindow()

    def _relock_refused(self, error: ReadingRoomError) -> None:
        self._relock = None
        self._end_session(EndReason.EXPIRED if isinstance(error, Expired) else EndReason.IDLE)

    def _relock_cancelled(self) -> None:
        if self._relock is not None:
            self._relock = None
            self._end_session(EndReason.IDLE)
