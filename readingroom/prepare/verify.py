"""Proving a prepared PDF: open it again from its bytes and look for every original and term.

The check does not trust the preparation step. It reads the file three ways:

* as a reader would, with MuPDF: the text of every page with every optional-content layer
  forced on, the outline, metadata, annotations, form fields and attachment names; and, for a
  page whose text layer cannot be trusted (a scan, glyphs without Unicode, a Type3 font) or
  that carries an image large enough to hold a word, an OCR of the page rendered at 300 dpi;
* as a forensic tool would, with MuPDF: every object in the cross-reference table, reachable
  or not, every string and name in it in every encoding, every stream decompressed
  (:mod:`readingroom.prepare.walk_mupdf`);
* the raw bytes of the file, with every Flate stream body inflated, whatever any
  cross-reference table says (an object left outside every xref section is found too);
* the same object walk with a second engine of another lineage, qpdf
  (:mod:`readingroom.prepare.walk_qpdf`), which also refuses a file it would have to repair.

A place is named ("page 3", "object 12 (XObject/Form stream)") but the text found there is
not, unless the caller renders the places with originals. Pages that OCR cannot read are listed
separately as unverifiable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from readingroom.errors import InputFileError
from readingroom.prepare import ocr, walk_mupdf, walk_qpdf
from readingroom.prepare.matching import Matcher, Target
from readingroom.prepare.mupdf import Document, Page, pymupdf
from readingroom.prepare.pdf_strings import raw_file_readings

_TEXT_FLAGS: int = (
    pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_PRESERVE_LIGATURES
) & ~pymupdf.TEXT_MEDIABOX_CLIP


@dataclass(frozen=True)
class Finding:
    """One original or term still present, and where."""

    target: Target
    place: str

    def describe(self, *, include_originals: bool = False) -> str:
        """One line for the user; the original is echoed only when asked for."""
        if self.target.is_redaction:
            what = f"the redaction term on terms file line {self.target.line}"
        else:
            what = (
                f"an original for '{self.target.replacement}' (names file line {self.target.line})"
            )
        if include_originals:
            what += f" ('{self.target.text}')"
        return f"{what} remains in {self.place}"


@dataclass
class Verification:
    """The outcome: what remains (empty when clean) and which pages could not be checked."""

    findings: list[Finding]
    unverifiable_pages: list[int]
    page_checks: dict[int, list[str]] = field(default_factory=dict)
    """Per page (1-based): how it was checked ("text layer", "OCR")."""
    unreadable: list[str] = field(default_factory=list)
    """Places an engine could not read: the check failed there, so the file is not clean."""

    @property
    def clean(self) -> bool:
        """True when no original or term was found anywhere and every engine read everything."""
        return not self.findings and not self.unreadable


def _normalised_page_text(text: str) -> str:
    # Words split by a hyphen at a line end are joined, as a reader (or a search engine) would.
    joined = re.sub(r"[-\u00ad\u2010][ \t]*\n[ \t]*", "", text)
    return joined


class _Checker:
    def __init__(self, targets: Sequence[Target]) -> None:
        self.matcher = Matcher(targets)
        self.findings: list[Finding] = []
        self.unreadable_places: list[str] = []
        self._seen: set[tuple[str, str]] = set()

    def unreadable(self, place: str) -> None:
        self.unreadable_places.append(place)

    def check(self, text: str, place: str) -> None:
        for match in self.matcher.find(text):
            if (match.target.key, place) not in self._seen:
                self._seen.add((match.target.key, place))
                self.findings.append(Finding(match.target, place))


def _check_page(doc: Document, page: Page, checker: _Checker) -> list[str]:
    """Check one page; return how it was checked (empty when it could not be)."""
    number = page.number + 1
    text = str(page.get_text("text", flags=_TEXT_FLAGS))
    checker.check(text, f"page {number}")
    checker.check(_normalised_page_text(text), f"page {number}")
    for index, (xref, _type, _id) in enumerate(page.annot_xrefs(), start=1):
        _check_annotation(doc, int(xref), f"annotation {index} on page {number}", checker)
    for widget in page.widgets() or []:
        place = f"form field on page {number}"
        for value in (widget.field_value, widget.field_label, widget.field_name):
            if isinstance(value, str):
                checker.check(value, place)
        for choice in widget.choice_values or []:
            checker.check(str(choice), place)
    methods = ["text layer"] if text.strip() else []
    usable = ocr.has_usable_text_layer(page, text)
    if checker.matcher.targets and (not usable or ocr.has_word_sized_images(page)):
        # A scan is read whole; on a text page each image is read (with the page's text).
        reading = ocr.read(page, full=not usable)
        words = ocr.reading_words(reading)
        checker.check(words, f"page {number} (OCR of the rendered page)")
        checker.check(_normalised_page_text(words), f"page {number} (OCR of the rendered page)")
        # The words as OCR returned them too, independent of how the TextPage was assembled.
        checker.check(" ".join(w for _, w in reading.words), f"page {number} (OCR words)")
        if reading.unexplained_ink:
            # Ink OCR could not read may be a name it cannot see: fail closed.
            return []
        if reading.words:
            methods.append("OCR")
        elif not usable:
            methods = ["OCR: no readable ink"]  # a blank scan: nothing to hide
    elif not usable and (page.get_images(full=False) or page.get_drawings()):
        # Nothing to look for (no names, no terms): the page needs no reading.
        methods = ["nothing to find"] if not checker.matcher.targets else []
    if (
        not methods
        and not text.strip()
        and not (page.get_images(full=False) or page.get_drawings())
    ):
        methods = ["blank page"]
    return methods


def _check_annotation(doc: Document, xref: int, place: str, checker: _Checker) -> None:
    for key in ("Contents", "T", "Subj", "TU", "V", "DV", "Alt", "RC"):
        kind, value = doc.xref_get_key(xref, key)
        if kind == "string":
            checker.check(str(value), place)


def _check_document(doc: Document, checker: _Checker) -> None:
    for index, entry in enumerate(doc.get_toc(simple=True), start=1):
        checker.check(str(entry[1]), f"outline entry {index}")
    for name, value in (doc.metadata or {}).items():
        if isinstance(value, str):
            checker.check(value, f"metadata field {name}")
    checker.check(str(doc.get_xml_metadata() or ""), "XMP metadata")
    for index, name in enumerate(doc.embfile_names(), start=1):
        checker.check(str(name), f"attachment {index}")
        info = doc.embfile_info(name)
        for key in ("filename", "ufilename", "description"):
            checker.check(str(info.get(key, "")), f"attachment {index}")


def _check_walk(walk: Iterable[tuple[str, Iterable[str]]], engine: str, checker: _Checker) -> None:
    for place, readings in walk:
        # One search per place: the separator stops a match from spanning two readings (it is
        # neither whitespace nor part of a word), and thousands of tiny searches cost seconds.
        text = "\x00".join(readings)
        if checker.matcher.might_occur_in(text):
            checker.check(text, f"{place}, read by {engine}")


def _layers_on(doc: Document) -> None:
    """Force every optional-content layer on, so text in a hidden layer is extracted too."""
    groups = doc.get_ocgs()
    if groups:
        doc.set_layer(-1, on=[int(xref) for xref in groups])


def verify_pdf(
    pdf: bytes,
    targets: Sequence[Target],
    *,
    progress: Callable[[int], None] | None = None,
    pages: bool = True,
) -> Verification:
    """Look for every target in ``pdf`` with both engines; list the pages no check could read.

    Args:
        pdf: the prepared document, exactly as it will be written.
        targets: originals and terms (see :func:`readingroom.prepare.matching.build_targets`).
        progress: called with the number of pages checked so far.
        pages: False to walk the objects only (no page text, no OCR).

    Raises:
        InputFileError: the bytes do not open as a PDF.
        OcrUnavailable: a page needs OCR and Tesseract is missing.
    """
    try:
        doc = pymupdf.open(stream=pdf, filetype="pdf")
    except (RuntimeError, ValueError) as exc:
        raise InputFileError("The prepared document could not be opened again.") from exc
    checker = _Checker(targets)
    unverifiable: list[int] = []
    page_checks: dict[int, list[str]] = {}
    with doc:
        if doc.is_repaired:
            checker.unreadable("the file structure (MuPDF had to repair it)")
        _layers_on(doc)
        for page in doc if pages else ():
            methods = _check_page(doc, page, checker)
            page_checks[page.number + 1] = methods
            if not methods:
                unverifiable.append(page.number + 1)
            if progress is not None:
                progress(page.number + 1)
        _check_document(doc, checker)
        if targets:
            try:
                _check_walk(walk_mupdf.walk_objects(doc), walk_mupdf.ENGINE, checker)
                _check_walk(walk_mupdf.walk_trailer(doc), walk_mupdf.ENGINE, checker)
            except walk_mupdf.UnreadableObject as error:
                checker.unreadable(f"{error.place}, read by {walk_mupdf.ENGINE}")
    if targets:
        _check_walk(raw_file_readings(pdf), "a byte scan", checker)
    try:
        if targets:
            _check_walk(walk_qpdf.walk_objects(pdf), walk_qpdf.ENGINE, checker)
        else:
            walk_qpdf.open_strictly(pdf).close()
    except walk_mupdf.UnreadableObject as error:
        checker.unreadable(f"{error.place}, read by {walk_qpdf.ENGINE}")
    return Verification(
        findings=checker.findings,
        unverifiable_pages=unverifiable,
        page_checks=page_checks,
        unreadable=checker.unreadable_places,
    )


def describe_findings(findings: Iterable[Finding], *, include_originals: bool = False) -> str:
    """All findings on one line each, for the error message."""
    return "\n".join(f"  {f.describe(include_originals=include_originals)}" for f in findings)
