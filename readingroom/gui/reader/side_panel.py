"""The reader's side panel: its tabs all in sight, and out of the way when the window is narrow.

Four tabs share it (Pages, Outline, Search and Notes): at the default width every tab's title
shows in full, never behind scroll arrows. When the reading window gets narrower than
``NARROW_WIDTH`` the panel hides itself so the page keeps a readable width, and it comes back
when the window is wide again, unless the reader closed it meanwhile (their choice is the side
panel action's state, which this never changes).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QTabWidget, QWidget

# Room for four short tab titles side by side with the style's padding, and for a search hit's
# line crop at a readable size.
DEFAULT_WIDTH = 300
MINIMUM_WIDTH = 240
# Below this reader width the page would be squeezed to a strip: the panel steps aside.
NARROW_WIDTH = 760
# It comes back only this much wider, so a window resized around the limit does not flicker.
HYSTERESIS = 40


class SidePanel(QTabWidget):
    """A tab widget whose tabs share its width instead of scrolling."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty panel; the reader adds its tabs."""
        super().__init__(parent)
        self.setObjectName("readerSidePanel")
        self.setDocumentMode(True)
        self.setUsesScrollButtons(False)
        self.setMinimumWidth(MINIMUM_WIDTH)
        self.setElideMode(Qt.TextElideMode.ElideNone)
        self.tabBar().setExpanding(True)

    def tabs_fit(self) -> bool:
        """Whether every tab's title shows in full at the panel's current width."""
        bar = self.tabBar()
        needed = sum(bar.tabSizeHint(i).width() for i in range(bar.count()))
        return needed <= self.width()


class NarrowWindowWatch(QObject):
    """Hides the side panel while ``window`` is narrow and shows it again when it widens."""

    def __init__(
        self, window: QWidget, panel: QWidget, wanted: Callable[[], bool], parent: QObject
    ) -> None:
        """Watch ``window``'s resizes; ``wanted`` says whether the reader wants the panel."""
        super().__init__(parent)
        self._window, self._panel, self._wanted = window, panel, wanted
        self.stepped_aside = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """On each resize of the window, hide or bring back the panel."""
        if watched is self._window and event.type() == QEvent.Type.Resize:
            self.update()
        return False

    def update(self) -> None:
        """Apply the rule for the window's current width."""
        width = self._window.width()
        if width < NARROW_WIDTH and self._panel.isVisibleTo(self._window):
            self._panel.hide()
            self.stepped_aside = True
        elif width >= NARROW_WIDTH + HYSTERESIS and self.stepped_aside:
            self.stepped_aside = False
            if self._wanted():
                self._panel.show()
