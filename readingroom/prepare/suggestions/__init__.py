"""Suggest the names the names file missed: people, places, schools, streets, postcodes, DOBs.

    from readingroom.prepare.suggestions import suggest_names, missed_names_line
    found = suggest_names(pdf_bytes, names, terms, progress=None)
    print(missed_names_line(len(found), suggest_command(pdf_path, names_path, terms_path)))

The result holds document text (the names themselves). It is meant for the custodian's own
terminal only: never log it, never put it in an exception, never write it to a file for them.
Modules: ``document_text`` (reading the draft, masking what the lists cover), ``lexicon`` (the
word and name data from maintained packages), ``candidates`` (finding occurrences), ``scoring``
(how sure), ``grouping`` (by likely person), ``summary`` (the line ``prepare`` prints).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from readingroom.prepare.names import NameEntry, RedactionTerm
from readingroom.prepare.suggestions.candidates import Candidate, Kind, find_candidates
from readingroom.prepare.suggestions.document_text import (
    Covered,
    document_words,
    read_draft,
)
from readingroom.prepare.suggestions.grouping import Suggestion, group_candidates
from readingroom.prepare.suggestions.scoring import DEFAULT_THRESHOLD
from readingroom.prepare.suggestions.summary import missed_names_line, suggest_command

__all__ = [
    "DEFAULT_THRESHOLD",
    "Kind",
    "Suggestion",
    "missed_names_line",
    "suggest_command",
    "suggest_names",
]

Progress = Callable[[int, int], None]


def suggest_names(
    pdf: bytes,
    names: Sequence[NameEntry] = (),
    terms: Sequence[RedactionTerm] = (),
    progress: Progress | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Suggestion]:
    """List what in ``pdf`` looks like a name, place or date of birth the lists do not cover.

    Args:
        pdf: the custodian's draft.
        names: the names file's entries; their originals and their labels are never suggested.
        terms: the terms file's entries; never suggested either.
        progress: called as ``progress(done, total)`` per page read.
        threshold: the lowest confidence (0..1) to report.

    Returns:
        The suggestions, surest first.

    Raises:
        InputFileError: the PDF is not readable (not a PDF, damaged, encrypted, no pages).
    """
    pieces = read_draft(pdf, Covered(names, terms), progress)
    words = document_words(pieces, names)
    candidates: list[Candidate] = []
    for piece in pieces:
        candidates.extend(find_candidates(piece.text, piece.page, words))
    return group_candidates(candidates, threshold)
