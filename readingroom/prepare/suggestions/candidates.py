"""Finding candidates in one piece of text: names, places, schools, streets, postcodes, dates.

A name is a run of capitalised words that each look like a name (see ``scoring``), optionally
after a title ("Mrs", "DC") and with initials ("J.", "J P Smith"). The run may cross a line
break (a name split over two lines) but no punctuation and no masked (already covered) text.
A run that ends in a street word ("Road", "Close") is a street, one that ends in a school word
("Primary School") a school, one after "in", "at", "from"... a place. ALL-CAPS words count only
on lines that are all capitals (headings, table headers): elsewhere they are acronyms.
UK postcodes follow the pattern of the UK Government Data Standards Catalogue; dates of birth
are dates written after "born", "DOB" or "date of birth".
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from readingroom.prepare.suggestions import scoring
from readingroom.prepare.suggestions.document_text import MASK, DocumentWords
from readingroom.prepare.suggestions.lexicon import (
    PLACE_PREPOSITIONS,
    SCHOOL_WORDS,
    street_suffixes,
    town_suffixes,
    word_facts,
)


class Kind(StrEnum):
    """What a suggestion probably is."""

    PERSON = "person"
    PLACE = "place"
    SCHOOL = "school"
    STREET = "street"
    POSTCODE = "postcode"
    DATE_OF_BIRTH = "date of birth"


@dataclass(frozen=True)
class Candidate:
    """One occurrence of something that may identify someone."""

    text: str
    """As written (whitespace collapsed, a possessive "'s" dropped)."""
    kind: Kind
    page: int
    score: float
    name_words: tuple[str, ...] = ()
    """The words of a name, case-folded, titles and full stops left out (for grouping)."""


_TOKEN = re.compile(r"(?P<word>[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*)|(?P<number>\d+[A-Za-z]?)")
# The tokens worth a look: capitalised words and numbers, each at the start of a word. Skipping
# lower-case words inside the regular expression engine halves the time of a long document.
_CAPITALISED_OR_NUMBER = re.compile(
    r"\b(?:(?P<word>[A-Z\u00c0-\u00de\u0100-\u024f][^\W\d_]*(?:['\u2019\-][^\W\d_]+)*)"
    r"|(?P<number>\d+[A-Za-z]?\b))"
)
"""Capitalised words (Latin script; Latin Extended letters of either case, lower-case ones
dropped after) and numbers, at the start of a word."""
_POSSESSIVE = re.compile(r"['\u2019]s$", re.IGNORECASE)
_JOINER = re.compile(r"[ \t\u00a0]*\n?[ \t\u00a0]*")
"""What may stand between two words of one name: spaces and at most one line break (after an
initial or an abbreviated title, a full stop too)."""
_STREET_NUMBER_GAP = re.compile(r",?[ \t\u00a0]+")

WRAPPING_LINE_WORDS = 4
"""A line with at least this many words is running text, which may wrap inside a name."""

POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ](?:[0-9][0-9A-HJKPS-UW]?|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?)"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})\b"
)
CALENDAR_WORDS = frozenset(
    name.casefold()
    for names in (
        calendar.month_name,
        calendar.month_abbr,
        calendar.day_name,
        calendar.day_abbr,
    )
    for name in names
    if name
)
_MONTHS = "|".join(
    sorted({m for m in list(calendar.month_name) + list(calendar.month_abbr) if m}, key=len)[::-1]
)
_DATE = (
    rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
DATE_OF_BIRTH = re.compile(
    rf"(?:\bborn(?:\s+on)?|\bdate\s+of\s+birth|\bd\.?o\.?b\.?)[\s:,\-]*(?P<date>{_DATE})",
    re.IGNORECASE,
)


class _Token(NamedTuple):
    """One capitalised word or number (a tuple: a long document has tens of thousands)."""

    text: str
    start: int
    end: int
    folded: str
    number: bool
    capitalised: bool
    all_caps: bool
    line: int


def _tokens(text: str) -> list[_Token]:
    # Only capitalised words and numbers become tokens: a lower-case word can be no part of a
    # name, and the gap test in ``joined`` sees it in the text between two tokens anyway.
    # (Building a token for every word made this the slowest step on long documents.)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    tokens = []
    for match in _CAPITALISED_OR_NUMBER.finditer(text):
        raw = match.group()
        if raw[0].islower():
            continue
        number = raw[0].isdigit()
        possessive = not number and ("'" in raw or "\u2019" in raw)
        word = _POSSESSIVE.sub("", raw) if possessive else raw
        start = match.start()
        line = bisect.bisect_right(line_starts, start) - 1
        caps = len(word) > 1 and word.isupper()
        tokens.append(
            _Token(word, start, start + len(word), word.casefold(), number, not number, caps, line)
        )
    return tokens


_PREVIOUS_WORD = re.compile(r"([^\W\d_]+)[ \t\u00a0]*\n?[ \t\u00a0]*$")


@lru_cache(maxsize=65536)
def _word_score(folded: str, lower_case_elsewhere: bool, listed: bool) -> float:
    # Cached: a document repeats its words, and a long one has tens of thousands of capitals.
    facts = word_facts(folded)
    return scoring.word_score(facts, lower_case_elsewhere=lower_case_elsewhere, listed=listed)


class _PieceReader:
    """Walks the tokens of one piece of text and yields its candidates."""

    def __init__(self, text: str, page: int, words: DocumentWords) -> None:
        self.text = text
        self.page = page
        self.words = words
        self.tokens = _tokens(text)
        self.lines = text.split("\n")
        self._caps_lines: dict[int, bool] = {}

    def caps_line(self, line: int) -> bool:
        """True if most words of the line are ALL CAPS (a heading or a table header).

        Capitals there say nothing about a word, so its ALL-CAPS words are judged like Title
        Case ones; elsewhere an ALL-CAPS word is an acronym.
        """
        known = self._caps_lines.get(line)
        if known is None:
            words = [w for w in _TOKEN.findall(self.lines[line]) if len(w[0]) > 1]
            capitals = sum(word.isupper() for word, _ in words)
            known = self._caps_lines[line] = capitals * 2 > len(words)
        return known

    def wraps_after(self, index: int) -> bool:
        """True if the line of token ``index`` is running text that wraps onto the next line.

        Headings, table cells and list items are short lines: what follows them on the next line
        is a different thing, so a name never runs on from them.
        """
        return len(self.lines[self.tokens[index].line].split()) >= WRAPPING_LINE_WORDS

    def joined(self, left: int, right: int) -> bool:
        """True if tokens ``left`` and ``right`` (adjacent) can belong to one name."""
        gap = self.text[self.tokens[left].end : self.tokens[right].start]
        if gap == " ":
            return True  # the common case, decided without a regular expression
        if gap.startswith(".") and (self.is_initial(left) or self.is_title(left)):
            gap = gap[1:]
        elif gap.startswith("-") and "\n" in gap:
            gap = gap[1:]  # a double-barrelled name broken at its hyphen: "Hartley-" / "Brown"
        if "\n" in gap and not self.wraps_after(left):
            return False
        return MASK not in gap and _JOINER.fullmatch(gap) is not None

    def word_score(self, index: int) -> float:
        token = self.tokens[index]
        if token.number or not token.capitalised or len(token.text) < 2:
            return 0.0
        if token.all_caps and (
            not self.caps_line(token.line) or token.folded in self.words.acronyms
        ):
            return 0.0  # an acronym (NHS, CAMHS, GP)
        if token.folded in CALENDAR_WORDS and self.next_to_number(index):
            return 0.0  # "12 Mar 2019", "June 2020": a date, not Jan or June
        folded = token.folded
        return _word_score(folded, folded in self.words.lower_case, folded in self.words.listed)

    def next_to_number(self, index: int) -> bool:
        """True if a number stands right before or after token ``index``."""
        before = index > 0 and self.tokens[index - 1].number and self.joined(index - 1, index)
        after = (
            index + 1 < len(self.tokens)
            and self.tokens[index + 1].number
            and self.joined(index, index + 1)
        )
        return bool(before or after)

    def starts_next_name(self, index: int) -> bool:
        """True if a first name follows a surname: a list of names without commas."""
        previous = word_facts(self.tokens[index - 1].folded)
        return word_facts(self.tokens[index].folded).first_name and not previous.first_name

    def continues_name(self, index: int, score: float) -> bool:
        """True if a word too weak to start a name may still end one ("Jane Brown")."""
        facts = word_facts(self.tokens[index].folded)
        return score >= scoring.NAME_CONTINUES and (facts.first_name or facts.surname)

    def is_title(self, index: int) -> bool:
        token = self.tokens[index]
        return token.capitalised and not token.number and word_facts(token.folded).title

    def is_initial(self, index: int) -> bool:
        token = self.tokens[index]
        return len(token.text) == 1 and token.text.isupper()

    def sentence_start(self, index: int) -> bool:
        """True if token ``index`` starts a sentence, a heading, a table cell or the text."""
        start = self.tokens[index].start
        before = self.text[max(0, start - 80) : start].rstrip(" \t\u00a0")
        if before.endswith("\n"):
            line = self.tokens[index].line - 1
            if len(self.lines[line].split()) < WRAPPING_LINE_WORDS:
                return True
            before = before.rstrip()
        return not before or before[-1] in ".!?:;\u2022" + MASK

    def previous_word(self, index: int) -> str:
        """The word right before token ``index`` (case-folded), or ""."""
        start = self.tokens[index].start
        found = _PREVIOUS_WORD.search(self.text, max(0, start - 40), start)
        return found.group(1).casefold() if found else ""

    def role_label_follows(self, index: int) -> bool:
        """True if token ``index`` numbers or letters a role ("Paediatrician 2", "Sibling B")."""
        if index >= len(self.tokens) or not self.joined(index - 1, index):
            return False
        token = self.tokens[index]
        if token.number:
            return True
        follows = self.text[token.end : token.end + 1]
        return self.is_initial(index) and follows != "."

    def candidates(self) -> Iterator[Candidate]:
        yield from self._names()
        yield from self._patterns()

    def _names(self) -> Iterator[Candidate]:
        count = len(self.tokens)
        index = 0
        while index < count:
            if self.tokens[index].number:
                street = self._numbered_street(index)
                if street is not None:
                    yield street
            start = index
            while index < count - 1 and self.is_title(index) and self.joined(index, index + 1):
                index += 1
            titled = index > start
            body_start = index
            scores: list[float] = []
            initials = 0
            while index < count and (index == body_start or self.joined(index - 1, index)):
                if len(scores) >= 2 and self.starts_next_name(index):
                    break
                score = self.word_score(index)
                if score >= scoring.NAME_LIKE or (scores and self.continues_name(index, score)):
                    scores.append(score)
                elif self.is_initial(index):
                    initials += 1
                else:
                    break
                index += 1
            if (not scores and not (titled and initials)) or self.role_label_follows(index):
                index = start + 1
                continue
            yield self._name_candidate(start, body_start, index, scores, titled)
            index = max(index, start + 1)

    def _name_candidate(
        self, start: int, body_start: int, end: int, scores: list[float], titled: bool
    ) -> Candidate:
        tokens = self.tokens
        # Initials after the last name word are not part of the name ("Smith A" is rare, "Child
        # A" is a role label); only "Mrs P." keeps its initial, having nothing else.
        if scores:
            while end > body_start and self.is_initial(end - 1):
                end -= 1
        kind, last = self._kind(start, end, titled)
        first = start
        if kind is Kind.STREET and start > 0 and tokens[start - 1].number:
            gap = self.text[tokens[start - 1].end : tokens[start].start]
            if _STREET_NUMBER_GAP.fullmatch(gap):
                first = start - 1
        words = tuple(t.folded for t in tokens[body_start:end])
        sentence_start = self.sentence_start(start)
        score = scoring.name_score(scores, titled=titled, sentence_start=sentence_start)
        if kind is Kind.STREET:
            score = max(score, scoring.STREET)
        elif kind is Kind.SCHOOL:
            score = max(score, scoring.SCHOOL)
        text = " ".join(self.text[tokens[first].start : tokens[last - 1].end].split())
        text = text.replace("- ", "-")
        if self.is_initial(last - 1) and self.text[tokens[last - 1].end :].startswith("."):
            text += "."
        return Candidate(text=text, kind=kind, page=self.page, score=score, name_words=words)

    def _numbered_street(self, index: int) -> Candidate | None:
        """A house number and a street of ordinary words ("14 Church Street"), or None.

        Streets named after a name ("27 Larkspur Close") are found as names; this finds those
        whose words alone would not be suggested.
        """
        tokens = self.tokens
        for last in range(index + 2, min(index + 5, len(tokens) + 1)):
            token = tokens[last - 1]
            if not token.capitalised or not self.joined(last - 2, last - 1):
                return None
            # A street word straight after the number ("2 Key") is not yet a street name.
            if token.folded in street_suffixes() and last - index >= 3:
                if any(self.word_score(i) >= scoring.NAME_LIKE for i in range(index + 1, last)):
                    return None  # found as a name, with its number, in _names
                end = tokens[self._suffixes_end(last, street_suffixes()) - 1].end
                text = " ".join(self.text[tokens[index].start : end].split())
                return Candidate(text, Kind.STREET, self.page, scoring.STREET)
        return None

    def _suffixes_end(self, end: int, words: frozenset[str]) -> int:
        """Past further joined words of ``words``: "Mill Lane", "Primary School"."""
        tokens = self.tokens
        while end < len(tokens) and tokens[end].folded in words and self.joined(end - 1, end):
            end += 1
        return end

    def _kind(self, start: int, end: int, titled: bool) -> tuple[Kind, int]:
        tokens = self.tokens
        # Up to three more capitalised words may finish a street or a school name.
        for extra in range(end, min(end + 3, len(tokens))):
            token = tokens[extra]
            if not token.capitalised or not self.joined(extra - 1, extra):
                break
            if token.folded in SCHOOL_WORDS:
                return Kind.SCHOOL, self._suffixes_end(extra + 1, SCHOOL_WORDS)
            if token.folded in street_suffixes():
                return Kind.STREET, self._suffixes_end(extra + 1, street_suffixes())
        if not titled:
            body = tokens[start:end]
            before = self.previous_word(start)
            known = any(word_facts(t.folded).first_name for t in body)
            if before in PLACE_PREPOSITIONS and not known:
                return Kind.PLACE, end
            if len(body) == 1 and body[0].folded.endswith(town_suffixes()) and not known:
                return Kind.PLACE, end
        return Kind.PERSON, end

    def _patterns(self) -> Iterator[Candidate]:
        for match in POSTCODE.finditer(self.text):
            yield Candidate(match.group(), Kind.POSTCODE, self.page, scoring.POSTCODE)
        folded = self.text.casefold()
        if not any(word in folded for word in ("born", "birth", "dob", "d.o.b")):
            return  # a quick test spares most pages the date pattern
        for match in DATE_OF_BIRTH.finditer(self.text):
            date = " ".join(match.group("date").split())
            yield Candidate(date, Kind.DATE_OF_BIRTH, self.page, scoring.DATE_OF_BIRTH)


def find_candidates(text: str, page: int, words: DocumentWords) -> list[Candidate]:
    """Every candidate in one piece of text, in reading order per kind of pattern."""
    return list(_PieceReader(text, page, words).candidates())
