"""Fixtures for the robustness tests: the corpus folder, worker logs, redirected environments."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from readingroom.watermark import DEFAULT_WATERMARK_TEMPLATE, WatermarkSpec, build_watermark

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


@pytest.fixture
def watermark_spec() -> WatermarkSpec:
    """A watermark as a real session builds it."""
    return build_watermark(
        DEFAULT_WATERMARK_TEMPLATE,
        reader_name="Alex Morgan",
        reader_id="alex.morgan@example.gov.uk",
        organisation="Ofsted",
        workstation="ROOM-PC-3",
        session_code="K7Q2-9XHM-4",
        classification="OFFICIAL-SENSITIVE",
        when=datetime(2025, 3, 14, 9, 26),
    )
