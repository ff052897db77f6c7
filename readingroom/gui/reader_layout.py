"""The reading surface's panel layout, kept between sessions in the viewer's layout file.

Only how the reader likes to read is kept: whether the side panel is shown and which of its
tabs (pages or outline), the splitter, continuous or page-at-a-time, and fit width or fit page.
Never a page number, a search, a zoom level picked for one document, or anything else about the
document: the file lives in the reader's folder, outside the audit log's protection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

from readingroom.gui.widgets.page_view import FIT_PAGE, FIT_WIDTH

if TYPE_CHECKING:
    from readingroom.gui.document_reader import DocumentReader

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


def save_reader_layout(reader: DocumentReader, settings: QSettings) -> None:
    """Write ``reader``'s panel layout and view mode to ``settings``."""
    tab = "outline" if reader.side_panel.currentWidget() is reader.outline else "pages"
    settings.setValue(SIDE_PANEL_VISIBLE, reader.actions_.side_panel.isChecked())
    settings.setValue(SIDE_PANEL_TAB, tab)
    settings.setValue(SPLITTER, reader.splitter.saveState())
    settings.setValue(CONTINUOUS, reader.view.is_continuous())
    mode = reader.view.zoom_mode()
    # A custom zoom was chosen for one document's pages; only the fit modes carry over.
    if mode in (FIT_WIDTH, FIT_PAGE):
        settings.setValue(ZOOM_MODE, mode)
    else:
        settings.remove(ZOOM_MODE)


def restore_reader_layout(reader: DocumentReader, settings: QSettings) -> None:
    """Apply what :func:`save_reader_layout` wrote; a missing or odd value is left at default.

    The file is the reader's own to edit, so every value is checked rather than trusted.
    """
    visible = settings.value(SIDE_PANEL_VISIBLE)
    if visible is not None:
        reader.actions_.side_panel.setChecked(_as_bool(visible))
    # The search tab is never restored: its results belong to one document's session.
    if settings.value(SIDE_PANEL_TAB) == "outline" and reader.side_panel.isTabEnabled(1):
        reader.side_panel.setCurrentWidget(reader.outline)
    else:
        reader.side_panel.setCurrentWidget(reader.thumbnails)
    state = settings.value(SPLITTER)
    if isinstance(state, QByteArray | bytes):
        reader.splitter.restoreState(QByteArray(state))
    continuous = settings.value(CONTINUOUS)
    if continuous is not None:
        reader.actions_.continuous.setChecked(_as_bool(continuous))
    mode = settings.value(ZOOM_MODE)
    if mode == FIT_PAGE:
        reader.view.fit_page()
    elif mode == FIT_WIDTH:
        reader.view.fit_width()
