"""Reading the names file (``original,label``) and the redaction terms file.

Both files are sensitive: they hold the real names and the withheld terms. Errors therefore name
the file and the line number, never the text on that line.

Names file (CSV, UTF-8)::

    # comment lines and blank lines are ignored; an optional header "original,label" too
    Jane Smith,Social Worker 1
    Ms Smith,Social Worker 1
    Peter,Child A

Terms file (UTF-8), one term per line, with an optional reason code after ``|``::

    # comment
    Flat 3, Riverside House
    07700 900123 | S40
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from readingroom.errors import InputFileError
from readingroom.fileio import read_input_file

# Names and terms files are small by nature; a limit stops a mistaken multi-gigabyte argument.
_MAX_LIST_BYTES = 8 * 1024 * 1024
_REASON_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .()/-]{0,15}")


@dataclass(frozen=True)
class NameEntry:
    """One ``original,label`` row of the names file."""

    original: str
    label: str
    line: int


@dataclass(frozen=True)
class RedactionTerm:
    """One line of the terms file: the term, its reason code (or None) and its line number."""

    term: str
    reason: str | None
    line: int

    @property
    def stamp(self) -> str:
        """The text printed on the box and put in place of the term in outlines and fields."""
        return f"[{self.reason}]" if self.reason else "[REDACTED]"


def normalise(text: str) -> str:
    """Collapse runs of whitespace and fold case, so lookups ignore both."""
    return " ".join(text.split()).casefold()


def contains_whole_word(haystack: str, needle: str) -> bool:
    """True if ``needle`` occurs in ``haystack`` as whole words, ignoring case and spacing."""
    pattern = r"\s+".join(re.escape(part) for part in needle.split())
    return re.search(rf"(?<!\w){pattern}(?!\w)", haystack, re.IGNORECASE) is not None


def parse_names_csv(text: str, *, source: str = "names file") -> list[NameEntry]:
    """Parse the text of a names file.

    Args:
        text: the whole file, decoded.
        source: how to call the file in error messages (the path the user typed).

    Returns:
        The entries in file order, duplicates with the same label removed.

    Raises:
        InputFileError: a malformed row, an empty original or label, an original mapped to two
            labels, or a label that is (or contains) an original. The message names the line.
    """
    entries: list[NameEntry] = []
    seen: dict[str, NameEntry] = {}
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    row_start = 1
    try:
        for row in reader:
            line = row_start
            row_start = reader.line_num + 1
            if not row or all(not cell.strip() for cell in row):
                continue
            if row[0].lstrip().startswith("#"):
                continue
            if len(row) != 2:
                raise InputFileError(
                    f"{source} line {line}: expected two columns, original,label "
                    f"(found {len(row)})."
                )
            original, label = (" ".join(cell.split()) for cell in row)
            if (
                not entries
                and not seen
                and (original.lower(), label.lower())
                == (
                    "original",
                    "label",
                )
            ):
                continue
            if not original:
                raise InputFileError(f"{source} line {line}: the original name is empty.")
            if not label:
                raise InputFileError(f"{source} line {line}: the label is empty.")
            key = normalise(original)
            earlier = seen.get(key)
            if earlier is not None:
                if normalise(earlier.label) != normalise(label):
                    raise InputFileError(
                        f"{source} line {line}: this original already has a different label "
                        f"on line {earlier.line}."
                    )
                continue
            entry = NameEntry(original=original, label=label, line=line)
            seen[key] = entry
            entries.append(entry)
    except csv.Error as exc:
        raise InputFileError(
            f"{source} line {reader.line_num}: this line is not valid CSV."
        ) from exc
    _check_labels(entries, source)
    return entries


def _check_labels(entries: list[NameEntry], source: str) -> None:
    # A label that contains an original would put that original back into the document, and
    # the verification step would then (rightly) refuse the result.
    for entry in entries:
        for other in entries:
            if contains_whole_word(entry.label, other.original):
                raise InputFileError(
                    f"{source} line {entry.line}: the label is itself an original name "
                    f"(or contains the original on line {other.line})."
                )


def parse_redaction_terms(text: str, *, source: str = "terms file") -> list[RedactionTerm]:
    """Parse the text of a terms file (one term per line, optional ``| CODE``).

    Raises:
        InputFileError: an empty term or an unusable reason code; the message names the line.
    """
    terms: list[RedactionTerm] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        term, bar, reason = stripped.rpartition("|") if "|" in stripped else (stripped, "", "")
        term = " ".join(term.split())
        reason_code = reason.strip().strip("[]").strip() if bar else None
        if not term:
            raise InputFileError(f"{source} line {number}: the term is empty.")
        if bar and (not reason_code or not _REASON_CODE.fullmatch(reason_code)):
            raise InputFileError(
                f"{source} line {number}: the reason code after '|' must be 1-16 letters, "
                "digits, spaces or . ( ) / -"
            )
        if normalise(term) in seen:
            continue
        seen.add(normalise(term))
        terms.append(RedactionTerm(term=term, reason=reason_code or None, line=number))
    return terms


def _read_text(path: Path, what: str) -> str:
    data = read_input_file(path, what=what, limit=_MAX_LIST_BYTES)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"The {what} {path} is not UTF-8 text.") from exc


def load_names_csv(path: Path) -> list[NameEntry]:
    """Read and parse a names file; see :func:`parse_names_csv`."""
    return parse_names_csv(_read_text(path, "names file"), source=str(path))


def load_redaction_terms(path: Path) -> list[RedactionTerm]:
    """Read and parse a terms file; see :func:`parse_redaction_terms`."""
    return parse_redaction_terms(_read_text(path, "terms file"), source=str(path))


def check_names_against_terms(names: list[NameEntry], terms: list[RedactionTerm]) -> None:
    """Refuse a label that contains a redaction term, or a term that is also an original.

    Raises:
        InputFileError: naming the line numbers involved.
    """
    originals = {normalise(entry.original): entry for entry in names}
    for term in terms:
        clash = originals.get(normalise(term.term))
        if clash is not None:
            raise InputFileError(
                f"terms file line {term.line} is also an original in the names file "
                f"(line {clash.line}); keep it in one of the two files."
            )
        for entry in names:
            if contains_whole_word(entry.label, term.term):
                raise InputFileError(
                    f"names file line {entry.line}: the label contains the redaction term on "
                    f"line {term.line} of the terms file."
                )
