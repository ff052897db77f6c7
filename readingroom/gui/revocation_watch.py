"""Ends a reading session when a revocation list that withdraws its file arrives.

The workstation's ``revocation_dir`` is watched (``QFileSystemWatcher``: a list copied or renamed
into the folder changes the folder), and read again on a slow timer as well, because a watcher
can miss changes on network file systems. The check itself is the Qt-free
``SessionOpener.is_revoked_now()``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

POLL_MS = 60_000


class RevocationWatch(QObject):
    """Emits ``revoked`` once, when the open file is found withdrawn."""

    revoked = Signal()

    def __init__(
        self,
        folder: Path,
        is_revoked: Callable[[], bool],
        parent: QObject | None = None,
        *,
        poll_ms: int = POLL_MS,
    ) -> None:
        """Watch ``folder``; ``is_revoked`` reads the lists again and checks the open file."""
        super().__init__(parent)
        self._is_revoked = is_revoked
        self._fired = False
        self._watcher = QFileSystemWatcher(self)
        if folder.is_dir():
            self._watcher.addPath(str(folder))
        self._watcher.directoryChanged.connect(self.check)
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        """Read the lists again; emit ``revoked`` (once) if the open file is withdrawn."""
        if self._fired:
            return
        if self._is_revoked():
            self._fired = True
            self._timer.stop()
            self.revoked.emit()

    def stop(self) -> None:
        """Stop watching (the session has ended)."""
        self._timer.stop()
        self._watcher.removePaths(self._watcher.directories())
