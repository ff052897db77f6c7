"""Tolerant matching: the logged sessions a misread session code most likely means.

A code read by eye or by OCR off a photograph can be wrong in a character or two, and its check
character then refuses it. Rather than only refusing, ``trace`` lists the sessions in the log
whose code is within two substitutions of what was read, cheapest first: a substitution between
characters that OCR engines and people confuse (Q/9, S/5, B/8, Z/2, G/6, D/0) costs less than an
arbitrary one, and Crockford's own equivalences (O = 0, I = L = 1) cost nothing. These are
candidates, never an answer: the caller must say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from readingroom.audit.session_summary import SessionSummary
from readingroom.display_text import display_text

MAX_SUBSTITUTIONS = 2
# Groups of characters that are easily misread as one another. Crockford decoding already maps
# O to 0 and I, L to 1; U is not in the alphabet and is usually a misread V.
_CONFUSABLE = ("0OQD", "1IL7", "Q9", "S5", "B8", "Z2", "G6", "UV")
_CROCKFORD_SAME = {"O": "0", "I": "1", "L": "1"}
_CONFUSION_COST = 0.4
_OTHER_COST = 1.0


@dataclass(frozen=True)
class Candidate:
    """A logged session whose code is close to the text read off a page."""

    session: SessionSummary
    substitutions: int
    cost: float


def _clean(text: str) -> str:
    cleaned = "".join(char for char in text.upper() if char.isalnum())
    return "".join(_CROCKFORD_SAME.get(char, char) for char in cleaned)


def _substitution_cost(read: str, actual: str) -> float:
    if read == actual:
        return 0.0
    if any(read in group and actual in group for group in _CONFUSABLE):
        return _CONFUSION_COST
    return _OTHER_COST


def candidate_sessions(
    read: str, sessions: Sequence[SessionSummary], limit: int = 5
) -> list[Candidate]:
    """The sessions whose code is within two substitutions of ``read``, most likely first.

    Args:
        read: the code as read (dashes, case and spaces do not matter); 8 characters (without
            the check character) or 9.
        sessions: the sessions of the log.
        limit: at most this many candidates.

    Returns:
        Candidates sorted by cost (confusable substitutions are cheaper), then by start time,
        newest first. Empty when ``read`` has the wrong length.
    """
    observed = _clean(read)
    if len(observed) not in (8, 9):
        return []
    found: dict[str, Candidate] = {}
    for session in sessions:
        actual = session.code.replace("-", "")[: len(observed)]
        if len(actual) != len(observed):
            continue
        costs = [_substitution_cost(a, b) for a, b in zip(observed, actual, strict=True)]
        substitutions = sum(1 for cost in costs if cost > 0)
        if substitutions > MAX_SUBSTITUTIONS:
            continue
        candidate = Candidate(session, substitutions, sum(costs))
        previous = found.get(session.session_id)
        if previous is None or candidate.cost < previous.cost:
            found[session.session_id] = candidate
    ranked = sorted(found.values(), key=lambda item: (item.cost, -item.session.start.timestamp()))
    return ranked[:limit]


def candidate_line(candidate: Candidate) -> str:
    """``K7Q2-9XHM-4 (Alex Morgan, 3 Dec 14:02)``: one candidate, short enough for a sentence."""
    session = candidate.session
    # Names come from the log: untrusted text bound for a terminal.
    who = display_text(session.reader_name or session.reader, max_chars=80)
    when = session.start.strftime("%-d %b %Y %H:%M")
    return f"{session.code} ({who}, {when})"
