"""Small PDFs with the features that break readers, generated with PyMuPDF (no files needed).

Each builder returns the bytes of one document. ``NASTY_PDFS`` maps a file name to its builder
and the outcome the pipeline must reach: ``opened`` (every page rendered) or ``refused`` (a
ReadingRoomError with a safe message); ``either`` where both are honest outcomes.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path

import pymupdf

CANARY = "Quokkafjord"


def _finish(document: pymupdf.Document) -> bytes:
    data: bytes = document.tobytes()
    document.close()
    return data


def _text_page(document: pymupdf.Document, text: str, **size: float) -> pymupdf.Page:
    page = document.new_page(**size)
    page.insert_text((72, 72), text, fontsize=12)
    return page


def active_content() -> bytes:
    """JavaScript open action, launch / URI / remote links, page actions, an attachment,
    inline annotations and metadata."""
    document = pymupdf.open()
    page = _text_page(document, f"Active content {CANARY}")
    page.insert_link({"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(72, 90, 200, 110),
                      "uri": "https://tracker.invalid/beacon"})  # fmt: skip
    page.insert_link({"kind": pymupdf.LINK_LAUNCH, "from": pymupdf.Rect(72, 120, 200, 140),
                      "file": "/bin/sh"})  # fmt: skip
    page.insert_link({"kind": pymupdf.LINK_GOTOR, "from": pymupdf.Rect(72, 150, 200, 170),
                      "file": "other.pdf", "page": 0})  # fmt: skip
    document.embfile_add("payload.txt", b"attached secret", filename="payload.txt")
    catalog = document.pdf_catalog()
    document.xref_set_key(catalog, "OpenAction", "<</S/JavaScript/JS(app.alert('hi'))>>")
    document.xref_set_key(page.xref, "AA", "<</O<</S/JavaScript/JS(this.print())>>>>")
    document.set_metadata({"author": CANARY, "title": "Active"})
    _text_page(document, "Second page")
    second = document[1]
    document.xref_set_key(
        second.xref,
        "Annots",
        "[<</Type/Annot/Subtype/Link/Rect[72 60 300 80]/A<</S/URI/URI(https://x.invalid)>>>>]",
    )
    return _finish(document)


def huge_page() -> bytes:
    """A 20,000 x 20,000 pt page (rendering is capped in pixels, not refused)."""
    document = pymupdf.open()
    page = document.new_page(width=20_000, height=20_000)
    page.insert_text((100, 100), "A very large page", fontsize=400)
    page.draw_rect(pymupdf.Rect(0, 0, 20_000, 20_000), color=(0, 0, 1), width=50)
    return _finish(document)


def tiny_and_rotated_pages() -> bytes:
    """A 1 x 1 pt page, and pages rotated by 90 and 270 degrees."""
    document = pymupdf.open()
    document.new_page(width=1, height=1)
    for rotation in (90, 270):
        page = _text_page(document, f"Rotated {rotation}")
        page.set_rotation(rotation)
    return _finish(document)


def cyclic_outline() -> bytes:
    """An outline whose last entry's /Next points back to the first (CVE-2025-46206 shape)."""
    document = pymupdf.open()
    for number in range(3):
        _text_page(document, f"Chapter {number + 1}")
    document.set_toc([[1, "One", 1], [1, "Two", 2], [1, "Three", 3]])
    xrefs = document.get_outline_xrefs()
    document.xref_set_key(xrefs[-1], "Next", f"{xrefs[0]} 0 R")
    document.xref_set_key(xrefs[0], "Prev", f"{xrefs[-1]} 0 R")
    return _finish(document)


def broken_xref() -> bytes:
    """Every xref offset is wrong, and one entry names an object that is not there."""
    document = pymupdf.open()
    _text_page(document, "The xref of this file lies")
    raw: bytes = document.tobytes(no_new_id=True)
    document.close()
    head, _, tail = raw.partition(b"\nxref\n")
    entries, _, trailer = tail.partition(b"\ntrailer")
    lines = entries.split(b"\n")
    lied = [lines[0], lines[1]] + [b"%010d 00000 n " % 9 for _ in lines[2:] if _] + [b""]
    lied[0] = b"0 %d" % (len(lied) - 2)
    return head + b"\nxref\n" + b"\n".join(lied) + b"\ntrailer" + trailer


def truncated() -> bytes:
    """The first 60 % of a three-page document (MuPDF may repair some of it, or nothing)."""
    document = pymupdf.open()
    for number in range(3):
        _text_page(document, f"Page {number + 1} of a cut file")
    raw = _finish(document)
    return raw[: len(raw) * 6 // 10]


def deflate_bomb() -> bytes:
    """A content stream of 64 KiB that inflates to 64 MiB of PDF comments."""
    document = pymupdf.open()
    page = _text_page(document, "Deflate bomb below")
    inflated = b"% padding padding padding padding padding padding padding padding\n" * (
        64 * 1024 * 1024 // 67
    )
    bomb = zlib.compress(inflated, 9)
    xref = document.get_new_xref()
    document.update_object(xref, "<<>>")
    document.update_stream(xref, bomb, compress=False)
    document.xref_set_key(xref, "Filter", "/FlateDecode")
    contents = document.xref_get_key(page.xref, "Contents")
    document.xref_set_key(page.xref, "Contents", f"[{contents[1]} {xref} 0 R]")
    return _finish(document)


def odd_form() -> bytes:
    """Text, check box and radio fields, one radio with a state name full of odd characters."""
    document = pymupdf.open()
    page = _text_page(document, "A form")
    specs = [
        (pymupdf.PDF_WIDGET_TYPE_TEXT, "name", "Typed value"),
        (pymupdf.PDF_WIDGET_TYPE_CHECKBOX, "tick", True),
        (pymupdf.PDF_WIDGET_TYPE_RADIOBUTTON, "pick", False),
    ]
    for index, (kind, name, value) in enumerate(specs):
        widget = pymupdf.Widget()
        widget.field_type = kind
        widget.field_name = name
        widget.field_value = value
        widget.rect = pymupdf.Rect(72, 100 + 30 * index, 250, 120 + 30 * index)
        page.add_widget(widget)
    radio = next(w for w in page.widgets() if w.field_name == "pick")
    kind, value = document.xref_get_key(radio.xref, "AP/N")
    if kind == "dict" and "/Yes" in value:
        document.xref_set_key(radio.xref, "AP/N", value.replace("/Yes", "/Type#20of#28x#29"))
    return _finish(document)


def many_small_pages() -> bytes:
    """300 small pages."""
    document = pymupdf.open()
    for number in range(300):
        _text_page(document, f"Small page {number + 1}", width=200, height=200)
    return _finish(document)


def encrypted() -> bytes:
    """A PDF that needs a password (sealing refuses it)."""
    document = pymupdf.open()
    _text_page(document, "Locked")
    data: bytes = document.tobytes(
        encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="user", owner_pw="owner"
    )
    document.close()
    return data


def no_pages() -> bytes:
    """A syntactically fine PDF with an empty page tree."""
    return (
        b"%PDF-1.7\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n"
        b"2 0 obj\n<</Type/Pages/Kids[]/Count 0>>\nendobj\ntrailer\n<</Root 1 0 R>>\n%%EOF\n"
    )


def not_a_pdf() -> bytes:
    """Bytes that only claim to be a PDF."""
    return b"%PDF-1.7\n" + bytes(range(256)) * 64


NASTY_PDFS: dict[str, tuple[Callable[[], bytes], str]] = {
    "active-content.pdf": (active_content, "opened"),
    "huge-page.pdf": (huge_page, "opened"),
    "tiny-and-rotated.pdf": (tiny_and_rotated_pages, "opened"),
    "cyclic-outline.pdf": (cyclic_outline, "opened"),
    "broken-xref.pdf": (broken_xref, "opened"),
    "truncated.pdf": (truncated, "either"),
    "deflate-bomb.pdf": (deflate_bomb, "opened"),
    "odd-form.pdf": (odd_form, "opened"),
    "many-small-pages.pdf": (many_small_pages, "opened"),
    "encrypted.pdf": (encrypted, "refused"),
    "no-pages.pdf": (no_pages, "refused"),
    "not-a-pdf.pdf": (not_a_pdf, "refused"),
}


def write_nasty_pdfs(folder: Path) -> dict[Path, str]:
    """Write every nasty PDF into ``folder``; return path -> expected outcome."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = {}
    for name, (build, outcome) in NASTY_PDFS.items():
        path = folder / name
        path.write_bytes(build())
        expected[path] = outcome
    return expected
