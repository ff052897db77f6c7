"""Interoperability with the reference ``age`` CLI (Debian's package), in both directions.

age 1.1 reads passphrases only from a terminal: it tries ``/dev/tty`` and then standard input
if that is a terminal (there is no environment variable or batch mode). So the scrypt tests run
``age`` in a new session (no controlling terminal, so ``/dev/tty`` cannot be opened) with a
pseudo-terminal as standard input, and type the passphrase when the prompt appears.
"""

from __future__ import annotations

import os
import select
import subprocess
from pathlib import Path

import pytest

from readingroom.age import (
    ScryptIdentity,
    ScryptRecipient,
    X25519Identity,
    X25519Recipient,
    decrypt,
    encrypt,
    parse_identity_file,
)
from tests.conftest import AgeCli

PROMPT_WAIT_SECONDS = 120  # generous: this is a hang guard, not a timing assertion
PASSPHRASE = "correct horse battery staple"
SIZES = [0, 1, 65536, 200_000]


def _payload(size: int) -> bytes:
    return os.urandom(size)


def _run(args: list[str | Path]) -> subprocess.CompletedProcess[bytes]:
    result = subprocess.run(args, capture_output=True, timeout=PROMPT_WAIT_SECONDS, check=False)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result


def _run_with_passphrase(args: list[str | Path], passphrase: str) -> None:
    """Run ``args`` with a pseudo-terminal as stdin, answering every passphrase prompt."""
    master, slave = os.openpty()
    try:
        process = subprocess.Popen(
            args,
            stdin=slave,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    finally:
        os.close(slave)
    seen = b""
    answered = 0
    try:
        while True:
            ready, _, _ = select.select([master], [], [], PROMPT_WAIT_SECONDS)
            if not ready:
                raise AssertionError(f"age did not prompt; terminal output so far: {seen!r}")
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: age exited and closed the terminal
                break
            if not data:
                break
            seen += data
            # Answer each new prompt once ("Enter passphrase...", then "Confirm passphrase").
            while seen.lower().count(b"passphrase") > answered:
                os.write(master, passphrase.encode() + b"\n")
                answered += 1
        _, stderr = process.communicate(timeout=PROMPT_WAIT_SECONDS)
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, stderr.decode(errors="replace")
    assert answered >= 1


def _identity_file(path: Path, identity: X25519Identity) -> Path:
    path.write_text(
        f"# public key: {identity.recipient().to_string()}\n{identity.to_string()}\n",
        encoding="ascii",
    )
    return path


@pytest.mark.parametrize("size", SIZES)
def test_age_decrypts_our_x25519_file(age_cli: AgeCli, tmp_path: Path, size: int) -> None:
    identity = X25519Identity.generate()
    plaintext = _payload(size)
    sealed = tmp_path / "file.age"
    sealed.write_bytes(encrypt(plaintext, [identity.recipient()]))
    keys = _identity_file(tmp_path / "key.txt", identity)
    # To stdout: age creates an -o file only once it has a byte to write, so not for size 0.
    assert _run([age_cli.age, "-d", "-i", keys, sealed]).stdout == plaintext


@pytest.mark.parametrize("size", SIZES)
def test_we_decrypt_age_x25519_file(age_cli: AgeCli, tmp_path: Path, size: int) -> None:
    keys = tmp_path / "key.txt"
    _run([age_cli.keygen, "-o", keys])
    identities = parse_identity_file(keys.read_text(encoding="ascii"))
    recipient = identities[0].recipient().to_string()
    plaintext = tmp_path / "plain"
    plaintext.write_bytes(_payload(size))
    sealed = tmp_path / "file.age"
    _run([age_cli.age, "-r", recipient, "-o", sealed, plaintext])
    assert decrypt(sealed.read_bytes(), identities) == plaintext.read_bytes()


def test_several_recipients_both_ways(age_cli: AgeCli, tmp_path: Path) -> None:
    ours = X25519Identity.generate()
    other = X25519Identity.generate()
    plaintext = _payload(100_000)
    sealed = tmp_path / "ours.age"
    sealed.write_bytes(encrypt(plaintext, [other.recipient(), ours.recipient()]))
    out = tmp_path / "out"
    _run([age_cli.age, "-d", "-i", _identity_file(tmp_path / "k", ours), "-o", out, sealed])
    assert out.read_bytes() == plaintext

    source = tmp_path / "plain"
    source.write_bytes(plaintext)
    theirs = tmp_path / "theirs.age"
    recipients = [other.recipient().to_string(), ours.recipient().to_string()]
    _run([age_cli.age, "-r", recipients[0], "-r", recipients[1], "-o", theirs, source])
    assert decrypt(theirs.read_bytes(), [ours]) == plaintext


def test_age_keygen_derives_our_recipient(age_cli: AgeCli, tmp_path: Path) -> None:
    identity = X25519Identity.generate()
    keys = _identity_file(tmp_path / "key.txt", identity)
    printed = _run([age_cli.keygen, "-y", keys]).stdout.decode("ascii").strip()
    assert printed == identity.recipient().to_string()
    assert X25519Recipient.from_string(printed) == identity.recipient()


def test_age_decrypts_our_scrypt_file(age_cli: AgeCli, tmp_path: Path) -> None:
    plaintext = _payload(70_000)
    sealed = tmp_path / "file.age"
    sealed.write_bytes(encrypt(plaintext, [ScryptRecipient(PASSPHRASE.encode(), log_n=12)]))
    out = tmp_path / "out"
    _run_with_passphrase([age_cli.age, "-d", "-o", out, sealed], PASSPHRASE)
    assert out.read_bytes() == plaintext


def test_we_decrypt_age_scrypt_file(age_cli: AgeCli, tmp_path: Path) -> None:
    source = tmp_path / "plain"
    source.write_bytes(_payload(70_000))
    sealed = tmp_path / "file.age"
    _run_with_passphrase([age_cli.age, "-p", "-o", sealed, source], PASSPHRASE)
    # age's default work factor is 18; ours accepts up to 22 by default.
    plaintext = decrypt(sealed.read_bytes(), [ScryptIdentity(PASSPHRASE.encode())])
    assert plaintext == source.read_bytes()
