"""What a walk over an audit log found: the first problem, a torn tail, the chain's head.

:func:`readingroom.audit.verify.scan_log` fills a :class:`ScanResult`; the verify command, the
report, the writer reopening its log and the central comparison read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from readingroom.audit.checkpoints import Checkpoint
from readingroom.audit.records import GENESIS
from readingroom.audit.signing import fingerprint


@dataclass(frozen=True)
class Finding:
    """The first thing wrong with a log."""

    path: Path | None
    line: int
    seq: int | None
    kind: str
    what: str

    def describe(self) -> str:
        """One line for the verify command and the report's alarm."""
        where = f"{self.path.name} line {self.line}" if self.path else "the log"
        seq = f", seq {self.seq:,}" if self.seq is not None else ""
        return f"{where}{seq}: {self.kind}: {self.what}"


@dataclass(frozen=True)
class TornTail:
    """A final line without its newline: a write cut short by a crash."""

    path: Path
    keep: int
    fragment: bytes


@dataclass
class ScanResult:
    """What a walk over the log found."""

    records: int = 0
    head: bytes = GENESIS
    log_id: str | None = None
    public_key: str | None = None
    last_checkpoint: Checkpoint | None = None
    problem: Finding | None = None
    torn: TornTail | None = None
    max_time: str = ""
    checked_against: Checkpoint | None = None
    segments: list[Path] = field(default_factory=list)

    @property
    def last_seq(self) -> int:
        """Seq of the last good record (-1 for an empty log)."""
        return self.records - 1

    @property
    def fingerprint(self) -> str | None:
        """Fingerprint of the audit key named in the header."""
        return fingerprint(bytes.fromhex(self.public_key)) if self.public_key else None
