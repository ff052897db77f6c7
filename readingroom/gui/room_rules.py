"""The room's rules for input: keys, context menus and drags that would take a page out.

:class:`RoomRules` is an application event filter scoped to the viewer's windows. It swallows
the events and emits ``action_denied`` with the audit word for what was tried; the window then
records it and tells the reader. Nothing here ever touches the clipboard. Copy, cut and
select-all inside an editable text field (the search box, the page number) are the reader's own
text and pass untouched, unrecorded; only attempts on the document count.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from readingroom.reading_session import DeniedAction

# Standard key sequences follow the platform (Ctrl+C here, Cmd+C on macOS, Ctrl+Insert too).
_DENIED_SEQUENCES: tuple[tuple[QKeySequence.StandardKey, DeniedAction], ...] = (
    (QKeySequence.StandardKey.Copy, DeniedAction.COPY),
    (QKeySequence.StandardKey.Cut, DeniedAction.CUT),
    (QKeySequence.StandardKey.SelectAll, DeniedAction.SELECT_ALL),
    (QKeySequence.StandardKey.Print, DeniedAction.PRINT),
    (QKeySequence.StandardKey.Save, DeniedAction.SAVE),
    (QKeySequence.StandardKey.SaveAs, DeniedAction.SAVE),
)
# PrintScreen (and Alt+PrintScreen, which some keyboards report as SysReq). The desktop may take
# the key before we see it: then there is nothing to record, which is why capture exclusion and
# the watermark matter more than this.
_SCREENSHOT_KEYS = frozenset({Qt.Key.Key_Print, Qt.Key.Key_SysReq})
# Editing keys that act on the reader's own typing when a text field has the keyboard (the
# search query, the page number). Document text never reaches a widget, so inside such a field
# they cannot reach the document: refusing them there would be a false alarm in the audit log.
_FIELD_EDITING_ACTIONS = frozenset({DeniedAction.COPY, DeniedAction.CUT, DeniedAction.SELECT_ALL})


def denied_action_for_key(event: QKeyEvent) -> DeniedAction | None:
    """The denied action a key event asks for, or None when the key is allowed."""
    if Qt.Key(event.key()) in _SCREENSHOT_KEYS:
        return DeniedAction.SCREENSHOT_KEY
    for sequence, action in _DENIED_SEQUENCES:
        if event.matches(sequence):
            return action
    return None


class RoomRules(QObject):
    """Swallows copy/cut/select-all/print/save/screenshot keys, context menus and drags out."""

    action_denied = Signal(object)  # DeniedAction

    def __init__(self, guarded: QWidget, parent: QObject | None = None) -> None:
        """Guard ``guarded`` (a top-level window) and every widget inside it."""
        super().__init__(parent)
        self._guarded = guarded
        self._drag_reported = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Return True (consume) for every event the room refuses."""
        if not isinstance(watched, QWidget) or watched.window() is not self._guarded:
            return False
        kind = event.type()
        if isinstance(event, QKeyEvent):
            return self._key(watched, kind, event)
        if kind == QEvent.Type.ContextMenu:
            self.action_denied.emit(DeniedAction.CONTEXT_MENU)
            return True
        if isinstance(event, QMouseEvent):
            self._watch_drag(kind, event)
            return False
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            # Nothing is dropped into the room either; refusing is not worth a record.
            event.ignore()
            return True
        return False

    def _key(self, watched: QWidget, kind: QEvent.Type, event: QKeyEvent) -> bool:
        action = denied_action_for_key(event)
        if action is None:
            return False
        if action in _FIELD_EDITING_ACTIONS and _is_own_text_field(watched):
            return False  # the field handles it on its own text (ShortcutOverride included)
        if kind == QEvent.Type.ShortcutOverride:
            # Accepting the override stops any QAction bound to the key from firing; the key
            # press that follows is then refused (and recorded) once.
            event.accept()
        elif kind == QEvent.Type.KeyPress and not event.isAutoRepeat():
            self.action_denied.emit(action)
        return True

    def _watch_drag(self, kind: QEvent.Type, event: QMouseEvent) -> None:
        # Panning a page with the mouse is fine; the same gesture leaving the window is an
        # attempt to drag the page out, recorded once per press. The event is not consumed, so
        # the page view keeps its panning.
        if kind == QEvent.Type.MouseButtonPress:
            self._drag_reported = False
        elif (
            kind == QEvent.Type.MouseMove
            and event.buttons() & Qt.MouseButton.LeftButton
            and not self._drag_reported
        ):
            position = event.globalPosition().toPoint()
            if not self._guarded.frameGeometry().contains(position):
                self._drag_reported = True
                self.action_denied.emit(DeniedAction.DRAG)


def _is_own_text_field(widget: QWidget) -> bool:
    """True for an editable, visibly echoed line edit: it holds only what the reader typed.

    The notes editor (``gui/reader/notes_panel.py``) says so with a property: it refuses copy
    and cut itself and records them as ``notes_blocked``.
    """
    if widget.property("readingroomOwnText") is True:
        return True
    return (
        isinstance(widget, QLineEdit)
        and not widget.isReadOnly()
        and widget.echoMode() == QLineEdit.EchoMode.Normal
    )
