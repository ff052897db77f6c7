"""The Qt binding must not leak references to None, True or False.

PySide6 6.12.0 takes one reference from ``None`` on calls such as ``QTimer.start()`` and
``QWidget.update()``. Python 3.11 still deallocates ``None`` when its count reaches zero, so the
viewer aborted ("Fatal Python error: none_dealloc") after a few hundred page turns. pyproject.toml
pins PySide6 below 6.12 on Python < 3.12; this test catches the next binding with the same bug.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget

CALLS = 500


def _paint_once(image: QImage) -> None:
    painter = QPainter(image)
    painter.end()


@pytest.mark.parametrize("which", ["timer_start", "widget_update", "painter_end"])
def test_ordinary_calls_keep_the_singletons_alive(qapp: QApplication, which: str) -> None:
    widget = QWidget()
    timer = QTimer()
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    calls: dict[str, Callable[[], object]] = {
        "timer_start": lambda: timer.start(60_000),
        "widget_update": widget.update,
        "painter_end": lambda: _paint_once(image),
    }
    before = [sys.getrefcount(value) for value in (None, True, False)]
    for _ in range(CALLS):
        calls[which]()
    after = [sys.getrefcount(value) for value in (None, True, False)]
    timer.stop()
    # A healthy binding leaves the counts where they were (give or take a few references held
    # by Qt's own bookkeeping); the broken one loses one per call.
    assert all(a >= b - 10 for a, b in zip(after, before, strict=True)), (before, after)
