"""Walking the widget tree for text, to prove that no document text reached the screen.

A canary word from the test PDF must never appear in anything this returns.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QTabBar,
    QWidget,
)


def model_strings(model: QAbstractItemModel, parent: QModelIndex | None = None) -> list[str]:
    """Every value of every role of every item (images excepted), recursively."""
    if parent is None:
        parent = QModelIndex()
    try:
        columns = max(1, model.columnCount(parent))
    except TypeError:  # list models keep columnCount private
        columns = 1
    roles = [*range(0, 40), *range(Qt.ItemDataRole.UserRole, Qt.ItemDataRole.UserRole + 20)]
    found: list[str] = []
    for row in range(model.rowCount(parent)):
        for column in range(columns):
            index = model.index(row, column, parent)
            for role in roles:
                value = model.data(index, role)
                if value is not None and not isinstance(value, QImage):
                    found.append(str(value))
            found += model_strings(model, index)
    return found


def widget_strings(widget: QWidget) -> list[str]:
    """Every string a widget can show or announce: titles, tips, accessible text, tabs, items."""
    texts = [
        widget.windowTitle(),
        widget.toolTip(),
        widget.statusTip(),
        widget.whatsThis(),
        widget.accessibleName(),
        widget.accessibleDescription(),
    ]
    if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
        texts.append(widget.text())
    if isinstance(widget, QLineEdit):
        texts.append(widget.placeholderText())
    if isinstance(widget, QTabBar):
        for tab in range(widget.count()):
            texts += [widget.tabText(tab), widget.tabToolTip(tab)]
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        texts += model_strings(widget.model())
    for action in widget.actions():
        texts += [action.text(), action.toolTip(), action.statusTip(), action.whatsThis()]
    return texts
