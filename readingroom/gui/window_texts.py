"""The reading window's fixed sentences: refused actions, the ended curtain, status notices.

Each is the viewer's own wording (never document text), shown in the status bar or on the
curtain by :class:`~readingroom.gui.main_window.ViewerWindow`.
"""

from __future__ import annotations

from readingroom.reading_session import DeniedAction, EndReason

DENIED_TEXT = {
    DeniedAction.COPY: "Copying is not allowed in the reading room.",
    DeniedAction.CUT: "Cutting is not allowed in the reading room.",
    DeniedAction.SELECT_ALL: "Selecting text is not allowed in the reading room.",
    DeniedAction.PRINT: "Printing is not allowed in the reading room.",
    DeniedAction.SAVE: "Saving is not allowed in the reading room.",
    DeniedAction.SCREENSHOT_KEY: "Screenshots are not allowed in the reading room.",
    DeniedAction.DRAG: "Dragging out of the reading room is not allowed.",
    DeniedAction.CONTEXT_MENU: "There is no context menu in the reading room.",
    DeniedAction.EXTERNAL_LINK: "Links to outside the document are not opened.",
}

UNCONFINED_TEXT = "Reduced protection: the document renderer runs without its sandbox."

KIOSK_CLOSE_TEXT = "The reading room stays open. To finish, choose End session (Ctrl+W)."

ENDED_TEXT = {
    EndReason.EXPIRED: "This review file has expired. The reading session has ended.",
    EndReason.MAX_TIME: "The maximum reading time has been reached. The reading session has ended.",
    EndReason.IDLE: "The reading session has ended after a period of inactivity.",
    EndReason.CLOSED: "The reading session has ended.",
    EndReason.CAPTURE_NOT_ENFORCED: (
        "Screen capture is not blocked on this window, which this workstation requires. "
        "The reading session has ended."
    ),
    EndReason.REVOKED: (
        "The publisher has withdrawn this review file. The reading session has ended."
    ),
}
