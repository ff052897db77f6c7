"""Shared main() of the atheris harnesses: seed the corpus folder, then hand over to libFuzzer."""

from __future__ import annotations

import hashlib
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import atheris


def run(target: Callable[[bytes], None], seeds: Callable[[], list[bytes]]) -> None:
    """Fuzz ``target``; the first corpus folder on the command line gets the seeds.

    Without a corpus folder a temporary one is used, so even a short run starts from valid
    inputs instead of from nothing.
    """
    argv = list(sys.argv)
    folders = [arg for arg in argv[1:] if not arg.startswith("-")]
    if not folders:
        folder = tempfile.mkdtemp(prefix="rr-fuzz-corpus-")
        argv.append(folder)
        folders = [folder]
    corpus = Path(folders[0])
    corpus.mkdir(parents=True, exist_ok=True)
    for seed in seeds():
        (corpus / f"seed-{hashlib.sha256(seed).hexdigest()[:16]}").write_bytes(seed)
    atheris.Setup(argv, target)
    atheris.Fuzz()
