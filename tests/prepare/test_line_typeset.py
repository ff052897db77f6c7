"""Re-typesetting the lines that hold a label: measured on the output's own word boxes."""

from __future__ import annotations

import importlib
import io
from pathlib import Path

import pymupdf
import pytest

from readingroom.errors import NotVerified
from readingroom.prepare import NameEntry, PrepareOptions, line_layout, load_names_csv, prepare_pdf

from .typeset_rules import check_typeset_rules, visual_lines

SAMPLE_NAMES = (
    Path(__file__).resolve().parents[2] / "readingroom" / "resources" / "sample" / "names.csv"
)

# Short names that become long labels and long names that become short ones: both ways a
# pasted label would leave a gap or a squeeze.
NAMES = [
    NameEntry("Nan", "Maternal Grandmother", 1),
    NameEntry("Bartholomew Featherstonehaugh", "GP 1", 2),
    NameEntry("Jolene", "Social Worker 1", 3),
    NameEntry("Kai", "Child B", 4),
]
LABELS = {entry.label for entry in NAMES}
PARAGRAPH = (
    "On the Monday Nan took the children to the surgery, where Bartholomew Featherstonehaugh "
    "saw them for a few minutes and wrote a short note. Jolene heard about the visit two days "
    "later from the health visitor, who had been told by Nan that Kai was not eating. "
    "Nobody asked Bartholomew Featherstonehaugh for his note, and Jolene did not visit again "
    "until the following month, when Kai had already been seen at the hospital twice."
)


def _story_pdf(family: str, align: str) -> bytes:
    """Three paragraphs laid out by MuPDF's HTML engine (embedded fonts) on one A4 page."""
    html = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(3))
    css = f"p {{ font-family: {family}; font-size: 11pt; text-align: {align}; margin: 0 0 8pt 0; }}"
    stream = io.BytesIO()
    writer = pymupdf.DocumentWriter(stream)
    story = pymupdf.Story(html, user_css=css)
    page = pymupdf.paper_rect("a4")
    body = pymupdf.Rect(72, 72, page.x1 - 72, page.y1 - 72)
    story.write(writer, lambda *_: (page, body, None))
    writer.close()
    return stream.getvalue()


def _base14_pdf(fontname: str, align: int) -> bytes:
    """The same text in a non-embedded base-14 font (Times or Helvetica)."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_textbox(
        pymupdf.Rect(72, 72, 500, 500), PARAGRAPH, fontname=fontname, fontsize=11, align=align
    )
    return bytes(doc.tobytes())


def _prepare(pdf: bytes, names: list[NameEntry] = NAMES) -> tuple[bytes, dict]:  # type: ignore[type-arg]
    result = prepare_pdf(pdf, PrepareOptions(names=names))
    assert result.report.verified
    return result.pdf, result.report.to_dict()


@pytest.mark.parametrize("family", ["serif", "sans-serif"])
@pytest.mark.parametrize("align", ["justify", "left"])
def test_labels_sit_in_the_text_embedded_fonts(family: str, align: str) -> None:
    out, report = _prepare(_story_pdf(family, align))
    text = " ".join(pymupdf.open(stream=out, filetype="pdf")[0].get_text().split())
    assert sum(text.count(label) for label in LABELS) == 24
    # A label broken across two lines is not measured as one; most are not broken.
    assert check_typeset_rules(out, LABELS) >= 18
    statuses = {line["line_status"] for p in report["per_page"].values() for line in p["lines"]}
    assert statuses <= {"retypeset", "carried", "condensed"}
    # The document's own font was used again: no base-14 font was added.
    fonts = {f[3] for f in pymupdf.open(stream=out, filetype="pdf")[0].get_fonts()}
    assert not any("Times" in f or "Nimbus Rom" in f for f in fonts), fonts


@pytest.mark.parametrize("fontname", ["tiro", "helv"])
@pytest.mark.parametrize("align", [pymupdf.TEXT_ALIGN_JUSTIFY, pymupdf.TEXT_ALIGN_LEFT])
def test_labels_sit_in_the_text_base14_fonts(fontname: str, align: int) -> None:
    out, _report = _prepare(_base14_pdf(fontname, align))
    assert check_typeset_rules(out, LABELS) >= 6
    text = pymupdf.open(stream=out, filetype="pdf")[0].get_text(sort=True)
    assert sum(" ".join(text.split()).count(label) for label in LABELS) == 8
    assert "Featherstonehaugh" not in text
    assert " ".join(text.split()).startswith("On the Monday Maternal Grandmother took")


def test_justified_lines_stay_justified() -> None:
    before = pymupdf.open(stream=_story_pdf("serif", "justify"), filetype="pdf")[0]
    right_edge = max(w[2] for w in before.get_text("words"))
    out, _report = _prepare(_story_pdf("serif", "justify"))
    lines = visual_lines(pymupdf.open(stream=out, filetype="pdf")[0])
    flush = [line for line in lines if abs(line[-1].box[2] - right_edge) < 1.0]
    # Every paragraph's lines but its last reach the right edge again (a few may fall short
    # by design rather than open a gap wider than the rule allows).
    assert len(flush) >= len(lines) - 3 - 3


def test_links_move_with_the_words_they_cover() -> None:
    doc = pymupdf.open()
    doc.new_page()
    doc.new_page()
    page = doc[0]
    page.insert_text((72, 100), "Nan took the children to see the report today.", fontsize=11)
    target = page.search_for("report")[0]
    page.insert_link({"kind": pymupdf.LINK_GOTO, "from": target, "page": 1})
    out, _report = _prepare(bytes(doc.tobytes()))
    moved = pymupdf.open(stream=out, filetype="pdf")[0]
    word = moved.search_for("report")[0]
    links = moved.get_links()
    assert len(links) == 1
    assert word.x0 > target.x0 + 20  # the label is longer: the word moved right ...
    assert abs(links[0]["from"].x0 - word.x0) < 1.5  # ... and its link with it
    assert abs(links[0]["from"].x1 - word.x1) < 1.5


def test_a_highlight_moves_with_its_word() -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Nan took the children to see the report today.", fontsize=11)
    target = page.search_for("report")[0]
    margin = page.add_highlight_annot(target).rect.x0 - target.x0
    out, _report = _prepare(bytes(doc.tobytes()))
    moved = pymupdf.open(stream=out, filetype="pdf")[0]
    word = moved.search_for("report")[0]
    annot = next(iter(moved.annots()))
    assert word.x0 > target.x0 + 20
    assert abs(annot.rect.x0 - word.x0 - margin) < 1.5


@pytest.mark.slow
def test_the_sample_reads_like_an_original() -> None:
    sample = importlib.import_module("readingroom.sample")
    names = load_names_csv(SAMPLE_NAMES)
    out, report = _prepare(sample.build_sample_pdf(with_real_names=True), names)
    lines = [(int(n), line) for n, p in report["per_page"].items() for line in p["lines"]]
    overflow = [(n, line) for n, line in lines if line["line_status"] == "cell-overflow"]
    # A chronology row is as tall as its tallest cell: a cell already full to its bottom rule
    # cannot take a longer label even condensed. Those lines are reported (and excused here);
    # they are few, and every other occurrence keeps the rules.
    assert len(overflow) <= 0.05 * len(lines)
    excused: dict[int, list[pymupdf.Rect]] = {}
    for number, line in overflow:
        excused.setdefault(number, []).append(pymupdf.Rect(line["box"]))
    labels = {entry.label for entry in names}
    assert check_typeset_rules(out, labels, excused) >= 350
    assert {line["line_status"] for _n, line in lines} <= {
        "retypeset",
        "carried",
        "condensed",
        "shrunk",
        "cell-overflow",
    }


# Bad input -----------------------------------------------------------------------------------


def test_a_label_much_longer_than_every_original() -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_textbox(pymupdf.Rect(72, 72, 300, 200), "Al saw Al and Al again.", fontsize=11)
    names = [NameEntry("Al", "Independent Reviewing Officer for Looked After Children 1", 1)]
    out, report = _prepare(bytes(doc.tobytes()), names)
    text = " ".join(pymupdf.open(stream=out, filetype="pdf")[0].get_text().split())
    assert text.count("Independent Reviewing Officer for Looked After Children 1") == 3
    statuses = [line["line_status"] for line in report["per_page"]["1"]["lines"]]
    assert "carried" in statuses
    check_typeset_rules(out, {"Independent Reviewing Officer for Looked After Children 1"})


def test_right_to_left_text_in_the_line_is_pasted_not_retypeset() -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_htmlbox(
        pymupdf.Rect(72, 72, 500, 200), "<p>Nan said \u05e9\u05dc\u05d5\u05dd to the nurse.</p>"
    )
    out, report = _prepare(bytes(doc.tobytes()))
    assert "Maternal Grandmother" in pymupdf.open(stream=out, filetype="pdf")[0].get_text()
    statuses = [line["line_status"] for line in report["per_page"]["1"]["lines"]]
    assert statuses == ["pasted"]


def test_a_name_in_a_hyphenated_word_across_lines() -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "The children went to stay with Featherstone-", fontsize=11)
    page.insert_text((72, 114), "haugh relatives on the coast for the summer.", fontsize=11)
    names = [NameEntry("Featherstonehaugh", "Family 1", 1)]
    out, _report = _prepare(bytes(doc.tobytes()), names)
    text = " ".join(pymupdf.open(stream=out, filetype="pdf")[0].get_text().split())
    assert "haugh" not in text and "Featherstone" not in text
    assert "with Family 1 relatives on the coast" in text


def test_punctuation_after_a_name_broken_across_lines_stays_with_the_label() -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "The children were collected by Bartholomew", fontsize=11)
    page.insert_text((72, 114), "Featherstonehaugh, who drove them to the station.", fontsize=11)
    out, _report = _prepare(bytes(doc.tobytes()))
    lines = pymupdf.open(stream=out, filetype="pdf")[0].get_text(sort=True).splitlines()
    assert lines[0].endswith("GP 1,")
    assert lines[1].startswith("who drove")


def test_a_table_cell_that_cannot_take_the_label_is_reported() -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.draw_rect(pymupdf.Rect(72, 72, 132, 90), color=(0, 0, 0), width=0.5)
    page.draw_rect(pymupdf.Rect(132, 72, 400, 90), color=(0, 0, 0), width=0.5)
    page.insert_text((76, 85), "Kai", fontsize=10)
    page.insert_text((136, 85), "seen at home", fontsize=10)
    names = [NameEntry("Kai", "Speech and Language Therapist 1", 1)]
    out, report = _prepare(bytes(doc.tobytes()), names)
    (line,) = report["per_page"]["1"]["lines"]
    assert line["line_status"] == "cell-overflow"
    moved = pymupdf.open(stream=out, filetype="pdf")[0]
    label = moved.search_for("Therapist")[0]
    assert label.x1 <= 132  # kept inside its cell, smaller
    assert "seen at home" in moved.get_text()


def test_text_drawn_glyph_by_glyph() -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    x = 72.0
    for char in "Then Nan phoned the school office.":
        page.insert_text((x, 100), char, fontname="tiro", fontsize=11)
        x += pymupdf.get_text_length(char, fontname="tiro", fontsize=11)
    out, _report = _prepare(bytes(doc.tobytes()))
    text = " ".join(pymupdf.open(stream=out, filetype="pdf")[0].get_text().split())
    assert text == "Then Maternal Grandmother phoned the school office."
    check_typeset_rules(out, LABELS)


def test_a_font_with_no_usable_glyph_widths_is_refused() -> None:
    # A simple font whose every width is zero: the characters have no extent, so nothing can
    # be cut out of the line, and the verification that follows finds the name: refused.
    widths = " ".join("0" for _ in range(32, 127))
    content = b"BT /F1 12 Tf 72 700 Td (Nan phoned the school.) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 32 /LastChar 126 "
        + f"/Widths [{widths}] >>".encode(),
    ]
    pdf = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    with pytest.raises(NotVerified):
        prepare_pdf(pdf, PrepareOptions(names=NAMES))


# The layout rules alone --------------------------------------------------------------------


def test_set_line_spreads_a_justified_line_within_limits() -> None:
    setting = line_layout.set_line(
        [20, 20, 20],
        [False, False, False],
        space=3,
        available=68,
        justified=True,
        may_overflow=False,
    )
    assert setting is not None
    assert setting.offsets == [0, 24, 48]
    capped = line_layout.set_line(
        [20, 20], [False, False], space=3, available=70, justified=True, may_overflow=False
    )
    assert capped is not None
    assert capped.offsets[1] - 20 == pytest.approx(3 * line_layout.MAX_STRETCH)


def test_set_line_condenses_then_gives_up_then_shrinks() -> None:
    widths, glued = [50, 50], [False, False]
    condensed = line_layout.set_line(
        widths, glued, space=4, available=98, justified=False, may_overflow=False
    )
    assert condensed is not None and condensed.status == "condensed"
    assert condensed.scale == pytest.approx(98 / 104)
    assert (
        line_layout.set_line(
            widths, glued, space=4, available=80, justified=False, may_overflow=False
        )
        is None
    )
    shrunk = line_layout.set_line(
        widths, glued, space=4, available=80, justified=False, may_overflow=True
    )
    assert shrunk is not None and shrunk.status == "shrunk"
    assert shrunk.scale == line_layout.MAX_CONDENSE
    assert (shrunk.offsets[1] + 50 * shrunk.shrink) * shrunk.scale == pytest.approx(80)
