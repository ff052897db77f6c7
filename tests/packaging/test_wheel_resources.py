"""A built wheel carries the style sheet, the icons and the sample's source, and finds them.

The wheel is built from a copy of the package (so the checkout gains no build/ folder) and
installed with ``--no-deps`` into a fresh venv that sees the running venv's packages (PySide6,
PyMuPDF, cryptography) but not the checkout: the child runs from an empty folder, and the running
venv's folders are appended to its path by a ``.pth`` line, which does not run the editable
install's import hook.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest

from tests.packaging.conftest import REPO_ROOT

pytestmark = pytest.mark.slow

CHILD = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QApplication

    import readingroom
    from readingroom.gui.resources import APP_ICON, action_icon, load_icon, load_style_sheet
    from readingroom.sample import build_sample_pdf, load_people

    app = QApplication([])
    style = load_style_sheet("viewer")
    icons = [load_icon(*APP_ICON), action_icon("zoom-in"), action_icon("full-screen")]
    print(json.dumps({
        "package": readingroom.__file__,
        "style_chars": len(style),
        "style_names_curtain": "curtain" in style.lower(),
        "icons_drawn": [not icon.pixmap(QSize(32, 32)).isNull() for icon in icons],
        "missing_icon_null": action_icon("no-such-icon").isNull(),
        "people": len(load_people()),
        "sample_starts": build_sample_pdf()[:5].decode("ascii"),
    }))
    """
)


def _build_wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO_ROOT / name, source / name)
    shutil.copytree(
        REPO_ROOT / "readingroom",
        source / "readingroom",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"),
            *("--no-build-isolation", "--no-index", "--wheel-dir", str(wheels), str(source)),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("readingroom-*.whl")
    return wheel


def _install_into_fresh_venv(wheel: Path, tmp_path: Path) -> Path:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"),
            *("--no-deps", "--no-index", str(wheel)),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.strip()
    # Appended after the venv's own site-packages: the installed wheel wins over the checkout.
    (Path(purelib) / "running_venv.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8"
    )
    return python


@pytest.mark.skipif(sys.platform != "linux", reason="the venv layout used here is Linux's")
def test_an_installed_wheel_loads_its_style_icons_and_sample_source(tmp_path: Path) -> None:
    python = _install_into_fresh_venv(_build_wheel(tmp_path), tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSAFEPATH")
    }
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = subprocess.run(
        [str(python), "-c", CHILD],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])

    assert Path(found["package"]).is_relative_to(tmp_path / "venv")
    assert found["style_chars"] > 100 and found["style_names_curtain"]
    assert found["icons_drawn"] == [True, True, True]
    assert found["missing_icon_null"]
    assert found["people"] > 5
    assert found["sample_starts"] == "%PDF-"
