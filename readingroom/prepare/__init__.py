"""Preparing an agency's PDF for review: sanitise, pseudonymise, redact, then prove it.

    from readingroom.prepare import prepare_pdf, PrepareOptions, load_names_csv
    result = prepare_pdf(pdf_bytes, PrepareOptions(names=load_names_csv(path)))
    result.pdf, result.report

Sanitise-only is the default (no names, no terms). The prepared bytes are opened again and
verified before they are returned; a failure raises and returns nothing, so a caller that writes
only what it gets back can never leave an unverified file behind. See docs/prepare.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from readingroom.errors import (
    EngineUnavailable,
    InputFileError,
    NotVerified,
    OcrUnavailable,
    TermsRemain,
    UnverifiablePages,
)
from readingroom.prepare import folding, ocr, walk_qpdf
from readingroom.prepare.font_match import FontBook
from readingroom.prepare.matching import Matcher, Target, build_targets
from readingroom.prepare.mupdf import Document, pymupdf
from readingroom.prepare.names import (
    NameEntry,
    RedactionTerm,
    check_names_against_terms,
    load_names_csv,
    load_redaction_terms,
    parse_names_csv,
    parse_redaction_terms,
)
from readingroom.prepare.ocr_margins import occurrence_margins
from readingroom.prepare.prune import prune_input
from readingroom.prepare.pseudonymise import (
    replace_in_annotations,
    replace_in_outline,
    replace_on_page,
)
from readingroom.prepare.rebuild import rebuild
from readingroom.prepare.report import PrepareReport, engine_versions
from readingroom.prepare.review_sheet import build_review_sheet
from readingroom.prepare.sanitise import hidden_text_rects, sanitise_document
from readingroom.prepare.sheet_crops import OccurrenceRecorder, render_after
from readingroom.prepare.verify import Verification, verify_pdf

if TYPE_CHECKING:
    from readingroom.prepare.suggestions import Suggestion

__all__ = [
    "NameEntry",
    "PrepareOptions",
    "PrepareReport",
    "PreparedDocument",
    "RedactionTerm",
    "Verification",
    "load_names_csv",
    "load_redaction_terms",
    "parse_names_csv",
    "parse_redaction_terms",
    "prepare_pdf",
    "verify_pdf",
]

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PrepareOptions:
    """What to do: the name map, the terms, and how strict to be about scanned pages."""

    names: Sequence[NameEntry] = ()
    terms: Sequence[RedactionTerm] = ()
    allow_unverifiable_pages: bool = False
    report_includes_originals: bool = False
    """Whether the report whose hash is stamped into the PDF names the originals."""
    progress: Progress | None = field(default=None, compare=False)
    """Called as ``progress(done, total)``; total is twice the page count (prepare + verify),
    three times with a review sheet (its pictures of the prepared pages)."""
    review_sheet: bool = False
    """Also make the review sheet (HTML with the originals: as sensitive as the draft)."""
    suggestions: Sequence[Suggestion] = ()
    """The likely names the names file misses, listed on the review sheet."""


@dataclass(frozen=True)
class PreparedDocument:
    """The verified prepared PDF and the report of what was done."""

    pdf: bytes
    report: PrepareReport
    report_json: bytes
    """The report as JSON: its SHA-256 is in the PDF's ``/ReadingRoomPrepared`` Info key."""
    review_sheet: bytes | None = None
    """The review sheet's HTML when asked for (:mod:`readingroom.prepare.review_sheet`)."""


def _open_input(pdf: bytes) -> Document:
    try:
        doc = pymupdf.open(stream=pdf, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises several types on hostile input
        raise InputFileError("The input file is not a PDF or is too damaged to read.") from exc
    if doc.needs_pass or doc.is_encrypted:
        doc.close()
        raise InputFileError(
            "The input PDF is encrypted. Remove the password with the tool that made it first."
        )
    if not doc.is_pdf or doc.page_count == 0:
        doc.close()
        raise InputFileError("The input file is not a PDF with at least one page.")
    return doc


def _pseudonymise_pages(
    doc: Document, matcher: Matcher, report: PrepareReport, sheet: OccurrenceRecorder | None
) -> None:
    """Replace on every page, reading pixels where the text layer is missing or untrusted."""
    fonts = FontBook(doc)
    for page in doc:
        number = page.number + 1
        hidden = hidden_text_rects(page)
        if hidden:
            report.sanitised["hidden text spans"] += len(hidden)
            report.page(number).dropped["hidden text spans"] += len(hidden)
        text = str(page.get_text("text"))
        usable = ocr.has_usable_text_layer(page, text)
        if matcher.targets and (not usable or ocr.has_word_sized_images(page)):
            if text.strip() and not usable:
                # An untrusted text layer can still say a name (a ToUnicode map that lies the
                # other way: other glyphs drawn, the name claimed): it is replaced as text too,
                # before the pixels are read.
                if sheet is not None:
                    sheet.record_page(page, matcher)
                replace_on_page(page, matcher, report, hidden, fonts=fonts)
            # One OCR per page: with a usable text layer only the images are read, and their
            # words are merged with the page's own text, so one replacement pass covers both.
            # OCR's boxes are tight, so each occurrence in the pixels is also removed with a
            # margin (ocr_margins) and no fragment of a letter is left around the label.
            reading = ocr.read(page, full=not usable)
            margins = occurrence_margins(page, reading, matcher)
            if sheet is not None:
                sheet.record_page(page, matcher, textpage=reading.textpage, place="OCR")
            replace_on_page(
                page, matcher, report, [*hidden, *margins], textpage=reading.textpage, place="OCR"
            )
            report.page(number).found_by = "OCR" if not usable else "text layer and OCR"
        else:
            if sheet is not None:
                sheet.record_page(page, matcher)
            replace_on_page(page, matcher, report, hidden, fonts=fonts)
            report.page(number).found_by = "text layer" if text.strip() else "none needed"
        if report.progress is not None:
            report.progress(number)


def _transform(
    doc: Document, matcher: Matcher, report: PrepareReport, sheet: OccurrenceRecorder | None
) -> bytes:
    metadata: dict[str, object] = dict(doc.metadata or {})
    for value in metadata.values():
        if isinstance(value, str) and value:
            # Metadata is removed whole below; counting here keeps the report honest.
            for match in matcher.find(value):
                report.count(match.target, place="metadata")
    report.sanitised.update(sanitise_document(doc))
    replace_in_outline(doc, matcher, report)
    replace_in_annotations(doc, matcher, report)
    _pseudonymise_pages(doc, matcher, report, sheet)
    new = rebuild(doc, report.sanitised)
    try:
        _add_stamp_placeholder(new)
        # garbage=2 writes only the objects the new document reaches; a full rewrite (not
        # incremental) writes one revision. Not 3: merging duplicates is quadratic in MuPDF.
        return bytes(new.tobytes(garbage=2, deflate=True, clean=False))
    finally:
        new.close()


def _pruned_input(pdf: bytes, report: PrepareReport) -> Document:
    """Open the input, let MuPDF repair it, drop hidden layers and unused resources (qpdf),
    and open the result: the document the later steps work on."""
    doc = _open_input(pdf)
    try:
        repaired = bytes(doc.tobytes(garbage=1))
    finally:
        doc.close()
    pruned, dropped = prune_input(repaired)
    report.sanitised.update(dropped)
    return _open_input(pruned)


# The Info dictionary is written with this placeholder; once the file is verified the zeros
# become the report's hash, byte for byte in place, so no offset moves and nothing else changes.
STAMP_KEY = "ReadingRoomPrepared"
_PLACEHOLDER = "v1 sha256:" + "0" * 64


def _add_stamp_placeholder(doc: Document) -> None:
    info = doc.get_new_xref()
    doc.update_object(info, f"<</{STAMP_KEY} ({_PLACEHOLDER})>>")
    doc.xref_set_key(-1, "Info", f"{info} 0 R")


def _stamp(pdf: bytes, report_json: bytes) -> bytes:
    """Fill ``/ReadingRoomPrepared (v1 sha256:<hash of the report JSON>)`` in the Info dict."""
    placeholder = f"({_PLACEHOLDER})".encode("ascii")
    if pdf.count(placeholder) != 1:
        raise NotVerified(reason="stamp placeholder not found once")
    digest = hashlib.sha256(report_json).hexdigest()
    return pdf.replace(placeholder, f"(v1 sha256:{digest})".encode("ascii"))


def prepare_pdf(pdf: bytes, options: PrepareOptions) -> PreparedDocument:
    """Sanitise, pseudonymise and redact ``pdf``, then verify the result from its bytes.

    Args:
        pdf: the input document.
        options: names, terms, strictness and progress callback.

    Returns:
        The prepared, verified bytes and the report.

    Raises:
        InputFileError: the input is encrypted, damaged, not a PDF or has no pages; or the
            names and terms contradict each other.
        TermsRemain: an original or term is still found in the prepared document.
        UnverifiablePages: pages without a text layer, unless allowed by the options.
    """
    names, terms = list(options.names), list(options.terms)
    check_names_against_terms(names, terms)
    try:
        folding.check_available()
    except folding.FoldingDataMissing as exc:
        raise EngineUnavailable from exc
    targets = build_targets(names, terms)
    matcher = Matcher(targets)
    report = PrepareReport(names=names, terms=terms)
    report.engines = engine_versions()
    if targets:
        # Fail early and in one line when a page will need OCR and there is no Tesseract.
        report.engines["tesseract"] = _tesseract_if_present()
    try:
        doc = _pruned_input(pdf, report)
    except InputFileError:
        raise
    except walk_qpdf.EngineMissing as exc:
        raise EngineUnavailable from exc
    except Exception as exc:  # hostile input can make either engine fail anywhere
        raise InputFileError("The input PDF is too damaged or unusual to prepare safely.") from exc
    pages = doc.page_count
    report.page_count = pages
    sheet = OccurrenceRecorder() if options.review_sheet else None
    steps = 2 if sheet is None else 3

    def progress(done: int) -> None:
        if options.progress is not None:
            options.progress(done, pages * steps)

    report.progress = progress
    try:
        prepared = _transform(doc, matcher, report, sheet)
    except (InputFileError, TermsRemain):
        raise
    except Exception as exc:  # hostile input can make PyMuPDF fail anywhere in the rewrite
        raise InputFileError("The input PDF is too damaged or unusual to prepare safely.") from exc
    finally:
        doc.close()
        report.progress = None

    verification = _verify(prepared, targets, lambda done: progress(pages + done))
    report.record_verification(verification)
    _refuse_unless_clean(verification, options)
    report.verified = True
    report_json = report.to_json(include_originals=options.report_includes_originals)
    stamped = _stamp(prepared, report_json)
    review_sheet = None
    if sheet is not None:
        review_sheet = _review_sheet(
            sheet,
            stamped,
            report=report,
            report_json=report_json,
            options=options,
            progress=lambda done: progress(2 * pages + done),
        )
    return PreparedDocument(
        pdf=stamped, report=report, report_json=report_json, review_sheet=review_sheet
    )


def _review_sheet(
    sheet: OccurrenceRecorder,
    prepared: bytes,
    *,
    report: PrepareReport,
    report_json: bytes,
    options: PrepareOptions,
    progress: Callable[[int], None],
) -> bytes:
    """Draw the occurrences from the verified copy and build the sheet (one safe error)."""
    try:
        after = render_after(prepared, sheet.occurrences, progress)
        return build_review_sheet(
            occurrences=sheet.occurrences,
            after=after,
            report=report.to_dict(),
            suggestions=options.suggestions,
            prepared_pdf=prepared,
            report_json=report_json,
        )
    except Exception as exc:  # MuPDF can fail anywhere; the caller then writes nothing
        raise InputFileError("The review sheet could not be drawn; nothing was written.") from exc


def _tesseract_if_present() -> str:
    try:
        return ocr.tesseract_version()
    except OcrUnavailable:
        return "not installed"


def _verify(
    pdf: bytes, targets: list[Target], progress: Callable[[int], None] | None
) -> Verification:
    try:
        return verify_pdf(pdf, targets, progress=progress)
    except (InputFileError, OcrUnavailable):
        raise
    except walk_qpdf.EngineMissing as exc:
        raise EngineUnavailable from exc
    except Exception as exc:  # a check that cannot run is a check that failed: fail closed
        raise NotVerified(reason="verification crashed") from exc


def _refuse_unless_clean(verification: Verification, options: PrepareOptions) -> None:
    if not verification.clean:
        places = [
            f"{place} could not be read, so it is not proven clean"
            for place in verification.unreadable
        ]
        raise TermsRemain(
            tuple(places + [f.describe() for f in verification.findings]),
            places_with_originals=tuple(
                places + [f.describe(include_originals=True) for f in verification.findings]
            ),
        )
    if verification.unverifiable_pages and not options.allow_unverifiable_pages:
        raise UnverifiablePages(tuple(verification.unverifiable_pages))
