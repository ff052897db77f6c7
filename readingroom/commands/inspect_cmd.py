"""``readingroom inspect``: what a review file says about itself — never any page content.

Without keys: the public header (format, publisher and whether it is trusted, whether the
signature is valid, size, the public label and reading period). A file that is not a review
file at all (a PDF, a text file) is named as such, with its own exit code. With the reader's
passphrase or key: also the manifest and policy, and the page count recorded at sealing. The
PDF is never parsed here.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from readingroom.config import WorkstationConfig, load_config
from readingroom.display_text import display_text
from readingroom.errors import ExitCode, NotAReviewFile, Revoked
from readingroom.file_kind import is_review_file, kind_of_other_file
from readingroom.fileio import read_input_file
from readingroom.keys import load_identity_file, load_workstation_identities, short_fingerprint
from readingroom.manifest import Manifest
from readingroom.passphrases import add_passphrase_options, read_passphrase, source_from_args
from readingroom.review_file import (
    PublicInfo,
    UnlockKeys,
    open_review,
    read_public_info,
    signature_hash,
)
from readingroom.review_header import format_time
from readingroom.revocation import load_workstation_revocations
from readingroom.trust import TrustStore

MAX_REVIEW_FILE = 4 * 1024**3


def register(subparsers: Any) -> None:
    """Add the ``inspect`` command."""
    parser = subparsers.add_parser("inspect", help="show what a review file says about itself")
    parser.add_argument("file", type=Path, metavar="FILE.rrf", help="the review file")
    add_passphrase_options(parser, "passphrase", "reader's passphrase")
    parser.add_argument("--identity", type=Path, metavar="KEYFILE", help="the reader's key file")
    add_passphrase_options(parser, "key-passphrase", "key file's passphrase")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the public header, and the manifest when a key is given."""
    config = load_config()
    trust = TrustStore.load(config.trust_store)
    data = read_input_file(args.file, what="review file", limit=MAX_REVIEW_FILE)
    if not is_review_file(data):
        kind = kind_of_other_file(data)
        raise NotAReviewFile(f"{args.file} is {kind}, not a ReadingRoom review file.")
    info = read_public_info(data, trust)
    result: dict[str, Any] = {
        "file": str(args.file),
        "format_version": info.format_version,
        "size": info.size,
        "lock": info.lock,
        "publisher_key": str(info.publisher),
        "publisher_fingerprint": info.publisher_fingerprint,
        "signature_valid": info.signature_valid,
        "trusted": info.trusted,
        # Public and signed (absent from files sealed before they existed).
        "label": info.label,
        "public_not_before": _iso(info.not_before),
        "public_not_after": _iso(info.not_after),
        "period": info.period_state(datetime.now(UTC)),
    }
    passphrase_source = source_from_args(args, "passphrase")
    if info.signature_valid and (passphrase_source.is_given() or args.identity):
        identities = []
        if args.identity:
            key_source = source_from_args(args, "key-passphrase")
            key_passphrase = read_passphrase(key_source) if key_source.is_given() else None
            identities = load_identity_file(args.identity, key_passphrase)
        passphrase = read_passphrase(passphrase_source) if passphrase_source.is_given() else None
        unlock = UnlockKeys(
            passphrase=passphrase,
            identities=identities,
            workstation_identities=[*load_workstation_identities(config), *identities],
        )
        # Inspecting is not reading: the publisher checks a file it sealed, perhaps after it
        # expired or on a machine that does not trust it, so policy is reported, not enforced.
        opened = open_review(
            data, unlock, config=config, trust=trust, now=datetime.now(UTC), enforce_policy=False
        )
        result.update(_manifest_fields(opened.manifest))
        opened.pdf[:] = b""
    result["revoked"] = _revoked_here(data, info, result, config, trust)
    _print(result, as_json=args.json)
    return ExitCode.OK if info.signature_valid else ExitCode.DAMAGED


def _revoked_here(
    data: bytes,
    info: PublicInfo,
    result: dict[str, Any],
    config: WorkstationConfig,
    trust: TrustStore,
) -> bool | None:
    # Without a key only a list naming this very file can be matched: the document id and the
    # reader are inside the encrypted manifest. None: the file is damaged, nothing to match.
    if not info.signature_valid:
        return None
    revocations = load_workstation_revocations(config, trust, warn=_warn)
    try:
        revocations.check(
            info.publisher_fingerprint,
            result.get("document_id", ""),
            signature_hash(data),
            result.get("reader", {}).get("id", ""),
        )
    except Revoked:
        return True
    return False


def _warn(message: str) -> None:
    sys.stderr.write(message + "\n")


def _manifest_fields(manifest: Manifest) -> dict[str, Any]:
    policy = manifest.policy
    return {
        "document_id": manifest.document_id,
        "title": manifest.title,
        "classification": manifest.classification,
        "publisher_name": manifest.publisher_name,
        "created": _iso(manifest.created),
        "pages": manifest.page_count,
        "reader": {
            "name": policy.reader.name,
            "id": policy.reader.id,
            "organisation": policy.reader.organisation,
        },
        "not_before": _iso(policy.not_before),
        "not_after": _iso(policy.not_after),
        "idle_lock_minutes": policy.idle_lock_minutes,
        "max_session_minutes": policy.max_session_minutes,
        "watermark_template": policy.watermark_template,
        "workstations": list(policy.workstations),
        # The notes policy and custodians; never the notes key (docs/format.md §8).
        "notes": policy.notes,
        "notes_to": list(policy.notes_recipients),
    }


def _print(result: dict[str, Any], *, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        return
    lines = [
        f"File:            {result['file']} ({result['size']:,} bytes)",
        f"Format:          ReadingRoom review file v{result['format_version']}",
        f"Lock:            {_lock_text(result['lock'])}",
        f"Publisher key:   {short_fingerprint(result['publisher_fingerprint'])}"
        f" ({'trusted' if result['trusted'] else 'NOT trusted on this workstation'})",
        "Signature:       "
        + ("valid" if result["signature_valid"] else "INVALID: damaged or altered"),
    ]
    if result["label"] is not None:
        period = f" ({result['period'].upper()})" if result["period"] else ""
        lines += [
            f"Label (public):  {_clean(result['label'])}",
            f"Period (public): {result['public_not_before'] or 'no start date'} to "
            f"{result['public_not_after'] or 'no expiry'}{period}",
        ]
    if result["revoked"] is not None:
        if result["revoked"]:
            revoked = "YES: withdrawn by its publisher; it will not open on this workstation"
        elif "title" in result:
            revoked = "no"
        else:
            revoked = "not this file (give the passphrase to check its document and reader)"
        lines.append(f"Revoked here:    {revoked}")
    if "title" in result:
        reader = result["reader"]
        org = f", {reader['organisation']}" if reader["organisation"] else ""
        lines += [
            f"Title:           {_clean(result['title'])}",
            f"Classification:  {_clean(result['classification'])}",
            f"Publisher:       {_clean(result['publisher_name']) or '(not named)'}",
            f"Sealed:          {result['created']}",
            f"Pages:           {result['pages']}",
            f"Reader:          {_clean(reader['name'])} <{_clean(reader['id'])}>{_clean(org)}",
            f"Readable from:   {result['not_before'] or 'no start date'}",
            f"Expires:         {result['not_after'] or 'never'}",
            f"Idle lock:       {result['idle_lock_minutes']} min; "
            f"max session {result['max_session_minutes']} min",
            f"Workstations:    {len(result['workstations']) or 'any'}",
            f"Notes:           {_notes_text(result['notes'], len(result['notes_to']))}",
        ]
    sys.stdout.write("\n".join(lines) + "\n")


def _iso(moment: datetime | None) -> str | None:
    return format_time(moment) if moment is not None else None


def _notes_text(notes: str, custodians: int) -> str:
    if notes == "sealed":
        return f"the reader may write notes, sealed to {custodians} custodian(s)"
    return "not allowed"


def _lock_text(lock: str) -> str:
    if lock == "workstation+reader":
        return "reader's passphrase or key, on designated workstations only"
    return "reader's passphrase or key"


def _clean(text: str) -> str:
    # Strings from the file are untrusted: the one sanitiser used for every screen.
    return display_text(text)
