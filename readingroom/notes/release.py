"""The released notes: a PDF of the reader's notes, stamped with who released them to whom.

PyMuPDF's Story lays the text out over as many A4 pages as it needs, with MuPDF's fallback
fonts for scripts the base font lacks (Cyrillic, Greek, CJK, Arabic). Every page carries the
stamp "Released by <custodian> on <date> to <recipient>" and the provenance line, so a page
separated from the rest still says where it came from.
"""

from __future__ import annotations

import html
import io
from datetime import datetime

import pymupdf

from readingroom.notes.notes_file import NotesContent
from readingroom.notes.text import terminal_safe

_PAGE = pymupdf.paper_rect("a4")
_BODY = pymupdf.Rect(56, 96, _PAGE.width - 56, _PAGE.height - 64)
_STAMP = pymupdf.Rect(56, 28, _PAGE.width - 56, 88)
_FOOTER = pymupdf.Rect(56, _PAGE.height - 52, _PAGE.width - 56, _PAGE.height - 20)
_CSS = (
    "body{font-family:sans-serif;font-size:10pt}"
    "p{margin:0 0 3pt 0}"
    "h1{font-size:13pt;margin:0 0 6pt 0}"
)


def release_stamp(custodian: str, recipient: str, when: datetime) -> str:
    """``Released by <custodian> on <date> to <recipient>``."""
    return f"Released by {custodian} on {when.date().isoformat()} to {recipient}"


def render_release(
    content: NotesContent, *, custodian: str, recipient: str, when: datetime
) -> bytes:
    """The released PDF's bytes.

    Args:
        content: the opened notes.
        custodian: who releases them (shown in the stamp).
        recipient: who they are released to ("Name <id>").
        when: the time of release (its date is shown).
    """
    stamp = release_stamp(custodian, recipient, when)
    sessions = ", ".join(content.sessions) or "none"
    provenance = (
        f"Notes by {_escape(content.reader_name)} &lt;{_escape(content.reader_id)}&gt; on document "
        f"{_escape(content.document_id)}, written at {_escape(content.workstation)}; "
        f"sessions {_escape(sessions)}; last saved {content.saved.isoformat()}"
    )
    lines = terminal_safe(content.text).split("\n")
    body = "".join(f"<p>{_escape(line) or '&#160;'}</p>" for line in lines)
    story = pymupdf.Story(html=f"<h1>Reading-room notes</h1>{body}", user_css=_CSS)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    more = True
    while more:
        device = writer.begin_page(_PAGE)
        more, _filled = story.place(_BODY)
        story.draw(device)
        writer.end_page()
    writer.close()
    document = pymupdf.open(stream=buffer.getvalue(), filetype="pdf")
    try:
        total = document.page_count
        for number, page in enumerate(document, start=1):
            page.insert_htmlbox(_STAMP, f"<p><b>{_escape(stamp)}</b></p>", css=_CSS)
            footer = f"<p style='font-size:7pt'>{provenance} \u00b7 page {number} of {total}</p>"
            page.insert_htmlbox(_FOOTER, footer, css=_CSS)
        document.set_metadata({"title": "Released reading-room notes", "subject": stamp})
        data: bytes = document.tobytes(garbage=3, deflate=True)
    finally:
        document.close()
    return data


def _escape(text: str) -> str:
    return html.escape(terminal_safe(text), quote=True)
