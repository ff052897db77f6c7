"""Who ``seal`` seals for: ``--reader`` options and a readers CSV file (``--readers``).

A readers file is CSV with a header row naming the columns ``name``, ``id`` and (optionally)
``organisation``, one reader per row, as a spreadsheet exports it::

    name,id,organisation
    Alex Morgan,alex.morgan@example.gov.uk,Ofsted
    Sam Lee,sam.lee@example.gov.uk,
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from readingroom.errors import InputFileError, UsageError
from readingroom.fileio import read_input_file
from readingroom.policy import ReaderIdentity

MAX_READERS_FILE = 1024 * 1024
MAX_READERS = 1000


def gather_readers(
    specs: Sequence[str], readers_file: Path | None, default_organisation: str
) -> list[ReaderIdentity]:
    """The readers named by ``--reader`` (in order), then those of the readers file.

    Raises:
        UsageError: no reader, a malformed reader, or two readers with the same identifier.
        InputFileError: the readers file cannot be read or is not of the expected form.
    """
    readers = [ReaderIdentity.parse(spec, default_organisation) for spec in specs]
    if readers_file is not None:
        readers += load_readers_file(readers_file, default_organisation)
    if not readers:
        raise UsageError("Name at least one reader with --reader or --readers.")
    if len(readers) > MAX_READERS:
        raise UsageError(f"At most {MAX_READERS} readers can be sealed for at once.")
    seen: set[str] = set()
    for reader in readers:
        key = reader.id.casefold()
        if key in seen:
            raise UsageError(f"The reader identifier {reader.id} is given twice.")
        seen.add(key)
    return readers


def load_readers_file(path: Path, default_organisation: str = "") -> list[ReaderIdentity]:
    """Parse a readers CSV file (see the module docstring).

    Raises:
        InputFileError: unreadable, not UTF-8, no ``name``/``id`` header, or a bad row (the
            message names the line).
    """
    raw = read_input_file(path, what="readers file", limit=MAX_READERS_FILE)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"The readers file {path} is not UTF-8 text.") from exc
    rows = csv.DictReader(io.StringIO(text, newline=""))
    columns = {name.strip().casefold() for name in rows.fieldnames or ()}
    if not {"name", "id"} <= columns:
        raise InputFileError(
            f"The readers file {path} needs a header row with the columns name, id "
            "and (optionally) organisation."
        )
    readers = []
    for row in rows:
        cells = {
            (key or "").strip().casefold(): (value or "").strip()
            for key, value in row.items()
            if isinstance(value, str)
        }
        if not any(cells.values()):
            continue  # a blank line a spreadsheet left at the end
        line = rows.line_num
        try:
            reader = ReaderIdentity(
                cells.get("name", ""),
                cells.get("id", ""),
                cells.get("organisation", "") or default_organisation.strip(),
            )
            reader.check()
        except UsageError as exc:
            raise InputFileError(f"The readers file {path}, line {line}: {exc}") from exc
        if "<" in reader.id or ">" in reader.id:
            raise InputFileError(f"The readers file {path}, line {line}: write the id bare.")
        readers.append(reader)
    return readers
