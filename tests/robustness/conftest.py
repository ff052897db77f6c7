"""Fixtures for the robustness tests: the corpus folder, worker logs, redirected environments."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CORPUS_ENV = "READINGROOM_CORPUS"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The folder of real-world PDFs named by READINGROOM_CORPUS (skips when unset)."""
    value = os.environ.get(CORPUS_ENV)
    if not value:
        pytest.skip(f"{CORPUS_ENV} is not set (CI sets it to ../shared/corpus/pdf when present)")
    folder = Path(value)
    if not folder.is_dir():
        pytest.fail(f"{CORPUS_ENV}={value} is not a folder")
    return folder
