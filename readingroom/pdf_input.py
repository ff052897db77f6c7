"""Checking that the bytes a publisher gives us are a PDF we can seal.

This is the only place the sealing side opens a PDF, and it only counts pages: text is never
extracted here.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf

from readingroom.errors import InputFileError
from readingroom.fileio import read_input_file

MAX_PDF_BYTES = 2 * 1024**3


def read_pdf(path: Path) -> bytes:
    """Read a PDF file's bytes, refusing what is missing, unreadable or far too large.

    Raises:
        InputFileError: with a message naming the file.
    """
    return read_input_file(path, what="PDF", limit=MAX_PDF_BYTES)


def count_pages(data: bytes, name: str) -> int:
    """The page count of a PDF given as bytes.

    Args:
        data: the PDF.
        name: how to refer to it in an error message (the user's file name).

    Raises:
        InputFileError: not a PDF, damaged beyond repair, password-protected, or no pages.
    """
    if not data.lstrip()[:1024].find(b"%PDF-") >= 0:
        raise InputFileError(f"{name} is not a PDF file.")
    try:
        document = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises several unrelated types for broken files
        raise InputFileError(f"{name} is damaged and cannot be read as a PDF.") from exc
    try:
        if document.needs_pass or document.is_encrypted:
            raise InputFileError(
                f"{name} is password-protected. Remove the password before sealing it."
            )
        pages = int(document.page_count)
    finally:
        document.close()
    if pages == 0:
        raise InputFileError(f"{name} has no pages.")
    return pages
