"""The viewer's notes use case with a recorder that keeps what it is asked to record."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from readingroom.config import load_config
from readingroom.notes.notes_file import open_notes
from readingroom.notes.notes_session import (
    NOT_ALLOWED_TEXT,
    SAVED_TEXT,
    WORKSTATION_OFF_TEXT,
    NotesSession,
)
from tests.notes.helpers import CANARY, notes_world


class Recorder:
    """Keeps (event, details); ``working`` False stands for an audit log that failed."""

    def __init__(self) -> None:
        self.records: list[tuple[str, dict[str, object]]] = []
        self.working = True

    def __call__(self, event: str, **details: object) -> bool:
        if self.working:
            self.records.append((event, details))
        return self.working


def test_records_carry_hashes_and_counts_never_the_text(rr_home: Path) -> None:
    world = notes_world(rr_home)
    record = Recorder()
    notes = NotesSession.for_review(world.sealed.manifest, world.sealed.config, record, "AAAA")
    assert notes.available and notes.open() == ""
    assert notes.save(f"p. 7 \u2014 {CANARY}")
    assert notes.message == SAVED_TEXT
    assert notes.save(f"p. 7 \u2014 {CANARY}")  # unchanged: nothing written, nothing recorded
    assert [event for event, _ in record.records] == ["notes_opened", "notes_saved"]
    saved = record.records[1][1]
    assert set(saved) == {"file", "sha256", "size", "pages_referenced"}
    assert saved["pages_referenced"] == 1
    assert CANARY not in repr(record.records)
    assert notes.blocked("paste").startswith("Pasting into your notes is not allowed")
    assert record.records[-1] == ("notes_blocked", {"action": "paste"})


def test_when_the_audit_log_fails_the_notes_go_read_only(rr_home: Path) -> None:
    world = notes_world(rr_home)
    record = Recorder()
    notes = NotesSession.for_review(world.sealed.manifest, world.sealed.config, record, "AAAA")
    notes.open()
    record.working = False
    assert not notes.save("written, but not recorded")
    assert notes.read_only
    assert not notes.save("never written")
    path = world.sealed.config.notes_dir
    assert path is not None
    (only,) = path.iterdir()
    assert open_notes(only.read_bytes(), [world.custodian]).text == "written, but not recorded"


def test_policy_none_and_a_workstation_that_forbids_notes(rr_home: Path) -> None:
    world = notes_world(rr_home)
    manifest = world.sealed.manifest
    plain = dataclasses.replace(
        manifest,
        notes_key=None,
        policy=dataclasses.replace(manifest.policy, notes="none", notes_recipients=()),
    )
    record = Recorder()
    refused = NotesSession.for_review(plain, world.sealed.config, record, "AAAA")
    assert (refused.available, refused.refusal, refused.open()) == (False, NOT_ALLOWED_TEXT, "")
    config = dataclasses.replace(load_config(rr_home), allow_notes=False)
    off = NotesSession.for_review(manifest, config, record, "AAAA")
    assert (off.available, off.refusal) == (False, WORKSTATION_OFF_TEXT)
    assert not off.save("anything")
    assert record.records == []
