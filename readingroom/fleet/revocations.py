"""Revocation lists through the central database: publish one, pull the newest of each.

The database is only a carrier: a list is parsed and its signature checked on the way in and
again on the way out (``readingroom.revocation.parse_list``), and a pulled list reaches
``revocation_dir`` only if it is newer than every list this workstation has seen from that
publisher (the same roll-back guard the viewer applies at each open).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from readingroom.errors import AuditTampered, UsageError
from readingroom.fileio import write_atomically
from readingroom.fleet.database import connect
from readingroom.revocation import (
    FILE_SUFFIX,
    LoadedRevocations,
    RevocationListError,
    parse_list,
)


def publish_list(dsn: str, data: bytes) -> tuple[str, int]:
    """Store a signed list; its publisher's fingerprint and version.

    Raises:
        RevocationListError: not a list, or its signature does not verify.
        AuditTampered: a different list with the same publisher and version is already there.
        CentralUnavailable: the database cannot be reached.
    """
    parsed = parse_list(data)
    fingerprint = parsed.publisher.fingerprint
    with connect(dsn) as connection:
        connection.execute(
            "INSERT INTO readingroom.revocation_lists (publisher, version, data) "
            "VALUES (%s, %s, %s) ON CONFLICT (publisher, version) DO NOTHING",
            (fingerprint, parsed.version, data),
        )
        row = connection.execute(
            "SELECT data FROM readingroom.revocation_lists WHERE publisher = %s AND version = %s",
            (fingerprint, parsed.version),
        ).fetchone()
    if row is None or bytes(row[0]) != data:
        raise AuditTampered(
            f"A different revocation list version {parsed.version} of this publisher is "
            "already published. Raise the version (revoke again) and publish that."
        )
    return fingerprint, parsed.version


@dataclass(frozen=True)
class PullResult:
    """What a pull did, per publisher fingerprint."""

    written: dict[str, int]
    refused: dict[str, str]


def pull_lists(
    dsn: str,
    folder: Path | None,
    current: Callable[[], LoadedRevocations],
    is_trusted: Callable[[str], bool],
) -> PullResult:
    """Write the newest central list of each trusted publisher into ``folder``.

    Args:
        dsn: the central database.
        folder: the workstation's ``revocation_dir``.
        current: the lists in force now (reads ``folder`` and the seen copies, remembering
            newer ones: calling it after writing records what was pulled).
        is_trusted: whether a publisher fingerprint is in the trust store.

    Raises:
        UsageError: no ``revocation_dir`` is configured.
        CentralUnavailable: the database cannot be reached.
    """
    if folder is None:
        raise UsageError("Set revocation_dir in the configuration to pull revocation lists.")
    with connect(dsn) as connection:
        rows = connection.execute(
            "SELECT DISTINCT ON (publisher) publisher, version, data "
            "FROM readingroom.revocation_lists ORDER BY publisher, version DESC"
        ).fetchall()
    known = {lst.publisher.fingerprint: lst.version for lst in current().lists}
    written: dict[str, int] = {}
    refused: dict[str, str] = {}
    for publisher, _version, data in rows:
        try:
            parsed = parse_list(bytes(data))
        except RevocationListError:
            refused[str(publisher)] = "damaged or altered in the database"
            continue
        fingerprint = parsed.publisher.fingerprint
        if fingerprint != publisher:
            refused[str(publisher)] = "stored under another publisher"
        elif not is_trusted(fingerprint):
            refused[fingerprint] = "untrusted publisher"
        elif parsed.version < known.get(fingerprint, 0):
            refused[fingerprint] = "older than a list already seen"
        elif parsed.version > known.get(fingerprint, 0):
            folder.mkdir(parents=True, exist_ok=True)
            write_atomically(folder / f"{fingerprint}{FILE_SUFFIX}", bytes(data), force=True)
            written[fingerprint] = parsed.version
    if written:
        current()  # remember the new versions for the roll-back guard
    return PullResult(written, refused)
