"""Plain data the render worker hands to the UI: page sizes, outline entries, link areas.

These are produced in the renderer process (the only place that touches PyMuPDF, see
render_process.py) and are immutable values: wire.py encodes them as framed bytes for the
viewer, which checks every field before handing them to its UI thread. This module imports
neither Qt nor PyMuPDF. Outline titles are document text: they live only here, in memory, and
the outline panel turns them into images; no widget gets them as text. External link targets
are dropped here, in the renderer process: only the link *kind* survives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# A search hit in PDF points: (x0, y0, x1, y1) in the page's (rotated) coordinate space.
HighlightRect = tuple[float, float, float, float]

# A hostile PDF can carry a huge (or cyclic) outline; the tree never needs more than this.
MAX_OUTLINE_ENTRIES = 5000
MAX_OUTLINE_TITLE_CHARS = 200
MAX_OUTLINE_DEPTH = 64

# PyMuPDF link kinds (pymupdf.LINK_*), spelled out so this module needs no PyMuPDF import.
_LINK_GOTO = 1
_LINK_URI = 2
_LINK_LAUNCH = 3
_LINK_NAMED = 4
_LINK_GOTOR = 5


@dataclass(frozen=True)
class OutlineEntry:
    """One bookmark: its depth (1 = top level), title and 0-based target page (-1: none)."""

    level: int
    title: str
    page: int


@dataclass(frozen=True)
class LinkArea:
    """A clickable area of a page, in PDF points.

    ``kind`` is ``"internal"`` for links inside the document (then ``target_page`` and
    ``target_y`` say where they go) or one of ``"uri"``, ``"mailto"``, ``"file"``, ``"launch"``,
    ``"remote"`` for links that are never followed. The external target itself is never kept.
    """

    rect: HighlightRect
    kind: str
    target_page: int = -1
    target_y: float = 0.0


@dataclass(frozen=True)
class DocumentInfo:
    """What the UI needs to lay the document out before any page is rendered."""

    page_sizes: tuple[tuple[float, float], ...]
    outline: tuple[OutlineEntry, ...]


def read_document_info(document: Any) -> DocumentInfo:
    """Collect page sizes and outline of an open ``pymupdf.Document`` (in the renderer process)."""
    sizes = []
    for index in range(document.page_count):
        rect = document.load_page(index).rect
        sizes.append((float(rect.width), float(rect.height)))
    outline: list[OutlineEntry] = []
    try:
        toc = document.get_toc(simple=True)
    except Exception:  # A broken outline must not stop the document from opening.
        toc = []
    for level, title, page in toc[:MAX_OUTLINE_ENTRIES]:
        target = int(page) - 1 if isinstance(page, int) else -1
        if not 0 <= target < len(sizes):
            target = -1
        outline.append(
            OutlineEntry(
                min(max(int(level), 1), MAX_OUTLINE_DEPTH),
                str(title)[:MAX_OUTLINE_TITLE_CHARS],
                target,
            ),
        )
    return DocumentInfo(tuple(sizes), tuple(outline))


def link_areas(page: Any, page_count: int) -> tuple[LinkArea, ...]:
    """Return the links of a ``pymupdf.Page`` with external targets reduced to their kind."""
    areas = []
    for link in page.get_links():
        source = link.get("from")
        if source is None:
            continue
        rect = (float(source.x0), float(source.y0), float(source.x1), float(source.y1))
        kind = link.get("kind")
        target_page = link.get("page", -1)
        if kind in (_LINK_GOTO, _LINK_NAMED) and isinstance(target_page, int):
            if 0 <= target_page < page_count:
                point = link.get("to")
                target_y = float(point.y) if point is not None else 0.0
                areas.append(LinkArea(rect, "internal", target_page, max(0.0, target_y)))
        elif kind == _LINK_URI:
            areas.append(LinkArea(rect, _uri_kind(str(link.get("uri", "")))))
        elif kind == _LINK_LAUNCH:
            areas.append(LinkArea(rect, "launch"))
        elif kind == _LINK_GOTOR:
            areas.append(LinkArea(rect, "remote"))
    return tuple(areas)


def _uri_kind(uri: str) -> str:
    scheme = uri.strip().lower()
    if scheme.startswith("mailto:"):
        return "mailto"
    if scheme.startswith("file:"):
        return "file"
    return "uri"
