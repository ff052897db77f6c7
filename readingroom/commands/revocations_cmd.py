"""``readingroom revocations publish|pull``: revocation lists through the central database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from readingroom.commands.fleet_cmd import require_fleet
from readingroom.config import load_config
from readingroom.fileio import read_input_file
from readingroom.revocation import load_workstation_revocations
from readingroom.trust import TrustStore


def register(subparsers: Any) -> None:
    """Add the ``revocations`` command."""
    parser = subparsers.add_parser(
        "revocations", help="publish revocation lists centrally, or pull them to this workstation"
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    publish = actions.add_parser("publish", help="store a signed list in the central database")
    publish.add_argument("--dsn", required=True, help="the central database")
    publish.add_argument("list", type=Path, metavar="LIST.rrl")
    publish.set_defaults(run=run_publish)
    pull = actions.add_parser("pull", help="fetch the newest lists into revocation_dir")
    pull.add_argument("--from", dest="dsn", required=True, metavar="DSN")
    pull.set_defaults(run=run_pull)


def run_publish(args: argparse.Namespace) -> int:
    """Publish one list (idempotent: publishing the same list twice is fine)."""
    require_fleet()
    from readingroom.fleet.revocations import publish_list  # noqa: PLC0415

    data = read_input_file(args.list)
    fingerprint, version = publish_list(args.dsn, data)
    sys.stdout.write(f"Published version {version} of the list of {fingerprint}.\n")
    return 0


def run_pull(args: argparse.Namespace) -> int:
    """Pull the newest list of each trusted publisher; refusals are listed, not fatal."""
    require_fleet()
    from readingroom.fleet.revocations import pull_lists  # noqa: PLC0415

    config = load_config()
    trust = TrustStore.load(config.trust_store)
    result = pull_lists(
        args.dsn,
        config.revocation_dir,
        lambda: load_workstation_revocations(config, trust),
        trust.is_trusted,
    )
    for fingerprint, version in sorted(result.written.items()):
        sys.stdout.write(f"Pulled version {version} of the list of {fingerprint}.\n")
    for fingerprint, why in sorted(result.refused.items()):
        sys.stderr.write(f"Warning: the central list of {fingerprint} was refused: {why}.\n")
    if not result.written:
        sys.stdout.write("No newer revocation list.\n")
    return 0
