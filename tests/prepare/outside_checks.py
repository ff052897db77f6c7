"""Checking a prepared PDF with tools that are not ours: poppler's pdftotext and qpdf --qdf.

Each finds the originals by its own reading of the file; both are required in CI
(``READINGROOM_REQUIRE_POPPLER=1``, ``READINGROOM_REQUIRE_QPDF=1``) and skip elsewhere.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from readingroom.errors import OcrUnavailable
from readingroom.prepare import NameEntry, ocr, verify_pdf
from readingroom.prepare.matching import build_targets


def require_tool(program: str, variable: str) -> str:
    """The path of ``program``; skip the test without it, fail when ``variable`` is 1."""
    path = shutil.which(program)
    if path is None:
        message = f"{program} is not on PATH"
        if os.environ.get(variable) == "1":
            pytest.fail(f"{message}, and {variable}=1 requires it")
        pytest.skip(message)
    return path


def require_tesseract() -> None:
    """Skip (or, with READINGROOM_REQUIRE_TESSERACT=1, fail) without Tesseract's English data."""
    try:
        ocr.tessdata()
    except OcrUnavailable:
        if os.environ.get("READINGROOM_REQUIRE_TESSERACT") == "1":
            pytest.fail("Tesseract is missing, and READINGROOM_REQUIRE_TESSERACT=1 requires it")
        pytest.skip("Tesseract's English language data is not installed")


def _pattern(original: str) -> re.Pattern[str]:
    body = r"\s*".join(re.escape(word) for word in original.split())
    return re.compile(body, re.IGNORECASE)


def assert_clean_everywhere(pdf: bytes, originals: Sequence[str], tmp_path: Path) -> None:
    """Both engines (our verifier), pdftotext and qpdf --qdf find none of ``originals``."""
    targets = build_targets([NameEntry(o, "Label X", i) for i, o in enumerate(originals)], [])
    result = verify_pdf(pdf, targets)
    assert result.clean, [f.place for f in result.findings] + result.unreadable
    path = tmp_path / "checked.pdf"
    path.write_bytes(pdf)
    pdftotext = require_tool("pdftotext", "READINGROOM_REQUIRE_POPPLER")
    text = subprocess.run(
        [pdftotext, "-q", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8", "replace")
    qpdf = require_tool("qpdf", "READINGROOM_REQUIRE_QPDF")
    qdf = tmp_path / "checked.qdf"
    # --qdf writes every stream uncompressed and every object plainly: a text editor's view.
    done = subprocess.run(
        [qpdf, "--qdf", "--object-streams=disable", str(path), str(qdf)], capture_output=True
    )
    assert done.returncode == 0, done.stderr  # 3 would mean qpdf had to warn (repair)
    raw = qdf.read_bytes()
    readings = [raw.decode("latin-1"), raw.decode("utf-16-be", "replace")]
    readings.append(raw[1:].decode("utf-16-be", "replace"))
    for original in originals:
        pattern = _pattern(original)
        assert not pattern.search(text), f"pdftotext finds names-file entry {original[:1]}…"
        for reading in readings:
            assert not pattern.search(reading), f"qpdf --qdf shows entry {original[:1]}…"
