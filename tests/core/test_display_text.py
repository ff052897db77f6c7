"""The one sanitiser for untrusted strings shown on screen."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from readingroom.display_text import DEFAULT_MAX_CHARS, ELLIPSIS, display_text


def test_plain_text_is_unchanged() -> None:
    assert display_text("Serious Case Review: Child L") == "Serious Case Review: Child L"


def test_bidi_override_is_removed() -> None:
    # "Trojan Source": an RLO makes the tail read backwards.
    assert display_text("report\u202efdp.exe") == "reportfdp.exe"
    assert display_text("a\u2066b\u2069c\u200fd") == "abcd"


def test_control_and_zero_width_characters_are_removed() -> None:
    assert display_text("ti\x00tle\x1b[31m") == "title[31m"
    assert display_text("in\u200bvis\u200dible\ufeff") == "invisible"


def test_whitespace_collapses_to_one_line() -> None:
    assert display_text("  two\n\nlines\t and\u00a0 more  ") == "two lines and more"


def test_length_is_capped_with_an_ellipsis() -> None:
    text = display_text("x" * 500)
    assert len(text) == DEFAULT_MAX_CHARS
    assert text.endswith(ELLIPSIS)
    assert display_text("abcdef", max_chars=4) == "abc" + ELLIPSIS


def test_non_strings_show_as_empty() -> None:
    assert display_text(None) == ""
    assert display_text(b"bytes") == ""
    assert display_text(42) == ""


@given(st.text(), st.integers(min_value=1, max_value=300))
def test_result_is_always_one_safe_bounded_line(value: str, limit: int) -> None:
    result = display_text(value, max_chars=limit)
    assert len(result) <= limit
    assert result == result.strip()
    assert "  " not in result
    for char in result:
        assert char == " " or not char.isspace()
        assert unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co", "Cn"}


@given(st.text())
def test_sanitising_twice_changes_nothing(value: str) -> None:
    once = display_text(value)
    assert display_text(once) == once
