"""The verifier, on its own: a black box drawn over live text does not fool it."""

from __future__ import annotations

import pymupdf

from readingroom.prepare import NameEntry, RedactionTerm, verify_pdf
from readingroom.prepare.matching import build_targets


def _box_over_text() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "The informant was Jane Smith of Leeds.", fontsize=11)
    hits = page.search_for("Jane Smith")
    # The classic failed redaction: a filled rectangle on top, the text still underneath.
    page.draw_rect(hits[0], color=(0, 0, 0), fill=(0, 0, 0))
    doc.set_toc([[1, "Intro", 1]])
    data: bytes = doc.tobytes()
    return data


def test_black_box_over_live_text_is_caught() -> None:
    targets = build_targets([NameEntry("Jane Smith", "Informant 1", 3)], [])
    result = verify_pdf(_box_over_text(), targets)
    assert not result.clean
    places = [f.place for f in result.findings]
    assert "page 1" in places
    message = result.findings[0].describe()
    assert "Informant 1" in message and "names file line 3" in message
    assert "Jane" not in message
    assert "Jane Smith" in result.findings[0].describe(include_originals=True)


def test_term_in_outline_metadata_annotation_and_attachment_is_named() -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Nothing to see.", fontsize=11)
    page.add_text_annot((100, 100), "call the blue van")
    doc.set_toc([[1, "Intro", 1], [1, "The blue van", 1]])
    doc.set_metadata({"author": "Blue Van Ltd"})
    doc.embfile_add("blue van.txt", b"x", filename="blue van.txt")
    targets = build_targets([], [RedactionTerm("blue van", "S40", 7)])
    places = {f.place for f in verify_pdf(doc.tobytes(), targets).findings}
    assert {"outline entry 2", "metadata field author", "annotation 1 on page 1"} <= places
    assert "attachment 1" in places


def test_name_split_by_hyphen_at_line_end_is_caught() -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "met at Oak-", fontsize=11)
    page.insert_text((72, 114), "wood school", fontsize=11)
    targets = build_targets([NameEntry("Oakwood", "School 1", 1)], [])
    assert [f.place for f in verify_pdf(doc.tobytes(), targets).findings] == ["page 1"]


def test_clean_document_and_scans_listed() -> None:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 100), "Nothing here.", fontsize=11)
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 10, 10), False)
    pix.clear_with(200)
    blank = pymupdf.Pixmap(pix)
    pix.set_rect(pymupdf.IRect(2, 2, 8, 5), (0,))  # ink OCR reads no word in
    doc.new_page().insert_image(doc[0].rect, pixmap=pix)
    doc.new_page().insert_image(doc[0].rect, pixmap=blank)  # a blank scan: nothing to hide
    result = verify_pdf(doc.tobytes(), build_targets([NameEntry("Jane", "P 1", 1)], []))
    assert result.clean
    assert result.unverifiable_pages == [2]
    assert result.page_checks[3] == ["OCR: no readable ink"]
