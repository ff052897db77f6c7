"""``make demo``: the whole ReadingRoom journey on the bundled fictional Serious Case Review.

Runs the real command line, printing each command before it runs, so the demo doubles as a
walk-through:

1. a workstation home folder (``demo/home``, used as ``READINGROOM_HOME``), its configuration
   and its key; a publisher key, trusted by the workstation;
2. the sample review built as an agency's *draft*, with (fictional) personal names;
3. ``prepare``: sanitised and pseudonymised with ``readingroom/resources/sample/names.csv`` — the
   publishable anonymised copy, and its review sheet for sign-off (``demo/review-sheet.html``);
4. ``seal``: the prepared copy sealed for one demo reader, on this workstation only;
5. ``inspect``: what the file shows without and with the reader's passphrase;
6. ``view``: the reading room viewer, when there is a display to show it on.

Everything is written under ``demo/`` (recreated on each run). The passphrases are demo values
written to files there; a real deployment never keeps them beside the files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo"
HOME = DEMO / "home"
READER = "Alex Morgan <alex.morgan@example.gov.uk>"
READER_ORG = "Department for Education"
READER_PASSPHRASE = "amber-harbor-quill-meadow-lantern-otter"  # noqa: S105 - demo only
PUBLISHER_PASSPHRASE = "demo publisher key passphrase"  # noqa: S105 - demo only


def readingroom(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``readingroom ARGS`` with the demo home, echoing the command."""
    shown = " ".join(str(arg).replace(str(ROOT) + os.sep, "") for arg in args)
    print(f"\n$ readingroom {shown}", flush=True)
    command = [sys.executable, "-m", "readingroom", *map(str, args)]
    result = subprocess.run(command, env=_env(), text=True, stdout=subprocess.PIPE, check=False)
    print(result.stdout, end="", flush=True)
    if check and result.returncode != 0:
        raise SystemExit(f"demo: the command above failed with exit code {result.returncode}")
    return result


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["READINGROOM_HOME"] = str(HOME)
    return env


def has_display() -> bool:
    """True when a window can be shown (X11, Wayland, macOS or Windows)."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main() -> int:
    """Run the demo; return the exit code."""
    if DEMO.exists():
        shutil.rmtree(DEMO)
    HOME.mkdir(parents=True)
    (DEMO / "publisher-passphrase.txt").write_text(PUBLISHER_PASSPHRASE + "\n")
    (DEMO / "reader-passphrase.txt").write_text(READER_PASSPHRASE + "\n")
    (HOME / "workstation.toml").write_text(
        'workstation_name = "Demo reading room"\nidle_minutes_max = 15\n', encoding="utf-8"
    )

    print("== 1. Keys: a workstation key, a publisher key, and trust between them")
    workstation = readingroom(
        "keys", "new", "--kind", "workstation", "--out", HOME / "workstation.key", "--unprotected"
    ).stdout.strip()
    publisher_public = readingroom(
        "keys", "new", "--kind", "publisher", "--out", DEMO / "publisher.key",
        "--key-passphrase-file", DEMO / "publisher-passphrase.txt",
    ).stdout.strip()  # fmt: skip
    readingroom(
        "trust", "add", publisher_public, "--name", "Westmoor Safeguarding Children Partnership"
    )

    print("\n== 2. The agency's draft (fictional names), built from readingroom/resources/sample/")
    print("$ python -m readingroom.sample --draft -o demo/draft.pdf", flush=True)
    subprocess.run(
        [sys.executable, "-m", "readingroom.sample", "--draft", "-o", str(DEMO / "draft.pdf")],
        check=True,
    )

    print("\n== 3. Prepare: sanitise and pseudonymise -> the publishable anonymised copy")
    readingroom(
        "prepare", DEMO / "draft.pdf", "-o", DEMO / "published-anonymised.pdf",
        "--names", ROOT / "readingroom" / "resources" / "sample" / "names.csv",
        "--report", DEMO / "prepare-report.json",
        "--review-sheet", DEMO / "review-sheet.html",
    )  # fmt: skip

    print("\n== 4. Seal the prepared review for one reader, on this workstation only")
    review = DEMO / "westmoor-scr-child-a.rrf"
    readingroom(
        "seal", DEMO / "published-anonymised.pdf",
        "--publisher-key", DEMO / "publisher.key",
        "--key-passphrase-file", DEMO / "publisher-passphrase.txt",
        "--reader", READER, "--org", READER_ORG,
        "--passphrase-file", DEMO / "reader-passphrase.txt",
        "--workstation", workstation,
        "--title", "Serious Case Review: Child A (FICTIONAL)",
        "--publisher-name", "Westmoor Safeguarding Children Partnership",
        "-o", review,
    )  # fmt: skip

    print("\n== 5. Inspect: without a key, then with the reader's passphrase")
    readingroom("inspect", review)
    readingroom("inspect", review, "--passphrase-file", DEMO / "reader-passphrase.txt")

    print("\n== 6. Read it in the reading room")
    if not has_display():
        print(
            "No display here, so the viewer is not started. On a desktop, run:\n"
            f"  READINGROOM_HOME=demo/home .venv/bin/readingroom view {review.relative_to(ROOT)}\n"
            f"and unlock with the demo passphrase: {READER_PASSPHRASE}"
        )
        return 0
    print(f"The reader's passphrase is: {READER_PASSPHRASE}")
    readingroom("view", review, check=False)
    print("\n== 7. The audit trail of that session")
    readingroom("audit", "verify", check=False)
    readingroom("audit", "report", check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
