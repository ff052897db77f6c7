"""The allow-list rebuild: a new PDF made of what the pages need to be seen, and nothing else.

The pseudonymised document is not saved as it is. A new, empty document receives its pages
through MuPDF's page grafting, which copies a page's content, resources, boxes, rotation and
user unit and no other page key (so ``/StructParents``, ``/B`` article beads, ``/PieceInfo``,
``/Thumb`` and private keys stay behind), plus the kept annotations, links and form fields, and
then the outline (already pseudonymised). Nothing of the old catalog comes along: structure
tree, page labels, named destinations, article threads, optional content, JavaScript, embedded
files, XMP, the document ID and every unknown or private key. Saving the new document writes
one revision, so older revisions (incremental updates) never survive.

Annotations are then cut down to the keys that draw or describe them; an appearance keeps only
its normal (``/N``) state drawings, not the down (``/D``) or rollover (``/R``) ones.
"""

from __future__ import annotations

from collections import Counter

from readingroom.prepare.mupdf import Document, pymupdf

# What an annotation (or form field widget) needs to be drawn and used; everything else goes.
_ANNOT_KEYS = frozenset(
    [
        "Type",
        "Subtype",
        "Rect",
        "Contents",
        "P",
        "F",
        "AP",
        "AS",
        "Border",
        "C",
        "BS",
        "BE",
        "IC",
        "CA",
        "CL",
        "DA",
        "Q",
        "QuadPoints",
        "InkList",
        "L",
        "LE",
        "Vertices",
        "Dest",
        "A",
        "Popup",
        "Parent",
        "Open",
        "Name",
        "FT",
        "Ff",
        "V",
        "DV",
        "T",
        "TU",
        "Opt",
        "MK",
        "MaxLen",
        "Kids",
        "Subj",
        "RD",
        "IT",
        "LL",
        "LLE",
        "DS",
        "CreationDate",
        "M",
        "Rotate",
    ]
)
# Catalog entries that a reader of the pages needs; anything else found there is reported.
# (MuPDF keeps its own /Info there; the metadata is counted by the sanitising step.)
_CATALOG_KEYS = frozenset(("Type", "Pages", "Outlines", "AcroForm", "PageMode", "Info"))
_CATALOG_KINDS = {
    "StructTreeRoot": "structure tree",
    "MarkInfo": "structure tree",
    "PageLabels": "page labels",
    "Dests": "named destinations",
    "Names": "name trees (named destinations, JavaScript, files)",
    "Threads": "article threads",
    "OCProperties": "optional content layers",
    "PieceInfo": "private application data",
    "Metadata": "XMP metadata",
    "OpenAction": "open actions",
    "AA": "additional actions",
    "Lang": "document language",
    "Perms": "permissions",
    "Legal": "legal attestations",
    "SpiderInfo": "web capture data",
    "URI": "external links",
    "ViewerPreferences": "viewer preferences",
    "Collection": "attached files",
    "AF": "attached files",
    "Version": "version overrides",
    "Extensions": "extensions",
}


def _catalog_drops(doc: Document, dropped: Counter[str]) -> None:
    """Report what the old catalog held that the new one will not."""
    catalog = doc.pdf_catalog()
    for key in doc.xref_get_keys(catalog):
        name = str(key)
        if name not in _CATALOG_KEYS and doc.xref_get_key(catalog, name)[0] != "null":
            dropped[_CATALOG_KINDS.get(name, "unknown or private catalog keys")] += 1
    trailer = str(doc.xref_object(-1))
    if "/ID" in trailer:
        dropped["document ID"] += 1
    if "/Prev" in trailer or int(doc.version_count) > 1:
        dropped["older revisions"] += max(1, int(doc.version_count) - 1)


def _page_drops(doc: Document, dropped: Counter[str]) -> None:
    kept = {"Type", "Parent", "Contents", "Resources", "MediaBox", "CropBox", "BleedBox"}
    kept |= {"TrimBox", "ArtBox", "Rotate", "UserUnit", "Annots"}
    kinds = {"StructParents": "structure tree", "B": "article threads", "Thumb": "thumbnails"}
    for page in doc:
        for key in doc.xref_get_keys(page.xref):
            name = str(key)
            if name not in kept and doc.xref_get_key(page.xref, name)[0] != "null":
                dropped[kinds.get(name, "unknown or private page keys")] += 1


def _trim_annotations(doc: Document, dropped: Counter[str]) -> None:
    for page in doc:
        for xref, _type, _id in page.annot_xrefs():
            _trim_annotation(doc, int(xref), dropped)


def _trim_annotation(doc: Document, xref: int, dropped: Counter[str]) -> None:
    if xref <= 0:
        return
    for key in doc.xref_get_keys(xref):
        name = str(key)
        if name not in _ANNOT_KEYS:
            doc.xref_set_key(xref, name, "null")
            kind = "annotation names (/NM)" if name == "NM" else "unknown annotation keys"
            dropped[kind] += 1
    for state in ("D", "R"):
        if doc.xref_get_key(xref, f"AP/{state}")[0] != "null":
            doc.xref_set_key(xref, f"AP/{state}", "null")
            dropped["appearance states other than /N"] += 1


def rebuild(doc: Document, dropped: Counter[str]) -> Document:
    """A new document holding ``doc``'s pages, kept annotations, links, fields and outline.

    Args:
        doc: the sanitised, pseudonymised document (left open; the caller closes it).
        dropped: counts, per kind, of what does not come along (for the report).

    Returns:
        The new document (the caller saves and closes it).
    """
    _catalog_drops(doc, dropped)
    _page_drops(doc, dropped)
    toc = doc.get_toc(simple=False)
    new = pymupdf.open()
    try:
        new.insert_pdf(doc, links=True, annots=True, widgets=True)
        if toc:
            new.set_toc(toc)
        _trim_annotations(new, dropped)
        new.set_metadata({})
    except Exception:
        new.close()
        raise
    return new
