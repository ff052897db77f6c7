"""Build the bundled, fictional Serious Case Review PDF from its source in ``resources/sample/``.

The source is text: ``review.txt`` (a tiny markup, described in the sample's README.md),
``chronology.csv`` (the long table), ``people.csv`` (placeholder codes such as ``SW1`` with a role
label and the fictional names of an agency's draft) and ``review.css``. The builder turns it into
HTML, lays it out with PyMuPDF's Story, then adds what Story cannot: internal links, the outline,
the running header and footer, and fixed metadata.

Page numbers appear in the text (contents, "see Finding 3 (page N)") and the chronology repeats
its header row by starting a new table on each page; both depend on the layout they change, so
the layout is repeated until it stops changing.
"""

from __future__ import annotations

import argparse
import csv
import html
import importlib.resources
import io
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pymupdf

from readingroom.errors import InputFileError, ReadingRoomError
from readingroom.fileio import check_output_path, write_atomically

PAGE = pymupdf.paper_rect("a4")
# Text area: the running header and footer live in the margins above and below it.
BODY = pymupdf.Rect(58, 64, PAGE.width - 58, PAGE.height - 62)
HEADER_TEXT = "FICTIONAL \u2014 Westmoor SCR \u2014 Child A \u2014 OFFICIAL-SENSITIVE"
FOOTER_TEXT = "FICTIONAL DOCUMENT \u2014 not a real case \u2014 every person is a role label"
MAX_LAYOUT_PASSES = 8
MIN_ROWS_FIRST_PAGE = 3  # fewer rows than this at the foot of a page: start the table overleaf
EM = 11  # points; review.css sets the real sizes
METADATA = {
    "title": "Serious Case Review: Child A (FICTIONAL SAMPLE)",
    "author": "Westmoor Safeguarding Children Partnership (fictional)",
    "subject": "FICTIONAL sample document for ReadingRoom",
    "keywords": "FICTIONAL, OFFICIAL-SENSITIVE, sample",
    "creator": "readingroom.sample",
    "producer": "PyMuPDF",
    # Fixed dates (and no new /ID on save) keep the output byte-for-byte reproducible.
    "creationDate": "D:20180912090000Z",
    "modDate": "D:20180912090000Z",
}

_PERSON = re.compile(r"\{([A-Z][A-Z0-9]*)(?:\.(title|first|initial))?\}")
_HEADING = re.compile(r"^(#{1,3})\s+(.*?)\s*(?:\{#([\w-]+)\})?$")
_PAGE_MARK = re.compile(r"\x00page:([\w-]+)\x00")
_CHRONOLOGY_MARK = "\x00chronology\x00"
_CHRONOLOGY_COLUMNS = ("No.", "Date", "Agency", "Who", "What happened", "What should have happened")
_CHRONOLOGY_START = "chronology"  # the id of an empty block just before the table
_CHRONOLOGY_CLASSES = ("no", "date", "agency", "who", "what", "should")


def sample_source_dir() -> Path:
    """Return the folder holding the sample's source files.

    The packaging step copies ``resources/sample`` into ``readingroom/data/sample`` so that a
    wheel or a frozen bundle carries it; in a source checkout it is only found at the top level.
    """
    packaged = importlib.resources.files("readingroom") / "data" / "sample"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "resources" / "sample"


@dataclass(frozen=True)
class Person:
    """One person of the sample: a role label and the fictional names of the draft."""

    code: str
    label: str
    full: str
    title: str
    first: str
    initial: str

    def name(self, form: str | None) -> str:
        """Return this person's fictional name in ``form`` (None: the full name)."""
        value: str = getattr(self, form or "full")
        if not value:
            raise ValueError(f"people.csv gives {self.code} no {form} form")
        return value


def _read_text(name: str) -> str:
    path = sample_source_dir() / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputFileError(f"The sample document source {path} cannot be read.") from exc


def _read_csv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_read_text(name))))


def load_people() -> dict[str, Person]:
    """Load ``people.csv``: placeholder code -> :class:`Person`."""
    return {row["code"]: Person(**row) for row in _read_csv("people.csv")}


def name_variants(people: dict[str, Person]) -> list[tuple[str, str]]:
    """Return every ``(fictional name, role label)`` pair the draft can contain.

    This is what ``names.csv`` must list for the prepare step to turn the draft into the
    labelled version; the tests check that the file and this function agree.
    """
    pairs = {
        (person.name(form), person.label)
        for person in people.values()
        for form in ("full", "title", "first", "initial")
        if getattr(person, form)
    }
    return sorted(pairs)


def substitute_people(text: str, people: dict[str, Person], *, real_names: bool) -> str:
    """Replace ``{SW1}``, ``{SW1.title}``, ``{SW1.first}``, ``{SW1.initial}`` placeholders."""

    def replace(match: re.Match[str]) -> str:
        person = people.get(match.group(1))
        if person is None:
            raise ValueError(f"unknown person placeholder {match.group(0)}")
        name = person.name(match.group(2))  # validates the form in both variants
        return name if real_names else person.label

    return _PERSON.sub(replace, text)


def _inline(text: str) -> str:
    """Escape a line and apply the inline markup: links, bold, italics."""
    out = html.escape(text, quote=False)
    # "{page}" inside a link's text becomes the page of the link's target, filled in per pass.
    out = re.sub(
        r"\[([^\]]+)\]\(#([\w-]+)\)",
        lambda m: (
            f'<a href="#{m.group(2)}">{m.group(1).replace("{page}", _page_mark(m.group(2)))}</a>'
        ),
        out,
    )
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    return re.sub(r"(?<![\w*])\*(.+?)\*(?![\w*])", r"<i>\1</i>", out)


def _page_mark(target: str) -> str:
    return f"\x00page:{target}\x00"


def _row(
    cells: Sequence[str], tag: str = "td", attributes: str = "", chronology: bool = False
) -> str:
    classes = _CHRONOLOGY_CLASSES if chronology else ("",) * len(cells)
    tds = "".join(
        f'<{tag} class="{css}">{_inline(cell)}</{tag}>'
        for css, cell in zip(classes, cells, strict=True)
    )
    return f"<tr{attributes}>{tds}</tr>"


def _table(rows: list[list[str]]) -> str:
    head = _row(rows[0], "th", ' class="head"')
    return f'<table class="grid">{head}{"".join(_row(row) for row in rows[1:])}</table>'


def _markup_to_html(source: str) -> tuple[str, dict[str, str]]:
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
        heading = _HEADING.match(line)
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
            parts.append(_CHRONOLOGY_MARK)
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
        f'<td class="pageno">{_page_mark(anchor)}</td></tr>'
        for level, text, anchor in headings
        if level <= 2 and anchor != "contents"
    ]
    return f'<table class="toc">{"".join(rows)}</table>'


def _chronology_rows(rows: list[dict[str, str]]) -> list[str]:
    html_rows = []
    for number, row in enumerate(rows, start=1):
        when = date.fromisoformat(row["date"]).strftime("%d %b %Y").lstrip("0")
        cells = [str(number), when, row["agency"], row["who"], row["what"], row["should"]]
        html_rows.append(_row(cells, attributes=f' id="c{number}"', chronology=True))
    return html_rows


def _chronology(rows: list[str], breaks: frozenset[int]) -> str:
    """The chronology as one table per page, so that each page starts with the header row.

    An empty block marks where the table would start without a break before its first row.
    """
    head = _row(_CHRONOLOGY_COLUMNS, "th", ' class="head"', chronology=True)
    out = [f'<div id="{_CHRONOLOGY_START}"></div>']
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


def _lay_out(html_text: str, css: str, *, write: bool) -> tuple[Any, list[Any]]:
    """Lay the HTML out on A4 pages: the document (only if ``write``) and element positions.

    Each position is a pymupdf ElementPosition to which Story.write adds a ``page_num``.
    """
    positions: list[Any] = []
    stream = io.BytesIO()
    writer = pymupdf.DocumentWriter(stream) if write else None
    story = pymupdf.Story(html_text, user_css=css, em=EM)

    def rectfn(rect_num: int, filled: Any) -> tuple[Any, Any, Any]:
        return PAGE, BODY, None

    story.write(writer, rectfn, positionfn=positions.append)
    if writer is None:
        return None, positions
    writer.close()
    return pymupdf.open("pdf", stream.getvalue()), positions


def _render(body: str, rows: list[str], pages: dict[str, int], breaks: Sequence[int]) -> str:
    # Unknown page numbers print as "00", the width most of them will have, so that filling
    # them in rarely changes how a paragraph wraps.
    return _fill_pages(body.replace(_CHRONOLOGY_MARK, _chronology(rows, frozenset(breaks))), pages)


def _fill_pages(html_text: str, pages: dict[str, int]) -> str:
    return _PAGE_MARK.sub(lambda m: str(pages.get(m.group(1), "00")), html_text)


def _paginate(body: str, rows: list[str], css: str) -> tuple[Any, list[Any]]:
    """Lay the document out again until its page numbers and chronology breaks are stable."""
    pages: dict[str, int] = {}
    breaks: tuple[int, ...] = ()
    for _ in range(MAX_LAYOUT_PASSES):
        html_text = _render(body, rows, pages, breaks)
        _, positions = _lay_out(html_text, css, write=False)
        pages = _anchor_pages(positions)
        start = next(p for p in positions if p.id == _CHRONOLOGY_START and p.open_close & 1)
        filled_rows = [_fill_pages(row, pages) for row in rows]
        settled = _chronology_breaks(filled_rows, css, start.rect[1])
        if settled != breaks:
            breaks = settled
        elif _render(body, rows, pages, breaks) == html_text:
            return _lay_out(html_text, css, write=True)
    raise RuntimeError("the sample document's layout did not settle")


def _chronology_breaks(rows: list[str], css: str, start: float) -> tuple[int, ...]:
    """Find the rows that must start a page, given where on its page the table starts.

    The table is laid out alone, a page at a time, each page starting with the header row; a
    row that does not end on a page starts the next one. A table that would begin with fewer
    than a few rows at the foot of a page starts on the next page instead (a break before row 1).
    """
    breaks: list[int] = []
    index = 0
    top = start - _start_offset(css)
    while index < len(rows):
        fitted = _rows_that_fit(rows[index:], css, top)
        top = BODY.y0
        if index == 0 and not breaks and fitted < min(MIN_ROWS_FIRST_PAGE, len(rows)):
            breaks.append(1)
            continue
        index += max(1, fitted)  # a row taller than a page goes on a page of its own
        if index < len(rows):
            breaks.append(index + 1)
    return tuple(breaks)


def _rows_that_fit(rows: list[str], css: str, top: float) -> int:
    ended = _place(_chronology(rows, frozenset()), css, top)
    return sum(1 for p in ended if p.id and p.id[1:].isdigit() and p.open_close & 2)


def _start_offset(css: str) -> float:
    """How far below the top of its area the table's start marker is laid out."""
    placed = _place(_chronology([], frozenset()), css, BODY.y0)
    return float(next(p.rect[1] for p in placed if p.id == _CHRONOLOGY_START) - BODY.y0)


def _place(html_text: str, css: str, top: float) -> list[Any]:
    """Lay out what fits of ``html_text`` on one page from ``top`` down; return the positions."""
    story = pymupdf.Story(html_text, user_css=css, em=EM)
    story.place(pymupdf.Rect(BODY.x0, top, BODY.x1, BODY.y1))
    positions: list[Any] = []

    def collect(position: Any) -> None:  # Story insists on a Python function, not any callable
        positions.append(position)

    story.element_positions(collect)
    return positions


def _anchor_pages(positions: list[Any]) -> dict[str, int]:
    pages: dict[str, int] = {}
    for position in positions:
        if position.open_close & 1 and position.id:
            pages.setdefault(position.id, position.page_num)
    return pages


def _add_links(doc: Any, positions: list[Any]) -> None:
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


def _add_outline(doc: Any, positions: list[Any], titles: dict[str, str]) -> None:
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


def _add_running_header(doc: Any) -> None:
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


def build_sample_pdf(*, with_real_names: bool = False) -> bytes:
    """Build the fictional Serious Case Review as PDF bytes.

    Args:
        with_real_names: build the agency's *draft*, in which people carry fictional personal
            names (listed in ``names.csv``) instead of role labels.

    Returns:
        The PDF; the same bytes every time for the same variant.

    Raises:
        InputFileError: the sample's source files are missing.
    """
    people = load_people()
    source = substitute_people(_read_text("review.txt"), people, real_names=with_real_names)
    chronology = _read_csv("chronology.csv")
    for row in chronology:
        for key in ("who", "what", "should"):
            row[key] = substitute_people(row[key], people, real_names=with_real_names)
    body, titles = _markup_to_html(source)
    doc, positions = _paginate(body, _chronology_rows(chronology), _read_text("review.css"))
    _add_links(doc, positions)
    _add_outline(doc, positions, titles)
    _add_running_header(doc)
    doc.set_metadata(METADATA)
    data: bytes = doc.tobytes(garbage=3, deflate=True, no_new_id=True)
    return data


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m readingroom.sample -o OUT.pdf [--draft] [--force]``."""
    parser = argparse.ArgumentParser(prog="python -m readingroom.sample", description=__doc__)
    parser.add_argument("-o", "--output", type=Path, required=True, help="PDF file to write")
    parser.add_argument("--draft", action="store_true", help="use fictional names, not labels")
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    args = parser.parse_args(argv)
    try:
        check_output_path(args.output, force=args.force)  # before the seconds spent building
        pdf = build_sample_pdf(with_real_names=args.draft)
        write_atomically(args.output, pdf, force=args.force, mode=0o644)
    except ReadingRoomError as error:
        print(f"readingroom: {error}", file=sys.stderr)
        return error.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
