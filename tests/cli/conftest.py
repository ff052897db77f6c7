"""Fixtures for the command-line tests: the CLI run in-process, a publisher's workspace."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from readingroom.cli import main
from tests.factories import FAST_LOG_N, make_pdf

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(rr_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run the CLI in-process with fast scrypt work factors; return (code, stdout, stderr)."""
    monkeypatch.setattr("readingroom.commands.seal_cmd.SEAL_SCRYPT_LOG_N", FAST_LOG_N)
    monkeypatch.setattr("readingroom.keys.KEY_FILE_LOG_N", FAST_LOG_N)

    def invoke(*argv: str | Path) -> tuple[int, str, str]:
        code = main([str(arg) for arg in argv])
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return code, out, err

    return invoke


@pytest.fixture
def workspace(tmp_path: Path, run: Run) -> Path:
    """A folder with a publisher key (protected), a reader passphrase file and a PDF."""
    (tmp_path / "kp").write_text("publisher key passphrase\n")
    (tmp_path / "rp").write_text("reader passphrase\n")
    (tmp_path / "doc.pdf").write_bytes(make_pdf(4))
    code, public, _ = run(
        "keys", "new", "--kind", "publisher", "--out", tmp_path / "pub.key",
        "--key-passphrase-file", tmp_path / "kp",
    )  # fmt: skip
    assert code == 0 and public.startswith("rrpub1")
    (tmp_path / "pub.txt").write_text(public)
    return tmp_path


def seal_args(ws: Path, *extra: str | Path) -> list[str | Path]:
    return [
        "seal", ws / "doc.pdf", "--publisher-key", ws / "pub.key",
        "--key-passphrase-file", ws / "kp", "--reader", "Alex Morgan <alex@example.gov.uk>",
        *extra,
    ]  # fmt: skip
