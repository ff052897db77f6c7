"""The tamper-evident audit log (spec: docs/audit-log.md).

``AuditLog.open(directory)`` / ``log.append(event, session=..., **details)`` / ``log.close()``
are the stable API the viewer uses; ``scan_log`` is what ``readingroom audit verify`` runs.
"""

from readingroom.audit.checkpoints import Checkpoint
from readingroom.audit.log import AuditLog
from readingroom.audit.session import SessionContext
from readingroom.audit.verify import Finding, ScanResult, scan_log

__all__ = ["AuditLog", "Checkpoint", "Finding", "ScanResult", "SessionContext", "scan_log"]
