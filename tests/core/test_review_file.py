"""The review file container: round trips, two factors, trust, policy, and tampering."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pymupdf
import pytest

from readingroom.age import ScryptRecipient, X25519Identity, stream
from readingroom.errors import (
    CannotUnlock,
    ClockRolledBack,
    DamagedFile,
    Expired,
    NotYetValid,
    UntrustedPublisher,
    WorkstationRefused,
)
from readingroom.policy import Policy
from readingroom.review_file import (
    UnlockKeys,
    open_review,
    read_public_info,
    seal_review,
    verify_reader,
)
from readingroom.review_unlock import MAX_SCRYPT_LOG_N
from tests.factories import PASSPHRASE, READER, SealedFixture, make_pdf, seal_fixture

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _open(fixture: SealedFixture, unlock: UnlockKeys | None = None, **kwargs: object) -> object:
    unlock = unlock or UnlockKeys(
        passphrase=fixture.passphrase,
        identities=[fixture.reader_identity] if fixture.reader_identity else [],
        workstation_identities=fixture.workstation_identities,
    )
    options: dict[str, object] = {"config": fixture.config, "trust": fixture.trust, "now": NOW}
    options.update(kwargs)
    return open_review(fixture.data, unlock, **options)  # type: ignore[arg-type]


def test_passphrase_round_trip_returns_the_pdf_and_manifest(rr_home: Path) -> None:
    fixture = seal_fixture(rr_home)
    opened = _open(fixture)
    assert bytes(opened.pdf) == fixture.pdf  # type: ignore[attr-defined]
    assert opened.manifest == fixture.manifest  # type: ignore[attr-defined]
    assert opened.manifest.policy.reader == READER  # type: ignore[attr-defined]
    assert opened.publisher_trusted  # type: ignore[attr-defined]
    assert len(opened.signature_hash) == 64  # type: ignore[attr-defined]


def test_reader_key_round_trip_and_another_readers_key_is_refused(rr_home: Path) -> None:
    reader = X25519Identity.generate()
    fixture = seal_fixture(rr_home, reader_identity=reader)
    assert bytes(_open(fixture).pdf) == fixture.pdf  # type: ignore[attr-defined]
    with pytest.raises(CannotUnlock) as caught:
        _open(fixture, UnlockKeys(identities=[X25519Identity.generate()]))
    assert caught.value.reason == "wrong passphrase or not for this reader"


def test_wrong_passphrase_is_refused_with_the_shared_message(rr_home: Path) -> None:
    fixture = seal_fixture(rr_home)
    with pytest.raises(CannotUnlock) as caught:
        _open(fixture, UnlockKeys(passphrase=b"not it"))
    assert str(caught.value) == CannotUnlock.message


def test_two_factors_need_the_designated_workstation(rr_home: Path) -> None:
    station = X25519Identity.generate()
    fixture = seal_fixture(rr_home, workstations=[station])
    assert read_public_info(fixture.data, fixture.trust).lock == "workstation+reader"
    assert bytes(_open(fixture).pdf) == fixture.pdf  # type: ignore[attr-defined]

    elsewhere = UnlockKeys(
        passphrase=PASSPHRASE, workstation_identities=[X25519Identity.generate()]
    )
    with pytest.raises(WorkstationRefused):
        _open(fixture, elsewhere)
    with pytest.raises(WorkstationRefused):
        _open(fixture, UnlockKeys(passphrase=PASSPHRASE))
    # The workstation alone is not enough: the reader's factor is still needed.
    with pytest.raises(CannotUnlock):
        _open(fixture, UnlockKeys(passphrase=b"guess", workstation_identities=[station]))


def test_untrusted_publisher_is_refused_before_decryption_unless_allowed(rr_home: Path) -> None:
    fixture = seal_fixture(rr_home, trusted=False)
    with pytest.raises(UntrustedPublisher):
        # A wrong passphrase would raise CannotUnlock if decryption were attempted first.
        _open(fixture, UnlockKeys(passphrase=b"wrong"))
    permissive = dataclasses.replace(fixture.config, allow_any_publisher=True)
    opened = _open(fixture, config=permissive)
    assert not opened.publisher_trusted  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("policy_times", "error"),
    [
        ({"not_after": NOW - timedelta(seconds=1)}, Expired),
        ({"not_before": NOW + timedelta(days=1)}, NotYetValid),
    ],
)
def test_reading_period_is_enforced(
    rr_home: Path, policy_times: dict[str, datetime], error: type[Exception]
) -> None:
    fixture = seal_fixture(rr_home, policy=Policy(reader=READER, **policy_times))  # type: ignore[arg-type]
    with pytest.raises(error):
        _open(fixture)


def test_a_rolled_back_clock_refuses_only_files_that_expire(rr_home: Path) -> None:
    expiring = seal_fixture(
        rr_home, policy=Policy(reader=READER, not_after=NOW + timedelta(days=9))
    )
    with pytest.raises(ClockRolledBack):
        _open(expiring, clock_rolled_back=True)
    lasting = seal_fixture(rr_home)
    assert _open(lasting, clock_rolled_back=True) is not None


def test_a_file_demanding_too_much_scrypt_work_is_refused(rr_home: Path) -> None:
    fixture = seal_fixture(rr_home)
    # Seal the same document with a work factor above the cap; refused before scrypt runs.
    greedy = seal_review(
        fixture.pdf,
        fixture.manifest,
        fixture.publisher,
        ScryptRecipient(PASSPHRASE, MAX_SCRYPT_LOG_N + 1),
    )
    with pytest.raises(DamagedFile):
        _open(dataclasses.replace(fixture, data=greedy))


def test_public_info_without_keys(rr_home: Path) -> None:
    fixture = seal_fixture(rr_home)
    info = read_public_info(fixture.data, fixture.trust)
    assert info.signature_valid and info.trusted and info.lock == "reader"
    assert info.publisher_fingerprint == fixture.publisher.public_key().fingerprint
    assert info.size == len(fixture.data)


def test_every_flipped_byte_and_every_truncation_is_refused_as_damaged(
    rr_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixture = seal_fixture(rr_home, pdf=make_pdf(1, text="tiny"))
    handed_to_pymupdf: list[object] = []
    monkeypatch.setattr(pymupdf, "open", lambda *a, **k: handed_to_pymupdf.append(a))
    data = fixture.data
    variants = [data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1 :] for i in range(len(data))]
    variants += [data[:i] for i in range(len(data))]
    variants += [data + b"\n", data + b"x" * 17]
    messages = set()
    for variant in variants:
        with pytest.raises(DamagedFile) as caught:
            _open(dataclasses.replace(fixture, data=variant))
        messages.add(str(caught.value))
    assert messages == {DamagedFile.message}
    assert handed_to_pymupdf == []


def test_a_signature_from_another_publisher_key_is_refused(rr_home: Path) -> None:
    original = seal_fixture(rr_home)
    other = seal_fixture(rr_home)
    # Graft the other file's signature line onto this file: same length, wrong signer.
    forged = original.data[:-89] + other.data[-89:]
    assert len(forged) == len(original.data)
    with pytest.raises(DamagedFile):
        _open(dataclasses.replace(original, data=forged))
    assert not read_public_info(forged, original.trust).signature_valid


def test_verify_reader_checks_the_factor_without_decrypting_the_document(
    rr_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    station = X25519Identity.generate()
    fixture = seal_fixture(rr_home, workstations=[station])
    calls: list[int] = []
    real_open_chunks = stream.open_chunks

    def counting_open_chunks(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real_open_chunks(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(stream, "open_chunks", counting_open_chunks)
    verify_reader(fixture.data, UnlockKeys(passphrase=PASSPHRASE, workstation_identities=[station]))
    # Only the outer (workstation) layer was decrypted: its plaintext is the reader's ciphertext.
    assert len(calls) == 1
    with pytest.raises(CannotUnlock):
        verify_reader(fixture.data, UnlockKeys(passphrase=b"no", workstation_identities=[station]))
    with pytest.raises(WorkstationRefused):
        verify_reader(fixture.data, UnlockKeys(passphrase=PASSPHRASE))
