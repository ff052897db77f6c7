"""Replacing originals by labels and terms by boxes: on the pages and everywhere else.

On a page every occurrence becomes a redaction annotation per line it touches; applying them
removes the text and blanks the image pixels underneath (PyMuPDF ``apply_redactions``). Line art
is left alone so table rules survive. Each line holding an occurrence is then re-typeset with
its label (:mod:`readingroom.prepare.line_typeset`); where that cannot be done (OCR-read text,
right-to-left or undrawable characters) the label, or the term's reason code on a black box,
is pasted on the baseline of the removed text, sized to fit the space it left.

Outside the pages, outline titles, annotation texts, form fields and link descriptions are
rewritten as strings with the same matcher, so an original always becomes the same label.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from readingroom.prepare.font_match import FontBook
from readingroom.prepare.line_annots import move_annotations
from readingroom.prepare.line_layout import PASTED
from readingroom.prepare.line_plan import PagePlan
from readingroom.prepare.line_typeset import plan_page
from readingroom.prepare.matching import Match, Matcher, Target
from readingroom.prepare.mupdf import Document, Page, Rect, pymupdf
from readingroom.prepare.page_text import (
    LinePiece,
    color_tuple,
    extract_page_text,
    pieces_of,
)
from readingroom.prepare.report import LineRecord, PrepareReport
from readingroom.prepare.walk_mupdf import stream_readings

_FONT = "helv"
_MIN_LABEL_SIZE = 3.0
# A label longer than the name it replaces is first condensed horizontally (down to this share
# of its natural width), which keeps it as tall as the text around it; only a label that still
# does not fit is made smaller.
_MIN_CONDENSE = 0.6
_MIN_STAMP_SIZE = 4.0
# Redaction removes every glyph whose box overlaps the area; trimming the top and bottom of the
# line keeps the descenders and ascenders of the neighbouring lines out of it.
_VERTICAL_TRIM = 0.15


def _redaction_rect(rect: Rect) -> Rect:
    trim = rect.height * _VERTICAL_TRIM
    return pymupdf.Rect(rect.x0 + 0.3, rect.y0 + trim, rect.x1 - 0.3, rect.y1 - trim)


def _write_replacement(page: Page, piece: LinePiece, target: Target) -> None:
    """Write the label (or the stamp, in white on the black box) fitted into ``piece``."""
    if not piece.first.horizontal:
        return  # rotated text: the text is removed; no label is drawn at an angle we can't match
    text = target.replacement
    unit_width = float(pymupdf.get_text_length(text, fontname=_FONT, fontsize=1))
    if unit_width <= 0:
        return
    size = min(piece.first.size, piece.rect.width / unit_width)
    x = piece.rect.x0
    baseline = pymupdf.Point(x, piece.first.origin[1])
    if target.is_redaction:
        if size < _MIN_STAMP_SIZE:
            return
        x += (piece.rect.width - unit_width * size) / 2
        page.insert_text((x, baseline.y), text, fontsize=size, fontname=_FONT, color=(1, 1, 1))
        return
    size = piece.first.size
    condense = piece.rect.width / (unit_width * size)
    if condense < _MIN_CONDENSE:
        size = max(_MIN_LABEL_SIZE, piece.rect.width / (unit_width * _MIN_CONDENSE))
        condense = min(1.0, piece.rect.width / (unit_width * size))
    page.insert_text(
        baseline,
        text,
        fontsize=size,
        fontname=_FONT,
        color=color_tuple(piece.first.color),
        morph=(baseline, pymupdf.Matrix(min(condense, 1.0), 1.0)),
    )


def replace_on_page(
    page: Page,
    matcher: Matcher,
    report: PrepareReport,
    extra_rects: Sequence[Rect] = (),
    *,
    textpage: Any = None,
    place: str = "page text",
    fonts: FontBook | None = None,
) -> None:
    """Remove every occurrence on ``page`` (and the ``extra_rects``), then write the labels.

    With ``fonts`` the lines holding an occurrence are re-typeset
    (:mod:`readingroom.prepare.line_typeset`); lines it cannot rewrite, and every OCR
    ``textpage`` (words found in the pixels of a scan), get the label pasted into the gap.
    Redaction overwrites the image samples under each occurrence (and, with OCR, any line
    art they touch, since OCR words may be drawn as shapes).
    """
    page_number = page.number + 1
    page_text = extract_page_text(page, textpage)
    found: list[Match] = []
    pieces: dict[int, list[LinePiece]] = {}
    for match in matcher.find(page_text.text):
        match_pieces = pieces_of(page_text.chars[match.start : match.end])
        if match_pieces:
            found.append(match)
            pieces[id(match)] = match_pieces
            report.count(match.target, place=place, page=page_number)
    if not found and not extra_rects:
        return
    plan = PagePlan(pasted=found)
    if fonts is not None and textpage is None:
        try:
            plan = plan_page(page, page_text, found, fonts)
        except Exception:  # planning changes nothing on the page: paste the old way instead
            # An odd page (a font MuPDF half-reads, a degenerate line box) must not stop the
            # preparation; its lines are pasted, reported as such, and verified like any other.
            plan = PagePlan(pasted=found)
    placements = _mark_occurrences(page, found, pieces, plan)
    for rect in extra_rects:
        page.add_redact_annot(rect, cross_out=False)
    links = page.get_links() if plan.lines else []
    _erase(page, plan, ocr=textpage is not None)
    for piece, target in placements:
        _write_replacement(page, piece, target)
    if fonts is not None:
        plan.draw(page, fonts)
    if plan.lines:
        move_annotations(page, links, plan.moves())
    record = report.page(page_number)
    for line in plan.lines:
        if line.placed:
            record.lines.append(LineRecord(line.status, line.labels, tuple(line.erase)))
    for piece, target in placements:
        record.lines.append(LineRecord(PASTED, [target.replacement], tuple(piece.rect)))


def _mark_occurrences(
    page: Page, found: Sequence[Match], pieces: dict[int, list[LinePiece]], plan: PagePlan
) -> list[tuple[LinePiece, Target]]:
    """A redaction per line piece of every occurrence; the pasted ones' labels to write."""
    pasted_ids = {id(match) for match in plan.pasted}
    placements: list[tuple[LinePiece, Target]] = []
    for match in found:
        match_pieces = pieces[id(match)]
        pasted = id(match) in pasted_ids
        fill = (0.0, 0.0, 0.0) if match.target.is_redaction and pasted else None
        for piece in match_pieces:
            page.add_redact_annot(_redaction_rect(piece.rect), fill=fill, cross_out=False)
        if pasted:
            placements.append((max(match_pieces, key=lambda p: p.rect.width), match.target))
    return placements


def _erase(page: Page, plan: PagePlan, *, ocr: bool) -> None:
    """Apply the occurrences' redactions and erase the rest of each rewritten line."""
    has_images = bool(page.get_images()) if plan.lines else False
    if not has_images:
        for line in plan.lines:
            page.add_redact_annot(line.erase, cross_out=False)
    _apply(page, images=True, ocr=ocr)
    if has_images:
        # The rest of a rewritten line is text over whatever is behind it: erase the glyphs
        # only, not the picture (the occurrences themselves were blanked in the pass above).
        for line in plan.lines:
            page.add_redact_annot(line.erase, cross_out=False)
        _apply(page, images=False, ocr=False)


def _apply(page: Page, *, images: bool, ocr: bool) -> None:
    page.apply_redactions(
        images=pymupdf.PDF_REDACT_IMAGE_PIXELS if images else pymupdf.PDF_REDACT_IMAGE_NONE,
        graphics=(
            pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED
            if ocr
            else pymupdf.PDF_REDACT_LINE_ART_NONE
        ),
        text=pymupdf.PDF_REDACT_TEXT_REMOVE,
    )


def _string_key(doc: Document, xref: int, key: str) -> str | None:
    kind, value = doc.xref_get_key(xref, key)
    return str(value) if kind == "string" else None


def _replace_key(
    doc: Document,
    xref: int,
    key: str,
    *,
    matcher: Matcher,
    report: PrepareReport,
    place: str,
    page: int | None = None,
) -> None:
    value = _string_key(doc, xref, key)
    if not value:
        return
    new = matcher.replace(value, lambda t: report.count(t, place=place, page=page))
    if new != value:
        doc.xref_set_key(xref, key, pymupdf.get_pdf_str(new))


def replace_in_outline(doc: Document, matcher: Matcher, report: PrepareReport) -> None:
    """Rewrite outline titles (read by object number, so a cyclic outline cannot loop us)."""
    for xref in doc.get_outline_xrefs():
        _replace_key(doc, int(xref), "Title", matcher=matcher, report=report, place="outline")


def replace_in_annotations(doc: Document, matcher: Matcher, report: PrepareReport) -> None:
    """Rewrite annotation texts, link descriptions and form field values on every page."""
    for page in doc:
        number = page.number + 1
        for xref, _type, _id in page.annot_xrefs():
            annot_xref = int(xref)
            subtype = str(doc.xref_get_key(annot_xref, "Subtype")[1])
            place = {"/Link": "link", "/Widget": "form field"}.get(subtype, "annotation")
            for key in ("Contents", "T", "Subj", "TU", "V", "DV", "Alt"):
                _replace_key(
                    doc, annot_xref, key, matcher=matcher, report=report, place=place, page=number
                )
            if doc.xref_get_key(annot_xref, "RC")[0] != "null":
                # Rich text repeats the contents with markup that can split a name; drop it.
                doc.xref_set_key(annot_xref, "RC", "null")
                report.sanitised["rich text annotation copies"] += 1
        _replace_in_choices(page, matcher, report)
        _refresh_appearances(page)
        _drop_annotations_drawing_originals(doc, page, matcher, report)


def _replace_in_choices(page: Page, matcher: Matcher, report: PrepareReport) -> None:
    """Rewrite the choices of combo and list boxes (``/Opt``: strings or export/shown pairs)."""
    number = page.number + 1
    choice_types = (pymupdf.PDF_WIDGET_TYPE_COMBOBOX, pymupdf.PDF_WIDGET_TYPE_LISTBOX)
    for widget in page.widgets(types=choice_types) or []:
        values = list(widget.choice_values or [])

        def counted(target: Target) -> None:
            report.count(target, place="form field", page=number)

        new = [
            [matcher.replace(str(part), counted) for part in value]
            if isinstance(value, list | tuple)
            else matcher.replace(str(value), counted)
            for value in values
        ]
        if new != values:
            widget.choice_values = new
            widget.update()


def _normal_appearances(doc: Document, xref: int) -> list[int]:
    """The streams of the annotation's normal appearance: one, or one per state."""
    kind, value = doc.xref_get_key(xref, "AP/N")
    if kind == "xref":
        return [int(str(value).split()[0])]
    if kind == "dict":
        return [int(number) for number in re.findall(r"(\d+) 0 R", str(value))]
    return []


def _drop_annotations_drawing_originals(
    doc: Document, page: Page, matcher: Matcher, report: PrepareReport
) -> None:
    """Remove an annotation whose drawing still shows an original or term.

    Its texts were rewritten and text fields redrawn above; a drawing that still holds a name
    (a stamp, an ink signature with a caption, a check box state drawn with a name) cannot be
    rewritten safely, so the annotation goes and the report says so.
    """
    kept: list[int] = []
    dropped = 0
    for xref, _type, _id in page.annot_xrefs():
        annot_xref = int(xref)
        drawn = "\x00".join(
            reading
            for stream in _normal_appearances(doc, annot_xref)
            if doc.xref_is_stream(stream)
            for reading in stream_readings(bytes(doc.xref_stream(stream) or b""), is_image=False)
        )
        if drawn and any(True for _ in matcher.find(drawn)):
            dropped += 1
        else:
            kept.append(annot_xref)
    if dropped:
        refs = " ".join(f"{xref} 0 R" for xref in kept)
        doc.xref_set_key(page.xref, "Annots", f"[{refs}]")
        report.sanitised["annotations whose drawing showed a name"] += dropped
        report.page(page.number + 1).dropped["annotations whose drawing showed a name"] += dropped


# Only these fields show their value as text. A check box or radio button shows a state; its
# update() in PyMuPDF switches an "Off" radio button on (and fails on odd state names).
_TEXT_WIDGETS = frozenset(
    (
        pymupdf.PDF_WIDGET_TYPE_TEXT,
        pymupdf.PDF_WIDGET_TYPE_COMBOBOX,
        pymupdf.PDF_WIDGET_TYPE_LISTBOX,
    )
)


def _refresh_appearances(page: Page) -> None:
    """Regenerate appearances so no stale drawing of an old value survives."""
    for widget in page.widgets(types=_TEXT_WIDGETS) or []:
        widget.update()
    for annot in page.annots() or []:
        if annot.type[0] == pymupdf.PDF_ANNOT_FREE_TEXT:
            annot.update()
