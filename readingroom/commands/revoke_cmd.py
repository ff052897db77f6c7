"""``readingroom revoke``: add an entry to a publisher's signed revocation list."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from readingroom.errors import UsageError
from readingroom.fileio import read_input_file, write_atomically
from readingroom.keys import load_publisher_key
from readingroom.passphrases import (
    add_passphrase_options,
    key_file_passphrase,
)
from readingroom.review_file import signature_hash
from readingroom.revocation import (
    KIND_DOCUMENT,
    KIND_FILE,
    KIND_READER,
    MAX_TEXT,
    new_revocation,
    read_list_for_update,
    sign_list,
)


def register(subparsers: Any) -> None:
    """Add the ``revoke`` command."""
    parser = subparsers.add_parser(
        "revoke",
        help="withdraw a review file, a document or a reader's files (a signed revocation list)",
        description="Add one entry to the signed revocation list LIST.rrl (created if missing), "
        "raising its version. Copy the list into every workstation's revocation_dir (or publish "
        "it centrally): a workstation refuses a withdrawn file at its next open, and ends a "
        "session reading it when the list arrives.",
    )
    parser.add_argument(
        "--publisher-key", required=True, type=Path, metavar="FILE",
        help="the publisher key that sealed the files (signs the list)",
    )  # fmt: skip
    add_passphrase_options(parser, "key-passphrase", "publisher key file's passphrase")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--document", metavar="ID", help="withdraw every file of this document id")
    what.add_argument("--file", type=Path, metavar="FILE.rrf", help="withdraw this one sealed file")
    what.add_argument(
        "--reader", metavar="ID", help="withdraw every file of this reader (their id, e.g. email)"
    )
    parser.add_argument("--reason", default="", help="why (kept in the list; public to holders)")
    parser.add_argument(
        "--list", required=True, type=Path, metavar="LIST.rrl",
        help="the revocation list to extend (created if it does not exist)",
    )  # fmt: skip
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Add the entry, sign the next version, write the list atomically."""
    if len(args.reason) > MAX_TEXT:
        raise UsageError(f"The reason is too long (at most {MAX_TEXT} characters).")
    kind, value = _entry_of(args)
    key = load_publisher_key(
        args.publisher_key,
        key_file_passphrase(
            args, "key-passphrase", args.publisher_key, "Publisher key passphrase: "
        ),
    )
    current = read_list_for_update(args.list, key)
    now = datetime.now(UTC)
    updated = current.with_entry(new_revocation(kind, value, args.reason, now), now)
    write_atomically(args.list, sign_list(updated, key), force=True, mode=0o644)
    sys.stdout.write(
        f"Revoked {kind} {value}: {args.list} is now version {updated.version} "
        f"({len(updated.entries)} entries).\n"
    )
    return 0


def _entry_of(args: argparse.Namespace) -> tuple[str, str]:
    if args.file is not None:
        return KIND_FILE, signature_hash(read_input_file(args.file, what="review file"))
    text = (args.document or args.reader or "").strip()
    if not text or len(text) > MAX_TEXT:
        raise UsageError("Give the document id or reader id to revoke.")
    return (KIND_DOCUMENT if args.document else KIND_READER), text
