"""Short, human-readable session codes for tracing a leaked page back to one reading session.

A code is 8 random Crockford base32 characters (40 bits from :mod:`secrets`) and one check
character, shown as ``XXXX-XXXX-C``. The viewer burns it into the watermark and the audit log
records it in ``session_started``; ``readingroom trace CODE`` finds the session again.

The check character comes from the Damm algorithm over GF(32): the quasigroup
``x * y = 2x + y`` (multiplication in GF(2^5) modulo ``x^5 + x^2 + 1``, addition is XOR) is
totally anti-symmetric, so every single-character substitution *and* every swap of two adjacent
characters changes the check. It stays inside the base32 alphabet, unlike Crockford's own
mod-37 check, which needs five extra symbols that are awkward to read off a photograph.
"""

from __future__ import annotations

import secrets

from readingroom.errors import BadSessionCode

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_CHARS = 8
_VALUES = {char: index for index, char in enumerate(ALPHABET)}
# Crockford's decoding rules: the letters people confuse with digits mean those digits.
_VALUES.update({"O": 0, "I": 1, "L": 1})
_FIELD_POLYNOMIAL = 0b100101  # x^5 + x^2 + 1, irreducible over GF(2)
# The code shown in help texts and messages; tests check that it is itself a valid code.
EXAMPLE_SESSION_CODE = "K7Q2-9XHM-6"


def _times_two(value: int) -> int:
    doubled = value << 1
    return doubled ^ _FIELD_POLYNOMIAL if doubled & 0b100000 else doubled


def _damm(values: list[int]) -> int:
    interim = 0
    for value in values:
        interim = _times_two(interim) ^ value
    return interim


def check_character(payload: str) -> str:
    """The check character for 8 base32 characters (already normalised, no dashes)."""
    interim = _damm([_VALUES[char] for char in payload])
    # The check c is the value with interim * c == 0, i.e. 2 * interim + c == 0 in GF(32).
    return ALPHABET[_times_two(interim)]


def format_session_code(payload: str) -> str:
    """Lay out 8 base32 characters and their check character as ``XXXX-XXXX-C``."""
    return f"{payload[:4]}-{payload[4:]}-{check_character(payload)}"


def new_session_code() -> str:
    """A fresh random session code, formatted ``XXXX-XXXX-C``."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARS))
    return format_session_code(payload)


def normalise_session_code(text: str) -> str:
    """Turn a typed code into its canonical ``XXXX-XXXX-C`` form.

    Case, dashes, spaces and the letters O, I and L (read as 0, 1, 1) are forgiven.

    Raises:
        BadSessionCode: wrong length, a character outside the alphabet, or a check mismatch.
    """
    cleaned = "".join(char for char in text.upper() if char not in "- \t")
    if len(cleaned) != RANDOM_CHARS + 1 or any(char not in _VALUES for char in cleaned):
        raise BadSessionCode()
    values = [_VALUES[char] for char in cleaned]
    if _damm(values) != 0:
        raise BadSessionCode()
    payload = "".join(ALPHABET[value] for value in values[:RANDOM_CHARS])
    return format_session_code(payload)
