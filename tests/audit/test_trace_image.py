"""``readingroom trace --image`` on real rendered pages, degraded like photographs, and bad input."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageOps, ImageStat
from PySide6.QtWidgets import QApplication

from readingroom.audit.trace_image import _views, _views_of, find_session_codes
from readingroom.cli import main
from readingroom.errors import ExitCode
from readingroom.session_code import new_session_code
from tests.audit.trace_fixtures import (
    READERS,
    rendered_page,
    review_pdf,
    watermark_for,
    write_log,
)
from tests.photo_degrade import DEGRADATIONS, draw_two_pages


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return review_pdf()


@pytest.fixture
def logged(rr_home: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    directory = tmp_path / "log"
    return directory, write_log(directory)


def _save(image: Image.Image, path: Path) -> Path:
    image.save(path, "JPEG" if path.suffix == ".jpg" else "PNG", quality=90)
    return path


def _trace(photo: Path, directory: Path) -> int:
    return main(["trace", "--image", str(photo), "--log", str(directory)])


# "all at once" is the benchmark's stretch row, beyond the goal (see docs/threat-model.md).
@pytest.mark.parametrize("name", sorted(set(DEGRADATIONS) - {"all at once"}))
def test_a_degraded_photo_leads_to_its_session_and_no_other(
    qapp: QApplication,
    pdf: bytes,
    logged: tuple[Path, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
) -> None:
    directory, codes = logged
    page = rendered_page(pdf, watermark_for(codes[1], READERS[1]))
    photo = _save(DEGRADATIONS[name](page, random.Random(7)), tmp_path / "photo.png")
    assert _trace(photo, directory) == 0
    out = capsys.readouterr().out
    assert f"Mark {codes[1]}: decoded from the image." in out
    assert "Sam Patel" in out
    assert codes[0] not in out and codes[2] not in out


# The viewer's inverted (light on black) mode inverts the mark with the page: its modules are
# then a near-black blue on black, and trace --image finds them by inverting the photo back.
@pytest.mark.parametrize("name", ["clean", *sorted(set(DEGRADATIONS) - {"all at once"})])
def test_a_photo_of_a_page_in_the_inverted_mode_leads_to_its_session(
    qapp: QApplication,
    pdf: bytes,
    logged: tuple[Path, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
) -> None:
    directory, codes = logged
    page = rendered_page(pdf, watermark_for(codes[2], READERS[2]), inverted=True)
    # Really the inverted mode: a dark page, on which none of the photo-as-taken views decodes.
    assert ImageStat.Stat(page.convert("L")).mean[0] < 100
    if name == "clean":
        assert not any(zxingcpp.read_barcodes(view) for view in _views_of(page))
    photo = page if name == "clean" else DEGRADATIONS[name](page, random.Random(11))
    assert _trace(_save(photo, tmp_path / "dark.png"), directory) == 0
    out = capsys.readouterr().out
    assert f"Mark {codes[2]}: decoded from the image." in out
    assert "Jo Okafor" in out
    assert codes[0] not in out and codes[1] not in out


def test_the_inverted_views_come_after_every_view_of_the_photo_as_taken(
    qapp: QApplication, pdf: bytes
) -> None:
    """A photo that decodes in an early view never pays for the inverted ones."""
    code = new_session_code()
    page = rendered_page(pdf, watermark_for(code), zoom=1.0)
    as_taken = [view.tobytes() for view in _views_of(page)]
    inverse = [view.tobytes() for view in _views_of(ImageOps.invert(page))]
    assert [view.tobytes() for view in _views(page)] == as_taken + inverse
    # A page in the normal mode decodes in the very first view (the yellowness).
    assert zxingcpp.read_barcodes(next(_views(page)))
    assert find_session_codes(page) == [code]


def test_two_sessions_in_one_image_are_both_reported(
    qapp: QApplication,
    pdf: bytes,
    logged: tuple[Path, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    directory, codes = logged
    first = rendered_page(pdf, watermark_for(codes[0]), zoom=1.2)
    second = rendered_page(pdf, watermark_for(codes[2], READERS[2]), zoom=1.2)
    photo = _save(draw_two_pages(first, second), tmp_path / "combined.png")
    assert _trace(photo, directory) == 0
    out = capsys.readouterr().out
    assert "the marks of 2 different sessions" in out
    assert f"Mark {codes[0]}" in out and f"Mark {codes[2]}" in out
    assert "Alex Morgan" in out and "Jo Okafor" in out


def test_a_valid_mark_of_a_session_not_in_the_log(
    qapp: QApplication,
    pdf: bytes,
    logged: tuple[Path, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    directory, _ = logged
    stranger = write_log(tmp_path / "other-log", ("Pat Stranger",))[0]
    photo = _save(rendered_page(pdf, watermark_for(stranger)), tmp_path / "photo.jpg")
    assert _trace(photo, directory) == ExitCode.BAD_INPUT
    captured = capsys.readouterr()
    assert f"Mark {stranger}: no session with this code is in this audit log." in captured.out
    assert "its session is not in this audit log" in captured.err
    assert "Traceback" not in captured.err


def test_no_mark_falls_back_to_the_printed_code_as_a_candidate(
    qapp: QApplication,
    pdf: bytes,
    logged: tuple[Path, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A page without the machine mark: exit non-zero, and OCR's reading only as a candidate."""
    directory, codes = logged
    page = rendered_page(pdf, watermark_for(codes[0], marked=False), zoom=2.0)
    photo = _save(page, tmp_path / "unmarked.png")
    assert _trace(photo, directory) == ExitCode.BAD_INPUT
    captured = capsys.readouterr()
    assert "No session mark could be decoded in this image" in captured.err
    if shutil.which("tesseract") is None:
        if os.environ.get("READINGROOM_REQUIRE_TESSERACT") == "1":
            pytest.fail("tesseract is missing, and READINGROOM_REQUIRE_TESSERACT=1 requires it")
        assert "Tesseract is not installed" in captured.out
        return
    assert "guesses, not proof" in captured.out
    # OCR may misread a character of the random code; tolerant matching still finds it.
    candidates = [line for line in captured.out.splitlines() if "CANDIDATE" in line]
    assert candidates and codes[0] in candidates[0]
    assert codes[1] not in captured.out and codes[2] not in captured.out


def test_an_image_with_no_mark_at_all(
    logged: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory, _ = logged
    photo = _save(Image.new("RGB", (800, 600), (200, 190, 180)), tmp_path / "wall.png")
    assert _trace(photo, directory) == ExitCode.BAD_INPUT
    captured = capsys.readouterr()
    assert "No session mark could be decoded" in captured.err
    assert "CANDIDATE" not in captured.out


@pytest.mark.parametrize(
    "content",
    [b"", b"\xff\xd8\xff\xe0 not really a jpeg", b"GIF89a" + bytes(40)],
    ids=["empty", "garbage", "gif"],
)
def test_unreadable_files_are_one_clear_line(
    logged: tuple[Path, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
) -> None:
    directory, _ = logged
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(content)
    assert _trace(photo, directory) == ExitCode.BAD_INPUT
    err = capsys.readouterr().err
    assert "photo.jpg is not" in err and "Traceback" not in err


def test_a_truncated_jpeg_is_refused(
    logged: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory, _ = logged
    whole = _save(Image.effect_noise((1200, 900), 60).convert("RGB"), tmp_path / "whole.jpg")
    photo = tmp_path / "cut.jpg"
    photo.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert _trace(photo, directory) == ExitCode.BAD_INPUT
    assert "cut.jpg is not a readable PNG or JPEG image." in capsys.readouterr().err


def test_a_huge_png_is_refused_before_it_is_decoded(
    logged: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory, _ = logged
    # 1 bit per pixel keeps the test's own memory small; decoding it as RGB would take 216 MB.
    photo = _save(Image.new("1", (9000, 8000), 1), tmp_path / "huge.png")
    assert _trace(photo, directory) == ExitCode.BAD_INPUT
    assert "huge.png has too many pixels" in capsys.readouterr().err


@pytest.mark.slow
def test_a_huge_jpeg_is_decoded_small_and_still_traced(
    qapp: QApplication,
    pdf: bytes,
    logged: tuple[Path, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A 40-megapixel photo is read at a reduced size (JPEG draft mode) and still traced."""
    directory, codes = logged
    page = rendered_page(pdf, watermark_for(codes[2], READERS[2]), zoom=4.0)
    canvas = Image.new("RGB", (page.width * 2, page.height * 2), (120, 110, 100))
    canvas.paste(page, (page.width // 2, page.height // 2))
    photo = _save(canvas, tmp_path / "huge.jpg")
    assert _trace(photo, directory) == 0
    assert f"Mark {codes[2]}: decoded from the image." in capsys.readouterr().out


def test_trace_needs_a_code_or_an_image(
    logged: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    directory, _ = logged
    assert main(["trace", "--log", str(directory)]) == ExitCode.USAGE
    assert "Give either a session code or --image PHOTO." in capsys.readouterr().err
