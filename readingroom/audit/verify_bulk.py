"""Checking a run of ordinary records at C speed: the verifier's fast path.

``verify._Walker.record`` checks one record with a dozen Python-level operations; a log holds
millions of them. This module makes the same checks over a whole run of lines at once, each one
a ``map`` of a C function (``bytes.startswith``, ``hashlib.sha256``, ``binascii.hexlify``) over
the run, so the interpreter's per-record cost is a few C calls instead of a dozen bytecodes.

The hash chain is checked link by link without walking it in order: record *i*'s hash is
recomputed from the *stored* hash of record *i-1* and compared with record *i*'s stored hash.
Every link matching is the same statement as the chain recomputed from the start matching (by
induction from the carried-in head), so nothing is lost by checking the links independently.

It only ever *accepts*: :func:`check_run` returns None when anything is unusual (a malformed
line, a hash or seq that does not match, a record without its time), and the caller then walks
the run record by record, which names the first problem exactly as before. Records that need
more than the common checks (the log header, checkpoints, the record an exported checkpoint
signed) are listed in ``careful`` for the caller's full per-record check.
"""

from __future__ import annotations

import hashlib
from binascii import Error as HexError
from binascii import hexlify, unhexlify
from collections.abc import Callable
from dataclasses import dataclass
from itertools import compress, repeat
from operator import add, contains, getitem, methodcaller
from typing import cast

from readingroom.audit.records import (
    BODY_START,
    HASH_END,
    HASH_START,
    LINE_MIDDLE,
    LINE_PREFIX,
    TIME_LENGTH,
)

CHECKPOINT_MARK = b'"event":"checkpoint"'
# Lines per run: big enough that the per-run set-up is noise, small enough that the run's
# copies (bodies, hashes) stay a few MiB however large the segment is.
RUN_LINES = 8192
_BODY = slice(BODY_START, -1)
_HASH = slice(HASH_START, HASH_END)
_SEQ = b'"seq":'
_TIME = b'"time":"'
_DIGEST = methodcaller("digest")
# operator.getitem, typed for what it does here (typeshed types it over Sequence).
_cut = cast("Callable[[bytes, slice], bytes]", getitem)


@dataclass(frozen=True)
class RunCheck:
    """A run of lines whose common checks all passed."""

    bodies: list[bytes]
    # The chain hash after each record (32 bytes), as stored and as recomputed.
    heads: list[bytes]
    # Indexes (in the run) of records that still need the full per-record check.
    careful: list[int]
    max_time: bytes


def check_run(lines: list[bytes], head: bytes, first_seq: int, special_seq: int) -> RunCheck | None:
    """Check a run of stored lines (without newlines) that follows ``head``.

    Args:
        lines: the run, non-empty.
        head: the chain hash of the record before the run.
        first_seq: the seq the run's first record must have.
        special_seq: a seq that needs the full check (an exported checkpoint's), or -1.

    Returns:
        The run's bodies and chain hashes, or None when the caller must check record by record.
    """
    # The line's shape: prefix, 64 characters, the separator, a closing brace.
    if not (
        all(map(bytes.startswith, lines, repeat(LINE_PREFIX)))
        and all(map(bytes.startswith, lines, repeat(LINE_MIDDLE), repeat(HASH_END)))
        and all(map(bytes.endswith, lines, repeat(b"}")))
    ):
        return None
    bodies = list(map(_cut, lines, repeat(_BODY)))
    heads = _chain(lines, bodies, head)
    max_time = _seqs_and_times(bodies, first_seq) if heads is not None else None
    if heads is None or max_time is None:
        return None
    count = len(lines)
    careful = list(compress(range(count), map(contains, bodies, repeat(CHECKPOINT_MARK))))
    extra = [index for index in (-first_seq, special_seq - first_seq) if 0 <= index < count]
    if extra:
        careful = sorted({*careful, *extra})
    return RunCheck(bodies, heads, careful, max_time)


def _chain(lines: list[bytes], bodies: list[bytes], head: bytes) -> list[bytes] | None:
    """Every record's chain hash, if each one is SHA-256 of the previous one and its body."""
    stored = list(map(_cut, lines, repeat(_HASH)))
    try:
        heads = list(map(unhexlify, stored))
    except (HexError, ValueError):
        return None
    previous = [head, *heads[:-1]]
    digests = map(_DIGEST, map(hashlib.sha256, map(add, previous, bodies)))
    # Compared as text, so a stored hash in capitals fails as it does record by record.
    return heads if list(map(hexlify, digests)) == stored else None


def _seqs_and_times(bodies: list[bytes], first_seq: int) -> bytes | None:
    """The latest top-level time, if every top-level seq is the expected one and has a time."""
    # The top-level seq is the last '"seq":' of the body (records.py says why).
    seq_at = list(map(add, map(bytes.rfind, bodies, repeat(_SEQ)), repeat(len(_SEQ))))
    if min(seq_at) < len(_SEQ):
        return None
    wanted = map(b"%d,".__mod__, range(first_seq, first_seq + len(bodies)))
    if not all(map(bytes.startswith, bodies, wanted, seq_at)):
        return None
    # The top-level time follows the seq; found there, it is also the body's last one.
    time_at = list(map(add, map(bytes.rfind, bodies, repeat(_TIME), seq_at), repeat(len(_TIME))))
    if min(time_at) < len(_TIME):
        return None
    ends = map(add, time_at, repeat(TIME_LENGTH))
    return max(map(_cut, bodies, map(slice, time_at, ends)))
