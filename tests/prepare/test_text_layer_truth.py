"""A text layer that claims other letters than its glyphs draw: the page is read with OCR."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pymupdf
import pytest

from readingroom.prepare import NameEntry, PrepareOptions, ocr, prepare_pdf
from readingroom.prepare.glyph_truth import text_layer_lies

from . import hiding_places as places
from .conftest import build_fixture_pdf
from .outside_checks import assert_clean_everywhere, require_tesseract

NAMES = [NameEntry(places.NAME, "Social Worker 1", 1)]
# Codes A..I all claim "X" to search and copy.
_LYING_CMAP = (
    b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Lie def "
    b"1 begincodespacerange <00> <FF> endcodespacerange "
    b"1 beginbfrange <41> <49> <0058> endbfrange endcmap "
    b"CMapName currentdict /CMap defineresource pop end end"
)


def _name_drawn_under_a_lying_text_layer() -> bytes:
    """Codes "ABCD EFGHI" draw the glyphs J a n e S m i t h (an encoding's Differences), and the
    ToUnicode map says they are all "X": the page shows the name, its text layer does not."""

    def change(pdf: pikepdf.Pdf) -> None:
        glyphs = [pikepdf.Name(f"/{c}") for c in "JaneSmith"]
        encoding = pikepdf.Dictionary(
            Type=pikepdf.Name.Encoding,
            BaseEncoding=pikepdf.Name.WinAnsiEncoding,
            Differences=[65, *glyphs],
        )
        page = pdf.pages[0]
        page.Resources.Font.Lie = pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=encoding,
            ToUnicode=pdf.make_indirect(pikepdf.Stream(pdf, _LYING_CMAP)),
        )
        drawn = b"BT /Lie 14 Tf 72 400 Td (ABCD EFGHI) Tj ET"
        page.contents_add(pikepdf.Stream(pdf, drawn), prepend=False)

    return places._edit(places._base().tobytes(), change)


def test_a_lying_text_layer_is_seen() -> None:
    with pymupdf.open(stream=_name_drawn_under_a_lying_text_layer()) as doc:
        assert places.NAME not in doc[0].get_text()  # search and copy see no name
        assert text_layer_lies(doc[0])


def test_honest_text_layers_are_trusted() -> None:
    with pymupdf.open(stream=build_fixture_pdf()) as doc:
        assert not any(text_layer_lies(page) for page in doc)


@pytest.mark.slow
def test_a_name_under_a_lying_text_layer_is_found_by_ocr_and_removed(tmp_path: Path) -> None:
    require_tesseract()
    result = prepare_pdf(_name_drawn_under_a_lying_text_layer(), PrepareOptions(names=NAMES))
    page = result.report.to_dict()["per_page"]["1"]
    assert page["names_found_by"] == "OCR"
    assert page["replaced"] == {"Social Worker 1": 1}
    with pymupdf.open(stream=result.pdf) as doc:
        words = ocr.rendered_words(doc[0])
    assert "Smith" not in words and "Social Worker" in words
    assert "page about the case" in words  # the rest of the page is still there
    assert_clean_everywhere(result.pdf, [places.NAME], tmp_path)


def _name_claimed_by_a_text_layer_over_other_glyphs() -> bytes:
    """The reverse lie: codes "ABCD EFGHI" draw those capitals, and the ToUnicode map says
    they are "Jane Smith"; search and copy find the name, the page shows letters."""
    pairs = zip(b"ABCD EFGHI", "Jane Smith", strict=True)
    chars = b" ".join(b"<%02X> <%04X>" % (code, ord(char)) for code, char in pairs)
    cmap = _LYING_CMAP.replace(
        b"1 beginbfrange <41> <49> <0058> endbfrange", b"10 beginbfchar " + chars + b" endbfchar"
    )

    def change(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[0]
        page.Resources.Font.Lie = pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            ToUnicode=pdf.make_indirect(pikepdf.Stream(pdf, cmap)),
        )
        drawn = b"BT /Lie 14 Tf 72 400 Td (ABCD EFGHI) Tj ET"
        page.contents_add(pikepdf.Stream(pdf, drawn), prepend=False)

    return places._edit(places._base().tobytes(), change)


@pytest.mark.slow
def test_a_name_claimed_by_a_lying_text_layer_is_replaced_too(tmp_path: Path) -> None:
    require_tesseract()
    data = _name_claimed_by_a_text_layer_over_other_glyphs()
    with pymupdf.open(stream=data) as doc:
        assert places.NAME in doc[0].get_text() and text_layer_lies(doc[0])
    result = prepare_pdf(data, PrepareOptions(names=NAMES))
    assert result.report.to_dict()["per_page"]["1"]["replaced"] == {"Social Worker 1": 1}
    assert_clean_everywhere(result.pdf, [places.NAME], tmp_path)
