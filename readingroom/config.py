"""Where ReadingRoom keeps things, and the workstation configuration file.

``READINGROOM_HOME`` (environment) names one folder holding the configuration, the trust store,
the workstation keys and the default audit log, so that a test or a script runs fully isolated.
Without it the platform's usual per-user data folder is used. A system-wide configuration file
written by an administrator (root's alone, along its whole path) takes precedence over the
per-user one whenever it exists, and a per-user file may then only tighten it (see
:mod:`readingroom.config_rules`).

The configuration is TOML (read with the standard library's ``tomllib``)::

    workstation_name = "Reading room 2, County Hall"
    audit_dir = "/var/lib/readingroom/audit"
    workstation_key = "/etc/readingroom/workstation.key"
    allow_any_publisher = false
    kiosk = false
    idle_minutes_max = 10
    review_folder = "/srv/reading-room/reviews"
    revocation_dir = "/etc/readingroom/revocations"
    require_capture_exclusion = false
    audit_socket = "/run/readingroom-audit/audit.sock"   # use the audit service
    audit_service_user = "readingroom-audit"             # who must own that socket
    allow_unprotected_reader_keys = false
    require_sandbox = false
    page_view_min_ms = 300   # shorter page views (scrolled past, a resize) are not recorded
    allow_notes = true                                   # false: no notes, whatever the file says
    notes_dir = "/var/lib/readingroom/notes"             # sealed notes files (.rrn)
"""

from __future__ import annotations

import os
import socket
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readingroom.config_rules import check_system_file, check_user_file, stricter_values
from readingroom.errors import ConfigurationError

ENV_HOME = "READINGROOM_HOME"
CONFIG_FILE_NAME = "workstation.toml"
TRUST_STORE_NAME = "trusted-publishers.json"
WORKSTATION_KEY_NAME = "workstation.key"
AUDIT_DIR_NAME = "audit"
DEFAULT_PAGE_VIEW_MIN_MS = 300
# Above this a threshold would hide real reading (coverage counts pages seen for 10 s).
MAX_PAGE_VIEW_MIN_MS = 5_000
NOTES_DIR_NAME = "notes"


def readingroom_home() -> Path:
    """The folder for this user's ReadingRoom state (``READINGROOM_HOME`` if set)."""
    override = os.environ.get(ENV_HOME)
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "ReadingRoom"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "ReadingRoom"
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "readingroom"


def system_config_path() -> Path:
    """Where an administrator puts the system-wide workstation configuration."""
    if sys.platform == "win32":
        base = Path(os.environ.get("PROGRAMDATA") or "C:/ProgramData")
        return base / "ReadingRoom" / CONFIG_FILE_NAME
    if sys.platform == "darwin":
        return Path("/Library/Application Support/ReadingRoom") / CONFIG_FILE_NAME
    return Path("/etc/readingroom") / CONFIG_FILE_NAME


@dataclass(frozen=True)
class WorkstationConfig:
    """The settings of one reading-room workstation."""

    home: Path
    source: Path | None
    workstation_name: str
    audit_dir: Path
    workstation_key: Path
    trust_store: Path
    allow_any_publisher: bool = False
    kiosk: bool = False
    # The policy of a review file may ask for a shorter idle lock, never a longer one.
    idle_minutes_max: int | None = None
    review_folder: Path | None = None
    checkpoint_every_records: int = 100
    checkpoint_every_minutes: int = 10
    # Signed revocation lists (.rrl) distributed to this workstation (see readingroom.revocation).
    revocation_dir: Path | None = None
    # Refuse to open documents unless the OS enforces screen-capture exclusion (see
    # readingroom.capture_state): meaningful on Windows 10 2004+, refuses everything elsewhere.
    require_capture_exclusion: bool = False
    # With a socket, the viewer sends records to `readingroom audit serve` instead of writing.
    audit_socket: Path | None = None
    audit_service_user: str = "readingroom-audit"
    # A reader key file without a passphrase proves only that someone copied a file: off by
    # default, so `view --identity` needs a protected key (docs/threat-model.md).
    allow_unprotected_reader_keys: bool = False
    # Refuse to show a document whose renderer process could not be sandboxed (Linux seccomp).
    require_sandbox: bool = False
    # The central audit database (a libpq DSN, no password in it: use ~/.pgpass or a client
    # certificate) that `readingroom audit ship` sends this workstation's records to.
    ship_to: str | None = None
    # A page on screen for less than this was scrolled past, not read: no page_viewed record
    # (readingroom.page_view_clock). A per-user file may only lower it (record more).
    page_view_min_ms: int = DEFAULT_PAGE_VIEW_MIN_MS
    # Sealed impression notes (readingroom.notes): a workstation may forbid them altogether.
    allow_notes: bool = True
    notes_dir: Path | None = None

    def effective_idle_minutes(self, policy_minutes: int) -> int:
        """The idle-lock time in force: the stricter of the policy and the workstation."""
        if self.idle_minutes_max is None:
            return policy_minutes
        return min(policy_minutes, self.idle_minutes_max)


def load_config(home: Path | None = None) -> WorkstationConfig:
    """Read the workstation configuration, applying defaults for what it leaves out.

    The rules on which files are believed are in :mod:`readingroom.config_rules`.

    Raises:
        ConfigurationError: a file is unreadable, not valid TOML, has a wrong value, is unsafe
            (another user may change it), or a per-user file tries to loosen the system one.
    """
    home = home or readingroom_home()
    system = system_config_path()
    user = home / CONFIG_FILE_NAME
    user_values: dict[str, Any] | None = None
    if user.exists():
        check_user_file(user, "configuration file")
        user_values = _read_toml(user)
        _build(home, user, user_values)  # type-check the per-user file on its own
    if not system.exists():
        config = _build(home, user if user_values is not None else None, user_values or {})
        if config.trust_store.exists():
            check_user_file(config.trust_store, "trust store")
        return config
    check_system_file(system, "system configuration")
    system_values = _read_toml(system)
    system_values.setdefault("trust_store", str(system.parent / TRUST_STORE_NAME))
    values = system_values
    if user_values:
        effective = vars(_build(home, system, system_values))
        values = stricter_values(system_values, effective, user_values, user)
    config = _build(home, system, values)
    if config.trust_store.exists():
        check_system_file(config.trust_store, "trust store")
    return config


def _read_toml(source: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"The configuration file {source} cannot be read.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(
            f"The configuration file {source} is not valid TOML: {exc}."
        ) from exc


def _build(home: Path, source: Path | None, values: dict[str, Any]) -> WorkstationConfig:
    known = {
        "workstation_name",
        "audit_dir",
        "workstation_key",
        "trust_store",
        "allow_any_publisher",
        "kiosk",
        "idle_minutes_max",
        "review_folder",
        "checkpoint_every_records",
        "checkpoint_every_minutes",
        "revocation_dir",
        "require_capture_exclusion",
        "audit_socket",
        "audit_service_user",
        "allow_unprotected_reader_keys",
        "require_sandbox",
        "ship_to",
        "page_view_min_ms",
        "allow_notes",
        "notes_dir",
    }
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigurationError(f"Unknown setting in {source}: {', '.join(unknown)}.")

    def path_value(key: str, default: Path | None) -> Path | None:
        raw = values.get(key)
        if raw is None:
            return default
        if not isinstance(raw, str) or not raw:
            raise ConfigurationError(f"Setting {key} in {source} must be a path.")
        return Path(raw).expanduser()

    def bool_value(key: str, default: bool = False) -> bool:
        raw = values.get(key, default)
        if not isinstance(raw, bool):
            raise ConfigurationError(f"Setting {key} in {source} must be true or false.")
        return raw

    def positive_int(key: str, default: int | None) -> int | None:
        raw = values.get(key, default)
        if raw is None:
            return None
        if not isinstance(raw, int) or isinstance(raw, bool) or raw <= 0:
            raise ConfigurationError(f"Setting {key} in {source} must be a positive number.")
        return raw

    name = values.get("workstation_name", socket.gethostname())
    if not isinstance(name, str) or not name.strip():
        raise ConfigurationError(f"Setting workstation_name in {source} must be text.")
    audit_dir = path_value("audit_dir", home / AUDIT_DIR_NAME)
    key = path_value("workstation_key", home / WORKSTATION_KEY_NAME)
    trust = path_value("trust_store", home / TRUST_STORE_NAME)
    assert audit_dir is not None and key is not None and trust is not None
    service_user = values.get("audit_service_user", "readingroom-audit")
    if not isinstance(service_user, str) or not service_user.strip():
        raise ConfigurationError(f"Setting audit_service_user in {source} must be a user name.")
    return WorkstationConfig(
        home=home,
        source=source,
        workstation_name=name.strip(),
        audit_dir=audit_dir,
        workstation_key=key,
        trust_store=trust,
        allow_any_publisher=bool_value("allow_any_publisher"),
        kiosk=bool_value("kiosk"),
        idle_minutes_max=positive_int("idle_minutes_max", None),
        review_folder=path_value("review_folder", None),
        checkpoint_every_records=positive_int("checkpoint_every_records", 100) or 100,
        checkpoint_every_minutes=positive_int("checkpoint_every_minutes", 10) or 10,
        revocation_dir=path_value("revocation_dir", None),
        require_capture_exclusion=bool_value("require_capture_exclusion"),
        audit_socket=path_value("audit_socket", None),
        audit_service_user=service_user.strip(),
        allow_unprotected_reader_keys=bool_value("allow_unprotected_reader_keys"),
        require_sandbox=bool_value("require_sandbox"),
        ship_to=_text_value(values, "ship_to", source),
        page_view_min_ms=_page_view_min_ms(values, source),
        allow_notes=bool_value("allow_notes", default=True),
        notes_dir=path_value("notes_dir", home / NOTES_DIR_NAME),
    )


def _page_view_min_ms(values: dict[str, Any], source: Path | None) -> int:
    raw = values.get("page_view_min_ms", DEFAULT_PAGE_VIEW_MIN_MS)
    if not isinstance(raw, int) or isinstance(raw, bool) or not 0 <= raw <= MAX_PAGE_VIEW_MIN_MS:
        raise ConfigurationError(
            f"Setting page_view_min_ms in {source} must be a whole number of milliseconds "
            f"from 0 to {MAX_PAGE_VIEW_MIN_MS}."
        )
    return raw


def _text_value(values: dict[str, Any], key: str, source: Path | None) -> str | None:
    raw = values.get(key)
    if raw is not None and (not isinstance(raw, str) or not raw.strip()):
        raise ConfigurationError(f"Setting {key} in {source} must be text.")
    return raw
