"""An input file that is a device: its size says 0, its bytes never end; the limit still holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from readingroom.errors import InputFileError
from readingroom.fileio import read_input_file


def test_a_link_to_dev_zero_stops_at_the_limit(tmp_path: Path) -> None:
    endless = tmp_path / "review.rrf"
    endless.symlink_to("/dev/zero")
    with pytest.raises(InputFileError, match="too large"):
        read_input_file(endless, what="review file", limit=1024 * 1024)


def test_a_file_at_the_limit_is_read_whole(tmp_path: Path) -> None:
    exact = tmp_path / "exact.bin"
    exact.write_bytes(b"x" * 4096)
    assert read_input_file(exact, limit=4096) == b"x" * 4096
    with pytest.raises(InputFileError, match="too large"):
        read_input_file(exact, limit=4095)
