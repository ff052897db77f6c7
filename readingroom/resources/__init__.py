"""The viewer's style sheets and icons and the sample's source, shipped as package data.

Everything here is found with :mod:`importlib.resources`, never by probing folders, so a source
checkout, an installed wheel and the PyInstaller bundle (which keeps ``readingroom/resources``
under its own folder) find the same files the same way.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def resource(*parts: str) -> Traversable:
    """The package-data entry ``readingroom/resources/<parts>`` (which may not exist)."""
    return files(__name__).joinpath(*parts)
