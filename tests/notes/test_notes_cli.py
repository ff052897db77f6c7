"""``seal --notes``, ``notes open`` and ``notes release``: real keys, a real log, a real PDF."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pymupdf

from readingroom.age import X25519Identity
from readingroom.audit.log import AuditLog
from readingroom.audit.storage import list_segments
from readingroom.config import load_config
from readingroom.errors import ExitCode
from readingroom.keys import NewKey, write_key_file
from readingroom.notes.notes_session import NotesSession
from readingroom.review_file import UnlockKeys, open_review
from readingroom.trust import TrustStore
from tests.audit.helpers import all_records
from tests.cli.conftest import Run, seal_args
from tests.notes.helpers import CANARY, NotesWorld, notes_world

CJK = "\u4e2d\u6587\u7b14\u8bb0 \u0393\u03c1\u03ac\u03bc\u03bc\u03b1 \u0421\u043b\u043e\u0432\u043e"


def _reader_sessions(world: NotesWorld, texts: list[str]) -> Path:
    """One viewer session per text, each saving it, recorded in the workstation's real log."""
    config = world.sealed.config
    manifest = world.sealed.manifest
    for text in texts:
        log = AuditLog.open(config.audit_dir, config=config)
        context = log.new_session(reader=manifest.policy.reader.id, document=manifest.document_id)
        log.append("session_started", session=context)

        def record(event: str, **details: object) -> bool:
            log.append(event, session=context, **details)  # noqa: B023 - used at once
            return True

        notes = NotesSession.for_review(manifest, config, record, context.code)
        notes.open()
        assert notes.save(text)
        log.append("session_ended", session=context, reason="closed")
        log.close()
    notes_dir = config.notes_dir
    assert notes_dir is not None
    (path,) = notes_dir.iterdir()
    return path


def _custodian_key(world: NotesWorld, folder: Path) -> Path:
    path = folder / "custodian.key"
    identity = world.custodian
    write_key_file(
        path, NewKey("workstation", identity.to_string(), identity.recipient().to_string()), None
    )
    return path


def test_the_custodian_opens_the_notes_with_their_provenance(
    rr_home: Path, tmp_path: Path, run: Run
) -> None:
    world = notes_world(rr_home)
    notes = _reader_sessions(world, [f"p. 1 \u2014 {CANARY}", f"p. 1 \u2014 {CANARY}\nmore"])
    key = _custodian_key(world, tmp_path)
    audit = world.sealed.config.audit_dir
    code, out, err = run("notes", "open", notes, "--identity", key, "--log", audit)
    assert code == 0, err
    assert f"p. 1 \u2014 {CANARY}\nmore" in out
    assert "Notes by Alex Morgan <alex.morgan@example.gov.uk>" in out
    assert f"Document: {world.sealed.manifest.document_id}" in out
    assert "this is the last version saved (2 saves" in out
    assert (
        out.count("Sessions: ") == 1 and out.split("Sessions: ")[1].split("\n")[0].count(",") == 1
    )
    code, out, _ = run("notes", "open", notes, "--identity", key)
    assert code == 0 and "not checked" in out


def test_an_older_or_altered_version_is_refused_against_the_log(
    rr_home: Path, tmp_path: Path, run: Run
) -> None:
    world = notes_world(rr_home)
    notes = _reader_sessions(world, ["first version"])
    older = notes.read_bytes()
    _reader_sessions(world, ["second version"])
    notes.write_bytes(older)
    key = _custodian_key(world, tmp_path)
    audit = world.sealed.config.audit_dir
    code, out, err = run("notes", "open", notes, "--identity", key, "--log", audit)
    assert code == ExitCode.NOT_VERIFIED
    assert "not the last version" in err and "first version" not in out + err
    # Without the log the older version still opens: only the log can say it is not the last.
    assert run("notes", "open", notes, "--identity", key)[0] == 0


def test_another_key_cannot_open_and_the_message_is_the_custodians(
    rr_home: Path, tmp_path: Path, run: Run
) -> None:
    world = notes_world(rr_home)
    notes = _reader_sessions(world, [CANARY])
    stranger = tmp_path / "stranger.key"
    other = X25519Identity.generate()
    write_key_file(
        stranger, NewKey("workstation", other.to_string(), other.recipient().to_string()), None
    )
    code, out, err = run("notes", "open", notes, "--identity", stranger)
    assert code == ExitCode.DAMAGED
    assert "cannot be opened with this key" in err and CANARY not in out + err


def test_release_writes_a_stamped_pdf_and_records_it(
    rr_home: Path, tmp_path: Path, run: Run
) -> None:
    world = notes_world(rr_home)
    notes = _reader_sessions(world, [f"p. 4 \u2014 {CJK}\n" + "line of notes\n" * 120])
    key = _custodian_key(world, tmp_path)
    audit = world.sealed.config.audit_dir
    out_pdf = tmp_path / "released.pdf"
    code, _, err = run(
        "notes", "release", notes, "--identity", key, "--log", audit,
        "--to", "Review Panel <panel@example.gov.uk>", "--by", "Jo Custodian", "--out", out_pdf,
    )  # fmt: skip
    assert code == 0, err
    today = datetime.now(UTC).date().isoformat()
    stamp = f"Released by Jo Custodian on {today} to Review Panel <panel@example.gov.uk>"
    assert stamp in err
    document = pymupdf.open(out_pdf)
    assert document.page_count >= 2
    pages = [" ".join(page.get_text().split()) for page in document]
    assert all(stamp in text for text in pages)
    assert "\u4e2d\u6587\u7b14\u8bb0" in pages[0] and "\u0421\u043b\u043e\u0432\u043e" in pages[0]
    released = [r for r in all_records(audit) if r["event"] == "notes_released"]
    assert len(released) == 1
    assert released[0]["details"]["to"] == "Review Panel <panel@example.gov.uk>"  # type: ignore[index]
    assert CJK not in str(all_records(audit))
    code, out, _ = run("notes", "open", notes, "--identity", key, "--log", audit)
    assert code == 0 and "to Review Panel <panel@example.gov.uk> by Jo Custodian" in out
    # An existing output is not replaced without --force, and nothing more is recorded.
    code, _, err = run(
        "notes", "release", notes, "--identity", key, "--log", audit,
        "--to", "Review Panel <panel@example.gov.uk>", "--out", out_pdf,
    )  # fmt: skip
    assert code == ExitCode.USAGE and "already exists" in err
    assert len([r for r in all_records(audit) if r["event"] == "notes_released"]) == 1


def test_a_release_against_a_log_that_does_not_verify_writes_nothing(
    rr_home: Path, tmp_path: Path, run: Run
) -> None:
    world = notes_world(rr_home)
    notes = _reader_sessions(world, ["text"])
    key = _custodian_key(world, tmp_path)
    audit = world.sealed.config.audit_dir
    segment = list_segments(audit)[0]
    data = segment.read_bytes().replace(b'"closed"', b'"idle"', 1)
    segment.write_bytes(data)
    out_pdf = tmp_path / "released.pdf"
    code, _, err = run(
        "notes", "release", notes, "--identity", key, "--log", audit,
        "--to", "Review Panel <panel@example.gov.uk>", "--out", out_pdf,
    )  # fmt: skip
    assert code == ExitCode.AUDIT_TAMPERED, err
    assert not out_pdf.exists()


def test_seal_with_notes_puts_a_notes_key_and_the_custodians_in_the_file(
    workspace: Path, run: Run, rr_home: Path
) -> None:
    custodian = X25519Identity.generate().recipient().to_string()
    out = workspace / "notes.rrf"
    code, _, err = run(
        *seal_args(workspace, "--passphrase-file", workspace / "rp", "-o", out,
                   "--notes", "sealed", "--notes-to", custodian)
    )  # fmt: skip
    assert code == 0, err
    config = load_config(rr_home)
    opened = open_review(
        out.read_bytes(), UnlockKeys(passphrase=b"reader passphrase"), config=config,
        trust=TrustStore.load(config.trust_store), now=datetime.now(UTC), enforce_policy=False,
    )  # fmt: skip
    opened.pdf[:] = b""
    assert opened.manifest.policy.notes == "sealed"
    assert opened.manifest.policy.notes_recipients == (custodian,)
    assert opened.manifest.notes_key is not None
    X25519Identity.from_string(opened.manifest.notes_key)
    code, shown, err = run("inspect", out, "--passphrase-file", workspace / "rp")
    assert code == 0, err
    assert "Notes:           the reader may write notes, sealed to 1 custodian(s)" in shown
    assert opened.manifest.notes_key not in shown
    code, shown, _ = run("inspect", out, "--passphrase-file", workspace / "rp", "--json")
    assert code == 0 and '"notes": "sealed"' in shown and "AGE-SECRET-KEY" not in shown
    for extra in (("--notes", "sealed"), ("--notes-to", custodian)):
        code, _, err = run(
            *seal_args(workspace, "--passphrase-file", workspace / "rp", "-o",
                       workspace / "x.rrf", *extra)
        )  # fmt: skip
        assert code == ExitCode.USAGE and "--notes sealed" in err


def test_reports_show_the_notes_events_and_never_the_text(
    rr_home: Path, tmp_path: Path, run: Run
) -> None:
    world = notes_world(rr_home)
    notes = _reader_sessions(world, [f"p. 2 \u2014 {CANARY}\np. 3 \u2014 x"])
    key = _custodian_key(world, tmp_path)
    audit = world.sealed.config.audit_dir
    code, _, err = run(
        "notes", "release", notes, "--identity", key, "--log", audit,
        "--to", "Review Panel <panel@example.gov.uk>", "--by", "Jo", "--out", tmp_path / "r.pdf",
    )  # fmt: skip
    assert code == 0, err
    code, text, err = run("audit", "report", audit)
    assert code == 0, err
    assert "notes        " in text and "opened " in text
    assert "saved " in text and "2 page(s) referenced" in text
    assert "Notes released:" in text and "to Review Panel <panel@example.gov.uk> by Jo" in text
    code, data, _ = run("audit", "report", audit, "--format", "json")
    report = json.loads(data)
    assert [entry["event"] for entry in report["sessions"][0]["notes"]] == ["opened", "saved"]
    assert len(report["notes_released"]) == 1
    code, page, _ = run("audit", "report", audit, "--format", "html")
    assert "notes saved" in page
    for output in (text, data, page):
        assert CANARY not in output and "ZEBRA" not in output


def test_control_characters_in_the_notes_never_reach_the_terminal(
    rr_home: Path, tmp_path: Path, run: Run
) -> None:
    world = notes_world(rr_home)
    notes = _reader_sessions(world, ["before\x1b[2J\x07after \u202etxt.exe\ttab\nnext line"])
    key = _custodian_key(world, tmp_path)
    code, out, err = run("notes", "open", notes, "--identity", key)
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "before\ufffd[2J\ufffdafter \ufffdtxt.exe\ttab\nnext line" in out
