"""The public, signed header fields: label and reading period; older files without them."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from readingroom.age import ScryptRecipient
from readingroom.errors import DamagedFile, UsageError
from readingroom.keys import PublisherKey
from readingroom.policy import Policy
from readingroom.review_file import (
    SIGNATURE_CONTEXT,
    UnlockKeys,
    open_review,
    read_public_info,
    seal_review,
)
from readingroom.review_header import SIGNATURE_PREFIX, check_label, default_label
from tests.factories import FAST_LOG_N, PASSPHRASE, READER, SealedFixture, seal_fixture

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
NOT_BEFORE = datetime(2026, 12, 1, tzinfo=UTC)
NOT_AFTER = datetime(2027, 1, 31, 23, 59, 59, tzinfo=UTC)


def _resealed(fixture: SealedFixture, header_lines: list[bytes]) -> bytes:
    """The fixture's body under other header lines, correctly signed by its publisher."""
    data = fixture.data
    body = data[data.index(b"\n\n") + 2 : data.rindex(SIGNATURE_PREFIX)]
    signed = b"\n".join([b"readingroom-review/v1", *header_lines, b""]) + b"\n" + body
    return _sign(signed, fixture.publisher)


def _sign(signed: bytes, publisher: PublisherKey) -> bytes:
    signature = publisher.sign(SIGNATURE_CONTEXT + hashlib.sha256(signed).digest())
    return signed + SIGNATURE_PREFIX + base64.b64encode(signature) + b"\n"


def _lines(fixture: SealedFixture) -> list[bytes]:
    return fixture.data[: fixture.data.index(b"\n\n")].split(b"\n")[1:]


def _open(fixture: SealedFixture, data: bytes) -> object:
    return open_review(
        data, UnlockKeys(passphrase=PASSPHRASE), config=fixture.config, trust=fixture.trust,
        now=NOW,
    )  # fmt: skip


@pytest.fixture
def sealed(rr_home: Path) -> SealedFixture:
    policy = Policy(reader=READER, not_before=NOT_BEFORE, not_after=NOT_AFTER)
    return seal_fixture(rr_home, policy=policy, now=NOW)


def test_label_and_period_are_public_and_signed(sealed: SealedFixture) -> None:
    info = read_public_info(sealed.data, sealed.trust)
    assert info.signature_valid
    assert info.label == "Review file sealed 3 Dec 2026" == default_label(NOW)
    assert (info.not_before, info.not_after) == (NOT_BEFORE, NOT_AFTER)
    assert info.period_state(NOW) is None
    assert info.period_state(datetime(2027, 2, 1, tzinfo=UTC)) == "expired"
    assert info.period_state(datetime(2026, 11, 30, tzinfo=UTC)) == "not yet valid"
    assert b'label: "Review file sealed 3 Dec 2026"\n' in sealed.data
    assert b"not-after: 2027-01-31T23:59:59Z\n" in sealed.data
    # Changing the label breaks the signature.
    altered = sealed.data.replace(b"sealed 3 Dec", b"sealed 4 Dec")
    assert not read_public_info(altered, sealed.trust).signature_valid


def test_a_custom_label_may_be_any_text_but_stays_ascii_in_the_header(
    sealed: SealedFixture,
) -> None:
    data = seal_review(
        sealed.pdf, sealed.manifest, sealed.publisher,
        sealed_recipient(), label="Revue \u00e9t\u00e9 2026",
    )  # fmt: skip
    header = data[: data.index(b"\n\n")]
    assert header.isascii()
    assert read_public_info(data, sealed.trust).label == "Revue \u00e9t\u00e9 2026"
    for bad in ("", " ", "x" * 81, "two\nlines", "tab\there"):
        with pytest.raises(UsageError):
            check_label(bad)


def sealed_recipient() -> ScryptRecipient:
    return ScryptRecipient(PASSPHRASE, FAST_LOG_N)


def test_an_older_file_without_public_fields_still_opens(sealed: SealedFixture) -> None:
    lines = _lines(sealed)
    older = _resealed(sealed, [line for line in lines if line.split(b":")[0] in
                               (b"publisher", b"lock", b"body")])  # fmt: skip
    info = read_public_info(older, sealed.trust)
    assert info.signature_valid and info.label is None and info.not_after is None
    assert _open(sealed, older) is not None


def test_a_header_period_that_differs_from_the_manifest_is_damage(sealed: SealedFixture) -> None:
    lines = [
        b"not-after: 2099-01-31T23:59:59Z" if line.startswith(b"not-after") else line
        for line in _lines(sealed)
    ]
    forged = _resealed(sealed, lines)
    assert read_public_info(forged, sealed.trust).signature_valid
    with pytest.raises(DamagedFile) as caught:
        _open(sealed, forged)
    assert "header period" in caught.value.reason
    # Dropping the public period while keeping the label is a mismatch too.
    dropped = _resealed(sealed, [line for line in _lines(sealed) if b"not-" not in line])
    with pytest.raises(DamagedFile):
        _open(sealed, dropped)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda ls: [ls[0], ls[1], ls[3], ls[2], *ls[4:]],  # label after not-before
        lambda ls: [ls[0], ls[1], ls[2], ls[2], *ls[3:]],  # label twice
        lambda ls: [ls[0], ls[1], b"colour: blue", *ls[2:]],  # unknown field
        lambda ls: [b'label: "x"', *ls],  # label first
        lambda ls: [ls[0], ls[1], b"label: 'single quoted'", *ls[3:]],
        lambda ls: [ls[0], ls[1], b"label: " + b"[" * 900, ls[-1]],
        lambda ls: [ls[0], ls[1], b'label: ["x"]', *ls[3:]],
        lambda ls: [ls[0], ls[1], b'label: "\\u0007bell"', *ls[3:]],
        lambda ls: [ls[0], ls[1], b'label: " padded"', *ls[3:]],
        lambda ls: [ls[0], ls[1], ls[2], b"not-before: 2026-12-01", *ls[4:]],
        lambda ls: [ls[0], ls[1], ls[2], b"not-before: 2026-13-01T00:00:00Z", *ls[4:]],
        lambda ls: [ls[0], ls[1], ls[3], ls[4], ls[5]],  # a period without a label
    ],
)
def test_malformed_public_fields_are_damage(sealed: SealedFixture, mutate: object) -> None:
    assert callable(mutate)
    lines = _lines(sealed)
    assert [line.split(b":")[0] for line in lines] == [
        b"publisher", b"lock", b"label", b"not-before", b"not-after", b"body",
    ]  # fmt: skip
    with pytest.raises(DamagedFile):
        read_public_info(_resealed(sealed, mutate(lines)), sealed.trust)


def test_sealing_copies_the_manifest_period(sealed: SealedFixture) -> None:
    manifest = dataclasses.replace(
        sealed.manifest, policy=dataclasses.replace(sealed.manifest.policy, not_before=None)
    )
    data = seal_review(sealed.pdf, manifest, sealed.publisher, sealed_recipient())
    info = read_public_info(data, sealed.trust)
    assert info.not_before is None and info.not_after == NOT_AFTER
