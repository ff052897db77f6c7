"""The whole-document search that the render thread runs between page renders.

The UI thread starts a search (:meth:`DocumentSearch.restart`); the render thread, when no page
image is wanted, takes one page at a time (:meth:`DocumentSearch.take_job`) and searches it in
the renderer. Hits are kept for the search's generation, so a page rendered with its highlights
is not searched twice, and a page that hung or crashed a renderer is skipped for good.
"""

from __future__ import annotations

from dataclasses import dataclass

from readingroom.viewing.document_model import HighlightRect
from readingroom.viewing.renderer_client import (
    RendererClient,
    RendererError,
    RendererLost,
    RendererStopped,
)
from readingroom.viewing.text_search import PLAIN_SEARCH, HitPart, SearchOptions

MAX_QUERY_CHARS = 200


@dataclass(frozen=True)
class SearchJob:
    """One page of a search, as the render thread takes it."""

    generation: int
    query: str
    options: SearchOptions
    page: int
    last: bool  # the search's last page: ``search_finished`` follows it


class DocumentSearch:
    """The search asked for and the hits found so far.

    ``restart``, ``has_work``, ``take_job`` and ``asked`` read or change what the UI thread
    asked for: call them under the worker's lock. The hits are touched only by the render
    thread.
    """

    def __init__(self) -> None:
        """No search yet (generation 0)."""
        self.generation = 0
        self._query = ""
        self._next_page = 0  # how many pages of the search are done
        self._options = PLAIN_SEARCH
        self._start = 0
        self._hits: dict[int, tuple[HitPart, ...]] = {}
        self._hits_generation = 0

    def restart(self, query: str, options: SearchOptions, start_page: int, page_count: int) -> int:
        """Start a new search from ``start_page`` round to it; return its generation."""
        self.generation += 1
        self._query = query[:MAX_QUERY_CHARS]
        self._options = options
        self._start = start_page if 0 <= start_page < page_count else 0
        self._next_page = 0
        return self.generation

    def has_work(self, page_count: int) -> bool:
        """Whether pages of the current search remain to be searched."""
        return bool(self._query) and self._next_page < page_count

    def take_job(self, page_count: int) -> SearchJob:
        """The next page to search (only when :meth:`has_work`)."""
        job = SearchJob(
            self.generation,
            self._query,
            self._options,
            (self._start + self._next_page) % page_count,
            self._next_page == page_count - 1,
        )
        self._next_page += 1
        return job

    def asked(self) -> tuple[int, str, SearchOptions]:
        """The current search's generation, query and options."""
        return self.generation, self._query, self._options

    def highlights(
        self, renderer: RendererClient, index: int, asked: tuple[int, str, SearchOptions]
    ) -> tuple[HighlightRect, ...]:
        """Hits for page ``index`` in the ``asked`` search; searches the page now if not done."""
        generation, query, options = asked
        hits = self._hits_of(generation)
        if index not in hits:
            hits[index] = renderer.search(index, query, options)
        return tuple(part.rect for part in hits[index])

    def search_page(
        self, renderer: RendererClient, job: SearchJob, bad_pages: set[int]
    ) -> tuple[HitPart, ...]:
        """Search ``job``'s page (once per generation); a page that breaks a renderer has none."""
        hits = self._hits_of(job.generation)
        index = job.page
        if index not in hits:
            try:
                if index in bad_pages:
                    raise RendererLost("bad page")
                hits[index] = renderer.search(index, job.query, job.options)
            except RendererStopped:
                raise
            except RendererLost:  # It hung or crashed the renderer: skip the page for good.
                bad_pages.add(index)
                hits[index] = ()
            except RendererError:  # A page that cannot be searched simply has no hits.
                hits[index] = ()
        return hits[index]

    def _hits_of(self, generation: int) -> dict[int, tuple[HitPart, ...]]:
        if self._hits_generation != generation:
            self._hits = {}
            self._hits_generation = generation
        return self._hits
