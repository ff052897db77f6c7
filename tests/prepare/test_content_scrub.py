"""Text in a content stream that no page shows: comments and marked-content property lists.
Both used to make prepare refuse a file whose pages are clean; now they are dropped."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from readingroom.prepare import NameEntry, PrepareOptions, prepare_pdf
from readingroom.prepare.matching import build_targets
from readingroom.prepare.verify import verify_pdf

from . import hiding_places as places
from .outside_checks import assert_clean_everywhere

NAMES = [NameEntry(places.NAME, "Social Worker 1", 1)]
SHOWN = b"BT /F1 12 Tf 72 700 Td (Harmless words.) Tj ET"


@pytest.mark.parametrize(
    ("content", "has_properties"),
    [
        (b"% written by Jane Smith\n" + SHOWN, False),
        (b"/Span <</ActualText (Jane Smith) /E (Jane Smith)>> BDC " + SHOWN + b" EMC", True),
        (
            b"/Figure <</Alt <FEFF004A0061006E006500200053006D006900740068> /MCID 0>> BDC "
            + SHOWN
            + b" EMC",
            True,
        ),
    ],
    ids=["comment", "actualtext-span", "alt-figure"],
)
def test_text_only_the_content_stream_holds_is_dropped(
    content: bytes, has_properties: bool, tmp_path: Path
) -> None:
    data = places.handmade_pdf(b"", content)
    assert not verify_pdf(data, build_targets(NAMES, [])).clean  # the name is in the file
    result = prepare_pdf(data, PrepareOptions(names=NAMES))
    with pymupdf.open(stream=result.pdf) as doc:
        assert "Harmless words." in doc[0].get_text()  # the page still shows its text
    if has_properties:
        assert result.report.to_dict()["sanitised"]["marked-content properties"] == 1
    assert_clean_everywhere(result.pdf, [places.NAME], tmp_path)
