"""Bech32 (BIP 173) encoding of age keys, without BIP 173's 90-character limit.

age encodes X25519 recipients as ``age1...`` and identities as ``AGE-SECRET-KEY-1...`` with the
original Bech32 checksum (not Bech32m). The age spec lifts BIP 173's length limit so that longer
keys (post-quantum ones) fit; we follow it, and the caller checks the data length it expects.
"""

from __future__ import annotations

from collections.abc import Iterable

from readingroom.age.errors import AgeKeyError

_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_CHAR_VALUE = {char: index for index, char in enumerate(_CHARSET)}
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
_CHECKSUM_LENGTH = 6


def _polymod(values: Iterable[int]) -> int:
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for bit, generator in enumerate(_GENERATOR):
            if (top >> bit) & 1:
                checksum ^= generator
    return checksum


def _expand_hrp(hrp: str) -> list[int]:
    return [ord(char) >> 5 for char in hrp] + [0] + [ord(char) & 31 for char in hrp]


def _convert_bits(data: Iterable[int], from_bits: int, to_bits: int, *, pad: bool) -> list[int]:
    accumulator = 0
    bits = 0
    result: list[int] = []
    max_value = (1 << to_bits) - 1
    for value in data:
        accumulator = (accumulator << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            result.append((accumulator >> bits) & max_value)
    if pad:
        if bits:
            result.append((accumulator << (to_bits - bits)) & max_value)
    elif bits >= from_bits or (accumulator << (to_bits - bits)) & max_value:
        # Leftover bits must be fewer than one input group and all zero, or the string is not
        # the canonical encoding of any byte string.
        raise AgeKeyError(reason="bech32 padding")
    return result


def encode(hrp: str, data: bytes) -> str:
    """Encode ``data`` under the human-readable part ``hrp`` (lowercase output).

    Args:
        hrp: the human-readable prefix, e.g. ``"age"``.
        data: the key bytes.

    Returns:
        The lowercase Bech32 string; callers upper-case identities themselves.
    """
    hrp = hrp.lower()
    values = _convert_bits(data, 8, 5, pad=True)
    polymod = _polymod([*_expand_hrp(hrp), *values, 0, 0, 0, 0, 0, 0]) ^ 1
    checksum = [(polymod >> 5 * (5 - index)) & 31 for index in range(_CHECKSUM_LENGTH)]
    return hrp + "1" + "".join(_CHARSET[value] for value in values + checksum)


def decode(text: str) -> tuple[str, bytes]:
    """Decode a Bech32 string, verifying its checksum.

    Args:
        text: the whole string, all lowercase or all uppercase.

    Returns:
        The human-readable part (lowercase) and the data bytes.

    Raises:
        AgeKeyError: mixed case, bad characters, bad checksum or bad padding.
    """
    if text.lower() != text and text.upper() != text:
        raise AgeKeyError(reason="bech32 mixed case")
    text = text.lower()
    separator = text.rfind("1")
    if separator < 1 or separator + _CHECKSUM_LENGTH + 1 > len(text):
        raise AgeKeyError(reason="bech32 separator")
    hrp, rest = text[:separator], text[separator + 1 :]
    if any(not 33 <= ord(char) <= 126 for char in hrp):
        raise AgeKeyError(reason="bech32 prefix")
    try:
        values = [_CHAR_VALUE[char] for char in rest]
    except KeyError:
        raise AgeKeyError(reason="bech32 character") from None
    if _polymod([*_expand_hrp(hrp), *values]) != 1:
        raise AgeKeyError(reason="bech32 checksum")
    return hrp, bytes(_convert_bits(values[:-_CHECKSUM_LENGTH], 5, 8, pad=False))
