"""``readingroom audit verify|report|checkpoint|acknowledge|key``: the custodian's tools.

``verify``, ``report`` and ``checkpoint`` only read the log (no lock), so they work while a
viewer is writing it; ``acknowledge`` takes the writer's lock.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from readingroom.audit.acknowledge import acknowledge_tampered_log
from readingroom.audit.checkpoints import (
    Checkpoint,
    checkpoint_from_export,
    export_checkpoint,
    load_exported_checkpoint,
)
from readingroom.audit.log import AuditLog
from readingroom.audit.report import render_json, render_text
from readingroom.audit.report_csv import render_csv, render_csv_views
from readingroom.audit.report_html import render_html
from readingroom.audit.report_model import DEFAULT_MIN_SECONDS, build_report
from readingroom.audit.service import AuditService, activated_socket, bind_socket
from readingroom.audit.sessions import Filters, summarise_log
from readingroom.audit.signing import fingerprint, load_or_create_audit_key, public_key_bytes
from readingroom.audit.state import LogState, load_state
from readingroom.audit.storage import list_segments
from readingroom.audit.verify import scan_log
from readingroom.commands import fleet_cmd
from readingroom.config import load_config
from readingroom.errors import AuditTampered, AuditUnavailable, InputFileError, UsageError
from readingroom.fileio import check_output_path, write_atomically

FORMATS = ("text", "csv", "csv-views", "json", "html")


def register(subparsers: Any) -> None:
    """Add the ``audit`` command."""
    parser = subparsers.add_parser("audit", help="verify and report on the audit log")
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)

    verify = actions.add_parser("verify", help="check the log's chain and checkpoints")
    verify.add_argument("logdir", nargs="?", type=Path, help="the log folder (default: config)")
    verify.add_argument("--checkpoint", type=Path, help="an exported checkpoint to check against")
    verify.add_argument("--key-fingerprint", help="the audit key fingerprint you trust")
    verify.add_argument("--against", metavar="DSN", help="the central database this log shipped to")
    verify.set_defaults(run=run_verify)

    report = actions.add_parser(
        "report",
        help="who read what, how closely, and what they tried",
        description="Sessions (reader, document, pages, searches, denied actions, idle and "
        "away periods), failed unlocks, and totals per document and per reader. All times "
        "are ISO 8601 UTC.",
    )
    report.add_argument("logdir", nargs="?", type=Path, help="the log folder (default: config)")
    report.add_argument(
        "--reader", metavar="TEXT", help="only this reader: the id, or part of the id or name"
    )
    report.add_argument(
        "--document", metavar="TEXT",
        help="only this document: the id, or part of the id or title",
    )  # fmt: skip
    report.add_argument("--since", help="YYYY-MM-DD or an ISO date-time (UTC unless given)")
    report.add_argument(
        "--format", choices=FORMATS, default="text",
        help="text, json, html (with a timeline per session), csv (one row per session) or "
        "csv-views (one row per page view)",
    )  # fmt: skip
    report.add_argument(
        "--min-seconds", type=float, default=DEFAULT_MIN_SECONDS, metavar="S",
        help=f"a page counts as seen after S seconds on screen (default: "
        f"{DEFAULT_MIN_SECONDS:g})",
    )  # fmt: skip
    report.add_argument("--output", type=Path, help="write to this file instead of stdout")
    report.add_argument(
        "--dsn", help="report across every workstation in this central database, not one log"
    )
    report.set_defaults(run=run_report)

    checkpoint = actions.add_parser("checkpoint", help="export the latest signed checkpoint")
    checkpoint.add_argument("logdir", nargs="?", type=Path)
    checkpoint.add_argument("--export", type=Path, required=True, metavar="FILE")
    checkpoint.add_argument("--force", action="store_true", help="replace FILE if it exists")
    checkpoint.set_defaults(run=run_checkpoint)

    acknowledge = actions.add_parser("acknowledge", help="set aside a log that does not verify")
    acknowledge.add_argument("logdir", nargs="?", type=Path)
    acknowledge.add_argument("--by", required=True, help="who acknowledges (recorded)")
    acknowledge.add_argument("--note", help="why (recorded)")
    acknowledge.set_defaults(run=run_acknowledge)

    key = actions.add_parser("key", help="show the workstation audit key's fingerprint")
    key.set_defaults(run=run_key)

    serve = actions.add_parser("serve", help="run the audit service (owns the log; Unix socket)")
    serve.add_argument(
        "--socket", type=Path, help="listen here (default: audit_socket; systemd passes its own)"
    )
    serve.set_defaults(run=run_serve)
    fleet_cmd.register_audit_actions(actions)


def _logdir(args: argparse.Namespace) -> Path:
    directory: Path = args.logdir or load_config().audit_dir
    if not directory.is_dir():
        raise InputFileError(f"The audit log folder {directory} does not exist.")
    return directory


def run_verify(args: argparse.Namespace) -> int:
    """Verify the log; one line on success, the first bad record on failure."""
    directory: Path = args.logdir or load_config().audit_dir
    entry = load_state(load_config().home).get(directory)
    if entry is not None and entry.log_id is not None and not list_segments(directory):
        raise AuditTampered(
            f"The audit log does not verify: log {entry.log_id} recorded in {directory} is gone."
        )
    directory = _logdir(args)
    against = (
        load_exported_checkpoint(args.checkpoint) if args.checkpoint else _last_exported(entry)
    )
    scan = scan_log(directory, against=against)
    if scan.problem is not None:
        raise AuditTampered(f"The audit log does not verify: {scan.problem.describe()}.")
    if scan.records == 0:
        raise AuditTampered(f"The audit log in {directory} is empty.")
    if args.key_fingerprint and scan.fingerprint != args.key_fingerprint:
        raise AuditTampered(
            f"The audit log does not verify: it was signed by {scan.fingerprint}, "
            f"not by {args.key_fingerprint}."
        )
    line = f"{scan.records:,} records, chain intact"
    if scan.last_checkpoint is not None:
        line += (
            f", last checkpoint seq {scan.last_checkpoint.seq:,} "
            f"signed by {scan.last_checkpoint.fingerprint}"
        )
    else:
        line += f", no checkpoint yet (audit key {scan.fingerprint})"
    if scan.checked_against is not None:
        line += f", matches exported checkpoint seq {scan.checked_against.seq:,}"
    if args.against:
        line += ", " + fleet_cmd.check_against(
            directory, scan, args.against, workstation=load_config().workstation_name
        )
    sys.stdout.write(line + "\n")
    return 0


def _last_exported(entry: LogState | None) -> Checkpoint | None:
    # Without --checkpoint, the last checkpoint exported from this workstation is the yardstick:
    # a log replaced by a fresh one, or cut shorter than it, is an alarm, not "chain intact".
    if entry is None or entry.exported is None:
        return None
    try:
        return checkpoint_from_export(entry.exported)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise AuditTampered(reason="state file malformed") from exc


def _since(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"--since {text} is not a date (use YYYY-MM-DD).") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run_report(args: argparse.Namespace) -> int:
    """Print or write the report; a log that does not verify still reports, with the alarm."""
    if not 0 <= args.min_seconds <= 24 * 3600:
        raise UsageError("--min-seconds must be between 0 and 86400.")
    filters = Filters(reader=args.reader, document=args.document, since=_since(args.since))
    if args.dsn:
        report = fleet_cmd.central_report(args.dsn, filters, min_seconds=args.min_seconds)
    else:
        report = build_report(summarise_log(_logdir(args)), filters, min_seconds=args.min_seconds)
    renderers = {
        "csv": render_csv,
        "csv-views": render_csv_views,
        "json": render_json,
        "html": render_html,
        "text": render_text,
    }
    text = renderers[args.format](report)
    if args.output:
        check_output_path(args.output)
        write_atomically(args.output, text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    return 0 if report.verified else AuditTampered.exit_code


def run_checkpoint(args: argparse.Namespace) -> int:
    """Write the latest in-log checkpoint to a file for safe keeping elsewhere."""
    directory = _logdir(args)
    scan = scan_log(directory, allow_torn_tail=True)
    if scan.problem is not None:
        raise AuditTampered(f"The audit log does not verify: {scan.problem.describe()}.")
    if scan.last_checkpoint is None:
        raise UsageError("The audit log has no checkpoint yet.")
    export_checkpoint(scan.last_checkpoint, args.export, force=args.force)
    state = load_state(load_config().home)
    entry = state.get(directory) or LogState()
    state.put(directory, replace(entry, exported=json.loads(scan.last_checkpoint.to_export())))
    sys.stdout.write(
        f"Exported checkpoint seq {scan.last_checkpoint.seq:,} "
        f"({scan.last_checkpoint.fingerprint}) to {args.export}.\n"
    )
    return 0


def run_acknowledge(args: argparse.Namespace) -> int:
    """Quarantine a log that does not verify; the new log records the acknowledgement."""
    config = load_config()
    directory: Path = args.logdir or config.audit_dir
    quarantine = acknowledge_tampered_log(directory, config=config, by=args.by, note=args.note)
    sys.stdout.write(
        f"Acknowledged. The old log files are kept in {quarantine}; a new log has started.\n"
    )
    return 0


def run_key(args: argparse.Namespace) -> int:
    """Print the audit public key and its fingerprint (creating the key on first use)."""
    home = load_config().home
    state = load_state(home)
    key = load_or_create_audit_key(home)
    if not state.existed:
        # A key with no state file reads as "the log and its state were deleted": say instead
        # that the key came first and no log exists yet.
        state.save()
    public = public_key_bytes(key)
    sys.stdout.write(f"{fingerprint(public)}  ed25519:{public.hex()}\n")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    """Own the log and append for clients until SIGTERM; exit non-zero if the log failed."""
    config = load_config()
    listener = activated_socket()
    if listener is None:
        path = args.socket or config.audit_socket
        if path is None:
            raise UsageError("Give --socket PATH, or set audit_socket in the configuration.")
        listener = bind_socket(path)
    log = AuditLog.open(config.audit_dir, config=config)
    shipper = fleet_cmd.start_auto_shipper(config)
    after_session = shipper.request if shipper is not None else None
    service = AuditService(log, listener, after_session=after_session)
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, lambda *_: service.stop())
    sys.stdout.write("The audit service is running.\n")
    sys.stdout.flush()
    service.serve()
    if shipper is not None:
        shipper.stop()
    if service.failed:
        raise AuditUnavailable(reason="audit failure")
    return 0
