"""``readingroom seal``: seal a PDF for named readers, signed by the publisher."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from readingroom.age import X25519Identity, X25519Recipient
from readingroom.commands.prepare_cmd import add_prepare_options, options_from_args
from readingroom.commands.seal_outputs import (
    Unlock,
    make_folder,
    plan_output,
    plan_unlocks,
    write_passphrase_file,
)
from readingroom.commands.seal_readers import gather_readers
from readingroom.errors import UsageError
from readingroom.fileio import write_atomically
from readingroom.keys import load_publisher_key
from readingroom.manifest import DEFAULT_CLASSIFICATION, Manifest
from readingroom.passphrases import (
    add_passphrase_options,
    key_file_passphrase,
)
from readingroom.pdf_input import count_pages, read_pdf
from readingroom.policy import (
    DEFAULT_IDLE_LOCK_MINUTES,
    DEFAULT_MAX_SESSION_MINUTES,
    DEFAULT_WATERMARK_TEMPLATE,
    NOTES_MODES,
    NOTES_NONE,
    NOTES_SEALED,
    Policy,
    ReaderIdentity,
    parse_date_argument,
)
from readingroom.prepare import prepare_pdf
from readingroom.prepared_mark import prepared_mark
from readingroom.progress import TerminalProgress
from readingroom.publisher_config import load_publisher_config
from readingroom.review_file import SEAL_SCRYPT_LOG_N, seal_review
from readingroom.review_header import check_label, default_label
from readingroom.watermark import validate_template

NO_WORKSTATION_WARNING = (
    "Warning: without --workstation this file opens with the reader's passphrase (or key) "
    "alone, on any computer, outside any reading room (even with the stock age tool).\n"
)
NOT_PREPARED_WARNING = (
    "Warning: {name} was not produced by readingroom prepare: nothing has proven it free of "
    "names and hidden content.\n"
)


def register(subparsers: Any) -> None:
    """Add the ``seal`` command."""
    parser = subparsers.add_parser(
        "seal",
        help="seal a PDF for one reader (or one file per reader), signed by the publisher",
        description="Seal DOC.pdf for each reader, one file per reader. -o names the .rrf "
        "file (one reader) or a folder, created if missing, that receives files named by "
        "document id and a short hash (never by reader).",
    )
    parser.add_argument("pdf", type=Path, metavar="DOC.pdf", help="the PDF to seal")
    parser.add_argument(
        "--publisher-key", required=True, type=Path, metavar="FILE",
        help="the publisher's signing key file (readingroom keys new --kind publisher)",
    )  # fmt: skip
    add_passphrase_options(parser, "key-passphrase", "publisher key file's passphrase")
    parser.add_argument(
        "--reader", action="append", default=[], metavar='"NAME <ID>[, ORG]"',
        help='a reader, e.g. "Alex Morgan <alex.morgan@example.gov.uk>, Ofsted" (repeatable)',
    )  # fmt: skip
    parser.add_argument(
        "--readers", type=Path, metavar="FILE.csv",
        help="a CSV file of readers with the columns name, id and organisation",
    )  # fmt: skip
    parser.add_argument(
        "--org", default="", metavar="ORG",
        help="the organisation of every reader who does not name their own",
    )  # fmt: skip
    unlock = parser.add_argument_group("how each reader unlocks their file (one of)")
    unlock.add_argument(
        "--new-passphrase", action="store_true",
        help="generate a passphrase per reader and print it once (or see --passphrase-out)",
    )  # fmt: skip
    unlock.add_argument(
        "--reader-key", action="append", default=[], metavar="age1...",
        help="the reader's age public key (once per reader, in the same order)",
    )  # fmt: skip
    add_passphrase_options(parser, "passphrase", "reader's passphrase (one reader only)")
    parser.add_argument(
        "--passphrase-out", type=Path, metavar="DIR",
        help="with --new-passphrase: write each passphrase to its own 0600 file in DIR "
        "(created if missing) instead of printing it",
    )  # fmt: skip
    parser.add_argument(
        "--workstation", action="append", default=[], metavar="age1...",
        help="a workstation that may open it (repeatable; without it, the file opens anywhere "
        "with the reader's passphrase alone)",
    )  # fmt: skip
    parser.add_argument(
        "--notes", choices=NOTES_MODES, default=NOTES_NONE,
        help="may the reader write notes in the viewer: none (default), or sealed to the "
        "custodians given with --notes-to, who alone can read and release them",
    )  # fmt: skip
    parser.add_argument(
        "--notes-to", action="append", default=[], metavar="age1...",
        help="with --notes sealed: a custodian's age public key (repeatable)",
    )  # fmt: skip
    parser.add_argument("--not-before", metavar="YYYY-MM-DD", help="first day it may be read (UTC)")
    parser.add_argument(
        "--not-after", metavar="YYYY-MM-DD", help="last day it may be read (UTC, to 23:59:59)"
    )
    parser.add_argument(
        "--classification", default=DEFAULT_CLASSIFICATION, metavar="LABEL",
        help=f"the classification shown to the reader (default: {DEFAULT_CLASSIFICATION})",
    )  # fmt: skip
    parser.add_argument(
        "--title", help="the title shown to the reader, encrypted (default: the file name)"
    )
    parser.add_argument(
        "--label", metavar="TEXT",
        help="a short PUBLIC label, readable by ANYONE holding the file without a passphrase: "
        "never name the child, the family or the reader in it "
        "(default: \"Review file sealed <date>\")",
    )  # fmt: skip
    parser.add_argument("--publisher-name", default="", help="who publishes it, shown to readers")
    parser.add_argument(
        "--idle-minutes", type=int, default=DEFAULT_IDLE_LOCK_MINUTES, metavar="N",
        help=f"idle time before the viewer locks (default: {DEFAULT_IDLE_LOCK_MINUTES})",
    )  # fmt: skip
    parser.add_argument(
        "--max-session-minutes", type=int, default=DEFAULT_MAX_SESSION_MINUTES, metavar="N",
        help=f"longest reading session (default: {DEFAULT_MAX_SESSION_MINUTES})",
    )  # fmt: skip
    parser.add_argument(
        "--watermark-template", default=DEFAULT_WATERMARK_TEMPLATE, metavar="TEXT",
        help="the watermark text, with {reader_name} {reader_id} {organisation} {workstation} "
        "{date} {time} {session_code} {classification}",
    )  # fmt: skip
    parser.add_argument(
        "-o", "--output", required=True, type=Path, metavar="OUT",
        help="the .rrf file to write (one reader), or a folder (created if missing)",
    )  # fmt: skip
    parser.add_argument("--force", action="store_true", help="replace existing output files")
    preparation = parser.add_argument_group("preparing first (see readingroom prepare --help)")
    preparation.add_argument(
        "--prepare", action="store_true",
        help="sanitise, pseudonymise (--names) and redact (--redact) before sealing",
    )  # fmt: skip
    add_prepare_options(preparation)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Seal the document for every reader."""
    progress = TerminalProgress()
    if not args.prepare and (args.names or args.redact or args.allow_unverifiable_pages):
        raise UsageError("--names, --redact and --allow-unverifiable-pages need --prepare.")
    if load_publisher_config().require_workstation and not args.workstation:
        raise UsageError(
            "This publisher's configuration (publisher.toml) requires --workstation: "
            "review files must open only in designated reading rooms."
        )
    readers = gather_readers(args.reader, args.readers, args.org)
    policy_template = _policy_template(args, readers[0])
    label = check_label(args.label) if args.label is not None else None
    workstations = [X25519Recipient.from_string(text) for text in args.workstation]
    plan = plan_output(args.output, len(readers), force=args.force)
    unlocks = plan_unlocks(args, readers, log_n=SEAL_SCRYPT_LOG_N)

    publisher = load_publisher_key(
        args.publisher_key,
        key_file_passphrase(
            args, "key-passphrase", args.publisher_key, "Publisher key passphrase: "
        ),
    )
    progress.step("Reading the PDF")
    pdf = read_pdf(args.pdf)
    page_count = count_pages(pdf, str(args.pdf))
    if args.prepare:
        progress.step("Preparing")
        options = dataclasses.replace(options_from_args(args), progress=progress)
        prepared = prepare_pdf(pdf, options)
        progress.finish()
        for line in prepared.report.summary_lines(include_originals=args.include_originals):
            sys.stderr.write(line + "\n")
        pdf = prepared.pdf
    elif prepared_mark(pdf) is None:
        sys.stderr.write(NOT_PREPARED_WARNING.format(name=args.pdf.name))
    title = args.title or args.pdf.stem
    # One document id for every reader's copy, so the audit report can total a document
    # across its readers.
    document_id = str(uuid.uuid4())
    sealed_at = datetime.now(UTC).replace(microsecond=0)
    if plan.folder is not None:
        make_folder(plan.folder)
    if args.passphrase_out is not None:
        make_folder(args.passphrase_out, private=True)

    fingerprint = publisher.public_key().short_fingerprint
    for index, unlock in enumerate(unlocks, start=1):
        progress.step(f"Sealing {index} of {len(unlocks)}")
        policy = dataclasses.replace(policy_template, reader=unlock.reader)
        # One notes key per sealed file: only this file (or a custodian) opens its notes.
        notes_key = X25519Identity.generate().to_string() if policy.notes == NOTES_SEALED else None
        manifest = Manifest.new(
            title=title, classification=args.classification, publisher_name=args.publisher_name,
            pdf=pdf, page_count=page_count, policy=policy, now=sealed_at, document_id=document_id,
            notes_key=notes_key,
        )  # fmt: skip
        sealed = seal_review(
            pdf, manifest, publisher, unlock.recipient, workstations,
            label=label or default_label(sealed_at),
        )  # fmt: skip
        progress(index, len(unlocks))
        path = plan.path_for(document_id, sealed)
        secret_path = None
        # The passphrase first: a sealed file whose passphrase was lost could never be read.
        if args.passphrase_out is not None and unlock.new_passphrase:
            secret_path = write_passphrase_file(args.passphrase_out, path, unlock.new_passphrase)
        write_atomically(path, sealed, force=args.force, mode=0o644)
        progress.finish()
        # Reported as each file is written: if a later reader's file fails, the passphrases of
        # the files already written have been handed over, not lost with the error.
        _report(unlock, path, secret_path, fingerprint, page_count)
    if not workstations:
        sys.stderr.write(NO_WORKSTATION_WARNING)
    return 0


def _policy_template(args: argparse.Namespace, reader: ReaderIdentity) -> Policy:
    validate_template(args.watermark_template)
    for label, minutes in (("--idle-minutes", args.idle_minutes),
                           ("--max-session-minutes", args.max_session_minutes)):  # fmt: skip
        if not 1 <= minutes <= 24 * 60:
            raise UsageError(f"{label} must be between 1 and 1440.")
    not_before = parse_date_argument(args.not_before, end_of_day=False) if args.not_before else None
    not_after = parse_date_argument(args.not_after, end_of_day=True) if args.not_after else None
    if not_after is not None and not_after <= datetime.now(UTC):
        raise UsageError(f"--not-after {args.not_after} is in the past: nobody could read it.")
    if not_before and not_after and not_after <= not_before:
        raise UsageError("--not-before must be earlier than --not-after.")
    if (args.notes == NOTES_SEALED) != bool(args.notes_to):
        raise UsageError("--notes sealed needs at least one --notes-to, and --notes-to needs it.")
    notes_to = tuple(X25519Recipient.from_string(text).to_string() for text in args.notes_to)
    return Policy(
        reader=reader, not_before=not_before, not_after=not_after,
        idle_lock_minutes=args.idle_minutes, max_session_minutes=args.max_session_minutes,
        watermark_template=args.watermark_template, workstations=tuple(args.workstation),
        notes=args.notes, notes_recipients=notes_to,
    )  # fmt: skip


def _report(
    unlock: Unlock, path: Path, secret_path: Path | None, fingerprint: str, pages: int
) -> None:
    reader = unlock.reader
    sys.stderr.write(
        f"Sealed {pages} pages for {reader.display()} -> {path} (publisher {fingerprint})\n"
    )
    if secret_path is not None:
        sys.stderr.write(f"Passphrase for {reader.name} <{reader.id}> -> {secret_path}\n")
    elif unlock.new_passphrase:
        # Printed once, on stdout, so it can be handed to the reader; it is stored nowhere.
        sys.stdout.write(f"Passphrase for {reader.name} <{reader.id}>: {unlock.new_passphrase}\n")
        sys.stdout.flush()
