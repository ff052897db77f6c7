"""Reading pixels with Tesseract, through MuPDF's built-in OCR (no temporary files).

MuPDF links Tesseract and needs only its language data (Debian's ``tesseract-ocr-eng``). OCR
runs in this process on a page rendered in memory: no page image and no recognised text ever
touches the disk, which ``pytesseract`` (a wrapper around the command line) could not promise.

Which pages need it:

* a page without a usable text layer (no text, or glyphs with no Unicode mapping, or a Type3
  font whose glyphs may draw anything, or a text layer that claims other letters than its
  glyphs draw, :mod:`readingroom.prepare.glyph_truth`): the whole page is read;
* an image on a text page that is large enough to hold a word: the images are read and their
  words merged with the page's own text.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from readingroom.errors import OcrUnavailable
from readingroom.prepare.glyph_truth import text_layer_lies
from readingroom.prepare.mupdf import Page, pymupdf
from readingroom.prepare.ocr_reading import (
    LANGUAGE,
    MIN_IMAGE_HEIGHT,
    MIN_IMAGE_WIDTH,
    OCR_DPI,
    Reading,
    read_page,
    word_sized,
)

__all__ = [
    "LANGUAGE",
    "MIN_IMAGE_HEIGHT",
    "MIN_IMAGE_WIDTH",
    "OCR_DPI",
    "Reading",
    "has_usable_text_layer",
    "has_word_sized_images",
    "ocr_textpage",
    "read",
    "rendered_words",
    "tessdata",
    "tesseract_version",
]

# An image smaller than MIN_IMAGE_* (in points, 1/72 inch; defined in ocr_reading) cannot hold
# a readable word: Tesseract stops reading below about 7 pixels of text height (measured: 4 pt
# text scanned at 100 dpi is not read, 5 pt is), and 5 pt text needs about 6 pt of height and a
# short word 16 pt of width.


def tessdata() -> str:
    """The folder of Tesseract's language data.

    Raises:
        OcrUnavailable: Tesseract's English data is not installed.
    """
    try:
        folder = pymupdf.get_tessdata()
    except Exception as exc:  # PyMuPDF raises RuntimeError when it finds none
        raise OcrUnavailable from exc
    if not folder or not (Path(str(folder)) / f"{LANGUAGE}.traineddata").is_file():
        raise OcrUnavailable
    return str(folder)


def tesseract_version() -> str:
    """Which Tesseract reads the pages: MuPDF's build and the language data's fingerprint."""
    data = Path(tessdata()) / f"{LANGUAGE}.traineddata"
    digest = hashlib.sha256(data.read_bytes()).hexdigest()[:16]
    return f"Tesseract in MuPDF {pymupdf.VersionFitz}, {LANGUAGE}.traineddata sha256:{digest}"


def has_usable_text_layer(page: Page, text: str) -> bool:
    """False when the page's text cannot be trusted to say what the page shows."""
    if not text.strip() or "\ufffd" in text:
        return False
    if any(str(font[2]) == "Type3" for font in page.get_fonts(full=False)):
        return False
    return not text_layer_lies(page)


def has_word_sized_images(page: Page) -> bool:
    """True when an image on the page is large enough to hold a word (either way up)."""
    return any(
        word_sized(pymupdf.Rect(info.get("bbox", (0, 0, 0, 0)))) for info in page.get_image_info()
    )


def ocr_textpage(page: Page, *, full: bool) -> Any:
    """A TextPage of the page's OCR words (``full=False``: images only, merged with the text),
    read upright and in page coordinates (:mod:`readingroom.prepare.ocr_reading`)."""
    return read(page, full=full).textpage


def read(page: Page, *, full: bool) -> Reading:
    """OCR the whole page (``full``) or its word-sized images, each read the way it is seen."""
    return read_page(page, full=full, tessdata=tessdata())


def rendered_words(page: Page) -> str:
    """The words OCR reads on the rendered page (300 dpi, each image turned upright), one line
    of the page per line of text."""
    return reading_words(read(page, full=True))


def reading_words(reading: Reading) -> str:
    """The words of a reading as text, one line of the page per line of text."""
    text = str(reading.textpage.extractText())
    return re.sub(r"[ \t]+", " ", text)
