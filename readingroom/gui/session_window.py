"""The last step of a ``view``: the reading window assembled around a started session.

The launcher (:mod:`readingroom.gui.viewer_launcher`) calls :func:`build_session_window` once
the notice is acknowledged and the renderer has opened the document; it then shows the window.
Here the reader, the session's Qt bridge, the room's window, the notes panel, the capture status
and the revocation watch are put together and wired to one another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings

from readingroom.config import WorkstationConfig
from readingroom.display_text import display_text
from readingroom.gui.capture_exclusion import CaptureExclusion
from readingroom.gui.dialogs.unlock_prompts import relock_prompt
from readingroom.gui.main_window import ViewerWindow
from readingroom.gui.notes_wiring import install_notes
from readingroom.gui.revocation_watch import RevocationWatch
from readingroom.gui.session_bridge import SessionBridge
from readingroom.reading_session import EndReason, ReadingSession
from readingroom.review_file import OpenedReview
from readingroom.viewing.open_session import SessionOpener

if TYPE_CHECKING:
    from readingroom.gui.reader.notes_panel import NotesPanel
    from readingroom.gui.rendering.render_worker import RenderWorker
    from readingroom.watermark import WatermarkSpec

LAYOUT_FILE_NAME = "viewer-layout.ini"


@dataclass(frozen=True)
class SessionWindow:
    """The reading window and the parts of it the launcher keeps (tests reach them there)."""

    window: ViewerWindow
    notes_panel: NotesPanel | None
    revocation_watch: RevocationWatch | None


def build_session_window(
    opened: OpenedReview,
    session: ReadingSession,
    opener: SessionOpener,
    worker: RenderWorker,
    watermark: WatermarkSpec,
    *,
    config: WorkstationConfig,
    capture: CaptureExclusion | None,
    kiosk: bool,
    idle_ms: int | None,
    limit_check_ms: int,
    delay_for: Callable[[int], float],
    finish: Callable[[int], None],
    owner: QObject,
) -> SessionWindow:
    """Build the (not yet shown) window; ``finish`` runs when its session has finished."""
    manifest = opened.manifest
    from readingroom.gui.reader.document_reader import DocumentReader  # noqa: PLC0415

    reader = DocumentReader(opened.pdf, watermark, worker=worker)
    # The stricter of the file's policy and the workstation's idle_minutes_max.
    idle_minutes = max(1, session.idle_lock_minutes)
    bridge = SessionBridge(session)
    window = ViewerWindow(
        reader,
        bridge,
        title=f"{display_text(manifest.title, max_chars=80)} \u2014 ReadingRoom",
        layout=QSettings(str(config.home / LAYOUT_FILE_NAME), QSettings.Format.IniFormat),
        relock_dialog=partial(relock_prompt, opener, delay_for=delay_for),
        idle_ms=idle_ms or idle_minutes * 60_000,
        limit_check_ms=limit_check_ms,
        kiosk=kiosk,
    )
    notes_panel = install_notes(window, reader, bridge, manifest, config)
    if capture is not None:
        capture.status_changed.connect(window.set_capture_status)
    window.session_finished.connect(finish)
    watch = None
    if config.revocation_dir is not None:
        watch = RevocationWatch(config.revocation_dir, opener.is_revoked_now, owner)
        watch.revoked.connect(lambda: window.end_session(EndReason.REVOKED))
        window.session_finished.connect(lambda _code: watch.stop())
    return SessionWindow(window, notes_panel, watch)
