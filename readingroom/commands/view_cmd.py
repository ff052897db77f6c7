"""``readingroom view``: open a review file in the reading-room viewer.

The GUI is imported inside :func:`run`, so every other command works where PySide6 is absent.
There is deliberately no option that saves page images or text.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from readingroom.errors import UsageError
from readingroom.passphrases import add_passphrase_options, source_from_args


def register(subparsers: Any) -> None:
    """Add the ``view`` command."""
    parser = subparsers.add_parser(
        "view",
        help="read a review file in the reading-room viewer",
        description=(
            "Open a review file in the viewer. The session is recorded in the audit log and "
            "every page carries a watermark. A passphrase given with --passphrase-file skips "
            "the prompt; the notice before the first page is still shown."
        ),
    )
    parser.add_argument("file", type=Path, metavar="FILE.rrf")
    add_passphrase_options(parser, "passphrase", "reader's passphrase")
    parser.add_argument("--identity", type=Path, metavar="KEYFILE", help="the reader's key file")
    add_passphrase_options(parser, "key-passphrase", "key file's passphrase")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the viewer until the reader closes it."""
    try:
        from readingroom.gui.app import run_viewer  # noqa: PLC0415
        from readingroom.gui.viewer_launcher import ViewRequest  # noqa: PLC0415
    except ImportError as exc:
        raise UsageError(
            "The viewer needs PySide6, which is not installed on this workstation."
        ) from exc
    request = ViewRequest(
        path=args.file,
        passphrase=source_from_args(args, "passphrase"),
        identity_file=args.identity,
        key_passphrase=source_from_args(args, "key-passphrase"),
    )
    return run_viewer(request)
