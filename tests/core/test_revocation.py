"""Revocation lists: signed, growing only, and read from a folder the way a workstation does."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from readingroom.errors import ExitCode, Revoked
from readingroom.keys import PublisherKey
from readingroom.review_file import signature_hash
from readingroom.revocation import (
    KIND_DOCUMENT,
    KIND_FILE,
    KIND_READER,
    RevocationListError,
    empty_list,
    load_revocations,
    new_revocation,
    parse_list,
    sign_list,
)
from readingroom.trust import TrustStore
from tests.factories import READER, seal_fixture

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


def signed_list(key: PublisherKey, *entries: tuple[str, str], versions: int = 1) -> bytes:
    current = empty_list(key.public_key())
    for kind, value in entries:
        current = current.with_entry(new_revocation(kind, value, "leak suspected", NOW), NOW)
    for _ in range(versions - max(1, len(entries))):
        current = current.with_entry(new_revocation(KIND_READER, "nobody@example", "", NOW), NOW)
    return sign_list(current, key)


@pytest.fixture
def publisher() -> PublisherKey:
    return PublisherKey.generate()


@pytest.fixture
def trust(tmp_path: Path, publisher: PublisherKey) -> TrustStore:
    store = TrustStore.load(tmp_path / "trust.json")
    store.add(publisher.public_key(), "Westmoor")
    return store


def test_a_signed_list_round_trips(publisher: PublisherKey) -> None:
    data = signed_list(publisher, (KIND_DOCUMENT, "doc-1"), (KIND_READER, "alex@example"))
    parsed = parse_list(data)
    assert parsed.version == 2
    assert [(e.kind, e.value) for e in parsed.entries] == [
        (KIND_DOCUMENT, "doc-1"),
        (KIND_READER, "alex@example"),
    ]
    assert parsed.revokes("doc-1", "x", "y") is not None
    assert parsed.revokes("doc-2", "x", "alex@example") is not None
    assert parsed.revokes("doc-2", "x", "y") is None


@pytest.mark.parametrize("offset", [0, 30, 60, 90, -60, -3])
def test_any_changed_byte_is_refused(publisher: PublisherKey, offset: int) -> None:
    data = bytearray(signed_list(publisher, (KIND_DOCUMENT, "doc-1")))
    data[offset] ^= 0x01
    with pytest.raises(RevocationListError):
        parse_list(bytes(data))


def test_a_list_cannot_be_re_signed_by_another_key(publisher: PublisherKey) -> None:
    other = PublisherKey.generate()
    current = empty_list(publisher.public_key()).with_entry(
        new_revocation(KIND_DOCUMENT, "doc-1", "", NOW), NOW
    )
    with pytest.raises(ValueError):
        sign_list(current, other)


def test_non_canonical_json_is_refused(publisher: PublisherKey) -> None:
    data = signed_list(publisher, (KIND_DOCUMENT, "doc-1"))
    spaced = data.replace(b'"version":1', b'"version": 1')
    with pytest.raises(RevocationListError):
        parse_list(spaced)


def test_the_workstation_refuses_a_revoked_file(
    tmp_path: Path, rr_home: Path, publisher: PublisherKey
) -> None:
    sealed = seal_fixture(rr_home)
    folder = tmp_path / "revocations"
    folder.mkdir()
    fingerprint = sealed.publisher.public_key().fingerprint
    file_hash = signature_hash(sealed.data)
    for kind, value in [
        (KIND_DOCUMENT, sealed.manifest.document_id),
        (KIND_FILE, file_hash),
        (KIND_READER, READER.id),
    ]:
        (folder / "westmoor.rrl").write_bytes(signed_list(sealed.publisher, (kind, value)))
        loaded = load_revocations(folder, sealed.trust, tmp_path / f"seen-{kind}")
        with pytest.raises(Revoked) as caught:
            loaded.check(fingerprint, sealed.manifest.document_id, file_hash, READER.id)
        assert caught.value.exit_code == ExitCode.REFUSED
        assert caught.value.reason == "revoked"
    # Another publisher's list cannot withdraw this publisher's files.
    (folder / "westmoor.rrl").write_bytes(
        signed_list(publisher, (KIND_DOCUMENT, sealed.manifest.document_id))
    )
    loaded = load_revocations(folder, sealed.trust, tmp_path / "seen-other")
    loaded.check(fingerprint, sealed.manifest.document_id, file_hash, READER.id)


def test_an_untrusted_list_is_ignored_with_a_warning(tmp_path: Path, trust: TrustStore) -> None:
    stranger = PublisherKey.generate()
    (tmp_path / "stranger.rrl").write_bytes(signed_list(stranger, (KIND_DOCUMENT, "doc-1")))
    warnings: list[str] = []
    loaded = load_revocations(tmp_path, trust, tmp_path / "seen", warnings.append)
    assert loaded.lists == ()
    assert loaded.ignored == (("stranger.rrl", "untrusted publisher"),)
    assert warnings == ["The revocation list stranger.rrl is from an untrusted publisher: ignored."]


def test_a_damaged_list_is_ignored_and_said(tmp_path: Path, trust: TrustStore) -> None:
    (tmp_path / "broken.rrl").write_bytes(b"readingroom-revocations/v1\n{}\n")
    warnings: list[str] = []
    loaded = load_revocations(tmp_path, trust, tmp_path / "seen", warnings.append)
    assert loaded.ignored == (("broken.rrl", "damaged"),)
    assert len(warnings) == 1


def test_putting_an_older_list_back_does_not_un_revoke(
    tmp_path: Path, trust: TrustStore, publisher: PublisherKey
) -> None:
    folder = tmp_path / "revocations"
    folder.mkdir()
    seen = tmp_path / "seen"
    older = signed_list(publisher, (KIND_READER, "someone@example"))
    newer = signed_list(publisher, (KIND_READER, "someone@example"), (KIND_DOCUMENT, "doc-1"))
    (folder / "westmoor.rrl").write_bytes(newer)
    assert load_revocations(folder, trust, seen).lists[0].version == 2

    (folder / "westmoor.rrl").write_bytes(older)
    warnings: list[str] = []
    loaded = load_revocations(folder, trust, seen, warnings.append)
    assert loaded.rolled_back() == ["westmoor.rrl"]
    assert "older than one already seen" in warnings[0]
    with pytest.raises(Revoked):
        loaded.check(publisher.public_key().fingerprint, "doc-1", "hash", "reader@example")


def test_no_folder_means_nothing_revoked(tmp_path: Path, trust: TrustStore) -> None:
    loaded = load_revocations(None, trust, tmp_path / "seen")
    loaded.check("fingerprint", "doc", "hash", "reader")
    assert loaded.lists == () and loaded.ignored == ()
