"""``readingroom seal``: seal a PDF for named readers, signed by the publisher."""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readingroom.age import Recipient, ScryptRecipient, X25519Recipient
from readingroom.commands.prepare_cmd import add_prepare_options, options_from_args
from readingroom.errors import InputFileError, UsageError
from readingroom.fileio import check_output_path, write_atomically
from readingroom.keys import PublisherKey, load_publisher_key
from readingroom.manifest import DEFAULT_CLASSIFICATION, Manifest
from readingroom.passphrases import (
    add_passphrase_options,
    generate_passphrase,
    read_passphrase,
    source_from_args,
)
from readingroom.pdf_input import count_pages, read_pdf
from readingroom.policy import (
    DEFAULT_IDLE_LOCK_MINUTES,
    DEFAULT_MAX_SESSION_MINUTES,
    DEFAULT_WATERMARK_TEMPLATE,
    Policy,
    ReaderIdentity,
    parse_date_argument,
)
from readingroom.prepare import prepare_pdf
from readingroom.progress import TerminalProgress
from readingroom.review_file import SEAL_SCRYPT_LOG_N, seal_review
from readingroom.watermark import validate_template


@dataclass(frozen=True)
class _Output:
    reader: ReaderIdentity
    recipient: Recipient
    path: Path
    new_passphrase: str | None


def register(subparsers: Any) -> None:
    """Add the ``seal`` command."""
    parser = subparsers.add_parser(
        "seal",
        help="seal a PDF for one reader (or one file per reader), signed by the publisher",
        description="Seal DOC.pdf for each --reader. With one reader, -o names the .rrf file; "
        "with several, -o names a folder that receives one file per reader.",
    )
    parser.add_argument("pdf", type=Path, metavar="DOC.pdf")
    parser.add_argument("--publisher-key", required=True, type=Path, metavar="FILE")
    add_passphrase_options(parser, "key-passphrase", "publisher key file's passphrase")
    parser.add_argument(
        "--reader", required=True, action="append", metavar='"NAME <ID>"',
        help="the reader, e.g. \"Alex Morgan <alex.morgan@example.gov.uk>\" (repeatable)",
    )  # fmt: skip
    parser.add_argument("--org", default="", help="the readers' organisation")
    unlock = parser.add_argument_group("how the reader unlocks it (one of)")
    unlock.add_argument(
        "--new-passphrase", action="store_true",
        help="generate a passphrase per reader and print it once",
    )  # fmt: skip
    unlock.add_argument(
        "--reader-key", action="append", default=[], metavar="age1...",
        help="the reader's age public key (once per --reader, in the same order)",
    )  # fmt: skip
    add_passphrase_options(parser, "passphrase", "reader's passphrase")
    parser.add_argument(
        "--workstation", action="append", default=[], metavar="age1...",
        help="a workstation that may open it (repeatable; default: any workstation)",
    )  # fmt: skip
    parser.add_argument("--not-before", metavar="YYYY-MM-DD")
    parser.add_argument("--not-after", metavar="YYYY-MM-DD")
    parser.add_argument("--classification", default=DEFAULT_CLASSIFICATION, metavar="LABEL")
    parser.add_argument("--title", help="the title shown to the reader (default: file name)")
    parser.add_argument("--publisher-name", default="", help="who publishes it, shown to readers")
    parser.add_argument("--idle-minutes", type=int, default=DEFAULT_IDLE_LOCK_MINUTES)
    parser.add_argument("--max-session-minutes", type=int, default=DEFAULT_MAX_SESSION_MINUTES)
    parser.add_argument("--watermark-template", default=DEFAULT_WATERMARK_TEMPLATE)
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="OUT")
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
    readers = [ReaderIdentity.parse(spec, args.org) for spec in args.reader]
    policy_template = _policy_template(args, readers[0])
    workstations = [X25519Recipient.from_string(text) for text in args.workstation]
    outputs = _plan_outputs(args, readers)
    for output in outputs:
        check_output_path(output.path, force=args.force)

    publisher = load_publisher_key(args.publisher_key, _key_passphrase(args))
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
    title = args.title or args.pdf.stem

    for index, output in enumerate(outputs, start=1):
        progress.step(f"Sealing {index} of {len(outputs)}")
        policy = dataclasses.replace(policy_template, reader=output.reader)
        manifest = Manifest.new(
            title=title, classification=args.classification,
            publisher_name=args.publisher_name, pdf=pdf, page_count=page_count, policy=policy,
        )  # fmt: skip
        sealed = seal_review(pdf, manifest, publisher, output.recipient, workstations)
        progress(index, len(outputs))
        write_atomically(output.path, sealed, force=args.force, mode=0o644)
    progress.finish()
    _report(outputs, publisher, page_count)
    return 0


def _policy_template(args: argparse.Namespace, reader: ReaderIdentity) -> Policy:
    validate_template(args.watermark_template)
    for label, minutes in (("--idle-minutes", args.idle_minutes),
                           ("--max-session-minutes", args.max_session_minutes)):  # fmt: skip
        if not 1 <= minutes <= 24 * 60:
            raise UsageError(f"{label} must be between 1 and 1440.")
    not_before = parse_date_argument(args.not_before, end_of_day=False) if args.not_before else None
    not_after = parse_date_argument(args.not_after, end_of_day=True) if args.not_after else None
    if not_before and not_after and not_after <= not_before:
        raise UsageError("--not-after must be later than --not-before.")
    return Policy(
        reader=reader, not_before=not_before, not_after=not_after,
        idle_lock_minutes=args.idle_minutes, max_session_minutes=args.max_session_minutes,
        watermark_template=args.watermark_template, workstations=tuple(args.workstation),
    )  # fmt: skip


def _plan_outputs(args: argparse.Namespace, readers: list[ReaderIdentity]) -> list[_Output]:
    source = source_from_args(args, "passphrase")
    chosen = sum((bool(args.new_passphrase), bool(args.reader_key), source.is_given()))
    if chosen != 1:
        raise UsageError(
            "Say how the reader unlocks the file: one of --passphrase-file (or -fd / -env), "
            "--new-passphrase or --reader-key."
        )
    if args.reader_key and len(args.reader_key) != len(readers):
        raise UsageError("Give one --reader-key for each --reader, in the same order.")
    shared = read_passphrase(source) if source.is_given() else None

    if len(readers) == 1:
        paths = [args.output]
    else:
        if not args.output.is_dir():
            raise InputFileError(
                f"With several readers, -o must be an existing folder: {args.output}"
            )
        paths = [args.output / f"{args.pdf.stem}--{_slug(r.id)}.rrf" for r in readers]
        if len(set(paths)) != len(paths):
            raise UsageError("Two readers have the same identifier.")

    outputs = []
    for index, (reader, path) in enumerate(zip(readers, paths, strict=True)):
        new_passphrase = generate_passphrase() if args.new_passphrase else None
        recipient: Recipient
        if args.reader_key:
            recipient = X25519Recipient.from_string(args.reader_key[index])
        else:
            secret = new_passphrase.encode() if new_passphrase else shared
            assert secret is not None
            recipient = ScryptRecipient(secret, SEAL_SCRYPT_LOG_N)
        outputs.append(_Output(reader, recipient, path, new_passphrase))
    return outputs


def _key_passphrase(args: argparse.Namespace) -> bytes | bytearray | None:
    source = source_from_args(args, "key-passphrase")
    if source.is_given():
        return read_passphrase(source)
    if (
        args.publisher_key.exists()
        and args.publisher_key.read_bytes()[:22] == b"age-encryption.org/v1\n"
    ):
        return read_passphrase(source, prompt="Publisher key passphrase: ")
    return None


def _report(outputs: list[_Output], publisher: PublisherKey, pages: int) -> None:
    fingerprint = publisher.public_key().short_fingerprint
    for output in outputs:
        sys.stderr.write(
            f"Sealed {pages} pages for {output.reader.display()} -> {output.path} "
            f"(publisher {fingerprint})\n"
        )
        if output.new_passphrase:
            # Printed once, on stdout, so it can be handed to the reader; it is stored nowhere.
            sys.stdout.write(f"Passphrase for {output.reader.name} <{output.reader.id}>: "
                             f"{output.new_passphrase}\n")  # fmt: skip


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "reader"
