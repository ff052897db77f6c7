"""The renderer is contained (Linux): no new privileges, seccomp, no environment, no stdio.

The checks ask the kernel (``/proc``), not the renderer. ``sandbox_probe.py`` confines a fresh
process with the renderer's own :func:`readingroom.viewing.sandbox.confine` and tries what a
renderer taken over by a hostile PDF would try; CI runs as root, so the probe and a real
renderer also run as an unprivileged user (``setpriv``), where ``no_new_privs`` is what lets
the filter load at all. CI sets ``READINGROOM_REQUIRE_SANDBOX=1``: there these tests fail rather
than skip when the sandbox is unavailable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from readingroom.viewing.renderer_client import RendererClient, RendererUnconfined
from tests.gui.sample_pdf import build_test_pdf

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PROBE = HERE / "sandbox_probe.py"
REQUIRE_SANDBOX = "READINGROOM_REQUIRE_SANDBOX"
NOBODY = ["--reuid=65534", "--regid=65534", "--clear-groups"]
DENIED = [
    "open_existing_file",
    "open_for_writing",
    "socket_inet",
    "socket_unix",
    "execve",
    "fork",
    "write_stdout",
    "kill_parent",
    "ptrace_via_proc",
]


def _require(condition: bool, message: str) -> None:
    if condition:
        return
    if os.environ.get(REQUIRE_SANDBOX) == "1":
        pytest.fail(f"{message}, and {REQUIRE_SANDBOX}=1 requires it")
    pytest.skip(message)


@pytest.fixture
def linux_sandbox() -> None:
    _require(sys.platform.startswith("linux"), "the sandbox is Linux-only")
    try:
        import pyseccomp  # noqa: F401, PLC0415
    except (ImportError, RuntimeError) as error:
        _require(False, f"libseccomp is unavailable ({error})")


@pytest.fixture
def as_nobody(linux_sandbox: None) -> list[str]:
    setpriv = shutil.which("setpriv")
    _require(setpriv is not None, "setpriv (util-linux) is not installed")
    _require(os.geteuid() == 0, "switching to an unprivileged user needs root")
    assert setpriv is not None
    return [setpriv, *NOBODY, "--"]


def _probe(prefix: list[str]) -> dict[str, str]:
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [*prefix, sys.executable, "-I", str(PROBE), str(write_end)],
        pass_fds=(write_end,),
        env={},
        cwd="/",
    )
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        output = reader.read().decode()
    assert process.wait(60) == 0
    results = {}
    for line in output.splitlines():
        name, verdict = line.split(" ", 1)
        results[name] = verdict
    return results


def _status(pid: int) -> dict[str, str]:
    text = Path(f"/proc/{pid}/status").read_text()
    return {k: v.strip() for k, v in (line.split(":", 1) for line in text.splitlines())}


def test_a_confined_process_cannot_open_files_sockets_or_programs(linux_sandbox: None) -> None:
    results = _probe([])
    assert sorted(results) == sorted(DENIED)
    assert all(verdict == "denied EPERM" for verdict in results.values()), results


def test_the_sandbox_holds_for_an_unprivileged_user(as_nobody: list[str]) -> None:
    results = _probe(as_nobody)
    assert sorted(results) == sorted(DENIED)
    assert all(verdict == "denied EPERM" for verdict in results.values()), results


def test_the_real_renderer_is_confined_with_nothing_inherited(
    linux_sandbox: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What --passphrase-env leaves in the viewer's environment must not reach the renderer.
    monkeypatch.setenv("READINGROOM_PASSPHRASE", "correct horse battery staple")
    client = RendererClient(
        build_test_pdf(), hang_seconds=30.0, open_seconds=60.0, should_stop=lambda: False
    )
    try:
        info = client.start()
        assert len(info.page_sizes) > 1
        pid = client.pid
        assert pid is not None
        status = _status(pid)
        assert status["NoNewPrivs"] == "1"
        assert status["Seccomp"] == "2"
        assert client.confined
        assert Path(f"/proc/{pid}/environ").read_bytes() == b""
        for fd in (0, 1, 2):
            assert os.readlink(f"/proc/{pid}/fd/{fd}") == "/dev/null"
        limits = Path(f"/proc/{pid}/limits").read_text().splitlines()
        address = next(line for line in limits if line.startswith("Max address space"))
        assert address.split()[3] != "unlimited"
        # Confined, it still renders (after the filter: every call it needs is allowed).
        samples = client.render(1, 1.0, 1.0)
        assert samples.width > 0 and len(samples.samples) == samples.width * samples.height * 3
        assert client.search(0, "the") != ()
    finally:
        client.close()


def test_the_real_renderer_is_confined_when_run_as_an_unprivileged_user(
    as_nobody: list[str],
) -> None:
    def command(fd: int) -> list[str]:
        module = "readingroom.viewing.render_process"
        return [*as_nobody, sys.executable, "-I", "-m", module, str(fd), str(os.getpid())]

    client = RendererClient(
        build_test_pdf(),
        hang_seconds=30.0,
        open_seconds=60.0,
        should_stop=lambda: False,
        command=command,
    )
    try:
        client.start()
        pid = client.pid
        assert pid is not None
        status = _status(pid)
        assert status["Uid"].split()[0] == "65534"
        assert (status["NoNewPrivs"], status["Seccomp"]) == ("1", "2")
        assert client.confined
        samples = client.render(0, 1.0, 1.0)
        assert len(samples.samples) == samples.width * samples.height * 3
    finally:
        client.close()


def _without_seccomp(fd: int) -> list[str]:
    """The real renderer, on a system where libseccomp cannot be loaded."""
    code = (
        "import sys; sys.modules['pyseccomp'] = None; "
        "from readingroom.viewing.render_process import main; main()"
    )
    return [sys.executable, "-I", "-c", code, str(fd), str(os.getpid())]


def test_without_the_sandbox_the_renderer_says_so_or_is_refused() -> None:
    pdf = build_test_pdf()
    client = RendererClient(
        pdf,
        hang_seconds=30.0,
        open_seconds=60.0,
        should_stop=lambda: False,
        command=_without_seccomp,
    )
    try:
        client.start()
        assert not client.confined  # it opens, and the viewer knows it is unconfined
    finally:
        client.close()
    strict = RendererClient(
        pdf,
        hang_seconds=30.0,
        open_seconds=60.0,
        should_stop=lambda: False,
        require_sandbox=True,
        command=_without_seccomp,
    )
    try:
        with pytest.raises(RendererUnconfined):
            strict.start()  # refused before MuPDF parsed the document
        assert strict.pid is None
    finally:
        strict.close()
