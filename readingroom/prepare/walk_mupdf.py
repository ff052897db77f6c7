"""Every object of a PDF as MuPDF reads it: the first of the two engines that verify.

Each object in the cross-reference table (reachable from the catalog or not) is read as PDF
syntax and, if it is a stream, decompressed; every string and name in it is given to the
checker in every encoding (:mod:`readingroom.prepare.pdf_strings`). An object MuPDF cannot read
is not skipped: it is reported, and the verification fails (a check that cannot look has not
proven anything).
"""

from __future__ import annotations

from collections.abc import Iterator

from readingroom.prepare.mupdf import Document, pymupdf
from readingroom.prepare.pdf_strings import (
    binary_reading,
    readings_of_syntax,
    string_tokens,
    text_variants,
)

ENGINE = "MuPDF"


class UnreadableObject(Exception):
    """An object (named by ``place``) that the engine could not read."""

    def __init__(self, place: str) -> None:
        """Remember the place; the message never carries document text."""
        self.place = place
        super().__init__(place)


def object_kind(type_name: str, subtype: str, is_stream: bool) -> str:
    """``"Page"``, ``"XObject/Form stream"``, ``"dictionary"``: how a report names an object."""
    kind = "/".join(part.lstrip("/") for part in (type_name, subtype) if part)
    if not kind:
        kind = "object"
    return f"{kind} stream" if is_stream else kind


def stream_readings(data: bytes, *, is_image: bool) -> Iterator[str]:
    """Readings of a decompressed stream. Image samples are read only as bytes: their words
    are pixels, which the OCR check reads; a text reading of megabytes of samples finds
    nothing and costs seconds."""
    if is_image:
        yield binary_reading(data.decode("latin-1"))
        return
    yield from readings_of_syntax(data)
    # Text split into several strings ("(Ja) Tj (ne Smith) Tj", a TJ array with kerning) is
    # also checked as the strings joined in order.
    tokens = list(string_tokens(data))
    if len(tokens) > 1:
        yield from text_variants(b"".join(tokens))


def _name(doc: Document, xref: int, key: str) -> str:
    kind, value = doc.xref_get_key(xref, key)
    return str(value) if str(kind) == "name" else ""


def walk_objects(doc: Document) -> Iterator[tuple[str, Iterator[str]]]:
    """Yield ``(place, readings)`` for every object in ``doc``'s cross-reference table.

    Raises:
        UnreadableObject: MuPDF cannot read an object or decompress a stream.
    """
    for xref in range(1, int(doc.xref_length())):
        try:
            source = str(doc.xref_object(xref, compressed=True))
            is_stream = bool(doc.xref_is_stream(xref))
            subtype = _name(doc, xref, "Subtype")
            kind = object_kind(_name(doc, xref, "Type"), subtype, is_stream)
            data = bytes(doc.xref_stream(xref) or b"") if is_stream else b""
            raw = bytes(doc.xref_stream_raw(xref) or b"") if is_stream else b""
        except (RuntimeError, ValueError, pymupdf.mupdf.FzErrorBase) as exc:
            raise UnreadableObject(f"object {xref}") from exc
        place = f"object {xref} ({kind})"
        yield place, readings_of_syntax(source.encode("latin-1", errors="replace"))
        if is_stream:
            image = subtype == "/Image"
            yield place, stream_readings(data, is_image=image)
            if raw != data:
                yield place, iter((binary_reading(raw.decode("latin-1")),))


def walk_trailer(doc: Document) -> Iterator[tuple[str, Iterator[str]]]:
    """Yield the trailer's readings: it is not an object, but it can carry strings (``/ID``)."""
    yield "the trailer", readings_of_syntax(str(doc.xref_object(-1)).encode("latin-1", "replace"))
