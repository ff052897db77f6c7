"""Sanitising: JavaScript, launch, external links and attachments go; internal links stay."""

from __future__ import annotations

import pymupdf

from readingroom.prepare import PrepareOptions, prepare_pdf


def _hostile_pdf() -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "A page with active content.", fontsize=11)
    doc.new_page().insert_text((72, 72), "Second page.", fontsize=11)
    page = doc[0]
    page.insert_link(
        {
            "kind": pymupdf.LINK_URI,
            "from": pymupdf.Rect(72, 100, 200, 120),
            "uri": "https://tracker.example/ping",
        }
    )
    page.insert_link(
        {"kind": pymupdf.LINK_LAUNCH, "from": pymupdf.Rect(72, 130, 200, 150), "file": "calc.exe"}
    )
    page.insert_link(
        {
            "kind": pymupdf.LINK_GOTO,
            "from": pymupdf.Rect(72, 160, 200, 180),
            "page": 1,
            "to": pymupdf.Point(0, 0),
        }
    )
    doc.embfile_add("payload.exe", b"MZ...", filename="payload.exe")
    page.add_file_annot((300, 300), b"attached", "note.txt")
    catalog = doc.pdf_catalog()
    js = doc.get_new_xref()
    doc.update_object(js, "<</S/JavaScript/JS(app.alert\\('hi'\\))>>")
    doc.xref_set_key(catalog, "OpenAction", f"{js} 0 R")
    doc.xref_set_key(page.xref, "AA", f"<</O {js} 0 R>>")
    doc.set_toc([[1, "Start", 1], [1, "Second", 2]])
    doc.set_metadata({"author": "Somebody", "producer": "Tool"})
    data: bytes = doc.tobytes()
    return data


def test_active_content_is_removed_and_reported() -> None:
    result = prepare_pdf(_hostile_pdf(), PrepareOptions())
    doc = pymupdf.open(stream=result.pdf, filetype="pdf")
    kinds = {link["kind"] for page in doc for link in page.get_links()}
    assert kinds == {pymupdf.LINK_GOTO}
    assert doc.embfile_count() == 0
    assert not list(doc[0].annots())
    catalog = doc.pdf_catalog()
    assert doc.xref_get_key(catalog, "OpenAction")[0] == "null"
    assert doc.xref_get_key(doc[0].xref, "AA")[0] == "null"
    raw = b"".join((doc.xref_object(x) or "").encode() for x in range(1, doc.xref_length()))
    assert b"JavaScript" not in raw and b"calc.exe" not in raw and b"tracker" not in raw
    assert [entry[1] for entry in doc.get_toc()] == ["Start", "Second"]
    removed = result.report.to_dict()["sanitised"]
    assert removed["open actions"] == 1
    assert removed["additional actions"] == 1
    assert removed["external links"] == 1
    assert removed["launch actions"] == 1
    assert removed["embedded files"] == 1
    assert removed["attached files"] == 1
    assert removed["metadata fields"] == 2


def test_invisible_text_on_a_text_page_is_removed() -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Visible words.", fontsize=11)
    page.insert_text((72, 200), "hidden secret words", fontsize=11, render_mode=3)
    page.insert_text((72, -50), "off the page", fontsize=11)
    result = prepare_pdf(doc.tobytes(), PrepareOptions())
    text = pymupdf.open(stream=result.pdf, filetype="pdf")[0].get_text(
        flags=pymupdf.TEXT_PRESERVE_WHITESPACE
    )
    assert "Visible words." in text
    assert "hidden" not in text and "off the page" not in text
    assert result.report.sanitised["hidden text spans"] == 2
