"""Preparing an agency's PDF for review: sanitise, pseudonymise, redact, then prove it.

    from readingroom.prepare import prepare_pdf, PrepareOptions, load_names_csv
    result = prepare_pdf(pdf_bytes, PrepareOptions(names=load_names_csv(path)))
    result.pdf, result.report

Sanitise-only is the default (no names, no terms). The prepared bytes are opened again and
verified before they are returned; a failure raises and returns nothing, so a caller that writes
only what it gets back can never leave an unverified file behind. See docs/prepare.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from readingroom.errors import InputFileError, NotVerified, TermsRemain, UnverifiablePages
from readingroom.prepare.matching import Matcher, build_targets
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
from readingroom.prepare.pseudonymise import (
    replace_in_annotations,
    replace_in_outline,
    replace_on_page,
)
from readingroom.prepare.report import PrepareReport
from readingroom.prepare.sanitise import hidden_text_rects, sanitise_document
from readingroom.prepare.verify import Verification, verify_pdf

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
    progress: Progress | None = field(default=None, compare=False)
    """Called as ``progress(done, total)``; total is twice the page count (prepare + verify)."""


@dataclass(frozen=True)
class PreparedDocument:
    """The verified prepared PDF and the report of what was done."""

    pdf: bytes
    report: PrepareReport


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


def _transform(
    doc: Document, matcher: Matcher, options: PrepareOptions, report: PrepareReport
) -> bytes:
    total = doc.page_count * 2
    metadata: dict[str, object] = dict(doc.metadata or {})
    for value in metadata.values():
        if isinstance(value, str) and value:
            # Metadata is removed whole below; counting here keeps the report honest.
            for match in matcher.find(value):
                report.count(match.target, place="metadata")
    report.sanitised.update(sanitise_document(doc))
    replace_in_outline(doc, matcher, report)
    replace_in_annotations(doc, matcher, report)
    for page in doc:
        hidden = hidden_text_rects(page)
        if hidden:
            report.sanitised["hidden text spans"] += len(hidden)
        replace_on_page(page, matcher, report, hidden)
        if options.progress is not None:
            options.progress(page.number + 1, total)
    # garbage=2 drops the replaced content streams and removed objects instead of leaving them
    # orphaned in the file; a full rewrite (not incremental) drops earlier revisions. Not 3:
    # merging duplicate objects is quadratic in MuPDF (minutes on a real 40,000-object PDF) and
    # removes nothing more.
    return bytes(doc.tobytes(garbage=2, deflate=True, clean=False))


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
    targets = build_targets(names, terms)
    matcher = Matcher(targets)
    report = PrepareReport(names=names, terms=terms)
    doc = _open_input(pdf)
    try:
        report.page_count = doc.page_count
        prepared = _transform(doc, matcher, options, report)
    except (InputFileError, TermsRemain):
        raise
    except Exception as exc:  # hostile input can make PyMuPDF fail anywhere in the rewrite
        raise InputFileError("The input PDF is too damaged or unusual to prepare safely.") from exc
    finally:
        doc.close()

    pages = report.page_count

    def verified_page(done: int) -> None:
        if options.progress is not None:
            options.progress(pages + done, pages * 2)

    try:
        verification = verify_pdf(prepared, targets, progress=verified_page)
    except InputFileError:
        raise
    except Exception as exc:  # a check that cannot run is a check that failed: fail closed
        raise NotVerified(reason="verification crashed") from exc
    report.unverifiable_pages = verification.unverifiable_pages
    if not verification.clean:
        raise TermsRemain(
            tuple(f.describe() for f in verification.findings),
            places_with_originals=tuple(
                f.describe(include_originals=True) for f in verification.findings
            ),
        )
    if verification.unverifiable_pages and not options.allow_unverifiable_pages:
        raise UnverifiablePages(tuple(verification.unverifiable_pages))
    report.verified = True
    return PreparedDocument(pdf=prepared, report=report)
