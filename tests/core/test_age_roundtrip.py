"""Behaviour of age encryption and decryption: round trips, matching, tampering."""

from __future__ import annotations

import hashlib
import os

import pytest

from readingroom.age import (
    Identity,
    Recipient,
    ScryptIdentity,
    ScryptRecipient,
    X25519Identity,
    decrypt,
    encrypt,
    iter_decrypt,
)
from readingroom.age.errors import AgeHeaderError, AgeHmacError, AgeNoMatch, AgePayloadError
from readingroom.age.stream import CHUNK_SIZE, SEALED_CHUNK_SIZE

SIZES = [0, 1, 65535, 65536, 65537, 200_000]
FAST_LOG_N = 10  # keeps scrypt fast in tests; the format is the same at any work factor
PASSPHRASE = b"a passphrase for tests"


def _pair(kind: str) -> tuple[Recipient, Identity]:
    if kind == "x25519":
        identity = X25519Identity.generate()
        return identity.recipient(), identity
    return ScryptRecipient(PASSPHRASE, log_n=FAST_LOG_N), ScryptIdentity(PASSPHRASE)


def _payload_start(sealed: bytes) -> int:
    """Offset of the first payload chunk: after the MAC line and the 16-byte nonce."""
    return sealed.index(b"\n", sealed.index(b"\n---") + 1) + 1 + 16


@pytest.mark.parametrize("kind", ["x25519", "scrypt"])
@pytest.mark.parametrize("size", SIZES)
def test_round_trip(kind: str, size: int) -> None:
    recipient, identity = _pair(kind)
    plaintext = os.urandom(size)
    sealed = encrypt(plaintext, [recipient])
    opened = decrypt(sealed, [identity])
    assert isinstance(opened, bytearray)
    assert opened == plaintext
    assert b"".join(iter_decrypt(sealed, [identity])) == plaintext


def test_accepts_bytearray_and_memoryview() -> None:
    recipient, identity = _pair("x25519")
    plaintext = bytearray(os.urandom(1000))
    sealed = encrypt(memoryview(plaintext), [recipient])
    assert decrypt(memoryview(bytearray(sealed)), [identity]) == plaintext


def test_payload_size_is_plaintext_plus_one_tag_per_chunk() -> None:
    recipient, _ = _pair("x25519")
    for size, chunks in [(0, 1), (CHUNK_SIZE, 1), (CHUNK_SIZE + 1, 2)]:
        sealed = encrypt(os.urandom(size), [recipient])
        assert len(sealed) - _payload_start(sealed) == size + 16 * chunks


def test_every_one_of_several_recipients_can_open() -> None:
    identities = [X25519Identity.generate() for _ in range(3)]
    plaintext = os.urandom(5000)
    sealed = encrypt(plaintext, [identity.recipient() for identity in identities])
    for identity in identities:
        assert decrypt(sealed, [identity]) == plaintext


def test_identities_are_tried_in_turn() -> None:
    right = X25519Identity.generate()
    sealed = encrypt(b"text", [right.recipient()])
    wrong: list[Identity] = [X25519Identity.generate(), ScryptIdentity(b"not this")]
    assert decrypt(sealed, [*wrong, right]) == b"text"


def test_wrong_identity_is_no_match() -> None:
    sealed = encrypt(b"text", [X25519Identity.generate().recipient()])
    with pytest.raises(AgeNoMatch):
        decrypt(sealed, [X25519Identity.generate()])


def test_wrong_passphrase_is_no_match() -> None:
    sealed = encrypt(b"text", [ScryptRecipient(PASSPHRASE, log_n=FAST_LOG_N)])
    with pytest.raises(AgeNoMatch):
        decrypt(sealed, [ScryptIdentity(b"wrong")])


def test_scrypt_work_factor_over_the_cap_is_refused() -> None:
    sealed = encrypt(b"text", [ScryptRecipient(PASSPHRASE, log_n=FAST_LOG_N)])
    with pytest.raises(AgeHeaderError) as caught:
        decrypt(sealed, [ScryptIdentity(PASSPHRASE, max_log_n=FAST_LOG_N - 1)])
    assert caught.value.reason == "scrypt work factor over the cap"


def test_scrypt_recipient_must_be_alone() -> None:
    with pytest.raises(ValueError):
        encrypt(b"x", [ScryptRecipient(PASSPHRASE), X25519Identity.generate().recipient()])


def test_no_recipients_or_identities_is_a_caller_bug_not_a_user_error() -> None:
    with pytest.raises(ValueError):
        encrypt(b"x", [])
    sealed = encrypt(b"x", [X25519Identity.generate().recipient()])
    with pytest.raises(ValueError):
        decrypt(sealed, [])


def test_tampered_chunk_is_refused_and_nothing_after_it_is_released() -> None:
    recipient, identity = _pair("x25519")
    plaintext = os.urandom(3 * CHUNK_SIZE)
    sealed = bytearray(encrypt(plaintext, [recipient]))
    second_chunk = _payload_start(bytes(sealed)) + SEALED_CHUNK_SIZE
    sealed[second_chunk + 100] ^= 0x01
    with pytest.raises(AgePayloadError):
        decrypt(sealed, [identity])
    released = hashlib.sha256()
    with pytest.raises(AgePayloadError):
        for chunk in iter_decrypt(sealed, [identity]):
            released.update(chunk)
    assert released.digest() == hashlib.sha256(plaintext[:CHUNK_SIZE]).digest()


@pytest.mark.parametrize("cut", [1, 16, 17, SEALED_CHUNK_SIZE])
def test_truncated_payload_is_refused(cut: int) -> None:
    recipient, identity = _pair("x25519")
    sealed = encrypt(os.urandom(2 * CHUNK_SIZE + 10), [recipient])
    with pytest.raises(AgePayloadError):
        decrypt(sealed[:-cut], [identity])


def test_truncation_at_a_chunk_boundary_is_refused() -> None:
    recipient, identity = _pair("x25519")
    sealed = encrypt(os.urandom(2 * CHUNK_SIZE), [recipient])
    with pytest.raises(AgePayloadError):
        decrypt(sealed[: _payload_start(sealed) + SEALED_CHUNK_SIZE], [identity])


def test_appended_data_is_refused() -> None:
    recipient, identity = _pair("x25519")
    sealed = encrypt(os.urandom(1000), [recipient])
    with pytest.raises(AgePayloadError):
        decrypt(sealed + b"\x00", [identity])


def test_swapped_chunks_are_refused() -> None:
    recipient, identity = _pair("x25519")
    sealed = encrypt(os.urandom(3 * CHUNK_SIZE), [recipient])
    start = _payload_start(sealed)
    first = sealed[start : start + SEALED_CHUNK_SIZE]
    second = sealed[start + SEALED_CHUNK_SIZE : start + 2 * SEALED_CHUNK_SIZE]
    swapped = sealed[:start] + second + first + sealed[start + 2 * SEALED_CHUNK_SIZE :]
    with pytest.raises(AgePayloadError):
        decrypt(swapped, [identity])


def test_changed_header_fails_the_mac() -> None:
    identity = X25519Identity.generate()
    other = X25519Identity.generate()
    sealed = encrypt(b"text", [identity.recipient(), other.recipient()])
    # Drop the second stanza (2 lines): the remaining one still opens, but the MAC must fail.
    lines = sealed.split(b"\n")
    forged = b"\n".join(lines[:3] + lines[5:])
    with pytest.raises(AgeHmacError):
        decrypt(forged, [identity])


def test_every_header_bit_flip_is_refused() -> None:
    identity = X25519Identity.generate()
    sealed = encrypt(b"some text", [identity.recipient()])
    header_end = _payload_start(sealed)
    for offset in range(header_end):
        for bit in (0x01, 0x20, 0x80):
            damaged = bytearray(sealed)
            damaged[offset] ^= bit
            with pytest.raises((AgeHeaderError, AgeHmacError, AgeNoMatch, AgePayloadError)):
                decrypt(damaged, [identity])
