"""``readingroom trace CODE``: which session a session code seen on a page belongs to."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from readingroom.audit.report import RESTRICTED, session_text_lines
from readingroom.audit.trace import trace_session
from readingroom.config import load_config
from readingroom.errors import InputFileError
from readingroom.session_code import EXAMPLE_SESSION_CODE


def register(subparsers: Any) -> None:
    """Add the ``trace`` command."""
    parser = subparsers.add_parser("trace", help="find the session behind a session code")
    parser.add_argument("code", help=f"the code from the watermark, e.g. {EXAMPLE_SESSION_CODE}")
    parser.add_argument("logdir", nargs="?", type=Path, help="the log folder (default: config)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the session, or say it is not in this log."""
    directory: Path = args.logdir or load_config().audit_dir
    if not directory.is_dir():
        raise InputFileError(f"The audit log folder {directory} does not exist.")
    code, session = trace_session(args.code, directory)
    if session is None:
        raise InputFileError(
            f"No session with code {code} is in the audit log in {directory} "
            f"(a code looks like {EXAMPLE_SESSION_CODE})."
        )
    lines = [RESTRICTED, *session_text_lines(session)]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
