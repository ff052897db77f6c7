"""The draft's text as the suggestions read it, with what the lists already cover blanked out.

Every place ``prepare`` rewrites is read: the pages' text (dehyphenated, so a name broken as
"Oka-" / "for" is read whole; including text off the visible page), outline titles, annotation
contents, authors and subjects, and form field values. Whatever the names file or the terms file
already covers, and every label of the names file, is overwritten with a separator character
before anything else looks at the text, so it can be neither suggested nor glued to a
neighbouring word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from readingroom.errors import InputFileError
from readingroom.prepare.matching import Matcher, Target, build_targets
from readingroom.prepare.mupdf import Document, Page, pymupdf
from readingroom.prepare.names import NameEntry, RedactionTerm

MASK = "\x1f"
"""Stands in for covered text: not a letter, not whitespace, so it ends any run of words."""

EXTRACT_FLAGS: int = pymupdf.TEXT_PRESERVE_WHITESPACE & ~pymupdf.TEXT_MEDIABOX_CLIP

# A word broken by the layout ("Oka-" / "for"): the hyphen and line break go when a lower-case
# letter follows. A capital after the break is kept apart: "Smith-" / "Jones" is double-barrelled.
_SOFT_BREAK = re.compile(r"[-\u00ad\u2010](?<=[^\W\d_].)[ \t]*\n[ \t]*(?=[^\W\d_A-Z])")

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*")
_PUNCTUATION = "\"'()[]{}<>,.;:!?*\u2018\u2019\u201c\u201d\u2013\u2014-/" + MASK
_CAPITALS_WORD = re.compile(r"\b[A-Z][A-Z]+\b")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class TextPiece:
    """One piece of the draft's text and where it is (1-based page; 0 for the outline)."""

    page: int
    text: str


@dataclass(frozen=True)
class DocumentWords:
    """What the whole document says about its own words."""

    lower_case: frozenset[str]
    """Words the document writes in lower case somewhere: ordinary words, not names."""
    acronyms: frozenset[str]
    """Words written in capitals inside running text (NHS, MASH): acronyms everywhere, also in
    headings and glossaries, where capitals say nothing."""
    listed: frozenset[str]
    """The words of the names file's originals, case-folded: a lone "Tamsin" of a listed
    "Tamsin Fairweather" is a form the names file misses."""


def open_draft(pdf: bytes) -> Document:
    """Open the custodian's draft, refusing what is not a readable, unencrypted PDF.

    Raises:
        InputFileError: not a PDF, damaged, encrypted or without pages.
    """
    try:
        doc = pymupdf.open(stream=pdf, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises several types on hostile input
        raise InputFileError("The input file is not a PDF or is too damaged to read.") from exc
    if doc.needs_pass or doc.is_encrypted or not doc.is_pdf or doc.page_count == 0:
        doc.close()
        raise InputFileError("The input file is not an unencrypted PDF with at least one page.")
    return doc


def mask_covered(text: str, matcher: Matcher) -> str:
    """Overwrite every occurrence ``matcher`` finds in ``text`` with :data:`MASK` characters."""
    pieces: list[str] = []
    position = 0
    for match in matcher.find(text):
        pieces.append(text[position : match.start])
        pieces.append(MASK * (match.end - match.start))
        position = match.end
    pieces.append(text[position:])
    return "".join(pieces)


class Covered:
    """Masks what the names and terms files cover, and the names file's labels."""

    def __init__(self, names: Sequence[NameEntry], terms: Sequence[RedactionTerm]) -> None:
        """Build one matcher for originals and terms (as prepare does), one for the labels."""
        self.originals = Matcher(build_targets(names, terms))
        labels = sorted({entry.label for entry in names}, key=len, reverse=True)
        self.labels = Matcher([Target(label, label, False, 0) for label in labels])
        # Labels are rare in a draft: the label matcher runs only on text holding a label's
        # first word, which keeps a long document's time close to that of the originals alone.
        self._label_starts = {label.split()[0].casefold() for label in labels}

    def mask(self, text: str) -> str:
        """``text`` with every covered original, term and label replaced by :data:`MASK`."""
        text = mask_covered(text, self.originals)
        folded = text.casefold()
        if any(start in folded for start in self._label_starts):
            text = mask_covered(text, self.labels)
        return text


def page_text(page: Page) -> str:
    """The page's text, a blank line between blocks (so no name runs from one into the next)."""
    blocks = page.get_text("blocks", flags=EXTRACT_FLAGS)
    text = "\n\n".join(str(block[4]) for block in blocks if block[6] == 0)
    return _SOFT_BREAK.sub("", text)


def _annotation_texts(page: Page) -> Iterator[str]:
    for annot in page.annots() or ():
        info = annot.info or {}
        for key in ("content", "title", "subject"):
            value = info.get(key)
            if isinstance(value, str) and value:
                yield value
    for widget in page.widgets() or ():
        value = widget.field_value
        if isinstance(value, str) and value:
            yield value


def read_draft(pdf: bytes, covered: Covered, progress: Progress | None = None) -> list[TextPiece]:
    """Extract every piece of text ``prepare`` would rewrite, with covered text masked.

    Raises:
        InputFileError: the PDF cannot be read (see :func:`open_draft`).
    """
    doc = open_draft(pdf)
    pieces: list[TextPiece] = []
    try:
        total = doc.page_count
        for entry in doc.get_toc(simple=True):
            pieces.append(TextPiece(0, covered.mask(str(entry[1]))))
        for page in doc:
            number = page.number + 1
            pieces.append(TextPiece(number, covered.mask(page_text(page))))
            # Most pages have no annotation: one look at the list spares two walks of it.
            extras = _annotation_texts(page) if page.annot_xrefs() else ()
            for extra in extras:
                pieces.append(TextPiece(number, covered.mask(extra)))
            if progress is not None:
                progress(number, total)
    except InputFileError:
        raise
    except Exception as exc:  # hostile input can make PyMuPDF fail on any page
        raise InputFileError("The input PDF is too damaged or unusual to read.") from exc
    finally:
        doc.close()
    return pieces


def document_words(pieces: Sequence[TextPiece], names: Sequence[NameEntry]) -> DocumentWords:
    """Collect the words the document writes in lower case, and the names file's words."""
    lower: set[str] = set()
    acronyms: set[str] = set()
    for piece in pieces:
        text = piece.text
        # Splitting at spaces and trimming punctuation is several times faster than a regular
        # expression over the whole text, and only the distinct words are looked at.
        for chunk in set(text.split()):
            word = chunk.strip(_PUNCTUATION)
            if word.islower() and word.isalpha():
                lower.add(word)
        for match in _CAPITALS_WORD.finditer(text):
            # An acronym is written in capitals on a line of ordinary words (not a heading).
            line_start = text.rfind("\n", 0, match.start()) + 1
            line_end = text.find("\n", match.end())
            words = _WORD.findall(text[line_start : line_end if line_end >= 0 else len(text)])
            capitals = sum(1 for word in words if len(word) > 1 and word.isupper())
            if capitals * 2 < len(words):
                acronyms.add(match.group().casefold())
    listed = {
        word.casefold()
        for entry in names
        for word in _WORD.findall(entry.original)
        if len(word) > 1
    }
    return DocumentWords(
        lower_case=frozenset(lower), acronyms=frozenset(acronyms), listed=frozenset(listed)
    )
