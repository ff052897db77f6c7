"""Real things for tests: PDFs made with PyMuPDF, real keys, real sealed review files.

Sealing uses a low scrypt work factor (``FAST_LOG_N``) so that a test suite of hundreds of
seal/open round trips runs in seconds; the construction is otherwise the production one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pymupdf

from readingroom.age import ScryptRecipient, X25519Identity, X25519Recipient
from readingroom.config import WorkstationConfig, load_config
from readingroom.keys import PublisherKey
from readingroom.manifest import Manifest
from readingroom.policy import Policy, ReaderIdentity
from readingroom.review_file import seal_review
from readingroom.trust import TrustStore

FAST_LOG_N = 10
READER = ReaderIdentity("Alex Morgan", "alex.morgan@example.gov.uk", "Ofsted")
PASSPHRASE = b"correct horse battery staple"


def make_pdf(
    pages: int = 3, *, text: str = "Page {n} of the review", extra: Sequence[str] = ()
) -> bytes:
    """A real PDF with ``pages`` pages, each carrying ``text`` (``{n}`` = page number)."""
    document = pymupdf.open()
    for number in range(1, pages + 1):
        page = document.new_page()
        page.insert_text((72, 72), text.format(n=number), fontsize=14)
        for offset, line in enumerate(extra, start=1):
            page.insert_text((72, 72 + 20 * offset), line, fontsize=11)
    data: bytes = document.tobytes()
    document.close()
    return data


@dataclass
class SealedFixture:
    """A sealed file and everything needed to open it."""

    data: bytes
    pdf: bytes
    publisher: PublisherKey
    manifest: Manifest
    trust: TrustStore
    config: WorkstationConfig
    passphrase: bytes | None = PASSPHRASE
    reader_identity: X25519Identity | None = None
    workstation_identities: list[X25519Identity] = field(default_factory=list)


def seal_fixture(
    home: Path,
    *,
    pdf: bytes | None = None,
    policy: Policy | None = None,
    passphrase: bytes | None = PASSPHRASE,
    reader_identity: X25519Identity | None = None,
    workstations: Sequence[X25519Identity] = (),
    trusted: bool = True,
    title: str = "Serious Case Review: Child A",
    now: datetime | None = None,
    notes_key: str | None = None,
) -> SealedFixture:
    """Seal a PDF for ``READER`` under a ``home`` folder, trusting the new publisher."""
    pdf = pdf if pdf is not None else make_pdf()
    publisher = PublisherKey.generate()
    config = load_config(home)
    trust = TrustStore.load(config.trust_store)
    if trusted:
        trust.add(publisher.public_key(), "Westmoor Safeguarding Children Partnership")
    policy = policy or Policy(reader=READER)
    document = pymupdf.open(stream=pdf, filetype="pdf")
    page_count = int(document.page_count)
    document.close()
    manifest = Manifest.new(
        title=title,
        classification="OFFICIAL-SENSITIVE",
        publisher_name="Westmoor Safeguarding Children Partnership",
        pdf=pdf,
        page_count=page_count,
        policy=policy,
        now=now,
        notes_key=notes_key,
    )
    reader: ScryptRecipient | X25519Recipient
    if reader_identity is not None:
        reader = reader_identity.recipient()
    else:
        assert passphrase is not None
        reader = ScryptRecipient(passphrase, FAST_LOG_N)
    data = seal_review(
        pdf, manifest, publisher, reader, [identity.recipient() for identity in workstations]
    )
    return SealedFixture(
        data=data,
        pdf=pdf,
        publisher=publisher,
        manifest=manifest,
        trust=trust,
        config=config,
        passphrase=passphrase if reader_identity is None else None,
        reader_identity=reader_identity,
        workstation_identities=list(workstations),
    )
