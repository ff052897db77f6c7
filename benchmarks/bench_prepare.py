"""Benchmark ``prepare``: a generated 200-page document with 50 names.

Prints the time of ``prepare_pdf`` (sanitise, pseudonymise, save, verify) and, as a baseline
measured in the same run, a bare PyMuPDF open + search for every name + save of the same
document. Run: ``.venv/bin/python benchmarks/bench_prepare.py``.
"""

from __future__ import annotations

import random
import time

import pymupdf

from readingroom.prepare import NameEntry, PrepareOptions, prepare_pdf

PAGES = 200
NAMES = 50
FIRST = ["Alma", "Bruno", "Cara", "Dmitri", "Edith", "Farid", "Greta", "Hamza", "Ines", "Jonas"]
LAST = ["Okafor", "Lindqvist", "Marsh", "Petrov", "Quayle"]
FILLER_TEXT = (
    "The agency recorded the visit and noted the concerns raised at the strategy meeting. "
    "Further checks were made with the school and the health visitor before the review."
)
FILLER = FILLER_TEXT.split()


def build_document(names: list[str]) -> bytes:
    """A text document in which every page mentions a handful of the names."""
    rng = random.Random(7)
    doc = pymupdf.open()
    for _ in range(PAGES):
        page = doc.new_page()
        words: list[str] = []
        for _ in range(380):
            words.append(rng.choice(names) if rng.random() < 0.03 else rng.choice(FILLER))
        box = pymupdf.Rect(60, 60, page.rect.width - 60, page.rect.height - 60)
        page.insert_textbox(box, " ".join(words), fontsize=10)
    data: bytes = doc.tobytes(deflate=True)
    return data


def baseline(data: bytes, names: list[str]) -> None:
    """Open, search every name on every page, save: the least any tool must do."""
    doc = pymupdf.open(stream=data, filetype="pdf")
    for page in doc:
        for name in names:
            page.search_for(name)
    doc.tobytes(garbage=3, deflate=True)


def main() -> None:
    """Time both and print the ratio."""
    names = [f"{first} {last}" for first in FIRST for last in LAST][:NAMES]
    entries = [NameEntry(n, f"Person {i + 1}", i + 1) for i, n in enumerate(names)]
    data = build_document(names)
    start = time.perf_counter()
    baseline(data, names)
    base = time.perf_counter() - start
    start = time.perf_counter()
    result = prepare_pdf(data, PrepareOptions(names=entries))
    prep = time.perf_counter() - start
    total = sum(t.occurrences for t in result.report.tallies.values())
    print(f"document: {PAGES} pages, {NAMES} names, {total} occurrences replaced")
    print(f"bare PyMuPDF open+search+save: {base:.2f} s")
    print(f"readingroom prepare (incl. verify): {prep:.2f} s")
    print(f"ratio: {prep / base:.1f}x")


if __name__ == "__main__":
    main()
