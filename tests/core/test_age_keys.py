"""age key strings: Bech32 encoding, parsing, refusal of bad strings, identity files."""

from __future__ import annotations

import pytest

from readingroom.age import X25519Identity, X25519Recipient, bech32, parse_identity_file
from readingroom.age.errors import AgeError, AgeKeyError
from readingroom.errors import KeyFormatError, UsageError, from_age_error

# The identity of the CCTV vectors' x25519 test.
KNOWN_IDENTITY = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0"


def test_generate_round_trips_through_strings() -> None:
    identity = X25519Identity.generate()
    text = identity.to_string()
    assert text.startswith("AGE-SECRET-KEY-1") and text == text.upper()
    again = X25519Identity.from_string(text)
    assert again.to_string() == text
    recipient = identity.recipient().to_string()
    assert recipient.startswith("age1") and recipient == recipient.lower()
    assert X25519Recipient.from_string(recipient) == identity.recipient()


def test_known_identity_parses() -> None:
    identity = X25519Identity.from_string(KNOWN_IDENTITY)
    assert identity.to_string() == KNOWN_IDENTITY
    assert len(identity.recipient().to_string()) == 62


def test_repr_does_not_show_the_secret() -> None:
    identity = X25519Identity.from_string(KNOWN_IDENTITY)
    assert KNOWN_IDENTITY not in repr(identity)
    assert KNOWN_IDENTITY.lower() not in repr(identity).lower()


def test_bip173_reference_vectors() -> None:
    # Valid Bech32 strings from BIP 173.
    for text in ["A12UEL5L", "a12uel5l", "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"]:
        hrp, _ = bech32.decode(text)
        assert hrp == text[: text.rfind("1")].lower()
    for text in ["A1G7SGD8", "10a06t8", "1qzzfhee", "a1Cjm8p9"]:
        with pytest.raises(AgeKeyError):
            bech32.decode(text)


def test_long_strings_are_allowed() -> None:
    # age lifts BIP 173's 90-character limit (post-quantum keys are ~2,000 characters).
    data = bytes(range(256)) * 4
    text = bech32.encode("age1pq", data)
    assert len(text) > 90
    assert bech32.decode(text) == ("age1pq", data)


def _flip_last_data_char(text: str) -> str:
    index = len(text) - 8
    replacement = "q" if text[index].lower() != "q" else "p"
    if text.isupper():
        replacement = replacement.upper()
    return text[:index] + replacement + text[index + 1 :]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "age1",
        "not a key",
        "age1qqqq",
        "AGE-SECRET-KEY-1",
        "age-secret-key-1egtzvffv20835nwyv6270lxyvk2vknx2mmdkwyklmgr48uawx40q2p2lm0",  # lowercase
        "Age-Secret-Key-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0",
        _flip_last_data_char(KNOWN_IDENTITY),  # checksum
        KNOWN_IDENTITY + "Q",
        KNOWN_IDENTITY.replace("AGE-SECRET-KEY-", "AGE-PUBLIC-KEY-"),
        KNOWN_IDENTITY.replace("1EGT", "1BGT"),  # 'B' is not in the Bech32 alphabet
    ],
)
def test_invalid_identities_are_refused(text: str) -> None:
    with pytest.raises(AgeKeyError) as caught:
        X25519Identity.from_string(text)
    # The age layer names the rule that broke, never the key; the app words it once.
    assert (not text or text not in str(caught.value)) and isinstance(caught.value, AgeError)
    assert not isinstance(caught.value, UsageError)
    shown = from_age_error(caught.value)
    assert isinstance(shown, KeyFormatError) and str(shown) == "This is not a valid age key."


def test_invalid_recipients_are_refused() -> None:
    good = X25519Identity.generate().recipient().to_string()
    bad = [
        good.upper(),
        _flip_last_data_char(good),
        good[:-1],
        bech32.encode("age", bytes(31)),  # wrong length
        bech32.encode("agx", bytes(32)),  # wrong prefix
        X25519Identity.generate().to_string(),  # a secret is not a recipient
    ]
    for text in bad:
        with pytest.raises(AgeKeyError):
            X25519Recipient.from_string(text)


def test_identity_file_with_comments_and_blank_lines() -> None:
    first, second = X25519Identity.generate(), X25519Identity.generate()
    text = (
        "# created: 2024-05-01T10:00:00Z\n"
        f"# public key: {first.recipient().to_string()}\n"
        f"{first.to_string()}\n"
        "\n"
        f"   {second.to_string()}\r\n"
    )
    parsed = parse_identity_file(text)
    assert [identity.to_string() for identity in parsed] == [
        first.to_string(),
        second.to_string(),
    ]


def test_identity_file_errors_name_the_line_not_the_content() -> None:
    secret = X25519Identity.generate().to_string()
    broken = secret[:-1] + ("Q" if secret[-1] != "Q" else "P")
    with pytest.raises(AgeKeyError) as caught:
        parse_identity_file(f"# comment\n{broken}\n")
    assert caught.value.line == 2
    assert broken not in str(caught.value)
    with pytest.raises(AgeKeyError):
        parse_identity_file("# only a comment\n\n")
