"""``readingroom revoke``: each entry raises the list's version; bad inputs are one line."""

from __future__ import annotations

from pathlib import Path

from readingroom.errors import ExitCode
from readingroom.review_file import signature_hash
from readingroom.revocation import KIND_DOCUMENT, KIND_FILE, KIND_READER, parse_list
from tests.cli.conftest import Run, seal_args


def test_revoke_builds_a_growing_signed_list(workspace: Path, run: Run) -> None:
    ws = workspace
    code, _, err = run(*seal_args(ws, "--passphrase-file", ws / "rp", "-o", ws / "doc.rrf"))
    assert code == 0, err
    listing = ws / "westmoor.rrl"
    base = ["revoke", "--publisher-key", ws / "pub.key", "--key-passphrase-file", ws / "kp"]

    code, out, err = run(*base, "--document", "doc-7", "--reason", "sealed in error",
                         "--list", listing)  # fmt: skip
    assert code == 0, err
    assert "version 1" in out
    code, _, err = run(*base, "--file", ws / "doc.rrf", "--list", listing)
    assert code == 0, err
    code, _, err = run(*base, "--reader", "alex@example.gov.uk", "--list", listing)
    assert code == 0, err

    parsed = parse_list(listing.read_bytes())
    assert parsed.version == 3
    assert [(e.kind, e.value) for e in parsed.entries] == [
        (KIND_DOCUMENT, "doc-7"),
        (KIND_FILE, signature_hash((ws / "doc.rrf").read_bytes())),
        (KIND_READER, "alex@example.gov.uk"),
    ]
    assert parsed.entries[0].reason == "sealed in error"
    assert str(parsed.publisher) == (ws / "pub.txt").read_text().strip()


def test_another_publishers_list_is_not_extended(workspace: Path, run: Run) -> None:
    ws = workspace
    listing = ws / "list.rrl"
    code, _, _ = run("revoke", "--publisher-key", ws / "pub.key", "--key-passphrase-file",
                     ws / "kp", "--document", "d", "--list", listing)  # fmt: skip
    assert code == 0
    code, _, _ = run("keys", "new", "--kind", "publisher", "--out", ws / "other.key",
                     "--unprotected")  # fmt: skip
    assert code == 0
    before = listing.read_bytes()
    code, _, err = run("revoke", "--publisher-key", ws / "other.key", "--document", "d2",
                       "--list", listing)  # fmt: skip
    assert code == ExitCode.DAMAGED
    assert err.count("\n") == 1 and "another publisher" in err
    assert listing.read_bytes() == before


def test_revoking_something_that_is_not_a_review_file(workspace: Path, run: Run) -> None:
    ws = workspace
    code, _, err = run("revoke", "--publisher-key", ws / "pub.key", "--key-passphrase-file",
                       ws / "kp", "--file", ws / "doc.pdf", "--list", ws / "l.rrl")  # fmt: skip
    assert code == ExitCode.DAMAGED
    assert err.count("\n") == 1
    assert not (ws / "l.rrl").exists()


def test_a_damaged_list_is_not_overwritten(workspace: Path, run: Run) -> None:
    ws = workspace
    listing = ws / "list.rrl"
    listing.write_bytes(b"not a list")
    code, _, _ = run("revoke", "--publisher-key", ws / "pub.key", "--key-passphrase-file",
                     ws / "kp", "--reader", "r", "--list", listing)  # fmt: skip
    assert code == ExitCode.DAMAGED
    assert listing.read_bytes() == b"not a list"
