"""Helpers for the viewer-flow tests: a real sealed file, a real launcher, real audit records.

(No tests here; the viewer test modules import these helpers.)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from readingroom.config import CONFIG_FILE_NAME, WorkstationConfig, load_config
from readingroom.gui.dialogs.unlock_dialog import UnlockDialog
from readingroom.gui.main_window import ViewerWindow
from readingroom.gui.viewer_launcher import ViewerLauncher, ViewerTuning, ViewRequest
from readingroom.passphrases import PassphraseSource
from readingroom.policy import Policy
from tests.audit.helpers import all_records
from tests.factories import PASSPHRASE, seal_fixture
from tests.gui.sample_pdf import build_test_pdf

WAIT_MS = 10_000


@dataclass
class Sealed:
    """A review file on disk and the passphrase file that opens it."""

    path: Path
    passphrase_file: Path
    config: WorkstationConfig


def write_workstation_config(home: Path, **settings: object) -> Path:
    """Write ``home``'s workstation.toml with ``settings`` (strings, paths, bools, ints)."""
    lines = []
    for key, value in settings.items():
        if isinstance(value, bool):
            lines.append(f"{key} = {'true' if value else 'false'}")
        elif isinstance(value, int):
            lines.append(f"{key} = {value}")
        else:
            lines.append(f"{key} = {json.dumps(str(value))}")
    path = home / CONFIG_FILE_NAME
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o644)
    return path


def write_sealed(
    home: Path,
    folder: Path,
    *,
    policy: Policy | None = None,
    name: str = "review.rrf",
    **seal: Any,
) -> Sealed:
    """Seal the canary test PDF for the test reader and write it to ``folder`` as ``name``."""
    sealed = seal_fixture(home, pdf=build_test_pdf(), policy=policy, **seal)
    path = folder / name
    path.write_bytes(sealed.data)
    passphrase_file = folder / "passphrase.txt"
    passphrase_file.write_bytes(PASSPHRASE + b"\n")
    return Sealed(path, passphrase_file, load_config(home))


def events(config: WorkstationConfig) -> list[dict[str, Any]]:
    """The caller events recorded so far (checkpoints and log bookkeeping left out)."""
    return [
        record
        for record in all_records(config.audit_dir)
        if record["event"] not in {"checkpoint", "log_created"}
    ]


def event_names(config: WorkstationConfig) -> list[str]:
    """The names of :func:`events`."""
    return [str(record["event"]) for record in events(config)]


class Viewer:
    """Starts a real launcher and cleans up whatever it left open."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.launchers: list[ViewerLauncher] = []

    def launch(
        self,
        sealed: Sealed,
        *,
        with_passphrase_file: bool = True,
        tuning: ViewerTuning | None = None,
        request: ViewRequest | None = None,
    ) -> ViewerLauncher:
        """Start the launcher on ``sealed`` (or ``request``); it runs up to its first dialog."""
        request = request or ViewRequest(
            path=sealed.path,
            passphrase=PassphraseSource(
                file=sealed.passphrase_file if with_passphrase_file else None
            ),
        )
        launcher = ViewerLauncher(
            request, sealed.config, tuning=tuning or ViewerTuning(delay_for=lambda _n: 0.0)
        )
        self.launchers.append(launcher)
        launcher.start()
        self.settle(launcher)
        return launcher

    def settle(self, launcher: ViewerLauncher) -> None:
        """Let the launcher's worker finish its step (opening, or an unlock attempt)."""
        self.qtbot.waitUntil(lambda: not launcher.is_busy(), timeout=WAIT_MS)

    def try_unlock(self, dialog: UnlockDialog, passphrase: str) -> None:
        """Type ``passphrase``, press Unlock and wait for the attempt to end."""
        dialog.set_passphrase(passphrase)
        dialog.try_unlock()
        self.qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=WAIT_MS)

    def open_window(
        self,
        sealed: Sealed,
        *,
        tuning: ViewerTuning | None = None,
        activate: bool = True,
        request: ViewRequest | None = None,
    ) -> ViewerWindow:
        """Go through unlock (passphrase file, or ``request``) and the notice to a window."""
        launcher = self.launch(sealed, tuning=tuning, request=request)
        assert launcher.notice_dialog is not None
        launcher.notice_dialog.accept()
        # The window follows once the renderer has opened the document (off the UI thread).
        self.qtbot.waitUntil(lambda: launcher.window is not None, timeout=WAIT_MS)
        window = launcher.window
        assert window is not None
        self.qtbot.waitExposed(window)
        if activate:
            window.activateWindow()
            self.qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
        return window

    def close_all(self) -> None:
        """Close every window and dialog and make each launcher finish (audit log closed)."""
        for launcher in self.launchers:
            for dialog in (launcher.unlock_dialog, launcher.notice_dialog):
                if dialog is not None:
                    dialog.reject()
            if launcher.window is not None:
                relock = launcher.window.relock_dialog()
                if relock is not None:
                    relock.reject()
                launcher.window.close()
            if launcher.message_box is not None:
                launcher.message_box.done(0)
            assert launcher.is_finished()
