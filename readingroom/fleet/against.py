"""A local log checked against what it shipped: the central copy is the witness.

The workstation cannot change the central rows (append-only), so a local log that now ends
before the last shipped record, differs from it, or is a different log altogether (a restart)
was cut, rewritten or replaced after shipping.
"""

from __future__ import annotations

import hmac
from pathlib import Path

from readingroom.audit.verify import ScanResult
from readingroom.errors import AuditTampered
from readingroom.fleet.database import connect
from readingroom.fleet.local_log import iter_lines


def check_against_central(directory: Path, scan: ScanResult, dsn: str, *, workstation: str) -> str:
    """One line saying how the local log compares; AuditTampered when it was altered.

    ``scan`` is the local log's own verification (already passed). ``workstation`` is this
    workstation's configured name: a log shipped under it, or under this log's audit key, that is
    not this log means the log started over (even with a new audit key).

    Raises:
        AuditTampered: truncated, rewritten or restarted after shipping.
        CentralUnavailable: the database cannot be reached.
    """
    with connect(dsn) as connection:
        row = connection.execute(
            "SELECT seq, line FROM readingroom.records WHERE log_id = %s ORDER BY seq DESC LIMIT 1",
            (scan.log_id,),
        ).fetchone()
        others = connection.execute(
            "SELECT log_id FROM readingroom.workstations "
            "WHERE (fingerprint = %s OR name = %s) AND log_id <> %s",
            (scan.fingerprint, workstation, scan.log_id),
        ).fetchall()
    if row is None:
        if others:
            raise AuditTampered(
                "The audit log does not match the central copy: this workstation (its name or "
                f"audit key) shipped {len(others)} other log(s) and never this one (restarted "
                "after shipping; an acknowledged restart also shows here)."
            )
        return "nothing shipped to the central database yet"
    last_seq, central_line = row
    assert isinstance(last_seq, int) and isinstance(central_line, bytes)
    if last_seq > scan.last_seq:
        raise AuditTampered(
            f"The audit log does not match the central copy: it ends at seq {scan.last_seq:,} "
            f"but seq {last_seq:,} was shipped (truncated after shipping)."
        )
    local = next(line for index, line in enumerate(iter_lines(directory)) if index == last_seq)
    if not hmac.compare_digest(local, central_line):
        raise AuditTampered(
            f"The audit log does not match the central copy: record {last_seq:,} differs from "
            "the one shipped (rewritten after shipping)."
        )
    return f"matches the central copy up to seq {last_seq:,}"
