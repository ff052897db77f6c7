"""The reading surface's panel layout, kept between sessions in the viewer's layout file.

Only how the reader likes to read is kept: whether the side panel is shown and which of its
tabs (pages or outline), the splitter, continuous or page-at-a-time, and fit width or fit page.
Never a page number, a search, a zoom level picked for one document, or anything else about the
document: the file lives in the reader's folder, outside the audit log's protection.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QSplitter, QTabWidget, QWidget

from readingroom.gui.reader.page_view import FIT_PAGE, FIT_WIDTH, PageView

SIDE_PANEL_VISIBLE = "reader/side_panel_visible"
SIDE_PANEL_TAB = "reader/side_panel_tab"
SPLITTER = "reader/splitter"
CONTINUOUS = "reader/continuous"
ZOOM_MODE = "reader/zoom_mode"


def _as_bool(value: object) -> bool:
    # An INI file gives back the strings "true"/"false" for what was written as a bool.
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


@dataclass(frozen=True)
class ReaderPanels:
    """The parts of a reader whose layout is kept: handed over by the reader that owns them."""

    side_panel: QTabWidget
    pages_tab: QWidget
    outline_tab: QWidget
    splitter: QSplitter
    side_panel_action: QAction
    continuous_action: QAction
    view: PageView


def save_reader_layout(panels: ReaderPanels, settings: QSettings) -> None:
    """Write the panel layout and view mode of ``panels`` to ``settings``."""
    tab = "outline" if panels.side_panel.currentWidget() is panels.outline_tab else "pages"
    settings.setValue(SIDE_PANEL_VISIBLE, panels.side_panel_action.isChecked())
    settings.setValue(SIDE_PANEL_TAB, tab)
    settings.setValue(SPLITTER, panels.splitter.saveState())
    settings.setValue(CONTINUOUS, panels.view.is_continuous())
    mode = panels.view.zoom_mode()
    # A custom zoom was chosen for one document's pages; only the fit modes carry over.
    if mode in (FIT_WIDTH, FIT_PAGE):
        settings.setValue(ZOOM_MODE, mode)
    else:
        settings.remove(ZOOM_MODE)


def restore_reader_layout(panels: ReaderPanels, settings: QSettings) -> None:
    """Apply what :func:`save_reader_layout` wrote; a missing or odd value is left at default.

    The file is the reader's own to edit, so every value is checked rather than trusted.
    """
    visible = settings.value(SIDE_PANEL_VISIBLE)
    if visible is not None:
        panels.side_panel_action.setChecked(_as_bool(visible))
    # The search tab is never restored: its results belong to one document's session.
    outline_index = panels.side_panel.indexOf(panels.outline_tab)
    if settings.value(SIDE_PANEL_TAB) == "outline" and panels.side_panel.isTabEnabled(
        outline_index
    ):
        panels.side_panel.setCurrentWidget(panels.outline_tab)
    else:
        panels.side_panel.setCurrentWidget(panels.pages_tab)
    state = settings.value(SPLITTER)
    if isinstance(state, QByteArray | bytes):
        panels.splitter.restoreState(QByteArray(state))
    continuous = settings.value(CONTINUOUS)
    if continuous is not None:
        panels.continuous_action.setChecked(_as_bool(continuous))
    mode = settings.value(ZOOM_MODE)
    if mode == FIT_PAGE:
        panels.view.fit_page()
    elif mode == FIT_WIDTH:
        panels.view.fit_width()
