"""Regressions found by running real-world PDFs through prepare (see test_corpus.py)."""

from __future__ import annotations

import pymupdf
import pytest

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


def _pdf_with_a_dangling_xref_entry() -> bytes:
    """A valid one-page PDF whose xref table lists an object 7 that is not in the file."""
    document = pymupdf.open()
    document.new_page().insert_text((72, 72), "A page that survives", fontsize=12)
    raw: bytes = document.tobytes(no_new_id=True)
    document.close()
    # Entry 7 points at object 6's offset: MuPDF finds "6 0 obj" there, not object 7.
    entry = b"%010d 00000 n \n" % raw.index(b"6 0 obj")
    raw = raw.replace(b"xref\n0 7\n", b"xref\n0 8\n").replace(b"/Size 7", b"/Size 8")
    return raw.replace(b"\ntrailer", entry + b"\ntrailer", 1)


def test_prepare_skips_an_object_the_xref_cannot_find() -> None:
    # MuPDF raises FzErrorFormat (not RuntimeError) for it; prepare refused such real PDFs.
    data = _pdf_with_a_dangling_xref_entry()
    prepared = prepare_pdf(data, PrepareOptions()).pdf
    with pymupdf.open(stream=prepared, filetype="pdf") as document:
        assert "A page that survives" in document[0].get_text()


def test_prepare_drops_annotations_written_inline() -> None:
    # Inline annotations have no object number: the sweeps could not read (or clean) them, and
    # prepare refused the file with "bad xref". A real PDF in the corpus has them.
    document = pymupdf.open()
    page = document.new_page()
    page.insert_text((72, 72), "Inline annotations", fontsize=12)
    document.xref_set_key(
        page.xref,
        "Annots",
        "[<</Type/Annot/Subtype/Link/Rect[72 60 300 80]"
        "/A<</S/URI/URI(https://tracker.invalid/x)>>>>"
        "<</Type/Annot/Subtype/Text/Rect[10 10 20 20]/Contents(Note by Jane Smith)>>]",
    )
    data: bytes = document.tobytes()
    document.close()

    prepared = prepare_pdf(data, PrepareOptions())
    assert prepared.report.sanitised["inline annotations"] == 2
    assert b"tracker.invalid" not in prepared.pdf
    with pymupdf.open(stream=prepared.pdf, filetype="pdf") as result:
        assert result[0].get_links() == []
        assert list(result[0].annots()) == []
        assert "Inline annotations" in result[0].get_text()


@pytest.mark.timeout(120)
def test_prepare_collects_removed_objects_of_a_many_object_pdf() -> None:
    # garbage=3 (merge duplicates) took minutes on a 40,000-object corpus PDF; garbage=2 must
    # still drop what sanitising cut loose (here 20,000 objects hung off /PieceInfo).
    document = pymupdf.open()
    page = document.new_page()
    page.insert_text((72, 72), "Many objects", fontsize=12)
    first = document.xref_length()
    for number in range(20_000):
        document.update_object(document.get_new_xref(), f"<</PrivateMarker {number}>>")
    refs = " ".join(f"{xref} 0 R" for xref in range(first, document.xref_length()))
    document.xref_set_key(page.xref, "PieceInfo", f"<</App<</Data[{refs}]>>>>")
    data: bytes = document.tobytes()
    document.close()

    prepared = prepare_pdf(data, PrepareOptions())
    assert prepared.report.sanitised["private application data"] == 1
    with pymupdf.open(stream=prepared.pdf, filetype="pdf") as result:
        assert result.xref_length() < 50
    assert b"PrivateMarker" not in prepared.pdf
