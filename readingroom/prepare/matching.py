"""Finding originals and terms in text: one pattern, longest first, whole words, any case.

The same matcher serves page text (where each character keeps its position on the page) and
plain strings (outline titles, annotation contents, form values). Between the words of an
original any run of whitespace matches, including a line break; inside a word a hyphen followed
by a line break matches nothing, so "Aca-" / "cia Road" is found as "Acacia Road".

Both the targets and the searched text are folded first (:mod:`readingroom.prepare.folding`):
accents, ligatures, invisible characters, look-alike letters and case make no difference.
Offsets are always into the text as given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from readingroom.prepare.folding import (
    fold,
    fold_with_offsets,
    original_span,
    plausible_spelling,
)
from readingroom.prepare.names import NameEntry, RedactionTerm, normalise

# A hyphen at the end of a line, possibly followed by spaces, joins a word broken by the layout.
# The hyphen is optional: a soft hyphen (U+00AD) at a line end folds to nothing.
_SOFT_BREAK = r"(?:[-\u2010]?[ \t]*\n\s*)?"


@dataclass(frozen=True)
class Target:
    """Something to find: an original name (with its label) or a redaction term."""

    text: str
    replacement: str
    is_redaction: bool
    line: int
    """Line number in the names or terms file: how reports refer to it without echoing it."""

    @property
    def key(self) -> str:
        """Identity used to count occurrences per original or term."""
        return ("term:" if self.is_redaction else "name:") + normalise(self.text)


@dataclass(frozen=True)
class Match:
    """One occurrence: character offsets into the searched string and what was found."""

    start: int
    end: int
    target: Target


def build_targets(names: Sequence[NameEntry], terms: Sequence[RedactionTerm]) -> list[Target]:
    """Turn the parsed files into targets, longest first so "Jane Smith" wins over "Smith"."""
    targets = [Target(t.term, t.stamp, True, t.line) for t in terms]
    targets += [Target(n.original, n.label, False, n.line) for n in names]
    # Stable sort: for equal lengths a redaction term (listed first) wins, the safer outcome.
    return sorted(targets, key=lambda t: len(t.text), reverse=True)


def _word_pattern(word: str) -> str:
    joined = _SOFT_BREAK.join(re.escape(char) for char in word)
    if len(word) < 3:
        return joined
    # A letter-spaced heading ("J a n e  S m i t h", drawn with character spacing) is read
    # with a space between every two letters: the whole word spaced out is the word too.
    spaced = r"[ \t]".join(re.escape(char) for char in word)
    return f"(?:{joined}|{spaced})"


def target_pattern(text: str) -> str:
    """The regular expression that finds one original or term as whole words."""
    body = r"\s+".join(_word_pattern(word) for word in fold(text).split())
    return rf"(?<!\w){body}(?!\w)"


class Matcher:
    """Finds every target in a string, leftmost first, longest target at each position."""

    def __init__(self, targets: Sequence[Target]) -> None:
        """Compile one alternation of all targets (already sorted longest first)."""
        self.targets = list(targets)
        self._by_group = {f"t{i}": target for i, target in enumerate(self.targets)}
        if self.targets:
            alternation = "|".join(
                f"(?P<t{i}>{target_pattern(t.text)})" for i, t in enumerate(self.targets)
            )
            # Python's engine tries every alternative at every position; a word start and a
            # possible first character, checked first, let most positions fail at once.
            firsts = {fold(t.text)[0] for t in self.targets}
            first_class = "".join(sorted(re.escape(c) for c in firsts))
            self._regex: re.Pattern[str] | None = re.compile(
                rf"(?<!\w)(?=[{first_class}])(?:{alternation})", re.IGNORECASE
            )
        else:
            self._regex = None
        self._first_words = {
            max(words, key=len) for t in self.targets if (words := re.findall(r"\w+", fold(t.text)))
        }

    def might_occur_in(self, text: str) -> bool:
        """A fast, conservative test: False only when no target can occur in ``text``.

        Every occurrence holds each word of its target as a whole word (the target's own
        boundaries are whole-word ones), so a text that lacks the longest word of every target
        holds none of them. Splitting into words runs in C;
        the full pattern, tried at every position, is a hundred times slower on the megabytes
        an object walk reads.
        """
        if not self._first_words:
            return False
        return not self._first_words.isdisjoint(re.findall(r"\w+", fold(text)))

    def find(self, text: str) -> Iterator[Match]:
        """Yield the non-overlapping occurrences in ``text``."""
        if self._regex is None:
            return
        if text.isascii():  # folding is only case: the offsets are the text's own
            folded, origins = text, None
        else:
            folded = fold(text)
            if self._regex.search(folded) is None:  # the usual case: no per-character work
                return
            folded, origins = fold_with_offsets(text)
        for found in self._regex.finditer(folded):
            group = found.lastgroup
            if group is None:  # pragma: no cover - every alternative is a named group
                continue
            start, end = found.start(), found.end()
            if origins is not None:
                start, end = original_span(origins, len(text), start, end)
                if not plausible_spelling(text[start:end]):
                    continue
            yield Match(start, end, self._by_group[group])

    def replace(self, text: str, counted: Callable[[Target], None] | None = None) -> str:
        """Return ``text`` with every occurrence replaced by its label or stamp.

        Args:
            text: a plain string (outline title, annotation contents, form value...).
            counted: called once per replaced occurrence, for the report.
        """
        pieces: list[str] = []
        position = 0
        for match in self.find(text):
            pieces.append(text[position : match.start])
            pieces.append(match.target.replacement)
            position = match.end
            if counted is not None:
                counted(match.target)
        pieces.append(text[position:])
        return "".join(pieces)
