"""``readingroom view``: open a review file in the reading-room viewer.

The GUI is imported inside :func:`run`, so every other command works where PySide6 is absent.
There is deliberately no option that saves page images or text.

``--kiosk`` (or ``kiosk = true`` in the workstation configuration) runs the reading-room
workstation's kiosk: full screen, the review folder's files to choose from, and back to that
chooser when a session ends (docs/deployment.md).
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
            "every page carries a watermark. A passphrase given with --passphrase-fd (best for "
            "scripts) or --passphrase-file skips the prompt; the notice before the first page is "
            "still shown. A reader key file (--identity) must be protected by a passphrase "
            "unless the workstation sets allow_unprotected_reader_keys. With --kiosk (or "
            "kiosk = true in the workstation configuration) the viewer runs full screen, lists "
            "the configured review folder, and returns to that list when a session ends."
        ),
    )
    parser.add_argument(
        "file",
        type=Path,
        metavar="FILE.rrf",
        nargs="?",
        help="the review file (optional in kiosk mode)",
    )
    parser.add_argument(
        "--kiosk",
        action="store_true",
        help="run as a reading-room kiosk: full screen, choose from the review folder",
    )
    add_passphrase_options(parser, "passphrase", "reader's passphrase")
    parser.add_argument("--identity", type=Path, metavar="KEYFILE", help="the reader's key file")
    add_passphrase_options(parser, "key-passphrase", "key file's passphrase")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the viewer until the reader closes it (in kiosk mode, until the process is stopped)."""
    try:
        from readingroom.gui.app import run_viewer  # noqa: PLC0415
        from readingroom.gui.viewer_launcher import ViewRequest  # noqa: PLC0415
    except ImportError as exc:
        raise UsageError(
            "The viewer needs PySide6, which is not installed on this workstation."
        ) from exc
    request = None
    if args.file is not None:
        request = ViewRequest(
            path=args.file,
            passphrase=source_from_args(args, "passphrase"),
            identity_file=args.identity,
            key_passphrase=source_from_args(args, "key-passphrase"),
        )
    # Whether a file is required depends on the configuration's kiosk setting, which the
    # viewer reads (and reports if it is unreadable or unsafe).
    return run_viewer(request, kiosk=args.kiosk)
