"""The review sheet: one self-contained HTML page for the custodian's sign-off of a prepared copy.

``readingroom prepare ... --review-sheet SHEET.html`` lists every replacement and redaction on
the pages as a pair of pictures (the line in the draft, the same area in the prepared copy)
with its page, label and the state of its line; then what was replaced off the pages (outline,
annotations, form fields, metadata), by label and place; then the likely names the names file
missed (``readingroom names suggest``); then a sign-off box.

The page cannot reach anything: pictures are ``data:`` URIs, the only style is inline, there is
no script, and a Content-Security-Policy forbids everything else, so opening it fetches nothing
and runs nothing. Every string is escaped. It shows the originals, so it is as sensitive as the
draft, and says so at its top; it is written only when asked for (docs/prepare.md).
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from readingroom import __version__
from readingroom.display_text import display_text
from readingroom.prepare.sheet_crops import Occurrence

if TYPE_CHECKING:
    from readingroom.prepare.suggestions import Suggestion

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)
BANNER = (
    "Sensitive: this sheet shows the original names from the draft. Keep it as safe as the "
    "draft, never send it with the prepared copy, and delete it once the copy is signed off."
)
LABEL_PLACED = "label placed"
"""The line state shown when the report carries no per-replacement ``line_status``."""
REDACTED = "removed under a black box"
_PAGE_PLACES = frozenset(("page text", "OCR"))
_MAX_TEXT = 200

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1000px;
       padding: 0 16px 48px; color: #1b1b1b; background: #fff; }
.banner { position: sticky; top: 0; background: #8a1111; color: #fff; padding: 10px 14px;
          font-weight: 600; border-radius: 0 0 6px 6px; }
h1 { font-size: 24px; margin: 24px 0 4px; }
h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 1px solid #ccc; padding-bottom: 4px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e4e4e4;
         vertical-align: top; }
th { background: #f3f3f3; }
.facts td:first-child { color: #555; width: 14em; }
.hash { font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; }
.pair { border: 1px solid #d8d8d8; border-radius: 6px; margin: 12px 0; padding: 8px 12px;
        break-inside: avoid; }
.pair h3 { font-size: 15px; margin: 0 0 6px; font-weight: 600; }
.status { font-weight: normal; color: #555; }
.status.attention { color: #8a4b00; font-weight: 600; }
figure { margin: 4px 0; display: grid; grid-template-columns: 5.5em 1fr; align-items: center; }
figcaption { color: #555; font-size: 13px; }
.crop { position: relative; display: inline-block; justify-self: start; max-width: 100%;
        line-height: 0; }
.crop img { max-width: 100%; border: 1px solid #eee; }
.mark { position: absolute; outline: 2px solid rgba(214, 120, 0, 0.75); outline-offset: 1px; }
.none { color: #777; font-style: italic; }
.signoff td { height: 2.2em; }
"""


def build_review_sheet(
    *,
    occurrences: Sequence[Occurrence],
    after: Sequence[bytes | None],
    report: dict[str, Any],
    suggestions: Sequence[Suggestion],
    prepared_pdf: bytes,
    report_json: bytes,
) -> bytes:
    """The sheet as UTF-8 HTML bytes.

    Args:
        occurrences: every occurrence on the pages, in page order, with its "before" picture.
        after: the "after" picture of each occurrence (same order; None if nothing to draw).
        report: the verified prepare report, as ``PrepareReport.to_dict()`` gives it (labels,
            places, per-replacement line states when it records them).
        suggestions: the likely names the names file misses.
        prepared_pdf: the stamped prepared PDF, to name it by its SHA-256.
        report_json: the report whose SHA-256 is stamped in the PDF.
    """
    if len(after) != len(occurrences):
        raise ValueError("one 'after' picture per occurrence")
    data = report
    statuses = line_statuses(data, occurrences)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CONTENT_SECURITY_POLICY)}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>ReadingRoom review sheet (sensitive)</title>",
        f"<style>{_STYLE}</style></head><body>",
        f'<p class="banner" role="alert">{_e(BANNER)}</p>',
        "<h1>Review sheet for a prepared copy</h1>",
        _facts(occurrences, data, prepared_pdf, report_json),
        _pairs(occurrences, after, statuses),
        _off_page(data),
        _suggestions(suggestions),
        _sign_off(),
        "</body></html>",
    ]
    return ("\n".join(parts) + "\n").encode("utf-8")


def _e(value: object) -> str:
    """Escape for HTML text and attribute values (quotes included)."""
    return html.escape(str(value), quote=True)


def _shown(text: str) -> str:
    # Draft text may hold bidirectional overrides or invisible characters that would make the
    # sheet lie about what it says: the one sanitiser for untrusted strings, then escaping.
    return _e(display_text(text, max_chars=_MAX_TEXT))


def _png(data: bytes | None, alt: str, marks: Sequence[tuple[float, ...]]) -> str:
    if data is None:
        return '<span class="none">outside the visible page: nothing to draw</span>'
    encoded = base64.b64encode(data).decode("ascii")
    boxes = "".join(
        f'<span class="mark" style="left:{x:.2%};top:{y:.2%};width:{w:.2%};height:{h:.2%}"></span>'
        for x, y, w, h in marks
    )
    return (
        f'<span class="crop"><img alt="{_e(alt)}" src="data:image/png;base64,{encoded}">'
        f"{boxes}</span>"
    )


def _facts(
    occurrences: Sequence[Occurrence],
    data: dict[str, Any],
    prepared_pdf: bytes,
    report_json: bytes,
) -> str:
    redactions = sum(1 for o in occurrences if o.is_redaction)
    rows = [
        ("Prepared copy (SHA-256)", f'<span class="hash">{_sha256(prepared_pdf)}</span>'),
        ("Report stamped in it (SHA-256)", f'<span class="hash">{_sha256(report_json)}</span>'),
        ("Verified", "yes: no original or term remains" if data["verified"] else "no"),
        ("Pages", _e(data["pages"])),
        ("Names replaced on the pages", _e(len(occurrences) - redactions)),
        ("Terms redacted on the pages", _e(redactions)),
        ("Pages that could not be verified", _e(_page_list(data["unverifiable_pages"]))),
        ("Removed while sanitising", _e(_removed(data["sanitised"]))),
        ("Made by", _e(f"ReadingRoom {__version__}")),
    ]
    body = "".join(f"<tr><td>{_e(name)}</td><td>{value}</td></tr>" for name, value in rows)
    intro = (
        "<p>Check each pair: the upper picture is the line in the draft (the occurrence "
        "outlined), the lower one the same area in the prepared copy. The name must be gone "
        "and the label must read naturally. "
        "Then check the likely names below that the names file does not cover.</p>"
    )
    return f'{intro}<table class="facts">{body}</table>'


def _removed(sanitised: dict[str, int]) -> str:
    return "; ".join(f"{kind} ({count})" for kind, count in sanitised.items()) or "nothing"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _page_list(pages: Sequence[int]) -> str:
    return ", ".join(str(page) for page in pages) if pages else "none"


# The re-typesetting's states (issue #13 section 1) in words; the ones a custodian should look at
# first are shown in amber. A state not listed here is shown as written, in amber too.
STATUS_WORDS = {
    "retypeset": ("line re-typeset", False),
    "condensed": ("line condensed", False),
    "carried": ("words carried over to the next line", True),
    "shrunk": ("label set smaller (last resort)", True),
    "cell-overflow": ("too long for its table cell", True),
    "pasted": ("label pasted over the gap (line not re-typeset)", True),
}


def line_statuses(data: dict[str, Any], occurrences: Sequence[Occurrence]) -> list[str]:
    """Each occurrence's line state, from the report's label lines (``per_page[n].lines``).

    An occurrence takes the state of the line on its page that holds its label and lies nearest
    its area; a name with no such line (pasted by OCR, say) shows "label placed", a term
    "removed under a black box".
    """
    lines = _label_lines(data)
    statuses: list[str] = []
    for occurrence in occurrences:
        line = (
            None
            if occurrence.is_redaction
            else _nearest_line(lines.get(occurrence.page, []), occurrence)
        )
        if line is not None:
            statuses.append(line[0])
        else:
            statuses.append(REDACTED if occurrence.is_redaction else LABEL_PLACED)
    return statuses


_LabelLine = tuple[str, frozenset[str], float]


def _label_lines(data: dict[str, Any]) -> dict[int, list[_LabelLine]]:
    """The re-typeset lines per page (``per_page[n].lines``): status, labels, vertical centre."""
    found: dict[int, list[_LabelLine]] = defaultdict(list)
    for number, page in (data.get("per_page") or {}).items():
        if not (isinstance(page, dict) and str(number).isdigit()):
            continue
        for line in page.get("lines") or []:
            if not isinstance(line, dict) or not isinstance(line.get("line_status"), str):
                continue
            labels = line.get("labels")
            box = line.get("box")
            if not isinstance(labels, list) or not (isinstance(box, list) and len(box) == 4):
                continue
            centre = (float(box[1]) + float(box[3])) / 2
            names = frozenset(label for label in labels if isinstance(label, str))
            found[int(number)].append((line["line_status"], names, centre))
    return found


def _nearest_line(lines: Sequence[_LabelLine], occurrence: Occurrence) -> _LabelLine | None:
    """The line holding the occurrence's label whose centre is nearest the occurrence's area."""
    candidates = [line for line in lines if occurrence.label in line[1]]
    if not candidates:
        return None
    middle = (occurrence.area[1] + occurrence.area[3]) / 2 if occurrence.area else 0.0
    return min(candidates, key=lambda line: abs(line[2] - middle))


def _status_words(status: str) -> tuple[str, bool]:
    """What a line state says, and whether to show it first (amber)."""
    if status in (LABEL_PLACED, REDACTED):
        return status, False
    return STATUS_WORDS.get(status, (status, True))


def _pairs(
    occurrences: Sequence[Occurrence], after: Sequence[bytes | None], statuses: Sequence[str]
) -> str:
    parts = [f"<h2>On the pages: {len(occurrences)} replacements and redactions</h2>"]
    if not occurrences:
        parts.append('<p class="none">Nothing was replaced or redacted on the pages.</p>')
    for number, (occurrence, picture, status) in enumerate(
        zip(occurrences, after, statuses, strict=True), start=1
    ):
        kind = "Redacted" if occurrence.is_redaction else "Replaced by"
        shown = f"[{occurrence.label}]" if occurrence.is_redaction else occurrence.label
        words, look_first = _status_words(status)
        attention = " attention" if look_first else ""
        found = " (found by OCR)" if occurrence.found_by == "OCR" else ""
        parts.append(
            f'<section class="pair" id="r{number}"><h3>{number}. Page {occurrence.page}: '
            f"{kind} {_shown(shown)}{found} "
            f'<span class="status{attention}">({_shown(words)})</span></h3>'
            f"<figure><figcaption>Draft</figcaption>"
            f"{_png(occurrence.before_png, 'the line in the draft', occurrence.marks)}</figure>"
            f"<figure><figcaption>Prepared</figcaption>"
            f"{_png(picture, 'the same area in the prepared copy', ())}"
            "</figure></section>"
        )
    return "\n".join(parts)


def _off_page(data: dict[str, Any]) -> str:
    """What was replaced outside the page text (outline, annotations, metadata...): counts."""
    rows: list[str] = []
    for label, info in sorted(data["labels"].items()):
        for place, count in sorted(info["places"].items()):
            if place not in _PAGE_PLACES:
                rows.append(_row(label, place, count, info["pages"]))
    for item in data["redactions"]:
        for place, count in sorted(item["places"].items()):
            if place not in _PAGE_PLACES:
                stamp = f"[{item['reason'] or 'REDACTED'}]"
                rows.append(_row(stamp, place, count, item["pages"]))
    heading = "<h2>Off the pages: outline, annotations, form fields, metadata</h2>"
    if not rows:
        return heading + '<p class="none">Nothing was replaced off the pages.</p>'
    head = "<tr><th>Label</th><th>Where</th><th>Occurrences</th><th>Pages of the label</th></tr>"
    note = (
        "<p>These strings have no picture: they were rewritten (metadata is removed whole). "
        "Open the prepared copy's outline and annotations to see them.</p>"
    )
    return f"{heading}{note}<table>{head}{''.join(rows)}</table>"


def _row(label: str, place: str, count: int, pages: Sequence[int]) -> str:
    return (
        f"<tr><td>{_shown(label)}</td><td>{_e(place)}</td><td>{_e(count)}</td>"
        f"<td>{_e(_page_list(pages))}</td></tr>"
    )


def _suggestions(suggestions: Sequence[Suggestion]) -> str:
    heading = (
        f"<h2>Likely names the names file does not cover: {len(suggestions)}</h2>"
        "<p>From <code>readingroom names suggest</code>. Each of these is still in the prepared "
        "copy: add it to the names file (or the terms file) and prepare again, or sign off "
        "that it is not a name.</p>"
    )
    if not suggestions:
        return heading + '<p class="none">None found in the draft\'s text.</p>'
    head = (
        "<tr><th>Confidence</th><th>Kind</th><th>Text</th><th>Also written</th>"
        "<th>Count</th><th>Pages</th></tr>"
    )
    rows = []
    for item in suggestions:
        others = ", ".join(
            display_text(form, max_chars=_MAX_TEXT) for form in item.forms if form != item.text
        )
        pages = ["outline" if page == 0 else str(page) for page in item.pages]
        rows.append(
            f"<tr><td>{item.confidence:.0%}</td><td>{_e(item.kind.value)}</td>"
            f"<td>{_shown(item.text)}</td><td>{_e(others)}</td><td>{_e(item.count)}</td>"
            f"<td>{_e(', '.join(pages))}</td></tr>"
        )
    return f"{heading}<table>{head}{''.join(rows)}</table>"


def _sign_off() -> str:
    rows = "".join(
        f"<tr><td>{_e(field)}</td><td></td></tr>"
        for field in ("Checked by", "Role", "Date", "Decision (publish / prepare again)")
    )
    return f'<h2>Sign-off</h2><table class="signoff">{rows}</table>'
