"""Reports across every workstation: the central records fed to the local report's own code.

The sessions are rebuilt by the same collector ``audit report`` uses on a local log
(``readingroom.audit.sessions``), so every format (text, JSON, CSV, HTML) is the same; the
chain is checked by central verify first, and any problem it finds becomes the report's alarm.
"""

from __future__ import annotations

from readingroom.audit.records import split_line
from readingroom.audit.session_summary import Alarm, LogSummary
from readingroom.audit.sessions import _Collector
from readingroom.audit.verify import Finding, ScanResult
from readingroom.fleet.central_verify import FETCH_ROWS, LogVerdict, verify_central
from readingroom.fleet.database import connect


def central_summary(dsn: str) -> tuple[LogSummary, list[LogVerdict]]:
    """Every session on every workstation, with central verification's findings as alarms.

    Raises:
        CentralUnavailable: the database cannot be reached.
    """
    verdicts = verify_central(dsn)
    collector = _Collector()
    with connect(dsn) as connection:
        for verdict in verdicts:
            with connection.cursor(name="report") as cursor:
                cursor.itersize = FETCH_ROWS
                cursor.execute(
                    "SELECT seq, line FROM readingroom.records WHERE log_id = %s ORDER BY seq",
                    (verdict.log_id,),
                )
                for seq, line in cursor:
                    parts = split_line(bytes(line))
                    if parts is not None:
                        collector.visit(int(seq), parts[1])
            connection.commit()
    scan = ScanResult(records=sum(verdict.records for verdict in verdicts))
    alarms = list(collector.alarms)
    bad = [verdict for verdict in verdicts if verdict.problems]
    if bad:
        scan.problem = Finding(
            None,
            0,
            None,
            "central",
            f"{len(bad)} of {len(verdicts)} workstation logs do not verify centrally "
            "(run audit central verify)",
        )
        for verdict in bad:
            for problem in verdict.problems:
                alarms.insert(0, Alarm("", "tampered", f"{verdict.name}: {problem}"))
    summary = LogSummary(scan, list(collector.sessions.values()), alarms, collector.unlock_failures)
    return summary, verdicts


def describe_central(verdicts: list[LogVerdict]) -> str:
    """The report's verification line for the central trail."""
    total = sum(verdict.records for verdict in verdicts)
    bad = sum(bool(verdict.problems) for verdict in verdicts)
    if bad:
        return f"DOES NOT VERIFY: {bad} of {len(verdicts)} workstation logs have problems"
    return (
        f"{total:,} records from {len(verdicts)} workstation logs in the central database, "
        "every chain intact and every checkpoint signed by its registered audit key"
    )
