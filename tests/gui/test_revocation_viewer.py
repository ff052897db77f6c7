"""A withdrawn review file does not open, and a session ends when a list withdrawing it arrives."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from readingroom.config import load_config
from readingroom.errors import ExitCode, Revoked
from readingroom.keys import PublisherKey
from readingroom.revocation import KIND_DOCUMENT, KIND_READER, empty_list, new_revocation, sign_list
from tests.factories import PASSPHRASE, READER, seal_fixture
from tests.gui.sample_pdf import build_test_pdf
from tests.gui.test_session_fixtures import (
    WAIT_MS,
    Sealed,
    Viewer,
    events,
    write_workstation_config,
)

NOW = datetime.now(UTC)


def _seal(home: Path, folder: Path) -> tuple[Sealed, PublisherKey, str]:
    revocations = folder / "revocations"
    revocations.mkdir()
    write_workstation_config(home, revocation_dir=revocations)
    fixture = seal_fixture(home, pdf=build_test_pdf())
    path = folder / "review.rrf"
    path.write_bytes(fixture.data)
    passphrase_file = folder / "passphrase.txt"
    passphrase_file.write_bytes(PASSPHRASE + b"\n")
    sealed = Sealed(path, passphrase_file, load_config(home))
    return sealed, fixture.publisher, fixture.manifest.document_id


def _publish(folder: Path, publisher: PublisherKey, kind: str, value: str) -> None:
    entry = new_revocation(kind, value, "leak suspected", NOW)
    listing = empty_list(publisher.public_key()).with_entry(entry, NOW)
    target = folder / "revocations" / "westmoor.rrl"
    # Written beside the folder and renamed in, as a distribution tool would.
    staging = folder / "westmoor.rrl.part"
    staging.write_bytes(sign_list(listing, publisher))
    staging.replace(target)


def test_a_withdrawn_file_is_refused_and_recorded(
    rr_home: Path, tmp_path: Path, viewer: Viewer
) -> None:
    sealed, publisher, document_id = _seal(rr_home, tmp_path)
    _publish(tmp_path, publisher, KIND_DOCUMENT, document_id)
    launcher = viewer.launch(sealed)
    assert launcher.window is None and launcher.notice_dialog is None
    assert launcher.message_box is not None
    assert launcher.message_box.text() == str(Revoked())
    assert launcher.exit_code == ExitCode.REFUSED
    failed = [r for r in events(sealed.config) if r["event"] == "unlock_failed"]
    assert [r["details"]["reason"] for r in failed] == ["revoked"]
    assert "session_started" not in [r["event"] for r in events(sealed.config)]


def test_a_list_arriving_mid_session_ends_it(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot
) -> None:
    sealed, publisher, _document_id = _seal(rr_home, tmp_path)
    window = viewer.open_window(sealed)
    assert not window.is_covered()
    _publish(tmp_path, publisher, KIND_READER, READER.id)
    qtbot.waitUntil(window.is_covered, timeout=WAIT_MS)
    assert "withdrawn" in window.curtain().message()
    ended = [r for r in events(sealed.config) if r["event"] == "session_ended"]
    assert [r["details"]["reason"] for r in ended] == ["revoked"]


def test_another_publishers_list_changes_nothing(
    rr_home: Path, tmp_path: Path, viewer: Viewer, qtbot: QtBot
) -> None:
    sealed, _publisher, document_id = _seal(rr_home, tmp_path)
    window = viewer.open_window(sealed)
    _publish(tmp_path, PublisherKey.generate(), KIND_DOCUMENT, document_id)
    launcher = viewer.launchers[-1]
    assert launcher.revocation_watch is not None
    launcher.revocation_watch.check()
    assert not window.is_covered()
