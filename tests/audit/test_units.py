"""The systemd units of the audit service: hardened (systemd-analyze), and socket activation.

CI installs systemd's tools and sets ``READINGROOM_REQUIRE_SYSTEMD_TOOLS=1`` so these fail there
instead of skipping.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from readingroom.audit import scan_log
from readingroom.audit.client import AuditClient
from tests.audit.helpers import all_records
from tests.audit.service_helpers import REPO, short_folder

UNITS = REPO / "packaging" / "linux"
REQUIRE = "READINGROOM_REQUIRE_SYSTEMD_TOOLS"
# systemd-analyze's scale: 0 (locked down) .. 10 (exposed); "SAFE" is below 2.
MAX_EXPOSURE = 1.0


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = f"{name} (Debian package systemd) is not installed"
        if os.environ.get(REQUIRE) == "1":
            pytest.fail(f"{message}, and {REQUIRE}=1 requires it")
        pytest.skip(message)
    return path


def _settings(unit: Path) -> list[tuple[str, str]]:
    pairs = []
    for line in unit.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            pairs.append((key.strip(), value.strip()))
    return pairs


def test_the_service_unit_writes_only_its_state_folder() -> None:
    settings = _settings(UNITS / "readingroom-audit.service")
    assert ("ProtectSystem", "strict") in settings
    assert ("NoNewPrivileges", "yes") in settings
    assert [v for k, v in settings if k == "ReadWritePaths"] == ["/var/lib/readingroom-audit"]
    assert ("User", "readingroom-audit") in settings
    assert ("Environment", "READINGROOM_HOME=/var/lib/readingroom-audit") in settings
    socket_settings = _settings(UNITS / "readingroom-audit.socket")
    assert ("SocketUser", "readingroom-audit") in socket_settings


def test_systemd_analyze_rates_the_service_safe() -> None:
    analyze = _tool("systemd-analyze")
    result = subprocess.run(
        [analyze, "security", "--offline=yes", "--no-pager", "readingroom-audit.service"],
        cwd=UNITS,
        capture_output=True,
        text=True,
        check=False,
    )
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", result.stdout)
    assert match is not None, result.stdout + result.stderr
    assert float(match.group(1)) <= MAX_EXPOSURE


@pytest.fixture
def folder() -> Iterator[Path]:
    yield from short_folder()


def test_socket_activation_hands_the_service_its_socket(folder: Path) -> None:
    activate = _tool("systemd-socket-activate")
    socket_path = folder / "audit.sock"
    env = {**os.environ, "READINGROOM_HOME": str(folder / "home"), "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "readingroom", "audit", "serve"]
    # systemd-socket-activate passes on only the environment named with -E.
    passed = [f"-E{name}" for name in ("READINGROOM_HOME", "PYTHONPATH", "PATH")]
    process = subprocess.Popen(
        [activate, "-l", str(socket_path), *passed, *command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        while not socket_path.exists() and process.poll() is None:
            time.sleep(0.05)  # waiting for the listener, not measuring anything
        client = AuditClient.connect(socket_path, service_user="root")
        session = client.new_session(reader="alice")
        seq = client.append("session_started", session=session)
        client.close()
        assert all_records(folder / "home" / "audit")[seq]["session"] == session.session_id
    finally:
        process.terminate()
        process.wait(timeout=60)
    assert scan_log(folder / "home" / "audit").problem is None


def test_the_shipping_drop_in_opens_tcp_to_the_database_only(tmp_path: Path) -> None:
    """The drop-in for ship_to (docs/deployment.md) keeps the service locked down but for TCP."""
    drop_in = (UNITS / "readingroom-audit-ship.conf").read_text()
    settings = _settings(UNITS / "readingroom-audit-ship.conf")
    assert ("IPAddressDeny", "any") in settings
    assert [k for k, _ in settings if k == "IPAddressAllow"] == ["IPAddressAllow"]
    assert {k for k, _ in settings} == {
        "PrivateNetwork",
        "RestrictAddressFamilies",
        "IPAddressDeny",
        "IPAddressAllow",
    }
    analyze = _tool("systemd-analyze")
    # A drop-in's lines act as if appended to the unit's [Service] section.
    unit = (UNITS / "readingroom-audit.service").read_text()
    combined = unit.replace("[Install]", drop_in.split("[Service]\n", 1)[1] + "\n[Install]")
    (tmp_path / "readingroom-audit.service").write_text(combined)
    result = subprocess.run(
        [analyze, "security", "--offline=yes", "--no-pager", "readingroom-audit.service"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", result.stdout)
    assert match is not None, result.stdout + result.stderr
    assert float(match.group(1)) <= MAX_EXPOSURE
