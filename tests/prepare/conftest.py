"""Fixture PDFs for the prepare tests, generated with PyMuPDF."""

from __future__ import annotations

import pymupdf
import pytest

from readingroom.prepare import (
    NameEntry,
    RedactionTerm,
    parse_names_csv,
    parse_redaction_terms,
)

NAMES_CSV = (
    "original,label\n"
    "Jane Smith,Social Worker 1\n"
    "Ms Smith,Social Worker 1\n"
    "J. Smith,Social Worker 1\n"
    "Peter,Child A\n"
    "14 Acacia Road,Address 1\n"
    "Oakwood,School 1\n"
    "Zebedee,Person Z\n"
)
ORIGINALS = ["Jane Smith", "Ms Smith", "J. Smith", "Peter", "Acacia Road", "Oakwood"]
TERMS_TXT = "# withheld\n07700 900123 | S40\nblue van\n"


def _table(page: pymupdf.Page, top: float) -> None:
    rows = [("Role", "Name"), ("Social care", "Jane Smith"), ("Family", "Peter")]
    for r, (left, right) in enumerate(rows):
        y = top + r * 20
        page.draw_rect(pymupdf.Rect(72, y, 372, y + 20), color=(0, 0, 0), width=0.5)
        page.draw_line((222, y), (222, y + 20), color=(0, 0, 0), width=0.5)
        page.insert_text((76, y + 14), left, fontsize=10)
        page.insert_text((226, y + 14), right, fontsize=10)


def build_fixture_pdf() -> bytes:
    """A document with the names in a heading, body text, a table, a line break, an outline
    entry, metadata, an annotation and a form field; and two redaction terms."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Review concerning Peter", fontsize=16)
    page.insert_text((72, 110), "Jane Smith visited the family at 14 Acacia Road.", fontsize=11)
    page.insert_text((72, 126), "Ms Smith called 07700 900123 about the blue van.", fontsize=11)
    page.insert_text((72, 142), "This line mentions nobody at all and must stay.", fontsize=11)
    # A name split across a line break, and a hyphenated one.
    page.insert_text((72, 170), "The case was handled by Jane", fontsize=11)
    page.insert_text((72, 184), "Smith who later met the Oak-", fontsize=11)
    page.insert_text((72, 198), "wood head teacher.", fontsize=11)
    _table(page, 230)
    page.insert_text((72, 330), "Unrelated closing sentence stays put.", fontsize=11)
    annot = page.add_text_annot((400, 100), "Query raised by J. Smith")
    annot.set_info(title="Jane Smith")
    annot.update()
    widget = pymupdf.Widget()
    widget.field_name = "caseworker"
    widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    widget.field_value = "Jane Smith"
    widget.rect = pymupdf.Rect(72, 400, 300, 420)
    page.add_widget(widget)
    second = doc.new_page()
    second.insert_text((72, 72), "Page two: Peter and Jane Smith again.", fontsize=11)
    doc.set_toc([[1, "About Peter", 1], [1, "Jane Smith's visit", 2]])
    doc.set_metadata({"author": "Jane Smith", "title": "Review of Peter", "subject": "x"})
    data: bytes = doc.tobytes()
    doc.close()
    return data


@pytest.fixture
def fixture_pdf() -> bytes:
    """The fixture document's bytes."""
    return build_fixture_pdf()


@pytest.fixture
def names() -> list[NameEntry]:
    """The parsed names of NAMES_CSV."""
    return parse_names_csv(NAMES_CSV)


@pytest.fixture
def terms() -> list[RedactionTerm]:
    """The parsed terms of TERMS_TXT."""
    return parse_redaction_terms(TERMS_TXT)
