"""``readingroom audit ship`` and ``audit central init|verify``: the central audit trail.

psycopg is imported only inside the handlers (through ``readingroom.fleet``), so the viewer's
bundle without the ``fleet`` extra still runs every other command.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readingroom.audit.report_model import Report, build_report
from readingroom.audit.sessions import Filters
from readingroom.audit.verify import ScanResult
from readingroom.config import WorkstationConfig, load_config
from readingroom.errors import AuditTampered, ConfigurationError, UsageError

if TYPE_CHECKING:
    from readingroom.fleet.auto_ship import AutoShipper


def register_audit_actions(actions: Any) -> None:
    """Add ``ship`` and ``central`` to the ``audit`` command's actions."""
    ship = actions.add_parser(
        "ship", help="copy this workstation's audit records to the central database"
    )
    ship.add_argument("logdir", nargs="?", type=Path, help="the log folder (default: config)")
    ship.add_argument("--to", metavar="DSN", help="the central database (default: ship_to)")
    ship.add_argument("--batch", type=int, default=5000, help="records per transaction")
    ship.set_defaults(run=run_ship)

    central = actions.add_parser("central", help="the central audit database")
    central_actions = central.add_subparsers(title="actions", metavar="ACTION", required=True)
    init = central_actions.add_parser("init", help="create or upgrade the central schema")
    init.add_argument("--dsn", required=True, help="the central database (an owner's login)")
    init.set_defaults(run=run_central_init)
    verify = central_actions.add_parser(
        "verify", help="check every workstation's chain, checkpoints and gaps in the database"
    )
    verify.add_argument("--dsn", required=True, help="the central database (an auditor's login)")
    verify.add_argument("--workers", type=int, help="processes (default: one per core)")
    verify.set_defaults(run=run_central_verify)


def require_fleet() -> None:
    """Fail with one line when the ``fleet`` extra (psycopg) is not installed."""
    try:
        import psycopg  # noqa: F401, PLC0415 - only to see whether it is installed
    except ImportError as exc:
        raise ConfigurationError(
            "The central audit database needs the fleet extra: pip install 'readingroom[fleet]'."
        ) from exc


def run_ship(args: argparse.Namespace) -> int:
    """Ship what the central database does not have yet; one line either way."""
    require_fleet()
    from readingroom.fleet.ship import ship_log  # noqa: PLC0415 - optional dependency

    config = load_config()
    dsn = args.to or config.ship_to
    if not dsn:
        raise UsageError("Give --to DSN, or set ship_to in the configuration.")
    if args.batch <= 0:
        raise UsageError("--batch must be a positive number.")
    directory: Path = args.logdir or config.audit_dir
    result = ship_log(directory, dsn, workstation=config.workstation_name, batch=args.batch)
    sys.stdout.write(
        f"Shipped {result.shipped:,} records of log {result.log_id}; "
        f"the central copy ends at seq {result.last_seq:,}.\n"
    )
    return 0


def start_auto_shipper(config: WorkstationConfig) -> AutoShipper | None:
    """For ``audit serve``: ship after each session when ``ship_to`` is set (else None)."""
    if not config.ship_to:
        return None
    try:
        from readingroom.fleet.auto_ship import AutoShipper  # noqa: PLC0415 - optional
    except ImportError:
        # Reading goes on (shipping is not a condition of it), but say so in the journal.
        _service_line("ship_to is set, but the fleet extra is not installed: nothing is shipped.")
        return None
    shipper = AutoShipper(
        config.audit_dir, config.ship_to, workstation=config.workstation_name, report=_service_line
    )
    shipper.start()
    return shipper


def _service_line(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def run_central_init(args: argparse.Namespace) -> int:
    """Apply the schema migrations not yet applied."""
    require_fleet()
    from readingroom.fleet.database import init_schema  # noqa: PLC0415 - optional dependency

    applied = init_schema(args.dsn)
    if applied:
        sys.stdout.write(f"Applied {', '.join(applied)}.\n")
    else:
        sys.stdout.write("The central schema is up to date.\n")
    return 0


def run_central_verify(args: argparse.Namespace) -> int:
    """One line per workstation log; exit 8 when any log has a problem."""
    require_fleet()
    from readingroom.fleet.central_verify import verify_central  # noqa: PLC0415

    if args.workers is not None and args.workers <= 0:
        raise UsageError("--workers must be a positive number.")
    verdicts = verify_central(args.dsn, workers=args.workers)
    bad = 0
    for verdict in verdicts:
        state = "intact" if not verdict.problems else f"{len(verdict.problems)} problem(s)"
        sys.stdout.write(
            f"{verdict.name} (log {verdict.log_id}, key {verdict.fingerprint}): "
            f"{verdict.records:,} records, {verdict.checkpoints:,} checkpoints, {state}\n"
        )
        for problem in verdict.problems:
            sys.stdout.write(f"  {problem}\n")
        bad += bool(verdict.problems)
    total = sum(verdict.records for verdict in verdicts)
    sys.stdout.write(f"{len(verdicts)} logs, {total:,} records, {bad} with problems.\n")
    if bad:
        raise AuditTampered(f"The central audit trail does not verify: {bad} log(s) with problems.")
    return 0


def check_against(directory: Path, scan: ScanResult, dsn: str, *, workstation: str) -> str:
    """``audit verify --against DSN``: compare the verified local log with its central copy."""
    require_fleet()
    from readingroom.fleet.against import check_against_central  # noqa: PLC0415

    return check_against_central(directory, scan, dsn, workstation=workstation)


def central_report(dsn: str, filters: Filters, *, min_seconds: float) -> Report:
    """``audit report --dsn``: the report's model built from every workstation's records."""
    require_fleet()
    from readingroom.fleet.central_report import (  # noqa: PLC0415
        central_summary,
        describe_central,
    )

    summary, verdicts = central_summary(dsn)
    report = build_report(summary, filters, min_seconds=min_seconds)
    return dataclasses.replace(report, verification=describe_central(verdicts))
