"""Benchmark: opening a 100 MB review file against the age CLI decrypting the same body.

In one run, on a generated ~100 MB PDF sealed for one reader (X25519 reader key, so the age CLI
can open the same body without a terminal), times (best of N):

- ``inspect`` without keys: parse + signature check;
- the full unlock the viewer does: read the file, then the publisher signature (SHA-256 over
  the file) checked on a second thread *while* the body is decrypted into one preallocated
  buffer, then the manifest (``open_review``);
- the same steps one after the other (signature, then decryption), the previous design;
- ``age -d -i reader.key`` of the same age body (extracted to a file), output to /dev/null;

and prints the ratios ours/age (goals: decryption <= 1.5, full unlock <= 1.0). The scrypt step
of a passphrase-sealed file is timed separately (a deliberate cost, the same in both tools).
On a loaded machine the parallel step gains less: compare ratios from one run only.

Run: ``.venv/bin/python benchmarks/bench_review_file.py [--size-mb 100] [--runs 3]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pymupdf

from benchmarks.bench_age import best_of
from readingroom.age import ScryptIdentity, ScryptRecipient, X25519Identity, decrypt, encrypt
from readingroom.config import load_config
from readingroom.keys import PublisherKey
from readingroom.manifest import Manifest
from readingroom.policy import Policy, ReaderIdentity
from readingroom.review_file import (
    SEAL_SCRYPT_LOG_N,
    UnlockKeys,
    open_review,
    read_public_info,
    seal_review,
)
from readingroom.trust import TrustStore


def make_big_pdf(size_mb: int) -> bytes:
    """A PDF of about ``size_mb`` MB: pages each holding an incompressible 3 MB image."""
    document = pymupdf.open()
    per_image = 1000 * 1000 * 3
    for _ in range(max(1, size_mb * 1_000_000 // per_image)):
        pixmap = pymupdf.Pixmap(pymupdf.csRGB, 1000, 1000, os.urandom(per_image), 0)
        page = document.new_page()
        page.insert_image(page.rect, pixmap=pixmap)
    data: bytes = document.tobytes()
    document.close()
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    age = shutil.which("age")

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        os.environ["READINGROOM_HOME"] = str(work)
        config = load_config(work)
        trust = TrustStore.load(config.trust_store)
        publisher = PublisherKey.generate()
        trust.add(publisher.public_key(), "bench")
        reader = X25519Identity.generate()
        (work / "reader.key").write_text(reader.to_string() + "\n")

        pdf = make_big_pdf(options.size_mb)
        manifest = Manifest.new(
            title="bench", classification="OFFICIAL", publisher_name="bench", pdf=pdf,
            page_count=1, policy=Policy(reader=ReaderIdentity("R", "r")),
        )  # fmt: skip
        sealed = seal_review(pdf, manifest, publisher, reader.recipient())
        del pdf
        review = work / "big.rrf"
        review.write_bytes(sealed)
        header_end = sealed.index(b"\n\n") + 2
        (work / "body.age").write_bytes(sealed[header_end:-100])
        print(f"review file: {len(sealed) / 1e6:.1f} MB")

        now = datetime.now(UTC)
        inspect_time = best_of(options.runs, lambda: read_public_info(review.read_bytes(), trust))

        def unlock() -> None:
            opened = open_review(
                review.read_bytes(), UnlockKeys(identities=[reader]),
                config=config, trust=trust, now=now,
            )  # fmt: skip
            assert len(opened.pdf) == manifest.pdf_size

        def sequential_unlock() -> None:
            data = review.read_bytes()
            assert read_public_info(data, trust).signature_valid
            header = data.index(b"\n\n") + 2
            plaintext = decrypt(memoryview(data)[header:-100], [reader])
            assert len(plaintext) > manifest.pdf_size

        body = memoryview(sealed)[header_end:-100]
        decrypt_only = best_of(options.runs, lambda: decrypt(body, [reader]))
        ours = best_of(options.runs, unlock)
        sequential = best_of(options.runs, sequential_unlock)
        print(f"inspect (parse + signature):       {inspect_time:7.3f} s")
        print(f"decrypt the age body only (ours):  {decrypt_only:7.3f} s")
        print(f"full unlock, verify || decrypt:    {ours:7.3f} s")
        print(f"full unlock, verify then decrypt:  {sequential:7.3f} s")
        if age:

            def age_decrypt() -> None:
                with open(os.devnull, "wb") as sink:
                    command = [age, "-d", "-i", str(work / "reader.key"), str(work / "body.age")]
                    subprocess.run(command, stdout=sink, check=True)

            reference = best_of(options.runs, age_decrypt)
            print(f"age -d of the same body (CLI):     {reference:7.3f} s")
            print(
                f"ratio decrypt ours/age:            {decrypt_only / reference:7.2f} (goal <= 1.5)"
            )
            print(
                f"ratio full unlock ours/age:        {ours / reference:7.2f} (goal <= 1.0; "
                "read + verify + decrypt against age's decrypt alone)"
            )
            print(f"ratio sequential unlock/age:       {sequential / reference:7.2f}")
        else:
            print("age CLI not found: install Debian's 'age' for the ratio")

        scrypt_file = encrypt(b"x", [ScryptRecipient(b"passphrase", SEAL_SCRYPT_LOG_N)])
        scrypt_time = best_of(1, lambda: decrypt(scrypt_file, [ScryptIdentity(b"passphrase")]))
        print(f"scrypt unwrap at 2^{SEAL_SCRYPT_LOG_N} (separate):    {scrypt_time:7.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
