"""``readingroom audit acknowledge``: set aside a log that does not verify and start afresh.

The old files are never deleted: they move into ``tampered-<UTC time>/`` beside the new log for
investigation, and the new log's first event after its header is ``acknowledged``, naming the
finding, the folder and who acknowledged it. Reports show that record as an alarm for ever.
The workstation's state entry for the folder is reset (so a new log may start) but keeps the old
clock high-water mark and the list of who reset it.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from readingroom.audit import events
from readingroom.audit.log import AuditLog
from readingroom.audit.state import LogState, load_state
from readingroom.audit.storage import fsync_directory, list_segments
from readingroom.audit.verify import scan_log
from readingroom.config import WorkstationConfig
from readingroom.errors import AuditTampered, AuditUnavailable, UsageError


def acknowledge_tampered_log(
    directory: Path, *, config: WorkstationConfig, by: str, note: str | None = None
) -> Path:
    """Quarantine a log that does not verify and open a fresh one recording the alarm.

    Returns:
        The quarantine folder.

    Raises:
        UsageError: the log verifies and has the workstation's key: nothing to acknowledge.
        AuditUnavailable: the files cannot be moved or the new log written.
    """
    try:
        AuditLog.open(directory, config=config).close()
    except AuditTampered as error:
        finding = str(error.reason)
    else:
        raise UsageError("The audit log verifies: there is nothing to acknowledge.")
    scan = scan_log(directory)
    detail = scan.problem.describe() if scan.problem else finding
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    state = load_state(config.home)
    old = state.get(directory) or LogState()
    quarantine = directory / f"tampered-{stamp}"
    try:
        quarantine.mkdir(mode=0o700)
        for segment in list_segments(directory):
            os.replace(segment, quarantine / segment.name)
        fsync_directory(quarantine)
        fsync_directory(directory)
    except OSError as exc:
        raise AuditUnavailable(
            f"The audit log files in {directory} could not be moved aside "
            f"({exc.strerror or 'error'})."
        ) from exc
    state.put(
        directory,
        LogState(
            high_water=max(old.high_water, scan.max_time),
            reset_by=[*old.reset_by, f"{stamp} {by}"],
        ),
    )
    log = AuditLog.open(directory, config=config)
    try:
        log.append(
            events.ACKNOWLEDGED,
            by=by,
            note=note,
            finding=detail,
            previous_log_id=scan.log_id or old.log_id,
            quarantined=quarantine.name,
        )
    finally:
        log.close()
    return quarantine
