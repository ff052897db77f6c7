"""The real viewer with the audit service: records go to the service; no service, no page."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from readingroom.audit import scan_log
from readingroom.errors import AuditUnavailable
from tests.audit.helpers import all_records
from tests.audit.service_helpers import ServiceProcess, short_folder, start_service
from tests.gui.test_session_fixtures import Viewer, write_sealed, write_workstation_config


@pytest.fixture
def folder() -> Iterator[Path]:
    yield from short_folder()


@pytest.fixture
def service(folder: Path) -> Iterator[ServiceProcess]:
    running = start_service(folder / "service-home", folder / "audit.sock")
    yield running
    running.stop()


def _use_service(rr_home: Path, service: ServiceProcess) -> None:
    write_workstation_config(
        rr_home, audit_socket=service.socket, audit_service_user=service.service_user
    )


def test_the_viewer_records_through_the_service_and_fails_closed_when_it_dies(
    rr_home: Path,
    tmp_path: Path,
    folder: Path,
    service: ServiceProcess,
    viewer: Viewer,
    qtbot: QtBot,
) -> None:
    _use_service(rr_home, service)
    sealed = write_sealed(rr_home, tmp_path)
    window = viewer.open_window(sealed)
    names = [r["event"] for r in all_records(service.logdir)]
    assert "session_started" in names
    assert not (rr_home / "audit").exists()  # the reader's account wrote no log of its own
    service.stop(signal.SIGKILL)
    qtbot.keyClick(window.reader().view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert window.is_covered()
    assert str(AuditUnavailable()) in window.curtain().message()
    restarted = start_service(folder / "service-home", folder / "audit.sock")
    try:
        assert scan_log(restarted.logdir).problem is None
        ended = [r for r in all_records(restarted.logdir) if r["event"] == "session_ended"]
        assert [r["details"]["reason"] for r in ended] == ["crash recovery"]
    finally:
        restarted.stop()


def test_no_service_no_page(
    rr_home: Path, tmp_path: Path, service: ServiceProcess, viewer: Viewer
) -> None:
    _use_service(rr_home, service)
    sealed = write_sealed(rr_home, tmp_path)
    service.stop()
    launcher = viewer.launch(sealed)
    assert launcher.window is None and launcher.notice_dialog is None
    assert launcher.message_box is not None
    assert "not running" in launcher.message_box.text()
