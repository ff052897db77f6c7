"""The core must import and work with PySide6 absent: only readingroom/gui/ may use Qt."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import importlib, pkgutil, sys

    class BlockQt:
        def find_spec(self, name, path=None, target=None):
            if name == "PySide6" or name.startswith(("PySide6.", "shiboken6")):
                raise ImportError(f"{name} is blocked for this test")
            return None

    sys.meta_path.insert(0, BlockQt())
    import readingroom
    imported = []
    for module in pkgutil.walk_packages(readingroom.__path__, "readingroom."):
        if module.name.startswith("readingroom.gui") or module.name.endswith("__main__"):
            continue
        importlib.import_module(module.name)
        imported.append(module.name)

    # And it works: the CLI parser builds and a review file round-trips.
    from readingroom.cli import build_parser
    build_parser()
    from readingroom.age import ScryptIdentity, ScryptRecipient, decrypt, encrypt
    assert bytes(decrypt(encrypt(b"x", [ScryptRecipient(b"p", 10)]), [ScryptIdentity(b"p")])) == b"x"
    assert not any(name.startswith("PySide6") for name in sys.modules)
    print(len(imported))
    """
)


def test_core_modules_import_and_work_without_pyside6() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 10
