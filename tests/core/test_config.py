"""The workstation configuration: defaults, every setting, and the files it refuses."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

from readingroom.config import (
    CONFIG_FILE_NAME,
    WorkstationConfig,
    load_config,
    system_config_path,
)
from readingroom.errors import ConfigurationError, ExitCode

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")


def _write(home: Path, text: str) -> Path:
    path = home / CONFIG_FILE_NAME
    path.write_text(text, encoding="utf-8")
    path.chmod(0o644)
    return path


def test_defaults_without_a_file(rr_home: Path) -> None:
    config = load_config()
    assert config.source is None
    assert config.home == rr_home
    assert config.workstation_name == socket.gethostname().strip()
    assert config.audit_dir == rr_home / "audit"
    assert config.workstation_key == rr_home / "workstation.key"
    assert config.trust_store == rr_home / "trusted-publishers.json"
    assert not config.allow_any_publisher
    assert not config.allow_unprotected_reader_keys
    assert not config.kiosk
    assert config.idle_minutes_max is None
    assert config.review_folder is None
    assert (config.checkpoint_every_records, config.checkpoint_every_minutes) == (100, 10)
    assert config.page_view_min_ms == 300


def test_every_setting_is_read(rr_home: Path, tmp_path: Path) -> None:
    source = _write(
        rr_home,
        f"""
        workstation_name = "  Reading room 2, County Hall  "
        audit_dir = "{tmp_path / "audit"}"
        workstation_key = "{tmp_path / "ws.key"}"
        trust_store = "{tmp_path / "trust.json"}"
        allow_any_publisher = true
        kiosk = true
        idle_minutes_max = 3
        review_folder = "{tmp_path / "reviews"}"
        checkpoint_every_records = 7
        checkpoint_every_minutes = 2
        allow_unprotected_reader_keys = true
        page_view_min_ms = 0
        """,
    )
    config = load_config()
    assert config.source == source
    assert config.workstation_name == "Reading room 2, County Hall"
    assert config.audit_dir == tmp_path / "audit"
    assert config.workstation_key == tmp_path / "ws.key"
    assert config.trust_store == tmp_path / "trust.json"
    assert config.allow_any_publisher and config.kiosk
    assert config.allow_unprotected_reader_keys
    assert config.idle_minutes_max == 3
    assert config.review_folder == tmp_path / "reviews"
    assert (config.checkpoint_every_records, config.checkpoint_every_minutes) == (7, 2)
    assert config.page_view_min_ms == 0


def test_a_path_setting_expands_the_home_folder(rr_home: Path) -> None:
    _write(rr_home, 'review_folder = "~/reviews"\n')
    assert load_config().review_folder == Path("~/reviews").expanduser()


@pytest.mark.parametrize(
    ("policy", "workstation", "effective"),
    [(10, None, 10), (10, 3, 3), (2, 5, 2), (4, 4, 4)],
)
def test_the_idle_lock_is_the_stricter_of_policy_and_workstation(
    rr_home: Path, policy: int, workstation: int | None, effective: int
) -> None:
    if workstation is not None:
        _write(rr_home, f"idle_minutes_max = {workstation}\n")
    assert load_config().effective_idle_minutes(policy) == effective


def test_an_unknown_setting_is_refused_by_name(rr_home: Path) -> None:
    _write(rr_home, "kiosk = true\nkoisk = true\nzzz = 1\n")
    with pytest.raises(ConfigurationError) as raised:
        load_config()
    assert "Unknown setting" in str(raised.value) and "koisk, zzz" in str(raised.value)
    assert raised.value.exit_code == ExitCode.USAGE


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('kiosk = "yes"', "kiosk"),
        ("allow_any_publisher = 1", "allow_any_publisher"),
        ("idle_minutes_max = 0", "idle_minutes_max"),
        ("idle_minutes_max = -5", "idle_minutes_max"),
        ("idle_minutes_max = true", "idle_minutes_max"),
        ('idle_minutes_max = "10"', "idle_minutes_max"),
        ("checkpoint_every_records = 1.5", "checkpoint_every_records"),
        ("review_folder = 3", "review_folder"),
        ('audit_dir = ""', "audit_dir"),
        ('workstation_name = "   "', "workstation_name"),
        ("workstation_name = 12", "workstation_name"),
        ("page_view_min_ms = -1", "page_view_min_ms"),
        ("page_view_min_ms = 5001", "page_view_min_ms"),
        ("page_view_min_ms = 0.3", "page_view_min_ms"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused(rr_home: Path, line: str, words: str) -> None:
    _write(rr_home, line + "\n")
    with pytest.raises(ConfigurationError) as raised:
        load_config()
    assert words in str(raised.value)


def test_invalid_toml_is_refused_with_the_file_named(rr_home: Path) -> None:
    source = _write(rr_home, "kiosk = \n[[[")
    with pytest.raises(ConfigurationError) as raised:
        load_config()
    assert str(source) in str(raised.value) and "not valid TOML" in str(raised.value)


def test_a_file_that_is_not_utf8_is_refused(rr_home: Path) -> None:
    source = rr_home / CONFIG_FILE_NAME
    source.write_bytes(b'workstation_name = "\xff\xfe"\n')
    with pytest.raises(ConfigurationError) as raised:
        load_config()
    assert "cannot be read" in str(raised.value)


@posix_only
def test_a_world_writable_file_is_refused(rr_home: Path) -> None:
    source = _write(rr_home, "kiosk = true\n")
    source.chmod(0o666)
    with pytest.raises(ConfigurationError) as raised:
        load_config()
    assert "writable by every user or by its group" in str(raised.value)
    assert str(source) in str(raised.value)


@posix_only
def test_a_world_writable_folder_is_refused(rr_home: Path) -> None:
    _write(rr_home, "kiosk = true\n")
    rr_home.chmod(0o777)
    try:
        with pytest.raises(ConfigurationError) as raised:
            load_config()
    finally:
        rr_home.chmod(0o755)
    assert "writable by every user or by its group" in str(raised.value)
    assert str(rr_home) in str(raised.value)


@posix_only
def test_a_group_writable_file_is_refused(rr_home: Path) -> None:
    # A group member could turn on allow_any_publisher: the attack.
    source = _write(rr_home, "allow_any_publisher = true\n")
    source.chmod(0o664)
    with pytest.raises(ConfigurationError, match="or by its group"):
        load_config()


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        ("linux", "/etc/readingroom/workstation.toml"),
        ("darwin", "/Library/Application Support/ReadingRoom/workstation.toml"),
    ],
)
def test_system_config_locations(
    monkeypatch: pytest.MonkeyPatch, platform: str, expected: str
) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    assert system_config_path() == Path(expected)


def test_windows_system_config_is_under_programdata(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("PROGRAMDATA", str(tmp_path))
    assert system_config_path() == tmp_path / "ReadingRoom" / CONFIG_FILE_NAME


def test_config_is_a_frozen_value(rr_home: Path) -> None:
    config = load_config()
    assert isinstance(config, WorkstationConfig)
    with pytest.raises(AttributeError):
        config.kiosk = True  # type: ignore[misc]
