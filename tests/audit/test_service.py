"""The audit service, as a real process: durable appends, bad frames, 50 clients, kill -9."""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from readingroom.audit import scan_log
from readingroom.audit.client import AuditClient
from readingroom.audit.service import MAX_CLIENTS
from readingroom.audit.storage import list_segments
from readingroom.audit.writer import open_audit_writer
from readingroom.config import load_config
from readingroom.errors import AuditUnavailable
from tests.audit.helpers import all_records
from tests.audit.service_helpers import ServiceProcess, short_folder, start_service


@pytest.fixture
def folder() -> Iterator[Path]:
    yield from short_folder()


@pytest.fixture
def service(folder: Path) -> Iterator[ServiceProcess]:
    running = start_service(folder / "home", folder / "audit.sock")
    yield running
    running.stop()


def _log_bytes(service: ServiceProcess) -> bytes:
    return b"".join(path.read_bytes() for path in list_segments(service.logdir))


def test_an_append_is_on_disk_when_it_returns_and_names_the_client(
    service: ServiceProcess,
) -> None:
    client = service.client()
    session = client.new_session(reader="alice", document="DOC-1")
    seq = client.append("session_started", session=session)
    record = all_records(service.logdir)[seq]  # read back before anything else happens
    assert record["event"] == "session_started"
    assert record["session"] == session.session_id
    assert record["details"] == {
        "client_pid": os.getpid(),
        "client_uid": os.getuid(),
        "code": session.code,
    }
    client.append("session_ended", session=session, reason="closed")
    client.close()
    assert scan_log(service.logdir).problem is None


def _frame(body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + body


def _append(**overrides: object) -> bytes:
    request: dict[str, object] = {
        "op": "append",
        "event": "focus_lost",
        "session": None,
        "details": {},
    }
    request.update(overrides)
    return _frame(json.dumps(request).encode())


BAD_FRAMES = {
    "oversized length": struct.pack(">I", 1 << 30) + b"{}",
    "just over the limit": struct.pack(">I", 64 * 1024 + 1) + b"{" * 100,
    "not JSON": _frame(b"\x80\x04\x95 pickle?"),
    "not an object": _frame(b"[1, 2]"),
    "unknown op": _frame(b'{"op": "truncate"}'),
    "internal event": _append(event="checkpoint"),
    "unknown event": _append(event="page_printed"),
    "forged acknowledgement": _append(event="acknowledged", details={"by": "admin"}),
    "forged client uid": _append(details={"client_uid": 0}),
    "NaN": _frame(b'{"op":"append","event":"focus_lost","session":null,"details":{"x":NaN}}'),
    "nested detail": _append(details={"x": {"y": {"z": 1}}}),
    "bad session": _append(session={"session_id": 1}),
    "extra field": _append(extra=1),
    "cut short": struct.pack(">I", 100) + b"{",
}


@pytest.mark.parametrize("frame", BAD_FRAMES.values(), ids=BAD_FRAMES.keys())
def test_a_bad_frame_drops_the_connection_and_leaves_the_log_untouched(
    service: ServiceProcess, frame: bytes
) -> None:
    service.client().close()  # the log exists
    before = _log_bytes(service)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as raw:
        raw.settimeout(30)
        raw.connect(str(service.socket))
        raw.sendall(frame)
        raw.shutdown(socket.SHUT_WR)
        try:
            answer = raw.recv(1024)
        except ConnectionResetError:
            answer = b""  # dropped with unread bytes still queued: a reset, also no answer
        assert answer == b""
    assert _log_bytes(service) == before
    client = service.client()  # and the service still serves everyone else
    client.append("focus_lost")
    client.close()


def test_fifty_concurrent_clients_keep_their_order_and_the_chain(service: ServiceProcess) -> None:
    per_client = 8
    failures: list[BaseException] = []

    def read_pages(number: int) -> None:
        try:
            client = service.client()
            session = client.new_session(reader=f"reader-{number}")
            client.append("session_started", session=session)
            for page in range(1, per_client + 1):
                client.append("page_viewed", session=session, page=page)
            client.append("session_ended", session=session, reason="closed")
            client.close()
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=read_pages, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    scan = scan_log(service.logdir)
    assert scan.problem is None
    pages: dict[str, list[int]] = {}
    for record in all_records(service.logdir):
        if record["event"] == "page_viewed":
            details = record["details"]
            assert isinstance(details, dict)
            pages.setdefault(str(record["reader"]), []).append(int(details["page"]))
    assert len(pages) == 50
    assert all(seen == list(range(1, per_client + 1)) for seen in pages.values())


def test_killing_the_service_mid_session_ends_it_with_nothing_lost(folder: Path) -> None:
    service = start_service(folder / "home", folder / "audit.sock")
    client = service.client()
    session = client.new_session(reader="alice")
    acknowledged = {client.append("session_started", session=session): 0}
    for page in range(1, 21):
        acknowledged[client.append("page_viewed", session=session, page=page)] = page
    service.stop(signal.SIGKILL)
    with pytest.raises(AuditUnavailable):
        client.append("page_viewed", session=session, page=21)
    with pytest.raises(AuditUnavailable):  # and it never comes back for this session
        client.append("session_ended", session=session, reason="closed")
    restarted = start_service(folder / "home", folder / "audit.sock")
    try:
        records = all_records(restarted.logdir)
        assert scan_log(restarted.logdir).problem is None
        for seq, page in acknowledged.items():
            if page:
                assert records[seq]["details"]["page"] == page  # type: ignore[index]
        ended = [
            r
            for r in records
            if r["event"] == "session_ended" and r["session"] == session.session_id
        ]
        assert [r["details"]["reason"] for r in ended] == ["crash recovery"]  # type: ignore[index]
    finally:
        restarted.stop()


def test_a_viewer_that_vanishes_leaves_its_session_closed(service: ServiceProcess) -> None:
    client = service.client()
    session = client.new_session(reader="alice")
    client.append("session_started", session=session)
    client.close()  # no session_ended: the viewer was killed
    ended: list[dict[str, object]] = []
    deadline = time.monotonic() + 30
    while not ended and time.monotonic() < deadline:  # the service notices the hang-up
        ended = [r for r in all_records(service.logdir) if r["event"] == "session_ended"]
        time.sleep(0.05)
    assert [r["details"]["reason"] for r in ended] == ["crash recovery"]  # type: ignore[index]
    assert ended[0]["session"] == session.session_id


def test_a_socket_owned_by_the_wrong_user_is_refused(service: ServiceProcess, folder: Path) -> None:
    if os.getuid() == 0:
        os.chown(service.socket, 65534, 65534)  # owned by nobody, and nobody is not the service
        expected = "daemon"
    else:
        expected = "nobody"
    with pytest.raises(AuditUnavailable, match="does not belong to the audit account"):
        AuditClient.connect(service.socket, service_user=expected)
    impostor = folder / "not-a-socket"
    impostor.write_text("")
    with pytest.raises(AuditUnavailable, match="does not belong"):
        AuditClient.connect(impostor, service_user=service.service_user)


def test_the_viewer_uses_the_service_when_configured_and_fails_closed_without_it(
    rr_home: Path, service: ServiceProcess
) -> None:
    (rr_home / "workstation.toml").write_text(
        f'audit_socket = "{service.socket}"\naudit_service_user = "{service.service_user}"\n'
    )
    writer = open_audit_writer(load_config())
    assert isinstance(writer, AuditClient)
    session = writer.new_session(reader="alice")
    writer.append("session_started", session=session)
    assert not (rr_home / "audit").exists()  # nothing written by the viewer's own account
    service.stop()
    with pytest.raises(AuditUnavailable):
        writer.append("page_viewed", session=session, page=1)
    with pytest.raises(AuditUnavailable, match="not running"):
        open_audit_writer(load_config())


def test_without_a_socket_the_viewer_writes_its_own_log(rr_home: Path) -> None:
    writer = open_audit_writer(load_config())
    assert not isinstance(writer, AuditClient)
    writer.close()
    assert list_segments(rr_home / "audit")


@pytest.mark.slow
def test_a_client_that_drips_a_frame_is_dropped(service: ServiceProcess) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as raw:
        raw.settimeout(60)
        raw.connect(str(service.socket))
        raw.sendall(struct.pack(">I", 100) + b"{")  # and then nothing more
        try:
            answer = raw.recv(1024)  # returns once the service gives up on the frame
        except ConnectionResetError:
            answer = b""
        assert answer == b""
    client = service.client()
    client.append("focus_lost")
    client.close()


def test_a_flood_of_idle_connections_fails_new_sessions_closed_not_open(
    service: ServiceProcess,
) -> None:
    """The reader's account holds every slot: sessions already running carry on, a new one is
    refused at once (no record, no page), and once the flood ends the service serves again."""
    running = service.client()
    session = running.new_session(reader="already reading")
    running.append("session_started", session=session)
    flood = []
    try:
        for _ in range(MAX_CLIENTS * 2):
            raw = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            raw.connect(str(service.socket))
            flood.append(raw)
        with pytest.raises(AuditUnavailable):
            service.client()
        running.append("page_viewed", session=session, page=1)  # its slot is its own
    finally:
        for raw in flood:
            raw.close()
    late = _client_when_free(service)
    late.append("focus_lost")
    late.close()
    running.append("session_ended", session=session, reason="closed")
    running.close()
    assert scan_log(service.logdir).problem is None
    assert service.process.poll() is None


def _client_when_free(service: ServiceProcess) -> AuditClient:
    # The service frees a slot when it reads the flood's EOF: wait for that, not for a time.
    for _ in range(600):
        try:
            return service.client()
        except AuditUnavailable:
            time.sleep(0.05)
    raise AssertionError("the service never served again after the flood")
