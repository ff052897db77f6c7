"""The viewer application: process hardening, the QApplication, and ``run_viewer``."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from readingroom.config import WorkstationConfig, load_config
from readingroom.errors import ReadingRoomError, UsageError, report_error
from readingroom.gui.capture_exclusion import CaptureExclusion, backend_for_platform
from readingroom.gui.kiosk import ReadingRoomKiosk
from readingroom.gui.resources import APP_ICON, load_icon, load_style_sheet
from readingroom.gui.stop_signals import StopSignals
from readingroom.gui.viewer_launcher import ViewerLauncher, ViewerTuning, ViewRequest
from readingroom.hardening import disable_core_dumps

# The Wayland app id and the name of packaging/linux/io.github.readingroom.ReadingRoom.desktop:
# the compositor matches the two to show the right icon and name for our windows.
APP_ID = "io.github.readingroom.ReadingRoom"


def application() -> QApplication:
    """The process's QApplication, created once with the viewer's style sheet."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication([sys.argv[0] if sys.argv else "readingroom"])
    app.setApplicationName("ReadingRoom")
    app.setDesktopFileName(APP_ID)
    # Every window (dialogs too) inherits it; a missing file only leaves the platform's default.
    app.setWindowIcon(load_icon(*APP_ICON))
    # The launcher decides when the session is over (a dialog closing is not the end).
    app.setQuitOnLastWindowClosed(False)
    app.setStyleSheet(load_style_sheet("viewer"))
    return app


def run_viewer(
    request: ViewRequest | None,
    *,
    kiosk: bool = False,
    config: WorkstationConfig | None = None,
    tuning: ViewerTuning | None = None,
) -> int:
    """Run the viewer and return the process exit code.

    Without kiosk mode (neither ``kiosk`` nor the configuration's ``kiosk = true``) it opens
    ``request`` and returns when that session is over. In kiosk mode it shows the chooser
    (opening ``request`` first, if given) and never returns on its own: sessions end back at
    the chooser, and only an administrator stops the process.

    Raises:
        ReadingRoomError: only for a failure before any window exists (the configuration, or
            no file to open); it is shown in a message box first, and the CLI prints it on
            stderr and exits with its code. Later failures are shown in the viewer.
    """
    disable_core_dumps()
    app = application()
    try:
        config = config or load_config()
        if request is None and not (kiosk or config.kiosk):
            raise UsageError("Give a review file to open, or use --kiosk.")
    except ReadingRoomError as error:
        show_stopping_error(error)
        raise
    capture = CaptureExclusion(backend_for_platform(app.platformName()))
    app.installEventFilter(capture)
    stops = StopSignals.install()
    try:
        if kiosk or config.kiosk:
            return _run_kiosk(app, config, capture, tuning, request, stops=stops)
        assert request is not None
        return _run_once(app, config, capture, tuning, request, stops=stops)
    finally:
        if stops is not None:
            stops.close()
        app.removeEventFilter(capture)


def show_stopping_error(error: ReadingRoomError) -> None:
    """Show ``str(error)`` (a fixed, safe message) in a modal box and wait for OK."""
    box = QMessageBox(QMessageBox.Icon.Critical, "ReadingRoom", str(error))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def _run_once(
    app: QApplication,
    config: WorkstationConfig,
    capture: CaptureExclusion,
    tuning: ViewerTuning | None,
    request: ViewRequest,
    *,
    stops: StopSignals | None,
) -> int:
    launcher = ViewerLauncher(request, config, capture=capture, tuning=tuning)
    launcher.finished.connect(app.exit)
    if stops is not None:
        # Stopped from outside (logout, kill, timeout): end the session as closing would.
        stops.stop_signal_received.connect(lambda _signum: launcher.stop())
    # The same one line the CLI prints for every error, for whoever started us from a terminal.
    launcher.failed.connect(report_error)
    # Start inside the event loop, so an early failure's app.exit() is not lost.
    QTimer.singleShot(0, launcher.start)
    code = app.exec()
    return launcher.exit_code if launcher.exit_code is not None else code


def _run_kiosk(
    app: QApplication,
    config: WorkstationConfig,
    capture: CaptureExclusion,
    tuning: ViewerTuning | None,
    request: ViewRequest | None,
    *,
    stops: StopSignals | None,
) -> int:
    kiosk = ReadingRoomKiosk(config, capture=capture, tuning=tuning, first_request=request)
    # Kiosk output goes to the display manager's session log: one line per stopping error.
    kiosk.failed.connect(report_error)
    if stops is not None:
        stops.stop_signal_received.connect(lambda _signum: app.exit(0))
    QTimer.singleShot(0, kiosk.start)
    # Nothing in the kiosk calls exit: this returns only if the application is told to quit
    # from outside (a termination signal, the display server's session ends). An open session
    # is then ended and recorded as closed; only a process killed outright (SIGKILL, power
    # loss) leaves that to the next start's crash recovery.
    try:
        return app.exec()
    finally:
        kiosk.shutdown()
