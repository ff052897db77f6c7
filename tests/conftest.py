"""Fixtures shared by every test: an isolated READINGROOM_HOME and the offscreen Qt platform."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
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


REQUIRE_AGE_CLI = "READINGROOM_REQUIRE_AGE_CLI"


@dataclass(frozen=True)
class AgeCli:
    """Paths of the reference implementation's two programs."""

    age: Path
    keygen: Path


@pytest.fixture(scope="session")
def age_cli() -> AgeCli:
    """The ``age`` and ``age-keygen`` programs; skips the test when they are missing.

    CI sets ``READINGROOM_REQUIRE_AGE_CLI=1`` so that a missing CLI fails the run instead of
    silently skipping every interoperability test.
    """
    age = shutil.which("age")
    keygen = shutil.which("age-keygen")
    if age is None or keygen is None:
        message = "the age CLI (age, age-keygen) is not on PATH"
        if os.environ.get(REQUIRE_AGE_CLI) == "1":
            pytest.fail(f"{message}, and {REQUIRE_AGE_CLI}=1 requires it")
        pytest.skip(message)
    return AgeCli(age=Path(age), keygen=Path(keygen))
