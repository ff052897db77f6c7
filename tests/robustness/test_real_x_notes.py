"""The Notes tab in a real X session: typing works; the clipboard and selections carry nothing.

Needs Xvfb, xdotool and xclip (see test_real_x.py); skipped without them unless
READINGROOM_REQUIRE_XSERVER=1 (CI), which turns the skip into a failure.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from readingroom.age import X25519Identity
from readingroom.config import load_config
from readingroom.notes.notes_file import open_notes
from tests.audit.helpers import all_records
from tests.factories import PASSPHRASE, seal_fixture
from tests.notes.helpers import notes_policy
from tests.robustness.conftest import IsolatedEnv
from tests.robustness.disk_scan import search_tree
from tests.robustness.test_nothing_on_disk import canary_pdf
from tests.robustness.xserver import Display, skip_unless_x_tools, xvfb

pytestmark = pytest.mark.xserver
TYPED = "zebra notes typed in the room"
OUTSIDE = "pasted-from-outside-the-room"
PRIMARY_OUTSIDE = "primary-from-outside-the-room"


@pytest.fixture
def display() -> Iterator[Display]:
    skip_unless_x_tools()
    with xvfb() as running:
        yield running


def _blocked(audit_dir: Path, wanted: set[str], seconds: float = 20.0) -> list[str]:
    deadline = time.monotonic() + seconds
    while True:
        records = all_records(audit_dir)
        actions = [
            str(r["details"]["action"])  # type: ignore[index]
            for r in records
            if r["event"] == "notes_blocked"
        ]
        if wanted <= set(actions) or time.monotonic() > deadline:
            return actions
        time.sleep(0.2)


def test_notes_take_typing_but_nothing_crosses_the_clipboard_or_the_selection(
    display: Display, isolated_env: IsolatedEnv, tmp_path: Path, qapp: object
) -> None:
    custodian = X25519Identity.generate()
    sealed = seal_fixture(
        isolated_env.rr_home,
        pdf=canary_pdf(),
        title="Case review",
        policy=notes_policy(custodian),
        notes_key=X25519Identity.generate().to_string(),
    )
    review = isolated_env.work / "review.rrf"
    review.write_bytes(sealed.data)
    passphrase = isolated_env.inputs / "passphrase"
    passphrase.write_bytes(PASSPHRASE + b"\n")
    display.set_selection("clipboard", OUTSIDE)
    display.set_selection("primary", PRIMARY_OUTSIDE)
    env = {**isolated_env.env, **display.env(), "QT_QPA_PLATFORM": "xcb"}
    log = (tmp_path / "viewer.log").open("wb")
    viewer = subprocess.Popen(
        [sys.executable, "-m", "readingroom", "view", str(review), "--passphrase-file",
         str(passphrase)],
        cwd=isolated_env.work, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    config = load_config(isolated_env.rr_home)
    try:
        notice = display.find_window("Before you read")
        display.run("xdotool", "windowfocus", "--sync", notice)
        display.run("xdotool", "key", "Return")
        window = display.find_window("Case review")
        display.run("xdotool", "windowfocus", "--sync", window)
        time.sleep(1.0)
        display.run("xdotool", "key", "--clearmodifiers", "ctrl+shift+n")
        display.run("xdotool", "type", "--delay", "20", TYPED)
        # In: Ctrl+V and Shift+Insert (the middle button reaches the same insertFromMimeData).
        display.run("xdotool", "key", "--clearmodifiers", "ctrl+v")
        display.run("xdotool", "key", "--clearmodifiers", "shift+Insert")
        # Out: select everything typed (allowed: it is the reader's), then copy and cut.
        display.run("xdotool", "key", "--clearmodifiers", "ctrl+a")
        display.run("xdotool", "key", "--clearmodifiers", "ctrl+c")
        display.run("xdotool", "key", "--clearmodifiers", "ctrl+x")
        actions = _blocked(config.audit_dir, {"paste", "copy", "cut"})
        assert {"paste", "copy", "cut"} <= set(actions), actions
        assert TYPED not in display.selection("clipboard")
        assert TYPED not in display.selection("primary")
        assert display.selection("clipboard") == OUTSIDE

        # Ctrl+W asks first, then shows the summary; each answered with Enter.
        display.end_session_with_ctrl_w(window)
        assert viewer.wait(30) == 0
    finally:
        if viewer.poll() is None:
            viewer.kill()
            viewer.wait()
        log.close()
    names = [r["event"] for r in all_records(config.audit_dir)]
    assert names.index("notes_saved") < names.index("session_ended")
    assert config.notes_dir is not None
    (notes,) = config.notes_dir.iterdir()
    assert TYPED.encode() not in notes.read_bytes()
    text = open_notes(notes.read_bytes(), [custodian]).text
    assert text == f"p. 1 \u2014 {TYPED}"
    assert OUTSIDE not in text and PRIMARY_OUTSIDE not in text
    # Nowhere else either: every file the viewer could write to (home, temp, XDG, work).
    files, hits = search_tree([isolated_env.root], {"notes": TYPED}, {})
    assert notes in files and hits == []
