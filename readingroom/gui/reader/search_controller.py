"""Searching the document as Okular does: from the page being read, round to it, hit by hit.

The render worker searches page by page in the renderer process, starting at the current page
and wrapping round; what comes back is boxes, never text (viewing/text_search.py). This keeps
the hits, steps through them (F3 / Shift+F3 / Enter, wrapping at either end), fills the results
list with one row per line that holds hits (two hits on a line are one row, its picture showing
both) and asks the worker for the watermarked page images that the lines' crops are cut from
(search_crops.py). When a search has run through every page, ``searched`` carries the
query and the number of matches for the audit log; a search cut short by a new one, or by the
end of the session, is reported with -1 (hits unknown) so that it is recorded all the same.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from readingroom.gui.reader.page_view import PageView
from readingroom.gui.reader.search_bar import SearchBar
from readingroom.gui.reader.search_crops import CROP_ZOOM, context_box, crop_image
from readingroom.gui.reader.search_results_list import SearchResultsList
from readingroom.gui.rendering.page_cache import RenderKey
from readingroom.gui.rendering.render_worker import CROP_CHANNEL, RenderWorker
from readingroom.viewing.document_model import HighlightRect
from readingroom.viewing.text_search import HitPart

# A hit: its page and its number among the matches that start on that page.
Hit = tuple[int, int]
UNKNOWN_HITS = -1
CROP_PAGES_WHILE_SEARCHING = 3
# Crops are drawn for the rows in sight and this many rows above and below them.
CROP_MARGIN_ROWS = 10
# Past this many pages with crops, those far out of sight are dropped (a few screens' worth).
MAX_PAGES_WITH_CROPS = 40


class SearchController(QObject):
    """Owns one reader's search: query, hits, the hit shown, the results list's contents."""

    searched = Signal(str, int)  # the query, matches found (-1: the search was cut short)

    def __init__(
        self,
        worker: RenderWorker,
        view: PageView,
        bar: SearchBar,
        results: SearchResultsList,
        *,
        page_sizes: tuple[tuple[float, float], ...],
        band_text: str,
        before_jump: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        """Connect to the worker, the bar and the list; ``before_jump`` remembers the place."""
        super().__init__(parent)
        self._worker, self._view, self._bar, self._results = worker, view, bar, results
        self._page_sizes = page_sizes
        self._band_text = band_text
        self._before_jump = before_jump
        self.generation = 0
        self._query = ""
        self._running = False
        self._matches: dict[int, list[tuple[HitPart, ...]]] = {}
        # Per page: the lines with hits, each as the numbers of the matches that start on it.
        self._lines: dict[int, list[list[int]]] = {}
        self._cursor: Hit | None = None
        self._crop_keys: dict[RenderKey, int] = {}
        worker.search_hits_found.connect(self._hits_found)
        worker.search_finished.connect(self._finished)
        results.hit_activated.connect(lambda page, number: self.show_hit((page, number)))
        results.rows_shown.connect(self._want_crops)

    def run(self, query: str) -> None:
        """Search for ``query`` from the current page; an empty query clears the search."""
        query = query.strip()
        self._report_unfinished()
        self._matches, self._lines, self._cursor, self._crop_keys = {}, {}, None, {}
        self._worker.set_wanted(CROP_CHANNEL, [])
        self._results.clear_hits()
        self._query = query
        if not query:
            self.generation = 0
            self._view.set_highlight_generation(0)
            self._bar.set_status("")
            return
        self._running = True
        self.generation = self._worker.start_search(
            query, self._bar.options(), self._view.current_page()
        )
        self._view.set_highlight_generation(self.generation)
        self._bar.set_status("Searching…")

    def stop(self) -> None:
        """The session is ending: report a search still running, and forget everything."""
        self._report_unfinished()
        self._matches, self._lines, self._crop_keys = {}, {}, {}

    def match_count(self) -> int:
        """Matches found so far."""
        return sum(len(matches) for matches in self._matches.values())

    def has_hits(self) -> bool:
        """Whether the current search found anything (so far)."""
        return bool(self._matches)

    def step(self, direction: int) -> None:
        """Show the next (+1) or previous (-1) hit, wrapping round the document."""
        hits = [
            (page, n) for page in sorted(self._matches) for n in range(len(self._matches[page]))
        ]
        if not hits:
            return
        if self._cursor in hits:
            position = (hits.index(self._cursor) + direction) % len(hits)
        else:
            # No hit chosen yet: the first at/after (or before) the page being read.
            page = self._view.current_page()
            if direction > 0:
                position = next((i for i, hit in enumerate(hits) if hit[0] >= page), 0)
            else:
                earlier = [i for i, hit in enumerate(hits) if hit[0] <= page]
                position = earlier[-1] if earlier else len(hits) - 1
        self.show_hit(hits[position])

    def show_hit(self, hit: Hit) -> None:
        """Scroll hit ``hit`` into view, framed, and select its row."""
        page, number = hit
        matches = self._matches.get(page, [])
        if not 0 <= number < len(matches):
            return
        self._before_jump()
        self._cursor = hit
        self._view.set_current_hit(page, matches[number][0].rect)
        self._results.select_hit(page, number)

    def line_boxes(self, page: int) -> list[HighlightRect]:
        """The boxes (points) the rows of ``page``'s lines with hits are cut from, in order."""
        matches = self._matches.get(page, [])
        size = self._page_sizes[page]
        return [
            context_box([matches[n][0] for n in numbers], size)
            for numbers in self._lines.get(page, [])
        ]

    # Page images for the crops.

    def wants(self, key: RenderKey) -> bool:
        """Whether ``key`` is a page image asked for to cut crops from."""
        return key in self._crop_keys

    def add_page_image(self, key: RenderKey, image: QImage) -> None:
        """Cut the crop of every line with hits on the page out of its watermarked image."""
        if self._crop_keys.pop(key, None) is None:
            return
        page_size = self._page_sizes[key.page]
        for line, box in enumerate(self.line_boxes(key.page)):
            crop = crop_image(image, page_size[0], box, self._band_text)
            self._results.set_line_image(key.page, line, crop)

    def _want_crops(self) -> None:
        """Ask for the page images of the hits in sight in the list (and a few rows around).

        Only rows in sight get crops, and crops far out of sight are dropped again, so a search
        for "the" in a long review costs the memory of a few screens of crops, not thousands.
        """
        if not self.generation:
            return
        ratio = self._results.devicePixelRatioF()
        near = self._results.pages_in_view(CROP_MARGIN_ROWS)
        keys: list[RenderKey] = []
        for page in near:
            if page in self._matches and not self._results.has_image(page, 0):
                key = RenderKey(page, CROP_ZOOM, ratio, self.generation)
                self._crop_keys[key] = page
                keys.append(key)
        # While the search runs, a few pages' crops only: page renders go before the search.
        self._worker.set_wanted(
            CROP_CHANNEL, keys[:CROP_PAGES_WHILE_SEARCHING] if self._running else keys
        )
        kept = self._results.pages_with_images()
        if len(kept) > MAX_PAGES_WITH_CROPS:
            around = set(self._results.pages_in_view(4 * CROP_MARGIN_ROWS))
            for page in kept:
                if page not in around:
                    self._results.forget_images(page)

    # From the worker.

    def _hits_found(self, generation: int, page: int, parts: object) -> None:
        if generation != self.generation or not isinstance(parts, tuple | list):
            return
        matches: list[tuple[HitPart, ...]] = []
        for part in parts:
            if not isinstance(part, HitPart):
                return
            if part.continues and matches:
                matches[-1] += (part,)
            else:
                matches.append((part,))
        first = not self._matches
        self._matches[page] = matches
        self._lines[page] = lines = _by_line(matches)
        self._results.set_page_hits(page, [len(numbers) for numbers in lines])
        self._update_status(finished=False)
        self._want_crops()
        if first:
            self.show_hit((page, 0))

    def _finished(self, generation: int) -> None:
        if generation != self.generation or not self._running:
            return
        self._running = False
        self._update_status(finished=True)
        self._want_crops()
        if not self._matches:
            self._results.show_no_matches(self._query)
        self.searched.emit(self._query, self.match_count())

    def _report_unfinished(self) -> None:
        if self._running:
            self._running = False
            self.searched.emit(self._query, UNKNOWN_HITS)

    def _update_status(self, *, finished: bool) -> None:
        total, pages = self.match_count(), len(self._matches)
        if total == 0:
            text = "No matches" if finished else "Searching…"
        else:
            text = (
                f"{total} hit{'s' if total != 1 else ''} on {pages} page{'s' if pages != 1 else ''}"
            )
            if not finished:
                text += "…"
        self._bar.set_status(text)


def _by_line(matches: list[tuple[HitPart, ...]]) -> list[list[int]]:
    """The matches' numbers grouped by the line they start on, in reading order.

    The renderer gives every hit on one line the same line box, so that box names the line.
    Only matches that follow each other are grouped (they do, on one line of text), so that a
    row's hits are numbered without a gap.
    """
    lines: list[list[int]] = []
    previous: HighlightRect | None = None
    for number, match in enumerate(matches):
        if lines and match[0].line == previous:
            lines[-1].append(number)
        else:
            lines.append([number])
        previous = match[0].line
    return lines
