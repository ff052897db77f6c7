"""The Notes tab: the reader's own words beside the document, sealed as they are typed.

What the panel shows and keeps comes from the Qt-free ``readingroom.notes.notes_session``; this
module is the widget and the room's refusals for it:

- nothing comes in: ``insertFromMimeData`` inserts nothing (Ctrl+V, Shift+Insert, the X11
  middle-click selection, a drop), and ``canInsertFromMimeData`` refuses every drop;
- nothing goes out: ``createMimeDataFromSelection`` returns empty data, which is what Qt puts
  on the clipboard, in the X11 PRIMARY selection and in a drag; Ctrl+C / Ctrl+X and a drag that
  starts on the selection are refused before that and recorded (``notes_blocked``);
- no context menu (its Copy and Paste would be another way round);
- input: the platform's keyboard input (and its input method, which typing Chinese or Arabic
  needs) stays on; ``ImhNoPredictiveText | ImhSensitiveData | ImhNoAutoUppercase`` ask an input
  method not to predict, learn or store what is typed. Qt itself has no spell-checker.

The header carries the reader's name and the session code, as the page watermark does, so a
photograph of the notes is traced to its session as a photograph of a page is.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from readingroom.notes.notes_session import NotesSession

AUTOSAVE_MS = 1_500
# RoomRules lets copy, cut and select-all through to a widget with this property (the editor
# refuses copy and cut itself, recorded as notes_blocked, and select-all is harmless here).
OWN_TEXT_PROPERTY = "readingroomOwnText"
PLACEHOLDER = "Your notes stay in the reading room, sealed for the custodian."


def page_mark(page_index: int) -> str:
    """The mark a note starts with: ``p. 17 — `` for the page being read (0-based index)."""
    return f"p. {page_index + 1} \u2014 "


class NotesEdit(QPlainTextEdit):
    """A plain-text editor that lets nothing in from the clipboard and nothing out."""

    blocked = Signal(str)  # "paste", "copy", "cut", "drag", "context menu"
    new_line_wanted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty editor with the room's input hints."""
        super().__init__(parent)
        self.setObjectName("notesEdit")
        self.setProperty(OWN_TEXT_PROPERTY, True)
        self.setAcceptDrops(False)
        self.setPlaceholderText(PLACEHOLDER)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setInputMethodHints(
            Qt.InputMethodHint.ImhNoPredictiveText
            | Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoAutoUppercase
        )
        self._press: QPoint | None = None
        self._drag_reported = False

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt override
        """Paste, middle-click and drop all end here: nothing is inserted."""
        self.blocked.emit("paste")

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802 - Qt override
        """No drop is ever accepted."""
        return False

    def createMimeDataFromSelection(self) -> QMimeData:  # noqa: N802 - Qt override
        """Whatever Qt would put on the clipboard, the selection or a drag: empty."""
        return QMimeData()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Refuse copy, cut and paste keys; Return starts a note with the page mark."""
        for sequence, action in (
            (QKeySequence.StandardKey.Copy, "copy"),
            (QKeySequence.StandardKey.Cut, "cut"),
            (QKeySequence.StandardKey.Paste, "paste"),
        ):
            if event.matches(sequence):
                event.accept()
                if not event.isAutoRepeat():
                    self.blocked.emit(action)
                return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.isReadOnly():
            event.accept()
            self.new_line_wanted.emit()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        """No context menu (its Copy and Paste would be another way round)."""
        event.accept()
        self.blocked.emit("context menu")

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Remember a press on the selection: moving from there would start a drag."""
        self._press = None
        if event.button() == Qt.MouseButton.LeftButton and self._on_selection(event):
            self._press = event.position().toPoint()
            self._drag_reported = False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """A drag of the selection is refused (once per press) and never starts."""
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            moved = (event.position().toPoint() - self._press).manhattanLength()
            if moved >= QApplication.startDragDistance():
                if not self._drag_reported:
                    self._drag_reported = True
                    self.blocked.emit("drag")
                event.accept()
                return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """The press is over."""
        self._press = None
        super().mouseReleaseEvent(event)

    def _on_selection(self, event: QMouseEvent) -> bool:
        selection = self.textCursor()
        if not selection.hasSelection():
            return False
        position = self.cursorForPosition(event.position().toPoint()).position()
        return selection.selectionStart() <= position < selection.selectionEnd()


class NotesPanel(QWidget):
    """The Notes tab: a header with the reader and session, the editor, and one status line."""

    message_shown = Signal(str)  # a sentence the window repeats in its status bar at once

    def __init__(
        self,
        notes: NotesSession,
        current_page: Callable[[], int],
        *,
        identity_line: str,
        parent: QWidget | None = None,
        autosave_ms: int = AUTOSAVE_MS,
    ) -> None:
        """Build the tab; :meth:`start` loads the notes (and records ``notes_opened``).

        Args:
            notes: the session's notes use case.
            current_page: the 0-based page being read, for the page mark.
            identity_line: the reader and session code, already through ``display_text``.
            parent: the side panel.
            autosave_ms: how long typing must pause before the notes are saved.
        """
        super().__init__(parent)
        self.setObjectName("notesPanel")
        self._notes = notes
        self._current_page = current_page
        self._finished = False
        self.header = QLabel(identity_line, self)
        self.header.setObjectName("notesIdentity")
        self.header.setWordWrap(True)
        self.editor = NotesEdit(self)
        self.status = QLabel(self)
        self.status.setObjectName("notesStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.header)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.status)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(autosave_ms)
        self._autosave.timeout.connect(self.save_now)
        self.editor.blocked.connect(self._blocked)
        self.editor.new_line_wanted.connect(self._new_line)
        if not notes.available:
            self.editor.hide()
            self.header.hide()
            self.status.setText(notes.refusal or "")

    def start(self) -> None:
        """Load the notes (continued, new, or a damaged file set aside) into the editor."""
        if not self._notes.available:
            return
        text = self._notes.open()
        self.editor.setPlainText(text)
        self.editor.moveCursor(self.editor.textCursor().MoveOperation.End)
        self.editor.textChanged.connect(self._autosave.start)
        self._show(self._notes.message, loud=self._notes.message is not None)
        self.editor.setReadOnly(self._notes.read_only)

    def focus_notes(self) -> None:
        """Give the editor the keyboard, on a new note marked with the current page."""
        if not self._notes.available or self._notes.read_only:
            return
        self.editor.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.editor.moveCursor(self.editor.textCursor().MoveOperation.End)
        last_line = self.editor.textCursor().block().text()
        if last_line.strip() and not _is_bare_mark(last_line):
            self.editor.insertPlainText("\n" + page_mark(self._current_page()))
        elif not last_line.strip():
            self.editor.insertPlainText(page_mark(self._current_page()))

    def save_now(self) -> bool:
        """Save what is in the editor now (the autosave, and the end of the session)."""
        self._autosave.stop()
        if not self._notes.available or self._notes.read_only:
            return False
        saved = self._notes.save(self.editor.toPlainText())
        if self._notes.read_only:
            self.editor.setReadOnly(True)
        self._show(self._notes.message, loud=not saved)
        return saved

    def finish(self, *, save: bool) -> None:
        """The session is ending: save a last time (unless the audit log failed), then freeze."""
        if self._finished:
            return
        self._finished = True
        if save:
            self.save_now()
        self._autosave.stop()
        self.editor.setReadOnly(True)

    def _new_line(self) -> None:
        self.editor.insertPlainText("\n" + page_mark(self._current_page()))

    def _blocked(self, action: str) -> None:
        self._show(self._notes.blocked(action), loud=True)

    def _show(self, message: str | None, *, loud: bool) -> None:
        self.status.setText(message or "")
        if message and loud:
            self.message_shown.emit(message)


def _is_bare_mark(line: str) -> bool:
    return line.startswith("p. ") and line.rstrip().endswith("\u2014")
