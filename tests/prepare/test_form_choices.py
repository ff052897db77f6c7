"""A combo box whose choices hold a name: the choices are pseudonymised, not refused."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from readingroom.prepare import NameEntry, PrepareOptions, prepare_pdf

from . import hiding_places as places
from .outside_checks import assert_clean_everywhere

NAMES = [NameEntry(places.NAME, "Social Worker 1", 1)]


def test_combo_box_choices_are_pseudonymised(tmp_path: Path) -> None:
    doc = places._base()
    widget = pymupdf.Widget()
    widget.field_name = "allocated"
    widget.field_type = pymupdf.PDF_WIDGET_TYPE_COMBOBOX
    widget.choice_values = [places.NAME, "Duty team"]
    widget.field_value = "Duty team"
    widget.rect = pymupdf.Rect(72, 400, 300, 420)
    doc[0].add_widget(widget)
    result = prepare_pdf(doc.tobytes(), PrepareOptions(names=NAMES))
    with pymupdf.open(stream=result.pdf) as out:
        (kept,) = list(out[0].widgets())
        assert kept.choice_values == ["Social Worker 1", "Duty team"]
        assert kept.field_value == "Duty team"
    assert result.report.to_dict()["per_page"]["1"]["replaced"] == {"Social Worker 1": 1}
    assert_clean_everywhere(result.pdf, [places.NAME], tmp_path)
