"""The toolbar's zoom indicator: the zoom in per cent, and a menu of fit modes and presets."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

# The presets a reader expects in a PDF reader's zoom menu (within the view's 50-800 % range).
ZOOM_PRESETS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0)


def percent_text(zoom: float) -> str:
    """``zoom`` as the indicator shows it, e.g. 1.25 -> "125%"."""
    return f"{round(zoom * 100)}%"


class ZoomButton(QToolButton):
    """Shows the current zoom; clicking it offers the fit modes and the preset zooms."""

    zoom_chosen = Signal(float)  # a preset the reader picked, as a factor (1.0 is 100 %)

    def __init__(self, fit_actions: Sequence[QAction], parent: QWidget | None = None) -> None:
        """Build the button; ``fit_actions`` (fit width, fit page) head its menu."""
        super().__init__(parent)
        self.setObjectName("zoomIndicator")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolTip("Zoom: choose a fit mode or a size")
        self.setAccessibleName("Zoom")
        # Wide enough for "800%" so the toolbar does not shift as the zoom changes.
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("800%") + 28)
        menu = QMenu(self)
        menu.addActions(list(fit_actions))
        menu.addSeparator()
        for zoom in ZOOM_PRESETS:
            preset = menu.addAction(percent_text(zoom))
            preset.triggered.connect(lambda _checked=False, z=zoom: self.zoom_chosen.emit(z))
        self.setMenu(menu)
        self.set_zoom(1.0)

    def set_zoom(self, zoom: float) -> None:
        """Show ``zoom`` (a factor) as a percentage."""
        self.setText(percent_text(zoom))
