"""Parsing the names and terms files: the bad inputs each give a message with the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from readingroom.errors import InputFileError
from readingroom.prepare import load_names_csv, parse_names_csv, parse_redaction_terms
from readingroom.prepare.names import check_names_against_terms


def test_names_parse_with_header_comments_and_quotes() -> None:
    entries = parse_names_csv(
        'original,label\n# note\n\n"Smith, Jane",Social Worker 1\nPeter,Child A\n'
    )
    assert [(e.original, e.label, e.line) for e in entries] == [
        ("Smith, Jane", "Social Worker 1", 4),
        ("Peter", "Child A", 5),
    ]


def test_several_originals_may_share_a_label() -> None:
    entries = parse_names_csv("Jane Smith,SW 1\nMs Smith,SW 1\nJane Smith,SW 1\n")
    assert [e.original for e in entries] == ["Jane Smith", "Ms Smith"]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("Jane,Label 1\nPeter\n", 2, "two columns"),
        ("Jane,Label 1\nPeter,Child,extra\n", 2, "two columns"),
        ("Jane,Label 1\n ,Child A\n", 2, "original name is empty"),
        ("Jane,Label 1\nPeter, \n", 2, "label is empty"),
        ("Jane,Label 1\nPeter,Child A\njane,Label 2\n", 3, "different label on line 1"),
        ("Jane,Label 1\nPeter,Jane\n", 2, "itself an original"),
        ('Jane,Label 1\n"Peter,Child A\n', 2, "not valid CSV"),
    ],
)
def test_bad_names_file_names_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(InputFileError) as caught:
        parse_names_csv(text, source="names.csv")
    message = str(caught.value)
    assert f"names.csv line {line}" in message
    assert words in message
    # The message never echoes the sensitive contents of the line.
    assert "Peter" not in message and "Jane" not in message


def test_names_file_must_be_utf8(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_bytes(b"J\xe9r\xf4me,Label 1\n")
    with pytest.raises(InputFileError, match="not UTF-8"):
        load_names_csv(path)


def test_terms_with_reason_codes() -> None:
    terms = parse_redaction_terms("# c\nblue van\n07700 900123 | S40\nflat 3 | [S 38]\n")
    assert [(t.term, t.reason, t.line, t.stamp) for t in terms] == [
        ("blue van", None, 2, "[REDACTED]"),
        ("07700 900123", "S40", 3, "[S40]"),
        ("flat 3", "S 38", 4, "[S 38]"),
    ]


@pytest.mark.parametrize("text", ["ok\n | S40\n", "ok\nterm | \n", "ok\nterm | S40; drop\n"])
def test_bad_terms_name_the_line(text: str) -> None:
    with pytest.raises(InputFileError, match="line 2"):
        parse_redaction_terms(text)


def test_term_that_is_also_an_original_is_refused() -> None:
    names = parse_names_csv("Peter,Child A\n")
    with pytest.raises(InputFileError, match="also an original"):
        check_names_against_terms(names, parse_redaction_terms("peter\n"))
    with pytest.raises(InputFileError, match="label contains"):
        check_names_against_terms(names, parse_redaction_terms("child\n"))
