"""The audit and trace commands through readingroom.cli.main, on a real log."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from readingroom.audit.storage import list_segments
from readingroom.cli import main
from readingroom.errors import ExitCode
from tests.audit.helpers import all_records, write_sessions


@pytest.fixture
def logdir(rr_home: Path, tmp_path: Path) -> Path:
    directory = tmp_path / "log"
    write_sessions(directory, 60)
    return directory


def test_verify_prints_one_line(logdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "verify", str(logdir)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "records, chain intact, last checkpoint seq" in out
    assert "signed by SHA256:" in out


def test_verify_failure_names_the_record(logdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    segment = list_segments(logdir)[0]
    segment.write_bytes(segment.read_bytes().replace(b"budget", b"budgeT", 1))
    assert main(["audit", "verify", str(logdir)]) == ExitCode.AUDIT_TAMPERED
    err = capsys.readouterr().err
    assert "audit-000001.jsonl line" in err
    assert "edited" in err
    assert "Traceback" not in err


def test_checkpoint_export_and_verify_against_it(
    logdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "cp.json"
    assert main(["audit", "checkpoint", str(logdir), "--export", str(exported)]) == 0
    assert main(["audit", "verify", str(logdir), "--checkpoint", str(exported)]) == 0
    assert "matches exported checkpoint" in capsys.readouterr().out
    segment = list_segments(logdir)[0]
    lines = segment.read_bytes().splitlines(keepends=True)
    segment.write_bytes(b"".join(lines[:20]))
    assert main(["audit", "verify", str(logdir), "--checkpoint", str(exported)]) == 8
    assert "truncated against checkpoint" in capsys.readouterr().err


def test_wrong_key_fingerprint_fails(logdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "verify", str(logdir), "--key-fingerprint", "SHA256:nope"]) == 8


@pytest.mark.parametrize("fmt", ["text", "csv", "json", "html"])
def test_report_formats(logdir: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "report", str(logdir), "--format", fmt, "--reader", "alice"]) == 0
    out = capsys.readouterr().out
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows and rows[0]["reader"] == "alice"
        assert rows[0]["pages_seconds"].startswith("1:2")
    elif fmt == "json":
        data = json.loads(out)
        assert data["verified"] is True
        assert data["sessions"][0]["pages"]["1"] == 2.5
        assert [d["action"] for d in data["sessions"][0]["denied"]] == ["copy"]
    elif fmt == "html":
        assert out.startswith("<!DOCTYPE html>")
        assert "<svg" in out and "<rect" in out
        assert "<script" not in out and "http://" not in out.replace(
            'xmlns="http://www.w3.org/2000/svg"', ""
        )
    else:
        assert "time on page p1 2s" in out
        assert re.search(r'search {7}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ "budget"', out)


def test_report_escapes_untrusted_text(rr_home: Path, tmp_path: Path) -> None:
    from readingroom.audit import AuditLog  # noqa: PLC0415

    log = AuditLog.open(tmp_path / "log")
    session = log.new_session(reader="<script>alert(1)</script>", document="D")
    log.append("session_started", session=session)
    log.append("search", session=session, query="</svg><img src=x>")
    log.append("session_ended", session=session, reason="closed")
    log.close()
    out = tmp_path / "r.html"
    args = ["audit", "report", str(tmp_path / "log"), "--format", "html", "--output", str(out)]
    assert main(args) == 0
    html = out.read_text()
    assert "<script>" not in html and "<img" not in html


def test_report_of_tampered_log_shows_the_alarm(
    logdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    segment = list_segments(logdir)[0]
    lines = segment.read_bytes().splitlines(keepends=True)
    del lines[30]
    segment.write_bytes(b"".join(lines))
    assert main(["audit", "report", str(logdir)]) == 8
    assert "ALARM" in capsys.readouterr().out


def test_trace_finds_the_session_from_a_sloppy_code(
    logdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    started = next(r for r in all_records(logdir) if r["event"] == "session_started")
    code = started["details"]["code"]  # type: ignore[index]
    sloppy = code.replace("-", "").lower().replace("0", "o").replace("1", "l")
    assert main(["trace", sloppy, str(logdir)]) == 0
    out = capsys.readouterr().out
    assert f"Session {code}" in out and "alice" in out and "DOC-7" in out


def test_trace_mistyped_and_unknown_codes(logdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    started = next(r for r in all_records(logdir) if r["event"] == "session_started")
    code: str = started["details"]["code"]  # type: ignore[index]
    typo = code[:0] + ("A" if code[0] != "A" else "B") + code[1:]
    assert main(["trace", typo, str(logdir)]) == ExitCode.USAGE
    assert "mistyped" in capsys.readouterr().err
    assert main(["trace", "0000-0000-0", str(logdir)]) == ExitCode.BAD_INPUT
    assert "No session with code" in capsys.readouterr().err
