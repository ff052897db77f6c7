"""Finding ``resources/`` files (style sheets, icons) from a checkout, a wheel or a bundle."""

from __future__ import annotations

import sys
from importlib import resources as importlib_resources
from pathlib import Path

from PySide6.QtGui import QIcon

APP_ICON = ("icons", "io.github.readingroom.ReadingRoom.svg")


def _candidate_folders() -> list[Path]:
    folders: list[Path] = []
    # A PyInstaller bundle unpacks data files under sys._MEIPASS/resources.
    bundle = getattr(sys, "_MEIPASS", None)
    if isinstance(bundle, str):
        folders.append(Path(bundle) / "resources")
    # An installed package may ship them as package data (readingroom/resources).
    package_root = importlib_resources.files("readingroom")
    folders.append(Path(str(package_root)) / "resources")
    # A source checkout: resources/ sits next to the readingroom package.
    folders.append(Path(__file__).resolve().parents[2] / "resources")
    return folders


def resource_path(*parts: str) -> Path | None:
    """The first existing ``resources/<parts>`` file, or None."""
    for folder in _candidate_folders():
        candidate = folder.joinpath(*parts)
        if candidate.is_file():
            return candidate
    return None


def load_style_sheet(name: str) -> str:
    """The text of ``resources/styles/<name>.qss``, or "" when it is not installed.

    A missing style sheet only makes the viewer plainer; the curtain stays opaque without it.
    """
    path = resource_path("styles", f"{name}.qss")
    if path is None:
        return ""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def load_icon(*parts: str) -> QIcon:
    """The icon in ``resources/<parts>``, or a null icon when it is not installed.

    A null icon is safe everywhere: a tool button without an icon shows its text instead.
    """
    path = resource_path(*parts)
    return QIcon(str(path)) if path is not None else QIcon()


def action_icon(name: str) -> QIcon:
    """The toolbar and menu icon ``resources/icons/actions/<name>.svg`` (or a null icon)."""
    return load_icon("icons", "actions", f"{name}.svg")
