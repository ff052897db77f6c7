"""Grouping occurrences by likely person (or place): "Smith", "Ms Smith", "J. Smith" together.

A person is keyed by surname and first initial: "Jane Smith" and "J. Smith" are one person,
"Peter Smith" another. A lone word ("Smith", "Ms Smith", "Jane") joins the most frequent person
whose surname, else whose first name, it is, unless a title says it is someone else ("Mr
Whitlock" is not "Grace Whitlock", by Faker's lists of men's and women's first names); otherwise
it stands alone. Places, schools, streets,
postcodes and dates group by their text, ignoring case and spacing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from readingroom.prepare.suggestions import scoring
from readingroom.prepare.suggestions.candidates import Candidate, Kind
from readingroom.prepare.suggestions.lexicon import TITLE_GENDERS, first_name_genders


@dataclass(frozen=True)
class Suggestion:
    """One likely person, place, school, street, postcode or date of birth not yet covered."""

    kind: Kind
    text: str
    """The fullest form found (the one to add to the names file first)."""
    forms: tuple[str, ...]
    """Every form found, most frequent first (the first may differ from ``text``)."""
    count: int
    pages: tuple[int, ...]
    """1-based page numbers; 0 stands for the outline (bookmarks)."""
    confidence: float
    """0..1: how sure the suggestion is; suggestions are sorted by it."""


_Key = tuple[str, str, str]


def _person_key(words: Sequence[str]) -> tuple[str, str]:
    full = [w for w in words if len(w) > 1]
    initials = [w for w in words if len(w) == 1]
    if not full:
        return "", initials[-1] if initials else ""
    if len(words) == 1:
        return full[0], ""
    return full[-1], words[0][0]


def _title_gender(candidate: Candidate) -> str:
    words = candidate.text.split()
    if len(words) <= len(candidate.name_words):
        return ""
    return TITLE_GENDERS.get(words[0].casefold().rstrip("."), "")


def _keys(candidates: Sequence[Candidate]) -> list[_Key]:
    people = [c for c in candidates if c.kind is Kind.PERSON]
    named = Counter(_person_key(c.name_words) for c in people)
    # For each full name (surname, initial): the genders its first names are recorded with.
    genders: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_first: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for candidate in people:
        key = _person_key(candidate.name_words)
        if key[0] and key[1] and len(candidate.name_words[0]) > 1:
            by_first[candidate.name_words[0]].append((named[key], key[0], key[1]))
            genders[key] |= first_name_genders(candidate.name_words[0])
    keys: list[_Key] = []
    for candidate in candidates:
        if candidate.kind is not Kind.PERSON:
            keys.append((candidate.kind.value, " ".join(candidate.text.casefold().split()), ""))
            continue
        surname, initial = _person_key(candidate.name_words)
        if surname and not initial:
            title_gender = _title_gender(candidate)
            # A lone surname joins the most frequent full name with that surname, unless its
            # title says otherwise ("Mr Whitlock" does not join "Grace Whitlock").
            fitting = [
                (count, key_initial)
                for (key_surname, key_initial), count in named.items()
                if key_surname == surname
                and key_initial
                and not (title_gender and genders[(surname, key_initial)] == {_other(title_gender)})
            ]
            if fitting:
                initial = max(fitting)[1]
            elif by_first.get(surname) and not title_gender:
                _, surname, initial = max(by_first[surname])
        keys.append((Kind.PERSON.value, surname, initial))
    return keys


def _other(gender: str) -> str:
    return "f" if gender == "m" else "m"


def group_candidates(
    candidates: Sequence[Candidate], threshold: float = scoring.DEFAULT_THRESHOLD
) -> list[Suggestion]:
    """Group the occurrences, score each group, drop those under ``threshold``, sort."""
    groups: dict[_Key, list[Candidate]] = defaultdict(list)
    for key, candidate in zip(_keys(candidates), candidates, strict=True):
        groups[key].append(candidate)
    suggestions = []
    for members in groups.values():
        forms = Counter(m.text for m in members)
        # The fullest form has the most name words (titles and initials do not count); a
        # heading's capitals give way to the ordinary spelling.
        words = {m.text: sum(len(w) > 1 for w in m.name_words) for m in members}
        fullest = max(forms, key=lambda f: (words[f], len(f.split()), not f.isupper(), forms[f], f))
        best = max(m.score for m in members)
        confidence = scoring.repeated(best, len(members))
        if confidence < threshold:
            continue
        suggestions.append(
            Suggestion(
                kind=members[0].kind,
                text=fullest,
                forms=tuple(form for form, _ in forms.most_common()),
                count=len(members),
                pages=tuple(sorted({m.page for m in members})),
                confidence=round(confidence, 3),
            )
        )
    suggestions.sort(key=lambda s: (-s.confidence, -s.count, s.text))
    return suggestions
