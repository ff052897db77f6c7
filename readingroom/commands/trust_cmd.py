"""``readingroom trust add|list|remove``: the publishers this workstation trusts."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from readingroom.config import load_config
from readingroom.keys import read_public_key_argument, short_fingerprint
from readingroom.trust import TrustStore


def register(subparsers: Any) -> None:
    """Add the ``trust`` command."""
    parser = subparsers.add_parser(
        "trust", help="manage the trusted publishers of this workstation"
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="trust a publisher's public key")
    add.add_argument("key", metavar="PUBLIC_KEY_OR_FILE", help="rrpub1... or a file holding it")
    add.add_argument("--name", default="", help="a name to show for this publisher")
    add.set_defaults(run=run_add)

    listing = actions.add_parser("list", help="list trusted publishers")
    listing.set_defaults(run=run_list)

    remove = actions.add_parser("remove", help="stop trusting a publisher")
    remove.add_argument("key", metavar="FINGERPRINT_OR_KEY")
    remove.set_defaults(run=run_remove)


def _store() -> TrustStore:
    return TrustStore.load(load_config().trust_store)


def run_add(args: argparse.Namespace) -> int:
    """Add a publisher."""
    key = read_public_key_argument(args.key)
    entry = _store().add(key, args.name)
    sys.stdout.write(f"Trusted {entry.name} ({short_fingerprint(key.fingerprint)}).\n")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """List publishers, one per line: short fingerprint, name, public key."""
    store = _store()
    publishers = store.publishers()
    if not publishers:
        sys.stderr.write(f"No trusted publishers in {store.path}.\n")
    for entry in publishers:
        sys.stdout.write(f"{short_fingerprint(entry.key.fingerprint)}  {entry.name}  {entry.key}\n")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    """Remove a publisher."""
    entry = _store().remove(args.key)
    sys.stdout.write(
        f"No longer trusting {entry.name} ({short_fingerprint(entry.key.fingerprint)}).\n"
    )
    return 0
