"""Every way a PDF can spell text: string and name tokens in PDF syntax, in every encoding.

The verifier must not depend on how a writer chose to encode a name. A string object may be
literal ``(Jane)`` with escapes (``\\112ane``, ``\\(``, line continuations) or hex ``<4A616E65>``;
its bytes may be PDFDocEncoding, UTF-16BE with or without a byte-order mark, UTF-16LE (seen in
broken writers) or UTF-8. A name object may carry ``#xx`` escapes. Content streams, ToUnicode maps
and Type3 glyph procedures spell text the same way, so the same lexer reads them.

:func:`text_variants` turns raw bytes into every plausible reading; the matcher is then run on
each. A false alarm costs a refusal; a missed reading costs a name, so every reading is tried.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

_ESCAPES = {
    ord("n"): b"\n",
    ord("r"): b"\r",
    ord("t"): b"\t",
    ord("b"): b"\b",
    ord("f"): b"\f",
    ord("("): b"(",
    ord(")"): b")",
    ord("\\"): b"\\",
}
_OCTAL = frozenset(b"01234567")
_SIMPLE_LITERAL = re.compile(rb"\(([^()\\]*)\)")
_HEX_STRING = re.compile(rb"<([0-9A-Fa-f\s]*)>")
_NAME = re.compile(rb"/([^\s/\[\]()<>{}%]*)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# PDFDocEncoding differs from Latin-1 only in 0x18-0x1F and 0x80-0x9F (typographic marks); the
# letters of a name are the same in both, so Latin-1 stands in for it here.
# A stream body inflating past this is a bomb, not text; the engines read what it holds.
_MAX_INFLATE = 64 * 1024 * 1024
_MAX_SYNTAX_SCAN = 4 * 1024 * 1024
_BOMS = (b"\xfe\xff", b"\xff\xfe", b"\xef\xbb\xbf")


def _literal_at(data: bytes, start: int) -> tuple[bytes, int]:
    """Decode the literal string whose ``(`` is at ``start``; return it and the index after."""
    out = bytearray()
    depth = 1
    i = start + 1
    size = len(data)
    while i < size:
        byte = data[i]
        if byte == 0x5C and i + 1 < size:  # backslash
            nxt = data[i + 1]
            if nxt in _OCTAL:
                j = i + 1
                while j < size and j < i + 4 and data[j] in _OCTAL:
                    j += 1
                out.append(int(data[i + 1 : j], 8) & 0xFF)
                i = j
                continue
            if nxt in (0x0D, 0x0A):  # a line continuation joins the two lines
                i += 2
                if nxt == 0x0D and i < size and data[i] == 0x0A:
                    i += 1
                continue
            out += _ESCAPES.get(nxt, bytes((nxt,)))
            i += 2
            continue
        if byte == 0x28:
            depth += 1
        elif byte == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
        out.append(byte)
        i += 1
    return bytes(out), size  # unterminated: what was read still counts


def string_tokens(data: bytes) -> Iterator[bytes]:
    """Yield the decoded bytes of every literal and hex string in PDF syntax ``data``."""
    i = 0
    size = len(data)
    while i < size:
        paren = data.find(b"(", i)
        angle = data.find(b"<", i)
        if paren < 0 and angle < 0:
            return
        if angle >= 0 and (paren < 0 or angle < paren):
            found = _HEX_STRING.match(data, angle)
            if found is None or data.startswith(b"<<", angle):
                i = angle + (2 if data.startswith(b"<<", angle) else 1)
                continue
            digits = re.sub(rb"\s", b"", found.group(1))
            if len(digits) % 2:
                digits += b"0"  # the spec: a missing final digit is 0
            yield bytes.fromhex(digits.decode("ascii"))
            i = found.end()
            continue
        if paren > 0 and data[paren - 1] == 0x5C:
            i = paren + 1  # an escaped parenthesis outside a string is not a string
            continue
        simple = _SIMPLE_LITERAL.match(data, paren)
        if simple is not None:  # no escapes, no nesting: most strings, read without a loop
            yield simple.group(1)
            i = simple.end()
            continue
        token, i = _literal_at(data, paren)
        yield token


def name_tokens(data: bytes) -> Iterator[str]:
    """Yield every name token in ``data`` with its ``#xx`` escapes decoded."""
    for found in _NAME.finditer(data):
        if b"#" not in found.group(1):
            # Without escapes the name reads as it is written: the reading of the whole
            # object already holds it.
            continue
        raw = _NAME_ESCAPE.sub(lambda m: bytes((int(m.group(1), 16),)), found.group(1))
        if raw:
            yield from text_variants(raw)


def text_variants(raw: bytes) -> list[str]:
    """Every plausible reading of ``raw`` as text (duplicates removed, order kept)."""
    readings: list[str] = []
    body = raw
    for bom in _BOMS:
        if raw.startswith(bom):
            body = raw[len(bom) :]
    readings.append(raw.decode("latin-1"))
    readings.append(body.decode("utf-8", errors="replace"))
    if len(body) >= 2:
        for codec in ("utf-16-be", "utf-16-le"):
            readings.append(body.decode(codec, errors="replace"))
            # Odd offset: a UTF-16 string embedded in a larger byte run need not be aligned.
            readings.append(body[1:].decode(codec, errors="replace"))
    # Control characters and NULs between letters ("J\0a\0n\0e") read as nothing.
    readings.append(re.sub(r"[\x00-\x08\x0b-\x1f]", "", raw.decode("latin-1")))
    return list(dict.fromkeys(_text_or_binary(reading) for reading in readings))


# A reading with control characters or undecodable bytes is bytes, not text: a run of a font
# program or of compressed data that happened to sit between parentheses.
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")


def _text_or_binary(reading: str) -> str:
    return binary_reading(reading) if _NOT_TEXT.search(reading) else reading


def binary_reading(text: str) -> str:
    """A reading of a whole run of bytes with every non-ASCII character made a "?".

    The matcher reads accents and look-alike letters as the letters they resemble; in a run of
    compressed or image bytes read as text, "aLÄn" or "ŅąŇ" then turn up by chance and every
    large file would be refused. Text that a reader can see is in string tokens and names
    (read in full below) and in page text, not in the bytes between them.
    """
    return text if text.isascii() else text.encode("ascii", "replace").decode("ascii")


def readings_of_syntax(data: bytes) -> Iterator[str]:
    """Every reading of every string and name in PDF syntax ``data`` (an object or a stream),
    and of the whole run of bytes itself (its ASCII letters only)."""
    yield from (binary_reading(text) for text in text_variants(data))
    for token in string_tokens(data):
        yield from text_variants(token)
    yield from name_tokens(data)


_STREAM_BODY = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)


def raw_file_readings(pdf: bytes) -> Iterator[tuple[str, Iterator[str]]]:
    """``(place, readings)`` of the file's bytes as they lie, whatever any cross-reference table
    says: the whole file, and every ``stream ... endstream`` body inflated when it is Flate
    data. This finds an object no engine lists (a body left outside every xref section)."""
    if len(pdf) <= _MAX_SYNTAX_SCAN:
        yield "the raw file bytes", readings_of_syntax(pdf)
    else:  # a large file is mostly image data: its strings are read by the engines' walks
        yield "the raw file bytes", iter((binary_reading(pdf.decode("latin-1")),))
    for found in _STREAM_BODY.finditer(pdf):
        try:
            inflated = zlib.decompressobj().decompress(found.group(1), _MAX_INFLATE)
        except zlib.error:
            continue
        place = f"the stream body at byte {found.start(1)} of the raw file"
        if len(inflated) > _MAX_SYNTAX_SCAN:
            # Megabytes of inflated data are image samples: read as bytes only.
            yield place, iter((binary_reading(inflated.decode("latin-1")),))
        else:
            yield place, readings_of_syntax(inflated)
