"""``readingroom prepare`` end to end: files written only when verified, safe messages."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pymupdf
import pytest

from readingroom import cli

from .conftest import NAMES_CSV, TERMS_TXT
from .hiding_places import scanned_pages


@pytest.fixture
def run(rr_home: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    # Only this command is registered, so the test does not depend on other commands' modules.
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("readingroom.commands.prepare_cmd",))
    return cli.main


def test_prepare_writes_verified_output_and_report(
    run, tmp_path: Path, fixture_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in.pdf").write_bytes(fixture_pdf)
    (tmp_path / "names.csv").write_text(NAMES_CSV)
    (tmp_path / "terms.txt").write_text(TERMS_TXT)
    out, report = tmp_path / "out.pdf", tmp_path / "report.json"
    code = run(
        [
            "prepare",
            str(tmp_path / "in.pdf"),
            "-o",
            str(out),
            "--names",
            str(tmp_path / "names.csv"),
            "--redact",
            str(tmp_path / "terms.txt"),
            "--report",
            str(report),
        ]
    )
    err = capsys.readouterr().err
    assert code == 0
    assert "Social Worker 1:" in err and "Jane" not in err
    assert "Jane Smith" not in pymupdf.open(out)[0].get_text()
    data = json.loads(report.read_text())
    assert data["verified"] is True and "Jane" not in report.read_text()
    # The output exists now: a second run refuses without --force.
    assert run(["prepare", str(tmp_path / "in.pdf"), "-o", str(out)]) == 3


def test_malformed_names_file_gives_line_and_no_output(
    run, tmp_path: Path, fixture_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in.pdf").write_bytes(fixture_pdf)
    (tmp_path / "names.csv").write_text("Jane Smith,Worker 1\nPeter\n")
    out = tmp_path / "out.pdf"
    code = run(
        [
            "prepare",
            str(tmp_path / "in.pdf"),
            "-o",
            str(out),
            "--names",
            str(tmp_path / "names.csv"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 3
    assert "line 2" in err and "Peter" not in err and "Traceback" not in err
    assert not out.exists()


def test_unverifiable_pages_refused_then_allowed(
    run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 8, 8), False)
    pix.clear_with(255)
    pix.set_rect(pymupdf.IRect(2, 2, 6, 4), (0,))  # ink in which OCR reads no word
    page.insert_image(page.rect, pixmap=pix)
    (tmp_path / "scan.pdf").write_bytes(doc.tobytes())
    (tmp_path / "names.csv").write_text("Jane Smith,Social Worker 1\n", encoding="utf-8")
    out = tmp_path / "out.pdf"
    command = ["prepare", str(tmp_path / "scan.pdf"), "-o", str(out)]
    # Without names there is nothing to find: a scan is prepared without any flag.
    assert run(command) == 0
    out.unlink()
    # With names, a page OCR cannot read is refused unless allowed.
    command += ["--names", str(tmp_path / "names.csv")]
    assert run(command) == 9
    assert "Pages: 1" in capsys.readouterr().err
    assert not out.exists()
    assert run([*command, "--allow-unverifiable-pages"]) == 0
    assert out.exists()


def test_damaged_pdf_is_a_clear_error(
    run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.7\n\x00\x01 nothing else")
    assert run(["prepare", str(tmp_path / "bad.pdf"), "-o", str(tmp_path / "o.pdf")]) == 3
    err = capsys.readouterr().err
    assert "Traceback" not in err and "error:" in err


def _stamp(pdf: Path) -> str:
    with pymupdf.open(pdf) as doc:
        kind, value = doc.xref_get_key(-1, "Info/ReadingRoomPrepared")
    assert kind == "string"
    return str(value)


@pytest.mark.parametrize("originals", [False, True])
def test_prepared_pdf_carries_the_hash_of_its_report(
    run, tmp_path: Path, fixture_pdf: bytes, originals: bool
) -> None:
    (tmp_path / "in.pdf").write_bytes(fixture_pdf)
    (tmp_path / "names.csv").write_text(NAMES_CSV)
    out, report = tmp_path / "out.pdf", tmp_path / "report.json"
    command = ["prepare", str(tmp_path / "in.pdf"), "-o", str(out), "--report", str(report)]
    command += ["--names", str(tmp_path / "names.csv")]
    assert run(command + (["--include-originals"] if originals else [])) == 0
    digest = hashlib.sha256(report.read_bytes()).hexdigest()
    assert _stamp(out) == f"v1 sha256:{digest}"
    data = json.loads(report.read_bytes())
    assert data["per_page"]["1"]["names_found_by"] == "text layer"
    assert data["per_page"]["1"]["verified_by"] == ["text layer"]
    assert set(data["engines"]) >= {"mupdf", "qpdf", "tesseract"}
    # Without --report the key is there all the same.
    out.unlink()
    assert run(["prepare", str(tmp_path / "in.pdf"), "-o", str(out)]) == 0
    assert re.fullmatch(r"v1 sha256:[0-9a-f]{64}", _stamp(out))


def test_summary_sorts_labels_and_sums_up_unmatched_rows(
    run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Zoe met Adam and Mia.", fontsize=12)
    (tmp_path / "in.pdf").write_bytes(doc.tobytes())
    rows = ["Zoe,Person Z", "Adam,Person A", "Mia,Person M"]
    rows += [f"Absent{index},Person {index}" for index in range(18)]
    (tmp_path / "names.csv").write_text("\n".join(rows) + "\n")
    command = ["prepare", str(tmp_path / "in.pdf"), "-o", str(tmp_path / "out.pdf")]
    assert run([*command, "--names", str(tmp_path / "names.csv")]) == 0
    err = capsys.readouterr().err
    labels = [line.split(":")[0] for line in err.splitlines() if line.startswith("Person ")]
    assert labels == ["Person A", "Person M", "Person Z"]
    assert "18 names-file rows did not occur: lines 4, 5, 6, 7" in err
    assert "… (see the report)" in err
    assert "Absent" not in err


def test_missing_tesseract_is_one_line_only_when_a_page_needs_it(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A real empty language-data folder: MuPDF's OCR finds no English data there.
    empty = tmp_path / "tessdata"
    empty.mkdir()
    monkeypatch.setenv("TESSDATA_PREFIX", str(empty))
    (tmp_path / "scan.pdf").write_bytes(scanned_pages(1))
    (tmp_path / "names.csv").write_text("Jane Smith,Social Worker 1\n", encoding="utf-8")
    out = tmp_path / "out.pdf"
    command = ["prepare", str(tmp_path / "scan.pdf"), "-o", str(out)]
    assert run([*command, "--names", str(tmp_path / "names.csv")]) == 3
    err = capsys.readouterr().err
    assert "Tesseract is not installed" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()
    # Sanitise-only needs no OCR, so no Tesseract either.
    assert run(command) == 0
