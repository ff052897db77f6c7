"""Benchmark: what the session mark costs a reader, and how often a photo is traced.

In one run, on a generated review-like page rendered by THE burning function
(``render_page_image``, offscreen Qt):

1. Readability: Tesseract's word accuracy on the document text of the page with the full
   watermark but no machine mark (the baseline) and with the mark, at the same zoom, in this run.
   Goal: the mark costs at most 2 percentage points.
2. Tracing: for each synthetic degradation (tests/photo_degrade.py), the share of photos whose
   ``trace --image`` decoding names the right session, and the share that name a wrong one.
   Goal: >= 95 % right, 0 % wrong.

Run: ``.venv/bin/python benchmarks/bench_trace.py [--photos 20] [--zoom 1.5]``
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pymupdf
import zxingcpp
from PIL import Image
from PySide6.QtWidgets import QApplication

from readingroom.audit.trace_image import _views_of, find_session_codes
from readingroom.session_code import new_session_code
from readingroom.session_mark import parse_mark_payload
from tests.audit.trace_fixtures import rendered_page, review_pdf, watermark_for
from tests.photo_degrade import DEGRADATIONS


def ocr_text(image: Image.Image) -> str:
    """Tesseract's reading of ``image`` (through a pipe: no file)."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    completed = subprocess.run(
        ["tesseract", "stdin", "stdout"], input=buffer.getvalue(), capture_output=True, check=True
    )
    return completed.stdout.decode("utf-8", "replace")


def accuracy(read: str, truth: str) -> float:
    """Word accuracy: the share of the document's words that OCR read exactly (as a multiset).

    Order-free on purpose: the tiled watermark makes Tesseract's reading order wander between
    runs, which a character-sequence score would count as errors of the text itself.
    """
    truth_words = Counter(_words(truth))
    read_words = Counter(_words(read))
    return sum((truth_words & read_words).values()) / sum(truth_words.values())


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def readability(pdf: bytes, code: str, zooms: list[float]) -> None:
    """Part 1: OCR accuracy with and without the mark, same page, same run."""
    document = pymupdf.open(stream=pdf, filetype="pdf")
    truth = document[0].get_text()
    document.close()
    print("1. Document text OCR accuracy (Tesseract), watermark without vs with the mark")
    print(f"   {'zoom':>5}  {'no mark':>8}  {'mark':>8}  {'drop (pp)':>9}")
    for zoom in zooms:
        plain = accuracy(
            ocr_text(rendered_page(pdf, watermark_for(code, marked=False), zoom)), truth
        )
        marked = accuracy(ocr_text(rendered_page(pdf, watermark_for(code), zoom)), truth)
        drop = 100 * (plain - marked)
        print(f"   {zoom:>5.2f}  {100 * plain:>7.2f}%  {100 * marked:>7.2f}%  {drop:>9.2f}")
    print("   goal: drop <= 2.00 pp")


def tracing(pdf: bytes, photos: int, zoom: float) -> None:
    """Part 2: decode rate per degradation, each photo of a fresh session code.

    Each degradation is measured on pages in the normal mode and in the viewer's inverted mode
    (light on black). For normal pages the decoding time is also compared with the views of the
    photo as taken alone (what ``trace --image`` did before it tried inverted photos): the
    inverted views come last, so the ratio should stay about 1.
    """
    print(f"\n2. Photos traced to the right session ({photos} per row, page zoom {zoom})")
    print(f"   {'degradation':<36} {'right':>7} {'wrong':>7} {'none':>7}")
    # Decoding time of normal pages, with all views and with the as-taken views only, kept apart
    # for photos that decode (the inverted views are never reached) and photos that do not.
    spent = {True: 0.0, False: 0.0}
    baseline = {True: 0.0, False: 0.0}
    for inverted in (False, True):
        for name, degrade in DEGRADATIONS.items():
            right = wrong = none = 0
            for seed in range(photos):
                code = new_session_code()
                page = rendered_page(pdf, watermark_for(code), zoom, inverted=inverted)
                photo = degrade(page, random.Random(seed))
                photo.load()  # a lazily decoded JPEG would charge its decoding to the first
                if not inverted and seed % 2:
                    # Every other photo times the baseline first: whichever runs first on a
                    # photo runs with cold caches.
                    baseline_seconds = _timed(_decode_as_taken, photo)
                started = time.perf_counter()
                found = find_session_codes(photo)
                seconds = time.perf_counter() - started
                if not inverted:
                    if not seed % 2:
                        baseline_seconds = _timed(_decode_as_taken, photo)
                    spent[bool(found)] += seconds
                    baseline[bool(found)] += baseline_seconds
                if any(other != code for other in found):
                    wrong += 1
                elif code in found:
                    right += 1
                else:
                    none += 1
            label = f"{name} (inverted page)" if inverted else name
            print(
                f"   {label:<36} {100 * right / photos:>6.1f}% {100 * wrong / photos:>6.1f}% "
                f"{100 * none / photos:>6.1f}%"
            )
    print("   goal: right >= 95 %, wrong = 0 %")
    for decoded, which in ((True, "decoded"), (False, "not decoded")):
        if baseline[decoded]:
            print(
                f"   normal pages, photos {which}: time with the inverted views / without = "
                f"{spent[decoded] / baseline[decoded]:.2f}"
            )
    print("   (a photo that decodes stops before the inverted views: ratio about 1)")


def _timed(decode: Callable[[Image.Image], object], photo: Image.Image) -> float:
    started = time.perf_counter()
    decode(photo)
    return time.perf_counter() - started


def _decode_as_taken(photo: Image.Image) -> None:
    """The baseline: ``find_session_codes`` as it was before the inverted views (only the views
    of the photo as taken, stopping at the first that holds a valid mark)."""
    for view in _views_of(photo):
        for barcode in zxingcpp.read_barcodes(view, formats=zxingcpp.BarcodeFormat.QRCode):
            if parse_mark_payload(barcode.text) is not None:
                return


def main() -> None:
    """Run both parts and print their tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=20)
    parser.add_argument("--zoom", type=float, default=1.5)
    args = parser.parse_args()
    application = QApplication.instance() or QApplication([])
    pdf = review_pdf()
    if shutil.which("tesseract"):
        readability(pdf, new_session_code(), [1.0, 1.5, 2.0])
    else:
        print("1. skipped: tesseract is not installed")
    tracing(pdf, args.photos, args.zoom)
    del application


if __name__ == "__main__":
    main()
