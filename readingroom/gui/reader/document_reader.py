"""The reading surface: page view, thumbnails, outline and search around one render worker."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QImage, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from readingroom.gui.reader.outline_panel import OutlinePanel
from readingroom.gui.reader.page_view import PageView
from readingroom.gui.reader.reader_actions import ReaderActions, ReaderCommands
from readingroom.gui.reader.reader_layout import (
    ReaderPanels,
    restore_reader_layout,
    save_reader_layout,
)
from readingroom.gui.reader.search_bar import SearchBar
from readingroom.gui.reader.search_controller import SearchController
from readingroom.gui.reader.search_results_list import SearchResultsList
from readingroom.gui.reader.side_panel import DEFAULT_WIDTH as SIDE_PANEL_WIDTH
from readingroom.gui.reader.side_panel import NarrowWindowWatch, SidePanel
from readingroom.gui.reader.thumbnails_panel import ThumbnailsPanel
from readingroom.gui.rendering.page_cache import RenderKey
from readingroom.gui.rendering.page_images import render_page_image
from readingroom.gui.rendering.render_worker import (
    RENDER_HANG_SECONDS,
    THUMBNAIL_CHANNEL,
    VIEW_CHANNEL,
    RenderFunction,
    RenderWorker,
)
from readingroom.viewing.document_model import LinkArea
from readingroom.viewing.navigation_history import NavigationHistory, Place
from readingroom.watermark import WatermarkSpec

__all__ = ["RENDER_HANG_SECONDS", "RESIDENT_MEMORY_CAP_MB", "DocumentReader"]

# Viewer + renderer peak resident memory stays under this while paging any document three
# times through (tests/robustness/test_endurance.py enforces it; docs/reading-speed.md): measured
# 308-335 MB, so a third of margin for noisy machines. Page cache: 12 pages at the current zoom
# (viewing/memory_budget.py); thumbnails 24 MB; the renderer releases MuPDF's state regularly.
RESIDENT_MEMORY_CAP_MB = 500


class DocumentReader(QWidget):
    """Shows a decrypted PDF as watermarked images and lets the reader navigate it.

    The contract the main window codes against::

        current_page_changed = Signal(int)
        searched = Signal(str, int)               # the reader's query and its matches, once
                                                  # the search is done (-1: cut short)
        external_link_blocked = Signal(str)       # "uri", "mailto", "file", "launch", "remote"
        render_failed = Signal(int)               # page index that failed to render
        renderer_unconfined = Signal()            # a renderer runs without its sandbox
        renderer_confined() -> bool               # the current state, as the kernel reports it
        __init__(pdf: bytes | bytearray, watermark: WatermarkSpec, parent=None)
        page_count() -> int; current_page() -> int; go_to_page(index) -> None
        reading_actions() -> list[QAction]        # with shortcuts, for menus and toolbar
        shutdown() -> None                        # stop the worker and renderer, drop caches
        save_layout(QSettings) / restore_layout(QSettings)  # panels and view mode, never the page

    Every page pixel comes from ``render_page_image`` on the render worker's thread, which
    burns the watermark in; PyMuPDF itself runs in the worker's renderer process, so a page
    that hangs or crashes MuPDF (after ``RENDER_HANG_SECONDS``) only fails that page.

    Raises (from ``__init__``):
        DamagedFile: the PDF cannot be opened.
    """

    current_page_changed = Signal(int)
    searched = Signal(str, int)
    external_link_blocked = Signal(str)
    render_failed = Signal(int)
    renderer_unconfined = Signal()  # a renderer process runs without its sandbox

    def __init__(
        self,
        pdf: bytes | bytearray,
        watermark: WatermarkSpec,
        parent: QWidget | None = None,
        *,
        render_function: RenderFunction = render_page_image,
        render_hang_seconds: float = RENDER_HANG_SECONDS,
        worker: RenderWorker | None = None,
    ) -> None:
        """Open ``pdf`` on a new render worker and build the panels.

        ``worker``: a render worker already started for this ``pdf`` and ``watermark``; after
        its ``document_opened`` signal, nothing here waits for the renderer (the viewer's way).
        Without it, this waits (up to a minute) for a new worker to open the document.
        ``render_function`` and ``render_hang_seconds`` exist for tests (a failing renderer, a
        hung renderer given up on sooner). Page time is not measured here: the reading
        session's clock follows the view (``SessionBridge.follow_pages``).
        """
        super().__init__(parent)
        if worker is None:
            worker = RenderWorker(
                pdf, watermark, render_function, self, hang_seconds=render_hang_seconds
            )
            worker.start()
        else:
            worker.setParent(self)
        self._worker = worker
        try:
            info = self._worker.wait_until_open()
        except Exception:
            self._worker.shutdown()
            raise
        self._page_count = len(info.page_sizes)
        self._history = NavigationHistory()
        self._shut_down = False

        self.view = PageView(info.page_sizes, self)
        self.thumbnails = ThumbnailsPanel(info.page_sizes, self)
        self.outline = OutlinePanel(info.outline, self)
        self.search_bar = SearchBar(self)
        self.search_results = SearchResultsList(self)
        self.search = SearchController(
            self._worker,
            self.view,
            self.search_bar,
            self.search_results,
            page_sizes=info.page_sizes,
            band_text=watermark.band_text,
            before_jump=lambda: self._history.push(self._here()),
            parent=self,
        )
        self.side_panel = SidePanel(self)
        self.side_panel.addTab(self.thumbnails, "Pages")
        self.side_panel.addTab(self.outline, "Outline")
        self.side_panel.addTab(self.search_results, "Search")
        self.side_panel.setTabEnabled(1, self.outline.entry_count() > 0)
        self.search_bar.hide()
        self.actions_ = ReaderActions(self.view, self._commands(), self)
        self._build_layout()
        self._panels = ReaderPanels(
            side_panel=self.side_panel,
            pages_tab=self.thumbnails,
            outline_tab=self.outline,
            splitter=self.splitter,
            side_panel_action=self.actions_.side_panel,
            continuous_action=self.actions_.continuous,
            view=self.view,
        )
        self._connect()
        self._narrow_watch = NarrowWindowWatch(
            self, self.side_panel, self.actions_.side_panel.isChecked, self
        )
        self.setFocusProxy(self.view)
        self.view.schedule_requests()

    def _commands(self) -> ReaderCommands:
        return ReaderCommands(
            jump_to_page=self.jump_to_page,
            page_count=self.page_count,
            go_back=self.go_back,
            go_forward=self.go_forward,
            open_search=self.open_search,
            next_hit=self.next_hit,
            previous_hit=self.previous_hit,
            show_side_panel=self.side_panel.setVisible,
        )

    def _build_layout(self) -> None:
        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.search_bar)
        column.addWidget(self.view, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("readerSplitter")
        self.splitter.addWidget(self.side_panel)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([SIDE_PANEL_WIDTH, 800])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.addActions(self.actions_.all())

    def _connect(self) -> None:
        worker, view = self._worker, self.view
        view.images_wanted.connect(lambda keys: worker.set_wanted(VIEW_CHANNEL, keys))
        self.thumbnails.images_wanted.connect(
            lambda keys: worker.set_wanted(THUMBNAIL_CHANNEL, keys)
        )
        worker.page_rendered.connect(self._image_arrived)
        worker.page_failed.connect(self._render_failed)
        worker.renderer_unconfined.connect(self.renderer_unconfined)
        worker.links_found.connect(view.set_links)
        self.search.searched.connect(self.searched)
        view.current_page_changed.connect(self._current_page_changed)
        view.zoom_changed.connect(self._zoom_changed)
        view.link_clicked.connect(self._link_clicked)
        self.thumbnails.page_activated.connect(self.jump_to_page)
        self.outline.page_activated.connect(self.jump_to_page)
        self.search_bar.search_requested.connect(self.run_search)
        self.search_bar.next_requested.connect(self.next_hit)
        self.search_bar.previous_requested.connect(self.previous_hit)
        self.search_bar.closed.connect(self.view.setFocus)

    # The contract.

    def page_count(self) -> int:
        """Number of pages."""
        return self._page_count

    def current_page(self) -> int:
        """0-based index of the page occupying most of the view."""
        return self.view.current_page()

    def go_to_page(self, index: int) -> None:
        """Show page ``index`` (clamped to the document) at its top."""
        self.view.go_to_page(index)

    def reading_actions(self) -> list[QAction]:
        """Navigation, zoom, search and history actions, with their shortcuts."""
        return self.actions_.all()

    def add_side_tab(self, widget: QWidget, title: str) -> None:
        """Add a tab after Pages/Outline/Search (the Notes tab, ``gui/notes_wiring.py``)."""
        self.side_panel.addTab(widget, title)

    def show_side_tab(self, widget: QWidget) -> None:
        """Show the side panel on ``widget``'s tab."""
        self.actions_.side_panel.setChecked(True)
        self.side_panel.setCurrentWidget(widget)

    def renderer_confined(self) -> bool:
        """Whether the renderer process runs in its sandbox (as the kernel reports it)."""
        return self._worker.renderer_confined()

    def shutdown(self) -> None:
        """Stop the render worker and drop every cached image. Safe to call twice."""
        if self._shut_down:
            return
        self._shut_down = True
        self.search.stop()
        self._worker.shutdown()
        self.view.drop_images()
        self.thumbnails.cache.clear()

    # The panel layout, kept between sessions. Only how the reader likes to read is kept:
    # never a page number, a search, or anything else about this document.

    def save_layout(self, settings: QSettings) -> None:
        """Write the side panel, its tab, the splitter, continuous and fit mode to ``settings``."""
        save_reader_layout(self._panels, settings)

    def restore_layout(self, settings: QSettings) -> None:
        """Apply what :meth:`save_layout` wrote; anything missing or malformed is left as is."""
        restore_reader_layout(self._panels, settings)

    # Navigation with history.

    def jump_to_page(self, index: int, y_points: float = 0.0) -> None:
        """Go to ``index`` remembering where we were, so Back returns (outline, links, Ctrl+G)."""
        self._history.push(self._here())
        self.view.go_to_page(index, y_points)

    def go_back(self) -> None:
        """Return to the place before the last jump."""
        place = self._history.back(self._here())
        if place is not None:
            self.view.go_to_page(place.page, place.y_points)

    def go_forward(self) -> None:
        """Redo a jump undone with Back."""
        place = self._history.forward(self._here())
        if place is not None:
            self.view.go_to_page(place.page, place.y_points)

    def _here(self) -> Place:
        page = self.view.current_page()
        top = self.view.verticalScrollBar().value()
        offset = (top - self.view.layout_.page_top(page)) / max(self.view.zoom(), 1e-6)
        return Place(page, max(0.0, offset))

    def _link_clicked(self, link: LinkArea) -> None:
        if link.kind == "internal":
            self.jump_to_page(link.target_page, link.target_y)
        else:
            # Never followed. Only the kind leaves this widget, for the audit log and a notice.
            self.external_link_blocked.emit(link.kind)

    # Search.

    def open_search(self) -> None:
        """Show the search bar with the caret in it (Ctrl+F)."""
        self.search_bar.open()

    def run_search(self, query: str) -> None:
        """Search for ``query`` from the current page on; the first hit is shown as it arrives."""
        self.search.run(query)
        if query.strip():
            self.side_panel.setCurrentWidget(self.search_results)

    def next_hit(self) -> None:
        """Step to the next hit (F3), wrapping at the end."""
        self._step_hit(+1)

    def previous_hit(self) -> None:
        """Step to the previous hit (Shift+F3), wrapping at the start."""
        self._step_hit(-1)

    def _step_hit(self, direction: int) -> None:
        if not self.search_bar.isVisible() and not self.search.has_hits():
            self.open_search()
            return
        self.search.step(direction)

    # Worker results and the current page.

    def _image_arrived(self, key: RenderKey, image: QImage) -> None:
        if self._shut_down:
            return
        if self.search.wants(key):
            self.search.add_page_image(key, image)
            if key.zoom != self.view.zoom():
                return
        if key.thumbnail:
            self.thumbnails.add_image(key, image)
        else:
            self.view.add_image(key, image)

    def _render_failed(self, key: RenderKey) -> None:
        if self._shut_down:
            return
        if key.thumbnail:
            self.thumbnails.mark_failed(key.page)
        else:
            self.view.mark_failed(key.page)
            self.render_failed.emit(key.page)

    def _current_page_changed(self, page: int) -> None:
        self.thumbnails.set_current_page(page)
        self.outline.set_current_page(page)
        self.current_page_changed.emit(page)

    def _zoom_changed(self, zoom: float) -> None:
        self.actions_.zoom_changed(zoom)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Esc closes the search bar first; everything else goes up to the window."""
        if event.key() == Qt.Key.Key_Escape and self.search_bar.isVisible():
            self.search_bar.hide()
            self.view.setFocus()
            event.accept()
            return
        if event.matches(QKeySequence.StandardKey.Find):
            self.open_search()
            event.accept()
            return
        super().keyPressEvent(event)
