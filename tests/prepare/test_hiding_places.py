"""Every hiding place of issue #10: the prepared output is clean, by both engines, pdftotext
and qpdf --qdf; or prepare refuses in one line and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pymupdf
import pytest

from readingroom.errors import NotVerified, ReadingRoomError, TermsRemain
from readingroom.prepare import NameEntry, PreparedDocument, PrepareOptions, ocr, prepare_pdf
from readingroom.prepare.matching import build_targets
from readingroom.prepare.verify import verify_pdf

from . import hiding_places as places
from .outside_checks import assert_clean_everywhere, require_tesseract

NAMES = [NameEntry(places.NAME, "Social Worker 1", 2), NameEntry("Peter", "Child A", 3)]
ORIGINALS = [places.NAME, "Peter"]


def _prepare(data: bytes) -> PreparedDocument:
    return prepare_pdf(data, PrepareOptions(names=NAMES))


@pytest.mark.parametrize(
    ("build", "dropped_kind"),
    [
        (places.page_labels, "page labels"),
        (places.layer_name_and_hidden_layer, "hidden layer content"),
        (places.structure_tree, "structure tree"),
        (places.named_destinations_and_threads, "article threads"),
        (places.annotation_name_and_other_states, "appearance states other than /N"),
        (places.checkbox_state_drawing_the_name, "annotations whose drawing showed a name"),
        (places.form_never_drawn_and_private_keys, "unused resources"),
        (lambda: places.type3_glyph_draws_the_name(used=False), "unused resources"),
        (places.deeply_nested_object, "unknown or private catalog keys"),
        (places.object_streams, "unknown or private catalog keys"),
    ],
    ids=[
        "page-labels",
        "layers",
        "structure-tree",
        "named-destinations-threads",
        "annotation-NM-and-D-R-states",
        "checkbox-state",
        "form-never-drawn-private-keys",
        "type3-unused",
        "deeply-nested",
        "object-streams",
    ],
)
def test_hiding_place_is_emptied(
    build: Callable[[], bytes], dropped_kind: str, tmp_path: Path
) -> None:
    data = build()
    # The place really holds the name before prepare: the verifier finds it in the input.
    assert not verify_pdf(data, build_targets(NAMES, [])).clean
    result = _prepare(data)
    assert result.report.verified
    assert result.report.to_dict()["sanitised"].get(dropped_kind, 0) >= 1
    assert_clean_everywhere(result.pdf, ORIGINALS, tmp_path)


def test_visible_layer_text_is_kept_and_hidden_layer_text_is_gone(tmp_path: Path) -> None:
    result = _prepare(places.layer_name_and_hidden_layer())
    with pymupdf.open(stream=result.pdf, filetype="pdf") as doc:
        text = doc[0].get_text()
        assert "Layered but harmless text." in text
        assert "Hidden remark" not in text
        assert not doc.get_ocgs()


def test_name_split_across_two_text_objects_is_replaced(tmp_path: Path) -> None:
    result = _prepare(places.name_split_across_text_objects())
    assert_clean_everywhere(result.pdf, ORIGINALS, tmp_path)


def test_a_type3_glyph_drawing_the_name_is_refused_or_clean(tmp_path: Path) -> None:
    require_tesseract()
    try:
        result = _prepare(places.type3_glyph_draws_the_name(used=True))
    except TermsRemain as refusal:
        # The glyph procedure still holds the name: refused, the place named, not the text.
        assert any("object" in place for place in refusal.places)
        assert places.NAME not in str(refusal)
        return
    assert_clean_everywhere(result.pdf, ORIGINALS, tmp_path)


def test_the_stricter_engine_wins_on_a_broken_xref() -> None:
    data = places.broken_xref()
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        assert "Written by" in doc[0].get_text()  # MuPDF repairs it and reads on
    result = verify_pdf(data, build_targets([NameEntry("Nobody Here", "X", 1)], []))
    # MuPDF finds no name; qpdf refuses a file it must repair: the file is not clean.
    assert not result.findings
    assert not result.clean
    assert any("qpdf" in place for place in result.unreadable)


def test_a_broken_xref_input_is_prepared_into_a_sound_file(tmp_path: Path) -> None:
    result = _prepare(places.broken_xref())
    assert_clean_everywhere(result.pdf, ORIGINALS, tmp_path)


def test_an_object_outside_every_xref_is_found() -> None:
    data = places._base("Harmless.").tobytes()
    dead = b"99 0 obj\n(" + places.NAME.encode() + b")\nendobj\n"
    spliced = data.replace(b"xref\n", dead + b"xref\n", 1)
    result = verify_pdf(spliced, build_targets(NAMES, []))
    assert any("raw file" in finding.place for finding in result.findings)


@pytest.mark.parametrize(
    "encoded",
    [
        b"(\\112\\141\\156\\145 Smith)",  # octal escapes
        b"<4A616E6520536D697468>",  # hex
        b"<FEFF004A0061006E006500200053006D006900740068>",  # UTF-16BE with BOM
        b"<004A0061006E006500200053006D006900740068>",  # UTF-16BE without BOM
        b"(Ja\\\nne Smith)",  # a line continuation inside the string
    ],
    ids=["octal", "hex", "utf16-bom", "utf16-no-bom", "continuation"],
)
def test_every_string_encoding_is_read(encoded: bytes) -> None:
    in_catalog = places.handmade_pdf(b"/Zz " + encoded)
    in_content = places.handmade_pdf(b"", b"BT /F1 1 Tf 0 0 Td " + encoded + b" Tj ET")
    for data in (in_catalog, in_content):
        result = verify_pdf(data, build_targets(NAMES, []))
        assert result.clean is False and not result.unreadable
        engines = {finding.place.rsplit("read by ", 1)[-1] for finding in result.findings}
        assert {"MuPDF", "qpdf", "a byte scan"} <= engines


def test_image_on_a_text_page_is_pseudonymised_in_the_pixels(tmp_path: Path) -> None:
    require_tesseract()
    data = places.image_on_a_text_page()
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        original_image = doc.xref_stream_raw(doc[0].get_images()[0][0])
    result = _prepare(data)
    page = result.report.to_dict()["per_page"]["1"]
    assert page["names_found_by"] == "text layer and OCR"
    assert "OCR" in page["verified_by"]
    assert page["replaced"] == {"Social Worker 1": 1}
    assert original_image not in result.pdf  # the original samples are gone from the file
    assert_clean_everywhere(result.pdf, ORIGINALS, tmp_path)


@pytest.mark.parametrize("rotate", [0, 90])
def test_scanned_page_is_pseudonymised_in_the_pixels(rotate: int, tmp_path: Path) -> None:
    require_tesseract()
    result = _prepare(places.scanned_pages(1, rotate=rotate))
    page = result.report.to_dict()["per_page"]["1"]
    assert page["names_found_by"] == "OCR" and "OCR" in page["verified_by"]
    assert page["replaced"] == {"Child A": 1, "Social Worker 1": 1}
    assert_clean_everywhere(result.pdf, ORIGINALS, tmp_path)
    with pymupdf.open(stream=result.pdf, filetype="pdf") as doc:
        words = ocr.rendered_words(doc[0])
    if rotate == 0:
        # The label is drawn where the name was. (On a sideways scan the name is removed but
        # the label is not placed well yet: docs/prepare.md, Limits.)
        assert "Social Worker" in words
    assert "Nothing else of note" in words  # and the rest of the scan is still there


def test_bad_inputs_give_a_clean_file_or_one_line() -> None:
    for data in (places.deeply_nested_object(5000), b"%PDF-1.7\n1 0 obj<<>>endobj"):
        try:
            result = _prepare(data)
        except NotVerified as error:
            assert "\n" not in str(error).split("\n  ")[0]
            continue
        except Exception as error:  # only the project's one-line errors may come out
            assert isinstance(error, ReadingRoomError)
            continue
        assert result.report.verified


@pytest.mark.slow
def test_a_multi_page_scan_reports_progress_page_by_page(tmp_path: Path) -> None:
    require_tesseract()
    seen: list[tuple[int, int]] = []
    options = PrepareOptions(names=NAMES, progress=lambda done, total: seen.append((done, total)))
    result = prepare_pdf(places.scanned_pages(3), options)
    assert [done for done, _ in seen] == list(range(1, 7))  # 3 prepared, then 3 verified
    assert {total for _, total in seen} == {6}
    pages = result.report.to_dict()["per_page"]
    assert all(pages[str(n)]["names_found_by"] == "OCR" for n in (1, 2, 3))
    assert_clean_everywhere(result.pdf, ORIGINALS, tmp_path)
