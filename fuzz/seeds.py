"""Valid inputs for the fuzz targets to start from (a fuzzer mutates them)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fuzz.targets import workstation
from readingroom.audit import AuditLog
from readingroom.audit.storage import list_segments
from readingroom.manifest import Manifest, build_payload
from readingroom.policy import Policy, ReaderIdentity
from readingroom.review_file import seal_review

READER = ReaderIdentity("Alex Morgan", "alex.morgan@example.gov.uk", "Ofsted")
PDF = b"%PDF-1.7\n% not rendered: the review-file layer never looks inside\n%%EOF\n"


def _manifest() -> Manifest:
    return Manifest.new(
        title="Fuzz seed",
        classification="OFFICIAL-SENSITIVE",
        publisher_name="Fuzz publisher",
        pdf=PDF,
        page_count=1,
        policy=Policy(reader=READER),
    )


def review_file_seeds() -> list[bytes]:
    """One input per target mode: a whole file, reader and workstation bodies, a payload."""
    station = workstation()
    reader = station.reader.recipient()
    whole = seal_review(PDF, _manifest(), station.publisher, reader)
    locked = seal_review(
        PDF, _manifest(), station.publisher, reader, [station.workstation.recipient()]
    )
    return [
        b"\x00" + whole,
        b"\x01" + _body(whole),
        b"\x02" + _body(locked),
        b"\x03" + build_payload(_manifest(), PDF),
    ]


def _body(review: bytes) -> bytes:
    start = review.index(b"\n\n") + 2
    return review[start : review.rindex(b"signature: ")]


def audit_log_seeds() -> list[bytes]:
    """A real log with a session, raw and as record bodies (target mode 1 re-chains them)."""
    station = workstation()
    with tempfile.TemporaryDirectory(prefix="rr-fuzz-seed-") as folder:
        directory = Path(folder)
        log = AuditLog.open(directory, config=station.config)
        session = log.new_session(reader=READER.id, document="doc-1")
        log.append("session_started", session=session, classification="OFFICIAL", reader_name="A")
        log.append("page_viewed", session=session, page=1, zoom=1.0, seconds=2.5)
        log.append("search", session=session, query="marmalade")
        log.append("denied_action", session=session, action="copy")
        log.append("session_ended", session=session, reason="closed", seconds=3.0, pages_viewed=1)
        log.close()
        raw = b"".join(path.read_bytes() for path in list_segments(directory))
    bodies = [line[len(b'{"h":"') + 64 + len(b'","r":') : -1] for line in raw.splitlines()]
    return [b"\x00" + raw, b"\x01" + b"\n".join(bodies)]
