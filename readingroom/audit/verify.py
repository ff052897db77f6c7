"""Reading a log back and checking it: the chain, the header, the checkpoints.

:func:`scan_log` walks every segment once. Per record it checks the line's shape, recomputes
the chain hash over the stored bytes and reads the top-level ``seq`` (see records.py for why
that needs no JSON parse); only headers and checkpoints are parsed in full. The first problem
stops the walk and is described by a :class:`Finding` naming file, line and seq (the result
types are in :mod:`readingroom.audit.scan_result`).
"""

from __future__ import annotations

import hashlib
import hmac
from binascii import hexlify
from collections.abc import Callable
from functools import partial
from pathlib import Path

from readingroom.audit import events
from readingroom.audit.checkpoints import Checkpoint, checkpoint_from_details
from readingroom.audit.records import (
    BODY_START,
    LINE_MIDDLE,
    LINE_PREFIX,
    TIME_LENGTH,
    body_seq,
    body_time,
    parse_body,
    split_line,
)
from readingroom.audit.scan_result import Finding, ScanResult, TornTail
from readingroom.audit.segment_reader import READ_SIZE, SegmentReader, open_segment
from readingroom.audit.storage import NotARegularFile, list_segments

__all__ = ["Finding", "RecordVisitor", "ScanResult", "TornTail", "scan_log"]

# Called with (seq, body bytes) for each record that verified, in order.
RecordVisitor = Callable[[int, bytes], None]
_CHECKPOINT_MARK = b'"event":"checkpoint"'


class _Stop(Exception):
    """Raised by the walker once the first problem is recorded."""


class _Walker:
    def __init__(
        self, result: ScanResult, visit: RecordVisitor | None, against: Checkpoint | None
    ) -> None:
        self.result = result
        self.visit = visit
        self.against = against
        # Without a visitor nothing sees a record before the walk ends, so checkpoint
        # signatures can wait: scan_log checks the last one (see there).
        self.defer_signatures = visit is None
        self.unsigned: Checkpoint | None = None
        self.previous_line = b""
        self.path = Path()
        self.number = 0

    def fail(self, seq: int | None, kind: str, what: str) -> None:
        self.result.problem = Finding(self.path, self.number, seq, kind, what)
        raise _Stop

    def record(self, raw: bytes, upcoming: Callable[[int], list[bytes]]) -> None:
        result = self.result
        expected = result.records
        parts = split_line(raw)
        if parts is None:
            self.fail(expected, "malformed", "the line is not an audit record")
            return
        stored_hash, body = parts
        digest = hashlib.sha256(result.head + body).digest()
        seq = body_seq(body)
        if seq != expected:
            self._misplaced(expected, seq, raw, upcoming(50))
        if not hmac.compare_digest(digest.hex().encode("ascii"), stored_hash):
            self.fail(seq, "edited", "the record does not match its chain hash")
        if self.against is not None and seq == self.against.seq:
            if digest.hex() != self.against.head:
                self.fail(
                    seq,
                    "truncated against checkpoint",
                    "this is not the record the exported checkpoint signed: the log was cut "
                    "and appended to again, or rewritten",
                )
            result.checked_against = self.against
        if seq == 0:
            self._header(body)
        if _CHECKPOINT_MARK in body:
            self._checkpoint(expected, body)
        result.max_time = max(result.max_time, body_time(body).decode("ascii", "replace"))
        result.head = digest
        result.records += 1
        self.previous_line = raw
        if self.visit is not None:
            self.visit(expected, body)

    def _misplaced(self, expected: int, seq: int | None, raw: bytes, upcoming: list[bytes]) -> None:
        if seq is None:
            self.fail(expected, "edited", "the record's seq cannot be read")
        elif raw == self.previous_line or (seq is not None and seq < expected):
            kind = "duplicated" if raw == self.previous_line else "reordered"
            self.fail(expected, kind, f"found seq {seq:,}, expected {expected:,}")
        elif expected in (_seq_of(other) for other in upcoming):
            self.fail(expected, "reordered", f"found seq {seq:,} too early")
        else:
            self.fail(expected, "missing", f"records {expected:,} to {seq - 1:,} are missing")

    def _header(self, body: bytes) -> None:
        record = parse_body(body)
        details = record.get("details") if record else None
        if not record or record.get("event") != events.LOG_CREATED or not isinstance(details, dict):
            self.fail(0, "edited", "the first record is not a log header")
            return
        public_key = details.get("public_key")
        if not isinstance(public_key, str) or len(public_key) != 64 or not _is_hex(public_key):
            self.fail(0, "edited", "the log header's public key is malformed")
        self.result.log_id = str(details.get("log_id"))
        self.result.public_key = public_key
        if self.against is not None and self.against.public_key != public_key:
            self.fail(0, "bad signature", "the exported checkpoint was signed by another key")
        if self.against is not None and self.against.log_id != self.result.log_id:
            self.fail(0, "truncated against checkpoint", "the log was replaced by another log")

    def _checkpoint(self, seq: int, body: bytes) -> None:
        record = parse_body(body)
        if not record or record.get("event") != events.CHECKPOINT:
            return  # the text appeared inside another event's details
        details = record.get("details")
        checkpoint = (
            checkpoint_from_details(details, self.result.public_key or "")
            if isinstance(details, dict)
            else None
        )
        if checkpoint is None or checkpoint.seq != seq - 1:
            self.fail(seq, "edited", "the checkpoint record is malformed")
        elif checkpoint.log_id != self.result.log_id or checkpoint.head != self.result.head.hex():
            self.fail(seq, "edited", "the checkpoint does not match the chain")
        elif self.defer_signatures:
            self.unsigned = self.result.last_checkpoint = checkpoint
        elif not checkpoint.is_signed():
            self.fail(seq, "bad signature", "the checkpoint signature is not valid")
        else:
            self.result.last_checkpoint = checkpoint


def _is_hex(text: str) -> bool:
    try:
        bytes.fromhex(text)
    except ValueError:
        return False
    return True


def _seq_of(line: bytes) -> int | None:
    parts = split_line(line)
    return body_seq(parts[1]) if parts else None


def _walk_piece(walker: _Walker, data: bytes, stop: int, first: int, reader: SegmentReader) -> None:
    """Check the whole lines in ``data[:stop]``; the common record takes the inlined path below.

    The fast path accepts a record only when every check ``_Walker.record`` makes would pass;
    anything else (header, checkpoint, the exported checkpoint's seq, any mismatch) goes to
    ``record``, which re-checks it fully and names the problem. Lines are found with ``find``
    in the piece's bytes rather than split into a list: a million line objects cost more
    than all the checks on them (measured: split was a sixth of verify's time). ``first`` is
    the seq of the segment's first line: every line so far was a record, so a line's number
    in its segment is ``count - first + 1``.
    """
    result = walker.result
    sha256 = hashlib.sha256
    special = walker.against.seq if walker.against is not None else -1
    visit = walker.visit
    find, rfind, startswith = data.find, data.rfind, data.startswith
    view = memoryview(data)
    line_head, line_middle = LINE_PREFIX, LINE_MIDDLE
    max_time = result.max_time.encode("ascii")
    head, count = result.head, result.records  # locals: this loop runs a million times
    next_mark = _next_mark(data, 0, stop)

    def slow_path(start: int, end: int) -> None:
        nonlocal head, count, max_time, next_mark
        result.head, result.records = head, count
        result.max_time = max_time.decode("ascii", "replace")
        walker.number = count - first + 1
        if start:
            walker.previous_line = data[rfind(b"\n", 0, start - 1) + 1 : start - 1]
        walker.record(data[start:end], partial(reader.lines_after, data, end + 1))
        head, count = result.head, result.records
        max_time = result.max_time.encode("ascii", "replace")
        if next_mark < end:
            next_mark = _next_mark(data, end, stop)

    # Every operation here costs per record: no tuple built for `in`, no max() call, hexlify
    # (bytes) rather than hex().encode(), and the time searched for only after the seq (the
    # top-level "time" sorts after "seq"; see records.py) and only where its 24 bytes end
    # inside the body (anything else takes the slow path).
    start = 0
    while start < stop:
        end = find(b"\n", start, stop)
        seq_at = rfind(b'"seq":', start, end)
        if (
            count == 0  # noqa: PLR1714 - a tuple per record costs more
            or count == special
            or next_mark < end
            or seq_at < start
            or not startswith(b'"seq":%d,' % count, seq_at)
            or (time_at := rfind(b'"time":"', seq_at, end - TIME_LENGTH - 1)) < 0
            or data[end - 1] != 0x7D  # the closing brace
        ):
            slow_path(start, end)
            start = end + 1
            continue
        body_at = start + BODY_START
        digest = sha256(head + view[body_at : end - 1]).digest()
        # One comparison covers the line's prefix, its stored hash and the separator.
        if not startswith(line_head + hexlify(digest) + line_middle, start):
            slow_path(start, end)  # names the problem and stops
        moment = data[time_at + 8 : time_at + 8 + TIME_LENGTH]
        if moment > max_time:  # noqa: PLR1730 - max() is a call per record
            max_time = moment
        head = digest
        if visit is not None:
            visit(count, data[body_at : end - 1])
        count += 1
        start = end + 1
    result.head, result.records = head, count
    result.max_time = max_time.decode("ascii", "replace")
    if stop:
        walker.previous_line = data[rfind(b"\n", 0, stop - 1) + 1 : stop - 1]


def _next_mark(data: bytes, start: int, stop: int) -> int:
    """Where the next line holding the checkpoint event's text is (``stop`` if none is)."""
    found = data.find(_CHECKPOINT_MARK, start, stop)
    return stop if found < 0 else found


def scan_log(
    directory: Path,
    *,
    visit: RecordVisitor | None = None,
    allow_torn_tail: bool = False,
    against: Checkpoint | None = None,
    read: Callable[[Path], bytes] | None = None,
    read_size: int = READ_SIZE,
) -> ScanResult:
    """Walk and check a whole log.

    Without a visitor, checkpoint signatures are checked once the walk is over, and only the
    last one reached unless it fails: it signs the chain head over every earlier checkpoint
    record, whose heads were each checked against the chain, so a valid last signature means
    every earlier checkpoint is byte for byte what the key's holder wrote (and the writer signs
    nothing it has not verified: ``AuditLog.open``). If it fails, the log is walked again
    checking each signature in turn, which names the first bad one exactly as before.

    Args:
        directory: the log folder.
        visit: called for every record that verified.
        allow_torn_tail: report a final line without newline as ``torn`` instead of a problem
            (what ``AuditLog.open`` wants; the verify command does not).
        against: an exported checkpoint the log must still contain.
        read: how a segment's bytes are read (tests feed altered bytes without disk writes);
            by default each segment file is read ``read_size`` bytes at a time.
        read_size: bytes read at a time (tests use small pieces to walk across their edges).

    Returns:
        The result; ``problem`` is set when the log does not verify.
    """
    result = ScanResult(segments=list_segments(directory))
    if against is not None and not against.is_signed():
        result.problem = Finding(
            None,
            0,
            against.seq,
            "bad signature",
            "the exported checkpoint's signature is not valid",
        )
        return result
    walker = _Walker(result, visit, against)
    _walk_log(walker, allow_torn_tail, read, read_size)
    if walker.unsigned is not None and not walker.unsigned.is_signed():
        walker = _Walker(ScanResult(segments=result.segments), visit, against)
        walker.defer_signatures = False
        _walk_log(walker, allow_torn_tail, read, read_size)
    return walker.result


def _walk_log(
    walker: _Walker, allow_torn_tail: bool, read: Callable[[Path], bytes] | None, read_size: int
) -> None:
    """Walk every segment until the first problem; then the exported checkpoint check."""
    result = walker.result
    for index, path in enumerate(result.segments):
        walker.path = path
        first = result.records
        try:
            segment = open_segment(path, read)
        except NotARegularFile:
            result.problem = Finding(
                path, 0, None, "not a segment", "a FIFO, device or folder in place of a segment"
            )
            return
        with segment as file:
            reader = SegmentReader(file, read_size)
            try:
                for data, stop in reader.pieces():
                    _walk_piece(walker, data, stop, first, reader)
                if not reader.tail:
                    continue
                if allow_torn_tail and index == len(result.segments) - 1:
                    result.torn = TornTail(path, reader.tail_offset, reader.tail)
                    continue
                walker.number = result.records - first + 1
                walker.fail(
                    result.records,
                    "truncated",
                    "the last record is cut short (a crash mid-write, or a cut file)",
                )
            except _Stop:
                return
    if walker.against is not None:
        _check_against(result, walker.against)


def _check_against(result: ScanResult, exported: Checkpoint) -> None:
    """Compare the log with a checkpoint kept elsewhere (the truncation check)."""
    last = result.segments[-1] if result.segments else None
    if exported.public_key != result.public_key:
        result.problem = Finding(
            None,
            0,
            exported.seq,
            "bad signature",
            "the exported checkpoint was signed by another key",
        )
    elif exported.log_id != result.log_id:
        result.problem = Finding(
            None,
            0,
            exported.seq,
            "truncated against checkpoint",
            "the log was replaced by another log",
        )
    elif exported.seq > result.last_seq:
        result.problem = Finding(
            last,
            0,
            exported.seq,
            "truncated against checkpoint",
            f"the log ends at seq {result.last_seq:,}",
        )
