"""A renderer without its sandbox: the viewer says so and records it, or refuses the document.

The renderer is the real one, started so that it cannot load libseccomp (as on a machine
without it); ``renderer_command`` is swapped for that, nothing else.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from readingroom.errors import RendererNotContained
from readingroom.gui.main_window import UNCONFINED_TEXT
from readingroom.viewing import renderer_client
from tests.gui.test_session_fixtures import WAIT_MS, Viewer, event_names, write_sealed


def _without_seccomp(fd: int) -> list[str]:
    code = (
        "import sys; sys.modules['pyseccomp'] = None; "
        "from readingroom.viewing.render_process import main; main()"
    )
    return [sys.executable, "-I", "-c", code, str(fd), str(os.getpid())]


@pytest.fixture
def unconfined(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(renderer_client, "renderer_command", _without_seccomp)


def test_an_unconfined_renderer_is_shown_and_recorded_once(
    rr_home: Path, tmp_path: Path, viewer: Viewer, unconfined: None
) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    window = viewer.open_window(sealed, activate=False)
    label = window.findChild(QLabel, "rendererUnconfined")
    assert label is not None and label.text() == UNCONFINED_TEXT
    names = event_names(sealed.config)
    assert names.count("renderer_unconfined") == 1
    assert names.index("session_started") < names.index("renderer_unconfined")


def test_require_sandbox_refuses_the_document(
    rr_home: Path, tmp_path: Path, viewer: Viewer, unconfined: None
) -> None:
    sealed = write_sealed(rr_home, tmp_path)
    sealed.config = dataclasses.replace(sealed.config, require_sandbox=True)
    launcher = viewer.launch(sealed)
    messages: list[str] = []
    launcher.failed.connect(messages.append)
    assert launcher.notice_dialog is not None
    launcher.notice_dialog.accept()
    viewer.qtbot.waitUntil(lambda: messages != [], timeout=WAIT_MS)
    assert messages == [str(RendererNotContained())]
    assert launcher.window is None
    assert launcher.exit_code == RendererNotContained.exit_code
    assert event_names(sealed.config) == ["session_started", "session_ended"]


def test_a_confined_renderer_adds_no_notice(rr_home: Path, tmp_path: Path, viewer: Viewer) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the sandbox is Linux-only")
    sealed = write_sealed(rr_home, tmp_path)
    window = viewer.open_window(sealed, activate=False)
    assert window.findChild(QLabel, "rendererUnconfined") is None
    assert "renderer_unconfined" not in event_names(sealed.config)
