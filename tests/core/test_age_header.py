"""The age header's format rules, as written and as enforced on hostile input."""

from __future__ import annotations

import re

import pytest

from readingroom.age import X25519Identity, b64, decrypt, encrypt
from readingroom.age.errors import AgeHeaderError, AgeHmacError
from readingroom.age.header import (
    MAX_HEADER_SIZE,
    MAX_STANZAS,
    Stanza,
    format_header,
    parse_header,
)

MAC = bytes(32)


def _parse(text: bytes) -> list[Stanza]:
    return list(parse_header(memoryview(text)).stanzas)


@pytest.mark.parametrize("size", [0, 1, 47, 48, 49, 96, 100])
def test_bodies_wrap_at_64_columns_with_a_short_last_line(size: int) -> None:
    stanza = Stanza("test", ("a", "b"), bytes(range(size)))
    text = format_header([stanza], MAC)
    body_lines = text.split(b"\n")[2:-2]
    assert all(len(line) == 64 for line in body_lines[:-1])
    assert len(body_lines[-1]) < 64
    if size % 48 == 0:
        assert body_lines[-1] == b""
    assert _parse(text) == [stanza]


def test_written_header_shape() -> None:
    sealed = encrypt(b"x", [X25519Identity.generate().recipient()])
    lines = sealed.split(b"\n")
    assert lines[0] == b"age-encryption.org/v1"
    assert re.fullmatch(rb"-> X25519 [A-Za-z0-9+/]{43}", lines[1])
    assert re.fullmatch(rb"[A-Za-z0-9+/]{43}", lines[2])
    assert re.fullmatch(rb"--- [A-Za-z0-9+/]{43}", lines[3])


def test_canonical_base64() -> None:
    assert b64.encode(b"\xff") == b"/w"
    assert b64.decode(b"/w") == b"\xff"
    for bad in [b"/x", b"/w==", b"/w=", b"a", b"ab\r", b"a b", b"ab\n", b"-_"]:
        with pytest.raises(AgeHeaderError):
            b64.decode(bad)


def _header(*stanza_lines: bytes) -> bytes:
    return b"age-encryption.org/v1\n" + b"".join(stanza_lines) + b"--- " + b64.encode(MAC) + b"\n"


@pytest.mark.parametrize(
    "text",
    [
        b"",
        b"age-encryption.org/v2\n-> a\n\n--- " + b64.encode(MAC) + b"\n",
        b"age-encryption.org/v1\r\n-> a\n\n--- " + b64.encode(MAC) + b"\n",
        _header(),  # no stanza
        _header(b"-> \n\n"),  # no type
        _header(b"-> a  b\n\n"),  # empty argument
        _header(b"->a\n\n"),
        _header(b"-> a\n"),  # no body line
        _header(b"-> a\n" + b"A" * 64 + b"\n"),  # full last line not followed by a short one
        _header(b"-> a\n" + b"A" * 68 + b"\n"),  # line too long
        _header(b"-> a\xff\n\n"),  # not printable ASCII
        _header(b"-> scrypt c2FsdHNhbHRzYWx0c2FsdA 10\n\n", b"-> X25519 a\n\n"),
        b"age-encryption.org/v1\n-> a\n\n---  " + b64.encode(MAC) + b"\n",
        b"age-encryption.org/v1\n-> a\n\n--- " + b64.encode(MAC) + b" \n",
        b"age-encryption.org/v1\n-> a\n\n--- " + b64.encode(MAC[:31]) + b"\n",
        b"age-encryption.org/v1\n-> a\n\n--- " + b64.encode(MAC),  # no final newline
    ],
)
def test_malformed_headers_are_refused(text: bytes) -> None:
    with pytest.raises(AgeHeaderError):
        _parse(text)


def test_header_size_is_capped() -> None:
    body = b"A" * 64 + b"\n"
    lines = body * (MAX_HEADER_SIZE // len(body) + 1)
    text = _header(b"-> a\n" + lines + b"\n")
    with pytest.raises(AgeHeaderError) as caught:
        _parse(text)
    assert caught.value.reason == "header too large"


def test_stanza_count_is_capped() -> None:
    assert len(_parse(_header(*[b"-> a\n\n"] * MAX_STANZAS))) == MAX_STANZAS
    with pytest.raises(AgeHeaderError) as caught:
        _parse(_header(*[b"-> a\n\n"] * (MAX_STANZAS + 1)))
    assert caught.value.reason == "too many stanzas"


def test_unknown_stanzas_are_ignored_when_another_matches() -> None:
    identity = X25519Identity.generate()
    sealed = encrypt(b"text", [identity.recipient()])
    # Add an unknown stanza the MAC does not cover: it parses, is skipped, then the MAC fails,
    # which shows the matching went past it.
    lines = sealed.split(b"\n", 1)
    forged = lines[0] + b"\n-> grease x y\nAAAA\n" + lines[1]
    with pytest.raises(AgeHmacError):
        decrypt(forged, [identity])


def test_low_order_x25519_share_is_refused() -> None:
    identity = X25519Identity.generate()
    zero_share = b64.encode(bytes(32))
    text = _header(b"-> X25519 " + zero_share + b"\n" + b64.encode(bytes(32)) + b"\n")
    with pytest.raises(AgeHeaderError):
        decrypt(text + bytes(16 + 16), [identity])
