"""Fixtures shared by every test: an isolated READINGROOM_HOME and the offscreen Qt platform."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# GUI tests run on Qt's offscreen platform unless a test asks for a real X display itself.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"


@pytest.fixture
def rr_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh READINGROOM_HOME for one test, so nothing touches the real user's folders."""
    home = tmp_path / "rr-home"
    home.mkdir()
    monkeypatch.setenv("READINGROOM_HOME", str(home))
    yield home
