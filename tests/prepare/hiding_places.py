"""Fixture PDFs that each hide a name in one of the places issue #10 lists.

Every builder returns PDF bytes in which "Jane Smith" (and sometimes "Peter") is present in
that one place and the page itself says only harmless text, so a clean result proves the
place itself was dealt with.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pikepdf
import pymupdf

NAME = "Jane Smith"
HEX_NAME = NAME.encode("utf-16-be")


def _base(text: str = "A page about the case.") -> pymupdf.Document:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), text, fontsize=12)
    return doc


def _edit(data: bytes, change: Callable[[pikepdf.Pdf], None]) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def _stream(pdf: pikepdf.Pdf, content: bytes, **keys: Any) -> pikepdf.Stream:
    stream = pikepdf.Stream(pdf, content)
    for key, value in keys.items():
        stream[f"/{key}"] = value
    return stream


def page_labels() -> bytes:
    doc = _base()
    doc.set_page_labels([{"startpage": 0, "prefix": f"{NAME} ", "style": "D"}])
    return doc.tobytes()


def layer_name_and_hidden_layer() -> bytes:
    doc = _base()
    visible = doc.add_ocg(f"Notes by {NAME}", on=True)
    hidden = doc.add_ocg("Draft", on=False)
    page = doc[0]
    page.insert_text((72, 120), "Layered but harmless text.", fontsize=12, oc=visible)
    page.insert_text((72, 160), f"Hidden remark about Peter and {NAME}.", fontsize=12, oc=hidden)
    return doc.tobytes()


def _type3_font(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    helv = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1)
    helv.BaseFont = pikepdf.Name.Helvetica
    glyph = _stream(pdf, b"500 0 d0 BT /H 1 Tf 0 0 Td (" + NAME.encode() + b") Tj ET")
    return pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.Type3,
        FontBBox=[0, 0, 1000, 1000],
        FontMatrix=[0.001, 0, 0, 0.001, 0, 0],
        CharProcs=pikepdf.Dictionary(g=pdf.make_indirect(glyph)),
        Encoding=pikepdf.Dictionary(Differences=[65, pikepdf.Name.g]),
        FirstChar=65,
        LastChar=65,
        Widths=[500],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(H=helv)),
    )


def type3_glyph_draws_the_name(*, used: bool) -> bytes:
    """A Type3 font whose one glyph procedure writes the name; drawn on the page or not."""

    def change(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[0]
        page.Resources.Font.T3 = pdf.make_indirect(_type3_font(pdf))
        if used:
            page.contents_add(_stream(pdf, b"BT /T3 12 Tf 72 600 Td (A) Tj ET"), prepend=False)

    return _edit(_base().tobytes(), change)


def structure_tree() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        element = pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem,
            S=pikepdf.Name.Figure,
            Alt=pikepdf.String(NAME),
            ActualText=pikepdf.String(b"\xfe\xff" + HEX_NAME),
            T=pikepdf.String(HEX_NAME),  # UTF-16BE without a byte-order mark
            E=pikepdf.String(f"Peter {NAME}"),
        )
        root = pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=pdf.make_indirect(element))
        pdf.Root.StructTreeRoot = pdf.make_indirect(root)
        pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        pdf.pages[0].StructParents = 0

    return _edit(_base().tobytes(), change)


def named_destinations_and_threads() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[0].obj
        target = [page, pikepdf.Name.XYZ, 0, 0, 0]
        pdf.Root.Dests = pikepdf.Dictionary({"/Jane#20Smith": target})
        pdf.Root.Names = pikepdf.Dictionary(
            Dests=pikepdf.Dictionary(Names=[pikepdf.String(NAME), target])
        )
        bead = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Bead, P=page, R=[0, 0, 9, 9]))
        thread = pikepdf.Dictionary(
            Type=pikepdf.Name.Thread, F=bead, I=pikepdf.Dictionary(Title=pikepdf.String(NAME))
        )
        bead.T = pdf.make_indirect(thread)
        bead.N = bead
        bead.V = bead
        pdf.Root.Threads = [bead.T]
        page.B = [bead]

    return _edit(_base().tobytes(), change)


def annotation_name_and_other_states() -> bytes:
    doc = _base()
    annot = doc[0].add_text_annot((300, 100), "A note")
    annot.update()
    data = doc.tobytes()

    def change(pdf: pikepdf.Pdf) -> None:
        note = pdf.pages[0].Annots[0]
        note.NM = pikepdf.String(NAME)
        drawn = b"BT /Helv 9 Tf 0 0 Td (" + NAME.encode() + b") Tj ET"
        state = {"Subtype": pikepdf.Name.Form, "BBox": [0, 0, 20, 20]}
        note.AP.D = pdf.make_indirect(_stream(pdf, drawn, **state))
        note.AP.R = pikepdf.Dictionary(On=pdf.make_indirect(_stream(pdf, drawn, **state)))

    return _edit(data, change)


def checkbox_state_drawing_the_name() -> bytes:
    doc = _base()
    widget = pymupdf.Widget()
    widget.field_type = pymupdf.PDF_WIDGET_TYPE_CHECKBOX
    widget.field_name = "agreed"
    widget.rect = pymupdf.Rect(72, 200, 90, 218)
    doc[0].add_widget(widget)
    data = doc.tobytes()

    def change(pdf: pikepdf.Pdf) -> None:
        box = pdf.pages[0].Annots[0]
        drawn = b"BT /Helv 9 Tf 0 0 Td (" + NAME.encode() + b") Tj ET"
        stream = _stream(pdf, drawn, Subtype=pikepdf.Name.Form, BBox=[0, 0, 18, 18])
        box.AP.N = pikepdf.Dictionary(Yes=pdf.make_indirect(stream), Off=box.AP.N.get("/Off"))

    return _edit(data, change)


def form_never_drawn_and_private_keys() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        content = b"BT /F1 9 Tf 0 0 Td (" + NAME.encode() + b") Tj ET"
        form = _stream(pdf, content, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form)
        form.BBox = [0, 0, 100, 100]
        page = pdf.pages[0]
        page.Resources.XObject = pikepdf.Dictionary(Unused=pdf.make_indirect(form))
        # An orphan: in the file, reachable from nothing.
        pdf.make_indirect(_stream(pdf, content))
        pdf.Root.PrivateData = pikepdf.String(NAME)
        page.obj.MyAppKey = pikepdf.Dictionary(Who=pikepdf.String(HEX_NAME))
        pdf.Root.PieceInfo = pikepdf.Dictionary(App=pikepdf.Dictionary(Private=NAME))
        pdf.trailer.Info = pdf.make_indirect(pikepdf.Dictionary(Author=pikepdf.String(NAME)))

    return _edit(_base().tobytes(), change)


def words_image(text: str, *, width: int = 900, height: int = 120, size: float = 48) -> bytes:
    """A PNG of ``text`` in black on white, as a scanner would make it."""
    doc = pymupdf.open()
    page = doc.new_page(width=width / 2, height=height / 2)
    page.insert_text((10, height / 2 - 20), text, fontsize=size / 2)
    png: bytes = page.get_pixmap(dpi=144, colorspace=pymupdf.csGRAY).tobytes("png")
    return png


def image_on_a_text_page() -> bytes:
    doc = _base("The signature block below is a scanned image.")
    doc[0].insert_image(pymupdf.Rect(72, 120, 522, 180), stream=words_image(f"Signed {NAME}"))
    return doc.tobytes()


def scanned_pages(count: int = 1, *, rotate: int = 0) -> bytes:
    """Pages that are one image each, with the names in the pixels and no text layer."""
    doc = pymupdf.open()
    for index in range(count):
        text = pymupdf.open()
        page = text.new_page()
        page.insert_text((72, 100), f"Page {index + 1}: report on the family", fontsize=14)
        page.insert_text((72, 140), f"{NAME} visited Peter at home.", fontsize=14)
        page.insert_text((72, 180), "Nothing else of note was seen.", fontsize=14)
        # A scanner that fed the sheet sideways: the image is stored turned, and /Rotate
        # turns it back for display.
        matrix = pymupdf.Matrix(200 / 72, 200 / 72).prerotate(-rotate)
        pix = page.get_pixmap(matrix=matrix, colorspace=pymupdf.csGRAY)
        width, height = (page.rect.width, page.rect.height)
        if rotate % 180:
            width, height = height, width
        scan = doc.new_page(width=width, height=height)
        scan.insert_image(scan.rect, stream=pix.tobytes("png"))
        scan.set_rotation(rotate)
    return doc.tobytes()


def name_split_across_text_objects() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        content = b"BT /helv 12 Tf 72 500 Td (Ja) Tj ET BT /helv 12 Tf 85.3 500 Td (ne Smith) Tj ET"
        pdf.pages[0].contents_add(_stream(pdf, content), prepend=False)

    return _edit(_base().tobytes(), change)


def deeply_nested_object(depth: int = 200) -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        inner: Any = pikepdf.String(NAME)
        for _ in range(depth):
            inner = pikepdf.Array([inner])
        pdf.Root.Deep = inner

    return _edit(_base().tobytes(), change)


def object_streams() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.Hidden = pdf.make_indirect(pikepdf.Dictionary(Who=pikepdf.String(NAME)))

    data = _edit(_base().tobytes(), change)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def broken_xref() -> bytes:
    """Every xref offset is wrong by a few bytes: MuPDF repairs the file; qpdf warns."""
    data = _base(f"Written by {NAME}.").tobytes()
    start = data.rindex(b"\nxref\n") + 1
    table = data[start:]
    shifted = bytearray(table)
    for offset in range(len(table)):
        if table[offset : offset + 8] == b" 00000 n":
            digits = table[offset - 10 : offset]
            shifted[offset - 10 : offset] = b"%010d" % (int(digits) + 3)
    return data[:start] + bytes(shifted)


def handmade_pdf(
    catalog_extra: bytes, content: bytes = b"BT /F1 12 Tf 72 720 Td (Harmless.) Tj ET"
) -> bytes:
    """A one-page PDF written byte by byte (so a string keeps the exact spelling given), with
    a correct cross-reference table."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R" + catalog_extra + b">>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R"
        b"/Resources<</Font<</F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>>>>>>>",
        b"<</Length %d>>stream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
