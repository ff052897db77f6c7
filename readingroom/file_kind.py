"""Telling a file that is not a review file at all from a review file that is damaged.

``inspect`` says "This is a PDF, not a ReadingRoom review file" for the first kind, because the
custodian simply picked the wrong file; a file that starts as a review file but does not verify
keeps the one "damaged or altered" message, which never says which check failed.
"""

from __future__ import annotations

from readingroom.review_header import MAGIC

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"age-encryption.org/", "an age-encrypted file"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)


def is_review_file(data: bytes) -> bool:
    """True when ``data`` begins as a review file does (whether or not it then verifies)."""
    return data.startswith(MAGIC)


def kind_of_other_file(data: bytes) -> str:
    """What a file that is not a review file looks like, as a noun phrase ("a PDF")."""
    if not data:
        return "an empty file"
    if b"%PDF-" in data[:1024]:
        return "a PDF"
    for prefix, kind in _SIGNATURES:
        if data.startswith(prefix):
            return kind
    try:
        text = data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character cut at the 4096th byte is still text.
        try:
            text = data[:4093].decode("utf-8")
        except UnicodeDecodeError:
            return "a file of an unknown kind"
    if all(char.isprintable() or char in "\t\r\n\f" for char in text):
        return "a text file"
    return "a file of an unknown kind"
