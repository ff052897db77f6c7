"""The Qt-free reading use case: factors, attempts and their records, secrets zeroed."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from readingroom.age import X25519Identity
from readingroom.config import CONFIG_FILE_NAME, load_config
from readingroom.errors import (
    CannotUnlock,
    DamagedFile,
    FactorNotRenewable,
    KeyFileLocked,
    UnprotectedReaderKey,
)
from readingroom.keys import NewKey, write_key_file
from readingroom.passphrases import PassphraseSource, read_passphrase
from readingroom.review_file import STEP_UNLOCKING, STEP_VERIFYING
from readingroom.secure_memory import page_is_locked, protected_bytearray
from readingroom.viewing.open_session import Cancelled, SessionOpener, ViewRequest
from readingroom.viewing.reader_factor import FactorKind
from tests.audit.helpers import all_records
from tests.factories import PASSPHRASE, seal_fixture

KEY_PASSPHRASE = b"key file passphrase"


def _events(home: Path) -> list[str]:
    config = load_config(home)
    return [
        str(r["event"])
        for r in all_records(config.audit_dir)
        if r["event"] not in {"checkpoint", "log_created"}
    ]


def _write_review(home: Path, tmp_path: Path, **seal: object) -> Path:
    path = tmp_path / "review.rrf"
    path.write_bytes(seal_fixture(home, **seal).data)  # type: ignore[arg-type]
    return path


def _key_file(tmp_path: Path, identity: X25519Identity, passphrase: bytes | None) -> Path:
    path = tmp_path / ("protected.key" if passphrase else "plain.key")
    key = NewKey("reader", identity.to_string(), identity.recipient().to_string())
    write_key_file(path, key, passphrase)
    return path


def _opener(home: Path, request: ViewRequest) -> SessionOpener:
    return SessionOpener(request, load_config(home))


def test_a_passphrase_attempt_is_zeroed_recorded_and_opens(rr_home: Path, tmp_path: Path) -> None:
    opener = _opener(rr_home, ViewRequest(_write_review(rr_home, tmp_path)))
    try:
        assert opener.prepare() is None  # nothing given: the reader is asked
        assert opener.factor.kind is FactorKind.PASSPHRASE and opener.factor.renewable
        wrong = bytearray(b"not it")
        with pytest.raises(CannotUnlock):
            opener.attempt(wrong)
        assert wrong == bytes(len(wrong))  # zeroed, even on failure
        assert _events(rr_home) == ["unlock_failed"]
        steps: list[tuple[str, int, int]] = []
        secret = bytearray(PASSPHRASE)
        opened = opener.attempt(secret, lambda *step: steps.append(step))
        assert secret == bytes(len(secret))
        assert opened.pdf.startswith(b"%PDF")
        assert steps[0][0] == STEP_UNLOCKING
        assert any(step == STEP_VERIFYING and total > 0 for step, _done, total in steps)
        session = opener.start_session(opened)
        watermark = opener.watermark(opened, session)
        assert any(session.session_code in line for line in watermark.tile_lines)
    finally:
        opener.close()
    assert _events(rr_home) == ["unlock_failed", "session_started"]


def test_a_cancelled_attempt_records_nothing_and_keeps_nothing(
    rr_home: Path, tmp_path: Path
) -> None:
    opener = _opener(rr_home, ViewRequest(_write_review(rr_home, tmp_path)))

    def cancel_while_decrypting(step: str, _done: int, _total: int) -> None:
        if step == STEP_VERIFYING:
            raise Cancelled

    try:
        opener.prepare()
        with pytest.raises(Cancelled):
            opener.attempt(bytearray(PASSPHRASE), cancel_while_decrypting)
    finally:
        opener.close()
    assert _events(rr_home) == []


def test_a_bad_signature_wins_over_a_good_key(rr_home: Path, tmp_path: Path) -> None:
    path = _write_review(rr_home, tmp_path)
    data = bytearray(path.read_bytes())
    # A character well inside the base64 signature, swapped for another base64 character.
    data[-20] = ord("B") if data[-20] == ord("A") else ord("A")
    path.write_bytes(bytes(data))
    opener = _opener(rr_home, ViewRequest(path))
    try:
        opener.prepare()
        with pytest.raises(DamagedFile) as caught:
            opener.attempt(bytearray(PASSPHRASE))
    finally:
        opener.close()
    assert caught.value.reason == "damaged file: bad signature"


def test_an_unprotected_reader_key_is_refused_unless_the_workstation_allows_it(
    rr_home: Path, tmp_path: Path
) -> None:
    identity = X25519Identity.generate()
    review = _write_review(rr_home, tmp_path, reader_identity=identity)
    request = ViewRequest(review, identity_file=_key_file(tmp_path, identity, None))
    opener = _opener(rr_home, request)
    with pytest.raises(UnprotectedReaderKey):
        opener.prepare()
    opener.close()

    (rr_home / CONFIG_FILE_NAME).write_text("allow_unprotected_reader_keys = true\n")
    opener = _opener(rr_home, request)
    try:
        secret = opener.prepare()
        assert secret == bytearray()  # nothing to type
        assert opener.factor.kind is FactorKind.UNPROTECTED_KEY_FILE
        assert not opener.factor.renewable
        opened = opener.attempt(bytearray())
        opener.start_session(opened)
        # The PoC of the idle-lock hole: whatever is typed, this factor cannot be proved again.
        for typed in (b"", b"anything", PASSPHRASE):
            with pytest.raises(FactorNotRenewable):
                opener.prove_factor_again(bytearray(typed))
    finally:
        opener.close()


def test_a_protected_key_file_is_asked_for_and_proved_again(rr_home: Path, tmp_path: Path) -> None:
    identity = X25519Identity.generate()
    review = _write_review(rr_home, tmp_path, reader_identity=identity)
    key_file = _key_file(tmp_path, identity, KEY_PASSPHRASE)
    opener = _opener(rr_home, ViewRequest(review, identity_file=key_file))
    try:
        assert opener.prepare() is None
        assert opener.factor.kind is FactorKind.PROTECTED_KEY_FILE
        with pytest.raises(KeyFileLocked):
            opener.attempt(bytearray(b"wrong"))
        opener.start_session(opener.attempt(bytearray(KEY_PASSPHRASE)))
        opener.prove_factor_again(bytearray(KEY_PASSPHRASE))
        with pytest.raises(CannotUnlock):
            opener.prove_factor_again(bytearray(b"wrong"))
    finally:
        opener.close()
    assert _events(rr_home) == ["unlock_failed", "session_started"]


def test_passphrase_env_is_removed_from_the_environment_once_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RR_TEST_SECRET", "env secret\n")
    secret = read_passphrase(PassphraseSource(env="RR_TEST_SECRET"))
    assert secret == bytearray(b"env secret")
    assert "RR_TEST_SECRET" not in os.environ
    # The C environment too: a child started now inherits nothing.
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.environ.get('RR_TEST_SECRET'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert child.stdout.strip() == "None"


def test_passphrase_env_is_gone_from_proc_environ_too() -> None:
    """What root (or the same user, were the viewer dumpable) reads in /proc/<pid>/environ."""
    script = (
        "import sys\n"
        "from readingroom.passphrases import PassphraseSource, read_passphrase\n"
        "secret = read_passphrase(PassphraseSource(env='RR_VIEW_SECRET'))\n"
        "sys.stdout.write('read\\n'); sys.stdout.flush(); sys.stdin.readline()\n"
    )
    env = {**os.environ, "RR_VIEW_SECRET": "correct horse battery", "RR_NEIGHBOUR": "kept"}
    child = subprocess.Popen(
        [sys.executable, "-c", script],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "read\n"
        seen = Path(f"/proc/{child.pid}/environ").read_bytes()
    finally:
        child.communicate("done\n")
    assert b"correct horse" not in seen
    assert b"RR_NEIGHBOUR=kept\0" in seen  # the rest of the block is untouched


def test_passphrase_fd_is_read_into_a_buffer_without_the_line_end() -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b"from a pipe\r\nsecond line\n")
    os.close(write_end)
    try:
        assert read_passphrase(PassphraseSource(fd=read_end)) == bytearray(b"from a pipe")
    finally:
        os.close(read_end)


@pytest.mark.skipif(sys.platform != "linux", reason="mlock/madvise and /proc are Linux's")
def test_the_plaintext_buffer_is_kept_out_of_core_dumps_and_locked_where_allowed() -> None:
    size = 8 * 1024 * 1024
    buffer = protected_bytearray(size)
    start = buffer_address(buffer)
    flags = _vm_flags_of(start)
    assert "dd" in flags  # MADV_DONTDUMP took effect on the buffer's mapping
    soft, _hard = resource.getrlimit(resource.RLIMIT_MEMLOCK)
    if soft == resource.RLIM_INFINITY or soft >= 2 * size:
        assert page_is_locked(buffer)


def buffer_address(buffer: bytearray) -> int:
    import ctypes  # noqa: PLC0415

    return ctypes.addressof((ctypes.c_char * len(buffer)).from_buffer(buffer))


def _vm_flags_of(address: int) -> set[str]:
    inside = False
    for line in Path("/proc/self/smaps").read_text(errors="replace").splitlines():
        head = line.split(" ", 1)[0]
        if "-" in head and ":" not in head:
            low, high = (int(part, 16) for part in head.split("-"))
            inside = low <= address < high
        elif inside and line.startswith("VmFlags:"):
            return set(line.split()[1:])
    return set()
