"""What an audit log says about a notes file: every save in the room, and the last one.

``notes open --log`` and ``notes release --log`` walk the whole log (verifying its chain), keep
the ``notes_saved`` records of the notes file's name, and refuse a file whose SHA-256 is not the
one the last save recorded: an older version, or one altered or replaced outside the room.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from readingroom.audit import events
from readingroom.audit.records import parse_body, parse_time
from readingroom.audit.verify import scan_log
from readingroom.errors import AuditTampered, NotesNotInLog
from readingroom.notes.notes_file import NotesContent, notes_file_name, sha256_hex


@dataclass(frozen=True)
class SavedInRoom:
    """One ``notes_saved`` record."""

    time: datetime
    session_code: str
    workstation: str
    sha256: str
    size: int


@dataclass
class LogEvidence:
    """The saves (and releases) of one notes file in one audit log."""

    saves: list[SavedInRoom] = field(default_factory=list)
    releases: list[dict[str, Any]] = field(default_factory=list)

    @property
    def last(self) -> SavedInRoom | None:
        """The last save the log records."""
        return self.saves[-1] if self.saves else None


def log_evidence(log_dir: Path, content: NotesContent) -> LogEvidence:
    """Walk ``log_dir`` and collect what it records about ``content``'s notes file.

    Raises:
        AuditTampered: the log does not verify.
    """
    name = notes_file_name(content.document_id, content.reader_id)
    evidence = LogEvidence()
    codes: dict[str, str] = {}

    def visit(_seq: int, body: bytes) -> None:
        record = parse_body(body)
        if record is None:
            return
        event, details = record.get("event"), record.get("details") or {}
        if event == events.SESSION_STARTED:
            codes[str(record.get("session"))] = str(details.get("code", ""))
        if not isinstance(details, dict) or details.get("file") != name:
            return
        if event == events.NOTES_SAVED:
            evidence.saves.append(
                SavedInRoom(
                    time=parse_time(str(record["time"])),
                    session_code=codes.get(str(record.get("session")), ""),
                    workstation=str(record.get("workstation", "")),
                    sha256=str(details.get("sha256", "")),
                    size=int(details.get("size", 0)),
                )
            )
        elif event == events.NOTES_RELEASED:
            evidence.releases.append(dict(details) | {"time": record.get("time")})

    scan = scan_log(log_dir, visit=visit)
    if scan.problem is not None:
        raise AuditTampered(
            f"The audit log in {log_dir} does not verify: {scan.problem.describe()}",
            reason="notes log does not verify",
        )
    return evidence


def check_last_saved(data: bytes, evidence: LogEvidence) -> SavedInRoom:
    """The last save, when ``data`` is exactly the version it recorded.

    Raises:
        NotesNotInLog: no save recorded, or the file is not the last saved version.
    """
    last = evidence.last
    if last is None or last.sha256 != sha256_hex(data) or last.size != len(data):
        raise NotesNotInLog()
    return last
