"""Benchmark ``prepare``: a 200-page text document with 50 names, and a 20-page scan with 10.

Text case: ``prepare_pdf`` (prune, sanitise, pseudonymise with line re-typesetting, rebuild,
save, verify with both engines and the byte scan) on a justified document against a bare
PyMuPDF open + search for every name + save of the
same document (goal: at most 3x). Scanned case: ``prepare_pdf`` against a bare Tesseract OCR of
the same pages at the same 300 dpi, once each (goal: at most 1.5x; prepare reads a page at up
to four quarter turns, stopping once an upright reading explains all its ink, to find and again
to verify, so 2x is its floor for upright scans). Both baselines are measured in
the same run. Also prints the peak memory of the scanned case.
Run: ``.venv/bin/python benchmarks/bench_prepare.py [--scan-only | --text-only]``.
"""

from __future__ import annotations

import random
import resource
import sys
import time

import pymupdf

from readingroom.prepare import NameEntry, PrepareOptions, ocr, prepare_pdf

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
        # Justified, so re-typesetting a line must spread it to both edges again.
        page.insert_textbox(box, " ".join(words), fontsize=10, align=pymupdf.TEXT_ALIGN_JUSTIFY)
    data: bytes = doc.tobytes(deflate=True)
    return data


def baseline(data: bytes, names: list[str]) -> None:
    """Open, search every name on every page, save: the least any tool must do."""
    doc = pymupdf.open(stream=data, filetype="pdf")
    for page in doc:
        for name in names:
            page.search_for(name)
    doc.tobytes(garbage=3, deflate=True)


SCAN_PAGES = 20
SCAN_NAMES = 10


def build_scan(names: list[str]) -> bytes:
    """Pages that are one grey 200-dpi image each (no text layer), each naming two people."""
    rng = random.Random(11)
    doc = pymupdf.open()
    for index in range(SCAN_PAGES):
        source = pymupdf.open()
        page = source.new_page()
        lines = [f"Page {index + 1} of the chronology."]
        for _ in range(14):
            words = [rng.choice(FILLER) for _ in range(9)]
            if rng.random() < 0.3:
                words.insert(rng.randrange(len(words)), rng.choice(names))
            lines.append(" ".join(words))
        for number, line in enumerate(lines):
            page.insert_text((60, 80 + number * 24), line, fontsize=11)
        pix = page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
        scan = doc.new_page()
        scan.insert_image(scan.rect, stream=pix.tobytes("png"))
    data: bytes = doc.tobytes(deflate=True)
    return data


def bare_ocr(data: bytes) -> None:
    """Tesseract on every page once, at the resolution prepare uses: the least any OCR does.
    (prepare reads each page at four quarter turns, to find names however the scan is turned.)"""
    doc = pymupdf.open(stream=data, filetype="pdf")
    for page in doc:
        textpage = page.get_textpage_ocr(dpi=ocr.OCR_DPI, full=True, tessdata=ocr.tessdata())
        page.get_text("words", textpage=textpage)


def text_case() -> None:
    """The 200-page, 50-name text document."""
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
    print(f"text document: {PAGES} pages, {NAMES} names, {total} occurrences replaced")
    print(f"  bare PyMuPDF open+search+save: {base:.2f} s")
    statuses = result.report.line_statuses()
    print(f"  lines re-typeset: {sum(statuses.values())} ({dict(sorted(statuses.items()))})")
    print(f"  readingroom prepare (re-typesetting, verify): {prep:.2f} s")
    print(f"  ratio: {prep / base:.1f}x (goal <= 3x)")


def scan_case() -> None:
    """The 20-page, 10-name scanned document."""
    names = [f"{first} {last}" for first, last in zip(FIRST, LAST * 2, strict=True)]
    entries = [NameEntry(n, f"Person {i + 1}", i + 1) for i, n in enumerate(names)]
    data = build_scan(names)
    start = time.perf_counter()
    bare_ocr(data)
    base = time.perf_counter() - start
    start = time.perf_counter()
    result = prepare_pdf(data, PrepareOptions(names=entries))
    prep = time.perf_counter() - start
    total = sum(t.occurrences for t in result.report.tallies.values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"scanned document: {SCAN_PAGES} pages, {SCAN_NAMES} names, {total} replaced by OCR")
    print(f"  bare Tesseract OCR of every page (300 dpi): {base:.2f} s")
    print(f"  readingroom prepare (incl. OCR verify): {prep:.2f} s")
    print(f"  ratio: {prep / base:.2f}x (goal <= 1.5x)")
    print(f"  peak memory of this process: {peak:.0f} MB")


def main() -> None:
    """Run both cases (or one, by flag) and print the ratios."""
    if "--scan-only" not in sys.argv:
        text_case()
    if "--text-only" not in sys.argv:
        scan_case()


if __name__ == "__main__":
    main()
