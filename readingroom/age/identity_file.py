"""Reading identity files in the format ``age-keygen`` writes.

One ``AGE-SECRET-KEY-1...`` per line; lines starting with ``#`` and blank lines are ignored::

    # created: 2024-05-01T10:00:00Z
    # public key: age1...
    AGE-SECRET-KEY-1...
"""

from __future__ import annotations

from readingroom.age.x25519 import X25519Identity
from readingroom.errors import KeyFormatError


def parse_identity_file(text: str) -> list[X25519Identity]:
    """Parse the identities of an age identity file.

    Args:
        text: the file's text.

    Returns:
        The identities, in file order.

    Raises:
        KeyFormatError: a line is neither a comment, blank, nor an X25519 identity (the message
            names the line number, never its content), or the file holds no identity.
    """
    identities: list[X25519Identity] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            identities.append(X25519Identity.from_string(line))
        except KeyFormatError as error:
            raise KeyFormatError(
                f"Line {number} of the identity file is not a valid age identity.",
                reason=error.reason,
            ) from None
    if not identities:
        raise KeyFormatError("The identity file holds no age identity.", reason="no identities")
    return identities
