"""The audit service under its own account: the reader's uid cannot touch the log or the key.

Needs root (to create the two accounts and drop to them), as in CI, which sets
``READINGROOM_REQUIRE_ROOT=1`` so that this test fails there instead of skipping.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from readingroom.audit import scan_log
from readingroom.audit.client import AuditClient
from readingroom.errors import AuditUnavailable
from tests.audit.helpers import all_records
from tests.audit.service_helpers import REPO, ServiceProcess, short_folder, start_service

REQUIRE = "READINGROOM_REQUIRE_ROOT"
SERVICE_USER = "rr-audit-test"
READER_USER = "rr-reader-test"


def _account(name: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
            check=True,
        )
        return pwd.getpwnam(name)


@pytest.fixture
def accounts() -> tuple[pwd.struct_passwd, pwd.struct_passwd]:
    if os.getuid() != 0 or shutil.which("useradd") is None:
        message = "needs root and useradd to run the service and the reader as two accounts"
        if os.environ.get(REQUIRE) == "1":
            pytest.fail(f"{message}, and {REQUIRE}=1 requires it")
        pytest.skip(message)
    return _account(SERVICE_USER), _account(READER_USER)


@pytest.fixture
def folder() -> Iterator[Path]:
    yield from short_folder()


def _as(account: pwd.struct_passwd) -> list[str]:
    return [sys.executable, "-m", "tests.audit.run_as", str(account.pw_uid), str(account.pw_gid)]


@pytest.fixture
def separate_service(
    accounts: tuple[pwd.struct_passwd, pwd.struct_passwd], folder: Path
) -> Iterator[ServiceProcess]:
    service_account, _ = accounts
    folder.chmod(0o755)
    home, run = folder / "home", folder / "run"
    for path in (home, run):
        path.mkdir()
        os.chown(path, service_account.pw_uid, service_account.pw_gid)
    home.chmod(0o700)
    running = start_service(
        home, run / "audit.sock", prefix=_as(service_account), service_user=SERVICE_USER
    )
    yield running
    running.stop()


def test_the_reader_can_append_but_not_read_the_key_or_touch_the_log(
    accounts: tuple[pwd.struct_passwd, pwd.struct_passwd], separate_service: ServiceProcess
) -> None:
    service_account, reader = accounts
    assert separate_service.socket.stat().st_uid == service_account.pw_uid
    result = subprocess.run(
        [
            *_as(reader),
            "reader",
            str(separate_service.socket),
            SERVICE_USER,
            str(separate_service.home),
            str(separate_service.process.pid),
        ],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        check=True,
        timeout=120,
    )
    outcome = json.loads(result.stdout)
    assert outcome.pop("uid") == reader.pw_uid
    seq = outcome.pop("seq")
    assert outcome == {
        "read key": "denied",
        "read state": "denied",
        "write folder": "denied",
        "list folder": "denied",
        "unlink segment": "denied",
        "append segment": "denied",
        "stop service": "denied",
    }
    record = all_records(separate_service.logdir)[seq]
    assert record["event"] == "session_started"
    assert record["details"]["client_uid"] == reader.pw_uid  # type: ignore[index]
    key = separate_service.home / "audit-signing.key"
    assert key.stat().st_uid == service_account.pw_uid
    assert key.stat().st_mode & 0o077 == 0
    assert scan_log(separate_service.logdir).problem is None


def test_the_reader_refuses_a_service_run_by_another_account(
    accounts: tuple[pwd.struct_passwd, pwd.struct_passwd], separate_service: ServiceProcess
) -> None:
    with pytest.raises(AuditUnavailable, match="does not belong"):
        AuditClient.connect(separate_service.socket, service_user=READER_USER)
