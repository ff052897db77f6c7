"""The decrypted PDF never reaches the disk: not the home folder, caches, temp folders nor logs.

A whole real session (unlock, notice, pages rendered, search, session end) runs with HOME,
the XDG folders and TMPDIR pointed into the test's own folder; afterwards no file anywhere
under it holds the PDF, a slice of it or the canary text it carries.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.gui.sample_pdf import CANARY, build_test_pdf
from tests.gui.test_session_fixtures import WAIT_MS, Viewer, write_sealed


def test_a_session_leaves_no_plaintext_on_disk(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    places = {name: tmp_path / name for name in ("home", "cache", "config", "data", "tmp")}
    for folder in places.values():
        folder.mkdir()
    monkeypatch.setenv("HOME", str(places["home"]))
    monkeypatch.setenv("XDG_CACHE_HOME", str(places["cache"]))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(places["config"]))
    monkeypatch.setenv("XDG_DATA_HOME", str(places["data"]))
    monkeypatch.setenv("TMPDIR", str(places["tmp"]))
    monkeypatch.setattr(tempfile, "tempdir", str(places["tmp"]))
    sealed = write_sealed(rr_home, tmp_path)
    window = viewer.open_window(sealed)
    reader = window.reader()
    for page in range(reader.page_count()):
        reader.go_to_page(page)
        with qtbot.waitSignal(reader.view.page_painted, timeout=WAIT_MS):
            reader.view.viewport().update()
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)

    pdf = build_test_pdf()
    needles = [b"%PDF-", CANARY.encode(), *(pdf[i : i + 48] for i in range(0, len(pdf), 4096))]
    assert _files_holding(tmp_path, needles) == []
    planted = places["cache"] / "planted"
    planted.write_bytes(b"x" + pdf[4096:8192])  # the scan does find a copy, or a piece of one
    assert _files_holding(tmp_path, needles) == [planted]


def _files_holding(root: Path, needles: list[bytes]) -> list[Path]:
    return [
        path
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and not path.is_symlink()
        and any(needle in path.read_bytes() for needle in needles)
    ]
