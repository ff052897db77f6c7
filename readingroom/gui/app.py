"""The viewer application: process hardening, the QApplication, and ``run_viewer``."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from readingroom.cli import report_error
from readingroom.config import WorkstationConfig, load_config
from readingroom.errors import ReadingRoomError
from readingroom.gui.capture_exclusion import CaptureExclusion, backend_for_platform
from readingroom.gui.resources import load_style_sheet
from readingroom.gui.viewer_launcher import ViewerLauncher, ViewerTuning, ViewRequest


def disable_core_dumps() -> None:
    """Set RLIMIT_CORE to 0 so a crash cannot write the plaintext to a core file (POSIX).

    The hard limit goes to 0 as well, so nothing later in the process can raise it again.
    """
    try:
        import resource  # noqa: PLC0415 - POSIX only
    except ImportError:
        return
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        # Already 0 or not permitted to lower the hard limit: lower what we can.
        _, hard = resource.getrlimit(resource.RLIMIT_CORE)
        resource.setrlimit(resource.RLIMIT_CORE, (0, hard))


def application() -> QApplication:
    """The process's QApplication, created once with the viewer's style sheet."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication([sys.argv[0] if sys.argv else "readingroom"])
    app.setApplicationName("ReadingRoom")
    app.setDesktopFileName("readingroom")
    # The launcher decides when the session is over (a dialog closing is not the end).
    app.setQuitOnLastWindowClosed(False)
    app.setStyleSheet(load_style_sheet("viewer"))
    return app


def run_viewer(
    request: ViewRequest,
    *,
    config: WorkstationConfig | None = None,
    tuning: ViewerTuning | None = None,
) -> int:
    """Open one review file in the viewer and return the process exit code.

    Raises:
        ReadingRoomError: only for a failure before any window exists (the configuration);
            later failures are shown in the viewer and turned into the exit code.
    """
    disable_core_dumps()
    app = application()
    try:
        config = config or load_config()
    except ReadingRoomError as error:
        QMessageBox.critical(None, "ReadingRoom", str(error))
        raise
    capture = CaptureExclusion(backend_for_platform(app.platformName()))
    app.installEventFilter(capture)
    launcher = ViewerLauncher(request, config, capture=capture, tuning=tuning)
    launcher.finished.connect(app.exit)
    # The same one line the CLI prints for every error, for whoever started us from a terminal.
    launcher.failed.connect(report_error)
    # Start inside the event loop, so an early failure's app.exit() is not lost.
    QTimer.singleShot(0, launcher.start)
    try:
        code = app.exec()
    finally:
        app.removeEventFilter(capture)
    return launcher.exit_code if launcher.exit_code is not None else code
