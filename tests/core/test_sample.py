"""The bundled fictional Serious Case Review: size, outline, table, links, names, reproducibility."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest

from readingroom.errors import ExitCode
from readingroom.sample import (
    build_sample_pdf,
    load_people,
    main,
    name_variants,
    sample_source_dir,
    substitute_people,
)


@pytest.fixture(scope="module")
def labelled_pdf() -> bytes:
    return build_sample_pdf()


@pytest.fixture(scope="module")
def draft_pdf() -> bytes:
    return build_sample_pdf(with_real_names=True)


@pytest.fixture(scope="module")
def labelled(labelled_pdf: bytes) -> Iterator[pymupdf.Document]:
    doc = pymupdf.open("pdf", labelled_pdf)
    yield doc
    doc.close()


# MuPDF's layout uses ligatures ("fi" as one glyph); extract them as their letters.
FLAGS = pymupdf.TEXTFLAGS_TEXT & ~pymupdf.TEXT_PRESERVE_LIGATURES


def _page_texts(doc: pymupdf.Document) -> list[str]:
    # Layout breaks lines anywhere; compare text with its whitespace collapsed.
    return [re.sub(r"\s+", " ", page.get_text(flags=FLAGS)) for page in doc]


def _names() -> list[tuple[str, str]]:
    with (sample_source_dir() / "names.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        assert next(reader) == ["original", "label"]
        return [(row[0], row[1]) for row in reader]


def _in_link(word: tuple[float, float, float, float, str], area: pymupdf.Rect) -> bool:
    # A word carries its punctuation ("(entry", "1)."), which lies outside the link's area.
    overlap = pymupdf.Rect(word[:4]) & area
    return bool(overlap.width > 2 and overlap.height > 2)


def _whole_word(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)


def test_at_least_thirty_a4_pages(labelled: pymupdf.Document) -> None:
    assert labelled.page_count >= 30
    assert all(page.rect == pymupdf.paper_rect("a4") for page in labelled)


def test_every_page_is_marked_fictional_and_classified(labelled: pymupdf.Document) -> None:
    texts = _page_texts(labelled)
    assert texts[0].count("FICTIONAL") >= 3  # the cover's banner, header and footer
    assert "This document is fictional." in texts[0]
    for number, text in enumerate(texts, start=1):
        assert "FICTIONAL — Westmoor SCR — Child A — OFFICIAL-SENSITIVE" in text
        assert f"Page {number} of {len(texts)}" in text
    assert "FICTIONAL" in labelled.metadata["title"]


def test_outline_mirrors_headings_with_nested_levels(labelled: pymupdf.Document) -> None:
    toc = labelled.get_toc()
    levels = {level for level, _, _ in toc}
    assert {1, 2, 3} <= levels
    titles = [title for _, title, _ in toc]
    for expected in ("1 Introduction", "4.2 Key periods", "Appendix B: Glossary"):
        assert expected in titles
    texts = _page_texts(labelled)
    for _, title, page in toc:
        assert title in texts[page - 1], title


def test_chronology_spans_several_pages_with_header_on_each(labelled: pymupdf.Document) -> None:
    with (sample_source_dir() / "chronology.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert 80 <= len(rows) <= 120
    table_pages = [text for text in _page_texts(labelled) if "What should have happened" in text]
    assert len(table_pages) >= 5
    # Each page of the chronology starts with the header row; every entry appears once, in order.
    numbers: list[int] = []
    for page in labelled:
        words = page.get_text("words", flags=FLAGS)
        header = [w for w in words if w[4] == "No."]
        if not header:
            continue
        assert header[0][1] < 80  # at the top of the text area
        column = [w for w in words if w[0] < header[0][2] and w[1] > header[0][3]]
        numbers += [int(w[4]) for w in sorted(column, key=lambda w: w[1]) if w[4].isdigit()]
    assert numbers == list(range(1, len(rows) + 1))


def _link_labels(page: pymupdf.Page) -> list[tuple[str, int]]:
    """Each link's text and target page; a link that wraps (one area per line) is joined up."""
    words = page.get_text("words", flags=FLAGS)
    labels: list[tuple[str, int, pymupdf.Point]] = []
    for link in page.get_links():
        assert link["kind"] == pymupdf.LINK_GOTO
        # The words in the link's area (get_textbox is far slower).
        text = " ".join(w[4] for w in words if _in_link(w, link["from"]))
        if labels and labels[-1][1:] == (link["page"], link["to"]):
            text = f"{labels.pop()[0]} {text}"
        labels.append((text, link["page"], link["to"]))
    # Words carry their punctuation: "(entry 110)." is the link "entry 110".
    return [(re.sub(r"^\W+|\W+$", "", text), target) for text, target, _ in labels]


def test_cross_references_link_to_their_target_page(labelled: pymupdf.Document) -> None:
    texts = _page_texts(labelled)
    checked: Counter[str] = Counter()
    for page in labelled:
        for label, target_page in _link_labels(page):
            target = texts[target_page]
            if printed := re.search(r"\(page (\d+)", label):
                assert int(printed.group(1)) == target_page + 1, label
                checked["printed page"] += 1
            if match := re.match(r"(Finding|Recommendation) (\d+)", label):
                assert re.search(rf"{match.group(1)} {match.group(2)}[:.]", target), label
                checked[match.group(1)] += 1
            elif match := re.match(
                r"(?:section )?(\d+\.\d+|\d+) [A-Z]|section (\d+(?:\.\d+)?)", label
            ):
                number = match.group(1) or match.group(2)
                assert re.search(rf"(?<![\d.]){re.escape(number)} [A-Z]", target), label
                checked["section"] += 1
            elif match := re.match(r"(?:entry |entries )?(\d+)\W*$", label):
                # The target page shows the entry's row: its number, then its date.
                row = rf" {match.group(1)} \d{{1,2}} [A-Z][a-z]{{2}} \d{{4}}"
                assert re.search(row, target), label
                checked["entry"] += 1
            else:
                assert label.startswith(("Appendix", "Foreword")), label
                checked["other"] += 1
    assert all(checked[kind] >= 10 for kind in ("entry", "section", "Finding", "printed page"))
    assert checked["Recommendation"] and checked["other"], checked


def test_contents_page_numbers_match_the_outline(labelled: pymupdf.Document) -> None:
    contents = _page_texts(labelled)[1] + _page_texts(labelled)[2]
    for level, title, page in labelled.get_toc():
        if level == 1 and title[0].isdigit():
            assert f"{title} {page}" in contents, title


def test_names_csv_lists_every_variant_of_people_csv() -> None:
    assert sorted(_names()) == name_variants(load_people())
    # No name contains a pair that MuPDF's layout turns into a ligature glyph, which would hide
    # it from a plain text search in the prepare step.
    assert not [name for name, _ in _names() if re.search("fi|fl|ff", name, re.IGNORECASE)]


def test_labelled_version_has_no_names_and_draft_has_every_one(
    labelled_pdf: bytes, draft_pdf: bytes
) -> None:
    labelled_text = " ".join(_page_texts(pymupdf.open("pdf", labelled_pdf)))
    draft_text = " ".join(_page_texts(pymupdf.open("pdf", draft_pdf)))
    for original, label in _names():
        assert not _whole_word(original).search(labelled_text), original
        assert _whole_word(original).search(draft_text), original
        assert label in labelled_text


def test_placeholders_are_replaced_by_label_or_name() -> None:
    people = load_people()
    text = "{SW1} met {SW1.title}; {SW1.first} wrote to {SW1.initial}."
    assert substitute_people(text, people, real_names=False) == (
        "Social Worker 1 met Social Worker 1; Social Worker 1 wrote to Social Worker 1."
    )
    assert substitute_people(text, people, real_names=True) == (
        "Janet Okafor met Ms Okafor; Janet wrote to J. Okafor."
    )
    with pytest.raises(ValueError, match="unknown"):
        substitute_people("{NOBODY}", people, real_names=False)


def test_build_is_reproducible(labelled_pdf: bytes) -> None:
    assert build_sample_pdf() == labelled_pdf


def test_command_line_writes_the_draft(tmp_path: Path, draft_pdf: bytes) -> None:
    out = tmp_path / "draft.pdf"
    assert main(["-o", str(out), "--draft"]) == 0
    assert out.read_bytes() == draft_pdf
    assert main(["-o", str(out)]) == ExitCode.BAD_INPUT  # exists: refused without --force
    assert out.read_bytes() == draft_pdf
