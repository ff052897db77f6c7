"""The C2SP CCTV age test vectors (vendored in tests/data/age-cctv/), every applicable one.

Each vector file is ``key: value`` lines, a blank line, then the age file (zlib-compressed when
``compressed: zlib``). ``payload`` is the SHA-256 of all plaintext released before any failure,
so failures are checked through :func:`iter_decrypt`, chunk by chunk, as well as with
:func:`decrypt`.

Skipped, with the reason shown by ``pytest -ra``: armoured vectors (we do not implement ASCII
armour) and vectors whose identities are all post-quantum hybrid keys (``AGE-SECRET-KEY-PQ-1``,
``mlkem768x25519`` stanzas), which ReadingRoom does not support.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from readingroom.age import (
    Identity,
    ScryptIdentity,
    X25519Identity,
    decrypt,
    iter_decrypt,
)
from readingroom.age.errors import AgeHeaderError, AgeHmacError, AgeNoMatch, AgePayloadError

VECTORS = Path(__file__).resolve().parent.parent / "data" / "age-cctv"
EXPECTED_COUNT = 143

FAILURES: dict[str, type[Exception]] = {
    "no match": AgeNoMatch,
    "HMAC failure": AgeHmacError,
    "header failure": AgeHeaderError,
    "payload failure": AgePayloadError,
}


@dataclass
class Vector:
    name: str
    expect: str
    body: bytes
    payload_sha256: str | None = None
    identities: list[str] = field(default_factory=list)
    passphrases: list[str] = field(default_factory=list)
    armored: bool = False
    compressed: bool = False


def load_vector(path: Path) -> Vector:
    raw = path.read_bytes()
    head, _, body = raw.partition(b"\n\n")
    vector = Vector(name=path.name, expect="", body=body)
    for line in head.decode("utf-8").splitlines():
        key, _, value = line.partition(": ")
        if key == "expect":
            vector.expect = value
        elif key == "payload":
            vector.payload_sha256 = value
        elif key == "identity":
            vector.identities.append(value)
        elif key == "passphrase":
            vector.passphrases.append(value)
        elif key == "armored":
            vector.armored = value == "yes"
        elif key == "compressed":
            assert value == "zlib", f"unknown compression {value!r}"
            vector.compressed = True
        else:
            assert key in {"file key", "comment"}, f"unknown header {key!r} in {path.name}"
    if vector.compressed:
        vector.body = zlib.decompress(vector.body)
    return vector


def skip_reason(vector: Vector) -> str | None:
    if vector.armored or vector.expect == "armor failure":
        return "ASCII armour is not implemented"
    if (
        vector.identities
        and not vector.passphrases
        and all(text.startswith("AGE-SECRET-KEY-PQ-") for text in vector.identities)
    ):
        return "post-quantum hybrid (mlkem768x25519) identities are not supported"
    return None


def identities_of(vector: Vector) -> list[Identity]:
    found: list[Identity] = [
        X25519Identity.from_string(text)
        for text in vector.identities
        if not text.startswith("AGE-SECRET-KEY-PQ-")
    ]
    found.extend(ScryptIdentity(text.encode("utf-8")) for text in vector.passphrases)
    return found


def _params() -> list[object]:
    params: list[object] = []
    for path in sorted(VECTORS.iterdir()):
        vector = load_vector(path)
        reason = skip_reason(vector)
        marks = [pytest.mark.skip(reason=reason)] if reason else []
        params.append(pytest.param(vector, id=vector.name, marks=marks))
    return params


def test_every_vector_is_vendored() -> None:
    assert len(list(VECTORS.iterdir())) == EXPECTED_COUNT


@pytest.mark.parametrize("vector", _params())
def test_cctv_vector(vector: Vector) -> None:
    identities = identities_of(vector)
    released = hashlib.sha256()
    if vector.expect == "success":
        plaintext = decrypt(vector.body, identities)
        assert hashlib.sha256(plaintext).hexdigest() == vector.payload_sha256
        for chunk in iter_decrypt(vector.body, identities):
            released.update(chunk)
        assert released.hexdigest() == vector.payload_sha256
        return
    error = FAILURES[vector.expect]
    with pytest.raises(error):
        decrypt(vector.body, identities)
    with pytest.raises(error):
        for chunk in iter_decrypt(vector.body, identities):
            released.update(chunk)
    if vector.payload_sha256 is not None:
        assert released.hexdigest() == vector.payload_sha256


def test_skipped_vectors_are_only_armour_and_hybrid() -> None:
    vectors = [load_vector(path) for path in sorted(VECTORS.iterdir())]
    skipped = [v.name for v in vectors if skip_reason(v)]
    assert all(name.startswith(("armor", "hybrid")) for name in skipped)
    # Everything else runs: a change that silently skips more vectors fails here.
    assert len(vectors) - len(skipped) == 93
