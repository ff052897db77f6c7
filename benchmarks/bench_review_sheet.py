"""Benchmark ``prepare --review-sheet``: what the sheet adds to ``prepare`` on the same document.

The document is bench_prepare's text document (50 names, a handful per page; 200 pages unless
``--pages`` says otherwise). ``prepare_pdf`` with ``review_sheet=True`` (a second text extraction
of each page, a picture of each occurrence's line before and after, the HTML) is timed against
``prepare_pdf`` without it, both in the same run (goal: at most 2x on this document, about
eleven names a page). Also prints the sheet's size per occurrence.
Run: ``.venv/bin/python benchmarks/bench_review_sheet.py [--pages N]``.
"""

from __future__ import annotations

import argparse
import time

from benchmarks import bench_prepare
from readingroom.prepare import NameEntry, PrepareOptions, prepare_pdf


def main() -> None:
    """Print the times, their ratio and the sheet's size."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=bench_prepare.PAGES)
    args = parser.parse_args()
    bench_prepare.PAGES = args.pages
    names = [f"{first} {last}" for first in bench_prepare.FIRST for last in bench_prepare.LAST]
    data = bench_prepare.build_document(names)
    entries = [NameEntry(name, f"Person {i + 1}", i + 1) for i, name in enumerate(names)]

    def timed(sheet: bool) -> tuple[float, bytes | None]:
        start = time.perf_counter()
        result = prepare_pdf(data, PrepareOptions(names=entries, review_sheet=sheet))
        return time.perf_counter() - start, result.review_sheet

    # Alternate the two, so load from other processes on the machine falls on both alike.
    plain_times, sheet_times = [], []
    sheet = None
    for _ in range(2):
        plain_times.append(timed(False)[0])
        seconds, sheet = timed(True)
        sheet_times.append(seconds)
    plain, with_sheet = min(plain_times), min(sheet_times)
    assert sheet is not None
    occurrences = sheet.count(b'class="pair"')
    print(f"{args.pages} pages, {len(names)} names, {occurrences} occurrences")
    print(f"prepare alone:          {plain:7.2f} s")
    print(f"prepare + review sheet: {with_sheet:7.2f} s")
    print(f"ratio: {with_sheet / plain:.2f}x (goal <= 2x)")
    print(f"sheet: {len(sheet) / 1e6:.1f} MB, {len(sheet) / max(1, occurrences) / 1e3:.1f} kB each")


if __name__ == "__main__":
    main()
