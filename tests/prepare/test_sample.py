"""The bundled fictional sample: its draft with "real" names prepares into a verified copy."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pymupdf
import pytest

from readingroom.prepare import PrepareOptions, load_names_csv, prepare_pdf

NAMES_CSV = (
    Path(__file__).resolve().parents[2] / "readingroom" / "resources" / "sample" / "names.csv"
)


def test_sample_draft_prepares_verified() -> None:
    # The sample and its names file are written by another part of the project; until both
    # exist in the checkout this test has nothing to run against.
    if not NAMES_CSV.exists():
        pytest.skip("readingroom/resources/sample/names.csv is not in this checkout yet")
    sample = importlib.import_module("readingroom.sample")
    draft: bytes = sample.build_sample_pdf(with_real_names=True)
    names = load_names_csv(NAMES_CSV)
    result = prepare_pdf(draft, PrepareOptions(names=names))
    assert result.report.verified
    doc = pymupdf.open(stream=result.pdf, filetype="pdf")
    text = "\n".join(page.get_text() for page in doc).lower()
    found_labels = {entry.label for entry in names if entry.label.lower() in text}
    assert found_labels, "no label appears in the prepared sample"
    flat = " ".join(text.split())
    for entry in names:
        pattern = r"\s+".join(re.escape(word) for word in entry.original.lower().split())
        assert not re.search(rf"(?<!\w){pattern}(?!\w)", flat), f"line {entry.line} remains"
