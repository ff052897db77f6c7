"""Nothing of the document reaches the disk: not from the viewer, not from the CLI commands.

Each process runs with HOME, TMPDIR, XDG_* and its working folder pointed at fresh folders;
afterwards every file anywhere under them is searched for the canary phrase (raw, UTF-16, inside
zlib/gzip streams) and for a 64-byte slice of the PDF's own bytes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from readingroom.audit import scan_log
from readingroom.config import load_config
from tests.factories import PASSPHRASE, seal_fixture
from tests.robustness.conftest import IsolatedEnv
from tests.robustness.disk_scan import search_file, search_tree
from tests.robustness.viewer_driver import REPORT_PREFIX

CANARY = "Xylophone Quartermaine Brackenwold"
SEARCH_WORD = "Brackenwold"
PAGES = 4
VIEWER_TIMEOUT = 240


def canary_pdf() -> bytes:
    """A document whose every page carries the canary phrase, with an outline and metadata."""
    document = pymupdf.open()
    for number in range(1, PAGES + 1):
        page = document.new_page()
        page.insert_text((72, 72), f"Page {number}: {CANARY}", fontsize=14)
        for line in range(20):
            page.insert_text((72, 110 + 18 * line), f"Finding {line} of the review.", fontsize=10)
    document.set_toc([[1, f"Chapter {CANARY}", 1]])
    document.set_metadata({"title": CANARY, "subject": CANARY})
    data: bytes = document.tobytes(deflate=True)
    document.close()
    return data


def pdf_slice(pdf: bytes) -> bytes:
    """64 bytes from the middle of the file: appear nowhere else by chance."""
    middle = len(pdf) // 2
    return pdf[middle : middle + 64]


def assert_nothing_found(isolated: IsolatedEnv, pdf: bytes, *, skip: tuple[Path, ...] = ()) -> int:
    files, hits = search_tree(
        [isolated.root], {"canary": CANARY}, {"PDF bytes": pdf_slice(pdf)}, skip=skip
    )
    assert not hits, "\n".join(f"{hit.path}: {hit.needle} {hit.how}" for hit in hits)
    return len(files)


def run_cli(isolated: IsolatedEnv, *args: str | Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "readingroom", *(str(arg) for arg in args)],
        cwd=isolated.work, env=isolated.env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def test_the_scanner_finds_what_it_looks_for(tmp_path: Path) -> None:
    pdf = canary_pdf()
    (tmp_path / "plain.pdf").write_bytes(pdf)
    (tmp_path / "utf16.txt").write_bytes(CANARY.encode("utf-16-be"))
    (tmp_path / "cache.bin").write_bytes(b"junk" + zlib.compress(CANARY.encode()) + b"junk")
    hits = {
        (hit.path.name, hit.needle, hit.how)
        for name in ("plain.pdf", "utf16.txt", "cache.bin")
        for hit in search_file(tmp_path / name, {"canary": CANARY}, {"PDF": pdf_slice(pdf)})
    }
    assert ("plain.pdf", "PDF", "raw") in hits
    # The page text is hex in a deflated content stream.
    assert ("plain.pdf", "canary (hex)", "in a zlib/gzip stream") in hits
    assert ("utf16.txt", "canary (utf-16-be)", "raw") in hits
    assert ("cache.bin", "canary (utf-8)", "in a zlib/gzip stream") in hits
    assert search_file(tmp_path / "cache.bin", {"other": "Nothing like it"}, {}) == []


def test_publisher_commands_leave_no_plaintext_behind(isolated_env: IsolatedEnv) -> None:
    pdf = canary_pdf()
    source = isolated_env.inputs / "review.pdf"
    source.write_bytes(pdf)
    passphrase = isolated_env.inputs / "reader-passphrase"
    passphrase.write_bytes(PASSPHRASE + b"\n")
    work = isolated_env.work

    run_cli(isolated_env, "keys", "new", "--kind", "publisher", "--out", work / "pub.key",
            "--unprotected")  # fmt: skip
    run_cli(isolated_env, "seal", source, "--publisher-key", work / "pub.key",
            "--reader", "Alex Morgan <alex@example.gov.uk>", "--passphrase-file", passphrase,
            "--title", "Case review", "-o", work / "review.rrf")  # fmt: skip
    inspected = run_cli(isolated_env, "inspect", work / "review.rrf", "--passphrase-file",
                        passphrase, "--json")  # fmt: skip
    assert json.loads(inspected.stdout)
    assert CANARY not in inspected.stdout + inspected.stderr
    # Everything so far, the sealed file included, is free of the document.
    assert assert_nothing_found(isolated_env, pdf) >= 2

    run_cli(isolated_env, "prepare", source, "-o", work / "prepared.pdf",
            "--report", work / "prepare-report.json")  # fmt: skip
    prepared = work / "prepared.pdf"
    # The prepared PDF is the intended output and naturally holds the text; nothing else may.
    assert search_file(prepared, {"canary": CANARY}, {})
    assert_nothing_found(isolated_env, pdf, skip=(prepared,))
    run_cli(isolated_env, "seal", source, "--prepare", "--publisher-key", work / "pub.key",
            "--reader", "Alex Morgan <alex@example.gov.uk>", "--passphrase-file", passphrase,
            "-o", work / "prepared.rrf")  # fmt: skip
    assert_nothing_found(isolated_env, pdf, skip=(prepared,))


def run_viewer_driver(
    isolated: IsolatedEnv, sealed: Path, passphrase: Path, *extra: str, timeout: float
) -> dict[str, Any]:
    """Run tests/robustness/viewer_driver.py (the real ``readingroom view``) and return its report."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.robustness.viewer_driver", str(sealed), str(passphrase),
         *extra],
        cwd=isolated.work, env=isolated.env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    lines = [line for line in result.stdout.splitlines() if line.startswith(REPORT_PREFIX)]
    assert lines, f"no report; exit {result.returncode}\n{result.stderr[-4000:]}"
    report: dict[str, Any] = json.loads(lines[-1][len(REPORT_PREFIX) :])
    assert "error" not in report, report.get("traceback", "") + result.stderr[-4000:]
    assert result.returncode == 0 and report["exit_code"] == 0, result.stderr[-4000:]
    return report


@pytest.mark.slow
def test_a_viewing_session_leaves_nothing_on_disk(isolated_env: IsolatedEnv) -> None:
    pdf = canary_pdf()
    sealed = seal_fixture(isolated_env.rr_home, pdf=pdf, title="Case review")
    review = isolated_env.work / "review.rrf"
    review.write_bytes(sealed.data)
    passphrase = isolated_env.inputs / "passphrase"
    passphrase.write_bytes(PASSPHRASE + b"\n")

    report = run_viewer_driver(
        isolated_env, review, passphrase, "--search", SEARCH_WORD, timeout=VIEWER_TIMEOUT
    )
    assert report["steps"] == [
        "notice shown", "window shown", "every page painted", "searched", "closed",
    ]  # fmt: skip
    assert report["page_count"] == PAGES and report["pages_painted"] == PAGES
    assert report["search_hit_pages"] == list(range(PAGES))
    # The viewer process could not have written a core file.
    assert report["rlimit_core"] == [0, 0]
    config = load_config(isolated_env.rr_home)
    assert scan_log(config.audit_dir).problem is None

    files = assert_nothing_found(isolated_env, pdf)
    assert files >= 3  # the sealed file, the audit log, the workstation's keys and settings
