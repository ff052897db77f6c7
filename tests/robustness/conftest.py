"""Fixtures for the robustness tests: the corpus folder, worker logs, redirected environments."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from readingroom.watermark import DEFAULT_WATERMARK_TEMPLATE, WatermarkSpec, build_watermark

CORPUS_ENV = "READINGROOM_CORPUS"
REPO_ROOT = Path(__file__).resolve().parents[2]


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


@dataclass(frozen=True)
class IsolatedEnv:
    """Fresh HOME, TMPDIR, XDG_* and working folders for a subprocess, and where they are."""

    env: dict[str, str]
    root: Path
    home: Path
    work: Path
    rr_home: Path
    inputs: Path


KEPT_VARIABLES = ("PATH", "LANG", "LC_ALL", "PYTHONHASHSEED", "DISPLAY", "XAUTHORITY")


@pytest.fixture
def isolated_env(tmp_path: Path) -> IsolatedEnv:
    """Everything a process might write to, redirected under one folder (``root``).

    ``inputs`` is outside ``root``: it holds what the user brings (the PDF, passphrase files).
    """
    root = tmp_path / "env"
    folders = {
        "HOME": root / "home",
        "TMPDIR": root / "tmp",
        "XDG_CONFIG_HOME": root / "xdg-config",
        "XDG_CACHE_HOME": root / "xdg-cache",
        "XDG_DATA_HOME": root / "xdg-data",
        "XDG_STATE_HOME": root / "xdg-state",
        "XDG_RUNTIME_DIR": root / "xdg-runtime",
    }
    for folder in folders.values():
        folder.mkdir(parents=True)
    folders["XDG_RUNTIME_DIR"].chmod(0o700)
    work = root / "work"
    work.mkdir()
    rr_home = folders["HOME"] / "readingroom-home"
    rr_home.mkdir()
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    env = {name: os.environ[name] for name in KEPT_VARIABLES if name in os.environ}
    env.update({name: str(path) for name, path in folders.items()})
    env.update(
        READINGROOM_HOME=str(rr_home),
        PYTHONPATH=str(REPO_ROOT),
        PYTHONDONTWRITEBYTECODE="1",
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
    )
    return IsolatedEnv(env, root, folders["HOME"], work, rr_home, inputs)
