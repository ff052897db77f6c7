"""``readingroom trace CODE``: which session a session code seen on a page belongs to."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from readingroom.audit.code_match import candidate_line, candidate_sessions
from readingroom.audit.report import RESTRICTED, session_text_lines
from readingroom.audit.sessions import summarise_log
from readingroom.audit.trace import trace_session
from readingroom.commands.trace_photo import trace_image
from readingroom.config import load_config
from readingroom.errors import BadSessionCode, InputFileError, UsageError
from readingroom.session_code import EXAMPLE_SESSION_CODE


def register(subparsers: Any) -> None:
    """Add the ``trace`` command."""
    parser = subparsers.add_parser("trace", help="find the session behind a session code")
    parser.add_argument(
        "code", nargs="?", help=f"the code from the watermark, e.g. {EXAMPLE_SESSION_CODE}"
    )
    parser.add_argument("logdir", nargs="?", type=Path, help="the log folder (default: config)")
    parser.add_argument(
        "--image", type=Path, metavar="PHOTO", help="a photo or screenshot (PNG/JPEG) of a page"
    )
    parser.add_argument("--log", type=Path, metavar="DIR", help="the log folder (same as LOGDIR)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the session, or say it is not in this log."""
    if args.image is not None and args.code is not None and args.logdir is None:
        # `trace --image PHOTO DIR`: the one positional is the log folder.
        args.code, args.logdir = None, Path(args.code)
    if (args.image is None) == (args.code is None):
        raise UsageError("Give either a session code or --image PHOTO.")
    directory: Path = args.log or args.logdir or load_config().audit_dir
    if not directory.is_dir():
        raise InputFileError(f"The audit log folder {directory} does not exist.")
    if args.image is not None:
        return trace_image(args.image, directory)
    try:
        code, session = trace_session(args.code, directory)
    except BadSessionCode:
        _suggest(args.code, directory)
        raise
    if session is None:
        raise InputFileError(
            f"No session with code {code} is in the audit log in {directory} "
            f"(a code looks like {EXAMPLE_SESSION_CODE})."
        )
    lines = [RESTRICTED, *session_text_lines(session)]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _suggest(code: str, directory: Path) -> None:
    """After a check-character failure: the near sessions, clearly as candidates."""
    candidates = candidate_sessions(code, summarise_log(directory).sessions)
    if candidates:
        listed = " or ".join(candidate_line(candidate) for candidate in candidates)
        sys.stdout.write(f"Did you mean {listed}? (candidates: check them against the page)\n")
