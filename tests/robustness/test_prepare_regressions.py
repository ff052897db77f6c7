"""Regressions found by running real-world PDFs through prepare (see test_corpus.py)."""

from __future__ import annotations

import pymupdf

from readingroom.prepare import PrepareOptions, prepare_pdf


def _radio_form() -> bytes:
    document = pymupdf.open()
    page = document.new_page()
    page.insert_text((72, 72), "Which applies? (neither is chosen)", fontsize=12)
    for index in range(2):
        widget = pymupdf.Widget()
        widget.field_type = pymupdf.PDF_WIDGET_TYPE_RADIOBUTTON
        widget.field_name = "choice"
        widget.rect = pymupdf.Rect(72, 100 + 30 * index, 90, 118 + 30 * index)
        widget.field_value = False
        page.add_widget(widget)
    data: bytes = document.tobytes()
    document.close()
    return data


def test_prepare_leaves_radio_buttons_as_they_were() -> None:
    # Regenerating every widget's appearance switched unselected radio buttons on.
    prepared = prepare_pdf(_radio_form(), PrepareOptions()).pdf
    with pymupdf.open(stream=prepared, filetype="pdf") as document:
        values = [widget.field_value for widget in document[0].widgets()]
    assert values == ["Off", "Off"]
