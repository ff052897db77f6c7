"""The age payload: STREAM over ChaCha20-Poly1305 in 64 KiB chunks.

Chunk *i* is sealed with the nonce ``i`` (11 bytes, big-endian) followed by a flag byte that is
1 on the last chunk only, so truncation, reordering and appended chunks fail to authenticate.
The last chunk may be full-size; it may be empty only when the whole payload is empty.

Both directions work in place on preallocated buffers with ``encrypt_into``/``decrypt_into`` so
that a large document is never copied chunk by chunk into new objects.
"""

from __future__ import annotations

from collections.abc import Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from readingroom.age.errors import AgePayloadError

CHUNK_SIZE = 64 * 1024
TAG_SIZE = 16
SEALED_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE
_COUNTER_SIZE = 11


def _nonce(counter: int, *, last: bool) -> bytes:
    return counter.to_bytes(_COUNTER_SIZE, "big") + (b"\x01" if last else b"\x00")


def sealed_size(plaintext_size: int) -> int:
    """The payload size (without its 16-byte nonce) for a plaintext of this size."""
    chunks = max(1, -(-plaintext_size // CHUNK_SIZE))
    return plaintext_size + chunks * TAG_SIZE


def opened_size(payload_size: int) -> int:
    """The plaintext size of a payload of this size: an exact preallocation for a good one.

    A trailing piece shorter than a tag counts as empty, so that every full chunk before it
    still has its room (the piece itself is then refused).
    """
    full_chunks, rest = divmod(payload_size, SEALED_CHUNK_SIZE)
    return full_chunks * CHUNK_SIZE + max(0, rest - TAG_SIZE)


def seal_into(key: bytes, plaintext: memoryview, out: memoryview) -> None:
    """Encrypt ``plaintext`` into ``out``, which must be exactly ``sealed_size`` bytes."""
    aead = ChaCha20Poly1305(key)
    chunks = max(1, -(-len(plaintext) // CHUNK_SIZE))
    for index in range(chunks):
        start = index * CHUNK_SIZE
        piece = plaintext[start : start + CHUNK_SIZE]
        sealed_start = index * SEALED_CHUNK_SIZE
        target = out[sealed_start : sealed_start + len(piece) + TAG_SIZE]
        aead.encrypt_into(_nonce(index, last=index == chunks - 1), piece, None, target)


def open_chunks(key: bytes, payload: memoryview, out: memoryview | None) -> Iterator[memoryview]:
    """Decrypt the payload chunk by chunk, yielding each chunk's plaintext once authenticated.

    Args:
        key: the payload key.
        payload: the payload after its nonce.
        out: ``opened_size(len(payload))`` bytes to decrypt into, or None to use one reused
            64 KiB buffer (each yielded view is then valid only until the next one).

    Yields:
        A view of the plaintext of each chunk, in order.

    Raises:
        AgePayloadError: a chunk fails to authenticate, the stream has no final chunk, an empty
            final chunk follows other chunks, or data follows the final chunk. Chunks yielded
            before the error are authenticated, but the payload as a whole is not.
    """
    aead = ChaCha20Poly1305(key)
    reuse = out is None
    buffer = memoryview(bytearray(CHUNK_SIZE)) if out is None else out
    out_offset = 0
    for index, start in enumerate(range(0, len(payload) + 1, SEALED_CHUNK_SIZE)):
        sealed = payload[start : start + SEALED_CHUNK_SIZE]
        if not sealed:
            raise AgePayloadError(reason="payload truncated: no final chunk")
        if len(sealed) < TAG_SIZE:
            raise AgePayloadError(reason="payload chunk shorter than a tag")
        size = len(sealed) - TAG_SIZE
        if index > 0 and size == 0:
            raise AgePayloadError(reason="empty final chunk after other chunks")
        base = 0 if reuse else out_offset
        target = buffer[base : base + size]
        last = _open_chunk(aead, index, sealed, target)
        out_offset += size
        yield target
        if last:
            if start + len(sealed) != len(payload):
                raise AgePayloadError(reason="data after the final chunk")
            return
    raise AssertionError("unreachable: the loop ends on an empty slice")  # pragma: no cover


def _open_chunk(aead: ChaCha20Poly1305, index: int, sealed: memoryview, target: memoryview) -> bool:
    """Decrypt one chunk into ``target`` and say whether it was the final one."""
    # A short chunk can only be the last one. A full-size chunk is normally not last, but the
    # final chunk may be full-size too: try "not last" first, then "last", as the reference
    # implementation does, so plaintext is released exactly as it would be there.
    attempts = (True,) if len(sealed) < SEALED_CHUNK_SIZE else (False, True)
    for last in attempts:
        try:
            aead.decrypt_into(_nonce(index, last=last), sealed, None, target)
        except InvalidTag:
            continue
        return last
    # The backend may have written unauthenticated plaintext before checking the tag.
    target[:] = bytes(len(target))
    raise AgePayloadError(reason="payload chunk failed to authenticate")
