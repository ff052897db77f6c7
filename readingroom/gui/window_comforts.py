"""The reader's comforts around the reading window, kept out of the window's own module.

- Ending asks first: Ctrl+W, Document > End session / Close, the kiosk's "End session" button
  and a window manager's close (Alt+F4, the title bar) ask "End this reading session?"; on
  "End session" the session is ended (``session_ended`` written once, by the window), and the
  ended curtain shows the short summary (time read, pages seen) as its own text block above its
  Close button (Enter or Escape): one screen, no box drawn over it. A close that nobody typed (a
  stop signal, the launcher, a test) never asks: it ends the session at once.
- The Help menu: the keyboard shortcuts and "About this reading room".
- The warning a minute before the idle lock ("Move the mouse to keep reading").
- The inverted (high-contrast) page mode.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QMenuBar,
    QMessageBox,
    QSizePolicy,
    QToolBar,
    QToolButton,
    QWidget,
)

from readingroom.gui.dialogs.end_session_dialog import end_question
from readingroom.gui.dialogs.help_dialogs import about_box, shortcuts_box
from readingroom.gui.idle_monitor import IdleMonitor
from readingroom.gui.reader.page_view import PageView
from readingroom.viewing.reading_tally import ReadingTally

if TYPE_CHECKING:
    pass

IDLE_WARNING_TEXT = "Move the mouse to keep reading. The reading room locks in {when}."


def idle_warning_text(lead_ms: int) -> str:
    """The banner's sentence when the lock comes ``lead_ms`` after the warning."""
    seconds = round(lead_ms / 1000)
    when = "a minute" if seconds == 60 else f"{seconds} second" + ("" if seconds == 1 else "s")
    return IDLE_WARNING_TEXT.format(when=when)


INVERT_TEXT = "Inverted colours"


def end_shortcuts() -> list[QKeySequence]:
    """Ctrl+W everywhere, and the platform's own Close keys (Ctrl+F4 on some)."""
    keys = [QKeySequence("Ctrl+W")]
    for sequence in QKeySequence.keyBindings(QKeySequence.StandardKey.Close):
        if sequence not in keys:
            keys.append(sequence)
    return keys


class WindowComforts(QObject):
    """Asking before ending, the summary, Help, the idle warning and the inverted mode."""

    def __init__(
        self,
        window: QMainWindow,
        *,
        tally: Callable[[], ReadingTally],
        end: Callable[[], None],
        close: Callable[[], None],
        ended: Callable[[], bool],
    ) -> None:
        """Serve ``window``.

        Args:
            window: the reading window (parent of the boxes and the warning banner).
            tally: the session's reading so far (visible time, pages seen), for the summary.
            end: ends the session (reason "closed"), covering the page and recording it.
            close: closes the window for good (the session is over by then).
            ended: whether the session has already ended (then nothing is asked).
        """
        super().__init__(window)
        self._window = window
        self._end = end
        self._close = close
        self._ended = ended
        self._tally = tally
        self.question: QMessageBox | None = None
        self._banner = QLabel(window)
        self._banner.setObjectName("idleWarning")
        self._banner.setTextFormat(Qt.TextFormat.PlainText)
        self._banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._banner.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        # Opaque even before the style sheet (viewer.qss, #idleWarning) is applied.
        self._banner.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._banner.setAutoFillBackground(True)
        self._banner.hide()
        window.installEventFilter(self)

    # ----- ending ------------------------------------------------------------------------------

    @property
    def tally(self) -> ReadingTally:
        """The reading so far, as the session's page time has it (the curtain's summary)."""
        return self._tally()

    def ask_to_end(self) -> None:
        """Ask "End this reading session?"; once ended, close without asking."""
        if self._ended():
            self._close()
            return
        if self.question is not None:
            self.question.raise_()
            return
        box, end_button = end_question(self._window)
        self.question = box
        box.finished.connect(lambda _result: self._answered(box.clickedButton() is end_button))
        box.open()

    def should_ask(self) -> bool:
        """True when a close from outside (a window manager's) must ask first."""
        return not self._ended()

    def _answered(self, end: bool) -> None:
        self.question = None
        if not end or self._ended():
            return
        # The window covers the page with the ended curtain, which carries the summary.
        self._end()

    def session_stopped(self) -> None:
        """The session ended another way (expiry, idle, audit failure): drop the question."""
        self.hide_warning()
        if self.question is not None:
            question, self.question = self.question, None
            question.close()

    # ----- help ----------------------------------------------------------------------------------

    def add_help_menu(self, menu_bar: QMenuBar) -> None:
        """Add Help > Keyboard shortcuts (F1) and Help > About this reading room."""
        menu = menu_bar.addMenu("&Help")
        shortcuts = menu.addAction("Keyboard shortcuts")
        shortcuts.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        shortcuts.setObjectName("helpShortcuts")
        shortcuts.triggered.connect(lambda: _open_once(shortcuts_box(self._window)))
        about = menu.addAction("About this reading room")
        about.setObjectName("helpAbout")
        about.triggered.connect(lambda: _open_once(about_box(self._window)))

    # ----- kiosk ---------------------------------------------------------------------------------

    def add_end_button(self, toolbar: QToolBar, end_action: QAction) -> None:
        """Put a labelled "End session" button at the toolbar's right end (kiosk mode)."""
        spacer = QWidget(toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addAction(end_action)
        button = toolbar.widgetForAction(end_action)
        if isinstance(button, QToolButton):
            button.setObjectName("endSessionButton")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

    # ----- inverted pages ----------------------------------------------------------------------

    def invert_action(self, view: PageView) -> QAction:
        """A checkable View action (Ctrl+I) that shows pages light on black."""
        action = QAction(INVERT_TEXT, self._window)
        action.setObjectName("invertColours")
        action.setCheckable(True)
        action.setShortcut(QKeySequence("Ctrl+I"))
        action.toggled.connect(view.set_inverted)
        return action

    # ----- the idle warning --------------------------------------------------------------------

    def idle_monitor(self, interval_ms: int) -> IdleMonitor:
        """The window's idle monitor, its warning shown as a banner over the page."""
        idle = IdleMonitor(interval_ms, self._window)
        self._banner.setText(idle_warning_text(idle.interval_ms() - idle.warning_interval_ms()))
        idle.idle_warning.connect(self.show_warning)
        idle.warning_withdrawn.connect(self.hide_warning)
        return idle

    def show_warning(self) -> None:
        """Show the banner over the top of the page area."""
        if self._ended():
            return
        self._place_banner()
        self._banner.show()
        self._banner.raise_()

    def hide_warning(self) -> None:
        """Hide the banner."""
        self._banner.hide()

    def warning_shown(self) -> bool:
        """True while the idle warning is visible."""
        return self._banner.isVisible()

    def _place_banner(self) -> None:
        # A third of the way down the page area: clear of the watermark's band at the page's
        # top edge, and where the reader's eyes are.
        centre = self._window.centralWidget()
        area = centre.geometry() if centre is not None else self._window.rect()
        hint = self._banner.sizeHint()
        width = min(area.width() - 20, hint.width() + 48)
        height = hint.height() + 20
        top = area.y() + area.height() // 3 - height // 2
        self._banner.setGeometry(area.x() + (area.width() - width) // 2, top, width, height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Keep the banner placed when the window is resized; never consumes events."""
        resized = watched is self._window and event.type() == QEvent.Type.Resize
        if resized and self._banner.isVisible():
            self._place_banner()
        return False


def _open_once(dialog: QDialog) -> None:
    # Built afresh each time it is asked for, so freed when closed.
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.open()
