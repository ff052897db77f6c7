"""``readingroom names suggest IN.pdf``: the names, places and dates the names file missed.

Prints, surest first, each likely person (with the forms found: "Jane Smith", "Ms Smith",
"J. Smith"), place, school, street, UK postcode and date of birth that occurs in the draft and
that neither the names file nor the terms file covers, with its count and pages. The output is
document text: it goes to the custodian's terminal (stdout) and nowhere else; nothing is written
to disk. See docs/prepare.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readingroom.display_text import display_text
from readingroom.errors import NamesMissing
from readingroom.fileio import read_input_file
from readingroom.prepare import PrepareOptions, load_names_csv, load_redaction_terms
from readingroom.progress import TerminalProgress

if TYPE_CHECKING:
    from readingroom.prepare.suggestions import Suggestion

MAX_PDF_BYTES = 2 * 1024**3
_MAX_SHOWN = 200
"""Characters of one suggestion shown; names are short, and the terminal stays readable."""


def register(subparsers: Any) -> None:
    """Add the ``names`` command and its ``suggest`` action."""
    parser = subparsers.add_parser("names", help="help with the names file of a draft")
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    suggest = actions.add_parser(
        "suggest",
        help="list likely names, places and dates the names file does not cover",
        description=(
            "List likely personal names, places, schools, streets, UK postcodes and dates of "
            "birth in IN.pdf that NAMES.csv and TERMS.txt do not cover, grouped by likely "
            "person and sorted by confidence. The output holds document text: it is printed, "
            "never written to a file."
        ),
    )
    suggest.add_argument("input", type=Path, metavar="IN.pdf", help="the draft to read")
    suggest.add_argument("--names", type=Path, metavar="NAMES.csv", help="original,label rows")
    suggest.add_argument("--redact", type=Path, metavar="TERMS.txt", help="terms to remove")
    suggest.add_argument("--json", action="store_true", help="machine-readable output")
    suggest.add_argument(
        "--all", action="store_true", help="also show the least likely suggestions"
    )
    suggest.set_defaults(run=run_suggest)


def run_suggest(args: argparse.Namespace) -> int:
    """Read the draft and the lists, print the suggestions on stdout."""
    # Imported here: the word lists take a moment to load, and other commands need none of it.
    from readingroom.prepare.suggestions import (  # noqa: PLC0415
        DEFAULT_THRESHOLD,
        missed_names_line,
        suggest_command,
        suggest_names,
    )

    names = load_names_csv(args.names) if args.names else []
    terms = load_redaction_terms(args.redact) if args.redact else []
    data = read_input_file(args.input, what="PDF", limit=MAX_PDF_BYTES)
    progress = TerminalProgress()
    progress.step("Reading the draft")
    try:
        found = suggest_names(
            data, names, terms, progress, threshold=0.0 if args.all else DEFAULT_THRESHOLD
        )
    finally:
        progress.finish()
    rows = [
        {
            "kind": item.kind.value,
            "text": _shown(item.text),
            "forms": [_shown(form) for form in item.forms],
            "count": item.count,
            "pages": list(item.pages),
            "confidence": item.confidence,
        }
        for item in found
    ]
    if args.json:
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    else:
        for row in rows:
            sys.stdout.write(_line(row) + "\n")
    if not sys.stdout.isatty():
        sys.stderr.write(
            "Note: this output holds names from the draft; keep it as safe as the draft.\n"
        )
    command = suggest_command(args.input, args.names, args.redact)
    sys.stderr.write(missed_names_line(len(found), command).split(" (")[0] + ".\n")
    return 0


def add_strict_names_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--strict-names`` (for ``prepare`` and ``seal``)."""
    parser.add_argument(
        "--strict-names",
        action="store_true",
        help="refuse (exit 9, nothing written) if the draft holds likely names the names "
        "file misses (see: readingroom names suggest)",
    )


def missed_names_summary(pdf: bytes, options: PrepareOptions, args: argparse.Namespace) -> str:
    """The check ``prepare`` ends with: its summary line, or a refusal with --strict-names.

    Call it before writing anything: with ``--strict-names`` and any suggestion it raises, and
    the caller writes nothing. The line holds a count and the user's own paths, never names.

    Raises:
        NamesMissing: ``args.strict_names`` is set and at least one name was found.
    """
    return missed_names_check(pdf, options, args)[1]


def missed_names_check(
    pdf: bytes, options: PrepareOptions, args: argparse.Namespace
) -> tuple[list[Suggestion], str]:
    """:func:`missed_names_summary`, also returning the suggestions (for the review sheet).

    Raises:
        NamesMissing: ``args.strict_names`` is set and at least one name was found.
    """
    from readingroom.prepare.suggestions import (  # noqa: PLC0415 - see run_suggest
        missed_names_line,
        suggest_command,
        suggest_names,
    )

    found = suggest_names(pdf, options.names, options.terms)
    command = suggest_command(args.input, args.names, args.redact)
    if found and getattr(args, "strict_names", False):
        raise NamesMissing(len(found), command)
    return found, missed_names_line(len(found), command)


def _shown(text: str) -> str:
    # Draft text can carry terminal escape sequences or bidirectional overrides: the one
    # sanitiser for untrusted strings removes them before they reach the terminal.
    return display_text(text, max_chars=_MAX_SHOWN)


def _pages(pages: list[int]) -> str:
    labels = ["outline" if page == 0 else str(page) for page in pages]
    shown = ", ".join(labels[:12])
    return shown + (f" and {len(labels) - 12} more" if len(labels) > 12 else "")


def _line(row: dict[str, Any]) -> str:
    others = [form for form in row["forms"] if form != row["text"]]
    also = f"  (also: {', '.join(others)})" if others else ""
    where = "page" if len(row["pages"]) == 1 else "pages"
    return (
        f"{row['confidence']:4.0%}  {row['kind']:<13}  {row['text']}  "
        f"x{row['count']}, {where} {_pages(row['pages'])}{also}"
    )
