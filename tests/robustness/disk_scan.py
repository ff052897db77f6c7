"""Looking for a document's text or bytes in every file under some folders.

A needle is found raw, as UTF-16 (either byte order), or inside any zlib or gzip stream in a file
(PDF content streams, compressed caches). Symbolic links are not followed.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_INFLATED = 64 * 1024 * 1024
_ZLIB_SECOND_BYTES = frozenset((0x01, 0x5E, 0x9C, 0xDA))


@dataclass(frozen=True)
class Found:
    """Where a needle turned up."""

    path: Path
    needle: str
    how: str


def needle_forms(text: str) -> dict[str, bytes]:
    """The byte forms a string can take in a file (hex: how PDF content streams often hold text)."""
    return {
        "utf-8": text.encode("utf-8"),
        "utf-16-le": text.encode("utf-16-le"),
        "utf-16-be": text.encode("utf-16-be"),
        "hex": text.encode("utf-8").hex().encode("ascii"),
        "HEX": text.encode("utf-8").hex().upper().encode("ascii"),
    }


def _streams(data: bytes) -> Iterator[bytes]:
    """Every zlib or gzip stream that inflates from some offset of ``data``."""
    for offset in range(len(data) - 1):
        first, second = data[offset], data[offset + 1]
        if first == 0x78 and second in _ZLIB_SECOND_BYTES:
            wbits = 15
        elif first == 0x1F and second == 0x8B:
            wbits = 31
        else:
            continue
        inflater = zlib.decompressobj(wbits)
        try:
            inflated = inflater.decompress(data[offset:], MAX_INFLATED)
        except zlib.error:
            continue
        if inflated:
            yield inflated


def files_under(roots: Iterable[Path]) -> list[Path]:
    """Every regular file under ``roots`` (no symlinks followed)."""
    found = []
    for root in roots:
        for folder, _dirs, names in os.walk(root, followlinks=False):
            for name in names:
                path = Path(folder) / name
                if path.is_file() and not path.is_symlink():
                    found.append(path)
    return sorted(set(found))


def search_file(path: Path, texts: dict[str, str], raw: dict[str, bytes]) -> list[Found]:
    """Look for each text (in all its forms) and each raw byte string in one file."""
    data = path.read_bytes()
    needles = {f"{label} ({form})": value for label, text in texts.items()
               for form, value in needle_forms(text).items()}  # fmt: skip
    needles.update(raw)
    hits = [Found(path, label, "raw") for label, value in needles.items() if value in data]
    for inflated in _streams(data):
        hits.extend(
            Found(path, label, "in a zlib/gzip stream")
            for label, value in needles.items()
            if value in inflated
        )
    return hits


def search_tree(
    roots: Iterable[Path],
    texts: dict[str, str],
    raw: dict[str, bytes],
    *,
    skip: Iterable[Path] = (),
) -> tuple[list[Path], list[Found]]:
    """Search every file under ``roots`` except ``skip``; return (files searched, hits)."""
    skipped = {path.resolve() for path in skip}
    files = [path for path in files_under(roots) if path.resolve() not in skipped]
    hits = [hit for path in files for hit in search_file(path, texts, raw)]
    return files, hits
