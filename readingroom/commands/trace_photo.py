"""``readingroom trace --image PHOTO``: the sessions whose marks a photo or screenshot carries.

The decoded marks are proof; the Tesseract reading and tolerant matching that follow when no
mark decodes only ever produce candidates, printed as such and ending in a non-zero exit.
"""

from __future__ import annotations

import sys
from pathlib import Path

from readingroom.audit.code_match import candidate_line, candidate_sessions
from readingroom.audit.report import RESTRICTED, session_text_lines
from readingroom.audit.session_summary import SessionSummary
from readingroom.audit.sessions import summarise_log
from readingroom.audit.trace_image import find_session_codes, load_photo
from readingroom.audit.trace_ocr import read_printed_codes, tesseract_available
from readingroom.errors import BadSessionCode, NoSessionMark, UnknownSessionMark
from readingroom.session_code import normalise_session_code


def trace_image(photo: Path, directory: Path) -> int:
    """Print the sessions marked in ``photo``; fall back to candidates when no mark decodes.

    Raises:
        InputFileError: the photo cannot be read.
        UnknownSessionMark: a mark decoded whose session is not in the log.
        NoSessionMark: no mark decoded (candidates, if any, are printed first).
    """
    image = load_photo(photo)
    codes = find_session_codes(image)
    sessions = {session.code: session for session in summarise_log(directory).sessions}
    if codes:
        return _print_marked(codes, sessions)
    _print_candidates(read_printed_codes(image), list(sessions.values()))
    raise NoSessionMark()


def _print_marked(codes: list[str], sessions: dict[str, SessionSummary]) -> int:
    lines = [RESTRICTED]
    if len(codes) > 1:
        lines.append(
            f"This image carries the marks of {len(codes)} different sessions: "
            "pages from several sessions were combined."
        )
    missing = []
    for code in codes:
        session = sessions.get(code)
        if session is None:
            missing.append(code)
            lines.append(f"Mark {code}: no session with this code is in this audit log.")
        else:
            lines.append(f"Mark {code}: decoded from the image.")
            lines.extend(session_text_lines(session))
    sys.stdout.write("\n".join(lines) + "\n")
    if missing:
        raise UnknownSessionMark()
    return 0


def _print_candidates(tokens: list[str], sessions: list[SessionSummary]) -> None:
    """What Tesseract read, exact matches first, then near matches, all marked as candidates."""
    if not tesseract_available():
        sys.stdout.write(
            "No mark decoded, and Tesseract is not installed to read the printed code.\n"
        )
        return
    lines: list[str] = []
    listed: set[str] = set()
    by_code = {session.code: session for session in sessions}
    for token in tokens:
        try:
            exact = by_code.get(normalise_session_code(token))
        except BadSessionCode:
            exact = None
        if exact is not None and exact.code not in listed:
            listed.add(exact.code)
            lines.append(f"  CANDIDATE (printed code read by OCR, check digit valid): {exact.code}")
            lines.extend("    " + line for line in session_text_lines(exact))
    for token in tokens:
        for candidate in candidate_sessions(token, sessions):
            if candidate.session.code in listed:
                continue
            listed.add(candidate.session.code)
            unread = "check character unreadable, " if len(token) == 8 else ""
            lines.append(
                f"  CANDIDATE ({unread}{candidate.substitutions} character(s) differ from the "
                f"OCR reading): {candidate_line(candidate)}"
            )
    if lines:
        header = "No mark decoded. Candidates from the printed code (guesses, not proof):"
        sys.stdout.write("\n".join([RESTRICTED, header, *lines]) + "\n")
    else:
        sys.stdout.write("No mark decoded, and no printed session code could be read.\n")
