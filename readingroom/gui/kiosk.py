"""Kiosk mode: a reading-room workstation that never shows the desktop.

``readingroom view --kiosk`` (or ``kiosk = true`` in the workstation configuration) shows the
chooser full screen and frameless. Choosing a review file runs the ordinary
:class:`~readingroom.gui.viewer_launcher.ViewerLauncher` (audit log, unlock, notice, reading
window), with a kiosk reading window; when that session is over, however it ended, the chooser
comes back instead of the process exiting. Nothing the reader can do stops the process: an
administrator does (ending the kiosk account's session, or stopping the process with a signal:
a session open at that moment is recorded as closed; only a process killed outright leaves it
to crash recovery on the next start).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog

from readingroom.config import WorkstationConfig
from readingroom.errors import ReadingRoomError
from readingroom.gui.capture_exclusion import CaptureExclusion
from readingroom.gui.kiosk_guard import KioskGuard
from readingroom.gui.viewer_launcher import ViewerLauncher, ViewerTuning, ViewRequest
from readingroom.gui.widgets.review_chooser import ReviewChooser
from readingroom.review_folder import FolderListing, list_review_files
from readingroom.trust import TrustStore


class ReadingRoomKiosk(QObject):
    """The chooser that is always there, and one launcher at a time for the file chosen."""

    failed = Signal(str)  # a session's stopping error, as the launcher reported it
    session_launched = Signal()  # a launcher started for a chosen (or given) file
    chooser_returned = Signal()  # a session is over and the chooser is shown again

    def __init__(
        self,
        config: WorkstationConfig,
        *,
        capture: CaptureExclusion | None = None,
        tuning: ViewerTuning | None = None,
        first_request: ViewRequest | None = None,
        parent: QObject | None = None,
    ) -> None:
        """Prepare the chooser; nothing is shown until :meth:`start`.

        Args:
            config: the workstation configuration (its ``review_folder`` is listed).
            capture: screen-capture exclusion, handed to every reading window.
            tuning: the launchers' knobs (tests shorten them).
            first_request: a file named on the command line, opened at once (its passphrase
                options apply to it only; files chosen later always ask).
            parent: normally None.
        """
        super().__init__(parent)
        self._config = config
        self._capture = capture
        self._tuning = tuning
        self._first_request = first_request
        self._stopping = False
        self.launcher: ViewerLauncher | None = None
        self.chooser = ReviewChooser(self._list_files, workstation=config.workstation_name)
        self._guard = KioskGuard(self.chooser)
        self.chooser.review_chosen.connect(self.open_review)

    def _list_files(self) -> FolderListing:
        # The trust store is read at every refresh: the administrator may have changed it.
        try:
            trust = TrustStore.load(self._config.trust_store)
        except ReadingRoomError as error:
            return FolderListing(self._config.review_folder, (), str(error))
        return list_review_files(self._config.review_folder, trust)

    def start(self) -> None:
        """Show the chooser full screen, then open the file given on the command line, if any."""
        self._show_chooser()
        request, self._first_request = self._first_request, None
        if request is not None:
            self._launch(request)

    def open_review(self, path: Path) -> None:
        """Start the unlock flow for ``path`` (ignored while a session is under way)."""
        if self.launcher is None and not self._stopping:
            self._launch(ViewRequest(path=path))

    def _launch(self, request: ViewRequest) -> None:
        launcher = ViewerLauncher(
            request,
            self._config,
            capture=self._capture,
            tuning=self._tuning,
            kiosk=True,
            dialog_parent=self.chooser,
        )
        launcher.failed.connect(self.failed)
        launcher.window_shown.connect(self.chooser.hide)
        launcher.finished.connect(self._session_over)
        self.launcher = launcher
        self.session_launched.emit()
        launcher.start()

    def _session_over(self, _code: int) -> None:
        launcher, self.launcher = self.launcher, None
        if launcher is None:
            return
        # A kiosk runs for weeks: free what the finished session built. The audit log is
        # already closed and the plaintext wiped by the launcher.
        if launcher.window is not None:
            launcher.window.deleteLater()
        for dialog in self.chooser.findChildren(QDialog):
            if not dialog.isVisible():
                dialog.deleteLater()
        launcher.deleteLater()
        if not self._stopping:
            self._show_chooser()
            self.chooser_returned.emit()

    def _show_chooser(self) -> None:
        self.chooser.refresh()
        self.chooser.showFullScreen()
        self.chooser.raise_()
        self.chooser.activateWindow()

    def shutdown(self) -> None:
        """End any session (recorded as closed) and close the chooser.

        Called when the process is told to stop (a termination signal, the display session
        ending) and by tests. Nothing in the kiosk's own interface calls it: a reader cannot
        stop the kiosk.
        """
        self._stopping = True
        if self.launcher is not None:
            self.launcher.stop()
        self._guard.permit_close()
        self.chooser.close()
