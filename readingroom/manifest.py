"""The manifest and the payload: what is inside a review file's encryption.

The payload is the plaintext of the innermost age layer::

    readingroom-payload/v1\\n
    <manifest length in bytes, decimal>\\n
    <manifest: canonical JSON, UTF-8>
    <the PDF bytes>

The manifest describes the document (id, title, classification, publisher, page count) and
carries the policy. See docs/format.md.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from readingroom.errors import DamagedFile, UsageError
from readingroom.policy import MAX_TEXT_FIELD, Policy

PAYLOAD_MAGIC = b"readingroom-payload/v1\n"
MAX_MANIFEST_BYTES = 64 * 1024
MANIFEST_FORMAT = 1
# A manifest whose policy lets the reader write sealed notes: a viewer that only knows format 1
# refuses it rather than ignoring a policy it does not understand (docs/format.md).
NOTES_MANIFEST_FORMAT = 2
DEFAULT_CLASSIFICATION = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class Manifest:
    """The signed, encrypted description of one sealed document."""

    document_id: str
    title: str
    classification: str
    publisher_name: str
    created: datetime
    page_count: int
    pdf_size: int
    pdf_sha256: str
    policy: Policy
    # With ``notes: sealed``: the per-file X25519 secret (AGE-SECRET-KEY-1...) the reader's notes
    # are also sealed to, so only someone who can open this file (or a custodian) reads them.
    notes_key: str | None = None

    @classmethod
    def new(
        cls,
        *,
        title: str,
        classification: str,
        publisher_name: str,
        pdf: bytes,
        page_count: int,
        policy: Policy,
        now: datetime | None = None,
        document_id: str | None = None,
        notes_key: str | None = None,
    ) -> Manifest:
        """A manifest for a document being sealed now, with a fresh document id.

        ``document_id`` is given when the same document is sealed for several readers, so
        every copy carries the same id.

        Raises:
            UsageError: a text field is empty or too long.
        """
        for label, value in (("title", title), ("classification", classification)):
            if not value.strip() or len(value) > MAX_TEXT_FIELD:
                raise UsageError(f"The {label} must be 1 to {MAX_TEXT_FIELD} characters.")
        if len(publisher_name) > MAX_TEXT_FIELD:
            raise UsageError(f"The publisher name must be at most {MAX_TEXT_FIELD} characters.")
        return cls(
            document_id=document_id or str(uuid.uuid4()),
            title=title.strip(),
            classification=classification.strip(),
            publisher_name=publisher_name.strip(),
            created=(now or datetime.now(UTC)).replace(microsecond=0),
            page_count=page_count,
            pdf_size=len(pdf),
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            policy=policy,
            notes_key=notes_key,
        )

    def to_json(self) -> bytes:
        """Canonical JSON: sorted keys, no insignificant whitespace, UTF-8."""
        data = {
            "format": MANIFEST_FORMAT,
            "document_id": self.document_id,
            "title": self.title,
            "classification": self.classification,
            "publisher_name": self.publisher_name,
            "created": self.created.astimezone(UTC).isoformat(timespec="seconds"),
            "page_count": self.page_count,
            "pdf_size": self.pdf_size,
            "pdf_sha256": self.pdf_sha256,
            "policy": self.policy.to_dict(),
        }
        if self.notes_key is not None:
            data |= {"format": NOTES_MANIFEST_FORMAT, "notes_key": self.notes_key}
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    @classmethod
    def from_json(cls, raw: bytes | memoryview) -> Manifest:
        """Parse a decrypted manifest.

        Raises:
            DamagedFile: not a manifest of a format this version reads.
        """
        try:
            data: Any = json.loads(bytes(raw).decode("utf-8"))
            if data["format"] not in (MANIFEST_FORMAT, NOTES_MANIFEST_FORMAT):
                raise ValueError("unknown manifest format")
            created = datetime.fromisoformat(data["created"])
            page_count, pdf_size = data["page_count"], data["pdf_size"]
            if not (isinstance(page_count, int) and isinstance(pdf_size, int)):
                raise TypeError("counts must be integers")
            return cls(
                document_id=str(data["document_id"]),
                title=str(data["title"]),
                classification=str(data["classification"]),
                publisher_name=str(data["publisher_name"]),
                created=created if created.tzinfo else created.replace(tzinfo=UTC),
                page_count=page_count,
                pdf_size=pdf_size,
                pdf_sha256=str(data["pdf_sha256"]),
                policy=Policy.from_dict(data["policy"]),
                notes_key=_notes_key(data),
            )
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise DamagedFile(reason="malformed manifest") from exc


def _notes_key(data: Any) -> str | None:
    # Format 2 exactly when the policy seals notes, and then with its key: anything else is a
    # manifest no publisher of ours writes.
    key = data.get("notes_key")
    sealed = data["policy"].get("notes") == "sealed"
    if (data["format"] == NOTES_MANIFEST_FORMAT) != sealed or sealed != isinstance(key, str):
        raise ValueError("notes key")
    return key if isinstance(key, str) else None


def build_payload(manifest: Manifest, pdf: bytes) -> bytes:
    """The innermost plaintext: magic, manifest length, manifest, PDF."""
    manifest_json = manifest.to_json()
    if len(manifest_json) > MAX_MANIFEST_BYTES:
        raise UsageError("The title, names and policy are too long to seal.")
    return b"".join((PAYLOAD_MAGIC, b"%d\n" % len(manifest_json), manifest_json, pdf))


def split_payload(payload: bytearray) -> Manifest:
    """Parse the manifest and remove everything before the PDF from ``payload`` in place.

    Deleting from the front of a bytearray moves its start pointer instead of copying, so the
    PDF stays the one plaintext copy in memory.

    Raises:
        DamagedFile: the payload does not have the expected structure.
    """
    if not payload.startswith(PAYLOAD_MAGIC):
        raise DamagedFile(reason="payload magic")
    start = len(PAYLOAD_MAGIC)
    end_of_length = payload.find(b"\n", start, start + 8)
    length_text = bytes(payload[start:end_of_length]) if end_of_length > 0 else b""
    if not length_text.isdigit() or (len(length_text) > 1 and length_text.startswith(b"0")):
        raise DamagedFile(reason="payload manifest length")
    length = int(length_text)
    body_start = end_of_length + 1
    if length > MAX_MANIFEST_BYTES or body_start + length > len(payload):
        raise DamagedFile(reason="payload manifest length")
    with memoryview(payload) as view:
        manifest = Manifest.from_json(view[body_start : body_start + length])
    del payload[: body_start + length]
    # The PDF's SHA-256 is not recomputed here: the age layer has already authenticated every
    # byte, and a second pass over a 100 MB document would double the cost of opening it.
    if len(payload) != manifest.pdf_size:
        raise DamagedFile(reason="payload PDF size")
    return manifest
