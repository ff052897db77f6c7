"""What the workstation remembers about its logs, kept beside the audit key, not in the log.

A log that vanished, was cut short or was replaced by a fresh one verifies perfectly on its own;
only something kept outside it shows that it once held more. ``audit-state.json`` in the home
folder (next to ``audit-signing.key``; the service's state folder when the audit service is
used) records, for each log folder, its ``log_id``, how many records it had reached and the
latest time ever recorded (the clock high-water mark, which therefore survives a deleted log),
and the last checkpoint exported from it. :func:`check_log_against_state` turns a mismatch into
``AuditTampered``; only ``readingroom audit acknowledge`` resets an entry, recording who did it
and keeping the old high-water mark.

The file is written atomically when a log is created, at every checkpoint, at close and on
export; the record count it holds may therefore lag the log, never lead it.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from readingroom.audit.storage import NotARegularFile, read_regular_file
from readingroom.audit.verify import ScanResult
from readingroom.errors import AuditTampered, AuditUnavailable, InputFileError
from readingroom.fileio import write_atomically

STATE_NAME = "audit-state.json"
STATE_FORMAT = "readingroom-audit-state/1"
MAX_STATE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class LogState:
    """What is known about one log folder."""

    log_id: str | None = None
    records: int = 0
    high_water: str = ""
    exported: dict[str, Any] | None = None
    reset_by: list[str] = field(default_factory=list)


@dataclass
class WorkstationState:
    """The whole state file: one :class:`LogState` per log folder (by absolute path)."""

    path: Path
    existed: bool
    logs: dict[str, LogState]

    def get(self, directory: Path) -> LogState | None:
        """The entry for a log folder, if one was ever recorded."""
        return self.logs.get(_key(directory))

    def put(self, directory: Path, entry: LogState) -> None:
        """Replace the entry for ``directory`` and write the file durably.

        Raises:
            AuditUnavailable: the file cannot be written.
        """
        self.logs[_key(directory)] = entry
        self.save()

    def save(self) -> None:
        """Write the file durably (an empty one says "a key exists, no log yet").

        Raises:
            AuditUnavailable: the file cannot be written.
        """
        data = {"format": STATE_FORMAT, "logs": {k: asdict(v) for k, v in self.logs.items()}}
        text = json.dumps(data, indent=1, sort_keys=True) + "\n"
        try:
            write_atomically(self.path, text.encode("utf-8"), force=True, mode=0o600)
        except (OSError, InputFileError) as exc:
            raise AuditUnavailable(
                f"The audit state file {self.path} cannot be written, so no document can be shown."
            ) from exc
        self.existed = True

    def advance(self, directory: Path, *, log_id: str, records: int, high_water: str) -> None:
        """Record that the log reached ``records`` records and ``high_water`` (never backwards)."""
        old = self.get(directory) or LogState()
        entry = replace(
            old,
            log_id=log_id,
            records=max(records, old.records if old.log_id == log_id else 0),
            high_water=max(high_water, old.high_water),
        )
        if entry != old:
            self.put(directory, entry)


def _key(directory: Path) -> str:
    return str(Path(os.path.abspath(directory)))


def load_state(home: Path) -> WorkstationState:
    """Read ``<home>/audit-state.json`` (an absent file is an empty state).

    Raises:
        AuditTampered: the file exists but is not a state file (it was edited).
        AuditUnavailable: it cannot be read.
    """
    path = home / STATE_NAME
    try:
        raw = read_regular_file(path)
    except FileNotFoundError:
        return WorkstationState(path, existed=False, logs={})
    except NotARegularFile as exc:  # a FIFO would hang every start: someone put it there
        raise AuditTampered(reason="state file not a file") from exc
    except OSError as exc:
        raise AuditUnavailable(f"The audit state file {path} cannot be read.") from exc
    try:
        if len(raw) > MAX_STATE_BYTES:
            raise ValueError("too large")
        value = json.loads(raw)
        if value.get("format") != STATE_FORMAT:
            raise ValueError("format")
        logs = {str(k): _entry(v) for k, v in value["logs"].items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise AuditTampered(reason="state file malformed") from exc
    return WorkstationState(path, existed=True, logs=logs)


def _entry(value: dict[str, Any]) -> LogState:
    log_id = value.get("log_id")
    exported = value.get("exported")
    reset_by = value.get("reset_by", [])
    if (
        (log_id is not None and not isinstance(log_id, str))
        or not isinstance(value.get("records"), int)
        or not isinstance(value.get("high_water"), str)
        or (exported is not None and not isinstance(exported, dict))
        or not isinstance(reset_by, list)
    ):
        raise ValueError("entry")
    return LogState(log_id, value["records"], value["high_water"], exported, list(reset_by))


def check_log_against_state(
    state: WorkstationState, directory: Path, scan: ScanResult, *, key_existed: bool
) -> None:
    """Refuse a log that is gone, shorter than it was, or another log than the one recorded.

    Args:
        state: the workstation's state file.
        directory: the log folder.
        scan: the verified walk over the folder's segments.
        key_existed: the audit key was there before this open (a log was started with it).

    Raises:
        AuditTampered: the log started over, was cut, or the state file was removed.
    """
    entry = state.get(directory)
    if entry is None or entry.log_id is None:
        # A key without any state file: the state was deleted together with the log.
        if not state.existed and key_existed and scan.records == 0:
            _refuse("missing", "the audit key exists but the log and its state file are gone")
        return
    if scan.records == 0:
        _refuse("missing", f"log {entry.log_id} recorded here is gone")
    if scan.log_id != entry.log_id:
        _refuse("replaced", f"log {entry.log_id} was replaced by log {scan.log_id}")
    if scan.records < entry.records:
        _refuse(
            "truncated",
            f"the log had reached {entry.records:,} records and now has {scan.records:,}",
        )


def _refuse(kind: str, what: str) -> None:
    raise AuditTampered(
        f"The audit log on this workstation has started over ({what}). Documents cannot be "
        "opened until an administrator has checked it and run 'readingroom audit acknowledge'.",
        reason=f"log {kind}",
    )
