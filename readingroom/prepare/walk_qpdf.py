"""Every object of a PDF as qpdf reads it (through pikepdf): the second, independent engine.

qpdf is a C++ parser of a different lineage from MuPDF, and stricter: where MuPDF silently
repairs a broken cross-reference table, qpdf reports a warning. Any warning fails the check,
so a file the two engines could read differently is never called clean. pikepdf is a
dependency of the ``publish`` extra only: the viewer never imports this module.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from readingroom.prepare.pdf_strings import binary_reading, name_tokens, text_variants
from readingroom.prepare.walk_mupdf import UnreadableObject, object_kind, stream_readings

ENGINE = "qpdf"


class EngineMissing(Exception):
    """pikepdf is not installed (the ``publish`` extra)."""


def load_pikepdf() -> Any:
    """pikepdf, imported on first use (it is the ``publish`` extra, not a viewer dependency).

    Raises:
        EngineMissing: it is not installed.
    """
    try:
        import pikepdf  # noqa: PLC0415 - optional: only the prepare command needs it
    except ImportError as exc:
        raise EngineMissing from exc
    return pikepdf


def engine_version() -> str:
    """``"qpdf 12.4.2 (pikepdf 10.18.0)"``."""
    pikepdf = load_pikepdf()
    return f"qpdf {pikepdf.__libqpdf_version__} (pikepdf {pikepdf.__version__})"


def _direct_readings(root: Any, pikepdf: Any) -> Iterator[str]:
    """Readings of every string and name inside one object, not following references."""
    stack = [root]
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.String):
            yield from text_variants(bytes(obj))
        elif isinstance(obj, pikepdf.Name):
            yield str(obj)
            yield from name_tokens(str(obj).encode("utf-8", errors="replace"))
        elif isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            for key in obj.keys():  # noqa: SIM118 - a pikepdf Dictionary, not a dict
                yield str(key)
                yield from name_tokens(str(key).encode("utf-8", errors="replace"))
                child = obj.get(key)
                if not getattr(child, "is_indirect", True):
                    stack.append(child)
        elif isinstance(obj, pikepdf.Array):
            stack.extend(child for child in obj if not getattr(child, "is_indirect", True))


def _stream_data(stream: Any) -> tuple[bytes, bytes]:
    raw = bytes(stream.read_raw_bytes())
    try:
        return bytes(stream.read_bytes()), raw
    except Exception:  # an image codec qpdf does not decode (DCT, JBIG2)
        return raw, raw


def open_strictly(pdf: bytes) -> Any:
    """Open ``pdf`` with qpdf, refusing anything qpdf had to repair."""
    pikepdf = load_pikepdf()
    try:
        document = pikepdf.open(io.BytesIO(pdf))
    except Exception as exc:  # pikepdf raises PdfError and others
        raise UnreadableObject("the file structure (qpdf cannot open it)") from exc
    if document.get_warnings():
        document.close()
        raise UnreadableObject("the file structure (qpdf had to repair it)")
    return document


def walk_objects(pdf: bytes) -> Iterator[tuple[str, Iterator[str]]]:
    """Yield ``(place, readings)`` for every object qpdf finds in ``pdf``.

    Raises:
        UnreadableObject: qpdf cannot open the file, had to repair it, or cannot read an object.
        EngineMissing: pikepdf is not installed.
    """
    pikepdf = load_pikepdf()
    document = open_strictly(pdf)
    with document:
        for obj in document.objects:
            number = obj.objgen[0]
            try:
                is_stream = isinstance(obj, pikepdf.Stream)
                type_name = str(obj.get("/Type", "")) if hasattr(obj, "get") else ""
                subtype = str(obj.get("/Subtype", "")) if hasattr(obj, "get") else ""
                place = f"object {number} ({object_kind(type_name, subtype, is_stream)})"
                yield place, _direct_readings(obj, pikepdf)
                if is_stream:
                    data, raw = _stream_data(obj)
                    yield place, stream_readings(data, is_image=subtype == "/Image")
                    if raw != data:
                        yield place, iter((binary_reading(raw.decode("latin-1")),))
            except UnreadableObject:
                raise
            except Exception as exc:  # fail closed on anything qpdf rejects
                raise UnreadableObject(f"object {number}") from exc
        yield "the trailer", _direct_readings(document.trailer, pikepdf)
        if document.get_warnings():
            raise UnreadableObject("the file structure (qpdf had to repair it)")
