"""The audit service's wire format: length-prefixed JSON objects, bounded and validated.

Each frame is a 4-byte big-endian length and that many bytes of UTF-8 JSON holding one object.
Frames over ``MAX_FRAME`` bytes, bytes that are not JSON, and objects outside the request schema
are protocol errors: the service drops that connection before anything touches the log. Nothing
is ever unpickled: a client is another user's process and is treated as hostile input.

Requests::

    {"op": "hello"}
    {"op": "append", "event": "...", "session": {...} | null, "details": {...}}

Replies: ``{"ok": true, ...}`` or ``{"ok": false, "error": "unavailable" | "tampered"}``.
"""

from __future__ import annotations

import json
import socket
import struct
from dataclasses import dataclass
from typing import Any

from readingroom.audit import events
from readingroom.audit.session import SessionContext

MAX_FRAME = 64 * 1024
MAX_DETAILS = 32
MAX_TEXT = 4096
_LENGTH = struct.Struct(">I")
SESSION_FIELDS = ("session_id", "code", "reader", "workstation", "document", "signature_hash")
# Details the service adds itself; a client may not supply them.
SERVICE_DETAILS = frozenset({"client_uid", "client_pid"})


class ProtocolError(ValueError):
    """A frame or request that breaks the format: the connection is dropped."""


@dataclass(frozen=True)
class AppendRequest:
    """A validated ``append`` request."""

    event: str
    session: SessionContext | None
    details: dict[str, Any]


def send_frame(sock: socket.socket, value: dict[str, Any]) -> None:
    """Send one object as a frame.

    Raises:
        OSError: the connection failed.
        ValueError: the object does not fit in a frame (a bug in the caller).
    """
    body = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    if len(body) > MAX_FRAME:
        raise ValueError("audit frame too large")
    sock.sendall(_LENGTH.pack(len(body)) + body)


def receive_frame(sock: socket.socket, body_timeout: float | None = None) -> dict[str, Any] | None:
    """Read one frame; None when the peer closed the connection between frames.

    Args:
        sock: the connection (blocking, or with the caller's timeout, while waiting for a frame).
        body_timeout: once a frame's length has arrived, its body must arrive within this many
            seconds (a client that drips bytes cannot hold a connection slot for ever).

    Raises:
        ProtocolError: oversized, cut short, not JSON, or not an object.
        OSError: the connection failed.
    """
    header = _receive_exactly(sock, _LENGTH.size, allow_eof=True)
    if header is None:
        return None
    (length,) = _LENGTH.unpack(header)
    if length > MAX_FRAME:
        raise ProtocolError("frame too large")
    waiting = sock.gettimeout()
    if body_timeout is not None:
        sock.settimeout(body_timeout)
    try:
        body = _receive_exactly(sock, length, allow_eof=False)
    finally:
        sock.settimeout(waiting)
    assert body is not None
    try:
        value = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ProtocolError("frame is not JSON") from exc
    if not isinstance(value, dict):
        raise ProtocolError("frame is not an object")
    return value


def _refuse_constant(name: str) -> None:
    raise ProtocolError(f"{name} is not a number")  # NaN and Infinity are not JSON


def _receive_exactly(sock: socket.socket, size: int, *, allow_eof: bool) -> bytes | None:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(size - len(chunks))
        if not chunk:
            if allow_eof and not chunks:
                return None
            raise ProtocolError("frame cut short")
        chunks += chunk
    return bytes(chunks)


def parse_append(value: dict[str, Any]) -> AppendRequest:
    """Validate an ``append`` request completely before the log sees it.

    Raises:
        ProtocolError: anything outside the schema.
    """
    if set(value) != {"op", "event", "session", "details"}:
        raise ProtocolError("unexpected fields")
    event, session, details = value["event"], value["session"], value["details"]
    if not isinstance(event, str) or not isinstance(details, dict) or len(details) > MAX_DETAILS:
        raise ProtocolError("bad event or details")
    if SERVICE_DETAILS & set(details):
        raise ProtocolError("details the service sets itself")
    if event == events.ACKNOWLEDGED:
        # Resetting a log is an administrator's action on the service's own account.
        raise ProtocolError("acknowledged is not a client event")
    for key, item in details.items():
        if len(key) > 64 or not _is_detail(item):
            raise ProtocolError("bad detail")
    try:
        events.check_event(event, details)
    except ValueError as exc:
        raise ProtocolError("unknown event or category") from exc
    return AppendRequest(event, _parse_session(session), details)


def _parse_session(value: object) -> SessionContext | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != set(SESSION_FIELDS):
        raise ProtocolError("bad session")
    for name in SESSION_FIELDS:
        item = value[name]
        optional = name not in ("session_id", "code", "workstation")
        if not ((item is None and optional) or (isinstance(item, str) and len(item) <= MAX_TEXT)):
            raise ProtocolError("bad session field")
    return SessionContext(**value)


def session_fields(session: SessionContext | None) -> dict[str, str | None] | None:
    """A session as the request carries it."""
    if session is None:
        return None
    return {name: getattr(session, name) for name in SESSION_FIELDS}


def _is_detail(value: object) -> bool:
    # What records.normalise_details accepts: a scalar, a list of scalars, or one level of named
    # scalars (``capture = {"state": ..., "os": ...}``).
    if isinstance(value, list):
        return all(_is_scalar(part) for part in value)
    if isinstance(value, dict):
        return len(value) <= MAX_DETAILS and all(
            isinstance(name, str) and len(name) <= 64 and _is_scalar(part)
            for name, part in value.items()
        )
    return _is_scalar(value)


def _is_scalar(value: object) -> bool:
    if isinstance(value, str):
        return len(value) <= MAX_TEXT
    if isinstance(value, int | float) and not isinstance(value, bool):
        return abs(value) <= 2**43  # still a safe integer after floats become _milli
    return value is None or isinstance(value, bool)
