"""One way to get the audit log a viewer writes to: the service's, or an in-process one.

When the workstation configuration names ``audit_socket``, records go to ``readingroom audit
serve`` (a system account owns the log; the reader cannot erase it); otherwise the viewer opens
the log itself (a single-user install, the demo, tests). Both fail closed the same way: no
durable record, ``AuditUnavailable``, no page.
"""

from __future__ import annotations

from typing import Any, Protocol

from readingroom.audit.client import AuditClient
from readingroom.audit.log import AuditLog
from readingroom.audit.session import SessionContext
from readingroom.config import WorkstationConfig


class AuditWriter(Protocol):
    """What a reading session needs from an audit log."""

    workstation: str
    clock_rolled_back: bool

    def new_session(
        self,
        *,
        reader: str | None,
        document: str | None = None,
        signature_hash: str | None = None,
    ) -> SessionContext:
        """A new session context (nothing is written yet)."""
        ...

    def append(self, event: str, *, session: SessionContext | None = None, **details: Any) -> int:
        """Append one event; return its seq once durable, else raise ``AuditUnavailable``."""
        ...

    def close(self) -> None:
        """Finish with the log."""
        ...


def open_audit_writer(config: WorkstationConfig) -> AuditWriter:
    """The audit service's client when ``audit_socket`` is configured, else the in-process log.

    Raises:
        AuditUnavailable: the service is missing or not the service; the log cannot be written.
        AuditTampered: the in-process log does not verify.
    """
    if config.audit_socket is not None:
        return AuditClient.connect(config.audit_socket, service_user=config.audit_service_user)
    return AuditLog.open(config.audit_dir, config=config)
