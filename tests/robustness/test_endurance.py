"""Endurance: scroll a 1,000-page document top to bottom and back three times in the real viewer.

Resident memory must stay under the viewer's stated cap (``RESIDENT_MEMORY_CAP_MB``,
docs/reading-speed.md): the viewer's peak plus its renderer's peak, as the kernel's high-water
marks record them; and the audit log must verify afterwards with at least one ``page_viewed``
(or one short view counted in ``session_ended``) per page shown.
"""

from __future__ import annotations

import pymupdf
import pytest

from readingroom.audit import scan_log
from readingroom.config import load_config
from readingroom.gui.reader.document_reader import RESIDENT_MEMORY_CAP_MB
from readingroom.policy import Policy
from tests.audit.helpers import all_records
from tests.factories import PASSPHRASE, READER, seal_fixture
from tests.robustness.conftest import IsolatedEnv
from tests.robustness.test_nothing_on_disk import run_viewer_driver

PAGES = 1000
ROUNDS = 3


def thousand_pages() -> bytes:
    """1,000 A4 pages of text and a little vector drawing each."""
    document = pymupdf.open()
    for number in range(1, PAGES + 1):
        page = document.new_page(width=595, height=842)
        page.insert_text((72, 72), f"Page {number} of the endurance document", fontsize=16)
        for line in range(25):
            page.insert_text((72, 110 + 24 * line), f"Line {line}: " + "text " * 12, fontsize=10)
        page.draw_rect(pymupdf.Rect(60, 60, 535, 782), color=(0.2, 0.2, 0.6), width=1)
    data: bytes = document.tobytes(deflate=True, garbage=1)
    document.close()
    return data


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_scrolling_a_thousand_pages_three_times_stays_under_the_memory_cap(
    isolated_env: IsolatedEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    # The driver moves through the pages programmatically, which the idle monitor rightly does
    # not count as the reader's activity; on a loaded machine the run outlasts the default
    # 10-minute idle lock, and a locked room paints nothing. This test is about memory.
    policy = Policy(reader=READER, idle_lock_minutes=120)
    sealed = seal_fixture(
        isolated_env.rr_home, pdf=thousand_pages(), policy=policy, title="Endurance"
    )
    review = isolated_env.work / "endurance.rrf"
    review.write_bytes(sealed.data)
    passphrase = isolated_env.inputs / "passphrase"
    passphrase.write_bytes(PASSPHRASE + b"\n")

    report = run_viewer_driver(
        isolated_env, review, passphrase, "--scroll-rounds", str(ROUNDS), timeout=1700
    )
    assert report["steps"][-2:] == ["scrolled", "closed"]
    assert report["page_count"] == PAGES
    viewer, renderer = report["peak_mb_viewer"], report["peak_mb_renderer"]
    peak = viewer + renderer  # an upper bound: the two peaks need not coincide
    with capsys.disabled():
        print(
            f"\nendurance: {PAGES} pages, {ROUNDS} rounds down and up, peak resident memory "
            f"viewer {viewer:.0f} MB + renderer {renderer:.0f} MB = {peak:.0f} MB "
            f"(cap {RESIDENT_MEMORY_CAP_MB} MB; sampled sum peak {report['resident_mb_peak']:.0f}"
            f" MB, end {report['resident_mb_end']:.0f} MB)"
        )
    assert renderer > 0, "the renderer's peak was not measured"
    assert peak < RESIDENT_MEMORY_CAP_MB, f"resident memory peaked at {peak:.0f} MB"

    audit_dir = load_config(isolated_env.rr_home).audit_dir
    assert scan_log(audit_dir).problem is None
    viewed = [r for r in all_records(audit_dir) if r["event"] == "page_viewed"]
    ended = [r for r in all_records(audit_dir) if r["event"] == "session_ended"]
    assert len(ended) == 1 and ended[0]["details"]["pages_viewed"] == len(viewed)
    # Every page shown is either a page_viewed record or, scrolled past in under
    # page_view_min_ms, counted as a short view (docs/audit-log.md, "Page time").
    dropped = ended[0]["details"]["short_views_dropped"]
    # (At least: a focus flicker on a loaded machine splits one page's view in two.)
    assert len(viewed) + dropped >= report["pages_shown"]
    assert {r["details"]["page"] for r in viewed} <= set(range(1, PAGES + 1))
