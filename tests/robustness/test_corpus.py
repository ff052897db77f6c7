"""Real-world and hostile PDFs: prepare, seal, open and render every page; nothing crashes or hangs.

The corpus run needs ``READINGROOM_CORPUS`` (``.ci/run`` points it at ../shared/corpus/pdf);
the generated-PDF run and the harness self-test always run. Per-file results go to a JSON
report in the test's tmp folder; the summary line is printed whatever ``-s`` says.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from PySide6.QtGui import QImage

from readingroom.watermark import WatermarkSpec
from tests.robustness.corpus_harness import (
    CorpusRun,
    Limits,
    summary_line,
    unclean,
    write_report,
)
from tests.robustness.corpus_worker import check_watermark_band
from tests.robustness.nasty_pdfs import write_nasty_pdfs

# Files of the shared corpus that are known to fail, with the reason. Each must still fail
# that way (strict): when a fix lands, the entry goes.
# (test_2548.pdf was here: MuPDF 1.28.2 hangs rendering it. Its prepared copy no longer hangs,
# since prepare flattens its optional-content layer and rebuilds it from an allow-list; the
# viewer's renderer process still contains the hang for the original file.)
KNOWN_FAILURES: dict[str, tuple[str, str]] = {}


def _report(
    records: list[dict[str, Any]], path: Path, capsys: pytest.CaptureFixture[str], label: str
) -> None:
    write_report(records, path)
    with capsys.disabled():
        sys.stdout.write(f"\n{label}: {summary_line(records)}\n  report: {path}\n")


def _describe(records: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{r['file']}: {r.get('status')} {r.get('stage', '')} {r.get('error', '')} "
        f"{r.get('death', '')}\n{textwrap.indent(str(r.get('traceback', '')), '    ')}"
        for r in records
    )


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_every_corpus_pdf_opens_or_is_refused_cleanly(
    corpus_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = sorted(corpus_dir.glob("*.pdf"))
    assert paths, f"no PDFs in {corpus_dir}"
    records = CorpusRun(log_dir=tmp_path / "logs", workers=2).run(paths)
    _report(records, tmp_path / "corpus-report.json", capsys, "corpus")

    by_name = {record["file"]: record for record in records}
    still_known = {
        name: reason
        for name, (status, reason) in KNOWN_FAILURES.items()
        if name in by_name and by_name[name]["status"] == status
    }
    fixed = [name for name in KNOWN_FAILURES if name in by_name and name not in still_known]
    bad = [record for record in unclean(records) if record["file"] not in still_known]
    assert not bad, "crashed, hung or raised a non-ReadingRoomError:\n" + _describe(bad)
    assert not fixed, f"known failures that no longer fail (remove them): {fixed}"
    for record in records:
        if record["status"] == "refused":
            assert record["message"] and "Traceback" not in record["message"]


def test_generated_hostile_pdfs_open_or_are_refused_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = write_nasty_pdfs(tmp_path / "pdfs")
    records = CorpusRun(log_dir=tmp_path / "logs", workers=2).run(list(expected))
    _report(records, tmp_path / "nasty-report.json", capsys, "generated PDFs")

    assert not unclean(records), _describe(unclean(records))
    outcomes = {record["file"]: record["status"] for record in records}
    wanted = {path.name: outcome for path, outcome in expected.items() if outcome != "either"}
    assert {name: outcomes[name] for name in wanted} == wanted
    refused = [record for record in records if record["status"] == "refused"]
    assert all(record["error"] == "InputFileError" for record in refused), refused
    pages = {record["file"]: record.get("pages") for record in records}
    assert pages["many-small-pages.pdf"] == 300
    assert pages["huge-page.pdf"] == 1


_FAKE_WORKER = """
import json, os, signal, sys, time
out = sys.stdout
def send(**m):
    out.write(json.dumps(m) + "\\n"); out.flush()
send(event="ready")
for line in sys.stdin:
    name = os.path.basename(line.strip())
    send(event="start", file=name)
    send(event="step", stage="render", done=0)
    if name == "crash.pdf":
        os.kill(os.getpid(), signal.SIGSEGV)
    if name == "hang.pdf":
        time.sleep(3600)
    if name == "slow-prepare.pdf":
        send(event="step", stage="prepare", done=0)
        time.sleep(3600)
    send(event="result", file=name, status="opened", pages=1)
"""


def test_the_harness_records_crashes_and_hangs_and_carries_on(
    tmp_path: Path,
) -> None:
    names = ["a.pdf", "crash.pdf", "b.pdf", "hang.pdf", "slow-prepare.pdf", "c.pdf"]
    paths = []
    for name in names:
        path = tmp_path / name
        path.write_bytes(b"%PDF-1.7\n")
        paths.append(path)
    run = CorpusRun(
        log_dir=tmp_path / "logs",
        workers=1,
        limits=Limits(page_seconds=1.0, file_seconds=3.0, startup_seconds=30.0),
        command=(sys.executable, "-c", _FAKE_WORKER),
    )
    records = run.run(paths)
    statuses = {record["file"]: record["status"] for record in records}
    assert statuses == {
        "a.pdf": "opened",
        "crash.pdf": "crashed",
        "b.pdf": "opened",
        "hang.pdf": "hung",
        "slow-prepare.pdf": "hung",
        "c.pdf": "opened",
    }
    by_name = {record["file"]: record for record in records}
    assert by_name["crash.pdf"]["death"] == "SIGSEGV"
    assert by_name["hang.pdf"]["cap"] == "page"
    assert by_name["slow-prepare.pdf"]["cap"] == "file"
    assert summary_line(records) == ("6 PDFs: 3 opened, 0 refused, 1 crashed, 2 hung, 0 errors")


def test_the_band_check_fails_on_a_page_without_watermark(
    qapp: object, watermark_spec: WatermarkSpec
) -> None:
    document = pymupdf.open()
    document.new_page().insert_text((72, 72), "No watermark here", fontsize=12)
    pix = document[0].get_pixmap()
    image = QImage(
        pix.samples_mv, pix.width, pix.height, pix.stride, QImage.Format.Format_RGB888
    ).convertToFormat(QImage.Format.Format_RGB32)
    with pytest.raises(AssertionError, match="watermark band is missing"):
        check_watermark_band(image, watermark_spec)
