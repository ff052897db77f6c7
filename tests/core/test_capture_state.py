"""The capture-exclusion state: every OS version and read-back value, the record, the refusal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from readingroom.audit import AuditLog
from readingroom.capture_state import (
    WDA_EXCLUDEFROMCAPTURE,
    WDA_MONITOR,
    WDA_NONE,
    CaptureState,
    OsInfo,
    current_os,
    macos_status,
    refuse_unless_enforced,
    unavailable_status,
    weakest,
    windows_status,
)
from readingroom.config import load_config
from readingroom.errors import CaptureNotEnforced, ConfigurationError, ExitCode
from readingroom.reading_session import ReadingSession
from readingroom.review_file import UnlockKeys, open_review
from tests.audit.helpers import all_records
from tests.factories import PASSPHRASE, seal_fixture

WIN_2004 = OsInfo("Windows", "10.0.19041")
WIN_11 = OsInfo("Windows", "10.0.26100")
WIN_1909 = OsInfo("Windows", "10.0.18363")
WIN_7 = OsInfo("Windows", "6.1.7601")


@pytest.mark.parametrize(
    ("os", "affinity", "state"),
    [
        (WIN_2004, WDA_EXCLUDEFROMCAPTURE, CaptureState.ENFORCED),
        (WIN_11, WDA_EXCLUDEFROMCAPTURE, CaptureState.ENFORCED),
        # Microsoft: 0x11 on Windows before 2004 behaves as WDA_MONITOR.
        (WIN_1909, WDA_EXCLUDEFROMCAPTURE, CaptureState.PARTIAL),
        (WIN_7, WDA_EXCLUDEFROMCAPTURE, CaptureState.PARTIAL),
        (WIN_11, WDA_MONITOR, CaptureState.PARTIAL),
        (WIN_7, WDA_MONITOR, CaptureState.PARTIAL),
        (WIN_11, WDA_NONE, CaptureState.REQUESTED_NOT_ENFORCED),
        (WIN_11, None, CaptureState.REQUESTED_NOT_ENFORCED),  # the read-back call failed
        (WIN_11, 0x7, CaptureState.REQUESTED_NOT_ENFORCED),  # a value we never asked for
    ],
)
def test_windows_state_follows_the_read_back_and_the_build(
    os: OsInfo, affinity: int | None, state: CaptureState
) -> None:
    status = windows_status(os, affinity)
    assert status.state is state
    assert status.record() == {"state": state.value, "os": os.label()}
    assert os.label() in status.text


def test_windows_texts_say_exactly_what_holds() -> None:
    enforced = windows_status(WIN_11, WDA_EXCLUDEFROMCAPTURE)
    assert enforced.text == "Screen capture: excluded by Windows 10.0.26100"
    assert "no guarantee against every capture tool" in enforced.detail
    partial = windows_status(WIN_7, WDA_MONITOR)
    assert partial.text == "Screen capture: partial (the window shows black) on Windows 6.1.7601"
    refused = windows_status(WIN_11, WDA_NONE)
    assert refused.text == "Screen capture: requested; not enforced by Windows 10.0.26100"


@pytest.mark.parametrize(
    ("version", "reads_back_none", "state"),
    [
        ("10.15.7", True, CaptureState.ENFORCED),
        ("11.7.10", True, CaptureState.ENFORCED),
        ("12.2.1", True, CaptureState.ENFORCED),
        # ScreenCaptureKit (macOS 12.3+) captures such windows anyway.
        ("12.3", True, CaptureState.REQUESTED_NOT_ENFORCED),
        ("13.6.1", True, CaptureState.REQUESTED_NOT_ENFORCED),
        ("14.5", True, CaptureState.REQUESTED_NOT_ENFORCED),
        ("15.1", True, CaptureState.REQUESTED_NOT_ENFORCED),
        ("26.0", True, CaptureState.REQUESTED_NOT_ENFORCED),
        ("11.7.10", False, CaptureState.REQUESTED_NOT_ENFORCED),
        # Never claim more when the version is hidden (old-SDK compat value) or unknown.
        ("10.16", True, CaptureState.REQUESTED_NOT_ENFORCED),
        ("", True, CaptureState.REQUESTED_NOT_ENFORCED),
        ("15.1", False, CaptureState.REQUESTED_NOT_ENFORCED),
    ],
)
def test_macos_state_follows_the_version_and_the_read_back(
    version: str, reads_back_none: bool, state: CaptureState
) -> None:
    os = OsInfo("macOS", version)
    status = macos_status(os, reads_back_none=reads_back_none)
    assert status.state is state
    assert status.record() == {"state": state.value, "os": f"macOS {version}".strip()}


def test_current_macos_says_requested_not_enforced() -> None:
    status = macos_status(OsInfo("macOS", "15.1"), reads_back_none=True)
    assert status.text == "Screen capture: requested; not enforced by macOS 15.1"
    assert "blocked" not in status.text and "excluded" not in status.text


@pytest.mark.parametrize(
    ("platform_name", "words"),
    [
        ("xcb", "impossible on X11"),
        ("wayland-egl", "depends on the compositor, Wayland"),
        ("offscreen", "no screen, offscreen display"),
        ("eglfs", "no exclusion on this platform, eglfs"),
        ("", "no exclusion on this platform, unknown"),
    ],
)
def test_platforms_without_exclusion_say_so(platform_name: str, words: str) -> None:
    status = unavailable_status(OsInfo("Linux", "6.1.0"), platform_name)
    assert status.state is CaptureState.UNAVAILABLE
    assert status.text == f"Screen capture: not blocked ({words})"
    assert status.record() == {"state": "unavailable", "os": "Linux 6.1.0"}


def test_no_text_claims_blocking_unless_enforced() -> None:
    statuses = [
        *(windows_status(os, a) for os in (WIN_11, WIN_7) for a in (0x11, 0x1, 0x0, None)),
        *(
            macos_status(OsInfo("macOS", v), reads_back_none=b)
            for v in ("11.1", "15.1")
            for b in (True, False)
        ),
        *(unavailable_status(OsInfo("Linux", "6"), p) for p in ("xcb", "wayland", "offscreen")),
    ]
    for status in statuses:
        claims = "excluded by" in status.text
        assert claims == status.is_enforced(), status.text
        assert "blocked (" not in status.text.replace("not blocked (", "")


def test_the_weakest_state_wins() -> None:
    enforced = windows_status(WIN_11, WDA_EXCLUDEFROMCAPTURE)
    partial = windows_status(WIN_7, WDA_MONITOR)
    refused = windows_status(WIN_11, None)
    assert weakest([]) is None
    assert weakest([enforced, partial]) == partial
    assert weakest([partial, enforced, refused]) == refused
    assert weakest([enforced]) == enforced


def test_os_versions_parse_and_label() -> None:
    assert OsInfo("Windows", "10.0.19045").version_numbers() == (10, 0, 19045)
    assert OsInfo("Linux", "6.1.0-28-amd64").version_numbers() == (6, 1, 0)
    assert OsInfo("macOS", "").version_numbers() == ()
    assert OsInfo("macOS", "").label() == "macOS"
    here = current_os()
    assert here.name and here.label().startswith(here.name)


@pytest.fixture
def log(rr_home: Path) -> Iterator[AuditLog]:
    audit = AuditLog.open(rr_home / "audit")
    yield audit
    audit.close()


def _require(rr_home: Path, value: str = "true") -> None:
    path = rr_home / "workstation.toml"
    path.write_text(f"require_capture_exclusion = {value}\n", encoding="utf-8")
    path.chmod(0o644)


def test_the_setting_is_read_and_checked(rr_home: Path) -> None:
    assert load_config(rr_home).require_capture_exclusion is False
    _require(rr_home)
    assert load_config(rr_home).require_capture_exclusion is True
    _require(rr_home, '"yes"')
    with pytest.raises(ConfigurationError, match="require_capture_exclusion"):
        load_config(rr_home)


def test_refusal_is_recorded_with_the_state(rr_home: Path, log: AuditLog) -> None:
    _require(rr_home)
    config = load_config(rr_home)
    context = log.new_session(reader=None)
    enforced = windows_status(WIN_11, WDA_EXCLUDEFROMCAPTURE)
    refuse_unless_enforced(enforced, config, audit=log, session=context)  # passes, no record
    for status in (
        windows_status(WIN_7, WDA_MONITOR),
        macos_status(OsInfo("macOS", "15.1"), reads_back_none=True),
        unavailable_status(OsInfo("Linux", "6.1"), "xcb"),
    ):
        with pytest.raises(CaptureNotEnforced) as raised:
            refuse_unless_enforced(status, config, audit=log, session=context)
        assert raised.value.exit_code == ExitCode.REFUSED
    refused = [r for r in all_records(rr_home / "audit") if r["event"] == "unlock_failed"]
    assert [r["details"] for r in refused] == [
        {
            "reason": "capture not enforced",
            "capture": {"state": "partial", "os": "Windows 6.1.7601"},
        },
        {
            "reason": "capture not enforced",
            "capture": {"state": "requested_not_enforced", "os": "macOS 15.1"},
        },
        {"reason": "capture not enforced", "capture": {"state": "unavailable", "os": "Linux 6.1"}},
    ]


def test_without_the_setting_nothing_is_refused(rr_home: Path, log: AuditLog) -> None:
    config = load_config(rr_home)
    status = unavailable_status(OsInfo("Linux", "6.1"), "xcb")
    refuse_unless_enforced(status, config, audit=log, session=log.new_session(reader=None))
    assert not [r for r in all_records(rr_home / "audit") if r["event"] == "unlock_failed"]


def _session(rr_home: Path, log: AuditLog) -> ReadingSession:
    sealed = seal_fixture(rr_home)
    opened = open_review(
        sealed.data,
        UnlockKeys(passphrase=PASSPHRASE),
        config=sealed.config,
        trust=sealed.trust,
        now=sealed.manifest.created,
    )
    return ReadingSession(opened, log, load_config(rr_home), context=log.new_session(reader=None))


def test_session_started_carries_the_capture_state(rr_home: Path, log: AuditLog) -> None:
    session = _session(rr_home, log)
    session.start(capture=windows_status(WIN_11, WDA_EXCLUDEFROMCAPTURE))
    started = [r for r in all_records(rr_home / "audit") if r["event"] == "session_started"]
    assert started[-1]["details"]["capture"] == {"state": "enforced", "os": "Windows 10.0.26100"}


def test_a_session_without_a_capture_state_is_recorded_unavailable(
    rr_home: Path, log: AuditLog
) -> None:
    _session(rr_home, log).start()
    started = [r for r in all_records(rr_home / "audit") if r["event"] == "session_started"]
    assert started[-1]["details"]["capture"] == {"state": "unavailable", "os": current_os().label()}


def test_a_required_exclusion_stops_the_session_before_it_starts(
    rr_home: Path, log: AuditLog
) -> None:
    _require(rr_home)
    session = _session(rr_home, log)
    with pytest.raises(CaptureNotEnforced):
        session.start(capture=macos_status(OsInfo("macOS", "14.5"), reads_back_none=True))
    assert not session.started
    names = [r["event"] for r in all_records(rr_home / "audit")]
    assert "session_started" not in names and names[-1] == "unlock_failed"
    session.start(capture=windows_status(WIN_11, WDA_EXCLUDEFROMCAPTURE))
    assert session.started


def test_a_change_of_state_is_recorded_once(rr_home: Path, log: AuditLog) -> None:
    session = _session(rr_home, log)
    enforced = windows_status(WIN_11, WDA_EXCLUDEFROMCAPTURE)
    session.record_capture(enforced)  # before the start: nothing to record against
    session.start(capture=enforced)
    session.record_capture(enforced)  # unchanged: no record
    session.record_capture(windows_status(WIN_11, None))
    session.record_capture(windows_status(WIN_11, None))
    names = [r["event"] for r in all_records(rr_home / "audit") if r["event"] != "checkpoint"]
    assert names[-2:] == ["session_started", "capture_changed"]
    assert all_records(rr_home / "audit")[-1]["details"]["capture"] == {
        "state": "requested_not_enforced",
        "os": "Windows 10.0.26100",
    }
