"""Revocation lists (``.rrl``): a publisher withdraws review files, offline.

A revocation list is a small signed file (docs/format.md is the specification)::

    readingroom-revocations/v1\\n
    {"entries": [...], "issued": "2026-12-03T10:00:00Z", "publisher": "rrpub1...", "version": 7}\\n
    signature: <base64 of a 64-byte Ed25519 signature>\\n

The JSON line is canonical (sorted keys, no spaces) and the signature covers the magic line and
the JSON line, like a review file's. Each entry withdraws one document (by its id), one sealed
file (by the SHA-256 of its signature, as ``inspect`` prints it) or every file of one reader.
The version only grows: a workstation keeps a copy of the newest list it has verified for each
publisher, so putting an older list back in the folder cannot un-revoke anything.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from readingroom.config import WorkstationConfig
from readingroom.errors import DamagedFile, InputFileError, KeyFormatError, Revoked
from readingroom.fileio import write_atomically
from readingroom.keys import PublisherKey, PublisherPublicKey
from readingroom.trust import TrustStore

MAGIC = b"readingroom-revocations/v1\n"
SIGNATURE_CONTEXT = b"readingroom-revocations/v1 signature\n"
SIGNATURE_PREFIX = b"signature: "
FILE_SUFFIX = ".rrl"
# A list names files, documents and readers, never content: a megabyte is thousands of entries.
MAX_LIST_BYTES = 1 << 20
MAX_TEXT = 500
KIND_DOCUMENT = "document"
KIND_FILE = "file"
KIND_READER = "reader"
KINDS = (KIND_DOCUMENT, KIND_FILE, KIND_READER)
# Under the workstation's home: the newest verified list of each publisher (the roll-back guard).
SEEN_FOLDER_NAME = "revocations-seen"


class RevocationListError(DamagedFile):
    """A revocation list that is malformed or whose signature does not verify."""

    message = "This revocation list is damaged or has been altered."


@dataclass(frozen=True)
class Revocation:
    """One withdrawn document, file or reader."""

    kind: str
    value: str
    reason: str
    revoked_at: str

    def to_json(self) -> dict[str, str]:
        """The entry as it is stored."""
        return {
            "kind": self.kind,
            "reason": self.reason,
            "revoked_at": self.revoked_at,
            "value": self.value,
        }


@dataclass(frozen=True)
class RevocationList:
    """A verified revocation list of one publisher."""

    publisher: PublisherPublicKey
    version: int
    issued: str
    entries: tuple[Revocation, ...] = field(default_factory=tuple)

    def with_entry(self, entry: Revocation, now: datetime) -> RevocationList:
        """The next version of this list, with ``entry`` added (an exact repeat is kept once)."""
        entries = self.entries
        if not any(e.kind == entry.kind and e.value == entry.value for e in entries):
            entries = (*entries, entry)
        return replace(self, version=self.version + 1, issued=_iso(now), entries=entries)

    def revokes(self, document_id: str, signature_hash: str, reader_id: str) -> Revocation | None:
        """The entry that withdraws this file for this reader, if any."""
        for entry in self.entries:
            if (
                (entry.kind == KIND_DOCUMENT and entry.value == document_id)
                or (entry.kind == KIND_FILE and entry.value == signature_hash)
                or (entry.kind == KIND_READER and entry.value == reader_id)
            ):
                return entry
        return None

    def signed_bytes(self) -> bytes:
        """The magic line and the canonical JSON line: what the signature covers."""
        body = {
            "entries": [e.to_json() for e in self.entries],
            "issued": self.issued,
            "publisher": str(self.publisher),
            "version": self.version,
        }
        return MAGIC + json.dumps(body, sort_keys=True, separators=(",", ":")).encode() + b"\n"


def empty_list(publisher: PublisherPublicKey) -> RevocationList:
    """Version 0 of a publisher's list: nothing revoked yet (never written as such)."""
    return RevocationList(publisher=publisher, version=0, issued="", entries=())


def new_revocation(kind: str, value: str, reason: str, now: datetime) -> Revocation:
    """An entry to add; ``kind`` is one of :data:`KINDS`.

    Raises:
        ValueError: an unknown kind, or an empty or overlong value or reason (a caller's bug:
            the command checks what the user typed).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown revocation kind {kind!r}")
    if not value or len(value) > MAX_TEXT or len(reason) > MAX_TEXT:
        raise ValueError("revocation value or reason is empty or too long")
    return Revocation(kind=kind, value=value, reason=reason, revoked_at=_iso(now))


def sign_list(revocations: RevocationList, key: PublisherKey) -> bytes:
    """The file bytes of ``revocations``, signed by ``key`` (which must be its publisher).

    Raises:
        ValueError: ``key`` is not the list's publisher.
    """
    if key.public_key() != revocations.publisher:
        raise ValueError("a revocation list is signed by its own publisher only")
    signed = revocations.signed_bytes()
    signature = key.sign(_message(signed))
    return signed + SIGNATURE_PREFIX + base64.b64encode(signature) + b"\n"


def parse_list(data: bytes) -> RevocationList:
    """Parse a revocation list and check its signature against the publisher it names.

    Whether that publisher is trusted is the caller's question (:func:`load_revocations`).

    Raises:
        RevocationListError: malformed, or the signature does not verify.
    """
    if len(data) > MAX_LIST_BYTES or not data.startswith(MAGIC):
        raise RevocationListError(reason="not a revocation list")
    lines = data[len(MAGIC) :].split(b"\n")
    if len(lines) != 3 or lines[2] != b"" or not lines[1].startswith(SIGNATURE_PREFIX):
        raise RevocationListError(reason="damaged revocation list: layout")
    try:
        body = json.loads(lines[0])
        signature = base64.b64decode(lines[1][len(SIGNATURE_PREFIX) :], validate=True)
        publisher = PublisherPublicKey.from_string(_text(body, "publisher"))
        parsed = RevocationList(
            publisher=publisher,
            version=_version(body),
            issued=_text(body, "issued"),
            entries=tuple(_entry(raw) for raw in _entries(body)),
        )
    except (ValueError, KeyError, TypeError, RecursionError, KeyFormatError, binascii.Error) as exc:
        raise RevocationListError(reason="damaged revocation list: fields") from exc
    signed = parsed.signed_bytes()
    # The canonical form must be what was signed: no second spelling of the same list.
    if MAGIC + lines[0] + b"\n" != signed:
        raise RevocationListError(reason="damaged revocation list: not canonical")
    if len(signature) != 64 or not publisher.verify(signature, _message(signed)):
        raise RevocationListError(reason="damaged revocation list: signature")
    return parsed


@dataclass(frozen=True)
class LoadedRevocations:
    """What a workstation knows: the newest list of each trusted publisher, and what it ignored."""

    lists: tuple[RevocationList, ...]
    # (file name, why) for each list that was not used: untrusted, damaged, or older than seen.
    ignored: tuple[tuple[str, str], ...]

    def check(
        self, publisher_fingerprint: str, document_id: str, signature_hash: str, reader_id: str
    ) -> None:
        """Refuse a file its own publisher has withdrawn.

        Raises:
            Revoked: a list of this file's publisher withdraws it (by document, file or reader).
        """
        for revocations in self.lists:
            if revocations.publisher.fingerprint != publisher_fingerprint:
                continue
            if revocations.revokes(document_id, signature_hash, reader_id) is not None:
                raise Revoked(reason="revoked")

    def rolled_back(self) -> list[str]:
        """Names of lists refused because a newer version had been seen before."""
        return [name for name, why in self.ignored if why == "older than a list already seen"]


def load_revocations(
    folder: Path | None,
    trust: TrustStore,
    seen_folder: Path,
    warn: Callable[[str], None] = lambda _message: None,
) -> LoadedRevocations:
    """Read every ``.rrl`` in ``folder``, keeping the newest verified list per trusted publisher.

    ``seen_folder`` holds a copy of the newest list verified so far for each publisher; it is
    updated when a newer one arrives and used in place of an older one put back in ``folder``.

    Args:
        folder: the workstation's ``revocation_dir`` (None: no lists distributed here).
        trust: the trust store; lists of other publishers are ignored with a warning.
        seen_folder: where the newest verified copies are kept (created if needed).
        warn: called with a one-line, safe message for each ignored list.
    """
    newest: dict[str, RevocationList] = {}
    ignored: list[tuple[str, str]] = []
    for data in _seen_copies(seen_folder):
        try:
            seen = parse_list(data)
        except RevocationListError:
            continue
        if trust.is_trusted(seen.publisher.fingerprint):
            newest[seen.publisher.fingerprint] = seen
    remembered = {fp: lst.version for fp, lst in newest.items()}
    for path in _list_files(folder):
        try:
            data = path.read_bytes()
            candidate = parse_list(data)
        except (OSError, RevocationListError):
            ignored.append((path.name, "damaged"))
            warn(f"The revocation list {path.name} is damaged or altered and was ignored.")
            continue
        fingerprint = candidate.publisher.fingerprint
        if not trust.is_trusted(fingerprint):
            ignored.append((path.name, "untrusted publisher"))
            warn(f"The revocation list {path.name} is from an untrusted publisher: ignored.")
            continue
        if candidate.version < remembered.get(fingerprint, 0):
            ignored.append((path.name, "older than a list already seen"))
            warn(f"The revocation list {path.name} is older than one already seen: refused.")
            continue
        current = newest.get(fingerprint)
        if current is None or candidate.version > current.version:
            newest[fingerprint] = candidate
            _remember(seen_folder, candidate, data)
    return LoadedRevocations(lists=tuple(newest.values()), ignored=tuple(ignored))


def load_workstation_revocations(
    config: WorkstationConfig, trust: TrustStore, warn: Callable[[str], None] = lambda _m: None
) -> LoadedRevocations:
    """The revocations in force on this workstation (its ``revocation_dir``), read now."""
    return load_revocations(config.revocation_dir, trust, config.home / SEEN_FOLDER_NAME, warn)


def read_list_for_update(path: Path, key: PublisherKey) -> RevocationList:
    """The list at ``path`` to extend (an empty one if the file does not exist yet).

    Raises:
        RevocationListError: the file is damaged or signed by another publisher.
    """
    if not path.exists():
        return empty_list(key.public_key())
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RevocationListError(reason="unreadable revocation list") from exc
    current = parse_list(data)
    if current.publisher != key.public_key():
        raise RevocationListError(
            "This revocation list belongs to another publisher.", reason="other publisher"
        )
    return current


def _message(signed: bytes) -> bytes:
    return SIGNATURE_CONTEXT + hashlib.sha256(signed).digest()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(body: Any, key: str) -> str:
    value = body[key]
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise ValueError(key)
    return value


def _version(body: Any) -> int:
    value = body["version"]
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 2**53:
        raise ValueError("version")
    return value


def _entries(body: Any) -> Iterable[Any]:
    entries = body["entries"]
    if not isinstance(entries, list) or set(body) != {"entries", "issued", "publisher", "version"}:
        raise ValueError("entries")
    return entries


def _entry(raw: Any) -> Revocation:
    if not isinstance(raw, dict) or set(raw) != {"kind", "reason", "revoked_at", "value"}:
        raise ValueError("entry")
    entry = Revocation(
        kind=_text(raw, "kind"),
        value=_text(raw, "value"),
        reason=_text(raw, "reason"),
        revoked_at=_text(raw, "revoked_at"),
    )
    if entry.kind not in KINDS or not entry.value:
        raise ValueError("entry kind")
    return entry


def _list_files(folder: Path | None) -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == FILE_SUFFIX and p.is_file())


def _seen_copies(seen_folder: Path) -> Iterable[bytes]:
    for path in _list_files(seen_folder):
        try:
            yield path.read_bytes()
        except OSError:
            continue


def _remember(seen_folder: Path, revocations: RevocationList, data: bytes) -> None:
    # Best effort: failing to keep the copy weakens only the roll-back guard, never the check
    # made with the list just read.
    target = seen_folder / f"{revocations.publisher.fingerprint}{FILE_SUFFIX}"
    with contextlib.suppress(OSError, InputFileError):
        seen_folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomically(target, data, force=True)
