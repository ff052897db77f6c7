"""Canonical encoding of audit records and the hash chain that links them.

One record is one line of the log file::

    {"h":"<64 lowercase hex>","r":<canonical record>}\n

which is itself canonical JSON of ``{"h": ..., "r": ...}``. ``h`` is
``SHA-256(h_prev || r_bytes)`` where ``h_prev`` is the previous record's 32-byte digest (32 zero
bytes before the first record) and ``r_bytes`` are the exact bytes of the record as stored.

Canonical JSON here means: keys sorted, no whitespace, ASCII only (``\\uXXXX`` escapes), no
floats, no NaN, integers within +/-2^53, ``null`` fields left out. Floats in details are turned
into integer thousandths under the key with ``_milli`` appended (``seconds=12.5`` becomes
``"seconds_milli":12500``), because float text is not the same in every JSON library.

Because ``details`` sorts before every other field and every field after it is a scalar, the
*last* occurrence of ``"seq":`` or ``"time":"`` in a record is always the top-level one. The
verifier uses that to check each record without building a dict for it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

GENESIS = bytes(32)
LINE_PREFIX = b'{"h":"'
LINE_MIDDLE = b'","r":'
LINE_SUFFIX = b"}\n"
HASH_START = len(LINE_PREFIX)
HASH_END = HASH_START + 64
BODY_START = HASH_END + len(LINE_MIDDLE)
MAX_SAFE_INTEGER = 2**53
TIME_LENGTH = len("2025-01-01T00:00:00.000Z")

Scalar = str | int | bool | None
DetailValue = Scalar | float | list[Scalar] | dict[str, Scalar]


def canonical_json(value: object) -> bytes:
    """The canonical bytes of a JSON value (sorted keys, compact, ASCII, no NaN)."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    ).encode("ascii")


def format_time(moment: datetime) -> str:
    """UTC time with milliseconds, e.g. ``2025-03-01T09:30:00.125Z`` (sorts as text)."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse_time(text: str) -> datetime:
    """The inverse of :func:`format_time`."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _check_scalar(key: str, value: object) -> None:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, int):
        if abs(value) >= MAX_SAFE_INTEGER:
            raise ValueError(f"audit detail {key!r} is too large for canonical JSON")
        return
    raise ValueError(f"audit detail {key!r} has a type canonical JSON does not allow")


def normalise_details(details: Mapping[str, Any]) -> dict[str, Any]:
    """Details ready for canonical JSON: floats as ``<key>_milli`` integers, None dropped.

    Raises:
        ValueError: a value that is not a scalar, a list of scalars or a flat mapping of
            scalars (a programming error).
    """
    result: dict[str, Any] = {}
    for key, value in details.items():
        if value is None:
            continue
        if isinstance(value, float):
            milli = round(value * 1000)
            _check_scalar(key, milli)
            result[f"{key}_milli"] = milli
        elif isinstance(value, list | tuple):
            for item in value:
                _check_scalar(key, item)
            result[key] = list(value)
        elif isinstance(value, Mapping):
            # One level of named scalars, e.g. ``capture = {"state": ..., "os": ...}``.
            for name, item in value.items():
                if not isinstance(name, str):
                    raise ValueError(f"audit detail {key!r} has a key that is not text")
                _check_scalar(f"{key}.{name}", item)
            result[key] = dict(value)
        else:
            _check_scalar(key, value)
            result[key] = value
    return result


def build_record(
    *,
    seq: int,
    time: str,
    mono_ms: int,
    event: str,
    details: Mapping[str, Any],
    fields: Mapping[str, str | None],
) -> dict[str, Any]:
    """The record dict: top-level fields (None left out) plus ``details``."""
    record: dict[str, Any] = {key: value for key, value in fields.items() if value is not None}
    record.update(seq=seq, time=time, mono_ms=mono_ms, event=event, details=dict(details))
    return record


def chain_hash(previous: bytes, body: bytes) -> bytes:
    """``SHA-256(previous || body)``: the link from one record to the next."""
    return hashlib.sha256(previous + body).digest()


def encode_line(previous: bytes, record: Mapping[str, Any]) -> tuple[bytes, bytes]:
    """The stored line for ``record`` and its chain hash."""
    body = canonical_json(record)
    digest = chain_hash(previous, body)
    line = LINE_PREFIX + digest.hex().encode("ascii") + LINE_MIDDLE + body + LINE_SUFFIX
    return line, digest


def split_line(line: bytes) -> tuple[bytes, bytes] | None:
    """``(hex hash, body)`` of a stored line without its newline, or None if malformed."""
    if (
        len(line) <= BODY_START + 1
        or not line.startswith(LINE_PREFIX)
        or line[HASH_END:BODY_START] != LINE_MIDDLE
        or line[-1:] != b"}"
    ):
        return None
    return line[HASH_START:HASH_END], line[BODY_START:-1]


def body_seq(body: bytes) -> int | None:
    """The top-level ``seq`` of a record body, or None if it cannot be read."""
    start = body.rfind(b'"seq":')
    if start < 0:
        return None
    end = body.find(b",", start)
    try:
        return int(body[start + 6 : end if end >= 0 else len(body) - 1])
    except ValueError:
        return None


def body_time(body: bytes) -> bytes:
    """The top-level ``time`` of a record body as bytes (empty if absent)."""
    start = body.rfind(b'"time":"')
    if start < 0:
        return b""
    return body[start + 8 : start + 8 + TIME_LENGTH]


def parse_body(body: bytes) -> dict[str, Any] | None:
    """The record as a dict, or None if the body is not a JSON object."""
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None
