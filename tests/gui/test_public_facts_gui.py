"""What is being opened, before any passphrase (#14 item 3, the GUI side): the kiosk chooser
and the unlock dialog show the public label, the publisher and the reading period; an expired
or not-yet-readable file is marked and cannot be chosen; no reader is named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget
from pytestqt.qtbot import QtBot

from readingroom.config import load_config
from readingroom.gui.kiosk import ReadingRoomKiosk
from readingroom.gui.viewer_launcher import ViewerTuning
from readingroom.policy import Policy
from readingroom.review_file import signature_hash
from tests.factories import READER
from tests.gui.test_session_fixtures import (
    Sealed,
    Viewer,
    event_names,
    write_sealed,
    write_workstation_config,
)

PUBLISHER = "Westmoor Safeguarding Children Partnership"
NOW = datetime.now(UTC)


def _reader_words() -> list[str]:
    return [READER.id, READER.name, READER.organisation, "alex", "morgan"]


def test_the_chooser_marks_expired_and_future_files_and_offers_only_the_readable_one(
    rr_home: Path, tmp_path: Path, qtbot: QtBot
) -> None:
    folder = tmp_path / "reviews"
    folder.mkdir()
    until = (NOW + timedelta(days=30)).replace(second=0, microsecond=0)
    sealed_then = NOW - timedelta(days=40)
    write_sealed(rr_home, folder, name="a-current.rrf",
                 policy=Policy(reader=READER, not_after=until))  # fmt: skip
    expired = write_sealed(
        rr_home, folder, name="b-expired.rrf", now=sealed_then,
        policy=Policy(reader=READER, not_after=sealed_then + timedelta(days=10)),
    )  # fmt: skip
    future = write_sealed(rr_home, folder, name="c-future.rrf",
                          policy=Policy(reader=READER, not_before=NOW + timedelta(days=5)))  # fmt: skip
    write_workstation_config(rr_home, kiosk=True, review_folder=folder)
    kiosk = ReadingRoomKiosk(load_config(rr_home), tuning=ViewerTuning(delay_for=lambda _n: 0.0))
    try:
        kiosk.start()
        qtbot.waitExposed(kiosk.chooser)
        current_line, expired_line, future_line = kiosk.chooser.shown_lines()
        assert current_line.split("\n") == [
            f"Review file sealed {NOW:%-d %b %Y}",
            f"from {PUBLISHER} (trusted)  \u00b7  readable until {until:%d %b %Y %H:%M} UTC"
            f"  \u00b7  file {signature_hash((folder / 'a-current.rrf').read_bytes())[:8]}",
        ]
        assert expired_line.startswith(f"Review file sealed {sealed_then:%-d %b %Y}\nEXPIRED on ")
        assert "it can no longer be opened" in expired_line
        assert "\nNOT YET READABLE: readable from " in future_line
        for line in (current_line, expired_line, future_line):
            for word in _reader_words():
                assert word.casefold() not in line.casefold()
        # Greyed out, and choosing them does nothing; the readable one is selected.
        items = kiosk.chooser.findChild(QListWidget, "reviewList")
        assert items is not None
        enabled = [bool(items.item(row).flags() & Qt.ItemFlag.ItemIsEnabled) for row in range(3)]
        assert enabled == [True, False, False]
        assert items.currentRow() == 0
        for path in (expired.path, future.path):
            kiosk.chooser.choose(path)
            assert kiosk.launcher is None
        assert event_names(load_config(rr_home)) == []
    finally:
        kiosk.shutdown()


def test_the_unlock_dialog_says_what_is_being_opened(
    sealed: Sealed, viewer: Viewer, qtbot: QtBot
) -> None:
    launcher = viewer.launch(sealed, with_passphrase_file=False)
    dialog = launcher.unlock_dialog
    assert dialog is not None and dialog.isVisible()
    label, facts = dialog.facts_text()
    assert label == f"Review file sealed {NOW:%-d %b %Y}"
    reference = signature_hash(sealed.path.read_bytes())[:8]
    assert facts.startswith(f"from {PUBLISHER} (trusted)")
    assert facts.endswith(f"file {reference}")
    for word in _reader_words():
        assert word.casefold() not in f"{label} {facts}".casefold()
    # Shown above the heading, inside the dialog, before anything was attempted.
    assert dialog.failures() == 0
    assert "session_started" not in event_names(sealed.config)
