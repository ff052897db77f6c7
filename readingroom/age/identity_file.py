"""Reading identity files in the format ``age-keygen`` writes.

One ``AGE-SECRET-KEY-1...`` per line; lines starting with ``#`` and blank lines are ignored::

    # created: 2024-05-01T10:00:00Z
    # public key: age1...
    AGE-SECRET-KEY-1...
"""

from __future__ import annotations

from readingroom.age.errors import AgeKeyError
from readingroom.age.x25519 import X25519Identity


def parse_identity_file(text: str) -> list[X25519Identity]:
    """Parse the identities of an age identity file.

    Args:
        text: the file's text.

    Returns:
        The identities, in file order.

    Raises:
        AgeKeyError: a line is neither a comment, blank, nor an X25519 identity (``line`` names
            it; nothing carries its content), or the file holds no identity.
    """
    identities: list[X25519Identity] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            identities.append(X25519Identity.from_string(line))
        except AgeKeyError as error:
            raise AgeKeyError(error.reason, line=number) from None
    if not identities:
        raise AgeKeyError("no identities")
    return identities
