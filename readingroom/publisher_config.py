"""The publisher's own settings for ``seal``: ``publisher.toml`` in the ReadingRoom home folder.

It is separate from the workstation configuration (which belongs to a reading room, not to
whoever seals) and can only make sealing stricter::

    # Every review file must be locked to designated workstations (seal --workstation).
    require_workstation = true
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from readingroom.config import readingroom_home
from readingroom.errors import ConfigurationError

PUBLISHER_CONFIG_NAME = "publisher.toml"


@dataclass(frozen=True)
class PublisherConfig:
    """What the publisher's organisation requires of every file it seals."""

    source: Path | None = None
    require_workstation: bool = False


def load_publisher_config(home: Path | None = None) -> PublisherConfig:
    """Read ``publisher.toml`` (defaults when there is none).

    Raises:
        ConfigurationError: unreadable, not TOML, an unknown setting or a wrong value.
    """
    path = (home or readingroom_home()) / PUBLISHER_CONFIG_NAME
    if not path.exists():
        return PublisherConfig()
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"The publisher configuration {path} cannot be read.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"The publisher configuration {path} is not valid TOML.") from exc
    unknown = sorted(set(values) - {"require_workstation"})
    if unknown:
        raise ConfigurationError(f"Unknown setting in {path}: {', '.join(unknown)}.")
    required = values.get("require_workstation", False)
    if not isinstance(required, bool):
        raise ConfigurationError(f"Setting require_workstation in {path} must be true or false.")
    return PublisherConfig(source=path, require_workstation=required)
