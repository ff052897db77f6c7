"""``readingroom keys new|show``: make and show publisher, workstation and reader keys."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any, cast

from readingroom.errors import UsageError
from readingroom.keys import KeyKind, generate_key, public_key_of_file, write_key_file
from readingroom.passphrases import (
    add_passphrase_options,
    read_passphrase,
    source_from_args,
)

KIND_HELP = {
    "publisher": "Ed25519 signing key of a publisher (custodian)",
    "workstation": "age X25519 key of a reading-room workstation",
    "reader": "age X25519 key of a reader",
}


def register(subparsers: Any) -> None:
    """Add the ``keys`` command."""
    parser = subparsers.add_parser("keys", help="create and show keys")
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)

    new = actions.add_parser("new", help="generate a key file and print its public key")
    new.add_argument("--kind", required=True, choices=sorted(KIND_HELP), help="the key's use")
    new.add_argument("--out", required=True, type=Path, metavar="FILE", help="key file to write")
    new.add_argument("--force", action="store_true", help="replace an existing key file")
    new.add_argument(
        "--unprotected",
        action="store_true",
        help="store the key without a passphrase (workstation keys, tests)",
    )
    add_passphrase_options(new, "key-passphrase", "key file's passphrase")
    new.set_defaults(run=run_new)

    show = actions.add_parser("show", help="print the public key of a key file")
    show.add_argument("file", type=Path, metavar="FILE")
    add_passphrase_options(show, "key-passphrase", "key file's passphrase")
    show.set_defaults(run=run_show)


def run_new(args: argparse.Namespace) -> int:
    """Generate the key, write it (protected unless --unprotected), print the public key."""
    source = source_from_args(args, "key-passphrase")
    if args.unprotected and source.is_given():
        raise UsageError("Give either --unprotected or a key passphrase, not both.")
    passphrase = None
    if not args.unprotected:
        passphrase = _new_key_passphrase(source)
    key = generate_key(cast(KeyKind, args.kind))
    write_key_file(args.out, key, passphrase, force=args.force)
    sys.stderr.write(f"Wrote {args.kind} key to {args.out}. Its public key:\n")
    sys.stdout.write(key.public + "\n")
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Print the public key of an existing key file."""
    source = source_from_args(args, "key-passphrase")
    passphrase = read_passphrase(source) if source.is_given() else None
    try:
        kind, public = public_key_of_file(args.file, passphrase)
    except UsageError:
        if passphrase is not None or not sys.stdin.isatty():
            raise
        passphrase = read_passphrase(source, prompt="Key file passphrase: ")
        kind, public = public_key_of_file(args.file, passphrase)
    sys.stderr.write(f"{'publisher' if kind == 'publisher' else 'age X25519'} public key:\n")
    sys.stdout.write(public + "\n")
    return 0


def _new_key_passphrase(source: Any) -> bytes | bytearray:
    if source.is_given():
        return read_passphrase(source)
    if not sys.stdin.isatty():
        raise UsageError(
            "A key file is protected by a passphrase. Give one with --key-passphrase-file "
            "(or -fd / -env), or use --unprotected."
        )
    first = getpass.getpass("Passphrase for the new key file: ").encode("utf-8")
    second = getpass.getpass("The same passphrase again: ").encode("utf-8")
    if not first:
        raise UsageError("The passphrase is empty.")
    if first != second:
        raise UsageError("The two passphrases differ. No key was written.")
    return first
