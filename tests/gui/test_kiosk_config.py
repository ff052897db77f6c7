"""``readingroom view`` and the workstation configuration: errors shown, kiosk and idle settings."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from readingroom.cli import main
from readingroom.config import CONFIG_FILE_NAME
from readingroom.errors import ExitCode
from readingroom.gui.widgets.review_chooser import ReviewChooser
from readingroom.policy import Policy
from tests.factories import READER
from tests.gui.test_session_fixtures import Viewer, write_sealed, write_workstation_config

POLLS = 1000  # at 10 ms each: a bound so a missing window fails the test instead of hanging


def _when_shown(find: Callable[[], QWidget | None], act: Callable[[QWidget], None]) -> None:
    """Run ``act`` on the widget ``find`` returns, once the running event loop shows it."""
    remaining = [POLLS]

    def poll() -> None:
        widget = find()
        if widget is not None:
            act(widget)
        elif remaining[0] > 0:
            remaining[0] -= 1
            QTimer.singleShot(10, poll)
        else:
            QApplication.exit(99)

    QTimer.singleShot(0, poll)


def _answer_stopping_box(seen: list[str]) -> None:
    def find() -> QWidget | None:
        widget = QApplication.activeModalWidget()
        return widget if isinstance(widget, QMessageBox) and widget.isVisible() else None

    def act(widget: QWidget) -> None:
        assert isinstance(widget, QMessageBox)
        seen.append(widget.text())
        widget.done(0)

    _when_shown(find, act)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_an_unsafe_configuration_is_shown_printed_and_exits_2(
    rr_home: Path, tmp_path: Path, qtbot: QtBot, capsys: pytest.CaptureFixture[str]
) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    write_workstation_config(rr_home, kiosk=False).chmod(0o666)
    seen: list[str] = []
    _answer_stopping_box(seen)
    assert main(["view", str(sealed.path)]) == ExitCode.USAGE == 2
    assert len(seen) == 1 and "writable by every user" in seen[0]
    assert f"readingroom: error: {seen[0]}" in capsys.readouterr().err


def test_an_unreadable_configuration_is_shown_printed_and_exits_2(
    rr_home: Path, tmp_path: Path, qtbot: QtBot, capsys: pytest.CaptureFixture[str]
) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    (rr_home / CONFIG_FILE_NAME).write_text("kiosk = [unterminated\n")
    seen: list[str] = []
    _answer_stopping_box(seen)
    assert main(["view", str(sealed.path)]) == 2
    assert len(seen) == 1 and "is not valid TOML" in seen[0]
    assert "readingroom: error: The configuration file" in capsys.readouterr().err


def test_no_file_outside_kiosk_mode_is_a_usage_error(
    rr_home: Path, qtbot: QtBot, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[str] = []
    _answer_stopping_box(seen)
    assert main(["view"]) == 2
    assert seen == ["Give a review file to open, or use --kiosk."]
    assert "--kiosk" in capsys.readouterr().err


def test_kiosk_true_in_the_configuration_starts_the_kiosk(
    rr_home: Path, tmp_path: Path, qtbot: QtBot
) -> None:
    write_workstation_config(rr_home, kiosk=True, review_folder=tmp_path)
    write_sealed(rr_home, tmp_path, name="waiting.rrf")
    found: list[tuple[bool, list[str]]] = []

    def find() -> QWidget | None:
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        return next((w for w in shown if isinstance(w, ReviewChooser)), None)

    def act(widget: QWidget) -> None:
        assert isinstance(widget, ReviewChooser)
        found.append((widget.isFullScreen(), widget.shown_lines()))
        # Only an administrator stops a kiosk; here the test plays the administrator.
        QApplication.exit(0)

    _when_shown(find, act)
    assert main(["view"]) == 0
    assert len(found) == 1
    full_screen, lines = found[0]
    assert full_screen and len(lines) == 1 and lines[0].startswith("Review file sealed ")
    # Returning from run_viewer leaves no kiosk window behind.
    assert find() is None


def test_the_workstation_idle_limit_shortens_the_policy_idle_lock(
    rr_home: Path, tmp_path: Path, viewer: Viewer
) -> None:
    write_workstation_config(rr_home, idle_minutes_max=1)
    sealed = write_sealed(rr_home, tmp_path, policy=Policy(reader=READER, idle_lock_minutes=10))
    window = viewer.open_window(sealed)
    session = viewer.launchers[-1].session
    assert session is not None and session.idle_lock_minutes == 1
    assert window.idle_interval_ms() == 60_000


def test_without_a_workstation_limit_the_policy_idle_lock_applies(
    rr_home: Path, tmp_path: Path, viewer: Viewer
) -> None:
    sealed = write_sealed(rr_home, tmp_path, policy=Policy(reader=READER, idle_lock_minutes=10))
    window = viewer.open_window(sealed)
    assert window.idle_interval_ms() == 10 * 60_000


def test_a_workstation_limit_never_lengthens_the_policy_idle_lock(
    rr_home: Path, tmp_path: Path, viewer: Viewer
) -> None:
    write_workstation_config(rr_home, idle_minutes_max=30)
    sealed = write_sealed(rr_home, tmp_path, policy=Policy(reader=READER, idle_lock_minutes=5))
    window = viewer.open_window(sealed)
    assert window.idle_interval_ms() == 5 * 60_000
