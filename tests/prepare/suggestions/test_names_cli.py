"""``readingroom names suggest`` end to end: output on stdout only, sanitised, nothing written."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pymupdf
import pytest

from readingroom import cli
from readingroom.commands.names_cmd import add_strict_names_option, missed_names_summary
from readingroom.commands.prepare_cmd import add_prepare_options, options_from_args
from readingroom.errors import NamesMissing
from tests.prepare.suggestions.draft import NAMES_CSV, build_draft


@pytest.fixture
def run(rr_home: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("readingroom.commands.names_cmd",))
    return cli.main


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """The draft and its partial names file, in a folder of their own."""
    (tmp_path / "draft.pdf").write_bytes(build_draft())
    (tmp_path / "names.csv").write_text(NAMES_CSV)
    return tmp_path / "draft.pdf", tmp_path / "names.csv"


def test_suggest_prints_to_stdout_and_writes_nothing(
    run, files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    draft, names = files
    before = sorted(draft.parent.iterdir())
    code = run(["names", "suggest", str(draft), "--names", str(names)])
    out, err = capsys.readouterr()
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 27
    assert "Dr Imran Chaudhry" in out and "Kayden Okafor" not in out
    assert any("Bethany Caldwell" in line and "also: Ms Caldwell" in line for line in lines)
    # Names go to stdout only: stderr holds the count and the note, never document text.
    assert "27 likely names are not in the names file." in err
    assert "Chaudhry" not in err
    assert sorted(draft.parent.iterdir()) == before


def test_suggest_json(run, files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    draft, names = files
    assert run(["names", "suggest", str(draft), "--names", str(names), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    street = next(row for row in rows if row["kind"] == "street")
    assert street == {
        "kind": "street",
        "text": "27 Larkspur Close",
        "forms": ["27 Larkspur Close"],
        "count": 1,
        "pages": [1],
        "confidence": street["confidence"],
    }
    confidences = [row["confidence"] for row in rows]
    assert confidences == sorted(confidences, reverse=True)


def test_terminal_control_characters_in_the_draft_are_removed(
    run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Nothing here.", fontsize=11)
    page.add_text_annot((300, 72), "Ask Ottoline\u202e Fairbrother\x1b]0;owned\x07 now").update()
    (tmp_path / "draft.pdf").write_bytes(doc.tobytes())
    assert run(["names", "suggest", str(tmp_path / "draft.pdf"), "--json"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert "Ottoline" in out


def test_unreadable_input_exits_3_with_one_line(
    run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.7 nothing else")
    assert run(["names", "suggest", str(tmp_path / "bad.pdf")]) == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("readingroom: error:")


def test_a_bad_names_file_names_the_line_not_its_text(
    run, files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    draft, names = files
    names.write_text("Quentin Marchbanks,Child A,extra\n")
    assert run(["names", "suggest", str(draft), "--names", str(names)]) == 3
    err = capsys.readouterr().err
    assert "line 1" in err and "Marchbanks" not in err


def _prepare_args(*argv: str) -> argparse.Namespace:
    # The parser prepare will have once the lead wires the check in: its own options plus one.
    parser = argparse.ArgumentParser()
    parser.add_argument("input", type=Path)
    add_prepare_options(parser)
    add_strict_names_option(parser)
    return parser.parse_args(list(argv))


def test_prepare_summary_line_names_the_command(files: tuple[Path, Path]) -> None:
    draft, names = files
    args = _prepare_args(str(draft), "--names", str(names))
    line = missed_names_summary(draft.read_bytes(), options_from_args(args), args)
    assert line == (
        f"27 likely names are not in the names file "
        f"(readingroom names suggest {draft} --names {names})"
    )


def test_strict_names_refuses_with_exit_9_and_no_names(files: tuple[Path, Path]) -> None:
    draft, names = files
    args = _prepare_args(str(draft), "--names", str(names), "--strict-names")
    with pytest.raises(NamesMissing) as refused:
        missed_names_summary(draft.read_bytes(), options_from_args(args), args)
    assert refused.value.exit_code == 9
    assert "27 likely names" in str(refused.value) and "Chaudhry" not in str(refused.value)


def test_strict_names_passes_a_draft_whose_names_are_all_listed(tmp_path: Path) -> None:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Ottoline Fairbrother met the family.", fontsize=11)
    (tmp_path / "draft.pdf").write_bytes(doc.tobytes())
    (tmp_path / "names.csv").write_text("Ottoline Fairbrother,Social Worker 1\n")
    args = _prepare_args(
        str(tmp_path / "draft.pdf"), "--names", str(tmp_path / "names.csv"), "--strict-names"
    )
    line = missed_names_summary(
        (tmp_path / "draft.pdf").read_bytes(), options_from_args(args), args
    )
    assert line == "No likely names outside the names file were found in the draft's text."
