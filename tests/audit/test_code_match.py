"""Tolerant matching of misread session codes against a real log, and `trace CODE` suggestions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from readingroom.audit.code_match import candidate_sessions
from readingroom.audit.sessions import summarise_log
from readingroom.audit.trace_ocr import code_shaped_tokens
from readingroom.cli import main
from readingroom.errors import ExitCode
from tests.audit.trace_fixtures import write_log

SWAPS = {"0": "Q", "9": "Q", "Q": "9", "5": "S", "S": "5", "8": "B", "B": "8", "1": "7"}


def _misread(code: str, positions: int) -> str:
    """``code`` with its first ``positions`` characters replaced, confusable ones where possible."""
    chars = list(code.replace("-", ""))
    for index in range(positions):
        char = chars[index]
        chars[index] = SWAPS.get(char, "Z" if char != "Z" else "Y")
    return "".join(chars)


@pytest.fixture
def logged(rr_home: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    directory = tmp_path / "log"
    return directory, write_log(directory)


@pytest.mark.parametrize("positions", [1, 2])
def test_a_misread_code_finds_its_session_first(
    logged: tuple[Path, list[str]], positions: int
) -> None:
    directory, codes = logged
    sessions = summarise_log(directory).sessions
    for code in codes:
        candidates = candidate_sessions(_misread(code, positions), sessions)
        assert candidates[0].session.code == code
        assert candidates[0].substitutions == positions


def test_three_substitutions_are_too_many(logged: tuple[Path, list[str]]) -> None:
    directory, codes = logged
    sessions = summarise_log(directory).sessions
    assert all(
        candidate.session.code != codes[0]
        for candidate in candidate_sessions(_misread(codes[0], 3), sessions)
    )


def test_confusable_substitutions_rank_above_arbitrary_ones(logged: tuple[Path, list[str]]) -> None:
    directory, _ = logged
    sessions = summarise_log(directory).sessions
    target = sessions[0]
    payload = target.code.replace("-", "")
    confusable = "S" if payload[0] != "S" else "5"
    # Pretend a second session differs from the reading by an arbitrary character instead.
    read = ("5" if confusable == "S" else "S") + payload[1:]
    ranked = candidate_sessions(read, sessions)
    assert ranked and ranked[0].session.code == target.code


def test_wrong_lengths_give_no_candidates(logged: tuple[Path, list[str]]) -> None:
    directory, _ = logged
    assert candidate_sessions("K7Q2", summarise_log(directory).sessions) == []


def test_trace_code_with_a_bad_check_suggests_the_session(
    logged: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    directory, codes = logged
    misread = _misread(codes[1], 1)
    assert main(["trace", misread, "--log", str(directory)]) == ExitCode.USAGE
    captured = capsys.readouterr()
    assert captured.out.startswith(f"Did you mean {codes[1]} (Sam Patel, ")
    assert "candidates" in captured.out
    assert "mistyped" in captured.err and "Traceback" not in captured.err


@pytest.mark.parametrize("stroke", ["|", "!", ""])
def test_a_printed_code_whose_check_character_ocr_lost_still_names_its_session(
    logged: tuple[Path, list[str]], stroke: str
) -> None:
    """Tesseract read the band's "Session 8B8H-CEPA-D" as "8B8H-CEPA-|" in CI."""
    directory, codes = logged
    tokens = code_shaped_tokens(f"OFFICIAL-SENSITIVE · Session {codes[2][:-1]}{stroke}\n")
    eight = codes[2].replace("-", "")[:8]
    assert eight in tokens
    candidates = candidate_sessions(eight, summarise_log(directory).sessions)
    assert candidates[0].session.code == codes[2] and candidates[0].substitutions == 0


def test_eight_letter_words_of_the_document_are_not_code_tokens() -> None:
    text = (
        "The practitioners RECORDED that the HOMEWORK was not done; see ABCD EFGH- and ABCD-EFGH."
    )
    assert code_shaped_tokens(text) == []


def test_a_whole_printed_code_is_a_nine_character_token() -> None:
    assert code_shaped_tokens("Session K7Q2-9XHM-4 and K7Q2 9XHM.4") == ["K7Q29XHM4"]


@pytest.mark.parametrize(
    "garble",
    [
        lambda code: code.replace("-", "_", 1),  # a stray stroke for the first dash
        lambda code: code.replace("-", " -", 1),  # a space before it
        lambda code: code.replace("-", "", 1),  # a dash not seen
    ],
)
def test_the_code_after_the_word_session_is_read_however_its_separators_came_out(
    logged: tuple[Path, list[str]], garble: Callable[[str], str]
) -> None:
    directory, codes = logged
    tokens = code_shaped_tokens(f"OFFICIAL-SENSITIVE · Sessi0n {garble(codes[1])}\n")
    assert codes[1].replace("-", "") in tokens
    candidates = candidate_sessions(codes[1].replace("-", ""), summarise_log(directory).sessions)
    assert candidates[0].session.code == codes[1]
