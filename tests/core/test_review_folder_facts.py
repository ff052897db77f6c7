"""The review folder listing exposes the public facts a chooser shows before any passphrase."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from readingroom.policy import Policy
from readingroom.review_folder import list_review_files
from tests.factories import READER, seal_fixture

SEALED_AT = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


def test_listing_shows_label_expiry_and_period_without_a_key(rr_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "reviews"
    folder.mkdir()
    expiring = Policy(reader=READER, not_after=datetime(2027, 1, 31, 23, 59, 59, tzinfo=UTC))
    later = Policy(reader=READER, not_before=datetime(2027, 6, 1, tzinfo=UTC))
    first = seal_fixture(rr_home, policy=expiring, now=SEALED_AT)
    (folder / "a.rrf").write_bytes(first.data)
    (folder / "b.rrf").write_bytes(seal_fixture(rr_home, policy=later, now=SEALED_AT).data)

    listing = list_review_files(folder, first.trust, now=datetime(2027, 2, 1, tzinfo=UTC))
    a, b = listing.entries
    assert a.label == "Review file sealed 3 Dec 2026"
    assert a.not_after == datetime(2027, 1, 31, 23, 59, 59, tzinfo=UTC)
    assert a.period == "expired" and b.period == "not yet valid"
    assert a.public_facts() == (
        "Review file sealed 3 Dec 2026 \u2014 readable until 31 Jan 2027 23:59 UTC \u2014 EXPIRED"
    )
    assert "alex" not in a.public_facts().casefold()  # the reader is not public
    now_listing = list_review_files(folder, first.trust, now=SEALED_AT)
    assert now_listing.entries[0].period is None
    assert now_listing.entries[1].period == "not yet valid"
