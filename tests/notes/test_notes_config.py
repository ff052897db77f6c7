"""The workstation's say on notes: ``allow_notes`` (only ever tightened) and ``notes_dir``."""

from __future__ import annotations

from pathlib import Path

import pytest

from readingroom.config import load_config
from readingroom.config_rules import stricter_values
from readingroom.errors import ConfigurationError
from tests.gui.test_session_fixtures import write_workstation_config


def test_notes_are_allowed_by_default_and_kept_under_the_home(rr_home: Path) -> None:
    config = load_config(rr_home)
    assert config.allow_notes is True
    assert config.notes_dir == rr_home / "notes"


def test_a_workstation_file_turns_notes_off_or_moves_them(rr_home: Path, tmp_path: Path) -> None:
    write_workstation_config(rr_home, allow_notes=False, notes_dir=tmp_path / "sealed-notes")
    config = load_config(rr_home)
    assert config.allow_notes is False
    assert config.notes_dir == tmp_path / "sealed-notes"


def test_allow_notes_must_be_a_boolean(rr_home: Path) -> None:
    write_workstation_config(rr_home, allow_notes="yes")
    with pytest.raises(ConfigurationError, match="allow_notes"):
        load_config(rr_home)


def test_a_per_user_file_may_turn_notes_off_but_never_on(tmp_path: Path) -> None:
    source = tmp_path / "workstation.toml"
    system = {"allow_notes": False}
    with pytest.raises(ConfigurationError, match="loosen"):
        stricter_values(system, {"allow_notes": False}, {"allow_notes": True}, source)
    merged = stricter_values({}, {"allow_notes": True}, {"allow_notes": False}, source)
    assert merged == {"allow_notes": False}
    with pytest.raises(ConfigurationError, match="only the system"):
        stricter_values({}, {}, {"notes_dir": "/tmp/elsewhere"}, source)
