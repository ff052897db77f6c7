"""The viewer's style sheets and icons, loaded from package data (``readingroom.resources``)."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from readingroom.resources import resource

APP_ICON = ("icons", "io.github.readingroom.ReadingRoom.svg")


def load_style_sheet(name: str) -> str:
    """The text of ``resources/styles/<name>.qss``, or "" when it cannot be read.

    A missing style sheet only makes the viewer plainer; the curtain stays opaque without it.
    """
    try:
        return resource("styles", f"{name}.qss").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def load_icon(*parts: str) -> QIcon:
    """The icon in ``resources/<parts>``, or a null icon when it is not there.

    A null icon is safe everywhere: a tool button without an icon shows its text instead.
    """
    entry = resource(*parts)
    if not entry.is_file():
        return QIcon()
    # readingroom is always installed unpacked (wheel, editable install, the bundle's folder),
    # so a package-data entry is a file Qt can open by its name; SVG icons are read lazily.
    return QIcon(str(entry))


def action_icon(name: str) -> QIcon:
    """The toolbar and menu icon ``resources/icons/actions/<name>.svg`` (or a null icon)."""
    return load_icon("icons", "actions", f"{name}.svg")
