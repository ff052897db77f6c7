"""The fields that every record of one reading session carries."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from readingroom.session_code import new_session_code


@dataclass(frozen=True)
class SessionContext:
    """Who reads what, where: set once per session, stamped on each of its records.

    Create one with :meth:`AuditLog.new_session` (before the unlock attempt, so a failed unlock
    is recorded with the same fields), then pass it as ``session=`` to ``append``.
    """

    session_id: str
    code: str
    reader: str | None
    workstation: str
    document: str | None = None
    signature_hash: str | None = None

    @classmethod
    def create(
        cls,
        *,
        workstation: str,
        reader: str | None = None,
        document: str | None = None,
        signature_hash: str | None = None,
    ) -> SessionContext:
        """A new session with a random id and a fresh session code."""
        return cls(
            session_id=secrets.token_hex(16),
            code=new_session_code(),
            reader=reader,
            workstation=workstation,
            document=document,
            signature_hash=signature_hash,
        )

    def fields(self) -> dict[str, str | None]:
        """The top-level record fields this session contributes."""
        return {
            "session": self.session_id,
            "reader": self.reader,
            "workstation": self.workstation,
            "document": self.document,
            "signature_hash": self.signature_hash,
        }
