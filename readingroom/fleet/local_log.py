"""Reading a workstation's local log for shipping: its header, and its lines from a seq on.

Lines are handed out exactly as stored (without the newline). A final line without its newline
(a write cut short by a crash) is not a record yet and is never shipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from readingroom.audit import events
from readingroom.audit.records import parse_body, split_line
from readingroom.audit.signing import fingerprint
from readingroom.audit.storage import NotARegularFile, list_segments, read_regular_file
from readingroom.errors import AuditTampered, InputFileError


@dataclass(frozen=True)
class LogHeader:
    """What the log's first record says about it."""

    log_id: str
    public_key: str

    @property
    def fingerprint(self) -> str:
        """Fingerprint of the audit key named in the header."""
        return fingerprint(bytes.fromhex(self.public_key))


def read_header(directory: Path) -> LogHeader:
    """The log's id and audit key, from record 0.

    Raises:
        InputFileError: there is no log in ``directory``.
        AuditTampered: the first record is not a log header.
    """
    for line in iter_lines(directory):
        parts = split_line(line)
        record = parse_body(parts[1]) if parts else None
        details = record.get("details") if record else None
        if (
            record is None
            or record.get("seq") != 0
            or record.get("event") != events.LOG_CREATED
            or not isinstance(details, dict)
            or not isinstance(details.get("log_id"), str)
            or not isinstance(details.get("public_key"), str)
            or len(details["public_key"]) != 64
        ):
            raise AuditTampered("The audit log does not verify: its first record is not a header.")
        try:
            bytes.fromhex(details["public_key"])
        except ValueError as exc:
            raise AuditTampered("The audit log's header has a malformed key.") from exc
        return LogHeader(details["log_id"], details["public_key"])
    raise InputFileError(f"There is no audit log in {directory}.")


def iter_lines(directory: Path) -> Iterator[bytes]:
    """Every complete stored line of the log, in chain order."""
    segments = list_segments(directory)
    for index, path in enumerate(segments):
        try:
            lines = read_regular_file(path).split(b"\n")
        except NotARegularFile as exc:  # a FIFO would hang the shipper: someone put it there
            raise AuditTampered(reason="segment not a file") from exc
        tail = lines.pop()
        yield from lines
        if tail and index != len(segments) - 1:
            # A cut line in the middle of the chain: hand it on so the chain check names it.
            yield tail
