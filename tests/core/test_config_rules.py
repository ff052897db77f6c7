"""System files are believed only if root's alone; a per-user file may only tighten them.

The "system" configuration is whatever ``config.system_config_path()`` names; the tests point it
at a real file under ``tmp_path`` and give that file (and its folders) real owners and modes
with ``chown``/``chmod``. Owning files as root needs root, as CI runs (``READINGROOM_REQUIRE_ROOT
=1`` there makes these fail rather than skip).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from readingroom import config as config_module
from readingroom.cli import main
from readingroom.config import CONFIG_FILE_NAME, TRUST_STORE_NAME, load_config
from readingroom.errors import ConfigurationError
from readingroom.keys import PublisherKey

REQUIRE = "READINGROOM_REQUIRE_ROOT"
NOBODY = 65534


@pytest.fixture
def as_root() -> None:
    if os.name != "posix" or os.getuid() != 0:
        message = "owning files as root needs root"
        if os.environ.get(REQUIRE) == "1":
            pytest.fail(f"{message}, and {REQUIRE}=1 requires it")
        pytest.skip(message)


@pytest.fixture
def system_dir(
    as_root: None, tmp_path: Path, rr_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """``<tmp>/etc/readingroom``: root's, 0755, the system configuration's folder."""
    folder = tmp_path / "etc" / "readingroom"
    folder.mkdir(parents=True)
    for path in (tmp_path / "etc", folder):
        path.chmod(0o755)
    monkeypatch.setattr(config_module, "system_config_path", lambda: folder / CONFIG_FILE_NAME)
    return folder


def _system(folder: Path, text: str) -> Path:
    path = folder / CONFIG_FILE_NAME
    path.write_text(text)
    path.chmod(0o644)
    return path


def test_a_root_owned_system_file_applies_even_with_readingroom_home(system_dir: Path) -> None:
    _system(system_dir, "kiosk = true\nidle_minutes_max = 5\n")
    config = load_config()
    assert config.source == system_dir / CONFIG_FILE_NAME
    assert config.kiosk and config.idle_minutes_max == 5
    assert config.trust_store == system_dir / TRUST_STORE_NAME


@pytest.mark.parametrize(
    ("target", "change"),
    [
        ("file", "group-writable"),
        ("file", "owned by nobody"),
        ("folder", "group-writable"),
        ("folder", "owned by nobody"),
        ("grandparent", "world-writable"),
    ],
)
def test_an_unsafe_system_file_is_refused(system_dir: Path, target: str, change: str) -> None:
    source = _system(system_dir, "allow_any_publisher = true\n")
    path = {"file": source, "folder": system_dir, "grandparent": system_dir.parent}[target]
    if change == "owned by nobody":
        os.chown(path, NOBODY, NOBODY)
    else:
        path.chmod(path.stat().st_mode | (0o020 if change == "group-writable" else 0o002))
    with pytest.raises(ConfigurationError, match="is not used") as raised:
        load_config()
    assert str(path) in str(raised.value)


def test_a_sticky_root_folder_above_is_allowed(system_dir: Path) -> None:
    system_dir.parent.chmod(0o1777)  # like /tmp
    _system(system_dir, "kiosk = true\n")
    assert load_config().kiosk


def test_a_system_file_behind_a_symlink_to_a_users_file_is_refused(
    system_dir: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text("allow_any_publisher = true\n")
    os.chown(mine, NOBODY, NOBODY)
    (system_dir / CONFIG_FILE_NAME).symlink_to(mine)
    with pytest.raises(ConfigurationError, match="belongs to another user"):
        load_config()


def test_a_trust_store_another_user_can_write_is_refused(system_dir: Path) -> None:
    _system(system_dir, "")
    store = system_dir / TRUST_STORE_NAME
    entry = {"name": "Mallory", "public_key": str(PublisherKey.generate().public_key())}
    store.write_text(json.dumps({"publishers": [entry]}))
    store.chmod(0o644)
    assert load_config().trust_store == store
    os.chown(store, NOBODY, NOBODY)
    with pytest.raises(ConfigurationError, match="trust store"):
        load_config()


def test_the_trust_commands_refuse_an_unsafe_trust_store(
    system_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _system(system_dir, "")
    store = system_dir / TRUST_STORE_NAME
    store.write_text('{"publishers": []}')
    store.chmod(0o666)
    assert main(["trust", "list"]) == ConfigurationError.exit_code
    assert "writable by every user or by its group" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("system", "user"),
    [
        ("", "allow_any_publisher = true"),
        ("kiosk = true", "kiosk = false"),
        ("idle_minutes_max = 5", "idle_minutes_max = 30"),
        ("checkpoint_every_records = 10", "checkpoint_every_records = 1000"),
        ("", 'audit_dir = "/tmp/elsewhere"'),
        ('audit_socket = "/run/readingroom-audit/audit.sock"', 'audit_socket = "/tmp/mine.sock"'),
        ("", 'trust_store = "/tmp/mine.json"'),
        # A higher threshold would record fewer page views.
        ("page_view_min_ms = 300", "page_view_min_ms = 2000"),
    ],
)
def test_a_per_user_file_cannot_loosen_the_system_one(
    system_dir: Path, rr_home: Path, system: str, user: str
) -> None:
    _system(system_dir, system + "\n")
    (rr_home / CONFIG_FILE_NAME).write_text(user + "\n")
    with pytest.raises(ConfigurationError, match=r"loosen|only the system configuration"):
        load_config()


def test_a_per_user_file_may_tighten_the_system_one(system_dir: Path, rr_home: Path) -> None:
    _system(system_dir, "allow_any_publisher = true\nidle_minutes_max = 10\n")
    (rr_home / CONFIG_FILE_NAME).write_text(
        "allow_any_publisher = false\nidle_minutes_max = 3\nkiosk = true\npage_view_min_ms = 100\n"
    )
    config = load_config()
    assert not config.allow_any_publisher
    assert config.idle_minutes_max == 3 and config.kiosk
    assert config.page_view_min_ms == 100
