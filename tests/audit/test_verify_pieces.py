"""``audit verify`` reads each segment in pieces of whole lines: the pieces' edges change
nothing. Every case walks a real log once in one piece per segment and again in pieces
smaller than a record, and must find the same thing (the same problem, line and seq)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from readingroom.audit import scan_log
from readingroom.audit.storage import list_segments
from readingroom.audit.verify import ScanResult
from tests.audit.helpers import write_sessions

WHOLE = 1 << 30  # more than any test segment: one piece each
TINY = [1, 97, 300, 4096]  # 1 byte at a time; less than a record; a few records


@pytest.fixture
def logdir(rr_home: Path) -> Path:
    directory = rr_home / "log"
    write_sessions(directory, 150, max_segment_bytes=16 * 1024)  # several segments
    (rr_home / "audit-state.json").unlink()  # these tests cut and edit the log themselves
    assert len(list_segments(directory)) >= 3
    return directory


def _segment_lines(directory: Path, index: int) -> tuple[Path, list[bytes]]:
    path = list_segments(directory)[index]
    return path, path.read_bytes().splitlines(keepends=True)


def _flip_in_middle(directory: Path) -> None:
    path, lines = _segment_lines(directory, 1)
    line = bytearray(lines[5])
    line[len(line) // 2] ^= 0x01
    lines[5] = bytes(line)
    path.write_bytes(b"".join(lines))


def _delete_line(directory: Path) -> None:
    path, lines = _segment_lines(directory, 1)
    del lines[3]
    path.write_bytes(b"".join(lines))


def _duplicate_line(directory: Path) -> None:
    path, lines = _segment_lines(directory, 2)
    lines.insert(4, lines[3])
    path.write_bytes(b"".join(lines))


def _swap_lines(directory: Path) -> None:
    path, lines = _segment_lines(directory, 1)
    lines[6], lines[7] = lines[7], lines[6]
    path.write_bytes(b"".join(lines))


def _cut_last_line(directory: Path) -> None:
    path = list_segments(directory)[-1]
    data = path.read_bytes()
    path.write_bytes(data[:-40])


def _cut_middle_segment(directory: Path) -> None:
    path = list_segments(directory)[1]
    data = path.read_bytes()
    path.write_bytes(data[:-40])


def _blank_line(directory: Path) -> None:
    path, lines = _segment_lines(directory, 0)
    lines.insert(2, b"\n")
    path.write_bytes(b"".join(lines))


def _untouched(directory: Path) -> None:
    assert directory.is_dir()


TAMPERS: list[Callable[[Path], None]] = [
    _untouched,
    _flip_in_middle,
    _delete_line,
    _duplicate_line,
    _swap_lines,
    _cut_last_line,
    _cut_middle_segment,
    _blank_line,
]


def _outcome(result: ScanResult) -> tuple[object, ...]:
    torn = (result.torn.path, result.torn.keep, result.torn.fragment) if result.torn else None
    return (
        result.problem,
        result.records,
        result.head,
        result.max_time,
        result.log_id,
        result.last_checkpoint,
        torn,
    )


@pytest.mark.parametrize("tamper", TAMPERS, ids=lambda tamper: tamper.__name__.strip("_"))
@pytest.mark.parametrize("allow_torn_tail", [False, True])
def test_pieces_find_what_one_piece_finds(
    logdir: Path, tamper: Callable[[Path], None], allow_torn_tail: bool
) -> None:
    tamper(logdir)
    whole = scan_log(logdir, read_size=WHOLE, allow_torn_tail=allow_torn_tail)
    if tamper is _untouched:
        assert whole.problem is None and whole.torn is None
    elif tamper is _cut_last_line and allow_torn_tail:
        assert whole.problem is None and whole.torn is not None
    else:
        assert whole.problem is not None
    for size in TINY:
        pieces = scan_log(logdir, read_size=size, allow_torn_tail=allow_torn_tail)
        assert _outcome(pieces) == _outcome(whole), size


def test_visitor_sees_every_record_once_in_order_whatever_the_pieces(logdir: Path) -> None:
    seen: dict[int, list[tuple[int, bytes]]] = {}
    for size in [WHOLE, *TINY]:
        records = seen.setdefault(size, [])
        scan_log(
            logdir, read_size=size, visit=lambda seq, body, into=records: into.append((seq, body))
        )
    expected = seen[WHOLE]
    assert [seq for seq, _ in expected] == list(range(len(expected)))
    assert all(records == expected for records in seen.values())


def test_a_misplaced_record_near_a_piece_edge_looks_past_it(logdir: Path) -> None:
    """Telling "reordered" from "missing" looks ahead up to 50 lines: past the piece."""
    path, lines = _segment_lines(logdir, 1)
    moved = lines.pop(2)
    lines.insert(12, moved)  # record 2 now comes after ten records that follow it
    path.write_bytes(b"".join(lines))
    whole = scan_log(logdir, read_size=WHOLE).problem
    assert whole is not None and whole.kind == "reordered"
    for size in TINY:
        assert scan_log(logdir, read_size=size).problem == whole
