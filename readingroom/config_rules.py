"""Which configuration files may be believed, and how a per-user file may change the system's.

*System files* are the system-wide configuration (``/etc/readingroom/workstation.toml`` on
Linux; see ``config.system_config_path``) and, while it is in force, the trust store it names
(by default ``trusted-publishers.json`` beside it). They are used only if the file and every
folder above it belong to root and are writable by neither group nor others (a root-owned
sticky folder such as ``/tmp`` is allowed above). *Per-user files* (``workstation.toml`` and the
trust store in the ReadingRoom home) must belong to the user or root and be writable by
neither group nor others, as must their folder.

With a system configuration in force, a per-user file may only make things stricter:
``allow_*`` only to false, ``require_*`` and ``kiosk`` only to true, ``*_max``,
``checkpoint_every_*`` and ``page_view_min_ms`` only lower (a lower one records more); any
other setting in it is refused. (POSIX only: on Windows the installer sets the ACL of the
ProgramData folder.)
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from readingroom.errors import ConfigurationError

_WRITABLE_BY_OTHERS = stat.S_IWGRP | stat.S_IWOTH
# Settings a per-user file may only lower, besides ``*_max`` and ``checkpoint_every_*``.
_LOWER_ONLY = frozenset({"page_view_min_ms"})


def check_system_file(path: Path, what: str) -> None:
    """Refuse a system file unless it and every folder above it are root's alone.

    Raises:
        ConfigurationError: another user owns, or group or others may write, any of them.
    """
    if os.name != "posix":
        return
    real = Path(os.path.realpath(path))
    for candidate in (real, *real.parents):
        _check(candidate, what, path, owners=frozenset({0}), allow_sticky=candidate != real)


def check_user_file(path: Path, what: str) -> None:
    """Refuse a per-user file (or its folder) that others may change.

    Raises:
        ConfigurationError: owned by another user, or writable by group or others.
    """
    if os.name != "posix":
        return
    owners = frozenset({0, os.getuid()})
    for candidate in (path, path.parent):
        _check(candidate, what, path, owners=owners, allow_sticky=False)


def _check(
    candidate: Path, what: str, path: Path, *, owners: frozenset[int], allow_sticky: bool
) -> None:
    try:
        info = candidate.stat()
    except OSError as exc:
        raise ConfigurationError(f"The {what} {path} cannot be read.") from exc
    sticky = allow_sticky and stat.S_ISDIR(info.st_mode) and info.st_mode & stat.S_ISVTX
    if info.st_uid not in owners:
        raise ConfigurationError(
            f"The {what} {path} is not used: {candidate} belongs to another user "
            f"(it must belong to {'root' if owners == {0} else 'you or root'})."
        )
    if info.st_mode & _WRITABLE_BY_OTHERS and not (sticky and info.st_uid == 0):
        raise ConfigurationError(
            f"The {what} {path} is not used: {candidate} is writable by every user or by its "
            "group, which is unsafe. Remove that permission (chmod go-w)."
        )


def stricter_values(
    system: dict[str, Any], system_effective: dict[str, Any], user: dict[str, Any], source: Path
) -> dict[str, Any]:
    """The system settings, tightened (never loosened) by a per-user file's.

    Args:
        system: the system file's settings.
        system_effective: every setting's value in force under the system file (defaults too).
        user: the per-user file's settings (already checked for type).
        source: the per-user file, for messages.

    Raises:
        ConfigurationError: the per-user file tries to loosen or to set a system-only setting.
    """
    merged = dict(system)
    for key, value in user.items():
        current = system_effective.get(key)
        if key.startswith("allow_"):
            loosens = bool(value) and not current
        elif key.startswith("require_") or key == "kiosk":
            loosens = not value and bool(current)
        elif key.endswith("_max") or key.startswith("checkpoint_every_") or key in _LOWER_ONLY:
            loosens = current is not None and value > current
        else:
            raise ConfigurationError(
                f"Setting {key} in {source} is not used: on this workstation only the system "
                "configuration sets it."
            )
        if loosens:
            raise ConfigurationError(
                f"Setting {key} in {source} would loosen the system configuration, "
                "which a per-user file may not do."
            )
        merged[key] = value
    return merged
