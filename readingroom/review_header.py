"""The review file's container header: building it and parsing it strictly (docs/format.md §1).

Besides the publisher key, the lock and the body length, the header carries public facts that
the kiosk's chooser and the unlock dialog show before anyone types a passphrase: a short label
chosen by the publisher and the reading period. They are signed with the rest of the file but not
encrypted, so anyone holding the file can read them: the label must never name the review's
subject or the reader. The manifest's reading period stays authoritative; the header's copy must
equal it, or the file is damaged. Files sealed before these fields existed have none and still
open.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from readingroom.errors import DamagedFile, UsageError
from readingroom.keys import PublisherPublicKey

MAGIC = b"readingroom-review/v1\n"
LOCK_READER = "reader"
LOCK_WORKSTATION = "workstation+reader"
SIGNATURE_PREFIX = b"signature: "
SIGNATURE_LINE_SIZE = len(SIGNATURE_PREFIX) + 88 + 1
MAX_HEADER_BYTES = 1024
MAX_LABEL_CHARS = 80
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
# The optional public fields, in the only order they may appear (between lock and body).
_OPTIONAL = (b"label", b"not-before", b"not-after")


@dataclass(frozen=True)
class ParsedFile:
    """A container whose layout is valid (its signature is not checked yet)."""

    publisher: PublisherPublicKey
    lock: str
    body: memoryview
    signed: memoryview
    signature: bytes
    label: str | None = None
    not_before: datetime | None = None
    not_after: datetime | None = None

    @property
    def has_public_period(self) -> bool:
        """True for files sealed with the public fields (they always carry a label)."""
        return self.label is not None


def default_label(sealed_at: datetime) -> str:
    """The label used when the publisher gives none: it names neither review nor reader."""
    moment = sealed_at.astimezone(UTC)
    return f"Review file sealed {moment.day} {moment:%b %Y}"


def check_label(label: str) -> str:
    """The label, trimmed, if it is acceptable.

    Raises:
        UsageError: empty, too long, or containing control characters.
    """
    text = label.strip()
    if not 1 <= len(text) <= MAX_LABEL_CHARS:
        raise UsageError(f"The label must be 1 to {MAX_LABEL_CHARS} characters.")
    if any(unicodedata.category(char).startswith("C") for char in text):
        raise UsageError("The label must be plain text on one line.")
    return text


def build_header(
    publisher: PublisherPublicKey,
    lock: str,
    body_length: int,
    *,
    label: str,
    not_before: datetime | None,
    not_after: datetime | None,
) -> bytes:
    """The header, magic to the blank line (all ASCII: the label is a JSON string)."""
    lines = [
        b"publisher: %s" % str(publisher).encode("ascii"),
        b"lock: %s" % lock.encode("ascii"),
        b"label: %s" % json.dumps(check_label(label), ensure_ascii=True).encode("ascii"),
    ]
    for name, moment in ((b"not-before", not_before), (b"not-after", not_after)):
        if moment is not None:
            lines.append(b"%s: %s" % (name, format_time(moment).encode("ascii")))
    lines.append(b"body: %d" % body_length)
    return MAGIC + b"\n".join(lines) + b"\n\n"


def format_time(moment: datetime) -> str:
    """ISO 8601 UTC to the second, ``2026-12-03T10:20:03Z``."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_container(data: bytes) -> ParsedFile:
    """Parse the container's layout; any deviation is "damaged" (the detail in ``reason``).

    Raises:
        DamagedFile: not a well-formed review file.
    """
    if not data.startswith(MAGIC):
        raise _damaged("magic")
    header_end = data.find(b"\n\n", 0, MAX_HEADER_BYTES)
    if header_end < 0:
        raise _damaged("header")
    fields = _header_fields(data[len(MAGIC) : header_end].split(b"\n"))
    try:
        publisher = PublisherPublicKey.from_string(fields["publisher"])
    except UsageError as exc:
        raise _damaged("publisher key") from exc
    lock = fields["lock"]
    if lock not in (LOCK_READER, LOCK_WORKSTATION):
        raise _damaged("lock")
    body_text = fields["body"]
    if not body_text.isdigit() or (len(body_text) > 1 and body_text.startswith("0")):
        raise _damaged("body length")
    body_start = header_end + 2
    body_end = body_start + int(body_text)
    if body_end + SIGNATURE_LINE_SIZE != len(data):
        raise _damaged("length")
    trailer = data[body_end:]
    if not trailer.startswith(SIGNATURE_PREFIX) or not trailer.endswith(b"\n"):
        raise _damaged("signature line")
    encoded = trailer[len(SIGNATURE_PREFIX) : -1]
    try:
        signature = base64.b64decode(encoded, validate=True)
    except binascii.Error as exc:
        raise _damaged("signature encoding") from exc
    if len(signature) != 64 or base64.b64encode(signature) != encoded:
        raise _damaged("signature encoding")
    view = memoryview(data)
    return ParsedFile(
        publisher=publisher,
        lock=lock,
        body=view[body_start:body_end],
        signed=view[:body_end],
        signature=signature,
        label=_parse_label(fields["label"]) if "label" in fields else None,
        not_before=_parse_time(fields.get("not-before"), "not-before"),
        not_after=_parse_time(fields.get("not-after"), "not-after"),
    )


def _damaged(what: str) -> DamagedFile:
    return DamagedFile(reason=f"damaged file: {what}")


def _header_fields(lines: list[bytes]) -> dict[str, str]:
    # publisher, lock, then the optional fields in their fixed order, then body: nothing else.
    if len(lines) < 3:
        raise _damaged("header lines")
    names = [b"publisher", b"lock"]
    middle = [line.split(b": ", 1)[0] for line in lines[2:-1]]
    if middle != [name for name in _OPTIONAL if name in middle]:
        raise _damaged("header lines")
    names += [*middle, b"body"]
    fields = {}
    for line, name in zip(lines, names, strict=True):
        prefix = name + b": "
        if not line.startswith(prefix) or not line[len(prefix) :].isascii():
            raise _damaged(f"header field {name.decode()}")
        fields[name.decode()] = line[len(prefix) :].decode("ascii")
    if "label" not in fields and len(fields) > 3:
        raise _damaged("header lines")  # the period is only ever written with a label
    return fields


def _parse_label(text: str) -> str:
    # Only a JSON string is a label; checking the quotes first also keeps a hostile header's
    # deeply nested "[[[[..." away from the JSON parser's recursion.
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise _damaged("label")
    try:
        label = json.loads(text)
    except ValueError as exc:
        raise _damaged("label") from exc
    canonical = isinstance(label, str) and json.dumps(label, ensure_ascii=True) == text
    if not canonical or label != label.strip():
        raise _damaged("label")
    try:
        return check_label(label)
    except UsageError as exc:
        raise _damaged("label") from exc


def _parse_time(text: str | None, name: str) -> datetime | None:
    if text is None:
        return None
    if not _TIME.fullmatch(text):
        raise _damaged(name)
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError as exc:
        raise _damaged(name) from exc
