"""Benchmark: searching the sample review with the options against PyMuPDF's own search_for.

The viewer's search (``viewing/text_search.find_on_page``: MuPDF's text extraction, then Python's
``re`` for "Match case" and "Whole words") replaced ``page.search_for``, which has neither
option. This times a whole-document search of the bundled sample, best of N runs, for a word on
every page, a phrase on many and a word on none, with ``search_for`` as the baseline measured in
the same run, and prints the ratio ours/baseline. Character boxes cost about four times the plain
text, so the goal is at most 5 for a word on every page and at most 2 for a word on few pages
(pages without the query are ruled out from their plain text). Searching runs page by page
behind page renders, so the window never waits for it.

Run: ``.venv/bin/python benchmarks/bench_search.py [--runs 5]``
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Run from a checkout without installing: the repository root goes first on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pymupdf

from readingroom.sample import build_sample_pdf
from readingroom.viewing.text_search import SearchOptions, find_on_page
from readingroom.viewing.wire import MAX_HITS_PER_PAGE


def best_of(runs: int, action: Callable[[], object]) -> float:
    """The shortest wall-clock time of ``runs`` calls (least disturbed by other load)."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    document = pymupdf.open(stream=build_sample_pdf(), filetype="pdf")
    pages = [document.load_page(i) for i in range(document.page_count)]
    print(f"sample: {len(pages)} pages, best of {options.runs}")
    counts: dict[str, int] = {}
    for query in ("the", "social worker", "quince"):
        counts.clear()

        def baseline(query: str = query) -> None:
            counts["search_for"] = sum(len(page.search_for(query)) for page in pages)

        def ours(query: str = query, **flags: bool) -> None:
            found = [
                find_on_page(p, query, SearchOptions(**flags), MAX_HITS_PER_PAGE) for p in pages
            ]
            counts[str(flags)] = sum(len(parts) for parts in found)

        base = best_of(options.runs, baseline)
        print(f"  {query!r}: search_for {base * 1000:.0f} ms ({counts['search_for']} boxes)")
        for flags in ({}, {"match_case": True}, {"whole_words": True}):
            seconds = best_of(options.runs, lambda flags=flags: ours(**flags))
            name = ", ".join(flags) or "plain"
            print(
                f"    ours ({name}): {seconds * 1000:.0f} ms ({counts[str(flags)]} boxes), "
                f"ratio {seconds / base:.2f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
