"""The reader's actions (with Okular/Evince shortcuts) for the main window's menus and toolbar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from readingroom.gui.reader.page_view import PageView
from readingroom.gui.resources import action_icon
from readingroom.viewing.page_layout import MAX_ZOOM, MIN_ZOOM


@dataclass(frozen=True)
class ReaderCommands:
    """What the actions call beyond the page view: the reader's history, search and panel."""

    jump_to_page: Callable[[int], None]
    page_count: Callable[[], int]
    go_back: Callable[[], None]
    go_forward: Callable[[], None]
    open_search: Callable[[], None]
    next_hit: Callable[[], None]
    previous_hit: Callable[[], None]
    show_side_panel: Callable[[bool], None]


class ReaderActions(QObject):
    """Creates and owns the actions; each one calls the page view or one of the commands.

    The view itself handles the plain navigation keys (PgUp/PgDn, Space, Home/End, arrows) so
    that a focused text field keeps them; the actions carry the modified shortcuts. ``go_to``
    (Ctrl+G) is connected by whoever shows the page field (the reading toolbar): the reader has
    no page field of its own.

    Every text, tooltip and icon here is the viewer's own, never the document's.
    """

    def __init__(self, view: PageView, commands: ReaderCommands, parent: QObject) -> None:
        """Build every action, acting on ``view`` and ``commands``, parented to ``parent``."""
        super().__init__(parent)
        self.previous_page = self._make("Previous page", view.previous_page, icon="previous-page")
        self.next_page = self._make("Next page", view.next_page, icon="next-page")
        self.first_page = self._make(
            "First page", lambda: commands.jump_to_page(0), "Ctrl+Home", icon="first-page"
        )
        self.last_page = self._make(
            "Last page",
            lambda: commands.jump_to_page(commands.page_count() - 1),
            "Ctrl+End",
            icon="last-page",
        )
        self.go_to = self._make("Go to page…", None, "Ctrl+G")
        self.back = self._make("Back", commands.go_back, "Alt+Left", icon="back")
        self.forward = self._make("Forward", commands.go_forward, "Alt+Right", icon="forward")
        self.zoom_in = self._make(
            "Zoom in", view.zoom_in, QKeySequence.StandardKey.ZoomIn, icon="zoom-in"
        )
        # Ctrl+= as well: on most keyboards "+" needs Shift, and people press Ctrl and "=".
        self.zoom_in.setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
        self.zoom_out = self._make("Zoom out", view.zoom_out, "Ctrl+-", icon="zoom-out")
        self.actual_size = self._make(
            "Actual size", lambda: view.set_zoom(1.0), "Ctrl+0", icon="actual-size"
        )
        self.fit_width = self._make("Fit width", view.fit_width, icon="fit-width")
        self.fit_page = self._make("Fit page", view.fit_page, icon="fit-page")
        self.continuous = self._make("Continuous", None, icon="continuous")
        self.continuous.setCheckable(True)
        self.continuous.setChecked(True)
        self.continuous.toggled.connect(view.set_continuous)
        self.find = self._make("Find…", commands.open_search, "Ctrl+F", icon="find")
        self.find_next = self._make("Find next", commands.next_hit, "F3")
        self.find_previous = self._make("Find previous", commands.previous_hit, "Shift+F3")
        self.side_panel = self._make("Side panel", None, "F7", icon="side-panel")
        self.side_panel.setCheckable(True)
        self.side_panel.setChecked(True)
        self.side_panel.toggled.connect(commands.show_side_panel)
        for action in self.all():
            _describe(action)

    def groups(self) -> list[list[QAction]]:
        """The actions in menu order, in groups that a menu separates."""
        return [
            [self.previous_page, self.next_page, self.first_page, self.last_page, self.go_to],
            [self.back, self.forward],
            [self.zoom_in, self.zoom_out, self.actual_size, self.fit_width, self.fit_page],
            [self.continuous, self.side_panel],
            [self.find, self.find_next, self.find_previous],
        ]

    def all(self) -> list[QAction]:
        """Every action, in menu order."""
        return [action for group in self.groups() for action in group]

    def zoom_changed(self, zoom: float) -> None:
        """Disable zoom steps that would go past 50 % or 800 %."""
        self.zoom_in.setEnabled(zoom < MAX_ZOOM - 1e-6)
        self.zoom_out.setEnabled(zoom > MIN_ZOOM + 1e-6)

    def _make(
        self,
        text: str,
        slot: object,
        shortcut: str | QKeySequence.StandardKey | None = None,
        *,
        icon: str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if icon is not None:
            action.setIcon(action_icon(icon))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if callable(slot):
            action.triggered.connect(lambda _checked=False, call=slot: call())
        return action


def _describe(action: QAction) -> None:
    """Give ``action`` a tooltip that names it and its first shortcut, e.g. "Zoom in (Ctrl++)".

    The toolbar shows icons only, so the tooltip is where the words and the key are learnt.
    """
    text = action.text().rstrip("…")
    shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{text} ({shortcut})" if shortcut else text)
