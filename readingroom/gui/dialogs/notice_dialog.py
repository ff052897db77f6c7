"""The notice a reader acknowledges before the first page: what, from whom, as whom, recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from readingroom.display_text import display_text

if TYPE_CHECKING:
    from readingroom.review_file import OpenedReview

NOTICE_MIN_WIDTH = 520


@dataclass(frozen=True)
class NoticeText:
    """The sentences of the notice, every file string already sanitised."""

    title: str
    classification: str
    publisher: str
    reading_as: str
    expiry: str
    recorded: str
    session_code: str


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%d %B %Y, %H:%M UTC")


def notice_text(opened: OpenedReview, session_code: str) -> NoticeText:
    """Build the notice's sentences from an opened review, sanitising every file string."""
    manifest = opened.manifest
    reader = manifest.policy.reader
    publisher = display_text(manifest.publisher_name) or "(unnamed publisher)"
    trust = (
        "trusted on this workstation"
        if opened.publisher_trusted
        else "NOT in this workstation's trusted publishers"
    )
    who = ", ".join(
        part
        for part in (
            display_text(reader.name, max_chars=80),
            display_text(reader.id, max_chars=40),
            display_text(reader.organisation, max_chars=80),
        )
        if part
    )
    not_after = manifest.policy.not_after
    expiry = f"Available until {_when(not_after)}." if not_after else "No expiry date."
    return NoticeText(
        title=display_text(manifest.title) or "(untitled)",
        classification=display_text(manifest.classification, max_chars=60),
        publisher=f"Published by {publisher} ({trust}).",
        reading_as=f"You are reading as {who}.",
        expiry=expiry,
        recorded=(
            "This reading session is recorded in the workstation's audit log, and every page "
            "shows a watermark with your name and this session's code."
        ),
        # On a line of its own: a code wrapped at one of its hyphens is hard to note down.
        session_code=f"Session code: {session_code}",
    )


class NoticeDialog(QDialog):
    """Shows a :class:`NoticeText`; Enter (or the button) acknowledges it, Esc declines."""

    def __init__(self, text: NoticeText, parent: QWidget | None = None) -> None:
        """Build the dialog from already sanitised sentences."""
        super().__init__(parent)
        self.setObjectName("noticeDialog")
        self.setWindowTitle("Before you read")
        self.setModal(True)
        # Wide enough that a reader's name, e-mail and organisation fit on one or two lines.
        self.setMinimumWidth(NOTICE_MIN_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(10)
        for name, sentence in (
            ("noticeClassification", text.classification),
            ("noticeTitle", text.title),
            ("noticePublisher", text.publisher),
            ("noticeReader", text.reading_as),
            ("noticeExpiry", text.expiry),
            ("noticeRecorded", text.recorded),
            ("noticeSessionCode", text.session_code),
        ):
            if not sentence:
                continue
            label = QLabel(sentence, self)
            label.setObjectName(name)
            # Plain text: a title such as "<img src=...>" must not be rendered as HTML.
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            layout.addWidget(label)
            if name == "noticeTitle":
                layout.addSpacing(6)
        layout.addSpacing(12)
        buttons = QDialogButtonBox(self)
        self._acknowledge = QPushButton("I understand, open the document", self)
        self._acknowledge.setObjectName("acknowledge")
        self._acknowledge.setDefault(True)
        buttons.addButton(self._acknowledge, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._acknowledge.setFocus()
