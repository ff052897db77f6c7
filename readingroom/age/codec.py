"""Encrypting and decrypting whole age files held in memory.

The header is parsed and its MAC verified before any payload byte is decrypted. Decryption
writes into one preallocated ``bytearray``: the plaintext exists exactly once in memory, which
matters for the restricted documents ReadingRoom handles.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable, Iterator, Sequence

from readingroom.age import stream
from readingroom.age.errors import AgeHeaderError, AgeHmacError, AgeNoMatch
from readingroom.age.header import Stanza, format_header, header_without_mac, parse_header
from readingroom.age.kdf import FILE_KEY_SIZE, PAYLOAD_NONCE_SIZE, header_mac, payload_key
from readingroom.age.recipients import Identity, Recipient
from readingroom.age.scrypt import ScryptRecipient

Buffer = bytes | bytearray | memoryview


def _byte_view(data: Buffer) -> memoryview:
    return memoryview(data).cast("B")


def encrypt(plaintext: Buffer, recipients: Sequence[Recipient]) -> bytes:
    """Encrypt ``plaintext`` to every recipient as an age v1 file (binary, no armour).

    Args:
        plaintext: the bytes to encrypt.
        recipients: at least one; a :class:`ScryptRecipient` must be the only one.

    Returns:
        The complete age file.

    Raises:
        ValueError: no recipients, or a passphrase recipient mixed with others.
    """
    if not recipients:
        raise ValueError("no age recipients")
    if len(recipients) > 1 and any(isinstance(r, ScryptRecipient) for r in recipients):
        raise ValueError("a passphrase recipient must be the only recipient")
    file_key = os.urandom(FILE_KEY_SIZE)
    stanzas: list[Stanza] = [stanza for r in recipients for stanza in r.wrap(file_key)]
    header = format_header(stanzas, header_mac(file_key, header_without_mac(stanzas)))
    nonce = os.urandom(PAYLOAD_NONCE_SIZE)
    source = _byte_view(plaintext)
    payload_start = len(header) + PAYLOAD_NONCE_SIZE
    out = bytearray(payload_start + stream.sealed_size(len(source)))
    out[: len(header)] = header
    out[len(header) : payload_start] = nonce
    stream.seal_into(payload_key(file_key, nonce), source, memoryview(out)[payload_start:])
    return bytes(out)


def _open_header(ciphertext: Buffer, identities: Sequence[Identity]) -> tuple[bytes, memoryview]:
    """Verify the header and return the payload key and the payload after its nonce."""
    data = _byte_view(ciphertext)
    header = parse_header(data)
    if not identities:
        raise ValueError("no age identities")
    file_key = None
    for identity in identities:
        file_key = identity.unwrap(header.stanzas)
        if file_key is not None:
            break
    if file_key is None:
        raise AgeNoMatch(reason="no identity matched")
    if not hmac.compare_digest(header_mac(file_key, header.mac_input), header.mac):
        raise AgeHmacError(reason="header MAC mismatch")
    nonce_end = header.payload_offset + PAYLOAD_NONCE_SIZE
    if len(data) < nonce_end:
        raise AgeHeaderError(reason="payload nonce missing")
    nonce = bytes(data[header.payload_offset : nonce_end])
    return payload_key(file_key, nonce), data[nonce_end:]


def check_identities(ciphertext: Buffer, identities: Sequence[Identity]) -> None:
    """Check that ``identities`` open this file's header (MAC included), decrypting no payload.

    Used to prove a passphrase again (e.g. after an idle lock) without a second plaintext copy.

    Raises:
        AgeHeaderError, AgeNoMatch, AgeHmacError, ValueError: as :func:`decrypt`.
    """
    _open_header(ciphertext, identities)


# How often decrypt() reports progress: every 16 chunks (1 MiB), so the callback costs nothing.
PROGRESS_EVERY_CHUNKS = 16


def decrypt(
    ciphertext: Buffer,
    identities: Sequence[Identity],
    *,
    progress: Callable[[int, int], None] | None = None,
    allocate: Callable[[int], bytearray] = bytearray,
) -> bytearray:
    """Decrypt a whole age file.

    Args:
        ciphertext: the age file (binary, not armoured).
        identities: tried in order against the header's stanzas.
        progress: called as ``progress(done, total)`` in plaintext bytes while the payload is
            decrypted; whatever it raises stops decryption (the buffer is zeroed first).
        allocate: makes the zero-filled plaintext buffer of the given size (the caller may lock
            it in memory and keep it out of core dumps before any plaintext is written).

    Returns:
        The plaintext, only returned once every chunk has authenticated.

    Raises:
        AgeHeaderError: the header is malformed or breaks the spec.
        AgeNoMatch: no identity opened any stanza.
        AgeHmacError: the header MAC does not verify.
        AgePayloadError: the payload does not authenticate, is truncated or extended.
        ValueError: no identities were given.
    """
    key, payload = _open_header(ciphertext, identities)
    out = allocate(stream.opened_size(len(payload)))
    try:
        done = 0
        for index, chunk in enumerate(stream.open_chunks(key, payload, memoryview(out))):
            done += len(chunk)
            if progress is not None and index % PROGRESS_EVERY_CHUNKS == 0:
                progress(done, len(out))
    except BaseException:
        # Whatever was decrypted before the failure must not linger in memory.
        out[:] = bytes(len(out))
        raise
    return out


def iter_decrypt(ciphertext: Buffer, identities: Sequence[Identity]) -> Iterator[bytes]:
    """Decrypt an age file one authenticated 64 KiB chunk at a time.

    The header (stanzas and MAC) is checked when the first chunk is requested. Chunks are
    authenticated one by one, so the file as a whole is only known to be complete when the
    generator finishes without error: do not act on the plaintext before then.

    Args:
        ciphertext: the age file.
        identities: tried in order against the header's stanzas.

    Yields:
        The plaintext of each chunk, in order.

    Raises:
        The same errors as :func:`decrypt`, raised when reached.
    """
    key, payload = _open_header(ciphertext, identities)
    for chunk in stream.open_chunks(key, payload, None):
        yield bytes(chunk)
