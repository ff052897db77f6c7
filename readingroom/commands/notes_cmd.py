"""``readingroom notes open`` / ``notes release``: the custodian's side of sealed notes."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from readingroom.audit import events
from readingroom.audit.log import AuditLog
from readingroom.config import load_config
from readingroom.errors import NotesUnreadable, UsageError
from readingroom.fileio import read_input_file, write_atomically
from readingroom.keys import load_identity_file
from readingroom.notes.notes_file import (
    MAX_NOTES_FILE_BYTES,
    NotesContent,
    notes_file_name,
    open_notes,
    sha256_hex,
)
from readingroom.notes.provenance import LogEvidence, check_last_saved, log_evidence
from readingroom.notes.release import release_stamp, render_release
from readingroom.notes.text import terminal_safe
from readingroom.passphrases import add_passphrase_options, key_file_passphrase
from readingroom.policy import ReaderIdentity

CUSTODIAN_UNREADABLE = (
    "This notes file cannot be opened with this key: it was sealed for other custodians, or it "
    "is damaged or has been altered."
)


def register(subparsers: Any) -> None:
    """Add ``notes open`` and ``notes release``."""
    parser = subparsers.add_parser(
        "notes", help="open or release a reader's sealed notes (custodian)"
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    opening = actions.add_parser(
        "open",
        help="print a notes file with its provenance",
        description="Decrypt FILE.rrn with a custodian key and print the notes with who wrote "
        "them, on which document and workstation, in which sessions. With --log, the file "
        "must be the last version the audit log records as saved.",
    )
    _common(opening)
    opening.set_defaults(run=run_open)
    release = actions.add_parser(
        "release",
        help="render the notes to a PDF stamped with who released them to whom",
        description='Render FILE.rrn to a PDF stamped "Released by <custodian> on <date> to '
        '<recipient>". With --log, the file must be the last version saved in the room and '
        "the release is recorded in that log (before the PDF is written).",
    )
    _common(release)
    release.add_argument(
        "--to", required=True, metavar='"NAME <ID>"', help="who the notes are released to"
    )
    release.add_argument(
        "--by", metavar="NAME", help="the custodian's name in the stamp (default: your login)"
    )
    release.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    release.add_argument("--force", action="store_true", help="replace an existing --out file")
    release.set_defaults(run=run_release)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("notes_file", type=Path, metavar="FILE.rrn", help="the notes file")
    parser.add_argument(
        "--identity", required=True, type=Path, metavar="KEYFILE",
        help="the custodian's age key file (the recipient given to seal --notes-to)",
    )  # fmt: skip
    add_passphrase_options(parser, "identity-passphrase", "custodian key file's passphrase")
    parser.add_argument(
        "--log", type=Path, metavar="DIR",
        help="an audit log folder: check the file against its last notes_saved record",
    )  # fmt: skip


def _open(args: argparse.Namespace) -> tuple[bytes, NotesContent, LogEvidence | None]:
    passphrase = key_file_passphrase(
        args, "identity-passphrase", args.identity, "Custodian key passphrase: "
    )
    try:
        identities = load_identity_file(args.identity, passphrase)
    finally:
        if passphrase is not None:
            passphrase[:] = bytes(len(passphrase))
    data = read_input_file(args.notes_file, what="notes file", limit=MAX_NOTES_FILE_BYTES)
    try:
        content = open_notes(data, identities)
    except NotesUnreadable as error:
        # The class's wording is the reader's; the custodian is told what it means for them.
        raise NotesUnreadable(CUSTODIAN_UNREADABLE, reason=error.reason) from None
    evidence = None
    if args.log is not None:
        evidence = log_evidence(args.log, content)
        check_last_saved(data, evidence)
    return data, content, evidence


def run_open(args: argparse.Namespace) -> int:
    """Print the notes and their provenance (stdout: the custodian's terminal only)."""
    _data, content, evidence = _open(args)
    out = sys.stdout
    out.write(
        f"Notes by {terminal_safe(content.reader_name)} <{terminal_safe(content.reader_id)}>\n"
    )
    out.write(f"Document: {terminal_safe(content.document_id)}\n")
    out.write(f"Written at: {terminal_safe(content.workstation)}\n")
    out.write(f"Sessions: {terminal_safe(', '.join(content.sessions)) or 'none'}\n")
    out.write(f"Started: {content.created.isoformat()}  Last saved: {content.saved.isoformat()}\n")
    if evidence is None:
        out.write("Audit log: not checked (give --log DIR)\n")
    else:
        last = evidence.last
        assert last is not None  # check_last_saved refused otherwise
        out.write(
            f"Audit log: this is the last version saved ({len(evidence.saves)} saves; last "
            f"{last.time.isoformat(timespec='seconds')}, session {last.session_code or '?'}, "
            f"{terminal_safe(last.workstation)})\n"
        )
        for release in evidence.releases:
            out.write(
                f"Released {release.get('time')} to {terminal_safe(str(release.get('to')))} "
                f"by {terminal_safe(str(release.get('by')))}\n"
            )
    out.write("\n" + terminal_safe(content.text) + "\n")
    out.flush()
    return 0


def run_release(args: argparse.Namespace) -> int:
    """Check, record (with --log), then write the stamped PDF."""
    recipient = ReaderIdentity.parse(args.to)
    to = f"{recipient.name} <{recipient.id}>"
    by = (args.by or getpass.getuser()).strip()
    if not by or len(by) > 200:
        raise UsageError("--by must be 1 to 200 characters.")
    if args.out.exists() and not args.force:
        raise UsageError(f"The output file {args.out} already exists. Use --force to replace it.")
    data, content, _evidence = _open(args)
    now = datetime.now(UTC).replace(microsecond=0)
    pdf = render_release(content, custodian=by, recipient=to, when=now)
    if args.log is not None:
        # Recorded first: a release the log does not hold must not exist.
        log = AuditLog.open(args.log, config=load_config())
        try:
            log.append(
                events.NOTES_RELEASED,
                file=notes_file_name(content.document_id, content.reader_id),
                sha256=sha256_hex(data),
                size=len(data),
                document=content.document_id,
                reader=content.reader_id,
                to=to,
                by=by,
                out=args.out.name,
            )
        finally:
            log.close()
    write_atomically(args.out, pdf, force=args.force, mode=0o600)
    sys.stderr.write(f"{release_stamp(by, to, now)} -> {args.out}\n")
    return 0
