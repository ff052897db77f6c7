"""The core works with PySide6 absent: the command line and the crypto run without Qt.

Which modules may import Qt is checked statically by the import-linter contracts in
pyproject.toml (`make lint`). This test covers what a static import graph cannot see: the
command modules that ``cli`` loads by name with ``importlib``, and that the core really runs.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import sys

    class BlockQt:
        def find_spec(self, name, path=None, target=None):
            if name == "PySide6" or name.startswith(("PySide6.", "shiboken6")):
                raise ImportError(f"{name} is blocked for this test")
            return None

    sys.meta_path.insert(0, BlockQt())
    from readingroom.cli import COMMAND_MODULES, build_parser
    build_parser()  # imports every command module by name
    assert all(name in sys.modules for name in COMMAND_MODULES)
    from readingroom.age import ScryptIdentity, ScryptRecipient, decrypt, encrypt
    assert bytes(decrypt(encrypt(b"x", [ScryptRecipient(b"p", 10)]), [ScryptIdentity(b"p")])) == b"x"
    assert not any(name.startswith(("PySide6", "shiboken6")) for name in sys.modules)
    print(len(COMMAND_MODULES))
    """
)


def test_the_command_line_builds_and_the_crypto_works_without_pyside6() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 8
