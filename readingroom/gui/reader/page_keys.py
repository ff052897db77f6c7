"""Keyboard navigation of the page view, the keys of Okular and Evince.

PgUp/PgDn and Space/Shift+Space move a screenful, Home/End go to the first and last page, the
arrows scroll a line (or turn the page at an edge in page-by-page mode). The view passes itself in
as a :class:`PagedView`; this module holds no state.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QScrollBar, QWidget

from readingroom.viewing.page_layout import PAGE_GAP, PageLayout

SCROLL_STEP = 40


class PagedView(Protocol):
    """What keyboard navigation needs of the page view."""

    layout_: PageLayout

    def current_page(self) -> int:
        """The page occupying most of the viewport."""
        ...

    def go_to_page(self, page: int, y_points: float = 0.0) -> None:
        """Show ``page`` (clamped)."""
        ...

    def verticalScrollBar(self) -> QScrollBar:  # noqa: N802 - Qt's name
        """The vertical scroll bar."""
        ...

    def horizontalScrollBar(self) -> QScrollBar:  # noqa: N802 - Qt's name
        """The horizontal scroll bar."""
        ...

    def viewport(self) -> QWidget:
        """The widget the pages are painted on."""
        ...


def handle_key(view: PagedView, event: QKeyEvent) -> bool:
    """Act on a navigation key; False when ``event`` is not one (the caller passes it on)."""
    key, modifiers = event.key(), event.modifiers()
    shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
    if key == Qt.Key.Key_PageDown or (key == Qt.Key.Key_Space and not shift):
        _screen_step(view, +1)
    elif key == Qt.Key.Key_PageUp or (key == Qt.Key.Key_Space and shift):
        _screen_step(view, -1)
    elif key == Qt.Key.Key_Home:
        view.go_to_page(0)
    elif key == Qt.Key.Key_End:
        view.go_to_page(view.layout_.page_count - 1)
    elif key == Qt.Key.Key_Down:
        _line_step(view, +1)
    elif key == Qt.Key.Key_Up:
        _line_step(view, -1)
    elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
        step = -1 if key == Qt.Key.Key_Left else +1
        horizontal = view.horizontalScrollBar()
        if horizontal.maximum() > 0:
            horizontal.setValue(horizontal.value() + step * SCROLL_STEP)
        else:
            view.go_to_page(view.current_page() + step)
    else:
        return False
    return True


def _screen_step(view: PagedView, direction: int) -> None:
    """A screenful; a page that fits the screen moves by whole pages, like Evince."""
    viewport_height = view.viewport().height()
    vertical = view.verticalScrollBar()
    current = view.current_page()
    fits = view.layout_.box(current).height + 2 * PAGE_GAP <= viewport_height
    at_edge = (
        vertical.value() >= vertical.maximum()
        if direction > 0
        else vertical.value() <= vertical.minimum()
    )
    if fits or (at_edge and not view.layout_.continuous):
        view.go_to_page(current + direction)
        return
    vertical.setValue(vertical.value() + direction * round(viewport_height * 0.9))


def _line_step(view: PagedView, direction: int) -> None:
    vertical = view.verticalScrollBar()
    if not view.layout_.continuous and (
        (direction > 0 and vertical.value() >= vertical.maximum())
        or (direction < 0 and vertical.value() <= vertical.minimum())
    ):
        view.go_to_page(view.current_page() + direction)
        return
    vertical.setValue(vertical.value() + direction * SCROLL_STEP)
