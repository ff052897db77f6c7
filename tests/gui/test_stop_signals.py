"""A termination signal ends the open session as closing would: session_ended, reason closed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from readingroom.cli import main
from readingroom.gui.stop_signals import StopSignals
from tests.gui.test_session_fixtures import WAIT_MS, Sealed, Viewer, events, write_sealed

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")

# Generous: a loaded 2-core CI machine imports Qt and PyMuPDF and derives the scrypt key.
START_DEADLINE_S = 120.0


def _event_names_now(sealed: Sealed) -> list[str]:
    try:
        return [str(record["event"]) for record in events(sealed.config)]
    except (AssertionError, FileNotFoundError):
        return []  # a line being written right now; look again


def test_sigterm_to_the_viewer_process_records_the_session_as_closed(
    rr_home: Path, tmp_path: Path
) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    env = dict(os.environ, READINGROOM_HOME=str(rr_home), QT_QPA_PLATFORM="offscreen")
    command = [sys.executable, "-m", "readingroom", "view", str(sealed.path)]
    command += ["--passphrase-file", str(sealed.passphrase_file)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        # session_started is durable before the notice is shown, and the notice waits for an
        # acknowledgement that never comes: the session is open when the signal arrives.
        deadline = time.monotonic() + START_DEADLINE_S
        while "session_started" not in _event_names_now(sealed):
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "the viewer did not start a session"
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=START_DEADLINE_S)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()
    assert code == 0
    records = events(sealed.config)
    assert [r["event"] for r in records] == ["session_started", "session_ended"]
    assert records[-1]["details"]["reason"] == "closed"
    assert main(["audit", "verify", str(sealed.config.audit_dir)]) == 0


def test_a_stop_signal_closes_an_open_reading_window(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot
) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    window = viewer.open_window(sealed)
    launcher = viewer.launchers[-1]
    stops = StopSignals()
    try:
        stops.stop_signal_received.connect(lambda _signum: launcher.stop())
        with qtbot.waitSignal(stops.stop_signal_received, timeout=WAIT_MS) as received:
            os.kill(os.getpid(), signal.SIGHUP)
        assert received.args == [int(signal.SIGHUP)]
    finally:
        stops.close()
    assert launcher.is_finished() and launcher.exit_code == 0
    assert not window.isVisible()
    ended = [r for r in events(sealed.config) if r["event"] == "session_ended"]
    assert [r["details"]["reason"] for r in ended] == ["closed"]
    # The previous handlers are back.
    assert signal.getsignal(signal.SIGHUP) is signal.SIG_DFL
