"""Canonical unpadded base64, the only base64 the age header allows.

The spec requires the standard alphabet without padding and rejects non-canonical encodings
(non-zero leftover bits), so that every header has exactly one byte representation and the
header MAC covers what the parser understood.
"""

from __future__ import annotations

import base64
import re

from readingroom.age.errors import AgeHeaderError

_ALPHABET = re.compile(rb"[A-Za-z0-9+/]*")


def encode(data: bytes) -> bytes:
    """Encode ``data`` as unpadded standard base64."""
    return base64.b64encode(data).rstrip(b"=")


def decode(text: bytes) -> bytes:
    """Decode canonical unpadded base64.

    Raises:
        AgeHeaderError: padding, a character outside the alphabet (including CR and LF, which
            Python's decoder would otherwise skip), an impossible length or non-zero spare bits.
    """
    if _ALPHABET.fullmatch(text) is None or len(text) % 4 == 1:
        raise AgeHeaderError(reason="base64 alphabet or length")
    data = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    # Spare bits of the last character must be zero; re-encoding is the simplest exact check.
    if encode(data) != text:
        raise AgeHeaderError(reason="non-canonical base64")
    return data
