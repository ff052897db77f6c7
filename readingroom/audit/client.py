"""The viewer's side of the audit service: the same calls as :class:`AuditLog`, over a socket.

``AuditClient.connect`` refuses a socket that is not the service's: the socket file and the
process listening on it (``SO_PEERCRED``) must belong to root or to the configured service
user. Every ``append`` waits for the service's answer, which comes only after fsync. Any
failure (the service gone, a refusal, a broken frame) raises ``AuditUnavailable`` and the client
stays failed: the session ends rather than carry on unaudited, and it never reconnects.
"""

from __future__ import annotations

import pwd
import socket
import stat
from pathlib import Path
from typing import Any

from readingroom.audit import events
from readingroom.audit.service import peer_credentials
from readingroom.audit.session import SessionContext
from readingroom.audit.wire import ProtocolError, receive_frame, send_frame, session_fields
from readingroom.errors import AuditUnavailable

CONNECT_TIMEOUT_SECONDS = 10.0
# An fsync on a busy disk can take seconds; a service that says nothing for this long is gone.
REPLY_TIMEOUT_SECONDS = 30.0


def service_uids(service_user: str) -> frozenset[int]:
    """The uids allowed to own the service socket: root (systemd creates activated sockets)
    and the service's own account.

    Raises:
        AuditUnavailable: the account does not exist on this machine.
    """
    try:
        return frozenset({0, pwd.getpwnam(service_user).pw_uid})
    except KeyError as exc:
        raise AuditUnavailable(
            f"The audit service account {service_user} does not exist on this workstation, "
            "so no document can be shown."
        ) from exc


class AuditClient:
    """A connection to ``readingroom audit serve``. Build it with :meth:`connect`."""

    def __init__(self, sock: socket.socket, *, workstation: str, clock_rolled_back: bool) -> None:
        """Use :meth:`connect`."""
        self._sock: socket.socket | None = sock
        self.workstation = workstation
        self.clock_rolled_back = clock_rolled_back

    @classmethod
    def connect(cls, path: Path, *, service_user: str) -> AuditClient:
        """Connect to the service and check it is the service.

        Raises:
            AuditUnavailable: no service, or the socket belongs to the wrong user.
        """
        allowed = service_uids(service_user)
        try:
            info = path.lstat()
        except OSError as exc:
            raise _unavailable(path) from exc
        if not stat.S_ISSOCK(info.st_mode) or info.st_uid not in allowed:
            raise _wrong_owner(path, service_user)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(CONNECT_TIMEOUT_SECONDS)
            sock.connect(str(path))
            peer = peer_credentials(sock)
            if peer.uid not in allowed:
                raise _wrong_owner(path, service_user)
            sock.settimeout(REPLY_TIMEOUT_SECONDS)
            client = cls(sock, workstation="", clock_rolled_back=False)
            hello = client._call({"op": "hello"})
            workstation, rolled_back = hello.get("workstation"), hello.get("clock_rolled_back")
            if not isinstance(workstation, str) or not isinstance(rolled_back, bool):
                raise _unavailable(path)
        except AuditUnavailable:
            sock.close()
            raise
        except OSError as exc:
            sock.close()
            raise _unavailable(path) from exc
        client.workstation, client.clock_rolled_back = workstation, rolled_back
        return client

    def new_session(
        self,
        *,
        reader: str | None,
        document: str | None = None,
        signature_hash: str | None = None,
    ) -> SessionContext:
        """A new session context for this workstation (nothing is sent yet)."""
        return SessionContext.create(
            workstation=self.workstation,
            reader=reader,
            document=document,
            signature_hash=signature_hash,
        )

    def append(self, event: str, *, session: SessionContext | None = None, **details: Any) -> int:
        """Have the service append one event; return its seq once it is durable.

        Raises:
            AuditUnavailable: no durable record (the service is gone or failed). Stays failed.
            ValueError: an unknown event or a bad detail (a bug in the caller).
        """
        events.check_event(event, details)
        reply = self._call(
            {
                "op": "append",
                "event": event,
                "session": session_fields(session),
                "details": {key: value for key, value in details.items() if value is not None},
            }
        )
        seq = reply.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool):
            self.close()
            raise AuditUnavailable()
        return seq

    def close(self) -> None:
        """Disconnect (the service checkpoints on its own schedule)."""
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def _call(self, request: dict[str, Any]) -> dict[str, Any]:
        if self._sock is None:
            raise AuditUnavailable("The audit service connection has been closed.")
        try:
            send_frame(self._sock, request)
            reply = receive_frame(self._sock)
        except (OSError, ProtocolError) as exc:
            self.close()
            raise AuditUnavailable(reason="audit failure") from exc
        if reply is None or reply.get("ok") is not True:
            self.close()
            raise AuditUnavailable(reason="audit failure")
        return reply


def _unavailable(path: Path) -> AuditUnavailable:
    return AuditUnavailable(
        f"The audit service at {path} is not running, so no document can be shown. "
        "Ask the workstation administrator to start it."
    )


def _wrong_owner(path: Path, service_user: str) -> AuditUnavailable:
    return AuditUnavailable(
        f"The audit service socket {path} does not belong to the audit account {service_user}; "
        "it is not used, so no document can be shown."
    )
