"""Removing everything from a PDF that runs, calls out, hides or tells more than the pages.

Kept: the pages, internal links (``/GoTo`` and page-navigation named actions) and the outline.
Removed: JavaScript, open and additional actions, launch / URI / submit-form / remote go-to and
other actions, embedded and attached files, XFA, RichMedia and other multimedia annotations,
document metadata and XMP, page thumbnails, private application data, and invisible text on
pages that have no image under it (text drawn invisible on a text page is a hiding place; on a
scanned page it is the OCR layer, which is kept so the page can be verified).
"""

from __future__ import annotations

from collections import Counter

from readingroom.prepare.mupdf import Document, Page, Rect, pymupdf

_NAVIGATION = {"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"}
_ACTION_KINDS = {
    "/JavaScript": "JavaScript",
    "/Launch": "launch actions",
    "/URI": "external links",
    "/SubmitForm": "submit-form actions",
    "/ImportData": "import-data actions",
    "/ResetForm": "reset-form actions",
    "/GoToR": "remote go-to actions",
    "/GoToE": "remote go-to actions",
    "/Named": "named actions",
    "/RichMediaExecute": "RichMedia",
}
_DROPPED_ANNOTS = {
    "/FileAttachment": "attached files",
    "/RichMedia": "RichMedia",
    "/Screen": "multimedia annotations",
    "/Movie": "multimedia annotations",
    "/Sound": "multimedia annotations",
    "/3D": "multimedia annotations",
}
# Keys that, wherever they appear, carry something the prepared file must not keep.
_DROPPED_KEYS = {
    "AA": "additional actions",
    "Thumb": "page thumbnails",
    "Metadata": "XMP metadata",
    "PieceInfo": "private application data",
    "AF": "attached files",
}


def _key(doc: Document, xref: int, key: str) -> tuple[str, str]:
    kind, value = doc.xref_get_key(xref, key)
    return str(kind), str(value)


def _action_kind(doc: Document, xref: int, key: str) -> str | None:
    """The report kind of the action at ``xref``/``key``, or None if it may stay."""
    kind, subtype = _key(doc, xref, f"{key}/S")
    if kind == "null":
        return None if _key(doc, xref, key)[0] == "null" else "other actions"
    if subtype == "/GoTo":
        return None
    if subtype == "/Named" and _key(doc, xref, f"{key}/N")[1] in _NAVIGATION:
        return None
    return _ACTION_KINDS.get(subtype, "other actions")


def _sweep_annotations(doc: Document, removed: Counter[str]) -> set[int]:
    """Drop multimedia, attachment and outward link annotations from every page."""
    dropped: set[int] = set()
    for page in doc:
        kept: list[int] = []
        changed = False
        for xref, _type, _id in page.annot_xrefs():
            if int(xref) <= 0:
                # Written inline in /Annots instead of as an object: nothing else here can read
                # it by number (its actions and texts would escape the sweeps), so it goes.
                removed["inline annotations"] += 1
                changed = True
                continue
            subtype = _key(doc, int(xref), "Subtype")[1]
            kind = _DROPPED_ANNOTS.get(subtype)
            if kind is None and subtype == "/Link":
                kind = _action_kind(doc, int(xref), "A")
            if kind is None:
                kept.append(int(xref))
            else:
                removed[kind] += 1
                dropped.add(int(xref))
                changed = True
        if changed:
            refs = " ".join(f"{xref} 0 R" for xref in kept)
            doc.xref_set_key(page.xref, "Annots", f"[{refs}]")
    return dropped


def _sweep_objects(doc: Document, skip: set[int], removed: Counter[str]) -> None:
    """Visit every object: drop outward actions and the keys listed in ``_DROPPED_KEYS``."""
    for xref in range(1, doc.xref_length()):
        if xref in skip:
            continue
        try:
            keys = set(doc.xref_get_keys(xref))
        except (RuntimeError, ValueError, pymupdf.mupdf.FzErrorBase):
            # A broken or free object (MuPDF's "cannot find object in xref" is an FzErrorBase,
            # not a RuntimeError): saving with garbage collection drops it.
            continue
        for key, kind in _DROPPED_KEYS.items():
            if key in keys:
                doc.xref_set_key(xref, key, "null")
                removed[kind] += 1
        if "A" in keys:
            action = _action_kind(doc, xref, "A")
            if action is not None:
                doc.xref_set_key(xref, "A", "null")
                removed[action] += 1
            elif _key(doc, xref, "A/Next")[0] != "null":
                # A harmless go-to can chain to anything; the chain goes.
                doc.xref_set_key(xref, "A/Next", "null")
                removed["chained actions"] += 1


def _sweep_catalog(doc: Document, removed: Counter[str]) -> None:
    catalog = doc.pdf_catalog()
    for key, kind in (
        ("OpenAction", "open actions"),
        ("Names/JavaScript", "JavaScript"),
        ("AcroForm/XFA", "XFA forms"),
        ("Collection", "attached files"),
        ("URI", "external links"),
    ):
        if _key(doc, catalog, key)[0] != "null":
            doc.xref_set_key(catalog, key, "null")
            removed[kind] += 1
    # An XFA form renders from its XML, so the flag asking viewers to do that must go too.
    if _key(doc, catalog, "AcroForm/NeedsRendering")[0] != "null":
        doc.xref_set_key(catalog, "AcroForm/NeedsRendering", "null")


def _sweep_files_and_metadata(doc: Document, removed: Counter[str]) -> None:
    count = int(doc.embfile_count())
    for _ in range(count):
        doc.embfile_del(0)
    if count:
        removed["embedded files"] += count
    catalog = doc.pdf_catalog()
    if _key(doc, catalog, "Names/EmbeddedFiles")[0] != "null":
        doc.xref_set_key(catalog, "Names/EmbeddedFiles", "null")
    # "format" and "encryption" describe the file; they are not stored metadata fields.
    metadata: dict[str, object] = dict(doc.metadata or {})
    fields = sum(
        1
        for key, value in metadata.items()
        if key not in {"format", "encryption"} and value and value != "none"
    )
    if fields:
        removed["metadata fields"] += fields
    doc.set_metadata({})
    if doc.get_xml_metadata():
        removed["XMP metadata"] += 1
    doc.del_xml_metadata()


def sanitise_document(doc: Document) -> Counter[str]:
    """Remove active content, attachments and metadata from ``doc`` in place.

    Returns:
        How many things of each kind were removed (keys are report wording).
    """
    removed: Counter[str] = Counter()
    _sweep_catalog(doc, removed)
    _sweep_files_and_metadata(doc, removed)
    dropped = _sweep_annotations(doc, removed)
    _sweep_objects(doc, dropped, removed)
    return removed


def hidden_text_rects(page: Page) -> list[Rect]:
    """Rectangles of text that cannot be seen: invisible or transparent text on a page with
    no image under it, and text placed entirely outside the visible page."""
    visible = page.rect
    has_images = bool(page.get_images(full=False))
    rects: list[Rect] = []
    for span in page.get_texttrace():
        rect = pymupdf.Rect(span["bbox"])
        invisible = int(span.get("type", 0)) == 3 or float(span.get("opacity", 1.0)) == 0.0
        if (invisible and not has_images) or not rect.intersects(visible):
            rects.append(rect)
    return rects
