"""The reader's notes as text shown elsewhere: no control characters but line breaks and tabs."""

from __future__ import annotations

import unicodedata

_KEPT = frozenset("\n\t")


def terminal_safe(text: str) -> str:
    """``text`` with control and bidirectional-format characters replaced by U+FFFD.

    The notes reach a custodian's terminal (``notes open``) and a PDF (``notes release``): an
    escape sequence typed into them must not drive the terminal, and a right-to-left override
    must not reorder what the custodian reads.
    """
    return "".join("\ufffd" if char not in _KEPT and _is_control(char) else char for char in text)


def _is_control(char: str) -> bool:
    category = unicodedata.category(char)
    return category == "Cc" or (category == "Cf" and unicodedata.bidirectional(char) in _BIDI)


_BIDI = frozenset({"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"})
