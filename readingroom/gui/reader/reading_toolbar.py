"""The reading toolbar: icon buttons in the groups people know from PDF readers.

Side panel | back, forward | previous page, page field "of N", next page | zoom out, zoom
indicator, zoom in | fit width, fit page, continuous | (space) | find. Every button's words are
in its tooltip; every action is in the View menu too, with its shortcut.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QSizePolicy, QToolBar, QWidget

from readingroom.gui.reader.page_field import PageField
from readingroom.gui.reader.page_view import PageView
from readingroom.gui.reader.reader_actions import ReaderActions
from readingroom.gui.reader.zoom_button import ZoomButton

ICON_SIZE = 20


class ReadingToolbar(QToolBar):
    """The toolbar of one reader: its actions, its page field and its zoom indicator."""

    def __init__(
        self,
        actions: ReaderActions,
        view: PageView,
        jump_to_page: Callable[[int], None],
        parent: QWidget | None = None,
    ) -> None:
        """Lay out ``actions`` and wire the page field and zoom indicator to ``view``.

        ``jump_to_page`` is how the page field moves (the reader's, so that Back returns).
        """
        super().__init__("Reading", parent)
        self.setObjectName("readingToolbar")
        self.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.page_field = PageField(view.page_count(), self)
        self.zoom_button = ZoomButton([actions.fit_width, actions.fit_page], self)

        self.addAction(actions.side_panel)
        self.addSeparator()
        self.addActions([actions.back, actions.forward])
        self.addSeparator()
        self.addAction(actions.previous_page)
        self.addWidget(self.page_field)
        self.addAction(actions.next_page)
        self.addSeparator()
        self.addAction(actions.zoom_out)
        self.addWidget(self.zoom_button)
        self.addAction(actions.zoom_in)
        self.addSeparator()
        self.addActions([actions.fit_width, actions.fit_page, actions.continuous])
        spacer = QWidget(self)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.addWidget(spacer)
        self.addAction(actions.find)

        self.page_field.set_current_page(view.current_page())
        self.zoom_button.set_zoom(view.zoom())
        view.current_page_changed.connect(self.page_field.set_current_page)
        self.page_field.page_entered.connect(jump_to_page)
        self.page_field.entry_finished.connect(view.setFocus)
        actions.go_to.triggered.connect(self.page_field.focus_and_select)
        view.zoom_changed.connect(self.zoom_button.set_zoom)
        self.zoom_button.zoom_chosen.connect(view.set_zoom)
