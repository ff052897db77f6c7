"""The age v1 text header: parsing under the spec's strict rules, and writing.

A header is the version line, one or more recipient stanzas and the MAC line::

    age-encryption.org/v1
    -> X25519 <base64 share>
    <base64 body, 64 columns per line, the last line shorter than 64 (possibly empty)>
    --- <base64 HMAC>

Age files are hostile input, so the parser caps the header's size and stanza count, accepts
exactly one byte representation of each header (LF endings only, canonical base64, no padding,
no empty arguments) and returns the raw bytes the MAC covers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from readingroom.age import b64
from readingroom.age.errors import AgeHeaderError
from readingroom.age.kdf import MAC_SIZE

VERSION_LINE = b"age-encryption.org/v1\n"
STANZA_PREFIX = b"-> "
MAC_PREFIX = b"---"
COLUMNS = 64
BYTES_PER_LINE = COLUMNS // 4 * 3

# Limits on hostile input. A legitimate header holds a handful of stanzas of under 2 KiB each
# (post-quantum ones are the largest); these caps leave ample room while bounding the work.
MAX_HEADER_SIZE = 64 * 1024
MAX_STANZAS = 256


@dataclass(frozen=True)
class Stanza:
    """One recipient stanza: its type, further arguments and decoded body."""

    type: str
    args: tuple[str, ...] = ()
    body: bytes = b""

    def to_bytes(self) -> bytes:
        """The stanza as header text: argument line, then the body wrapped at 64 columns."""
        lines = [STANZA_PREFIX + " ".join((self.type, *self.args)).encode("ascii")]
        encoded = b64.encode(self.body)
        # The last body line is always shorter than 64 columns, so a body whose encoding fills
        # whole lines gets an extra empty line: that is how a reader knows the stanza ended.
        lines.extend(encoded[i : i + COLUMNS] for i in range(0, len(encoded), COLUMNS))
        if len(encoded) % COLUMNS == 0:
            lines.append(b"")
        return b"\n".join(lines) + b"\n"


@dataclass(frozen=True)
class Header:
    """A parsed header: stanzas, MAC, the bytes the MAC covers, and where the payload starts."""

    stanzas: tuple[Stanza, ...]
    mac: bytes
    mac_input: bytes = field(repr=False)
    payload_offset: int


def header_without_mac(stanzas: Sequence[Stanza]) -> bytes:
    """The bytes covered by the header MAC: everything up to and including ``---``."""
    return VERSION_LINE + b"".join(stanza.to_bytes() for stanza in stanzas) + MAC_PREFIX


def format_header(stanzas: Sequence[Stanza], mac: bytes) -> bytes:
    """The complete header text, ending with the MAC line's newline."""
    return header_without_mac(stanzas) + b" " + b64.encode(mac) + b"\n"


class _Lines:
    """Reads LF-terminated lines from the start of a buffer, within the header size cap."""

    def __init__(self, data: memoryview) -> None:
        # One copy of at most MAX_HEADER_SIZE bytes; the payload is never touched here.
        self._head = bytes(data[:MAX_HEADER_SIZE])
        self._capped = len(data) > MAX_HEADER_SIZE
        self.offset = 0

    def peek_startswith(self, prefix: bytes) -> bool:
        return self._head.startswith(prefix, self.offset)

    def next(self) -> bytes:
        """The next line without its LF."""
        end = self._head.find(b"\n", self.offset)
        if end < 0:
            raise AgeHeaderError(reason="header too large" if self._capped else "header truncated")
        line = self._head[self.offset : end]
        self.offset = end + 1
        return line


def _is_valid_argument(argument: bytes) -> bool:
    # Arguments are non-empty runs of printable ASCII without spaces (VCHAR, 0x21-0x7E).
    return bool(argument) and all(0x21 <= char <= 0x7E for char in argument)


def _read_stanza(lines: _Lines) -> Stanza:
    arguments = lines.next()[len(STANZA_PREFIX) :].split(b" ")
    if not all(_is_valid_argument(argument) for argument in arguments):
        raise AgeHeaderError(reason="malformed stanza arguments")
    body = bytearray()
    while True:
        line = lines.next()
        if len(line) > COLUMNS:
            raise AgeHeaderError(reason="stanza body line too long")
        body += b64.decode(line)
        if len(line) < COLUMNS:
            break
    decoded = [argument.decode("ascii") for argument in arguments]
    return Stanza(type=decoded[0], args=tuple(decoded[1:]), body=bytes(body))


def parse_header(data: memoryview) -> Header:
    """Parse the header at the start of ``data``.

    Args:
        data: the whole age file (only the header part is read).

    Returns:
        The parsed header, including the offset of the payload.

    Raises:
        AgeHeaderError: any departure from the spec, a header over ``MAX_HEADER_SIZE`` bytes,
            more than ``MAX_STANZAS`` stanzas, or an scrypt stanza that is not alone.
    """
    lines = _Lines(data)
    if lines.next() + b"\n" != VERSION_LINE:
        raise AgeHeaderError(reason="unsupported version line")
    stanzas: list[Stanza] = []
    while not lines.peek_startswith(MAC_PREFIX):
        if not lines.peek_startswith(STANZA_PREFIX):
            raise AgeHeaderError(reason="expected a stanza or the MAC line")
        if len(stanzas) == MAX_STANZAS:
            raise AgeHeaderError(reason="too many stanzas")
        stanzas.append(_read_stanza(lines))
    mac_input_end = lines.offset + len(MAC_PREFIX)
    mac_line = lines.next()
    if not stanzas:
        raise AgeHeaderError(reason="no stanzas")
    if not mac_line.startswith(MAC_PREFIX + b" "):
        raise AgeHeaderError(reason="malformed MAC line")
    mac = b64.decode(mac_line[len(MAC_PREFIX) + 1 :])
    if len(mac) != MAC_SIZE:
        raise AgeHeaderError(reason="malformed MAC line")
    # The spec: an scrypt stanza must be the only one, because a passphrase-encrypted file must
    # not also be openable (and so rewritable) by a public-key recipient.
    if len(stanzas) > 1 and any(stanza.type == "scrypt" for stanza in stanzas):
        raise AgeHeaderError(reason="scrypt stanza not alone")
    return Header(
        stanzas=tuple(stanzas),
        mac=mac,
        mac_input=bytes(data[:mac_input_end]),
        payload_offset=lines.offset,
    )
