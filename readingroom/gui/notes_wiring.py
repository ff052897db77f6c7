"""Puts the Notes tab into a viewer window: the panel, Ctrl+Shift+N, the last save at the end.

The window and the reader know nothing about notes; this module connects the panel to them
(the side panel's tab, the status bar, ``ViewerWindow.session_ending``) and to the session's
audit recorder (``SessionBridge.record_notes``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from readingroom.display_text import display_text
from readingroom.gui.reader.notes_panel import NotesPanel
from readingroom.notes.notes_session import NotesSession

if TYPE_CHECKING:
    from readingroom.config import WorkstationConfig
    from readingroom.gui.main_window import ViewerWindow
    from readingroom.gui.reader.document_reader import DocumentReader
    from readingroom.gui.session_bridge import SessionBridge
    from readingroom.manifest import Manifest

NOTES_SHORTCUT = "Ctrl+Shift+N"
MESSAGE_MS = 8_000


def install_notes(
    window: ViewerWindow,
    reader: DocumentReader,
    bridge: SessionBridge,
    manifest: Manifest,
    config: WorkstationConfig,
) -> NotesPanel:
    """Add the Notes tab to ``reader`` in ``window`` and load the reader's notes."""
    session = bridge.session
    notes = NotesSession.for_review(manifest, config, bridge.record_notes, session.session_code)
    reader_line = display_text(manifest.policy.reader.name, max_chars=60)
    panel = NotesPanel(
        notes,
        reader.current_page,
        identity_line=f"Notes \u00b7 {reader_line} \u00b7 Session {session.session_code}",
        parent=reader,
    )
    reader.add_side_tab(panel, "Notes")
    focus = QAction("Notes", window)
    focus.setObjectName("focusNotes")
    focus.setShortcut(QKeySequence(NOTES_SHORTCUT))

    def show_notes() -> None:
        reader.show_side_tab(panel)
        panel.focus_notes()

    focus.triggered.connect(show_notes)
    window.addAction(focus)
    panel.message_shown.connect(lambda text: window.statusBar().showMessage(text, MESSAGE_MS))
    # The last save goes before session_ended; after an audit failure nothing is written that
    # the log could not record.
    window.session_ending.connect(lambda: panel.finish(save=not bridge.session.failed))
    panel.start()
    return panel
