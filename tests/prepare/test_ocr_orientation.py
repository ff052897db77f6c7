"""Names in pixels are removed whatever way the pixels are turned, with no fragment left; a page
OCR cannot read is refused; a blank scan passes (real Tesseract, generated PDFs)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pymupdf
import pytest

from readingroom.errors import UnverifiablePages
from readingroom.prepare import NameEntry, PrepareOptions, ocr, prepare_pdf

from .outside_checks import assert_clean_everywhere, require_tesseract

NAMES = [NameEntry("Jane Smith", "Social Worker 1", 2), NameEntry("Peter", "Child A", 3)]
ORIGINALS = ["Jane Smith", "Peter"]
# Words OCR could make of a fragment of a name: none may be read in the output at any turn.
_FRAGMENTS = re.compile(r"jane|smith|smi|peter|pete|eter", re.IGNORECASE)
_LINES = (
    (100, "Page 1: report on the family"),
    (140, "Jane Smith visited Peter at home."),
    (180, "Nothing else of note was seen."),
)


def _text_page() -> tuple[pymupdf.Document, list[pymupdf.Rect]]:
    """The page a scanner saw, and the glyph boxes of the names on it."""
    doc = pymupdf.open()
    page = doc.new_page()
    for y, line in _LINES:
        page.insert_text((72, y), line, fontsize=14)
    boxes = [box for name in ORIGINALS for box in page.search_for(name)]
    assert len(boxes) == 2
    return doc, boxes


def scan_with_rotate(rotate: int) -> tuple[bytes, list[pymupdf.Rect]]:
    """A one-image page stored turned by ``-rotate`` and shown upright by ``/Rotate``; the
    names' boxes in displayed page coordinates (the same as on the page the scanner saw)."""
    source, boxes = _text_page()
    matrix = pymupdf.Matrix(200 / 72, 200 / 72).prerotate(-rotate)
    pix = source[0].get_pixmap(matrix=matrix, colorspace=pymupdf.csGRAY)
    width, height = source[0].rect.width, source[0].rect.height
    if rotate % 180:
        width, height = height, width
    doc = pymupdf.open()
    scan = doc.new_page(width=width, height=height)
    scan.insert_image(scan.rect, stream=pix.tobytes("png"))
    scan.set_rotation(rotate)
    return doc.tobytes(), boxes


def image_drawn_turned(
    turn: int, *, with_text: bool, mirror: bool = False
) -> tuple[bytes, list[pymupdf.Rect]]:
    """An upright image of the text drawn turned by ``turn`` (and mirrored left to right) by
    its placing matrix (CTM), on a page that has a text layer of its own (``with_text``) or
    nothing else."""
    source, boxes = _text_page()
    clip = pymupdf.Rect(60, 80, 400, 190)
    pix = source[0].get_pixmap(matrix=pymupdf.Matrix(200 / 72, 200 / 72), clip=clip)
    doc = pymupdf.open()
    page = doc.new_page()
    if with_text:
        page.insert_text((72, 60), "A letter received by the service.", fontsize=11)
    target = pymupdf.Rect(100, 150, 100 + clip.height, 150 + clip.width)
    if turn % 180 == 0:
        target = pymupdf.Rect(100, 150, 100 + clip.width, 150 + clip.height)
    page.insert_image(target, stream=pix.tobytes("png"), rotate=turn)
    if mirror:
        _mirror_image_matrix(doc, page)
    info = page.get_image_info()[0]
    # Where each name's box of the source lands on the page: through the image's unit square.
    to_unit = pymupdf.Matrix(1 / clip.width, 0, 0, 1 / clip.height, -clip.x0 / clip.width, 0)
    to_unit.f = -clip.y0 / clip.height
    placed = [(box * to_unit * pymupdf.Matrix(info["transform"])).normalize() for box in boxes]
    return doc.tobytes(), placed


def _mirror_image_matrix(doc: pymupdf.Document, page: pymupdf.Page) -> None:
    """Prefix the image's ``cm`` with a left-right flip of the unit square (x -> 1 - x)."""
    xref = page.get_contents()[-1]
    content = doc.xref_stream(xref).decode("latin-1")
    number = r"(-?[0-9.]+)"
    match = re.search(" ".join([number] * 6) + " cm", content)
    assert match is not None
    a, b, c, d, e, f = (float(v) for v in match.groups())
    flipped = f"{-a:g} {-b:g} {c:g} {d:g} {a + e:g} {b + f:g} cm"
    content = content[: match.start()] + flipped + content[match.end() :]
    doc.update_stream(xref, content.encode("latin-1"))


def _ocr_words_at_every_turn(page: pymupdf.Page) -> str:
    words = []
    for turn in (0, 90, 180, 270):
        pix = page.get_pixmap(matrix=pymupdf.Matrix(300 / 72, 300 / 72).prerotate(turn))
        data = pix.pdfocr_tobytes(language="eng", tessdata=ocr.tessdata())
        with pymupdf.open("pdf", data) as read:
            words.append(str(read[0].get_text()))
    return "\n".join(words)


def _image_only(pdf: bytes) -> pymupdf.Document:
    """The prepared document with every text (the labels) taken off: only the pixels remain."""
    doc = pymupdf.open(stream=pdf, filetype="pdf")
    for page in doc:
        page.add_redact_annot(page.rect)
        page.apply_redactions(
            images=pymupdf.PDF_REDACT_IMAGE_NONE,
            graphics=pymupdf.PDF_REDACT_LINE_ART_NONE,
            text=pymupdf.PDF_REDACT_TEXT_REMOVE,
        )
    return doc


def _ink(page: pymupdf.Page, box: pymupdf.Rect) -> int:
    """How many pixels in ``box`` (page coordinates) are not paper-white."""
    pix = page.get_pixmap(dpi=150, clip=box, colorspace=pymupdf.csGRAY)
    grey = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)
    return int((grey[:, : pix.width] < 200).sum())


def _assert_no_fragment(original: bytes, prepared: bytes, boxes: list[pymupdf.Rect]) -> None:
    with pymupdf.open(stream=original, filetype="pdf") as before:
        for box in boxes:
            assert _ink(before[0], box) > 50  # the names really were in the pixels there
    with pymupdf.open(stream=prepared, filetype="pdf") as after:
        found = _FRAGMENTS.findall(_ocr_words_at_every_turn(after[0]))
        assert found == []
    with _image_only(prepared) as pixels:
        for box in boxes:
            # The whole glyph area of the name, with a point to spare, is paper: no fragment.
            assert (
                _ink(pixels[0], pymupdf.Rect(box.x0 - 1, box.y0 - 1, box.x1 + 1, box.y1 + 1)) == 0
            )


@pytest.mark.slow
@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_scan_at_every_rotate_loses_every_fragment_of_the_names(
    rotate: int, tmp_path: Path
) -> None:
    require_tesseract()
    data, boxes = scan_with_rotate(rotate)
    result = prepare_pdf(data, PrepareOptions(names=NAMES))
    page = result.report.to_dict()["per_page"]["1"]
    assert page["replaced"] == {"Child A": 1, "Social Worker 1": 1}
    assert "OCR" in page["verified_by"]
    _assert_no_fragment(data, result.pdf, boxes)
    assert_clean_everywhere(result.pdf, ORIGINALS, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("turn", [90, 270])
@pytest.mark.parametrize("with_text", [True, False], ids=["text-page", "image-only"])
def test_image_turned_by_its_matrix_loses_the_names(
    turn: int, with_text: bool, tmp_path: Path
) -> None:
    require_tesseract()
    data, boxes = image_drawn_turned(turn, with_text=with_text)
    result = prepare_pdf(data, PrepareOptions(names=NAMES))
    page = result.report.to_dict()["per_page"]["1"]
    assert page["replaced"] == {"Child A": 1, "Social Worker 1": 1}
    _assert_no_fragment(data, result.pdf, boxes)
    assert_clean_everywhere(result.pdf, ORIGINALS, tmp_path)


def _scribbled_scan() -> bytes:
    """A scan full of ink that is no text OCR can read (handwriting-like strokes)."""
    rng = np.random.default_rng(7)
    doc = pymupdf.open()
    page = doc.new_page()
    for _ in range(120):
        x, y = rng.uniform(72, 520), rng.uniform(72, 700)
        points = [(x + rng.uniform(-30, 30), y + rng.uniform(-8, 8)) for _ in range(6)]
        page.draw_polyline(points, color=(0, 0, 0), width=1.5)
    pix = page.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
    scan = pymupdf.open()
    scan.new_page().insert_image(scan[0].rect, stream=pix.tobytes("png"))
    return scan.tobytes()


def _blank_scan() -> bytes:
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 850, 1100), False)
    pix.clear_with(240)  # paper, a little grey: no ink
    doc = pymupdf.open()
    doc.new_page().insert_image(doc[0].rect, pixmap=pix)
    return doc.tobytes()


def test_an_inked_page_ocr_cannot_read_is_refused_unless_accepted() -> None:
    require_tesseract()
    with pytest.raises(UnverifiablePages) as caught:
        prepare_pdf(_scribbled_scan(), PrepareOptions(names=NAMES))
    assert caught.value.pages == (1,)
    assert "Pages: 1." in str(caught.value)
    accepted = prepare_pdf(
        _scribbled_scan(), PrepareOptions(names=NAMES, allow_unverifiable_pages=True)
    )
    assert accepted.report.unverifiable_pages == [1]


def test_a_blank_scan_passes() -> None:
    require_tesseract()
    result = prepare_pdf(_blank_scan(), PrepareOptions(names=NAMES))
    assert result.report.verified
    assert result.report.unverifiable_pages == []


@pytest.mark.slow
def test_image_mirrored_by_its_matrix_loses_the_names(tmp_path: Path) -> None:
    require_tesseract()
    data, boxes = image_drawn_turned(0, with_text=True, mirror=True)
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        assert doc[0].get_image_info()[0]["transform"][0] < 0  # really drawn mirrored
    result = prepare_pdf(data, PrepareOptions(names=NAMES))
    page = result.report.to_dict()["per_page"]["1"]
    assert page["replaced"] == {"Child A": 1, "Social Worker 1": 1}
    _assert_no_fragment(data, result.pdf, boxes)
    assert_clean_everywhere(result.pdf, ORIGINALS, tmp_path)
