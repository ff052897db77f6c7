"""The one sanitiser for untrusted strings shown on screen.

Strings that come from a review file (its title, the publisher's and the reader's names, the
classification) were written by someone else. Before any of them reaches a label, a dialog or a
window title they pass through :func:`display_text`, which removes what could mislead the reader
or break the layout: control characters, bidirectional overrides that reorder text (the
"Trojan Source" trick), zero-width and other invisible format characters, runs of whitespace,
and unbounded length.
"""

from __future__ import annotations

import unicodedata

DEFAULT_MAX_CHARS = 120
ELLIPSIS = "\u2026"

# Bidirectional embeddings, overrides and isolates: they can make "txt.exe" look like "exe.txt".
_BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # LRE RLE PDF LRO RLO
    "\u2066\u2067\u2068\u2069"  # LRI RLI FSI PDI
    "\u200e\u200f\u061c"  # LRM RLM ALM
)


def display_text(value: object, *, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Return ``value`` as a single safe line for display.

    Args:
        value: the untrusted value; anything that is not a string is shown as an empty string,
            so a malformed manifest cannot smuggle an object's ``repr`` onto the screen.
        max_chars: the longest result, ellipsis included (at least 1).

    Returns:
        The text with control, format and bidirectional-override characters removed, every run
        of whitespace collapsed to one space, the ends trimmed and the length capped.
    """
    if not isinstance(value, str):
        return ""
    limit = max(1, max_chars)
    # NFC first, so that a character split into base + combining marks is counted once.
    normalised = unicodedata.normalize("NFC", value)
    kept: list[str] = []
    for char in normalised:
        if char.isspace():
            kept.append(" ")
        elif char in _BIDI_CONTROLS or _is_invisible(char):
            continue
        else:
            kept.append(char)
    collapsed = " ".join("".join(kept).split())
    if len(collapsed) <= limit:
        return collapsed
    return collapsed[: limit - 1].rstrip() + ELLIPSIS


def _is_invisible(char: str) -> bool:
    # Cc control, Cf format (zero-width joiners, soft hyphen, tags), Cs lone surrogates,
    # Co private use, Cn unassigned: none of them belongs in a title a reader must trust.
    return unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn"}
