"""The renderer's per-page MuPDF state: a few display lists kept, everything released regularly.

A page is interpreted once into a display list (MuPDF's recording of its drawing operations);
rendering it again from the list skips parsing its content stream. That makes the progressive
render cheap: the reduced-scale preview and the full image of a page come from one list. Lists
are kept for the last few pages only, and every :data:`RELEASE_EVERY` renders the lists and
MuPDF's store (fonts, images, decoded streams: up to 256 MB by default) are dropped, so that a
reader paging through a thousand pages does not leave a thousand pages' worth of state behind.
Runs in the renderer process only (it imports PyMuPDF).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import pymupdf

# Pages whose display lists are kept: the visible one, its preview's refinement, prefetch.
KEPT_DISPLAY_LISTS = 6
# Renders between two releases of everything MuPDF keeps for pages already shown.
RELEASE_EVERY = 48


class PageMemory:
    """Display lists of recent pages of one ``pymupdf.Document``, released periodically."""

    def __init__(self, document: Any) -> None:
        """Keep no list yet."""
        self._document = document
        self._lists: OrderedDict[int, Any] = OrderedDict()
        self._renders = 0
        self.releases = 0

    def display_list(self, number: int) -> Any:
        """The ``pymupdf.DisplayList`` of page ``number`` (kept for the next request)."""
        found = self._lists.get(number)
        if found is not None:
            self._lists.move_to_end(number)
            return found
        recorded = self._document.load_page(number).get_displaylist()
        self._lists[number] = recorded
        while len(self._lists) > KEPT_DISPLAY_LISTS:
            self._lists.popitem(last=False)
        return recorded

    def rendered(self) -> None:
        """Count a render; every :data:`RELEASE_EVERY`, release lists and the store."""
        self._renders += 1
        if self._renders % RELEASE_EVERY == 0:
            self.release()

    def release(self) -> None:
        """Drop every display list and empty MuPDF's store (the document stays open)."""
        self._lists.clear()
        pymupdf.TOOLS.store_shrink(100)
        self.releases += 1
