"""Helpers for the packaging tests: where the files are, and the desktop-tool skip rule."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGING = REPO_ROOT / "packaging"
LINUX = PACKAGING / "linux"
ICONS = REPO_ROOT / "readingroom" / "resources" / "icons"
APP_ID = "io.github.readingroom.ReadingRoom"
MIME_TYPE = "application/vnd.readingroom.review"
MIME_ICON = "application-vnd.readingroom.review"


def require_tool(name: str) -> str:
    """The path of a Debian desktop tool, skipping the test when it is absent.

    With READINGROOM_REQUIRE_DESKTOP_TOOLS=1 (set in CI) a missing tool fails the test instead,
    so CI cannot go green by skipping.
    """
    path = shutil.which(name)
    if path is not None:
        return path
    message = f"{name} is not installed (Debian: see packaging/README.md)"
    if os.environ.get("READINGROOM_REQUIRE_DESKTOP_TOOLS") == "1":
        pytest.fail(message + " and READINGROOM_REQUIRE_DESKTOP_TOOLS=1")
    pytest.skip(message)
