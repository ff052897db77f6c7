"""prepare_pdf on a fixture document: every original gone everywhere, labels in, layout kept."""

from __future__ import annotations

import re

import pymupdf
import pytest

from readingroom.errors import InputFileError, UnverifiablePages
from readingroom.prepare import NameEntry, PrepareOptions, RedactionTerm, prepare_pdf

from .conftest import ORIGINALS

TOKENS = {"jane", "smith", "ms", "j", "peter", "14", "acacia", "road", "oak", "wood", "oakwood"}
TOKENS |= {"07700", "900123", "blue", "van", "smith's"}


def _everything_text(pdf: bytes) -> str:
    """All the text a reader could get at: pages, outline, metadata, annotations, fields."""
    doc = pymupdf.open(stream=pdf, filetype="pdf")
    parts = [page.get_text() for page in doc]
    parts += [entry[1] for entry in doc.get_toc()]
    parts += [str(v) for v in doc.metadata.values()]
    for page in doc:
        parts += [" ".join(a.info.values()) for a in page.annots()]
        parts += [str(w.field_value) for w in page.widgets()]
    return "\n".join(parts)


@pytest.fixture
def prepared(fixture_pdf: bytes, names: list[NameEntry], terms: list[RedactionTerm]) -> bytes:
    progress: list[tuple[int, int]] = []
    result = prepare_pdf(
        fixture_pdf,
        PrepareOptions(names=names, terms=terms, progress=lambda d, t: progress.append((d, t))),
    )
    assert result.report.verified
    assert progress[-1] == (4, 4)
    return result.pdf


def test_no_original_or_term_remains_anywhere(prepared: bytes) -> None:
    text = _everything_text(prepared).lower()
    for original in [*ORIGINALS, "07700 900123", "blue van"]:
        assert original.lower() not in text
    joined = re.sub(r"-\n", "", text)
    assert "oakwood" not in joined
    assert not re.search(r"jane\s+smith", text)


def test_labels_are_written_everywhere(prepared: bytes) -> None:
    doc = pymupdf.open(stream=prepared, filetype="pdf")
    page_text = doc[0].get_text()
    for label in ["Social Worker 1", "Child A", "Address 1", "School 1", "[S40]", "[REDACTED]"]:
        assert label in page_text
    assert "Social Worker 1" in doc[1].get_text()
    assert [entry[1] for entry in doc.get_toc()] == ["About Child A", "Social Worker 1's visit"]
    annot = next(iter(doc[0].annots()))
    assert annot.info["content"] == "Query raised by Social Worker 1"
    assert annot.info["title"] == "Social Worker 1"
    assert [w.field_value for w in doc[0].widgets()] == ["Social Worker 1"]
    # Metadata is removed by sanitising, not rewritten.
    assert not any(v for k, v in doc.metadata.items() if k not in {"format", "encryption"})


def _has_original(word: str) -> bool:
    lowered = word.lower()
    tokens = re.findall(r"[\w.']+", lowered.rstrip("."))
    return any(tok in TOKENS for tok in tokens) or any(
        t in lowered for t in ("jane", "smith", "peter", "oak")
    )


def test_text_outside_the_rewritten_paragraphs_is_unchanged(
    fixture_pdf: bytes, prepared: bytes
) -> None:
    # A paragraph (text block) with a name is re-typeset from the name on, and may carry
    # words across its lines; every other word stays exactly where it was.
    before = pymupdf.open(stream=fixture_pdf, filetype="pdf")
    after = pymupdf.open(stream=prepared, filetype="pdf")
    for number in range(before.page_count):
        words = before[number].get_text("words")
        changed_blocks = {w[5] for w in words if _has_original(w[4])}
        out_words = after[number].get_text("words")
        out_text = " ".join(o[4] for o in out_words)
        for word in words:
            if _has_original(word[4]):
                continue
            if word[5] in changed_blocks:
                assert word[4] in out_text, f"word {word[4]!r} vanished on page {number + 1}"
                continue
            assert any(
                o[4] == word[4] and abs(o[0] - word[0]) < 0.5 and abs(o[3] - word[3]) < 0.5
                for o in out_words
            ), f"word {word[4]!r} moved or vanished on page {number + 1}"
    # Table rules survive (the only new drawings are the black boxes of the two terms).
    rules_after = [tuple(d["rect"]) for d in after[0].get_drawings()]
    for drawing in before[0].get_drawings():
        assert tuple(drawing["rect"]) in rules_after
    assert len(rules_after) == len(before[0].get_drawings()) + 2


def test_same_original_same_label_and_counts(
    fixture_pdf: bytes, names: list[NameEntry], terms: list[RedactionTerm]
) -> None:
    report = prepare_pdf(fixture_pdf, PrepareOptions(names=names, terms=terms)).report
    data = report.to_dict()
    worker = data["labels"]["Social Worker 1"]
    assert worker["pages"] == [1, 2]
    assert worker["places"]["outline"] == 1
    assert worker["places"]["form field"] >= 1
    assert worker["places"]["annotation"] == 2
    assert data["labels"]["Child A"]["occurrences"] >= 4
    assert [m["names_file_line"] for m in data["names_not_found"]] == [8]
    assert data["redactions"][0]["reason"] == "S40"
    assert data["redactions"][0]["occurrences"] == 1
    assert "Jane" not in report.to_json().decode()
    assert "Jane Smith" in report.to_json(include_originals=True).decode()
    summary = "\n".join(report.summary_lines())
    assert "Social Worker 1:" in summary and "occurrences on 2 pages" in summary
    assert "Jane" not in summary and "07700" not in summary


def test_longest_original_wins() -> None:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Jane Smith met Smith.", fontsize=11)
    entries = [NameEntry("Smith", "Person S", 1), NameEntry("Jane Smith", "Person J", 2)]
    result = prepare_pdf(doc.tobytes(), PrepareOptions(names=entries))
    text = pymupdf.open(stream=result.pdf, filetype="pdf")[0].get_text()
    assert "Person J" in text and "Person S" in text
    assert "Jane" not in text


def test_a_longer_label_pushes_the_rest_of_the_line_along() -> None:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Jane Smith telephoned the school.", fontsize=11)
    entries = [NameEntry("Jane Smith", "Social Worker 1", 1)]
    result = prepare_pdf(doc.tobytes(), PrepareOptions(names=entries))
    page = pymupdf.open(stream=result.pdf, filetype="pdf")[0]
    words = page.get_text("words")
    assert [w[4] for w in words] == ["Social", "Worker", "1", "telephoned", "the", "school."]
    # "Social Worker 1" is about 1.5 times as wide as "Jane Smith": the line is re-typeset, so
    # the label keeps the text's size and the next word follows it after one word space.
    heights = {round(w[3] - w[1], 1) for w in words}
    assert max(heights) - min(heights) < 0.5
    space = pymupdf.get_text_length(" ", fontname="helv", fontsize=11)
    assert words[3][0] - words[2][2] == pytest.approx(space, abs=1.0)
    lines = result.report.to_dict()["per_page"]["1"]["lines"]
    assert [line["line_status"] for line in lines] == ["retypeset"]
    assert lines[0]["labels"] == ["Social Worker 1"]


def test_sanitise_only_on_plain_document(fixture_pdf: bytes) -> None:
    result = prepare_pdf(fixture_pdf, PrepareOptions())
    assert result.report.verified
    assert "Jane Smith" in pymupdf.open(stream=result.pdf, filetype="pdf")[0].get_text()


def _scan_like_pdf() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 40, 40), False)
    pix.clear_with(128)
    page.insert_image(pymupdf.Rect(72, 72, 300, 300), pixmap=pix)
    doc.new_page().insert_text((72, 72), "Text page", fontsize=11)
    return doc.tobytes()


def test_sanitise_only_prepare_of_a_scan_needs_no_flag() -> None:
    # No names and no terms: nothing needs finding, so nothing needs reading.
    result = prepare_pdf(_scan_like_pdf(), PrepareOptions())
    assert result.report.verified
    assert result.report.unverifiable_pages == []


def test_unreadable_scanned_pages_are_refused_unless_allowed(names: list[NameEntry]) -> None:
    # With names to find, a page OCR can read nothing on is not proven clean.
    with pytest.raises(UnverifiablePages) as caught:
        prepare_pdf(_scan_like_pdf(), PrepareOptions(names=names))
    assert caught.value.pages == (1,)
    allowed = PrepareOptions(names=names, allow_unverifiable_pages=True)
    result = prepare_pdf(_scan_like_pdf(), allowed)
    assert result.report.unverifiable_pages == [1]


def _encrypted_pdf() -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "secret", fontsize=11)
    return doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="u", owner_pw="o")


ZERO_PAGES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R/Size 3>>\n%%EOF\n"
)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (_encrypted_pdf(), "encrypted"),
        (b"this is not a pdf at all", "not a PDF"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 50, "PDF"),
        (ZERO_PAGES, "at least one page"),
    ],
)
def test_bad_input_pdfs(data: bytes, words: str) -> None:
    with pytest.raises(InputFileError, match=words):
        prepare_pdf(data, PrepareOptions())
