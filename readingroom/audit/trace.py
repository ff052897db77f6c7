"""Finding the session behind a session code seen on a leaked page."""

from __future__ import annotations

from pathlib import Path

from readingroom.audit.session_summary import SessionSummary
from readingroom.audit.sessions import summarise_log
from readingroom.session_code import normalise_session_code


def trace_session(code: str, directory: Path) -> tuple[str, SessionSummary | None]:
    """The canonical form of ``code`` and the session that carried it (None if not found).

    Raises:
        BadSessionCode: the code is mistyped (its check character does not match).
    """
    canonical = normalise_session_code(code)
    summary = summarise_log(directory)
    for session in summary.sessions:
        if session.code == canonical:
            return canonical, session
    return canonical, None
