"""What Story cannot add: internal links, the outline, the running header and footer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pymupdf

from readingroom.sample.constants import BODY, FOOTER_TEXT, HEADER_TEXT, PAGE


def add_links(doc: Any, positions: list[Any]) -> None:
    """Insert one GOTO link per line of each ``<a href="#...">``.

    MuPDF reports a link's text word by word; joining the pieces on a line gives one clickable
    area per line instead of dozens of tiny ones.
    """
    targets = {p.id: p for p in positions if p.open_close & 1 and p.id}
    areas: list[tuple[int, str, Any]] = []
    for position in positions:
        if not (position.open_close & 1 and position.href):
            continue
        rect = pymupdf.Rect(position.rect)
        if areas and areas[-1][:2] == (position.page_num, position.href):
            last = areas[-1][2]
            if abs(last.y0 - rect.y0) < 1 and rect.x0 - last.x1 < 8:
                areas[-1] = (position.page_num, position.href, last | rect)
                continue
        areas.append((position.page_num, position.href, rect))
    for page_num, href, rect in areas:
        target = targets[href.removeprefix("#")]
        link = {
            "kind": pymupdf.LINK_GOTO,
            "from": rect,
            "page": target.page_num - 1,
            "to": _above(target.rect),
        }
        doc[page_num - 1].insert_link(link)


def add_outline(doc: Any, positions: list[Any], titles: dict[str, str]) -> None:
    """Mirror the headings (h1 to h3) in the PDF outline, each pointing at its heading."""
    toc = [
        [
            p.heading,
            titles.get(p.id, p.text),
            p.page_num,
            {"kind": pymupdf.LINK_GOTO, "to": _above(p.rect)},
        ]
        for p in positions
        if p.heading and p.open_close & 1 and p.text
    ]
    doc.set_toc(toc)


def _above(rect: Sequence[float]) -> Any:
    """A destination point a little above an element, so a viewer shows it with some context."""
    return pymupdf.Point(rect[0], max(rect[1] - 8, 0))


def add_running_header(doc: Any) -> None:
    font = pymupdf.Font("helv")
    bold = pymupdf.Font("hebo")
    grey = (0.3, 0.3, 0.3)
    for page in doc:
        # DocumentWriter leaves a flipping "cm" outside any q/Q pair; isolate it before drawing.
        page.wrap_contents()
        number = f"Page {page.number + 1} of {doc.page_count}"
        writer = pymupdf.TextWriter(page.rect, color=grey)
        width = bold.text_length(HEADER_TEXT, 8)
        writer.append(((PAGE.width - width) / 2, 38), HEADER_TEXT, font=bold, fontsize=8)
        writer.append((BODY.x0, PAGE.height - 34), FOOTER_TEXT, font=font, fontsize=7.5)
        right = BODY.x1 - font.text_length(number, 8)
        writer.append((right, PAGE.height - 34), number, font=font, fontsize=8)
        writer.write_text(page)
        page.draw_line((BODY.x0, 46), (BODY.x1, 46), color=grey, width=0.5)
        page.draw_line(
            (BODY.x0, PAGE.height - 46), (BODY.x1, PAGE.height - 46), color=grey, width=0.5
        )
