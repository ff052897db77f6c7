"""The ``readingroom`` command line: argument parsing and the one place errors become exit codes.

Each subcommand lives in ``readingroom/commands/<name>.py`` with a ``register(subparsers)``
function that adds its parser and sets ``run`` as its handler. Handlers raise
:class:`~readingroom.errors.ReadingRoomError` subclasses; :func:`main` prints their safe message
on one line and returns their exit code. No traceback ever reaches a user (set
``READINGROOM_DEBUG=1`` when developing to see one).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence

from readingroom import __version__
from readingroom.age.errors import AgeError
from readingroom.errors import ExitCode, ReadingRoomError, from_age_error, report_error

# Order is the order of ``readingroom --help``. ``view`` imports Qt only when it runs, so the
# core commands work where PySide6 is absent.
COMMAND_MODULES = (
    "readingroom.commands.keys_cmd",
    "readingroom.commands.trust_cmd",
    "readingroom.commands.prepare_cmd",
    "readingroom.commands.names_cmd",
    "readingroom.commands.seal_cmd",
    "readingroom.commands.inspect_cmd",
    "readingroom.commands.view_cmd",
    "readingroom.commands.notes_cmd",
    "readingroom.commands.audit_cmd",
    "readingroom.commands.trace_cmd",
    "readingroom.commands.revoke_cmd",
    "readingroom.commands.revocations_cmd",
)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors use our exit code and one-line format."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"readingroom: error: {message}\n")
        raise SystemExit(ExitCode.USAGE)


def build_parser() -> argparse.ArgumentParser:
    """Build the full parser with every subcommand registered."""
    parser = _Parser(
        prog="readingroom",
        description="ReadingRoom: seal, read and audit restricted documents.",
    )
    parser.add_argument("--version", action="version", version=f"readingroom {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "run", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return ExitCode.USAGE
    try:
        result: int = handler(args)
        return result
    except ReadingRoomError as error:
        report_error(str(error))
        return error.exit_code
    except AgeError as error:  # a key string given on the command line (seal --reader-key)
        mapped = from_age_error(error)
        report_error(str(mapped))
        return mapped.exit_code
    except KeyboardInterrupt:
        report_error("Interrupted. No file was written.")
        return ExitCode.INTERRUPTED
    except Exception:
        if os.environ.get("READINGROOM_DEBUG"):
            traceback.print_exc()
        report_error("An unexpected internal error occurred. No file was written.")
        return ExitCode.INTERNAL
