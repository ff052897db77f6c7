"""Session codes: format, forgiving normalisation, every single typo caught."""

from __future__ import annotations

import re

import pytest

from readingroom.cli import main
from readingroom.errors import BadSessionCode, UsageError
from readingroom.session_code import (
    ALPHABET,
    EXAMPLE_SESSION_CODE,
    format_session_code,
    new_session_code,
    normalise_session_code,
)


def test_format_and_round_trip() -> None:
    for _ in range(200):
        code = new_session_code()
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]", code)
        assert normalise_session_code(code) == code


def test_case_dashes_and_confusable_letters_are_forgiven() -> None:
    payload = "01Q2" + "9XHM"
    code = format_session_code(payload)
    typed = code.lower().replace("-", "").replace("0", "o").replace("1", "l")
    assert normalise_session_code(typed) == code
    assert normalise_session_code(" " + code.replace("1", "I") + " ") == code


def test_every_single_substitution_and_adjacent_swap_is_caught() -> None:
    for _ in range(50):
        raw = new_session_code().replace("-", "")
        for index in range(len(raw)):
            for char in ALPHABET:
                if char != raw[index]:
                    typo = raw[:index] + char + raw[index + 1 :]
                    with pytest.raises(BadSessionCode):
                        normalise_session_code(typo)
        for index in range(len(raw) - 1):
            if raw[index] != raw[index + 1]:
                swapped = raw[:index] + raw[index + 1] + raw[index] + raw[index + 2 :]
                with pytest.raises(BadSessionCode):
                    normalise_session_code(swapped)


@pytest.mark.parametrize("text", ["", "K7Q2-9XHM", "K7Q2-9XHM-44", "K7Q2-9XHM-U", "K7Q2!9XHM-4"])
def test_malformed_codes_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        normalise_session_code(text)


def test_the_example_code_in_help_and_messages_is_itself_valid(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert normalise_session_code(EXAMPLE_SESSION_CODE) == EXAMPLE_SESSION_CODE
    assert EXAMPLE_SESSION_CODE in BadSessionCode.message
    with pytest.raises(SystemExit):
        main(["trace", "--help"])
    assert EXAMPLE_SESSION_CODE in capsys.readouterr().out
