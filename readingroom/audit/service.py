"""``readingroom audit serve``: the audit log owned by a system account, reached over a socket.

The service is the only writer of the log folder, its key and its state file; readers' viewers
send records over a Unix socket and never hold a descriptor on any of them. Each connection is
identified by ``SO_PEERCRED`` (its uid and pid go into every record it appends), handled on its
own thread, and answered only after the record is fsynced, so a connection's records keep their
order. A frame that breaks the wire format drops that connection before the log is touched. If
the log cannot be written, the service answers "unavailable" and stops: every viewer then fails
closed, and the next start re-verifies everything (systemd restarts it).

Under systemd the listening socket comes from socket activation (``LISTEN_FDS``); otherwise the
service binds the path it is given.
"""

from __future__ import annotations

import contextlib
import os
import socket
import stat
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readingroom.audit import events
from readingroom.audit.log import AuditLog
from readingroom.audit.wire import ProtocolError, parse_append, receive_frame, send_frame
from readingroom.errors import AuditTampered, AuditUnavailable

SD_LISTEN_FDS_START = 3
MAX_CLIENTS = 64
# A frame, once its length arrived, must arrive whole this quickly (no slow-drip clients).
# Idle connections between frames are allowed: a viewer holds one for a whole session.
FRAME_TIMEOUT_SECONDS = 10.0
CHECKPOINT_POLL_SECONDS = 5.0


@dataclass(frozen=True)
class PeerCredentials:
    """Who is at the other end of a Unix socket, as the kernel says."""

    pid: int
    uid: int
    gid: int


def peer_credentials(sock: socket.socket) -> PeerCredentials:
    """``SO_PEERCRED`` of a connected Unix socket (Linux)."""
    raw = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    pid, uid, gid = struct.unpack("3i", raw)
    return PeerCredentials(pid, uid, gid)


def activated_socket() -> socket.socket | None:
    """The listening socket systemd passed (socket activation), if any."""
    if os.environ.get("LISTEN_PID") != str(os.getpid()):
        return None
    if int(os.environ.get("LISTEN_FDS", "0")) < 1:
        return None
    for name in ("LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"):
        os.environ.pop(name, None)
    return socket.socket(fileno=SD_LISTEN_FDS_START)


def bind_socket(path: Path, mode: int = 0o666) -> socket.socket:
    """Listen on ``path`` (replacing a stale socket, never another kind of file).

    The socket is usable by every local user by default: who may reach it is decided by the
    folder it is in, and every record names its client's uid anyway.
    """
    with contextlib.suppress(FileNotFoundError):
        if stat.S_ISSOCK(path.lstat().st_mode):
            path.unlink()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    os.chmod(path, mode)
    listener.listen(MAX_CLIENTS)
    return listener


class AuditService:
    """Serves one open :class:`AuditLog` to many clients."""

    def __init__(
        self,
        log: AuditLog,
        listener: socket.socket,
        *,
        after_session: Callable[[], None] | None = None,
    ) -> None:
        """Serve ``log`` on ``listener`` (already listening).

        Args:
            log: the open log.
            listener: the listening socket.
            after_session: called after each ``session_ended`` is durable, outside the lock;
                it must return at once (the shipper only sets an event: fleet/auto_ship.py).
        """
        self._log = log
        self._after_session = after_session
        self._listener = listener
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(MAX_CLIENTS)
        self._stopped = threading.Event()
        self.failed = False

    def serve(self) -> None:
        """Accept clients until :meth:`stop` or a log failure; then close the log."""
        self._listener.settimeout(CHECKPOINT_POLL_SECONDS)
        try:
            while not self._stopped.is_set():
                try:
                    connection, _ = self._listener.accept()
                except TimeoutError:
                    self._checkpoint_if_due()
                    continue
                except OSError:
                    if self._stopped.is_set():
                        break
                    raise
                if not self._slots.acquire(blocking=False):
                    connection.close()  # full: the viewer fails closed rather than wait
                    continue
                threading.Thread(target=self._serve_client, args=(connection,), daemon=True).start()
        finally:
            with self._lock, contextlib.suppress(AuditUnavailable):
                self._log.close()

    def stop(self) -> None:
        """Stop accepting and close the log once the accept loop ends."""
        self._stopped.set()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()

    def _checkpoint_if_due(self) -> None:
        with self._lock:
            try:
                self._log.checkpoint_if_due()
            except AuditUnavailable:
                self._fail()

    def _fail(self) -> None:
        self.failed = True
        self.stop()

    def _serve_client(self, connection: socket.socket) -> None:
        started: dict[str, Any] = {}
        try:
            peer = peer_credentials(connection)
            while not self._stopped.is_set():
                request = receive_frame(connection, body_timeout=FRAME_TIMEOUT_SECONDS)
                if request is None:
                    break
                send_frame(connection, self._answer(request, peer, started))
        except (ProtocolError, OSError):
            pass  # drop this connection; the log was not touched by the bad frame
        finally:
            connection.close()
            self._end_orphans(started)
            self._slots.release()

    def _answer(
        self, request: dict[str, Any], peer: PeerCredentials, started: dict[str, Any]
    ) -> dict[str, Any]:
        op = request.get("op")
        if op == "hello" and set(request) == {"op"}:
            with self._lock:
                try:
                    self._log.notice_clock()
                except AuditUnavailable:
                    self._fail()
                    return {"ok": False, "error": "unavailable"}
                return {
                    "ok": True,
                    "workstation": self._log.workstation,
                    "log_id": self._log.log_id,
                    "clock_rolled_back": self._log.clock_rolled_back,
                }
        if op != "append":
            raise ProtocolError("unknown request")
        append = parse_append(request)
        details = {**append.details, "client_uid": peer.uid, "client_pid": peer.pid}
        with self._lock:
            if self.failed:
                return {"ok": False, "error": "unavailable"}
            try:
                seq = self._log.append(append.event, session=append.session, **details)
            except (AuditUnavailable, AuditTampered):
                self._fail()
                return {"ok": False, "error": "unavailable"}
            except ValueError as exc:  # a detail the log's canonical JSON refuses
                raise ProtocolError("bad detail") from exc
        if append.session is not None:
            if append.event == events.SESSION_STARTED:
                started[append.session.session_id] = (append.session, peer)
            elif append.event == events.SESSION_ENDED:
                started.pop(append.session.session_id, None)
        if append.event == events.SESSION_ENDED and self._after_session is not None:
            self._after_session()
        return {"ok": True, "seq": seq}

    def _end_orphans(self, started: dict[str, Any]) -> None:
        # A viewer that vanished mid-session (killed, crashed) leaves its session open: close it
        # now, as open() would after a crash, so the report shows where it stopped.
        for session, peer in started.values():
            with self._lock:
                if self.failed:
                    return
                try:
                    self._log.append(
                        events.SESSION_ENDED,
                        session=session,
                        reason="crash recovery",
                        client_uid=peer.uid,
                        client_pid=peer.pid,
                    )
                except (AuditUnavailable, AuditTampered):
                    self._fail()
                    return
        if started and self._after_session is not None:
            self._after_session()
