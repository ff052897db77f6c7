"""Proving a prepared PDF: open it again from its bytes and look for every original and term.

The check does not trust the preparation step: it reads the file the way a reader would (text
extraction of each page, outline, metadata, annotations, form fields, attachment names) and the
way a forensic tool would (decompressed page content streams and annotation appearance
streams). A place is named ("page 3", "outline entry 2", "metadata field Author") but the text
found there is not, unless the caller renders the places with originals.

Pages with no text layer (scans) cannot be checked; they are listed separately.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from readingroom.errors import InputFileError
from readingroom.prepare.matching import Matcher, Target
from readingroom.prepare.mupdf import Document, Page, pymupdf

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

    @property
    def clean(self) -> bool:
        """True when no original or term was found anywhere."""
        return not self.findings


def _normalised_page_text(text: str) -> str:
    # Words split by a hyphen at a line end are joined, as a reader (or a search engine) would.
    joined = re.sub(r"[-\u00ad\u2010][ \t]*\n[ \t]*", "", text)
    return joined


class _Checker:
    def __init__(self, targets: Sequence[Target]) -> None:
        self.matcher = Matcher(targets)
        self.findings: list[Finding] = []
        self._seen: set[tuple[str, str]] = set()

    def check(self, text: str, place: str) -> None:
        for match in self.matcher.find(text):
            if (match.target.key, place) not in self._seen:
                self._seen.add((match.target.key, place))
                self.findings.append(Finding(match.target, place))

    def check_bytes(self, data: bytes, place: str) -> None:
        # Content streams are bytes; literal strings in simple encodings show up as Latin-1.
        self.check(data.decode("latin-1"), place)


def _check_page(doc: Document, page: Page, checker: _Checker) -> bool:
    """Check one page; return False when it has no text layer to check."""
    number = page.number + 1
    text = str(page.get_text("text", flags=_TEXT_FLAGS))
    checker.check(text, f"page {number}")
    checker.check(_normalised_page_text(text), f"page {number}")
    checker.check_bytes(bytes(page.read_contents()), f"the content stream of page {number}")
    for index, (xref, _type, _id) in enumerate(page.annot_xrefs(), start=1):
        _check_annotation(doc, int(xref), f"annotation {index} on page {number}", checker)
    for widget in page.widgets() or []:
        place = f"form field on page {number}"
        for value in (widget.field_value, widget.field_label, widget.field_name):
            if isinstance(value, str):
                checker.check(value, place)
        for choice in widget.choice_values or []:
            checker.check(str(choice), place)
    has_text = bool(text.strip())
    return has_text or not (page.get_images(full=False) or page.get_drawings())


def _check_annotation(doc: Document, xref: int, place: str, checker: _Checker) -> None:
    for key in ("Contents", "T", "Subj", "TU", "V", "DV", "Alt", "RC"):
        kind, value = doc.xref_get_key(xref, key)
        if kind == "string":
            checker.check(str(value), place)
    kind, ref = doc.xref_get_key(xref, "AP/N")
    if kind == "xref":
        stream_xref = int(str(ref).split()[0])
        if doc.xref_is_stream(stream_xref):
            checker.check_bytes(bytes(doc.xref_stream(stream_xref) or b""), place)


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


def verify_pdf(
    pdf: bytes,
    targets: Sequence[Target],
    *,
    progress: Callable[[int], None] | None = None,
) -> Verification:
    """Look for every target in ``pdf`` and list the pages that have no text layer.

    Args:
        pdf: the prepared document, exactly as it will be written.
        targets: originals and terms (see :func:`readingroom.prepare.matching.build_targets`).
        progress: called with the number of pages checked so far.

    Raises:
        InputFileError: the bytes do not open as a PDF.
    """
    try:
        doc = pymupdf.open(stream=pdf, filetype="pdf")
    except (RuntimeError, ValueError) as exc:
        raise InputFileError("The prepared document could not be opened again.") from exc
    checker = _Checker(targets)
    unverifiable: list[int] = []
    with doc:
        for page in doc:
            if not _check_page(doc, page, checker):
                unverifiable.append(page.number + 1)
            if progress is not None:
                progress(page.number + 1)
        _check_document(doc, checker)
    return Verification(findings=checker.findings, unverifiable_pages=unverifiable)


def describe_findings(findings: Iterable[Finding], *, include_originals: bool = False) -> str:
    """All findings on one line each, for the error message."""
    return "\n".join(f"  {f.describe(include_originals=include_originals)}" for f in findings)
