"""A full disk and a read-only log folder: AuditUnavailable, and nothing half-written left.

Both use a real small tmpfs mounted by the test (CI runs as root). Root ignores permission
bits, so "read-only" is a read-only remount of that tmpfs, not chmod. Where mounting is
impossible (not root, no CAP_SYS_ADMIN) the tests are skipped and say so.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from readingroom.audit import AuditLog, scan_log
from readingroom.errors import AuditUnavailable


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "small-fs"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root): " + done.stderr.decode())
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_disk_full_raises_and_leaves_a_verifiable_log(rr_home: Path, small_fs: Path) -> None:
    directory = small_fs / "log"
    log = AuditLog.open(directory)
    session = log.new_session(reader="alice", document="DOC-F")
    log.append("session_started", session=session)
    with pytest.raises(AuditUnavailable) as caught:
        for page in range(100_000):
            log.append("page_viewed", session=session, page=page, zoom=1.0, seconds=1.0)
    assert "could not be written" in str(caught.value)
    assert "No space" in str(caught.value)
    # Never retried-and-continued: the log stays failed even if space came back.
    with pytest.raises(AuditUnavailable):
        log.append("focus_lost", session=session)
    log.close()
    result = scan_log(directory)
    assert result.problem is None, result.problem


def test_read_only_log_folder_is_unavailable(rr_home: Path, small_fs: Path) -> None:
    directory = small_fs / "log"
    AuditLog.open(directory).close()
    subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True)
    with pytest.raises(AuditUnavailable) as caught:
        AuditLog.open(directory)
    assert "cannot be written" in str(caught.value)
    assert scan_log(directory).problem is None


def test_missing_parent_on_read_only_fs_is_unavailable(rr_home: Path, small_fs: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True)
    with pytest.raises(AuditUnavailable, match="cannot be created"):
        AuditLog.open(small_fs / "new-log")
