"""The age layer's own failures: which rule of the spec broke, with no user-facing wording.

Like the reference implementation, this package says *what* failed (``reason``, e.g. "header
MAC mismatch"); the application decides what a person is told, in one place
(:func:`readingroom.errors.from_age_error`). A caller's bug (no recipients, an empty
passphrase) is a ``ValueError``, not one of these.
"""

from __future__ import annotations


class AgeError(Exception):
    """Base class: an age file or key that does not follow the spec, or does not open."""

    def __init__(self, reason: str) -> None:
        """Create the error; ``reason`` names the rule that failed (never secret material)."""
        super().__init__(reason)
        self.reason = reason


class AgeNoMatch(AgeError):
    """No identity matched any recipient stanza."""


class AgeHeaderError(AgeError):
    """The age header is malformed or breaks a rule of the spec."""


class AgeHmacError(AgeError):
    """The age header MAC does not verify."""


class AgePayloadError(AgeError):
    """A payload chunk does not authenticate, or the STREAM is truncated or extended."""


class AgeKeyError(AgeError):
    """A string given as an age key (or a line of an identity file) is not a valid age key.

    ``line`` is the 1-based line of an identity file, when the key came from one.
    """

    def __init__(self, reason: str, *, line: int | None = None) -> None:
        """Create the error."""
        super().__init__(reason)
        self.line = line
