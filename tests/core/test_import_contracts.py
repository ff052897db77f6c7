"""The import-linter contracts in pyproject.toml hold, and each one breaks on the import it forbids.

`make lint` runs ``lint-imports`` on the checkout. Here each contract is shown to bite: one
forbidden import is written into a copy of the package and ``lint-imports`` must report that
contract broken, so a contract that silently matches nothing cannot pass for a check.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# (file to append to, the line appended, the start of the contract's name that must break)
VIOLATIONS = [
    (
        "keys.py",
        "import PySide6.QtCore",
        "The core (everything but readingroom.gui) never imports Qt",
    ),
    ("review_file.py", "import readingroom.gui.kiosk", "The core never imports the GUI"),
    (
        "brand_new.py",
        '"""A module nobody declared as a layer."""',
        "The core never imports the GUI",
    ),
    ("viewing/page_layout.py", "import readingroom.gui.resources", "The reading use case"),
    ("gui/kiosk_guard.py", "import readingroom.cli", "The GUI never imports the command line"),
    ("gui/reader/page_view.py", "import readingroom.gui.reader.document_reader", "The reader's"),
    ("display_text.py", "import readingroom.review_folder", "No import cycle anywhere"),
]


def _lint_copy(tmp_path: Path, relative: str | None = None, line: str = "") -> dict[str, str]:
    """Run lint-imports on a copy of the package (with ``line`` added) -> contract: KEPT/BROKEN."""
    shutil.copytree(
        REPO / "readingroom",
        tmp_path / "readingroom",
        ignore=shutil.ignore_patterns("__pycache__", "resources"),
    )
    shutil.copy2(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "readingroom" / "resources").mkdir()
    (tmp_path / "readingroom" / "resources" / "__init__.py").write_text('"""Data."""\n')
    if relative is not None:
        target = tmp_path / "readingroom" / relative
        with target.open("a", encoding="utf-8") as handle:
            handle.write(f"\n{line}  # noqa\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    verdicts: dict[str, str] = {}
    for text in result.stdout.splitlines():
        for verdict in ("KEPT", "BROKEN"):
            if f" {verdict}" in text:
                verdicts[text.split(f" {verdict}")[0]] = verdict
    assert verdicts, result.stdout + result.stderr
    return verdicts


def test_every_contract_is_kept_by_the_package_as_it_is(tmp_path: Path) -> None:
    verdicts = _lint_copy(tmp_path)
    assert len(verdicts) == 6
    assert set(verdicts.values()) == {"KEPT"}, verdicts


@pytest.mark.slow  # about 2 s each: a copy of the package and a full import-graph build
@pytest.mark.parametrize(("relative", "line", "contract"), VIOLATIONS)
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, relative: str, line: str, contract: str
) -> None:
    verdicts = _lint_copy(tmp_path, relative, line)
    broken = [name for name, verdict in verdicts.items() if verdict == "BROKEN"]
    assert any(name.startswith(contract) for name in broken), verdicts
