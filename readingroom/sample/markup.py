"""The sample's tiny markup and its chronology table, turned into HTML for PyMuPDF's Story."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import date

from readingroom.sample.constants import (
    CHRONOLOGY_CLASSES,
    CHRONOLOGY_COLUMNS,
    CHRONOLOGY_MARK,
    CHRONOLOGY_START,
    HEADING,
)


def _inline(text: str) -> str:
    """Escape a line and apply the inline markup: links, bold, italics."""
    out = html.escape(text, quote=False)
    # "{page}" inside a link's text becomes the page of the link's target, filled in per pass.
    out = re.sub(
        r"\[([^\]]+)\]\(#([\w-]+)\)",
        lambda m: (
            f'<a href="#{m.group(2)}">{m.group(1).replace("{page}", page_mark(m.group(2)))}</a>'
        ),
        out,
    )
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    return re.sub(r"(?<![\w*])\*(.+?)\*(?![\w*])", r"<i>\1</i>", out)


def page_mark(target: str) -> str:
    return f"\x00page:{target}\x00"


def _row(
    cells: Sequence[str], tag: str = "td", attributes: str = "", chronology: bool = False
) -> str:
    classes = CHRONOLOGY_CLASSES if chronology else ("",) * len(cells)
    tds = "".join(
        f'<{tag} class="{css}">{_inline(cell)}</{tag}>'
        for css, cell in zip(classes, cells, strict=True)
    )
    return f"<tr{attributes}>{tds}</tr>"


def _table(rows: list[list[str]]) -> str:
    head = _row(rows[0], "th", ' class="head"')
    return f'<table class="grid">{head}{"".join(_row(row) for row in rows[1:])}</table>'


def markup_to_html(source: str) -> tuple[str, dict[str, str]]:
    """Convert the review's markup to HTML with marks where page numbers go.

    Also returns each heading's text by anchor, for the outline: the text MuPDF reports for a
    heading loses the space where the heading wrapped.
    """
    parts: list[str] = []
    headings: list[tuple[int, str, str]] = []  # level, text, anchor: for the contents
    paragraph: list[str] = []
    items: list[str] = []
    table: list[list[str]] = []

    def flush(keep: str = "") -> None:
        """Close the open paragraph, list or table, except the kind the next line continues."""
        if paragraph:
            text = " ".join(paragraph)
            anchored = re.match(r"\{#([\w-]+)\}\s*", text)  # a paragraph that links can target
            attribute = f' id="{anchored.group(1)}"' if anchored else ""
            text = text[anchored.end() :] if anchored else text
            parts.append(f"<p{attribute}>{_inline(text)}</p>")
            paragraph.clear()
        if items and keep != "- ":
            parts.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
            items.clear()
        if table and keep != "|":
            parts.append(_table(table))
            table.clear()

    for raw in source.splitlines():
        line = raw.strip()
        if line.startswith("%"):  # a comment for whoever edits the source
            continue
        heading = HEADING.match(line)
        if not line or heading or line.startswith(("@", ":::", "- ", "|")):
            flush(keep=line[:2] if line.startswith("- ") else line[:1])
        if heading:
            level, text = len(heading.group(1)), heading.group(2)
            anchor = heading.group(3) or f"h{len(headings)}"
            headings.append((level, text, anchor))
            parts.append(f'<h{level} id="{anchor}">{_inline(text)}</h{level}>')
        elif line.startswith(":::"):
            css_class = line[3:].strip()
            parts.append(f'<div class="{css_class}">' if css_class else "</div>")
        elif line == "@contents":
            parts.append("\x00contents\x00")
        elif line == "@chronology":
            parts.append(CHRONOLOGY_MARK)
        elif line.startswith("- "):
            items.append(line[2:])
        elif line.startswith("|"):
            table.append([cell.strip() for cell in line.strip("|").split("|")])
        elif line and not heading:
            paragraph.append(line)
    flush()
    titles = {anchor: re.sub(r"[*\[\]]|\(#[\w-]+\)", "", text) for _, text, anchor in headings}
    return "\n".join(parts).replace("\x00contents\x00", _contents(headings)), titles


def _contents(headings: list[tuple[int, str, str]]) -> str:
    rows = [
        f'<tr class="toc{level}"><td><a href="#{anchor}">{_inline(text)}</a></td>'
        f'<td class="pageno">{page_mark(anchor)}</td></tr>'
        for level, text, anchor in headings
        if level <= 2 and anchor != "contents"
    ]
    return f'<table class="toc">{"".join(rows)}</table>'


def chronology_rows(rows: list[dict[str, str]]) -> list[str]:
    html_rows = []
    for number, row in enumerate(rows, start=1):
        when = date.fromisoformat(row["date"]).strftime("%d %b %Y").lstrip("0")
        cells = [str(number), when, row["agency"], row["who"], row["what"], row["should"]]
        html_rows.append(_row(cells, attributes=f' id="c{number}"', chronology=True))
    return html_rows


def chronology(rows: list[str], breaks: frozenset[int]) -> str:
    """The chronology as one table per page, so that each page starts with the header row.

    An empty block marks where the table would start without a break before its first row.
    """
    head = _row(CHRONOLOGY_COLUMNS, "th", ' class="head"', chronology=True)
    out = [f'<div id="{CHRONOLOGY_START}"></div>']
    for number, row in enumerate(rows, start=1):
        if number == 1 or number in breaks:
            if number > 1:
                out.append("</table>")
            if number in breaks:
                out.append('<div class="pagebreak"></div>')
            out.append(f'<table class="chron">{head}')
        out.append(row)
    out.append("</table>")
    return "".join(out)
