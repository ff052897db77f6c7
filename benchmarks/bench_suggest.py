"""Benchmark ``names suggest`` against a bare text extraction of the same pages.

The document is bench_prepare's: 200 generated pages mentioning 50 names; the names file lists
half of them, so the other 25 are there to be suggested. The baseline, measured in the same run,
opens the PDF and extracts every page's plain text with PyMuPDF: the least any reader of the
text must do. Goal (issue 13): ``suggest_names`` at most 2x the baseline. The one-off load of
the word and name lists (once per process) is printed apart.
Run: ``.venv/bin/python benchmarks/bench_suggest.py``.
"""

from __future__ import annotations

import time

import pymupdf

from benchmarks.bench_age import best_of
from benchmarks.bench_prepare import FIRST, LAST, NAMES, PAGES, build_document
from readingroom.prepare import NameEntry
from readingroom.prepare.suggestions import suggest_names
from readingroom.prepare.suggestions.lexicon import warm_up

RUNS = 7


def baseline(data: bytes) -> None:
    """Open the PDF and extract every page's text."""
    doc = pymupdf.open(stream=data, filetype="pdf")
    for page in doc:
        page.get_text("text")
    doc.close()


def main() -> None:
    """Time both and print the ratio."""
    names = [f"{first} {last}" for first in FIRST for last in LAST][:NAMES]
    listed = [NameEntry(name, f"Person {i + 1}", i + 1) for i, name in enumerate(names[::2])]
    data = build_document(names)
    start = time.perf_counter()
    warm_up()
    load = time.perf_counter() - start
    found: list[object] = []
    # Interleaved, best of each: the machine is shared, and load that comes and goes during the
    # run then weighs on both sides alike.
    base = suggest = float("inf")
    for _ in range(RUNS):
        base = min(base, best_of(1, lambda: baseline(data)))
        suggest = min(suggest, best_of(1, lambda: found.append(suggest_names(data, listed))))
    people = len(found[-1])  # type: ignore[arg-type]
    print(f"document: {PAGES} pages, {NAMES} names, {len(listed)} of them in the names file")
    print(f"suggestions: {people}")
    print(f"word and name lists, loaded once per process: {load:.2f} s")
    print(f"bare PyMuPDF open + text extraction: {base:.2f} s")
    print(f"suggest_names: {suggest:.2f} s")
    print(f"ratio: {suggest / base:.1f}x (goal <= 2x)")


if __name__ == "__main__":
    main()
