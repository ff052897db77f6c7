"""Property tests: sealing round-trips at every size, and every mutation of a sealed file fails.

Two layers are exercised: the age file (``readingroom.age``) and the review file around it
(``readingroom.review_file``). Mutations of a review file as it was sealed must fail the
publisher's signature; mutations of the age body that the publisher then signs anyway (a
broken or malicious publisher) must fail age's own checks. Either way: ``DamagedFile``.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readingroom.age import X25519Identity, decrypt, encrypt
from readingroom.age.header import parse_header
from readingroom.age.kdf import PAYLOAD_NONCE_SIZE
from readingroom.age.stream import CHUNK_SIZE, SEALED_CHUNK_SIZE
from readingroom.config import WorkstationConfig, load_config
from readingroom.errors import AgeNoMatch, AgePayloadError, DamagedFile
from readingroom.keys import PublisherKey
from readingroom.manifest import Manifest, build_payload
from readingroom.policy import Policy
from readingroom.review_file import (
    MAGIC,
    SIGNATURE_PREFIX,
    UnlockKeys,
    _signed_message,
    open_review,
    seal_review,
)
from readingroom.trust import TrustStore
from tests.factories import READER

BOUNDARY_SIZES = [
    0,
    1,
    CHUNK_SIZE - 1,
    CHUNK_SIZE,
    CHUNK_SIZE + 1,
    2 * CHUNK_SIZE,
    2 * CHUNK_SIZE + 1,
]
PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
MUTATION_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@dataclass(frozen=True)
class World:
    """One workstation, one trusted publisher and one reader key, shared by the module."""

    config: WorkstationConfig
    trust: TrustStore
    publisher: PublisherKey
    reader: X25519Identity
    workstation: X25519Identity

    def seal(self, pdf: bytes, *, workstation_lock: bool = False) -> bytes:
        manifest = Manifest.new(
            title="Property test",
            classification="OFFICIAL",
            publisher_name="Publisher",
            pdf=pdf,
            page_count=1,
            policy=Policy(reader=READER),
        )
        workstations = [self.workstation.recipient()] if workstation_lock else []
        return seal_review(pdf, manifest, self.publisher, self.reader.recipient(), workstations)

    def open(self, data: bytes) -> bytearray:
        keys = UnlockKeys(identities=[self.reader], workstation_identities=[self.workstation])
        opened = open_review(
            data, keys, config=self.config, trust=self.trust, now=datetime.now(UTC)
        )
        return opened.pdf


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    home = tmp_path_factory.mktemp("rr-home")
    config = load_config(home)
    trust = TrustStore.load(config.trust_store)
    publisher = PublisherKey.generate()
    trust.add(publisher.public_key(), "Publisher")
    return World(config, trust, publisher, X25519Identity.generate(), X25519Identity.generate())


# ----- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", BOUNDARY_SIZES)
def test_age_round_trips_at_chunk_boundaries(size: int) -> None:
    identity = X25519Identity.generate()
    plaintext = os.urandom(size)
    sealed = encrypt(plaintext, [identity.recipient()])
    assert bytes(decrypt(sealed, [identity])) == plaintext


@PROPERTY_SETTINGS
@given(st.binary(max_size=3 * CHUNK_SIZE + 7))
def test_age_round_trips_any_bytes(plaintext: bytes) -> None:
    identity = X25519Identity.generate()
    assert bytes(decrypt(encrypt(plaintext, [identity.recipient()]), [identity])) == plaintext


def _pdf_for_payload_size(target: int) -> bytes:
    """Bytes whose review-file payload (magic, manifest, PDF) is exactly ``target`` long."""
    size = target
    for _ in range(8):  # the manifest holds pdf_size, whose digits shift the length a little
        pdf = bytes(max(size, 0))
        manifest = Manifest.new(
            title="Property test",
            classification="OFFICIAL",
            publisher_name="Publisher",
            pdf=pdf,
            page_count=1,
            policy=Policy(reader=READER),
        )
        overhead = len(build_payload(manifest, b""))
        if size == target - overhead:
            return pdf
        size = target - overhead
    raise AssertionError("payload size did not converge")


@pytest.mark.parametrize("payload_size", [CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1])
@pytest.mark.parametrize("workstation_lock", [False, True])
def test_review_file_round_trips_at_payload_chunk_boundaries(
    world: World, payload_size: int, workstation_lock: bool
) -> None:
    pdf = os.urandom(len(_pdf_for_payload_size(payload_size)))
    sealed = world.seal(pdf, workstation_lock=workstation_lock)
    assert bytes(world.open(sealed)) == pdf


@pytest.mark.parametrize("size", BOUNDARY_SIZES)
def test_review_file_round_trips_pdf_sizes(world: World, size: int) -> None:
    pdf = os.urandom(size)
    assert bytes(world.open(world.seal(pdf))) == pdf


@PROPERTY_SETTINGS
@given(pdf=st.binary(max_size=2 * CHUNK_SIZE + 100), workstation_lock=st.booleans())
def test_review_file_round_trips_any_bytes(
    world: World, pdf: bytes, workstation_lock: bool
) -> None:
    assert bytes(world.open(world.seal(pdf, workstation_lock=workstation_lock))) == pdf


# ----- mutations -----------------------------------------------------------------------------


def _flip(data: bytes, bit: int) -> bytes:
    mutated = bytearray(data)
    mutated[bit // 8] ^= 1 << (bit % 8)
    return bytes(mutated)


def _split_review(data: bytes) -> tuple[bytes, bytes]:
    """(header lines before the body, age body) of a review file."""
    header_end = data.index(b"\n\n") + 2
    body_end = data.rindex(SIGNATURE_PREFIX)
    return data[:header_end], data[header_end:body_end]


def _resign(data: bytes, body: bytes, publisher: PublisherKey) -> bytes:
    """The review file with ``body`` in place of its own, correctly signed by ``publisher``."""
    header, _ = _split_review(data)
    lines = header.split(b"\n")
    body_line = next(i for i, line in enumerate(lines) if line.startswith(b"body: "))
    lines[body_line] = b"body: %d" % len(body)
    signed = b"\n".join(lines) + body
    signature = publisher.sign(_signed_message(memoryview(signed)))
    return signed + SIGNATURE_PREFIX + base64.b64encode(signature) + b"\n"


def _chunks(age_file: bytes) -> tuple[bytes, list[bytes]]:
    """(header and nonce, sealed payload chunks) of an age file."""
    start = parse_header(memoryview(age_file)).payload_offset + PAYLOAD_NONCE_SIZE
    payload = age_file[start:]
    chunks = [payload[i : i + SEALED_CHUNK_SIZE] for i in range(0, len(payload), SEALED_CHUNK_SIZE)]
    return age_file[:start], chunks


def _swap(chunks: list[bytes], i: int, j: int) -> list[bytes]:
    swapped = list(chunks)
    swapped[i], swapped[j] = swapped[j], swapped[i]
    return swapped


CHUNK_MUTATIONS: dict[str, Callable[[list[bytes], int, int], list[bytes]]] = {
    "swap": _swap,
    "drop": lambda chunks, i, _j: chunks[:i] + chunks[i + 1 :],
    "duplicate": lambda chunks, i, _j: chunks[: i + 1] + chunks[i:],
    "move to end": lambda chunks, i, _j: chunks[:i] + chunks[i + 1 :] + [chunks[i]],
}
THREE_CHUNKS = 2 * CHUNK_SIZE + 1000


@pytest.fixture(scope="module")
def sealed_three_chunks(world: World) -> bytes:
    """A review file whose reader layer has three payload chunks."""
    return world.seal(os.urandom(THREE_CHUNKS - 600))


def test_small_review_file_every_bit_flip_and_truncation_is_damaged(world: World) -> None:
    sealed = world.seal(b"%PDF-1.7 tiny")
    assert bytes(world.open(sealed)) == b"%PDF-1.7 tiny"
    for bit in range(len(sealed) * 8):
        with pytest.raises(DamagedFile):
            world.open(_flip(sealed, bit))
    for length in range(len(sealed)):
        with pytest.raises(DamagedFile):
            world.open(sealed[:length])


@MUTATION_SETTINGS
@given(data=st.data())
def test_any_mutation_of_a_sealed_file_is_damaged(
    world: World, sealed_three_chunks: bytes, data: st.DataObject
) -> None:
    sealed = sealed_three_chunks
    kind = data.draw(st.sampled_from(["flip", "truncate", "extend", "splice", "chunk"]))
    if kind == "flip":
        mutated = _flip(sealed, data.draw(st.integers(0, len(sealed) * 8 - 1)))
    elif kind == "truncate":
        mutated = sealed[: data.draw(st.integers(0, len(sealed) - 1))]
    elif kind == "extend":
        mutated = sealed + data.draw(st.binary(min_size=1, max_size=100))
    elif kind == "splice":
        at = data.draw(st.integers(0, len(sealed)))
        mutated = sealed[:at] + data.draw(st.binary(min_size=1, max_size=40)) + sealed[at:]
    else:
        header, body = _split_review(sealed)
        age_head, chunks = _chunks(body)
        name = data.draw(st.sampled_from(sorted(CHUNK_MUTATIONS)))
        i = data.draw(st.integers(0, len(chunks) - 2))
        j = data.draw(st.integers(i + 1, len(chunks) - 1))
        mutated = header + age_head + b"".join(CHUNK_MUTATIONS[name](chunks, i, j))
        mutated += sealed[len(header) + len(body) :]
    assert mutated != sealed
    with pytest.raises(DamagedFile):
        world.open(mutated)


@MUTATION_SETTINGS
@given(data=st.data())
def test_a_signed_but_mutated_age_body_is_damaged(
    world: World, sealed_three_chunks: bytes, data: st.DataObject
) -> None:
    # The publisher's signature is valid (a broken or malicious publisher), so only age's
    # header MAC and payload authentication stand between the mutation and the reader.
    sealed = sealed_three_chunks
    _, body = _split_review(sealed)
    age_head, chunks = _chunks(body)
    kind = data.draw(
        st.sampled_from(["flip payload", "flip header", "truncate", "extend", "chunk"])
    )
    if kind == "flip payload":
        bit = data.draw(st.integers(len(age_head) * 8, len(body) * 8 - 1))
        mutated = _flip(body, bit)
    elif kind == "flip header":
        mutated = _flip(body, data.draw(st.integers(0, len(age_head) * 8 - 1)))
    elif kind == "truncate":
        mutated = body[: data.draw(st.integers(0, len(body) - 1))]
    elif kind == "extend":
        mutated = body + data.draw(st.binary(min_size=1, max_size=100))
    else:
        name = data.draw(st.sampled_from(sorted(CHUNK_MUTATIONS)))
        i = data.draw(st.integers(0, len(chunks) - 2))
        j = data.draw(st.integers(i + 1, len(chunks) - 1))
        mutated = age_head + b"".join(CHUNK_MUTATIONS[name](chunks, i, j))
    assert mutated != body
    resigned = _resign(sealed, mutated, world.publisher)
    if kind == "flip header":
        # A flipped stanza type or argument is "no identity matches" in age (the CCTV vectors
        # say so too); every other header flip fails the header's parse or MAC.
        with pytest.raises((DamagedFile, AgeNoMatch)):
            world.open(resigned)
    else:
        with pytest.raises(DamagedFile):
            world.open(resigned)


def test_resigning_an_unchanged_body_still_opens(world: World, sealed_three_chunks: bytes) -> None:
    # The mutation tests above rely on _resign producing a valid file.
    _, body = _split_review(sealed_three_chunks)
    assert _resign(sealed_three_chunks, body, world.publisher) == sealed_three_chunks
    assert len(world.open(sealed_three_chunks)) == THREE_CHUNKS - 600


@pytest.mark.parametrize("name", sorted(CHUNK_MUTATIONS))
def test_age_chunk_mutations_fail_payload_authentication(name: str) -> None:
    identity = X25519Identity.generate()
    sealed = encrypt(os.urandom(3 * CHUNK_SIZE + 5), [identity.recipient()])
    head, chunks = _chunks(sealed)
    assert len(chunks) == 4
    for i in range(len(chunks) - 1):
        mutated = head + b"".join(CHUNK_MUTATIONS[name](chunks, i, i + 1))
        with pytest.raises(AgePayloadError):
            decrypt(mutated, [identity])


def test_a_file_for_another_recipient_is_not_damaged_but_refused() -> None:
    # The counterpart of the above: a well-formed file that is simply not ours is AgeNoMatch.
    sealed = encrypt(b"x", [X25519Identity.generate().recipient()])
    with pytest.raises(AgeNoMatch):
        decrypt(sealed, [X25519Identity.generate()])


def test_magic_is_what_the_split_helpers_expect(world: World) -> None:
    sealed = world.seal(b"")
    header, body = _split_review(sealed)
    assert header.startswith(MAGIC) and body.startswith(b"age-encryption.org/v1\n")
