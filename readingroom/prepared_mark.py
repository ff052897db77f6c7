"""Whether a PDF carries the mark ``readingroom prepare`` leaves on what it proved clean.

A prepared PDF's document Info dictionary holds ``/ReadingRoomPrepared`` with the value
``v1 sha256:<64 lowercase hex>`` (the hash of the prepare report). ``seal`` only reads it to
warn about a PDF that did not go through ``prepare``; the mark is a reminder, not a proof
(anyone can write it), so nothing is refused on its strength.
"""

from __future__ import annotations

import re

import pymupdf

PREPARED_KEY = "ReadingRoomPrepared"
_MARK = re.compile(r"v1 sha256:[0-9a-f]{64}")


def prepared_mark(pdf: bytes) -> str | None:
    """The well-formed prepared mark of ``pdf``, or None (absent, malformed or unreadable)."""
    try:
        document = pymupdf.open(stream=pdf, filetype="pdf")
    except Exception:  # PyMuPDF raises several unrelated types for broken files
        return None
    try:
        kind, info = document.xref_get_key(-1, "Info")
        if kind != "xref":
            return None
        kind, value = document.xref_get_key(int(info.split()[0]), PREPARED_KEY)
    except (ValueError, IndexError, RuntimeError):
        return None
    finally:
        document.close()
    if kind != "string" or not _MARK.fullmatch(value):
        return None
    return str(value)
