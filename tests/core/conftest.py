"""Fixtures for core tests: the reference ``age`` command line, when it is installed."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

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
