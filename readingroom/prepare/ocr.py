"""Reading pixels with Tesseract, through MuPDF's built-in OCR (no temporary files).

MuPDF links Tesseract and needs only its language data (Debian's ``tesseract-ocr-eng``). OCR
runs in this process on a page rendered in memory: no page image and no recognised text ever
touches the disk, which ``pytesseract`` (a wrapper around the command line) could not promise.

Which pages need it:

* a page without a usable text layer (no text, or glyphs with no Unicode mapping, or a Type3
  font whose glyphs may draw anything): the whole page is read;
* an image on a text page that is large enough to hold a word: the images are read and their
  words merged with the page's own text.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from readingroom.errors import OcrUnavailable
from readingroom.prepare.mupdf import Page, pymupdf

OCR_DPI = 300
LANGUAGE = "eng"
# An image smaller than this (in points, 1/72 inch) cannot hold a readable word: Tesseract
# stops reading below about 7 pixels of text height (measured: 4 pt text scanned at 100 dpi is
# not read, 5 pt is), and 5 pt text needs about 6 pt of height and a short word 16 pt of width.
MIN_IMAGE_HEIGHT = 6.0
MIN_IMAGE_WIDTH = 16.0
_FLAGS: int = pymupdf.TEXT_PRESERVE_WHITESPACE & ~pymupdf.TEXT_MEDIABOX_CLIP


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
    return not any(str(font[2]) == "Type3" for font in page.get_fonts(full=False))


def has_word_sized_images(page: Page) -> bool:
    """True when an image on the page is large enough to hold a word."""
    for info in page.get_image_info():
        bbox = pymupdf.Rect(info.get("bbox", (0, 0, 0, 0)))
        if bbox.width >= MIN_IMAGE_WIDTH and bbox.height >= MIN_IMAGE_HEIGHT:
            return True
        if bbox.height >= MIN_IMAGE_WIDTH and bbox.width >= MIN_IMAGE_HEIGHT:
            return True  # rotated
    return False


def ocr_textpage(page: Page, *, full: bool) -> Any:
    """A TextPage of the page's OCR words (``full=False``: images only, merged with the text)."""
    return page.get_textpage_ocr(
        flags=_FLAGS, language=LANGUAGE, dpi=OCR_DPI, full=full, tessdata=tessdata()
    )


_MIN_WORDS = 3


def upright_textpage(page: Page) -> Any:
    """OCR the whole page turned so its words read upright.

    Tesseract reads only upright text, and a scan is often stored sideways with a ``/Rotate``
    to show it upright (or not). The page is read unrotated first, then turned a quarter at a
    time until OCR reads words; it is left turned that way, so the TextPage's coordinates
    match the page (the caller restores the rotation it had).
    """
    textpage = None
    best = (-1, 0)
    for rotation in (0, 90, 270, 180):
        page.set_rotation(rotation)
        textpage = ocr_textpage(page, full=True)
        # Sideways text reads as a scatter of one- and two-character "words"; upright text
        # reads as words of letters.
        words = sum(
            1
            for word in page.get_text("words", textpage=textpage)
            if len(word[4]) >= 3 and str(word[4]).isalpha()
        )
        if words >= _MIN_WORDS:
            return textpage
        best = max(best, (words, rotation))
    page.set_rotation(best[1])
    return ocr_textpage(page, full=True) if best[1] != 180 else textpage


def rendered_words(page: Page) -> str:
    """The words OCR reads on the page (rendered at 300 dpi, turned upright), one line of the
    page per line of text."""
    rotation = int(page.rotation)
    try:
        textpage = upright_textpage(page)
        text = str(page.get_text("text", textpage=textpage))
    finally:
        page.set_rotation(rotation)
    return re.sub(r"[ \t]+", " ", text)
