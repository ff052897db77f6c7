"""``readingroom prepare IN.pdf -o OUT.pdf``: sanitise, pseudonymise, redact, verify.

The output file (and the report) are written only after the prepared bytes have been opened
again and verified; on any failure nothing is left behind. See docs/prepare.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

from readingroom.commands import names_cmd
from readingroom.errors import InputFileError, TermsRemain
from readingroom.fileio import check_output_path, read_input_file, write_atomically
from readingroom.prepare import (
    PrepareOptions,
    load_names_csv,
    load_redaction_terms,
    prepare_pdf,
)
from readingroom.progress import TerminalProgress

MAX_PDF_BYTES = 2 * 1024**3


def register(subparsers: Any) -> None:
    """Add the ``prepare`` command."""
    parser = subparsers.add_parser(
        "prepare",
        help="sanitise, pseudonymise and redact a PDF, then verify the result",
        description=(
            "Remove active content, attachments and metadata; replace real names by labels "
            "(--names, CSV rows 'original,label'); remove terms under a black box (--redact, "
            "one term a line, optional '| REASON'); then prove no original or term remains."
        ),
    )
    parser.add_argument("input", type=Path, metavar="IN.pdf", help="the agency's PDF")
    parser.add_argument(
        "-o", "--output", required=True, type=Path, metavar="OUT.pdf", help="prepared PDF"
    )
    add_prepare_options(parser)
    names_cmd.add_strict_names_option(parser)
    parser.add_argument("--report", type=Path, metavar="REPORT.json", help="write a report")
    parser.add_argument(
        "--review-sheet",
        type=Path,
        metavar="SHEET.html",
        help="write an HTML sheet for sign-off: every replacement before and after, and the "
        "likely names the names file misses (it shows the originals: sensitive!)",
    )
    parser.add_argument("--force", action="store_true", help="replace existing output files")
    parser.set_defaults(run=run)


def add_prepare_options(parser: argparse.ArgumentParser) -> None:
    """Add --names, --redact, --allow-unverifiable-pages, --include-originals (also for seal)."""
    parser.add_argument("--names", type=Path, metavar="NAMES.csv", help="original,label rows")
    parser.add_argument("--redact", type=Path, metavar="TERMS.txt", help="terms to remove")
    parser.add_argument(
        "--allow-unverifiable-pages",
        action="store_true",
        help="accept pages without a text layer (scans), which cannot be checked",
    )
    parser.add_argument(
        "--include-originals",
        action="store_true",
        help="name the originals and terms in the report and messages (sensitive!)",
    )


def options_from_args(args: argparse.Namespace) -> PrepareOptions:
    """Load the names and terms files named on the command line (shared with ``seal``)."""
    return PrepareOptions(
        names=load_names_csv(args.names) if args.names else (),
        terms=load_redaction_terms(args.redact) if args.redact else (),
        allow_unverifiable_pages=bool(args.allow_unverifiable_pages),
        report_includes_originals=bool(args.include_originals),
    )


def run(args: argparse.Namespace) -> int:
    """Prepare the input, write the output and report, print the summary on stderr."""
    # Check the destinations first, so a long preparation is not wasted on a refusal.
    check_output_path(args.output, force=args.force)
    if args.report is not None:
        check_output_path(args.report, force=args.force)
    sheet_path = review_sheet_path(args)
    progress = TerminalProgress()
    options = dataclasses.replace(options_from_args(args), progress=progress)
    data = read_input_file(args.input, what="PDF", limit=MAX_PDF_BYTES)
    progress.step("Looking for names the names file misses")
    # Before anything is written: with --strict-names a likely missed name refuses (exit 9).
    suggestions, missed = names_cmd.missed_names_check(data, options, args)
    if sheet_path is not None:
        options = dataclasses.replace(options, review_sheet=True, suggestions=suggestions)
    progress.step("Preparing and verifying" + (", then the review sheet" if sheet_path else ""))
    try:
        result = prepare_pdf(data, options)
    except TermsRemain as error:
        if not args.include_originals:
            raise
        raise TermsRemain(error.places_with_originals) from error
    finally:
        progress.finish()
    write_atomically(args.output, result.pdf, force=args.force)
    if args.report is not None:
        # The very bytes whose SHA-256 is stamped in the PDF's /ReadingRoomPrepared key.
        write_atomically(args.report, result.report_json, force=args.force)
    if sheet_path is not None and result.review_sheet is not None:
        # Private (0600) like every file we write: it shows the originals.
        write_atomically(sheet_path, result.review_sheet, force=args.force)
    for line in result.report.summary_lines(include_originals=args.include_originals):
        sys.stderr.write(line + "\n")
    sys.stderr.write(missed + "\n")
    sys.stderr.write(f"Wrote {args.output}.\n")
    if sheet_path is not None:
        sys.stderr.write(
            f"Wrote the review sheet {sheet_path}: it shows the originals, keep it as safe as "
            "the draft.\n"
        )
    return 0


def review_sheet_path(args: argparse.Namespace) -> Path | None:
    """The ``--review-sheet`` path, checked like the other outputs and distinct from them.

    Raises:
        InputFileError: it exists (without --force), its folder is missing, or it names another
            file of the command (input, names, terms, output PDF, report).
    """
    path: Path | None = args.review_sheet
    if path is None:
        return None
    check_output_path(path, force=args.force)
    # With --force, a slip of the keyboard must not overwrite the draft or the names file.
    others = [args.input, args.output, args.names, args.redact, args.report]
    if any(other is not None and path.resolve() == other.resolve() for other in others):
        raise InputFileError(f"The review sheet {path} must be a file of its own.")
    return path
