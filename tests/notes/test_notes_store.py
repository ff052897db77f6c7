"""The notes file and its store: real age encryption, real files, a real full-disk error."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import resource
import signal
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from readingroom.age import ScryptIdentity, ScryptRecipient, X25519Identity, encrypt
from readingroom.errors import DamagedFile, NotesNotSaved, NotesTooLong, NotesUnreadable
from readingroom.manifest import Manifest
from readingroom.notes.notes_file import (
    MAX_NOTES_TEXT_BYTES,
    notes_file_name,
    open_notes,
    pages_referenced,
)
from readingroom.notes.notes_store import LoadState, NotesStore
from readingroom.review_file import UnlockKeys, open_review
from tests.factories import PASSPHRASE, READER
from tests.notes.helpers import CANARY, notes_world


def test_two_sessions_continue_and_the_file_holds_no_plaintext(rr_home: Path) -> None:
    world = notes_world(rr_home)
    first = world.store()
    assert first.load().state is LoadState.NEW
    first.save(f"p. 3 \u2014 {CANARY}", "AAAA-BBBB")

    second = world.store()
    loaded = second.load()
    assert loaded.state is LoadState.CONTINUED
    assert loaded.text == f"p. 3 \u2014 {CANARY}"
    second.save(loaded.text + "\np. 5 \u2014 more", "CCCC-DDDD")

    data = world.store().path.read_bytes()
    for needle in (CANARY, "ZEBRA", "more", READER.id, READER.name):
        assert needle.encode("utf-8") not in data
        assert needle.encode("utf-16-le") not in data
    content = open_notes(data, [world.custodian])
    assert content.sessions == ("AAAA-BBBB", "CCCC-DDDD")
    assert content.text.endswith("p. 5 \u2014 more")
    assert pages_referenced(content.text) == 2
    assert world.store().path.name == notes_file_name(world.owner.document_id, READER.id)
    assert READER.id not in world.store().path.name


def test_the_readers_passphrase_alone_cannot_open_the_notes(rr_home: Path) -> None:
    world = notes_world(rr_home)
    store = world.store()
    store.load()
    store.save(CANARY, "AAAA-BBBB")
    data = store.path.read_bytes()
    with pytest.raises(NotesUnreadable):
        open_notes(data, [ScryptIdentity(PASSPHRASE)])
    with pytest.raises(NotesUnreadable):
        open_notes(data, [X25519Identity.generate()])
    # The review file's own notes key opens them: only from inside the sealed file.
    opened = open_review(
        world.sealed.data,
        UnlockKeys(passphrase=bytearray(PASSPHRASE)),
        config=world.sealed.config,
        trust=world.sealed.trust,
        now=datetime.now(UTC),
    )
    assert opened.manifest.notes_key is not None
    key = X25519Identity.from_string(opened.manifest.notes_key)
    assert open_notes(data, [key]).text == CANARY


def test_a_notes_file_of_another_document_is_set_aside_not_overwritten(rr_home: Path) -> None:
    world = notes_world(rr_home)
    other = notes_world(rr_home / "other")
    store = other.store()
    store.load()
    store.save("another document's notes", "AAAA-BBBB")
    world.folder.mkdir(parents=True)
    foreign = store.path.read_bytes()
    mine = world.store()
    mine.path.write_bytes(foreign)

    loaded = mine.load()
    assert loaded.state is LoadState.SET_ASIDE
    assert loaded.text == ""
    assert loaded.kept_as is not None and loaded.kept_as.read_bytes() == foreign
    assert not mine.path.exists()
    mine.save("fresh start", "CCCC-DDDD")
    assert loaded.kept_as.read_bytes() == foreign
    assert open_notes(mine.path.read_bytes(), [world.custodian]).text == "fresh start"


def test_a_file_of_this_document_for_another_reader_is_refused(rr_home: Path) -> None:
    world = notes_world(rr_home)
    intruder = dataclasses.replace(world.owner, reader_id="someone.else@example.gov.uk")
    theirs = NotesStore(world.folder, intruder)
    theirs.load()
    theirs.save("their notes", "AAAA-BBBB")
    mine = world.store()
    mine.path.write_bytes(theirs.path.read_bytes())
    loaded = mine.load()
    assert (loaded.state, loaded.reason) == (LoadState.SET_ASIDE, "another reader")


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "garbage"])
def test_truncated_or_altered_notes_are_set_aside(rr_home: Path, damage: str) -> None:
    world = notes_world(rr_home)
    store = world.store()
    store.load()
    store.save(CANARY * 2000, "AAAA-BBBB")
    data = bytearray(store.path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) - 100]
    elif damage == "flip":
        data[len(data) // 2] ^= 0x01
    elif damage == "empty":
        data = bytearray()
    else:
        data = bytearray(os.urandom(500))
    store.path.write_bytes(bytes(data))
    fresh = world.store()
    loaded = fresh.load()
    assert loaded.state is LoadState.SET_ASIDE
    assert loaded.kept_as is not None and loaded.kept_as.read_bytes() == bytes(data)
    assert str(NotesUnreadable()) == (
        "Your earlier notes could not be read; they are kept for the custodian."
    )


def test_the_one_megabyte_cap_keeps_the_last_saved_version(rr_home: Path) -> None:
    world = notes_world(rr_home)
    store = world.store()
    store.load()
    store.save("short", "AAAA-BBBB")
    before = store.path.read_bytes()
    with pytest.raises(NotesTooLong):
        store.save("x" * (MAX_NOTES_TEXT_BYTES + 1), "AAAA-BBBB")
    assert store.path.read_bytes() == before
    # Multi-byte characters count as their UTF-8 bytes.
    with pytest.raises(NotesTooLong):
        store.save("\u4e2d" * (MAX_NOTES_TEXT_BYTES // 3 + 1), "AAAA-BBBB")
    store.save("y" * MAX_NOTES_TEXT_BYTES, "AAAA-BBBB")
    assert len(open_notes(store.path.read_bytes(), [world.custodian]).text) == MAX_NOTES_TEXT_BYTES


@contextlib.contextmanager
def file_size_limit(limit: int) -> Iterator[None]:
    # A real failed write: the kernel refuses to grow any file past the limit (EFBIG), as a full
    # disk refuses with ENOSPC. SIGXFSZ would kill the process; ignored, the write fails.
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def test_a_failed_write_leaves_the_last_version_and_no_partial_file(rr_home: Path) -> None:
    world = notes_world(rr_home)
    store = world.store()
    store.load()
    store.save("saved before the disk filled", "AAAA-BBBB")
    before = store.path.read_bytes()
    with file_size_limit(4096), pytest.raises(NotesNotSaved):
        store.save("z" * 100_000, "AAAA-BBBB")
    assert store.path.read_bytes() == before
    assert sorted(path.name for path in world.folder.iterdir()) == [store.path.name]


def test_non_latin_notes_round_trip(rr_home: Path) -> None:
    world = notes_world(rr_home)
    text = "p. 2 \u2014 \u0421\u043e\u0446\u0438\u0430\u043b\u044c\u043d\u044b\u0439 \u0440\u0430\u0431\u043e\u0442\u043d\u0438\u043a \u00b7 \u4e2d\u6587 \u00b7 \u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u00b7 \U0001f4dd"
    store = world.store()
    store.load()
    store.save(text, "AAAA-BBBB")
    assert world.store().load().text == text


def test_a_scrypt_sealed_notes_file_is_not_notes(rr_home: Path) -> None:
    world = notes_world(rr_home)
    data = encrypt(b"readingroom-notes/v1\n{}", [ScryptRecipient(PASSPHRASE, 10)])
    with pytest.raises(NotesUnreadable):
        open_notes(data, [world.custodian])


def test_the_manifest_carries_notes_in_format_2_and_refuses_odd_policies(rr_home: Path) -> None:
    world = notes_world(rr_home)
    manifest = world.sealed.manifest
    raw = manifest.to_json()
    assert b'"format":2' in raw and b'"notes":"sealed"' in raw
    assert Manifest.from_json(raw) == manifest
    plain = dataclasses.replace(
        manifest,
        notes_key=None,
        policy=dataclasses.replace(manifest.policy, notes="none", notes_recipients=()),
    )
    assert b'"format":1' in plain.to_json() and b"notes" not in plain.to_json()
    for good, bad in (
        (b'"notes":"sealed"', b'"notes":"shared"'),
        (b'"format":2', b'"format":1'),
        (b'"format":2', b'"format":3'),
    ):
        with pytest.raises(DamagedFile):
            Manifest.from_json(raw.replace(good, bad))
    no_key = raw.replace(manifest.notes_key.encode(), b"").replace(b',"notes_key":""', b"")
    with pytest.raises(DamagedFile):
        Manifest.from_json(no_key)
