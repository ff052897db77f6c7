"""Small-order and non-canonical Ed25519 publisher keys are refused wherever a key is parsed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readingroom.age import bech32
from readingroom.cli import main
from readingroom.errors import ConfigurationError, DamagedFile, ExitCode, KeyFormatError
from readingroom.keys import PUBLIC_HRP, PublisherKey, PublisherPublicKey
from readingroom.review_file import read_public_info
from readingroom.trust import TrustStore
from tests.factories import seal_fixture

P = 2**255 - 19
IDENTITY = (1).to_bytes(32, "little")  # the neutral point: order 1
ORDER_TWO = (P - 1).to_bytes(32, "little")  # (0, -1)
ORDER_FOUR = bytes(32)  # y = 0
# y = p + 1 encodes the identity again: the same point with a second, non-canonical encoding.
NON_CANONICAL = (P + 1).to_bytes(32, "little")
# One of the order-8 points, as listed in libsodium's blocklist.
ORDER_EIGHT = bytes.fromhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")
UNSAFE = [IDENTITY, ORDER_TWO, ORDER_FOUR, ORDER_EIGHT, NON_CANONICAL]


@pytest.mark.parametrize("raw", UNSAFE, ids=["identity", "order2", "order4", "order8", "y>=p"])
def test_unsafe_keys_are_refused_when_parsed(raw: bytes) -> None:
    with pytest.raises(KeyFormatError):
        PublisherPublicKey.from_string(bech32.encode(PUBLIC_HRP, raw))
    with pytest.raises(KeyFormatError):
        PublisherPublicKey(raw)


def test_a_generated_key_is_accepted() -> None:
    key = PublisherKey.generate().public_key()
    assert PublisherPublicKey.from_string(str(key)) == key


def test_trust_add_refuses_the_identity_point(
    rr_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["trust", "add", bech32.encode(PUBLIC_HRP, IDENTITY), "--name", "Mallory"])
    _, err = capsys.readouterr()
    assert code == KeyFormatError.exit_code != ExitCode.OK
    assert "small order" in err and "Traceback" not in err
    assert not (rr_home / "trusted-publishers.json").exists()


def test_a_trust_store_holding_an_unsafe_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "trusted-publishers.json"
    entry = {"name": "M", "public_key": bech32.encode(PUBLIC_HRP, ORDER_EIGHT)}
    path.write_text(json.dumps({"publishers": [entry]}))
    with pytest.raises(ConfigurationError, match="cannot be read"):
        TrustStore.load(path)


def test_a_review_file_naming_an_unsafe_key_is_damaged(rr_home: Path) -> None:
    sealed = seal_fixture(rr_home)
    genuine = str(sealed.publisher.public_key()).encode("ascii")
    forged = bech32.encode(PUBLIC_HRP, IDENTITY).encode("ascii")
    assert len(forged) == len(genuine)
    data = sealed.data.replace(genuine, forged, 1)
    with pytest.raises(DamagedFile) as caught:
        read_public_info(data, sealed.trust)
    assert caught.value.reason == "damaged file: publisher key"


def test_a_key_file_with_an_unsafe_public_key_is_refused(
    tmp_path: Path, rr_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "mallory.pub"
    key_file.write_text(f"# public key: {bech32.encode(PUBLIC_HRP, NON_CANONICAL)}\n")
    code = main(["trust", "add", str(key_file), "--name", "Mallory"])
    assert code == KeyFormatError.exit_code
    assert "Traceback" not in capsys.readouterr().err
