"""``seal``'s guard rails: one secret per reader, warnings, dates, readers, outputs, labels."""

from __future__ import annotations

import argparse
import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pymupdf
import pytest

from readingroom.cli import build_parser
from readingroom.config import load_config
from readingroom.errors import ExitCode
from readingroom.review_file import UnlockKeys, open_review
from readingroom.trust import TrustStore
from tests.cli.conftest import Run, seal_args
from tests.factories import make_pdf

SAM = "Sam Lee <sam@example.gov.uk>"


def _open_manifest_reader(path: Path, passphrase: bytes, home: Path) -> tuple[str, str, str]:
    config = load_config(home)
    opened = open_review(
        path.read_bytes(), UnlockKeys(passphrase=passphrase), config=config,
        trust=TrustStore.load(config.trust_store), now=datetime.now(UTC), enforce_policy=False,
    )  # fmt: skip
    opened.pdf[:] = b""
    reader = opened.manifest.policy.reader
    return reader.name, reader.id, reader.organisation


def _marked_pdf(mark: str) -> bytes:
    document = pymupdf.open(stream=make_pdf(2), filetype="pdf")
    info = document.get_new_xref()
    document.update_object(info, "<<>>")
    document.xref_set_key(-1, "Info", f"{info} 0 R")
    document.xref_set_key(info, "ReadingRoomPrepared", f"({mark})")
    data: bytes = document.tobytes()
    document.close()
    return data


def test_several_readers_may_not_share_one_passphrase(workspace: Path, run: Run) -> None:
    ws = workspace
    out = ws / "out"
    code, _, err = run(*seal_args(ws, "--reader", SAM, "--passphrase-file", ws / "rp", "-o", out))
    assert code == ExitCode.USAGE
    assert "cannot share one passphrase" in err and err.count("\n") == 1
    assert not out.exists()
    # One reader with a passphrase file stays allowed.
    code, _, err = run(*seal_args(ws, "--passphrase-file", ws / "rp", "-o", ws / "one.rrf"))
    assert code == 0, err


def test_passphrase_out_writes_one_private_file_per_reader(
    workspace: Path, run: Run, rr_home: Path
) -> None:
    ws = workspace
    secrets = ws / "secrets" / "batch1"
    code, out, err = run(*seal_args(ws, "--reader", SAM, "--new-passphrase", "--passphrase-out",
                                    secrets, "-o", ws / "sealed"))  # fmt: skip
    assert code == 0, err
    assert out == ""  # nothing printed: the passphrases are only in their files
    files = sorted(secrets.iterdir())
    assert len(files) == 2
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o700
    opened_by: dict[str, str] = {}
    for secret in files:
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600
        sealed = ws / "sealed" / (secret.stem + ".rrf")
        assert f"-> {secret}" in err
        passphrase = secret.read_text().strip().encode()
        opened_by[secret.name] = _open_manifest_reader(sealed, passphrase, rr_home)[1]
    assert sorted(opened_by.values()) == ["alex@example.gov.uk", "sam@example.gov.uk"]
    # Each passphrase opens only its own reader's file.
    first, second = files
    with pytest.raises(Exception, match="cannot be opened"):
        _open_manifest_reader(
            ws / "sealed" / (second.stem + ".rrf"), first.read_text().strip().encode(), rr_home
        )
    code, _, err = run(*seal_args(ws, "--passphrase-file", ws / "rp", "--passphrase-out",
                                  secrets, "-o", ws / "x.rrf"))  # fmt: skip
    assert code == ExitCode.USAGE and "--new-passphrase" in err


def test_without_workstation_seal_warns_once(workspace: Path, run: Run) -> None:
    ws = workspace
    code, _, err = run(*seal_args(ws, "--passphrase-file", ws / "rp", "-o", ws / "a.rrf"))
    assert code == 0
    warnings = [line for line in err.splitlines() if "without --workstation" in line]
    assert len(warnings) == 1 and "passphrase (or key) alone" in warnings[0]
    code, station, _ = run("keys", "new", "--kind", "workstation", "--out", ws / "ws.key",
                           "--unprotected")  # fmt: skip
    code, _, err = run(*seal_args(ws, "--passphrase-file", ws / "rp", "--workstation",
                                  station.strip(), "-o", ws / "b.rrf"))  # fmt: skip
    assert code == 0 and "without --workstation" not in err


def test_publisher_configuration_can_require_a_workstation(
    workspace: Path, run: Run, rr_home: Path
) -> None:
    ws = workspace
    (rr_home / "publisher.toml").write_text("require_workstation = true\n")
    code, _, err = run(*seal_args(ws, "--passphrase-file", ws / "rp", "-o", ws / "a.rrf"))
    assert code == ExitCode.USAGE and "requires --workstation" in err
    assert not (ws / "a.rrf").exists()
    (rr_home / "publisher.toml").write_text("require_workstation = 'yes'\n")
    code, _, err = run(*seal_args(ws, "--passphrase-file", ws / "rp", "-o", ws / "a.rrf"))
    assert code == ExitCode.USAGE and "true or false" in err


def test_reading_period_must_make_sense(workspace: Path, run: Run) -> None:
    ws = workspace
    yesterday = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%d")
    code, _, err = run(*seal_args(ws, "--passphrase-file", ws / "rp", "--not-after", yesterday,
                                  "-o", ws / "a.rrf"))  # fmt: skip
    assert code == ExitCode.USAGE and "in the past" in err
    code, _, err = run(*seal_args(ws, "--passphrase-file", ws / "rp", "--not-before",
                                  "2099-02-01", "--not-after", "2099-01-01",
                                  "-o", ws / "a.rrf"))  # fmt: skip
    assert code == ExitCode.USAGE and "--not-before must be earlier" in err
    assert not (ws / "a.rrf").exists()


def test_organisation_per_reader_and_readers_file(workspace: Path, run: Run, rr_home: Path) -> None:
    ws = workspace
    (ws / "readers.csv").write_text(
        "name,id,organisation\nKim Patel,kim@example.gov.uk,Ofsted\nJo Ray,jo@example.gov.uk,\n"
    )
    args = seal_args(ws, "--reader", "Sam Lee <sam@example.gov.uk>, Westmoor Council",
                     "--readers", ws / "readers.csv", "--org", "Default Org",
                     "--new-passphrase", "--passphrase-out", ws / "secrets",
                     "-o", ws / "out")  # fmt: skip
    code, _, err = run(*args)
    assert code == 0, err
    readers = set()
    for secret in (ws / "secrets").iterdir():
        sealed = ws / "out" / (secret.stem + ".rrf")
        readers.add(_open_manifest_reader(sealed, secret.read_text().strip().encode(), rr_home))
    assert readers == {
        ("Alex Morgan", "alex@example.gov.uk", "Default Org"),
        ("Sam Lee", "sam@example.gov.uk", "Westmoor Council"),
        ("Kim Patel", "kim@example.gov.uk", "Ofsted"),
        ("Jo Ray", "jo@example.gov.uk", "Default Org"),
    }
    (ws / "bad.csv").write_text("name,id\nKim Patel,\n")
    code, _, err = run(*seal_args(ws, "--readers", ws / "bad.csv", "--new-passphrase",
                                  "-o", ws / "out2"))  # fmt: skip
    assert code == ExitCode.BAD_INPUT and "line 2" in err
    (ws / "dup.csv").write_text("name,id\nAlex Again,ALEX@example.gov.uk\n")
    code, _, err = run(*seal_args(ws, "--readers", ws / "dup.csv", "--new-passphrase",
                                  "-o", ws / "out3"))  # fmt: skip
    assert code == ExitCode.USAGE and "given twice" in err


def test_output_folder_is_created_and_a_file_name_needs_one_reader(
    workspace: Path, run: Run
) -> None:
    ws = workspace
    target = ws / "new" / "nested"
    code, _, err = run(*seal_args(ws, "--passphrase-file", ws / "rp", "-o", target))
    assert code == 0, err
    [sealed] = target.iterdir()
    assert sealed.suffix == ".rrf" and "alex" not in sealed.name
    code, _, err = run(*seal_args(ws, "--reader", SAM, "--new-passphrase", "-o", ws / "x.rrf"))
    assert code == ExitCode.USAGE and "names a folder" in err


def test_every_seal_option_has_help_and_the_label_is_said_to_be_public() -> None:
    parser = build_parser()
    subparsers = next(
        action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
    )
    seal = subparsers.choices["seal"]
    for action in seal._actions:
        assert action.help, f"seal option {action.option_strings or action.dest} has no help"
    label_help = next(a.help for a in seal._actions if "--label" in a.option_strings)
    assert label_help is not None and "PUBLIC" in label_help and "ANYONE" in label_help


def test_sealing_an_unprepared_pdf_warns(workspace: Path, run: Run) -> None:
    ws = workspace
    code, _, err = run(*seal_args(ws, "--passphrase-file", ws / "rp", "-o", ws / "a.rrf"))
    assert code == 0
    assert [line for line in err.splitlines() if "not produced by readingroom prepare" in line]
    (ws / "prepared.pdf").write_bytes(_marked_pdf("v1 sha256:" + "0123456789abcdef" * 4))
    args = seal_args(ws, "--passphrase-file", ws / "rp", "-o", ws / "b.rrf")
    args[1] = ws / "prepared.pdf"
    code, _, err = run(*args)
    assert code == 0 and "not produced by readingroom prepare" not in err
    (ws / "fake.pdf").write_bytes(_marked_pdf("v1 sha256:NOT-HEX"))
    args[1], args[-1] = ws / "fake.pdf", ws / "c.rrf"
    code, _, err = run(*args)
    assert code == 0 and "not produced by readingroom prepare" in err


def test_label_and_period_are_public_in_inspect(workspace: Path, run: Run) -> None:
    ws = workspace
    code, _, _ = run(*seal_args(ws, "--passphrase-file", ws / "rp", "-o", ws / "a.rrf",
                                "--not-after", "2099-01-31"))  # fmt: skip
    assert code == 0
    code, out, _ = run("inspect", ws / "a.rrf", "--json")
    public = json.loads(out)
    today = datetime.now(UTC)
    assert public["label"] == f"Review file sealed {today.day} {today:%b %Y}"
    assert public["public_not_after"] == "2099-01-31T23:59:59Z"
    assert public["public_not_before"] is None and public["period"] is None
    code, _, _ = run(*seal_args(ws, "--passphrase-file", ws / "rp", "-o", ws / "b.rrf",
                                "--label", "Westmoor review, batch 3"))  # fmt: skip
    code, out, _ = run("inspect", ws / "b.rrf")
    assert "Label (public):  Westmoor review, batch 3" in out
    assert "Period (public): no start date to no expiry" in out
    code, _, err = run(*seal_args(ws, "--passphrase-file", ws / "rp", "-o", ws / "c.rrf",
                                  "--label", "x" * 81))  # fmt: skip
    assert code == ExitCode.USAGE and "label" in err


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (make_pdf(1), "is a PDF, not a ReadingRoom review file"),
        (b"Meeting notes\nnothing to see\n", "is a text file, not a ReadingRoom review file"),
        (b"", "is an empty file, not a ReadingRoom review file"),
        (b"\x00\x01\x02\xff" * 10, "is a file of an unknown kind, not a ReadingRoom review file"),
    ],
)
def test_inspect_names_a_file_that_is_not_a_review_file(
    workspace: Path, run: Run, content: bytes, kind: str
) -> None:
    target = workspace / "thing.rrf"
    target.write_bytes(content)
    code, out, err = run("inspect", target)
    assert code == ExitCode.NOT_A_REVIEW_FILE == 10
    assert out == "" and kind in err and err.count("\n") == 1


def test_inspect_says_no_start_date(workspace: Path, run: Run) -> None:
    ws = workspace
    run(*seal_args(ws, "--passphrase-file", ws / "rp", "-o", ws / "a.rrf"))
    code, out, _ = run("inspect", ws / "a.rrf", "--passphrase-file", ws / "rp")
    assert code == 0 and "Readable from:   no start date" in out and "now" not in out
