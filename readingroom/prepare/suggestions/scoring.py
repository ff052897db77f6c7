"""How sure a suggestion is: evidence from the lexicon and from the document itself, as 0..1.

Each capitalised word gets a score from independent signals (a known first name or surname, a
word English rarely uses, a word this document never writes in lower case); a run of such words
combines them as independent evidence (1 - product of the doubts), and a title before the run
("Mrs", "DC") or a second name word raises it further. The numbers were set on the fixture in
tests/prepare/suggestions/ and are documented in docs/prepare.md; they rank, they do not decide.
"""

from __future__ import annotations

from collections.abc import Iterable

from readingroom.prepare.suggestions.lexicon import WordFacts

KNOWN_NAME = 0.45
"""A word in a first-name or surname list (many names are also ordinary words: Grace, Brown)."""
RARE_WORD = 0.45
"""Zipf below 3: a word English uses less than once per million words."""
UNCOMMON_WORD = 0.3
"""Zipf 3 to 4."""
FAIRLY_COMMON_WORD = 0.1
"""Zipf 4 to 4.5."""
VERY_COMMON_WORD = -0.25
"""Zipf 5 or more ("Brown", "Page", "Early"): alone it is more likely a word than a name."""
LISTED_NAME_WORD = 0.6
"""A word of an original in the names file ("Tamsin" of "Tamsin Fairweather") seen on its own:
the names file covers the full name, so this shorter form would survive ``prepare``."""
LOWER_CASE_ELSEWHERE = -0.5
"""The document also writes the word in lower case: it is an ordinary word here."""
NAME_LIKE = 0.3
"""A word scoring at least this starts or joins a name."""
NAME_CONTINUES = 0.15
"""After a name word, a known name scoring at least this joins it ("Jane Brown")."""
MAX_WORD_SCORE = 0.95

TITLE_DOUBT = 0.4
"""A title before the name keeps 40 % of the remaining doubt."""
SECOND_WORD_DOUBT = 0.7
"""Two or more name words (first name and surname) keep 70 % of the doubt."""
SENTENCE_START = 0.75
"""A lone word at the start of a sentence is capitalised anyway: its score is scaled by this."""
STREET = 0.8
SCHOOL = 0.75
POSTCODE = 0.95
DATE_OF_BIRTH = 0.9

DEFAULT_THRESHOLD = 0.35
"""Suggestions scoring below this are not shown (``--all`` shows them)."""


def word_score(facts: WordFacts, *, lower_case_elsewhere: bool, listed: bool) -> float:
    """The evidence that one capitalised word is (part of) a name."""
    score = LISTED_NAME_WORD if listed else 0.0
    if facts.first_name or facts.surname:
        score += KNOWN_NAME
    if facts.zipf < 3.0:
        score += RARE_WORD
    elif facts.zipf < 4.0:
        score += UNCOMMON_WORD
    elif facts.zipf < 4.5:
        score += FAIRLY_COMMON_WORD
    elif facts.zipf >= 5.0:
        score += VERY_COMMON_WORD
    if lower_case_elsewhere:
        score += LOWER_CASE_ELSEWHERE
    return max(0.0, min(score, MAX_WORD_SCORE))


def name_score(word_scores: Iterable[float], *, titled: bool, sentence_start: bool) -> float:
    """Combine the scores of a name's words into the name's score."""
    scores = list(word_scores)
    doubt = 1.0
    for score in scores:
        doubt *= 1.0 - score
    if titled:
        doubt *= TITLE_DOUBT
    if len(scores) > 1:
        doubt *= SECOND_WORD_DOUBT
    result = 1.0 - doubt
    if sentence_start and len(scores) == 1 and not titled:
        result *= SENTENCE_START
    return result


def repeated(score: float, count: int) -> float:
    """A group's score: its best occurrence's, nudged up a little by each further one."""
    doubt = 1.0 - score
    for _ in range(min(count - 1, 5)):
        doubt *= 0.97
    return 1.0 - doubt
