"""The one line ``prepare`` ends its summary with, and the command it points to.

These lines hold counts and the paths the custodian typed, never document text, so they are
safe for any stream and for ``prepare``'s report.
"""

from __future__ import annotations

import shlex
from pathlib import Path


def suggest_command(pdf: Path, names: Path | None = None, terms: Path | None = None) -> str:
    """The ``readingroom names suggest`` command line for these files, quoted for a shell."""
    parts = ["readingroom", "names", "suggest", str(pdf)]
    if names is not None:
        parts += ["--names", str(names)]
    if terms is not None:
        parts += ["--redact", str(terms)]
    return shlex.join(parts)


def missed_names_line(count: int, command: str) -> str:
    """The line prepare ends with: "N likely names are not in the names file (COMMAND)".

    With none, it says none were found "in the draft's text": pages without a text layer
    (scans) hold nothing to read, so it claims no more than that.
    """
    if count == 0:
        return "No likely names outside the names file were found in the draft's text."
    noun = "name is" if count == 1 else "names are"
    return f"{count} likely {noun} not in the names file ({command})"
