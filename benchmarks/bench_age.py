"""Benchmark: our age encryption/decryption against the reference ``age`` CLI.

Generates 100 MB of random data and an X25519 identity, then times (best of N runs):

- ours: ``encrypt`` and ``decrypt`` in memory, and decrypt including reading the file;
- age: ``age -e -r`` and ``age -d -i`` as subprocesses on files in a temporary folder;

and prints the figures and the ratio ours/age (the goal for decryption is at most 1.5).
scrypt is timed separately at log_n 18 (age's default): one wrap and one unwrap of ours.

Run: ``.venv/bin/python benchmarks/bench_age.py [--size-mb 100] [--runs 3]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# Run from a checkout without installing: the repository root goes first on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from readingroom.age import (
    ScryptIdentity,
    ScryptRecipient,
    X25519Identity,
    decrypt,
    encrypt,
)


def best_of(runs: int, action: Callable[[], object]) -> float:
    """The shortest wall-clock time of ``runs`` calls (least disturbed by other load)."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def run(args: list[str | Path]) -> None:
    subprocess.run(args, check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()

    size = options.size_mb * 1_000_000
    plaintext = os.urandom(size)
    identity = X25519Identity.generate()
    recipient = identity.recipient()
    print(f"payload: {size / 1e6:.0f} MB, best of {options.runs} runs")

    ours_enc = best_of(options.runs, lambda: encrypt(plaintext, [recipient]))
    sealed = encrypt(plaintext, [recipient])
    ours_dec = best_of(options.runs, lambda: decrypt(sealed, [identity]))
    assert decrypt(sealed, [identity]) == plaintext
    print(f"ours  encrypt (memory)       {ours_enc:7.3f} s  {size / ours_enc / 1e6:7.0f} MB/s")
    print(f"ours  decrypt (memory)       {ours_dec:7.3f} s  {size / ours_dec / 1e6:7.0f} MB/s")

    age = shutil.which("age")
    with tempfile.TemporaryDirectory(prefix="bench-age-") as folder:
        tmp = Path(folder)
        sealed_file = tmp / "ours.age"
        sealed_file.write_bytes(sealed)
        ours_file_dec = best_of(options.runs, lambda: decrypt(sealed_file.read_bytes(), [identity]))
        print(f"ours  decrypt (file->memory) {ours_file_dec:7.3f} s")
        if age is None:
            print("age CLI not found: no baseline, no ratio")
        else:
            source = tmp / "plain"
            source.write_bytes(plaintext)
            keys = tmp / "key.txt"
            keys.write_text(identity.to_string() + "\n", encoding="ascii")
            their_file = tmp / "theirs.age"
            out = tmp / "out"
            age_enc = best_of(
                options.runs,
                lambda: run([age, "-e", "-r", recipient.to_string(), "-o", their_file, source]),
            )
            age_dec = best_of(
                options.runs,
                lambda: run([age, "-d", "-i", keys, "-o", out, sealed_file]),
            )
            out.unlink()
            print(f"age   encrypt (file->file)   {age_enc:7.3f} s")
            print(f"age   decrypt (file->file)   {age_dec:7.3f} s")
            print(f"ratio encrypt ours/age       {ours_enc / age_enc:7.2f}")
            print(f"ratio decrypt ours/age       {ours_dec / age_dec:7.2f}  (goal <= 1.5)")
            print(f"ratio decrypt incl. reading  {ours_file_dec / age_dec:7.2f}")

    passphrase = b"benchmark passphrase"
    start = time.perf_counter()
    small = encrypt(b"x", [ScryptRecipient(passphrase, log_n=18)])
    scrypt_wrap = time.perf_counter() - start
    start = time.perf_counter()
    decrypt(small, [ScryptIdentity(passphrase)])
    scrypt_unwrap = time.perf_counter() - start
    print(f"scrypt log_n=18 wrap {scrypt_wrap:.3f} s, unwrap {scrypt_unwrap:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
