"""Real keys and real sealed review files with notes for the notes tests."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from readingroom.age import X25519Identity
from readingroom.notes.notes_store import NotesOwner, NotesStore
from readingroom.policy import NOTES_SEALED, Policy
from tests.factories import READER, SealedFixture, seal_fixture

CANARY = "ZEBRA-CANARY-7319 the reader's own words"


@dataclasses.dataclass
class NotesWorld:
    """A custodian, a review file sealed with notes, and the owner its viewer would build."""

    custodian: X25519Identity
    sealed: SealedFixture
    owner: NotesOwner
    folder: Path

    def store(self) -> NotesStore:
        """A fresh store, as a new session builds it."""
        return NotesStore(self.folder, self.owner)


def notes_policy(custodian: X25519Identity) -> Policy:
    """The default policy with notes sealed to ``custodian``."""
    return Policy(
        reader=READER, notes=NOTES_SEALED, notes_recipients=(custodian.recipient().to_string(),)
    )


def notes_world(home: Path) -> NotesWorld:
    """Seal a review file with notes for ``READER`` and build its notes owner."""
    custodian = X25519Identity.generate()
    notes_key = X25519Identity.generate().to_string()
    sealed = seal_fixture(home, policy=notes_policy(custodian), notes_key=notes_key)
    manifest = sealed.manifest
    owner = NotesOwner(
        document_id=manifest.document_id,
        reader_id=READER.id,
        reader_name=READER.name,
        workstation="Reading room 1",
        notes_key=X25519Identity.from_string(notes_key),
        custodians=(custodian.recipient(),),
    )
    return NotesWorld(custodian, sealed, owner, home / "notes")
