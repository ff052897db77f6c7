"""One spelling for every way a PDF can draw the same name: what the matcher searches.

A reader sees "Jane Smith" whether the file spells it with a precomposed "é" or an "e" and a
combining accent ("Jané"), with a soft hyphen or a zero-width space between two letters,
with the "fi" ligature, in fullwidth forms, or with a Cyrillic a (U+0430) that looks exactly
like a Latin "a". Searching the text as the file spells it misses every one of those (each
was a name that survived a "verified" prepare), so both the targets and the searched text
are folded first:

* Unicode compatibility decomposition (NFKD): ligatures become their letters, fullwidth and
  mathematical letters become plain ones, accented letters become letter + combining mark;
* combining marks and invisible characters (soft hyphen, zero-width space/joiners, word
  joiner, byte-order mark) are dropped, so "Jané" folds to "jane" (an accent never makes a
  different person: a false alarm costs a label, a miss costs a name);
* characters that look like a Latin letter (Unicode's confusables table, from the maintained
  ``confusable_homoglyphs`` package, not a list of our own) become that letter;
* case is folded.

Folding works character by character, so every folded character knows which character of the
original text it came from: a match in the folded text is a span of the original text.
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from importlib import resources

# Characters a PDF may carry between two letters of a word that draw nothing (or a hyphen
# only at a line end) and that a search must read through.
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u2060\u2061\u2062\u2063\u2064\ufeff"
)


class FoldingDataMissing(Exception):
    """The ``confusable_homoglyphs`` package (the ``publish`` extra) is not installed."""


@cache
def _table() -> dict[int, str | None]:
    """``str.translate`` table: invisibles and combining marks dropped, look-alikes mapped."""
    try:
        data = resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text()
    except (ImportError, FileNotFoundError) as exc:
        raise FoldingDataMissing from exc
    table: dict[int, str | None] = {}
    for char, homoglyphs in json.loads(data).items():
        if len(char) != 1 or char.isascii():
            continue
        latin = [h["c"] for h in homoglyphs if len(h["c"]) == 1 and h["c"].isascii()]
        # Only letters and digits: a look-alike of "." or "|" never hides a name.
        letters = [c for c in latin if c.isalnum()]
        if letters:
            table[ord(char)] = letters[0]
    for char in _INVISIBLE:
        table[ord(char)] = None
    # Variation selectors and tag characters draw nothing either.
    for first, last in ((0xFE00, 0xFE0F), (0xE0000, 0xE007F), (0xE0100, 0xE01EF)):
        table.update(dict.fromkeys(range(first, last + 1)))
    # Every combining mark is in the first two planes; scanning only them keeps this fast.
    for code in range(0x300, 0x20000):
        if unicodedata.combining(chr(code)):
            table[code] = None
    return table


def check_available() -> None:
    """Load the folding data now, so a missing package is reported before any work is done.

    Raises:
        FoldingDataMissing: the ``confusable_homoglyphs`` package is not installed.
    """
    _table()


def fold(text: str) -> str:
    """``text`` as the matcher searches it (see the module docstring)."""
    if text.isascii():
        return text.casefold()
    return unicodedata.normalize("NFKD", text).translate(_table()).casefold()


@cache
def _fold_char(char: str) -> str:
    return fold(char)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index in ``text`` it came from."""
    pieces: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        pieces.append(folded)
        origins.extend([index] * len(folded))
    return "".join(pieces), origins


def original_span(origins: list[int], text_length: int, start: int, end: int) -> tuple[int, int]:
    """The span of the original text that the folded span ``[start, end)`` came from.

    The span is widened over the characters that fold to nothing right after it (a trailing
    combining accent or invisible character belongs to the word it follows).
    """
    after = origins[end - 1] + 1
    # The next folded character's origin: equal to the last one's inside a ligature ("fi" of
    # U+FB01), further on when characters that fold to nothing lie between.
    after = max(after, origins[end]) if end < len(origins) else text_length
    return origins[start], after


@cache
def _alters_letter(char: str) -> bool:
    """True when folding changes which letter ``char`` is (an accent, a look-alike), not only
    its form (fullwidth, a ligature, case) or its visibility (a soft hyphen)."""
    if char.isascii() or char in _INVISIBLE:
        return False
    return _fold_char(char) != unicodedata.normalize("NFKC", char).casefold()


def plausible_spelling(text: str) -> bool:
    """Whether ``text`` (a found occurrence) reads as its folded self to a person.

    "Jané", "Zoë" or "Jane" with one Cyrillic letter is the name; "ŅąŇ" in the UTF-16 reading
    of a font's character table is not "Nan". A word may have at most half of its letters (at
    least one) altered by the folding, and a word with an altered letter must be written in
    lower case, upper case or capitalised; without this, short names turn up in every binary
    stream read as text, and a prepare that always refuses protects nobody. (Whole runs of
    bytes are read with their ASCII letters only: ``pdf_strings.binary_reading``.)
    """
    for word in text.split():
        altered = sum(1 for char in word if _alters_letter(char))
        if altered > max(1, len(fold(word)) // 2):
            return False
        letters = "".join(char for char in word if char.isalpha())
        # Bytes read as text mix case at random ("aLÄn"); a written name does not.
        if altered and not (letters.islower() or letters.isupper() or letters.istitle()):
            return False
    return True
