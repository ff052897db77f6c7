"""What the kiosk's chooser lists: the review files of the configured folder, without any key.

Each ``*.rrf`` file is read once and its public header checked (the publisher's signature and
whether this workstation trusts that publisher); nothing is decrypted, so listing never needs a
passphrase and never holds a plaintext. Every string shown comes from the file name or the
administrator's trust store and passes through ``display_text``: a file name on a removable
drive is as untrusted as a title inside a file. (This module needs no Qt; it lives with the
viewer because only the viewer lists folders.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from readingroom.display_text import display_text
from readingroom.errors import DamagedFile, ReadingRoomError
from readingroom.fileio import read_input_file
from readingroom.keys import short_fingerprint
from readingroom.review_file import read_public_info, signature_hash
from readingroom.trust import TrustStore

REVIEW_SUFFIX = ".rrf"
MAX_LISTED_FILE = 4 * 1024**3
MAX_NAME_CHARS = 80
DAMAGED_TEXT = "damaged or altered: it will not open"
REFERENCE_CHARS = 8

NO_FOLDER_TEXT = (
    "No review folder is configured on this workstation. "
    "Ask the workstation administrator to set review_folder."
)


@dataclass(frozen=True)
class ReviewEntry:
    """One review file as the chooser shows it."""

    path: Path
    name: str  # the file name, sanitised
    publisher: str  # a sentence about who signed it, sanitised
    trusted: bool
    openable: bool  # False for a damaged or unreadable file: choosing it cannot succeed
    # The public, signed facts of the header (None in files sealed before they existed):
    label: str | None = None  # sanitised
    not_after: datetime | None = None
    period: str | None = None  # "expired" or "not yet valid" at listing time, from the header
    not_before: datetime | None = None
    # The start of the signature hash (how the audit log and default file names know the file):
    # tells apart files that share a label without showing a file name.
    reference: str | None = None

    @property
    def choosable(self) -> bool:
        """Whether the chooser offers it: readable, intact, and within its public reading period."""
        return self.openable and self.period is None

    def summary(self) -> str:
        """One line for the list: the file name and what its header says."""
        return f"{self.name} \u2014 {self.publisher}"

    def public_facts(self) -> str:
        """The label, the expiry and the period state, for the chooser or the unlock dialog."""
        parts = [self.label or "(no label)"]
        if self.not_after is not None:
            parts.append(f"readable until {self.not_after:%d %b %Y %H:%M} UTC")
        if self.period is not None:
            parts.append(self.period.upper())
        return " \u2014 ".join(parts)


@dataclass(frozen=True)
class FolderListing:
    """The chooser's content: the files, or a sentence saying why there are none."""

    folder: Path | None
    entries: tuple[ReviewEntry, ...]
    problem: str | None = None


_SEPARATOR = "  \u00b7  "


def _utc(moment: datetime) -> str:
    return f"{moment:%d %b %Y %H:%M} UTC"


def entry_lines(entry: ReviewEntry) -> tuple[str, str]:
    """Two lines for the chooser and the unlock dialog: what the file is, then its public facts.

    The first line is the file's public, signed label (its file name only for a file without
    one: damaged, or sealed before labels existed); the second says who signed it, until when
    it can be read, and its short reference. Nothing here names a reader: the label's default
    names nobody, and the reference is the start of the signature hash.
    """
    if not entry.openable:
        return entry.name, entry.publisher
    facts = [entry.publisher]
    if entry.period == "expired":
        ended = f" on {_utc(entry.not_after)}" if entry.not_after else ""
        facts.insert(0, f"EXPIRED{ended}: it can no longer be opened")
    elif entry.period is not None:
        starts = f": readable from {_utc(entry.not_before)}" if entry.not_before else ""
        facts.insert(0, f"NOT YET READABLE{starts}")
    elif entry.not_after is not None:
        facts.append(f"readable until {_utc(entry.not_after)}")
    if entry.reference:
        facts.append(f"file {entry.reference}")
    return entry.label or entry.name, _SEPARATOR.join(facts)


def list_review_files(
    folder: Path | None, trust: TrustStore, *, now: datetime | None = None
) -> FolderListing:
    """List ``folder``'s review files, sorted by name, with their public header checked.

    ``now`` (default: the clock) decides which files the listing marks expired or not yet
    valid; opening still checks the manifest's reading period, which is authoritative.

    Never raises for a problem with the folder or one file: the listing says what is wrong, so
    the chooser can show it and offer Refresh (the folder may be a drive not yet inserted).
    """
    if folder is None:
        return FolderListing(None, (), NO_FOLDER_TEXT)
    shown_folder = display_text(str(folder), max_chars=200)
    try:
        candidates = [
            path
            for path in folder.iterdir()
            # Dot files are a desktop's leftovers (macOS writes "._name.rrf" on FAT drives).
            if path.suffix.lower() == REVIEW_SUFFIX and not path.name.startswith(".")
        ]
    except FileNotFoundError:
        return FolderListing(
            folder,
            (),
            f"The review folder {shown_folder} is not there. If the review files are on a "
            "removable drive, insert it and choose Refresh.",
        )
    except OSError:
        return FolderListing(
            folder,
            (),
            f"The review folder {shown_folder} cannot be read. "
            "Ask the workstation administrator to check it.",
        )
    moment = now or datetime.now(UTC)
    entries = tuple(
        _entry(path, trust, moment)
        for path in sorted(candidates, key=lambda path: (path.name.casefold(), path.name))
        if path.is_file()
    )
    if not entries:
        return FolderListing(
            folder,
            (),
            f"There are no review files (.rrf) in {shown_folder}. If they are on a removable "
            "drive, insert it and choose Refresh.",
        )
    return FolderListing(folder, entries)


def _entry(path: Path, trust: TrustStore, now: datetime) -> ReviewEntry:
    try:
        data = read_input_file(path, what="review file", limit=MAX_LISTED_FILE)
    except ReadingRoomError:
        name = display_text(path.name, max_chars=MAX_NAME_CHARS) or "(unnamed file)"
        return ReviewEntry(path, name, "cannot be read", False, False)
    return review_entry(path, data, trust, now)


def review_entry(path: Path, data: bytes, trust: TrustStore, now: datetime) -> ReviewEntry:
    """What the chooser (or the unlock dialog) shows of the review file ``data`` read from ``path``.

    Checks the public header only (signature, trust); decrypts nothing.
    """
    name = display_text(path.name, max_chars=MAX_NAME_CHARS) or "(unnamed file)"
    damaged = ReviewEntry(path, name, DAMAGED_TEXT, False, False)
    try:
        info = read_public_info(data, trust)
    except DamagedFile:
        return damaged
    if not info.signature_valid:
        return damaged
    label = display_text(info.label, max_chars=MAX_NAME_CHARS) if info.label else None
    known = trust.get(info.publisher_fingerprint)
    if known is None:
        fingerprint = short_fingerprint(info.publisher_fingerprint)
        text, trusted = f"publisher {fingerprint}, not trusted on this workstation", False
    else:
        publisher = display_text(known.name, max_chars=MAX_NAME_CHARS) or "unnamed publisher"
        text, trusted = f"from {publisher} (trusted)", True
    return ReviewEntry(
        path, name, text, trusted, True,
        label=label, not_after=info.not_after, period=info.period_state(now),
        not_before=info.not_before, reference=signature_hash(data)[:REFERENCE_CHARS],
    )  # fmt: skip
