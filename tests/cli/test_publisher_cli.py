"""The publisher's command line: keys, trust, seal and inspect, including every bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pymupdf
import pytest

from readingroom import __version__
from readingroom.age import X25519Identity
from readingroom.cli import main
from readingroom.config import load_config
from readingroom.errors import ExitCode
from readingroom.review_file import UnlockKeys, open_review
from readingroom.trust import TrustStore
from tests.cli.conftest import Run, seal_args
from tests.conftest import AgeCli
from tests.factories import make_pdf


def test_version_comes_from_the_package() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "readingroom", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"readingroom {__version__}"


def test_seal_then_inspect_without_and_with_the_passphrase(workspace: Path, run: Run) -> None:
    ws = workspace
    code, _, err = run(*seal_args(ws, "--passphrase-file", ws / "rp", "-o", ws / "doc.rrf",
                                  "--not-after", "2099-01-31", "--title", "SCR Child A"))  # fmt: skip
    assert code == 0, err
    code, out, _ = run("inspect", ws / "doc.rrf", "--json")
    public = json.loads(out)
    assert code == 0 and public["signature_valid"] and not public["trusted"]
    assert "title" not in public  # nothing private without a key

    run("trust", "add", ws / "pub.txt", "--name", "Westmoor SCP")
    code, out, _ = run("inspect", ws / "doc.rrf", "--passphrase-file", ws / "rp", "--json")
    opened = json.loads(out)
    assert code == 0 and opened["trusted"]
    assert opened["title"] == "SCR Child A" and opened["pages"] == 4
    assert opened["reader"]["name"] == "Alex Morgan"
    assert opened["not_after"].startswith("2099-01-31T23:59:59")


def test_new_passphrase_is_printed_once_and_opens_the_file(workspace: Path, run: Run) -> None:
    ws = workspace
    code, out, _ = run(*seal_args(ws, "--new-passphrase", "-o", ws / "doc.rrf"))
    assert code == 0
    passphrase = out.strip().rsplit(": ", 1)[1]
    assert len(passphrase.split("-")) == 6
    (ws / "generated").write_text(passphrase + "\n")
    code, out, _ = run("inspect", ws / "doc.rrf", "--passphrase-file", ws / "generated")
    assert code == 0 and "Alex Morgan" in out


def test_several_readers_get_one_file_each(workspace: Path, run: Run) -> None:
    ws = workspace
    out_dir = ws / "out"
    out_dir.mkdir()
    code, out, _ = run(
        *seal_args(
            ws, "--reader", "Sam Lee <sam@example.gov.uk>", "--new-passphrase", "-o", out_dir
        )
    )
    assert code == 0
    names = sorted(p.name for p in out_dir.iterdir())
    assert len(names) == 2 and len(out.strip().splitlines()) == 2
    # Named by document id (the same for both copies) and a short hash; never by reader.
    assert len({name[:36] for name in names}) == 1
    assert all(re.fullmatch(r"[0-9a-f-]{36}-[0-9a-f]{8}\.rrf", name) for name in names)
    assert not any("alex" in name or "sam" in name for name in names)


def test_reader_key_and_workstation_lock(workspace: Path, run: Run, tmp_path: Path) -> None:
    ws = workspace
    code, reader_public, _ = run("keys", "new", "--kind", "reader", "--out", ws / "reader.key",
                                 "--unprotected")  # fmt: skip
    code, station_public, _ = run("keys", "new", "--kind", "workstation", "--out",
                                  ws / "station.key", "--unprotected")  # fmt: skip
    code, _, err = run(*seal_args(ws, "--reader-key", reader_public.strip(), "--workstation",
                                  station_public.strip(), "-o", ws / "doc.rrf"))  # fmt: skip
    assert code == 0, err
    # Inspect treats the given identity as both factors (the publisher checking its work).
    code, _, _ = run("inspect", ws / "doc.rrf", "--identity", ws / "reader.key")
    assert code == ExitCode.REFUSED  # the reader key is not the workstation key
    stranger = ws / "stranger.key"
    stranger.write_text(X25519Identity.generate().to_string() + "\n")
    code, _, err = run("inspect", ws / "doc.rrf", "--identity", stranger)
    assert code == ExitCode.REFUSED


def test_keys_interoperate_with_age_keygen(workspace: Path, run: Run) -> None:
    identity = X25519Identity.generate()
    age_style = workspace / "age.key"
    age_style.write_text(f"# created: now\n# public key: x\n{identity.to_string()}\n")
    code, out, _ = run("keys", "show", age_style)
    assert code == 0 and out.strip() == identity.recipient().to_string()


def _zero_page_pdf() -> bytes:
    body = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    xref = len(body)
    return body + (
        b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
        b"trailer<</Size 3/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref
    )


def _encrypted_pdf() -> bytes:
    document = pymupdf.open(stream=make_pdf(1), filetype="pdf")
    data: bytes = document.tobytes(
        encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner", user_pw="user"
    )
    return data


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.pdf", None, "does not exist"),
        ("folder.pdf", "dir", "is a folder"),
        ("notes.pdf", b"these are not the droids", "is not a PDF"),
        ("locked.pdf", "encrypted", "password-protected"),
        ("empty.pdf", "zero", "has no pages"),
        ("broken.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50, "damaged"),
    ],
)
def test_bad_input_pdfs_fail_cleanly_and_write_nothing(
    workspace: Path, run: Run, name: str, content: object, message: str
) -> None:
    ws = workspace
    target = ws / name
    if content == "dir":
        target.mkdir()
    elif content == "encrypted":
        target.write_bytes(_encrypted_pdf())
    elif content == "zero":
        target.write_bytes(_zero_page_pdf())
    elif isinstance(content, bytes):
        target.write_bytes(content)
    before = sorted(ws.iterdir())
    args = seal_args(ws, "--passphrase-file", ws / "rp", "-o", ws / "out.rrf")
    args[1] = target
    code, _, err = run(*args)
    assert code == ExitCode.BAD_INPUT
    assert message in err and err.count("\n") == 1
    assert sorted(ws.iterdir()) == before


def test_output_rules(workspace: Path, run: Run) -> None:
    ws = workspace
    (ws / "exists.rrf").write_bytes(b"keep me")
    code, _, err = run(*seal_args(ws, "--passphrase-file", ws / "rp", "-o", ws / "exists.rrf"))
    assert code == ExitCode.BAD_INPUT and "--force" in err
    assert (ws / "exists.rrf").read_bytes() == b"keep me"
    code, _, _ = run(*seal_args(ws, "--passphrase-file", ws / "rp", "-o", ws / "exists.rrf",
                                "--force"))  # fmt: skip
    assert code == 0 and (ws / "exists.rrf").read_bytes().startswith(b"readingroom-review/v1\n")
    code, _, err = run(*seal_args(ws, "--passphrase-file", ws / "rp", "-o", ws / "no" / "x.rrf"))
    assert code == ExitCode.BAD_INPUT and "does not exist" in err


def test_wrong_passphrases(workspace: Path, run: Run) -> None:
    ws = workspace
    (ws / "wrong").write_text("nope\n")
    code, _, err = run(*seal_args(ws, "--passphrase-file", ws / "rp", "-o", ws / "doc.rrf"))
    assert code == 0
    code, _, err = run("inspect", ws / "doc.rrf", "--passphrase-file", ws / "wrong")
    assert code == ExitCode.CANNOT_UNLOCK and "cannot be opened" in err
    args = seal_args(ws, "--passphrase-file", ws / "rp", "-o", ws / "other.rrf")
    args[args.index(ws / "kp")] = ws / "wrong"
    code, _, err = run(*args)
    assert code == ExitCode.CANNOT_UNLOCK and "key file" in err
    assert not (ws / "other.rrf").exists()


def test_altered_file_is_reported_damaged(workspace: Path, run: Run) -> None:
    ws = workspace
    run(*seal_args(ws, "--passphrase-file", ws / "rp", "-o", ws / "doc.rrf"))
    data = bytearray((ws / "doc.rrf").read_bytes())
    data[200] ^= 0x40
    (ws / "doc.rrf").write_bytes(bytes(data))
    code, out, _ = run("inspect", ws / "doc.rrf")
    assert code == ExitCode.DAMAGED and "INVALID" in out
    code, _, err = run("inspect", ws / "doc.rrf", "--passphrase-file", ws / "rp")
    assert code == ExitCode.DAMAGED
    # A file that begins as a review file but is cut short keeps the one "damaged" message.
    (ws / "cut.rrf").write_bytes((ws / "doc.rrf").read_bytes()[:300])
    code, _, err = run("inspect", ws / "cut.rrf")
    assert code == ExitCode.DAMAGED and "damaged or has been altered" in err


def test_usage_errors(workspace: Path, run: Run) -> None:
    ws = workspace
    code, _, err = run(*seal_args(ws, "-o", ws / "doc.rrf"))
    assert code == ExitCode.USAGE and "one of --passphrase-file" in err
    code, _, err = run(*seal_args(ws, "--passphrase-file", ws / "rp", "--not-after", "soon",
                                  "-o", ws / "doc.rrf"))  # fmt: skip
    assert code == ExitCode.USAGE
    code, _, err = run(*seal_args(ws, "--passphrase-file", ws / "rp", "--workstation", "age1bad",
                                  "-o", ws / "doc.rrf"))  # fmt: skip
    assert code == ExitCode.USAGE
    with pytest.raises(SystemExit) as caught:
        main(["seal"])
    assert caught.value.code == ExitCode.USAGE


def test_trust_list_and_remove(workspace: Path, run: Run) -> None:
    ws = workspace
    code, out, _ = run("trust", "add", (ws / "pub.txt").read_text().strip(), "--name", "Board")
    assert code == 0
    code, out, _ = run("trust", "list")
    assert "Board" in out
    fingerprint_prefix = out.split()[0]
    code, out, _ = run("trust", "remove", fingerprint_prefix)
    assert code == 0 and "No longer trusting Board" in out
    code, out, err = run("trust", "list")
    assert out == "" and "No trusted publishers" in err


def test_seal_with_prepare_pseudonymises_before_sealing(
    workspace: Path, run: Run, rr_home: Path
) -> None:
    ws = workspace
    (ws / "draft.pdf").write_bytes(make_pdf(2, text="Jane Smith visited on page {n}."))
    (ws / "names.csv").write_text("original,label\nJane Smith,Social Worker 1\n")
    args = seal_args(ws, "--passphrase-file", ws / "rp", "-o", ws / "doc.rrf", "--prepare",
                     "--names", ws / "names.csv")  # fmt: skip
    args[1] = ws / "draft.pdf"
    code, _, err = run(*args)
    assert code == 0, err
    assert "Social Worker 1" in err  # the summary of what was replaced
    config = load_config(rr_home)
    opened = open_review(
        (ws / "doc.rrf").read_bytes(),
        UnlockKeys(passphrase=b"reader passphrase"),
        config=config,
        trust=TrustStore.load(config.trust_store),
        now=datetime.now(UTC),
        enforce_policy=False,
    )
    document = pymupdf.open(stream=bytes(opened.pdf), filetype="pdf")
    text = "".join(page.get_text() for page in document)
    assert "Jane Smith" not in text and "Social Worker 1" in text

    code, _, err = run(*seal_args(ws, "--passphrase-file", ws / "rp", "-o", ws / "x.rrf",
                                  "--names", ws / "names.csv"))  # fmt: skip
    assert code == ExitCode.USAGE and "--prepare" in err


def test_the_trust_store_is_world_readable_but_not_writable(workspace: Path, run: Run) -> None:
    code, _, _ = run("trust", "add", (workspace / "pub.txt").read_text().strip())
    assert code == 0
    store = load_config().trust_store
    assert store.stat().st_mode & 0o777 == 0o644


def test_an_unprotected_reader_key_is_an_age_identity_file(
    workspace: Path, run: Run, age_cli: AgeCli
) -> None:
    code, public, _ = run("keys", "new", "--kind", "reader", "--out", workspace / "r.key",
                          "--unprotected")  # fmt: skip
    assert code == 0
    derived = subprocess.run([age_cli.keygen, "-y", workspace / "r.key"], capture_output=True,
                             text=True, check=True)  # fmt: skip
    assert derived.stdout.strip() == public.strip()
